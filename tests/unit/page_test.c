/* The page layer through its public header: every route normalisation rule with words that
 * must stay, the output bound and truncation, the page hash, context validation and flags.
 * SPDX-License-Identifier: MIT */
#include "hash_int.h"
#include "pw/page.h"
#include "pw/status.h"
#include "pw_test.h"

static void check_route(const char *path, const char *expected) {
    char out[512];
    size_t n = 0;
    PW_CHECK_INT(pw_page_route_normalize(path, strlen(path), out, sizeof out, &n), PW_OK);
    PW_CHECK_STRN(out, n, expected);
}

static void ids_collapse(void) {
    check_route("/projects/8812/export?x=1", "/projects/:id/export");
    check_route("/projects/0", "/projects/:id");
    check_route("/u/123e4567-e89b-12d3-a456-426614174000/edit", "/u/:id/edit");
    check_route("/u/123E4567-E89B-12D3-A456-426614174000", "/u/:id");
    check_route("/doc/5f8d0d55b54764421b7156c3", "/doc/:id");
    check_route("/commit/deadbeefdeadbeef", "/commit/:id");
    check_route("/orders/a1b2c3d4e5", "/orders/:id");
    check_route("/orders/abc12345", "/orders/:id");
    check_route("/invite/Xk3_9aQpLm2ZrT7wVb1yHc", "/invite/:id");
    check_route("/a/1/b/2/c/3", "/a/:id/b/:id/c/:id");
}

static void words_stay(void) {
    check_route("/settings", "/settings");
    check_route("/api/v2/2fa", "/api/v2/2fa");
    check_route("/auth/oauth2callback", "/auth/oauth2callback");
    check_route("/reports/invoice2024", "/reports/invoice2024");
    check_route("/docs/base64url", "/docs/base64url");
    check_route("/orders/ord-1234", "/orders/ord-1234");
    check_route("/files/report.pdf", "/files/report.pdf");
    check_route("/files/12345.json", "/files/12345.json");
    check_route("/blog/release-notes-2024-and-beyond", "/blog/release-notes-2024-and-beyond");
    check_route("/x/abcdefghijklmnopqrstuvwxyz", "/x/abcdefghijklmnopqrstuvwxyz");
    /* Near misses of each id rule. */
    check_route("/h/deadbeefdeadbee", "/h/deadbeefdeadbee"); /* 15 hex */
    check_route("/m/a1b2c3d", "/m/a1b2c3d");                 /* 7 chars */
    check_route("/u/123e4567-e89b-12d3-a456-42661417400", "/u/123e4567-e89b-12d3-a456-42661417400");
}

static void shape_rules(void) {
    check_route("", "/");
    check_route("/", "/");
    check_route("//", "/");
    check_route("?q=1", "/");
    check_route("#top", "/");
    check_route("/a//b///c/", "/a/b/c");
    check_route("projects/42", "/projects/:id");
    check_route("/a/b#/c/d", "/a/b");
    check_route("https://app.example.com/projects/9/export?tab=csv", "/projects/:id/export");
    check_route("http://localhost:8080", "/");
    check_route("//cdn.example.com/x", "/cdn.example.com/x"); /* not an authority */
    check_route("/Settings/Billing", "/Settings/Billing");    /* case kept */
    check_route("/a/./../b", "/a/./../b");
    check_route("/caf%C3%A9/1", "/caf%C3%A9/:id");
    check_route("/café/ünïcode", "/café/ünïcode");
}

static void output_bound_and_truncation(void) {
    static const char *const paths[] = {"1", "1/2", "/1/2/3", "", "/9/", "a", "x/1"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        size_t len = strlen(paths[i]), n = 0;
        PW_CHECK_INT(pw_page_route_normalize(paths[i], len, NULL, 0, &n), PW_ETRUNC);
        PW_CHECK(n <= 2 * len + 2);
    }
    char out[8];
    size_t n = 0;
    PW_CHECK_INT(pw_page_route_normalize("/projects/1", 11, out, 5, &n), PW_ETRUNC);
    PW_CHECK_INT(n, 13);
    PW_CHECK_STRN(out, 5, "/proj");
    PW_CHECK_INT(pw_page_route_normalize("/1", 2, out, 4, &n), PW_OK);
    PW_CHECK_STRN(out, n, "/:id");
}

static void bad_arguments(void) {
    char out[8];
    size_t n = 0;
    PW_CHECK_INT(pw_page_route_normalize("/a", 2, out, sizeof out, NULL), PW_EINVAL);
    PW_CHECK_INT(pw_page_route_normalize(NULL, 2, out, sizeof out, &n), PW_EINVAL);
    PW_CHECK_INT(pw_page_route_normalize("/a", 2, NULL, 4, &n), PW_EINVAL);
    PW_CHECK_INT(pw_page_route_normalize(NULL, 0, out, sizeof out, &n), PW_OK);
    PW_CHECK_STRN(out, n, "/");
}

static void hash_is_murmur_seed_zero(void) {
    const char *r = "/projects/:id/export";
    PW_CHECK_INT(pw_page_hash(r, strlen(r)), pw__hash32(r, strlen(r), 0));
    PW_CHECK_INT(pw_page_hash(NULL, 0), pw__hash32("", 0, 0));
    PW_CHECK_INT(pw_page_hash("", 0), 0); /* MurmurHash3 of nothing with seed 0 */
    PW_CHECK(pw_page_hash("/a", 2) != pw_page_hash("/A", 2));
}

static pw_page_ctx ctx_with(uint32_t enabled, uint32_t reason) {
    pw_page_ctx c;
    memset(&c, 0, sizeof c);
    c.route = pw_page_hash("/projects/:id/export", 20);
    c.plan = PW_TIER_STARTER;
    c.feature_count = 1;
    c.features[0].feature = pw_page_hash("export_csv", 10);
    c.features[0].enabled = enabled;
    c.features[0].reason = reason;
    c.features[0].plan_required = PW_TIER_PRO;
    return c;
}

static void context_check(void) {
    pw_page_ctx c = ctx_with(0, PW_FEATURE_REASON_PLAN);
    PW_CHECK(pw_page_check(&c) == NULL);
    PW_CHECK(strcmp(pw_page_check(NULL), "ctx") == 0);
    c.plan = PW_TIER_COUNT;
    PW_CHECK(strcmp(pw_page_check(&c), "plan") == 0);
    c = ctx_with(0, PW_FEATURE_REASON_PLAN);
    c.feature_count = PW_PAGE_CTX_MAX_FEATURES + 1;
    PW_CHECK(strcmp(pw_page_check(&c), "feature_count") == 0);
    c = ctx_with(2, PW_FEATURE_REASON_NONE);
    PW_CHECK(strcmp(pw_page_check(&c), "features.enabled") == 0);
    c = ctx_with(0, PW_FEATURE_REASON_COUNT);
    PW_CHECK(strcmp(pw_page_check(&c), "features.reason") == 0);
    c = ctx_with(1, PW_FEATURE_REASON_PLAN);
    PW_CHECK(strcmp(pw_page_check(&c), "features.reason") == 0);
    c = ctx_with(0, PW_FEATURE_REASON_PLAN);
    c.features[0].plan_required = 9;
    PW_CHECK(strcmp(pw_page_check(&c), "features.plan_required") == 0);
}

static void context_flags(void) {
    pw_page_ctx c = ctx_with(0, PW_FEATURE_REASON_PLAN);
    PW_CHECK_INT(pw_page_flags(&c), PW_PAGE_FEATURE_DISABLED_BY_PLAN);
    c = ctx_with(0, PW_FEATURE_REASON_PERMISSION);
    PW_CHECK_INT(pw_page_flags(&c), 0);
    c = ctx_with(1, PW_FEATURE_REASON_NONE);
    c.error_banners = 2;
    c.failed_requests = 1;
    PW_CHECK_INT(pw_page_flags(&c), PW_PAGE_ERROR_BANNER | PW_PAGE_FAILED_REQUEST);
    PW_CHECK_INT(pw_page_flags(NULL), 0);
    /* An over-long count reads only the array, never past it. */
    c = ctx_with(1, PW_FEATURE_REASON_NONE);
    c.feature_count = 1000;
    c.features[PW_PAGE_CTX_MAX_FEATURES - 1].reason = PW_FEATURE_REASON_PLAN;
    PW_CHECK_INT(pw_page_flags(&c), PW_PAGE_FEATURE_DISABLED_BY_PLAN);
}

int main(void) {
    PW_RUN(ids_collapse);
    PW_RUN(words_stay);
    PW_RUN(shape_rules);
    PW_RUN(output_bound_and_truncation);
    PW_RUN(bad_arguments);
    PW_RUN(hash_is_murmur_seed_zero);
    PW_RUN(context_check);
    PW_RUN(context_flags);
    return pw_test_exit_code();
}
