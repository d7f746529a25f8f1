/* pw_text_tokenize: kinds, boundaries, inner punctuation, and the buffer contract.
 * SPDX-License-Identifier: MIT */
#include "pw/status.h"
#include "pw/text.h"
#include "pw_test.h"

/* Tokenises `text` and renders "kind:text" tokens separated by spaces into `out`. */
static void render(const char *text, char *out, size_t cap) {
    static const char *const kinds[] = {"w", "n", "id", "email", "url", "p"};
    pw_token tokens[64];
    size_t count = 0;
    int rc = pw_text_tokenize(text, strlen(text), tokens, 64, &count);
    PW_CHECK_INT(rc, PW_OK);
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < count && i < 64; i++)
        at += (size_t)snprintf(out + at, cap - at, "%s%s:%.*s", i ? " " : "", kinds[tokens[i].kind],
                               (int)tokens[i].len, text + tokens[i].start);
}

#define CHECK_TOKENS(text, expected)                                                               \
    do {                                                                                           \
        char out_[512];                                                                            \
        render(text, out_, sizeof out_);                                                           \
        PW_CHECK_STRN(out_, strlen(out_), expected);                                               \
    } while (0)

static void words_and_question_marks(void) {
    CHECK_TOKENS("how do i reset my password?", "w:how w:do w:i w:reset w:my w:password p:?");
    CHECK_TOKENS("can't log in!!", "w:can't w:log w:in p:! p:!");
}

static void numbers_keep_inner_separators(void) {
    CHECK_TOKENS("charged 1,299.50 twice", "w:charged n:1,299.50 w:twice");
    CHECK_TOKENS("order 48213.", "w:order n:48213");
}

static void ids_versus_short_vocabulary(void) {
    CHECK_TOKENS("invoice inv-2024-0042 and 2fa on 4g",
                 "w:invoice id:inv-2024-0042 w:and w:2fa w:on w:4g");
    CHECK_TOKENS("ticket a1b2c3d4", "w:ticket id:a1b2c3d4");
    CHECK_TOKENS("e-mail sign-up", "w:e w:mail w:sign w:up");
}

static void emails_and_urls_are_whole_tokens(void) {
    CHECK_TOKENS("write to ana.b@example.com.", "w:write w:to email:ana.b@example.com");
    CHECK_TOKENS("see https://acme.io/x?y=1 now", "w:see url:https://acme.io/x?y=1 w:now");
    CHECK_TOKENS("www.acme.io", "url:www.acme.io");
    CHECK_TOKENS("@ a@b", "w:a w:b");
}

static void other_scripts_are_words_and_symbols_separate(void) {
    CHECK_TOKENS("привет мир", "w:привет w:мир");
    CHECK_TOKENS("€50 for café", "n:50 w:for w:café");
    CHECK_TOKENS("thanks🙏so much", "w:thanks w:so w:much");
}

static void truncation_reports_the_full_count(void) {
    pw_token tokens[2];
    size_t count = 0;
    PW_CHECK_INT(pw_text_tokenize("a b c d", 7, tokens, 2, &count), PW_ETRUNC);
    PW_CHECK_INT(count, 4);
    PW_CHECK_INT(tokens[1].start, 2);
    PW_CHECK_INT(pw_text_tokenize("a", 1, NULL, 0, &count), PW_ETRUNC);
    PW_CHECK_INT(pw_text_tokenize("a", 1, tokens, 2, NULL), PW_EINVAL);
    PW_CHECK_INT(pw_text_tokenize("", 0, tokens, 2, &count), PW_OK);
    PW_CHECK_INT(count, 0);
}

int main(void) {
    PW_RUN(words_and_question_marks);
    PW_RUN(numbers_keep_inner_separators);
    PW_RUN(ids_versus_short_vocabulary);
    PW_RUN(emails_and_urls_are_whole_tokens);
    PW_RUN(other_scripts_are_words_and_symbols_separate);
    PW_RUN(truncation_reports_the_full_count);
    return pw_test_exit_code();
}
