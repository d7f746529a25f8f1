#!/usr/bin/env bash
# The server benchmark in one command: `pagewise serve` (Release) on a temporary data directory,
# loaded by wrk: a static file (the ceiling), widget messages through the whole pipeline, durable
# ticket creation, and the inbox with 10,000 open conversations (tests/bench/README.md).
#   tests/bench/server_bench.sh                 install, build, run (about 4 minutes on 2 cores)
#   tests/bench/server_bench.sh --no-build      skip bootstrap and build (the build must be current)
#   tests/bench/server_bench.sh --duration 5    seconds per phase (default 15)
#   tests/bench/server_bench.sh --keep          keep the data directory for inspection
#   tests/bench/server_bench.sh -- --phases tickets-500,tickets-64 --open 0
#                                               anything after -- goes to server_bench.py
# Prints a table and writes it with the machine's details to build/bench/server-results.md
# (and one JSON line per phase to build/bench/server-results.jsonl). Reports, never asserts.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=1
keep=0
duration=15
connections=500
args=("$@")
driver=()
while (($#)); do
    case $1 in
    --no-build) build=0 ;;
    --keep) keep=1 ;;
    --duration) duration=${2:?--duration needs seconds} && shift ;;
    --) shift && driver=("$@") && break ;;
    *)
        echo "usage: $0 [--no-build] [--duration SECONDS] [--keep] [-- DRIVER OPTIONS]" >&2
        exit 2
        ;;
    esac
    shift
done

python=/usr/bin/python3
pagewise=${PW_BENCH_PAGEWISE:-build/server/pagewise} # another build, for an A/B run with --no-build
out=build/bench
admin=bench-admin-token-$RANDOM$RANDOM$RANDOM

step() { printf '\n== %s\n' "$*" >&2; }

if ((build)); then
    step "bootstrap and Release build"
    script/bootstrap --bench
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j2 --target pagewise demo_model
elif ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' build/CMakeCache.txt 2>/dev/null; then
    echo "server_bench: build/ is not a Release build: run without --no-build" >&2
    exit 1
fi
if ! command -v wrk >/dev/null; then
    echo "server_bench: wrk is missing (script/bootstrap --bench)" >&2
    exit 1
fi
# What was measured: the commit, and whether the tree had changes (an export has no .git).
revision=${PW_BENCH_REVISION:-$(git describe --always --dirty 2>/dev/null || echo "not a git tree")}

# A free port, asked of the kernel; the demo app allows this address as an origin.
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
work=$(mktemp -d "${TMPDIR:-/tmp}/pagewise-bench-XXXXXX")
mkdir -p "$work/data" "$out"
# civetweb serves a keep-alive connection on one thread for as long as it lives: at least one
# thread per connection, plus room for the setup's own clients. Limits are out of the way:
# this measures the server, not its rate limiter.
cat >"$work/config.json" <<EOF
{
  "listen": "127.0.0.1:$port",
  "data": "$work/data",
  "threads": $((connections + 40)),
  "limits": {"ip_per_minute": 1e9, "ip_burst": 1e9, "session_per_minute": 1e9, "session_burst": 1e9}
}
EOF

server=
stop() {
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server"
        wait "$server" || true
    fi
    if ((keep)); then echo "server_bench: data kept in $work" >&2; else rm -rf "$work"; fi
}
trap stop EXIT

step "pagewise serve on 127.0.0.1:$port (data in $work)"
widget=build/dist/widget
[[ -d $widget ]] || widget=$work # the pages are not measured: any directory will do
PAGEWISE_ADMIN_TOKEN=$admin "$pagewise" serve --config "$work/config.json" --www www \
    --widget "$widget" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
    "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
        "http://127.0.0.1:$port/api/v1/health" 2>/dev/null && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2 && exit 1; }
    sleep 0.1
done

step "setup and measurements"
"$python" tests/bench/server_bench.py --base "http://127.0.0.1:$port" --pid "$server" \
    --db "$work/data/pagewise.db" --admin "$admin" --out "$work/files" --duration "$duration" \
    --connections "$connections" --markdown "$out/server-results.md" \
    --jsonl "$out/server-results.jsonl" --revision "$revision" \
    --command "tests/bench/server_bench.sh${args[*]:+ ${args[*]}}" "${driver[@]}"
if grep -q '"level":"error"' "$work/server.log"; then
    echo "server_bench: the server logged errors:" >&2
    grep '"level":"error"' "$work/server.log" | head -5 >&2
fi
