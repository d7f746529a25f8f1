#!/usr/bin/env bash
# Instructions per request of `pagewise serve` under callgrind, one request at a time: widget
# message (new conversation, follow-up) and durable ticket. Repeatable on a busy
# machine, unlike req/s: use it to compare two builds.
#   tests/bench/server_callgrind.sh                   200 requests of each kind (about 3 minutes)
#   tests/bench/server_callgrind.sh --requests 100 --kinds tickets
# Uses build/server/pagewise as built (a Release build). Writes one callgrind file per kind to
# build/bench/callgrind/ (callgrind_annotate reads them). Reports, never asserts.
set -euo pipefail
cd "$(dirname "$0")/../.."

python=/usr/bin/python3
pagewise=${PW_BENCH_PAGEWISE:-build/server/pagewise} # another build to profile
out=build/bench/callgrind
admin=cg-admin-token-$RANDOM$RANDOM
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
work=$(mktemp -d "${TMPDIR:-/tmp}/pagewise-cg-XXXXXX")
mkdir -p "$work/data" "$out"
rm -f "$out"/*.callgrind
cat >"$work/config.json" <<JSON
{
  "listen": "127.0.0.1:$port",
  "data": "$work/data",
  "threads": 8,
  "limits": {"ip_per_minute": 1e9, "ip_burst": 1e9, "session_per_minute": 1e9, "session_burst": 1e9}
}
JSON

server=
stop() {
    [[ -n $server ]] && kill -TERM "$server" 2>/dev/null && wait "$server" || true
    rm -rf "$work"
}
trap stop EXIT

# GLIBC_TUNABLES set: `pagewise serve` would otherwise start itself again to set it
# (cli/thread_cache.c), and that exec would leave callgrind behind. Valgrind has its own malloc.
PAGEWISE_ADMIN_TOKEN=$admin GLIBC_TUNABLES=glibc.malloc.tcache_count=256 valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out.%p" \
    "$pagewise" serve --config "$work/config.json" --www www --widget "$work" \
    >"$work/server.log" 2>&1 &
server=$!
# callgrind_control -d writes each dump next to the server's --callgrind-out-file.
"$python" tests/bench/server_callgrind.py --base "http://127.0.0.1:$port" --pid "$server" \
    --admin "$admin" --out "$work" "$@"
mv "$work"/*.callgrind "$work/results.json" "$out"/
