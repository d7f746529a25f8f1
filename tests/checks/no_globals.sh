#!/bin/sh
# The core must hold no mutable global state (STYLE.md §3): its objects may define code and
# read-only data only. nm types D/d (data), B/b (bss), G/g/S/s (small data/bss), C (common)
# and V/v (weak objects in data) all mean writable storage.
# SPDX-License-Identifier: MIT
set -eu
lib=${1:?usage: no_globals.sh LIBRARY.a}
bad=$(nm -A "$lib" | awk '$(NF-1) ~ /^[DdBbGgSsCVv]$/')
if [ -n "$bad" ]; then
    echo "no_globals.sh: the core defines writable data (make it const, or pass it in):" >&2
    echo "$bad" >&2
    exit 1
fi
echo "no_globals: $(nm -A "$lib" | awk '$(NF-1) ~ /^[Tt]$/' | wc -l) functions, no writable data"
