#!/usr/bin/env python3
"""Write the fixed train/valid/test splits used by the peer benchmarks.

Usage: split.py --data-dir /work/shared/data --out DIR

Writes into DIR:
  banking77_train.jsonl  BANKING77 train minus a 10% per-label holdout, shuffled
  banking77_valid.jsonl  the holdout (BANKING77 ships no validation split)
  banking77_test.jsonl   copy of banking77/test.jsonl
  clinc150_train.jsonl   clinc150/train.jsonl (in-scope + oos rows), shuffled
  clinc150_valid.jsonl   copy of clinc150/val.jsonl
  clinc150_test.jsonl    copy of clinc150/test.jsonl

Only the standard library is used and every random choice comes from one
random.Random(SEED), so the output is byte-identical on every run.
"""

import argparse
import json
import os
import random
import shutil

SEED = 1234
VALID_FRACTION = 0.1


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows):
    # newline="\n" and a fixed key order keep the bytes identical across platforms.
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            record = {"text": row["text"], "label": row["label"]}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def stratified_holdout(rows, fraction, rng):
    """Split rows into (train, valid), holding out `fraction` of every label."""
    by_label = {}
    for row in rows:
        by_label.setdefault(row["label"], []).append(row)
    train, valid = [], []
    # Sorted labels: the rng sequence must not depend on dict or file order.
    for label in sorted(by_label):
        group = list(by_label[label])
        rng.shuffle(group)
        n_valid = max(1, round(len(group) * fraction))
        valid.extend(group[:n_valid])
        train.extend(group[n_valid:])
    return train, valid


def split_banking77(data_dir, out_dir, rng):
    rows = read_jsonl(os.path.join(data_dir, "banking77", "train.jsonl"))
    train, valid = stratified_holdout(rows, VALID_FRACTION, rng)
    # The source file is sorted by label; SGD learners such as fastText need mixed order.
    rng.shuffle(train)
    write_jsonl(os.path.join(out_dir, "banking77_train.jsonl"), train)
    write_jsonl(os.path.join(out_dir, "banking77_valid.jsonl"), valid)
    shutil.copyfile(os.path.join(data_dir, "banking77", "test.jsonl"),
                    os.path.join(out_dir, "banking77_test.jsonl"))


def split_clinc150(data_dir, out_dir, rng):
    train = read_jsonl(os.path.join(data_dir, "clinc150", "train.jsonl"))
    # Sorted by label with the oos rows last; shuffle for the same reason as above.
    rng.shuffle(train)
    write_jsonl(os.path.join(out_dir, "clinc150_train.jsonl"), train)
    shutil.copyfile(os.path.join(data_dir, "clinc150", "val.jsonl"),
                    os.path.join(out_dir, "clinc150_valid.jsonl"))
    shutil.copyfile(os.path.join(data_dir, "clinc150", "test.jsonl"),
                    os.path.join(out_dir, "clinc150_test.jsonl"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="folder holding banking77/ and clinc150/")
    parser.add_argument("--out", required=True, help="output folder (created if missing)")
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(SEED)
    # Fixed call order: both datasets draw from the same rng stream.
    split_banking77(args.data_dir, args.out, rng)
    split_clinc150(args.data_dir, args.out, rng)


if __name__ == "__main__":
    main()
