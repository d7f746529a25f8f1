#!/bin/sh
# The core's include rule (STYLE.md §1): shared/ includes only its own headers ("pw/...",
# "*_int.h") and the C standard library, never server/, widget/ or a third-party library.
# SPDX-License-Identifier: MIT
set -eu
root=${1:?usage: layering.sh SOURCE_DIR}
std='assert|ctype|errno|float|inttypes|limits|math|stdarg|stdbool|stddef|stdint|stdio|stdlib|string'
bad=$(grep -rnE '^#include' "$root/shared" |
    grep -vE "#include \"(pw/[a-z_]+\.h|[a-z_0-9]+_int\.h)\"" |
    grep -vE "#include <($std)\.h>" || true)
if [ -n "$bad" ]; then
    echo "layering.sh: shared/ may include only its own headers and the C standard library:" >&2
    echo "$bad" >&2
    exit 1
fi
echo "layering: shared/ includes only the core and the C standard library"
