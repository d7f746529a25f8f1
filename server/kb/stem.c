/* Porter stemming, written from the paper's description: five steps of suffix rules, each
 * guarded by a condition on the stem left before the suffix. Where SQLite FTS5's porter tokenizer
 * departs from the 1980 paper, this file follows FTS5 (checked word for word by
 * tests/server/stem_test.c): step 2 is Porter's later revision, a suffix never takes the whole
 * word, and "yy" counts as a double consonant. The comments at each say more.
 * SPDX-License-Identifier: MIT */
#include "stem.h"

#include <string.h>

static int is_aeiou(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* 1 when w[i] is a consonant. A 'y' is a vowel after a consonant and a consonant otherwise, so a
 * run of y's alternates, starting from what the letter before the run makes the first one. */
static int is_cons(const char *w, size_t i) {
    if (is_aeiou(w[i]))
        return 0;
    if (w[i] != 'y')
        return 1;
    size_t start = i;
    while (start > 0 && w[start - 1] == 'y')
        start--;
    int first = start == 0 || is_aeiou(w[start - 1]);
    return (i - start) % 2 == 0 ? first : !first;
}

/* The paper's m: how many times a vowel is followed by a consonant in w[0..n), i.e. the m in
 * [C](VC){m}[V]. */
static size_t measure(const char *w, size_t n) {
    size_t m = 0;
    for (size_t i = 1; i < n; i++)
        if (!is_cons(w, i - 1) && is_cons(w, i))
            m++;
    return m;
}

/* The paper's *v*: w[0..n) holds a vowel. */
static int has_vowel(const char *w, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!is_cons(w, i))
            return 1;
    return 0;
}

/* The paper's *d: w[0..n) ends in a double consonant. FTS5 counts any doubled letter but a, e,
 * i, o, u, so "yy" is one too, though by the y rule one of the two is a vowel ("yying" -> "y"). */
static int ends_double(const char *w, size_t n) {
    return n >= 2 && w[n - 1] == w[n - 2] && !is_aeiou(w[n - 1]);
}

/* The paper's *o: w[0..n) ends consonant-vowel-consonant, the last not w, x or y ("hop", not
 * "snow"). */
static int ends_cvc(const char *w, size_t n) {
    if (n < 3 || !is_cons(w, n - 3) || is_cons(w, n - 2) || !is_cons(w, n - 1))
        return 0;
    return w[n - 1] != 'w' && w[n - 1] != 'x' && w[n - 1] != 'y';
}

/* 1 when w[0..n) ends in `suffix` with at least one byte before it. The paper lets a suffix be
 * the whole word; FTS5 does not, which shows where no condition on the stem rules an empty stem
 * out: "ies" gives "ie" (not "i"), "sses" gives "sse", and "eed" loses its "ed" ("e"). */
static int ends_n(const char *w, size_t n, const char *suffix, size_t s) {
    return n > s && w[n - 1] == suffix[s - 1] && memcmp(w + n - s, suffix, s) == 0;
}

/* ends_n for a string literal, its length known when compiled ("" makes anything else an
 * error rather than the size of a pointer). */
#define ends(w, n, suffix) ends_n(w, n, suffix, sizeof("" suffix) - 1)

/* Step 1a: plurals ("caresses", "ponies", "cats"; "caress" stays). */
static size_t step1a(const char *w, size_t n) {
    if (ends(w, n, "sses"))
        return n - 2;
    if (ends(w, n, "ies"))
        return n - 2;
    if (ends(w, n, "ss"))
        return n;
    return ends(w, n, "s") ? n - 1 : n;
}

/* After step 1b strips -ed or -ing from w[0..n): restores the e that "conflat(ed)" lost, undoes
 * the doubling of "hopp(ing)" (but keeps "fall", "hiss", "fizz") and the e of "fil(ing)". */
static size_t step1b_tidy(char *w, size_t n) {
    if (ends(w, n, "at") || ends(w, n, "bl") || ends(w, n, "iz")) {
        w[n] = 'e';
        return n + 1;
    }
    if (ends_double(w, n) && w[n - 1] != 'l' && w[n - 1] != 's' && w[n - 1] != 'z')
        return n - 1;
    if (measure(w, n) == 1 && ends_cvc(w, n)) {
        w[n] = 'e';
        return n + 1;
    }
    return n;
}

/* Step 1b: past tenses and participles. A word ending in "eed" keeps "ed" even when its stem is
 * too short to lose the "d" ("feed"). */
static size_t step1b(char *w, size_t n) {
    if (ends(w, n, "eed"))
        return measure(w, n - 3) > 0 ? n - 1 : n;
    if (ends(w, n, "ed") && has_vowel(w, n - 2))
        return step1b_tidy(w, n - 2);
    if (ends(w, n, "ing") && has_vowel(w, n - 3))
        return step1b_tidy(w, n - 3);
    return n;
}

/* Step 1c: a final y becomes i when the stem before it holds a vowel ("happy", not "sky"). */
static size_t step1c(char *w, size_t n) {
    if (ends(w, n, "y") && has_vowel(w, n - 1))
        w[n - 1] = 'i';
    return n;
}

typedef struct rule {
    const char *suffix, *replacement; /* the replacement is never longer than the suffix */
    size_t suffix_len, replacement_len;
} rule;

/* The lengths written down when compiled: a word is checked against some fifty rules, and each
 * strlen was a good part of a query's stemming. */
#define RULE(suffix, replacement)                                                                  \
    { suffix, replacement, sizeof("" suffix) - 1, sizeof("" replacement) - 1 }

/* The first rule whose suffix ends w[0..n) decides, and no other is tried: the paper applies
 * only the longest matching suffix, so the tables list a suffix before any shorter one it ends
 * with. That rule replaces its suffix when the stem before it has a measure over min_m. */
static size_t apply_rules(char *w, size_t n, const rule *rules, size_t count, size_t min_m) {
    for (size_t r = 0; r < count; r++) {
        if (!ends_n(w, n, rules[r].suffix, rules[r].suffix_len))
            continue;
        size_t stem = n - rules[r].suffix_len;
        if (measure(w, stem) <= min_m)
            return n;
        size_t add = rules[r].replacement_len;
        memcpy(w + stem, rules[r].replacement, add);
        return stem + add;
    }
    return n;
}

/* Step 2, as FTS5 has it: Porter's revision replaced the paper's abli -> able with bli -> ble and
 * added logi -> log. */
static const rule step2_rules[] = {
    RULE("ational", "ate"), RULE("tional", "tion"), RULE("enci", "ence"),   RULE("anci", "ance"),
    RULE("izer", "ize"),    RULE("bli", "ble"),     RULE("alli", "al"),     RULE("entli", "ent"),
    RULE("eli", "e"),       RULE("ousli", "ous"),   RULE("ization", "ize"), RULE("ation", "ate"),
    RULE("ator", "ate"),    RULE("alism", "al"),    RULE("iveness", "ive"), RULE("fulness", "ful"),
    RULE("ousness", "ous"), RULE("aliti", "al"),    RULE("iviti", "ive"),   RULE("biliti", "ble"),
    RULE("logi", "log"),
};

static const rule step3_rules[] = {
    RULE("icate", "ic"), RULE("ative", ""), RULE("alize", "al"), RULE("iciti", "ic"),
    RULE("ical", "ic"),  RULE("ful", ""),   RULE("ness", ""),
};

/* Step 4's suffixes, all removed outright; -ion is handled apart (it needs an s or t before). */
static const rule step4_rules[] = {
    RULE("al", ""),   RULE("ance", ""), RULE("ence", ""), RULE("er", ""),    RULE("ic", ""),
    RULE("able", ""), RULE("ible", ""), RULE("ant", ""),  RULE("ement", ""), RULE("ment", ""),
    RULE("ent", ""),  RULE("ou", ""),   RULE("ism", ""),  RULE("ate", ""),   RULE("iti", ""),
    RULE("ous", ""),  RULE("ive", ""),  RULE("ize", ""),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static size_t step4(char *w, size_t n) {
    if (ends(w, n, "ion")) {
        size_t stem = n - 3;
        int st = stem > 0 && (w[stem - 1] == 's' || w[stem - 1] == 't');
        return st && measure(w, stem) > 1 ? stem : n;
    }
    return apply_rules(w, n, step4_rules, COUNT(step4_rules), 1);
}

/* Step 5: drops a final e when the stem is long enough ("probate" -> "probat", "cease" ->
 * "ceas"; "rate" keeps it, its stem being a short *o), and makes a final ll single
 * ("controll", not "roll"). */
static size_t step5(const char *w, size_t n) {
    if (ends(w, n, "e")) {
        size_t m = measure(w, n - 1);
        if (m > 1 || (m == 1 && !ends_cvc(w, n - 1)))
            n--;
    }
    if (ends(w, n, "ll") && measure(w, n) > 1)
        n--;
    return n;
}

size_t pw_kb_stem(char *word, size_t len) {
    if (len < 3 || len > PW_KB_STEM_MAX)
        return len;
    size_t n = step1a(word, len);
    n = step1b(word, n);
    n = step1c(word, n);
    n = apply_rules(word, n, step2_rules, COUNT(step2_rules), 0);
    n = apply_rules(word, n, step3_rules, COUNT(step3_rules), 0);
    n = step4(word, n);
    return step5(word, n);
}
