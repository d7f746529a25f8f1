/* Entities in the text as given: URLs, emails, order/invoice ids (the configured patterns) and
 * amounts with a currency. They are ASCII shapes, so one left-to-right byte scan finds them
 * and the ranges need no mapping back from the normalised text.
 * SPDX-License-Identifier: MIT */
#include "signals_int.h"

#include <string.h>

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

static int is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c) {
    return is_digit(c) || is_alpha(c);
}

static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* ISO 4217 codes of the currencies customers most often write. */
static const char currency_codes[][4] = {
    "USD", "EUR", "GBP", "JPY", "CNY", "INR", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK",
    "PLN", "CZK", "HUF", "BRL", "MXN", "SGD", "HKD", "ZAR", "KRW", "RUB", "TRY", "AED", "ILS",
};

int pw__is_currency_code(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (!(s[i] >= 'A' && s[i] <= 'Z'))
            return 0;
    return len == 3 && PW__IN_LIST(currency_codes, s, len);
}

/* Byte length of a currency symbol at t[i] ($, U+00A3 £, U+00A5 ¥, U+20AC €), else 0. */
static size_t currency_symbol(const char *t, size_t len, size_t i) {
    const uint8_t *u = (const uint8_t *)t;
    if (u[i] == '$')
        return 1;
    if (i + 1 < len && u[i] == 0xC2 && (u[i + 1] == 0xA3 || u[i + 1] == 0xA5))
        return 2;
    if (i + 2 < len && u[i] == 0xE2 && u[i + 1] == 0x82 && u[i + 2] == 0xAC)
        return 3;
    return 0;
}

/* 3 when an upper-case currency code stands at t[i] as a word of its own ("USD49" counts:
 * digits may follow), else 0. */
static size_t currency_code(const char *t, size_t len, size_t i) {
    if (i + 3 > len || (i > 0 && is_alpha(t[i - 1])) || (i + 3 < len && is_alpha(t[i + 3])))
        return 0;
    return pw__is_currency_code(t + i, 3) ? 3 : 0;
}

/* Digits with "," or "." between digit groups: "49", "49.99", "1,299.00", "1.299,00". */
static size_t scan_number(const char *t, size_t len, size_t i) {
    size_t j = i;
    while (j < len && is_digit(t[j]))
        j++;
    while (j + 1 < len && (t[j] == ',' || t[j] == '.') && is_digit(t[j + 1])) {
        j++;
        while (j < len && is_digit(t[j]))
            j++;
    }
    return j;
}

static size_t skip_one_space(const char *t, size_t len, size_t i) {
    return i < len && t[i] == ' ' ? i + 1 : i;
}

/* End of an amount starting at t[i] ("$49.99", "EUR 1,299", "49,90 €", "12 USD"), else 0. */
static size_t amount_at(const char *t, size_t len, size_t i) {
    size_t sym = currency_symbol(t, len, i);
    if (!sym)
        sym = currency_code(t, len, i);
    if (sym) {
        size_t k = skip_one_space(t, len, i + sym);
        return k < len && is_digit(t[k]) ? scan_number(t, len, k) : 0;
    }
    /* A number that starts mid-word or mid-number ("v2.5", "1.5" after "1.") is not one. */
    if (!is_digit(t[i]) || (i > 0 && (is_alnum(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == ',')))
        return 0;
    size_t k = skip_one_space(t, len, scan_number(t, len, i));
    if (k == len)
        return 0;
    if ((sym = currency_symbol(t, len, k)) != 0 || (sym = currency_code(t, len, k)) != 0)
        return k + sym;
    return 0;
}

static size_t prefix_at(const char *t, size_t len, size_t i, const char *prefix) {
    size_t n = strlen(prefix);
    if (i + n > len)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (lower(t[i + k]) != prefix[k])
            return 0;
    return n;
}

static int url_char(char c) {
    uint8_t u = (uint8_t)c;
    return u > ' ' && u < 0x7F && !strchr("\"<>`", c);
}

/* http://, https:// or www. up to the next space, less trailing sentence punctuation. */
static size_t url_at(const char *t, size_t len, size_t i) {
    if (i > 0 && is_alnum(t[i - 1]))
        return 0;
    size_t p = prefix_at(t, len, i, "https://");
    if (!p)
        p = prefix_at(t, len, i, "http://");
    if (!p)
        p = prefix_at(t, len, i, "www.");
    if (!p)
        return 0;
    size_t j = i + p;
    while (j < len && url_char(t[j]))
        j++;
    while (j > i + p && strchr(".,;:!?)]}'\"", t[j - 1]))
        j--;
    return j > i + p ? j : 0;
}

static int local_char(char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* The end of a domain of letter/digit/hyphen labels joined by single dots, starting at t[i]. */
static size_t scan_domain(const char *t, size_t len, size_t i, size_t *last_dot) {
    size_t j = i;
    *last_dot = 0;
    while (j < len) {
        if (is_alnum(t[j]) || t[j] == '-')
            j++;
        else if (t[j] == '.' && j > i && t[j - 1] != '.' && j + 1 < len && is_alnum(t[j + 1]))
            *last_dot = j++;
        else
            break;
    }
    while (j > i && t[j - 1] == '-')
        j--;
    return j;
}

/* local@domain.tld: the local part starts with a letter or digit, the top-level domain is two
 * or more letters. */
static size_t email_at(const char *t, size_t len, size_t i) {
    if ((i > 0 && local_char(t[i - 1])) || !is_alnum(t[i]))
        return 0;
    size_t at = i;
    while (at < len && local_char(t[at]))
        at++;
    if (at == len || t[at] != '@')
        return 0;
    size_t dot = 0, end = scan_domain(t, len, at + 1, &dot);
    if (dot == 0 || dot >= end || end - dot - 1 < 2)
        return 0;
    for (size_t k = dot + 1; k < end; k++)
        if (!is_alpha(t[k]))
            return 0;
    return end;
}

/* Whether id pattern character q matches the byte c (see pw_id_pattern). */
static int pattern_char_matches(char q, char c) {
    return q == '#'   ? is_digit(c)
           : q == 'A' ? is_alpha(c)
           : q == '*' ? is_alnum(c)
                      : lower(c) == lower(q);
}

void pw__id_index_build(pw_signal_scanner *s) {
    memset(s->id_first, 0, sizeof s->id_first);
    for (uint32_t k = 0; k < s->pattern_count; k++)
        for (size_t c = 0; c < sizeof s->id_first; c++)
            if (pattern_char_matches(s->patterns[k].text[0], (char)c))
                s->id_first[c] = 1;
}

/* A configured id pattern at t[i], touching no letter or digit at either end. */
static size_t pattern_at(const pw__id_pattern *p, const char *t, size_t len, size_t i) {
    if ((i > 0 && is_alnum(t[i - 1])) || i + p->len > len)
        return 0;
    for (size_t k = 0; k < p->len; k++)
        if (!pattern_char_matches(p->text[k], t[i + k]))
            return 0;
    size_t end = i + p->len;
    return end < len && is_alnum(t[end]) ? 0 : end;
}

static size_t id_at(const pw_signal_scanner *s, const char *t, size_t len, size_t i) {
    if (!s->id_first[(uint8_t)t[i]])
        return 0;
    for (uint32_t k = 0; k < s->pattern_count; k++) {
        size_t end = pattern_at(&s->patterns[k], t, len, i);
        if (end)
            return end;
    }
    return 0;
}

/* The entity starting at t[i] and its end, or 0. URLs first: they may hold emails and ids. */
static size_t entity_at(const pw_signal_scanner *s, const char *t, size_t len, size_t i,
                        pw_entity_kind *kind) {
    /* Cheap rulings first, for the bytes most text is made of: nothing starts at a space or
     * control byte; right after a letter or digit no URL, email or id starts (none may touch
     * one), which leaves amounts ("abc$5", "5USD"), and not even those at a letter after a
     * letter (a currency code may not touch a letter either, and a number is digits). */
    *kind = PW_ENTITY_AMOUNT;
    if ((uint8_t)t[i] <= ' ' || (i > 0 && is_alpha(t[i - 1]) && is_alpha(t[i])))
        return 0;
    if (i > 0 && is_alnum(t[i - 1]))
        return amount_at(t, len, i);
    size_t end = url_at(t, len, i);
    *kind = PW_ENTITY_URL;
    if (!end) {
        end = email_at(t, len, i);
        *kind = PW_ENTITY_EMAIL;
    }
    if (!end) {
        end = id_at(s, t, len, i);
        *kind = PW_ENTITY_ORDER_ID;
    }
    if (!end) {
        end = amount_at(t, len, i);
        *kind = PW_ENTITY_AMOUNT;
    }
    return end;
}

void pw__entities_scan(const pw_signal_scanner *s, const char *text, size_t len, pw_signals *out) {
    for (size_t i = 0; i < len && out->entity_count < PW_SIGNALS_MAX_ENTITIES;) {
        pw_entity_kind kind;
        size_t end = entity_at(s, text, len, i, &kind);
        if (!end) {
            i++;
            continue;
        }
        pw_entity *e = &out->entities[out->entity_count++];
        e->start = (uint32_t)i;
        e->len = (uint32_t)(end - i);
        e->kind = kind;
        i = end;
    }
}
