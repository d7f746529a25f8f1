#!/usr/bin/python3
"""Side-by-side table of the intent benchmark: one row per system, one table per data set.

Usage: report.py --results results.jsonl --markdown OUT.md [--widget DIR] [--command CMD]
           [--elapsed SECONDS]

Reads the JSON lines the peers and pagewise_bench.py printed, prints the tables as plain text
and writes them as markdown to OUT.md with the machine, tool versions, the chosen parameters
and (with --widget) the sizes of the built widget files. Reports numbers, never asserts.
"""

import argparse
import gzip
import json
import os
import subprocess

COLUMNS = ("system", "accuracy", "in-scope acc", "oos recall", "oos precision", "ECE",
           "train s", "µs/msg native", "µs/msg wasm", "model MB", "gz MB")
DATASET_ORDER = ("banking77", "clinc150")
SYSTEM_ORDER = ("pagewise", "pagewise (widget export)", "pagewise (train only)",
                "fasttext", "fasttext (refit train+valid)",
                "sklearn-tfidf-linearsvc", "sklearn-tfidf-linearsvc (refit train+valid)")
PACKAGES = ("fasttext", "python3-sklearn", "nodejs", "emscripten", "gcc")


def percent(value):
    return "—" if value is None else f"{100 * value:.1f}%"


def number(value, digits):
    return "—" if value is None else f"{value:.{digits}f}"


def megabytes(value):
    return "—" if value is None else f"{value / 1e6:.2f}"


def native_speed(row):
    """µs/msg as each system was measured; the footnotes say how."""
    one = number(row.get("us_per_message"), 1)
    if row.get("us_per_message_batch") is not None:
        return f"{one} ({number(row['us_per_message_batch'], 1)} batch)"
    if row["system"].startswith("fasttext"):
        return f"{one} (batch)"
    return one


def cells(row):
    return (row["system"], percent(row.get("accuracy")), percent(row.get("in_scope_accuracy")),
            percent(row.get("oos_recall")), percent(row.get("oos_precision")),
            number(row.get("ece"), 3), number(row.get("train_seconds"), 1), native_speed(row),
            number(row.get("us_per_message_wasm"), 1), megabytes(row.get("model_bytes")),
            megabytes(row.get("model_gz_bytes")))


def sort_key(name, order):
    """Known names in their fixed order, then any others alphabetically."""
    return (order.index(name) if name in order else len(order), name)


def by_dataset(rows):
    tables = {}
    for row in rows:
        tables.setdefault(row["dataset"], []).append(row)
    names = sorted(tables, key=lambda name: sort_key(name, DATASET_ORDER))
    return [(name, sorted(tables[name], key=lambda r: sort_key(r["system"], SYSTEM_ORDER)))
            for name in names]


def text_table(rows):
    lines = [COLUMNS] + [cells(row) for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    # System names left-aligned, numbers right-aligned.
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(line, widths)))
        for line in lines)


def markdown_table(rows):
    lines = ["| " + " | ".join(COLUMNS) + " |",
             "| --- |" + " ---: |" * (len(COLUMNS) - 1)]
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def shell(command):
    done = subprocess.run(command, shell=True, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def machine_lines():
    cpu = shell("lscpu | grep 'Model name'").split(":", 1)[-1].strip()
    versions = shell("dpkg-query -W -f='${Package} ${Version}, ' " + " ".join(PACKAGES))
    return [f"- Date: {shell('date')}",
            f"- Machine: {shell('nproc')} cores (`nproc`), CPU {cpu}",
            f"- Packages: {versions.rstrip(', ')}"]


def widget_lines(widget_dir):
    lines = []
    for name in sorted(os.listdir(widget_dir)):
        with open(os.path.join(widget_dir, name), "rb") as f:
            data = f.read()
        lines.append(f"- `{name}`: {len(data):,} bytes, {len(gzip.compress(data, 9)):,} gzip -9")
    return lines


def warnings(rows):
    """Rows whose wasm predictions disagree with the native eval of the same model."""
    return [f"- **{row['dataset']} / {row['system']}: wasm accuracy "
            f"{percent(row['wasm_accuracy'])} differs from native {percent(row['accuracy'])}**"
            for row in rows
            if row.get("wasm_accuracy") is not None
            and abs(row["wasm_accuracy"] - row["accuracy"]) > 1e-9]


def markdown(tables, rows, args):
    out = ["# Intent classifier benchmark", ""]
    if args.command:
        elapsed = f" ({float(args.elapsed):.0f} s in all)" if args.elapsed else ""
        out += [f"Command: `{args.command}`{elapsed}", ""]
    out += machine_lines() + [""]
    for name, table in tables:
        out += [f"## {name}", "", markdown_table(table), ""]
    out += ["Columns and how each is measured: tests/bench/README.md.", "",
            "## Chosen parameters (validation only)", ""]
    out += [f"- {row['dataset']} / {row['system']}: `{json.dumps(row.get('params'))}`"
            for _, table in tables for row in table]
    out += warnings(rows)
    if args.widget and os.path.isdir(args.widget):
        out += ["", "## Widget build", ""] + widget_lines(args.widget)
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True)
    parser.add_argument("--markdown", required=True)
    parser.add_argument("--widget")
    parser.add_argument("--command")
    parser.add_argument("--elapsed")
    args = parser.parse_args()

    with open(args.results, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    tables = by_dataset(rows)
    for name, table in tables:
        print(f"\n{name}\n{text_table(table)}")
    for line in warnings(rows):
        print(line)
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write(markdown(tables, rows, args))
    print(f"\nwritten: {args.markdown}")


if __name__ == "__main__":
    main()
