#!/usr/bin/python3
"""Benchmark driver for Pagewise's own classifier, shaped like the peers (README.md).

Usage: /usr/bin/python3 pagewise_bench.py --pagewise BIN --widget DIR --work DIR
           --train T --valid V --test X --name NAME [--oos-label oos] [--quick]
           [--widget-budget BYTES]

Picks `pagewise train` flags by validation accuracy: each grid configuration trains on T with
`--valid V --refit 0`, so V sets its temperature and out-of-scope threshold (as the peers' V
sets theirs) but never its weights, and is scored on V. The best is reported as
"pagewise (train only)", the data the peers' first rows saw. The chosen flags then train the
model a user gets by default, `--valid V` with refit: calibrated on V, then trained again on
T + V (compare it with the peers' refit rows). It is evaluated once on X, exported for the
widget within a gzip size budget and evaluated again; every model is also timed under wasm
with wasm_speed.mjs. Prints three JSON lines, "pagewise", "pagewise (widget export)" and
"pagewise (train only)"; progress goes to stderr.
"""

import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
import common  # noqa: E402

WASM_SPEED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wasm_speed.mjs")

# 9 configurations around the trainer's defaults (pw_train_options_default); ties keep
# the earlier, cheaper one. --quick trains the defaults only.
FULL_GRID = [
    {"epochs": epochs, "char-max": char_max}
    for epochs, char_max in itertools.product((5, 10, 15), (4, 5, 6))
]
QUICK_GRID = [{}]
# The target for the widget model: at most 1 MB on the wire.
WIDGET_BUDGET = 1_000_000
TIMING_REPEATS = 3


def run(command):
    """Runs a command, returns its stdout; on failure shows its stderr and stops the bench."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        sys.exit(f"[pagewise] failed ({done.returncode}): {' '.join(command)}")
    return done.stdout


def flag_args(flags):
    return [arg for name, value in flags.items() for arg in (f"--{name}", str(value))]


def train(args, flags, out):
    """Trains one model; returns the wall seconds of the whole `pagewise train` process."""
    command = [args.pagewise, "train", "--data", args.train, "--valid", args.valid, "--out", out]
    start = time.perf_counter()
    run(command + flag_args(flags))
    return time.perf_counter() - start


def evaluate(args, model, data):
    command = [args.pagewise, "eval", "--model", model, "--data", data, "--json"]
    if args.oos_label != "oos":
        command += ["--oos-label", args.oos_label]
    return json.loads(run(command))


def wasm_speed(args, model):
    """{us_per_message, accuracy} of `model` in the wasm core under Node, or {} when it fails.

    A missing or broken widget build must not cost the native numbers, so the failure is
    logged and the table shows a dash.
    """
    command = ["node", WASM_SPEED, "--widget", args.widget, "--model", model, "--data", args.test,
               "--oos-label", args.oos_label]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        common.log(f"[pagewise] wasm timing failed: {done.stderr.strip()}")
        return {}
    return json.loads(done.stdout)


def base_flags(args):
    """Flags every training gets, on top of the grid's.

    Like the peers, the out-of-scope operating point exists only when the training data has
    out-of-scope rows: on a closed-set data set (BANKING77) a threshold could only turn right
    answers into rejections, so the rejection rate is set to 0 there.
    """
    _, labels = common.load_jsonl(args.train)
    flags = {} if args.oos_label in set(labels) else {"reject-rate": 0}
    if args.oos_label != "oos":
        flags["oos-label"] = args.oos_label
    return flags


def tune(args):
    """Trains every grid configuration on T alone; keeps the best on V.

    Returns {flags, accuracy, model, seconds}; ties keep the earlier configuration.
    """
    best = None
    for n, flags in enumerate(QUICK_GRID if args.quick else FULL_GRID):
        model = os.path.join(args.work, f"{args.name}-train-only-{n}.pwm")
        seconds = train(args, dict(base_flags(args), **flags, refit=0), model)
        accuracy = evaluate(args, model, args.valid)["accuracy"]
        common.log(f"[pagewise] {args.name} {flags or 'defaults'} valid_accuracy={accuracy:.4f} "
                   f"train={seconds:.1f}s")
        if best is None or accuracy > best["accuracy"]:
            if best is not None:
                os.remove(best["model"])
            best = {"flags": flags, "accuracy": accuracy, "model": model, "seconds": seconds}
        else:
            os.remove(model)
    return best


def export(args, model, out, max_features):
    """Writes the widget export of `model`; returns (features kept, features in all, seconds)."""
    command = [args.pagewise, "export", "--model", model, "--out", out,
               "--max-features", str(max_features)]
    start = time.perf_counter()
    # "wrote FILE: N bytes, M gzipped; K of F features"
    kept = re.search(r"(\d+) of (\d+) features", run(command))
    seconds = time.perf_counter() - start
    if not kept:
        sys.exit("[pagewise] cannot read the feature counts from `pagewise export`")
    return int(kept.group(1)), int(kept.group(2)), seconds


def export_within_budget(args, model, out):
    """Exports `model` with about the most features whose gzip -9 fits args.widget_budget.

    A size rule, not tuning: no accuracy is looked at. The compressed size grows about in
    proportion to the features kept, so each try scales the count by budget / size (1% under,
    so the steps shrink from above); returns (max_features passed, seconds of the last export).
    """
    max_features = 0
    for tries in range(1, 9):
        kept, total, seconds = export(args, model, out, max_features)
        with open(out, "rb") as f:
            size = common.gzip_size(f.read())
        if size <= args.widget_budget or tries == 8:
            return max_features, seconds
        max_features = max(1, int(kept * args.widget_budget / size * 0.99))
        common.log(f"[pagewise] widget export: {kept} of {total} features are {size} bytes "
                   f"gzipped; trying {max_features}")


def result_row(system, args, model, seconds, params):
    """One JSON line: the native eval of `model` on test, its wasm timing and its size.

    `pagewise eval` times one pass; the best of TIMING_REPEATS runs is the figure least
    disturbed by other processes, as for wasm_speed.mjs and the fastText peer.
    """
    evaluation = evaluate(args, model, args.test)
    us_per_message = min([evaluation["us_per_message"]] + [
        evaluate(args, model, args.test)["us_per_message"] for _ in range(TIMING_REPEATS - 1)])
    wasm = wasm_speed(args, model)
    with open(model, "rb") as f:
        data = f.read()
    row = {"system": system, "dataset": args.name}
    for key in ("accuracy", "macro_f1", "in_scope_accuracy", "oos_recall", "oos_precision",
                "ece", "rows"):
        row[key] = evaluation.get(key)
    row.update({
        "train_seconds": round(seconds, 3),
        "us_per_message": us_per_message,
        "us_per_message_wasm": wasm.get("us_per_message"),
        "wasm_accuracy": wasm.get("accuracy"),
        "model_bytes": len(data),
        "model_gz_bytes": common.gzip_size(data),
        "params": params,
    })
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("--pagewise", "--widget", "--work", "--train", "--valid", "--test", "--name"):
        parser.add_argument(name, required=True)
    parser.add_argument("--oos-label", default="oos")
    parser.add_argument("--quick", action="store_true", help="train the defaults only, no grid")
    parser.add_argument("--widget-budget", type=int, default=WIDGET_BUDGET,
                        help="gzip -9 bytes the widget export may take")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)

    best = tune(args)
    params = dict(best["flags"], valid_accuracy=round(best["accuracy"], 4))
    train_only = result_row("pagewise (train only)", args, best["model"], best["seconds"],
                            dict(params, refit=0))

    model = os.path.join(args.work, f"{args.name}.pwm")
    seconds = train(args, dict(base_flags(args), **best["flags"]), model)
    common.emit(result_row("pagewise", args, model, seconds, params))

    widget = os.path.join(args.work, f"{args.name}-widget.pwm")
    max_features, export_seconds = export_within_budget(args, model, widget)
    # The widget model costs its training plus the export step.
    common.emit(result_row("pagewise (widget export)", args, widget, seconds + export_seconds,
                           dict(params, max_features=max_features)))
    common.emit(train_only)

if __name__ == "__main__":
    main()
