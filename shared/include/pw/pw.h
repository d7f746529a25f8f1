/* The whole public core API in one include.
 * SPDX-License-Identifier: MIT */
#ifndef PW_PW_H
#define PW_PW_H

#include "pw/status.h"
#include "pw/alloc.h"
#include "pw/text.h"
#include "pw/model.h"
#include "pw/classify.h"
#include "pw/signals.h"
#include "pw/page.h"
#include "pw/struggle.h"
#include "pw/nudge.h"
#include "pw/decide.h"

#endif
