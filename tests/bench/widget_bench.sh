#!/usr/bin/env bash
# The widget benchmark in one command (tests/bench/README.md, "The widget"):
#   - the core's cost per DOM event, natively (struggle_speed) and in the widget's wasm through
#     core.js (struggle_speed.mjs), on the same seeded session of 200,000 events;
#   - in Chromium, on the demo served by `pagewise serve` (widget_browser.mjs): the bytes a host
#     page downloads, the time from the script tag to ready, and the main thread during a
#     scripted session with and without the widget;
#   - beside the published sizes of other support widgets.
#   tests/bench/widget_bench.sh               install, build, run (about 2 minutes on 2 cores)
#   tests/bench/widget_bench.sh --no-build    skip bootstrap and build (the build must be current)
#   tests/bench/widget_bench.sh --loads 30    page loads per cache state (default 20)
# Prints a report and writes it to build/bench/widget-results.md (the JSON lines beside it in
# build/bench/widget-results.jsonl). Reports numbers, never asserts.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=1
loads=20
while (($#)); do
    case $1 in
    --no-build) build=0 ;;
    --loads) loads=${2:?--loads needs a count} && shift ;;
    *)
        echo "usage: $0 [--no-build] [--loads N]" >&2
        exit 2
        ;;
    esac
    shift
done

out=build/bench
step() { printf '\n== %s\n' "$*" >&2; }

if ((build)); then
    step "bootstrap and Release build"
    script/bootstrap
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j2 --target pagewise demo_model widget struggle_speed
elif ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' build/CMakeCache.txt 2>/dev/null; then
    echo "widget_bench: build/ is not a Release build: run without --no-build" >&2
    exit 1
fi
revision=${PW_BENCH_REVISION:-$(git describe --always --dirty 2>/dev/null || echo "not a git tree")}
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/pagewise-widget-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

step "the core per event: native, then wasm on the same calls"
native=$(build/tests/struggle_speed --dump "$work/calls.jsonl")
detections=$(sed -E 's/.*"detections":([0-9]+).*/\1/' <<<"$native")
wasm=$(node tests/bench/struggle_speed.mjs --widget build/dist/widget --calls "$work/calls.jsonl" \
    --detections "$detections")

step "Chromium on the demo ($loads loads per cache state)"
browser=$(PW_BIN=build/server/pagewise PW_WWW_DIR=www PW_WIDGET_DIR=build/dist/widget \
    node tests/bench/widget_browser.mjs --loads "$loads")

ns() { sed -E 's/.*"ns_per_event":([0-9.]+).*/\1/' <<<"$1"; }
{
    echo "# Widget benchmark"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), revision $revision; $(nproc) cores," \
        "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1);" \
        "$(/usr/bin/chromium --version 2>/dev/null | head -1); node $(node --version);" \
        "command: tests/bench/widget_bench.sh --loads $loads"
    echo
    echo "| the core per event (pw_struggle_feed, one event a call, ticks included) | ns/event |"
    echo "| --- | ---: |"
    echo "| native (the Release build, gcc -O3) | $(ns "$native") |"
    echo "| wasm in Node, through core.js as the widget calls it | $(ns "$wasm") |"
    grep -q parity <<<"$wasm" && echo && echo "**parity:** $(sed -E 's/.*"parity":"([^"]*)".*/\1/' <<<"$wasm")"
    grep -v '^WIDGETBENCH ' <<<"$browser"
    echo
    echo "| other support widgets (their published figures, not measured here) | size |"
    echo "| --- | ---: |"
    echo "| Crisp (advertised) | ~130 KB |"
    echo "| Chatwoot (measured by a third party) | 170 KiB |"
    echo "| Intercom (Messenger, as reported) | ~210+ KB |"
} | tee "$out/widget-results.md"
{
    echo "$native"
    echo "$wasm"
    sed -n 's/^WIDGETBENCH //p' <<<"$browser"
} >"$out/widget-results.jsonl"
echo >&2
echo "widget_bench: wrote $out/widget-results.md and $out/widget-results.jsonl" >&2
