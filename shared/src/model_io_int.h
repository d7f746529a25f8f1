/* Model file internals shared by the writer (model_io.c), the compact export
 * (model_export.c) and the loader (model_load.c).
 * SPDX-License-Identifier: MIT */
#ifndef PW_MODEL_IO_INT_H
#define PW_MODEL_IO_INT_H

#include "model_int.h"

#include <stddef.h>
#include <stdint.h>

#define PW__MODEL_VERSION 1u

/* Section tags: four ASCII characters read as a little-endian u32. */
#define PW__TAG(a, b, c, d)                                                                        \
    ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define PW__TAG_META        PW__TAG('M', 'E', 'T', 'A')
#define PW__TAG_LABELS      PW__TAG('L', 'A', 'B', 'L')
#define PW__TAG_KEYS        PW__TAG('K', 'E', 'Y', 'S')
#define PW__TAG_IDF         PW__TAG('I', 'D', 'F', ' ')
#define PW__TAG_BIAS        PW__TAG('B', 'I', 'A', 'S')
#define PW__TAG_WEIGHTS_F32 PW__TAG('W', 'F', '3', '2')
#define PW__TAG_WEIGHTS_Q8  PW__TAG('W', 'Q', '8', ' ')

/* A bounded output cursor: writes what fits, counts everything (the needed size). */
typedef struct pw__writer {
    uint8_t *out;
    size_t cap, len;
} pw__writer;

void pw__put_bytes(pw__writer *w, const void *p, size_t n);
void pw__put_u32(pw__writer *w, uint32_t v);
void pw__put_f32(pw__writer *w, float f);
void pw__put_f64(pw__writer *w, double d);
void pw__write_header(pw__writer *w, uint32_t sections);
/* Returns the payload start to hand to pw__section_end. */
size_t pw__section_begin(pw__writer *w, uint32_t tag);
void pw__section_end(pw__writer *w, size_t payload_start);
/* META, LABL, KEYS, IDF and BIAS for the rows listed in `rows` (NULL = rows 0..n_rows-1). */
void pw__write_common(pw__writer *w, const pw_model *m, const uint32_t *rows, uint32_t n_rows);

#endif
