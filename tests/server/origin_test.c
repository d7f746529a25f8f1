/* Origin allow-lists: canonical comparison, default ports, "*", and the spoofs and malformed
 * headers that must never match.
 * SPDX-License-Identifier: MIT */
#include "security/origin.h"
#include "pw_test.h"

static const char *const site[] = {"https://example.com", "http://localhost:8080",
                                   "http://[::1]:3000"};
#define N_SITE (sizeof site / sizeof site[0])

static int allowed_by_site(const char *origin) {
    return pw_origin_allowed(origin, site, N_SITE);
}

static void exact_origins_match(void) {
    PW_CHECK_INT(allowed_by_site("https://example.com"), 1);
    PW_CHECK_INT(allowed_by_site("http://localhost:8080"), 1);
    PW_CHECK_INT(allowed_by_site("http://[::1]:3000"), 1);
    PW_CHECK_INT(allowed_by_site("https://www.example.com"), 0);
    PW_CHECK_INT(allowed_by_site("http://example.com"), 0);
    PW_CHECK_INT(allowed_by_site("http://localhost"), 0);
    PW_CHECK_INT(allowed_by_site("http://localhost:8081"), 0);
}

static void scheme_and_host_ignore_case(void) {
    PW_CHECK_INT(allowed_by_site("HTTPS://EXAMPLE.COM"), 1);
    PW_CHECK_INT(allowed_by_site("Https://Example.Com"), 1);
    PW_CHECK_INT(allowed_by_site("http://LocalHost:8080"), 1);
    static const char *const upper[] = {"HTTPS://Example.COM"};
    PW_CHECK_INT(pw_origin_allowed("https://example.com", upper, 1), 1);
}

static void default_ports_are_dropped_on_both_sides(void) {
    PW_CHECK_INT(allowed_by_site("https://example.com:443"), 1);
    PW_CHECK_INT(allowed_by_site("https://example.com:80"), 0);
    PW_CHECK_INT(allowed_by_site("https://example.com:8443"), 0);
    static const char *const with_ports[] = {"https://app.test:443", "http://app.test:80"};
    PW_CHECK_INT(pw_origin_allowed("https://app.test", with_ports, 2), 1);
    PW_CHECK_INT(pw_origin_allowed("http://app.test", with_ports, 2), 1);
    PW_CHECK_INT(pw_origin_allowed("http://app.test:443", with_ports, 2), 0);
    PW_CHECK_INT(pw_origin_allowed("https://app.test:80", with_ports, 2), 0);
}

/* The form the server's configuration keeps its origins in: an entry in it matches without
 * being parsed again, and canonicalising it again changes nothing. */
static void canonical_forms(void) {
    static const char *const cases[][2] = {
        {"HTTPS://Example.COM:443", "https://example.com"},
        {"http://LocalHost:8080", "http://localhost:8080"},
        {"http://app.test:80", "http://app.test"},
        {"https://app.test:80", "https://app.test:80"},
        {"http://[::1]:3000", "http://[::1]:3000"},
        {"http://[::ABCD]", "http://[::abcd]"},
        {"chrome-extension://Abc", "chrome-extension://abc"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char once[PW_ORIGIN_MAX + 1] = "", twice[PW_ORIGIN_MAX + 1] = "";
        PW_CHECK_INT(pw_origin_canonical(cases[i][0], once), 0);
        PW_CHECK_STRN(once, strlen(once), cases[i][1]);
        PW_CHECK_INT(pw_origin_canonical(once, twice), 0);
        PW_CHECK_STRN(twice, strlen(twice), cases[i][1]);
        const char *const entry[] = {once};
        PW_CHECK_INT(pw_origin_allowed(cases[i][0], entry, 1), 1);
    }
}

static void star_allows_any_well_formed_origin(void) {
    static const char *const any[] = {"*"};
    PW_CHECK_INT(pw_origin_allowed("https://anything.example", any, 1), 1);
    PW_CHECK_INT(pw_origin_allowed("http://10.0.0.1:9000", any, 1), 1);
    PW_CHECK_INT(pw_origin_allowed("null", any, 1), 0);
    PW_CHECK_INT(pw_origin_allowed("", any, 1), 0);
    PW_CHECK_INT(pw_origin_allowed(NULL, any, 1), 0);
    PW_CHECK_INT(pw_origin_allowed("https://a.example/", any, 1), 0);
    static const char *const wildcard_inside[] = {"https://*.example.com"};
    PW_CHECK_INT(pw_origin_allowed("https://a.example.com", wildcard_inside, 1), 0);
}

static void null_and_empty_never_match(void) {
    static const char *const null_entry[] = {"null", ""};
    PW_CHECK_INT(pw_origin_allowed("null", null_entry, 2), 0);
    PW_CHECK_INT(pw_origin_allowed("", null_entry, 2), 0);
    PW_CHECK_INT(allowed_by_site("null"), 0);
    PW_CHECK_INT(allowed_by_site(""), 0);
    PW_CHECK_INT(allowed_by_site(NULL), 0);
    PW_CHECK_INT(pw_origin_allowed("https://example.com", NULL, 0), 0);
    PW_CHECK_INT(pw_origin_allowed("https://example.com", site, 0), 0);
    static const char *const holes[] = {NULL, "https://example.com"};
    PW_CHECK_INT(pw_origin_allowed("https://example.com", holes, 2), 1);
}

static void paths_and_other_parts_are_malformed(void) {
    static const char *const bad[] = {
        "https://example.com/",
        "https://example.com/widget",
        "https://example.com?x=1",
        "https://example.com#top",
        "https://user@example.com",
        "https://u:p@example.com",
        "https://example.com ",
        " https://example.com",
        "https://exa mple.com",
        "https://example.com\t",
        "https://example.com\r\n",
        "https://example.com:",
        "https://example.com:0443",
        "https://example.com:0",
        "https://example.com:99999",
        "https://example.com:44a",
        "https://example.com:443443",
        "https://",
        "https:example.com",
        "https//example.com",
        "://example.com",
        "https://ex\xc3\xa4mple.com",
        "http://[]:3000",
        "http://[::1:3000",
        "https://example.com\\",
        "example.com",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        static const char *const any[] = {"*"};
        if (pw_origin_allowed(bad[i], any, 1) != 0)
            fprintf(stderr, "    accepted: \"%s\"\n", bad[i]);
        PW_CHECK_INT(pw_origin_allowed(bad[i], any, 1), 0);
        char out[PW_ORIGIN_MAX + 1];
        PW_CHECK_INT(pw_origin_canonical(bad[i], out), -1); /* refused in a configuration too */
    }
    char longest[400];
    memcpy(longest, "https://", 8);
    memset(longest + 8, 'a', sizeof longest - 9);
    longest[sizeof longest - 1] = '\0';
    static const char *const any[] = {"*"};
    PW_CHECK_INT(pw_origin_allowed(longest, any, 1), 0);
}

static void look_alike_hosts_are_other_hosts(void) {
    static const char *const spoofs[] = {
        "https://example.com.evil.com", "https://evil.com.example.co",
        "https://evilexample.com",      "https://evil-example.com",
        "https://example.co",           "https://example.com.",
        "https://xn--exmple-cua.com",   "https://example.com:443.evil.com",
    };
    for (size_t i = 0; i < sizeof spoofs / sizeof spoofs[0]; i++) {
        if (allowed_by_site(spoofs[i]) != 0)
            fprintf(stderr, "    accepted: \"%s\"\n", spoofs[i]);
        PW_CHECK_INT(allowed_by_site(spoofs[i]), 0);
    }
}

int main(void) {
    PW_RUN(exact_origins_match);
    PW_RUN(scheme_and_host_ignore_case);
    PW_RUN(default_ports_are_dropped_on_both_sides);
    PW_RUN(canonical_forms);
    PW_RUN(star_allows_any_well_formed_origin);
    PW_RUN(null_and_empty_never_match);
    PW_RUN(paths_and_other_parts_are_malformed);
    PW_RUN(look_alike_hosts_are_other_hosts);
    return pw_test_exit_code();
}
