#!/usr/bin/env bash
# Knowledge-base retrieval beside SQLite FTS5 (tests/bench/kb_bench.c): builds kb_bench and runs
# it on synthetic knowledge bases of 51 to 5,000 articles with the demo's validation messages.
#   tests/bench/kb_bench.sh              build, then run the default sizes
#   tests/bench/kb_bench.sh 100 20000    other sizes
# Reports, never asserts.
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ -f build/CMakeCache.txt ]] || cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target kb_bench >/dev/null
sizes=("$@")
((${#sizes[@]})) || sizes=(51 500 2000 5000)
build/tests/kb_bench tests/data/demo_kb.json tests/data/demo_valid.jsonl "${sizes[@]}"
