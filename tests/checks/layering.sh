#!/bin/sh
# The core's include rules (STYLE.md §1): shared/ includes only its own headers ("pw/...",
# "*_int.h") and the C standard library, never server/, widget/ or a third-party library; and
# each core module includes public headers of its own layer and the layers below only.
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

# The layers (STYLE.md §1): util -> text -> {model + classify, signals}; page -> struggle ->
# nudge; decide on top. Each core file may include the public headers of its own layer and of
# the layers below it, nothing above or beside.
module_of() {
    case "$1" in
    */include/pw/*.h) basename "$1" .h ;;
    */src/status.c | */src/alloc* | */src/utf8* | */src/hash* | */src/crc32* | */src/mathx* | \
        */src/rng* | */src/sort*) echo util ;;
    */src/text* | */src/tokenize*) echo text ;;
    */src/features* | */src/model* | */src/train* | */src/calibrate*) echo model ;;
    */src/classify*) echo classify ;;
    */src/signals*) echo signals ;;
    */src/page*) echo page ;;
    */src/struggle*) echo struggle ;;
    */src/nudge*) echo nudge ;;
    */src/decide* | */src/policy*) echo decide ;;
    *) echo unknown ;;
    esac
}
allowed() { # the public headers module $1 may include
    case "$1" in
    status | alloc | util) echo "status alloc" ;;
    text) echo "status alloc text" ;;
    model) echo "status alloc text model" ;;
    classify) echo "status alloc text model classify" ;;
    signals) echo "status alloc text signals" ;;
    page) echo "status alloc page" ;;
    struggle) echo "status alloc page struggle" ;;
    nudge) echo "status alloc page struggle nudge" ;;
    decide | pw) echo "status alloc text model classify signals page struggle nudge decide" ;;
    esac
}
status=0
for f in "$root"/shared/include/pw/*.h "$root"/shared/src/*.c "$root"/shared/src/*.h; do
    m=$(module_of "$f")
    if [ "$m" = unknown ]; then
        echo "layering.sh: $f belongs to no layer: add it to module_of" >&2
        status=1
        continue
    fi
    for inc in $(sed -n 's/^#include "pw\/\([a-z_]*\)\.h".*/\1/p' "$f"); do
        case " $(allowed "$m") " in
        *" $inc "*) ;;
        *)
            echo "layering.sh: $f ($m) includes pw/$inc.h, which is not below it" >&2
            status=1
            ;;
        esac
    done
done
[ $status -eq 0 ] && echo "layering: every core file includes only its layer and the ones below"
exit $status
