#!/bin/sh
# Fails when any C file of ours differs from what clang-format makes of it (.clang-format).
# SPDX-License-Identifier: MIT
set -eu
root=${1:?usage: format.sh SOURCE_DIR}
cd "$root"
files=$(find shared server widget tests -name node_modules -prune -o \( -name '*.c' -o -name '*.h' \) -print | sort)
[ -n "$files" ] || { echo "format.sh: no C files found under $root" >&2; exit 1; }
# shellcheck disable=SC2086
clang-format --dry-run --Werror $files
echo "clang-format: $(echo "$files" | wc -l) files clean"
