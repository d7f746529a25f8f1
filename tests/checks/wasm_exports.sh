#!/bin/sh
# Every public core function (a declaration `... pw_name(` in shared/include/pw/*.h) must be in
# the wasm export allowlist, directly or as its pw_name_wasm shim, or be excluded with a reason
# in exports-excluded.txt. Every allowlisted shim must wrap a public function (or be a scratch
# helper), so the list cannot rot in either direction.
# SPDX-License-Identifier: MIT
set -eu
root=${1:?usage: wasm_exports.sh SOURCE_DIR}
exports="$root/widget/wasm/exports.txt"
excluded="$root/widget/wasm/exports-excluded.txt"
public=$(cat "$root"/shared/include/pw/*.h | tr '\n' ' ' | tr ';' '\n' |
    grep -oE '[a-z_][a-z_0-9 ]*[ *](pw_[a-z0-9_]+)\(' | grep -oE 'pw_[a-z0-9_]+\($' |
    tr -d '(' | sort -u)
listed=$(grep -E '^[a-z_0-9]+$' "$exports" | sort -u)
skipped=$(grep -E '^[a-z_0-9]+ ' "$excluded" | cut -d' ' -f1 | sort -u || true)
status=0
for fn in $public; do
    if ! echo "$listed" | grep -qxE "${fn}(_wasm)?" && ! echo "$skipped" | grep -qx "$fn"; then
        echo "wasm_exports: $fn is public but neither exported nor excluded" >&2
        status=1
    fi
done
for fn in $listed; do
    base=${fn%_wasm}
    case "$fn" in pw_scratch_*|pw_layout_*) continue ;; esac
    if ! echo "$public" | grep -qx "$base"; then
        echo "wasm_exports: $fn is exported but $base is not a public core function" >&2
        status=1
    fi
done
for fn in $skipped; do
    grep -qE "^$fn [^ ]" "$excluded" || { echo "wasm_exports: $fn excluded without a reason" >&2; status=1; }
done
[ $status -eq 0 ] && echo "wasm_exports: $(echo "$public" | wc -l) public functions accounted for"
exit $status
