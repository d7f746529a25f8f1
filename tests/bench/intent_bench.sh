#!/usr/bin/env bash
# The intent benchmark in one command: Pagewise's classifier beside fastText and scikit-learn on
# BANKING77 and CLINC150, each tuned on validation data only (tests/bench/README.md).
#   tests/bench/intent_bench.sh            install, build (Release), tune, measure, report
#   tests/bench/intent_bench.sh --quick    no hyper-parameter grid for Pagewise (defaults only)
#   tests/bench/intent_bench.sh --no-build skip bootstrap and build (the build must be current)
# Prints one table per data set and writes it with the machine's details to
# build/bench/intent-results.md. Reports numbers, never asserts them.
set -euo pipefail
cd "$(dirname "$0")/../.."

quick=()
build=1
for arg in "$@"; do
    case $arg in
    --quick) quick=(--quick) ;;
    --no-build) build=0 ;;
    *) echo "usage: $0 [--quick] [--no-build]" >&2 && exit 2 ;;
    esac
done

# The system python has python3-sklearn; a pyenv or venv python on PATH would not.
python=/usr/bin/python3
out=build/bench
data=$out/data
results=$out/results.jsonl
pagewise=build/server/pagewise
datasets=(banking77 clinc150)
SECONDS=0

step() { printf '\n== %s\n' "$*" >&2; }

if ((build)); then
    step "bootstrap and Release build"
    script/bootstrap --bench
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j2
fi

step "splits (fixed seed) into $data"
mkdir -p "$out"
"$python" tests/bench/peers/split.py --data-dir ../shared/data --out "$data"
: >"$results"

# A pagewise without the classifier subcommands still lets the peers run; the bench then fails.
ours=1
if ! "$pagewise" help 2>/dev/null | grep -qw train; then
    echo "intent_bench: $pagewise has no 'train' command: Pagewise rows skipped" >&2
    ours=0
fi

for ds in "${datasets[@]}"; do
    splits=(--train "$data/${ds}_train.jsonl" --valid "$data/${ds}_valid.jsonl"
        --test "$data/${ds}_test.jsonl" --name "$ds" --oos-label oos)
    if ((ours)); then
        step "pagewise on $ds"
        "$python" tests/bench/pagewise_bench.py --pagewise "$pagewise" --widget build/dist/widget \
            --work "$out/models" "${splits[@]}" "${quick[@]}" >>"$results"
    fi
    for peer in fasttext sklearn; do
        step "$peer on $ds"
        "$python" "tests/bench/peers/${peer}_peer.py" "${splits[@]}" >>"$results"
    done
done

step "results"
"$python" tests/bench/report.py --results "$results" --markdown "$out/intent-results.md" \
    --widget build/dist/widget --command "tests/bench/intent_bench.sh${*:+ $*}" --elapsed "$SECONDS"
echo "intent_bench: $SECONDS s in all" >&2
((ours)) || exit 1
