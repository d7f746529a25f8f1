/* Intensity cues: runs of "!" and "?", masked profanity ("f*ck", "sh!t", "#$%@") and words in
 * ALL CAPS. Capitals are gone from the normalised text, so the caps pass reads the text as
 * given and maps the words it reports back to normalised offsets.
 * SPDX-License-Identifier: MIT */
#include "pw/status.h"
#include "signals_int.h"
#include "text_fold_int.h"
#include "utf8_int.h"

#include <string.h>

void pw__punct_scan(const pw__view *v, pw__tally *t, pw_signals *out) {
    for (size_t i = 0; i < v->count;) {
        size_t j = i;
        while (j < v->count && v->tokens[j].kind == PW_TOKEN_PUNCT)
            j++;
        if (j - i >= 2) { /* "??" 1 point, "!!!" or "?!?" 2 */
            t->punct += j - i >= 3 ? 2 : 1;
            size_t start = v->tokens[i].start;
            pw__evidence_add(out, start, v->tokens[j - 1].start + 1 - start, PW_EVIDENCE_INTENSITY);
        }
        i = j > i ? j : i + 1;
    }
}

/* Profanity as people mask it: same length as the word, same first letter, every other
 * character the word's own or a mask, and at least one mask. */
static const char masked_words[][9] = {
    "fuck",   "fucking", "fucked",  "shit",    "shitty", "bullshit", "crap", "damn",
    "dammit", "bitch",   "bastard", "asshole", "piss",   "pissed",   "hell",
};

static int is_mask(char c) {
    return c == '*' || c == '#' || c == '@' || c == '$' || c == '%' || c == '!';
}

static int masks_word(const char *w, size_t len, const char *word) {
    if (strlen(word) != len || w[0] != word[0])
        return 0;
    int masked = 0;
    for (size_t i = 1; i < len; i++) {
        if (is_mask(w[i]))
            masked = 1;
        else if (w[i] != word[i])
            return 0;
    }
    return masked;
}

/* Grawlix: "#$%@!", three or more of these symbols with at least two different ones besides
 * "!" ("***" and "$$$" are not swearing). */
static const char grawlix_symbols[] = "@#$%&*";

static int is_grawlix(const char *w, size_t len) {
    unsigned seen = 0;
    for (size_t i = 0; i < len; i++) {
        const char *at = w[i] != '\0' ? strchr(grawlix_symbols, w[i]) : NULL;
        if (at)
            seen |= 1u << (at - grawlix_symbols);
        else if (w[i] != '!')
            return 0;
    }
    return len >= 3 && (seen & (seen - 1)) != 0;
}

/* A masked word has a mask and a grawlix is made of masks and "&": most words have neither. */
static int has_mask(const char *w, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (is_mask(w[i]) || w[i] == '&')
            return 1;
    return 0;
}

static int is_masked_profanity(const char *w, size_t len) {
    if (len < 3 || len > 8 || !has_mask(w, len))
        return 0;
    for (size_t k = 0; k < sizeof masked_words / sizeof masked_words[0]; k++)
        if (masks_word(w, len, masked_words[k]))
            return 1;
    return is_grawlix(w, len);
}

void pw__masked_profanity_scan(const char *norm, size_t norm_len, pw__tally *t, pw_signals *out) {
    for (size_t i = 0; i < norm_len;) {
        size_t j = i;
        while (j < norm_len && norm[j] != ' ')
            j++;
        size_t a = i, b = j; /* the chunk less quotes and sentence punctuation around it */
        while (a < b && strchr("(\"'", norm[a]))
            a++;
        while (b > a && strchr(".,;:!?)]}\"'", norm[b - 1]))
            b--;
        if (is_masked_profanity(norm + a, b - a)) {
            t->negative += 3;
            t->profanity += 1;
            pw__evidence_add(out, a, b - a, PW_EVIDENCE_INTENSITY);
        }
        i = j + 1;
    }
}

enum letter_case { NOT_LETTER, UPPER, LOWER, CASELESS };

/* Upper and lower case for the scripts normalisation folds (Latin-1, Greek, Cyrillic); other
 * letters are caseless and neither make nor break an all-caps word. */
static enum letter_case letter_case(uint32_t cp) {
    if (cp < 0x80u) /* ASCII first: most text */
        return cp >= 'A' && cp <= 'Z' ? UPPER : cp >= 'a' && cp <= 'z' ? LOWER : NOT_LETTER;
    if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3A9) ||
        (cp >= 0x400 && cp <= 0x42F))
        return UPPER;
    if ((cp >= 0xDF && cp <= 0xFF && cp != 0xF7) || (cp >= 0x3AC && cp <= 0x3CE) ||
        (cp >= 0x430 && cp <= 0x45F))
        return LOWER;
    int symbol = cp < 0x100 || (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
                 (cp >= 0xFE00 && cp <= 0xFE0F) || cp == PW_UTF8_REPLACEMENT ||
                 (cp >= 0x1F000 && cp <= 0x1FAFF);
    return symbol || pw__text_is_space(cp) ? NOT_LETTER : CASELESS;
}

/* Short all-caps words that are names, not shouting. Compared in lower case. */
static const char acronyms[][6] = {
    "api",  "apis", "url",  "urls",  "csv",  "pdf",   "pdfs", "sso",  "faq", "faqs", "gdpr",
    "ccpa", "html", "http", "https", "json", "xml",   "css",  "sdk",  "cli", "ceo",  "cto",
    "cfo",  "coo",  "saml", "scim",  "ldap", "dns",   "sms",  "otp",  "vpn", "ios",  "sql",
    "utc",  "gmt",  "pst",  "pdt",   "est",  "edt",   "cet",  "cest", "bst", "asap", "fyi",
    "btw",  "imo",  "aws",  "gcp",   "crm",  "erp",   "sla",  "slas", "kpi", "roi",  "pin",
    "mfa",  "ssl",  "tls",  "ssh",   "ftp",  "sftp",  "smtp", "imap", "jwt", "png",  "jpg",
    "jpeg", "gif",  "svg",  "zip",   "rss",  "iban",  "vat",  "gst",  "eta", "llc",  "inc",
    "ltd",  "gmbh", "usa",  "nda",   "dpa",  "hipaa", "pci",  "iso",  "ach", "sepa", "usb",
    "cpu",  "ram",  "ssd",  "tbd",   "saas", "crud",  "rest", "ord",  "inv",
};

static int is_acronym(const char *w, size_t len) {
    char lower[6];
    if (len > sizeof lower)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (!(w[i] >= 'A' && w[i] <= 'Z'))
            return 0;
        lower[i] = (char)(w[i] + ('a' - 'A'));
    }
    return PW__IN_LIST(acronyms, lower, len) || pw__is_currency_code(w, len);
}

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

static int is_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Part of an id, email, URL or file name ("ORD-48213", "README.md", "HTTPS://"): not a word
 * someone shouted. */
static int inside_identifier(const char *text, size_t len, size_t a, size_t b) {
    char before = a > 0 ? text[a - 1] : ' ';
    char after = b < len ? text[b] : ' ';
    char next = b + 1 < len ? text[b + 1] : ' ';
    if (is_digit(before) || strchr("-_/@.#", before) || is_digit(after) || strchr("-_/@", after))
        return 1;
    return (after == '.' && is_alnum(next)) || (after == ':' && next == '/');
}

/* Byte length of the normalised form of text[0..len). */
static size_t normalized_length(const char *text, size_t len) {
    size_t n = 0;
    pw_text_normalize(text, len, NULL, 0, &n);
    return n;
}

/* A word's place in the normalised text. A word holds no whitespace, so normalising the text up
 * to its end ends with the word's own normalised form: the two lengths give its range. */
static void add_caps_evidence(const char *text, size_t a, size_t b, pw_signals *out) {
    size_t end = normalized_length(text, b);
    size_t word = normalized_length(text + a, b - a);
    pw__evidence_add(out, end - word, word, PW_EVIDENCE_INTENSITY);
}

/* pw__utf8_decode, with ASCII (most text) decoded here instead of in a call. */
static size_t decode(const uint8_t *s, size_t len, uint32_t *cp) {
    if (s[0] < 0x80u) {
        *cp = s[0];
        return 1;
    }
    return pw__utf8_decode(s, len, cp);
}

/* Scans one word from `i` (a letter): its end, and its upper and lower case letter counts. */
static size_t scan_word(const char *text, size_t len, size_t i, size_t *upper, size_t *lower) {
    const uint8_t *s = (const uint8_t *)text;
    *upper = *lower = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = decode(s + i, len - i, &cp);
        enum letter_case c = letter_case(cp);
        if (c == NOT_LETTER && (cp == '\'' || cp == 0x2019) && i + n < len) {
            uint32_t next;
            decode(s + i + n, len - i - n, &next);
            if (letter_case(next) != NOT_LETTER) { /* "DON'T" is one word */
                i += n;
                continue;
            }
        }
        if (c == NOT_LETTER)
            break;
        *upper += c == UPPER;
        *lower += c == LOWER;
        i += n;
    }
    return i;
}

void pw__caps_scan(const char *text, size_t len, pw__tally *t, pw_signals *out) {
    const uint8_t *s = (const uint8_t *)text;
    uint32_t reported = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = decode(s + i, len - i, &cp);
        if (letter_case(cp) == NOT_LETTER) {
            i += n;
            continue;
        }
        size_t upper, lower, j = scan_word(text, len, i, &upper, &lower);
        int shouted = upper >= 3 && lower == 0 && !inside_identifier(text, len, i, j) &&
                      !is_acronym(text + i, j - i);
        if (shouted) {
            t->caps++;
            /* Only the first PW_SIGNALS_MAX_EVIDENCE caps words can rank among the first
             * evidence, and each mapping rescans the text: stop mapping there. */
            if (reported++ < PW_SIGNALS_MAX_EVIDENCE)
                add_caps_evidence(text, i, j, out);
        }
        i = j;
    }
}
