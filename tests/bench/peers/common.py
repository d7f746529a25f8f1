"""Pieces every peer shares: reading the splits, the out-of-scope operating point, metrics, output.

The out-of-scope rule is the one in issue 3 and the one Pagewise's own trainer uses
(`reject_rate` in shared/include/pw/model.h): the confidence threshold is the largest value that
rejects at most REJECT_RATE of the in-scope validation queries. It is picked on validation only
and never looks at the out-of-scope validation rows, so it cannot be tuned towards the test set's
out-of-scope queries.
"""

import argparse
import gzip
import json
import math
import random
import sys

REJECT_RATE = 0.05
SEED = 1234
# Suffix of the system name for a model refitted on train + valid (see refit_rows).
REFIT = " (refit train+valid)"


def log(message):
    print(message, file=sys.stderr, flush=True)


def load_jsonl(path):
    """(texts, labels) of a JSONL file of {"text", "label"} rows."""
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                texts.append(row["text"])
                labels.append(row["label"])
    return texts, labels


def load_splits(args):
    """((texts, labels) of train, of valid, of test) named by parse_args' arguments."""
    return load_jsonl(args.train), load_jsonl(args.valid), load_jsonl(args.test)


def parse_args(description):
    """The command line every peer takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--train", required=True)
    parser.add_argument("--valid", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--name", required=True,
                        help="dataset name for the report (banking77, clinc150)")
    parser.add_argument("--oos-label", default="oos")
    return parser.parse_args()


def refit_rows(train_texts, train_labels, valid_texts, valid_labels):
    """Train + valid rows in one seeded shuffle, for refitting the chosen configuration.

    `pagewise train --valid` calibrates on the validation rows and then trains again on train +
    valid, keeping the calibration; a peer refitted the same way, with its threshold from the
    train-only model, sees the same data. The shuffle matters for fastText: the validation
    files are sorted by label, and fastText does not shuffle its input.
    """
    rows = list(zip(train_texts + valid_texts, train_labels + valid_labels))
    random.Random(SEED).shuffle(rows)
    return [text for text, _ in rows], [label for _, label in rows]


def reject_threshold(labels, scores, truth, oos_label, rate=REJECT_RATE):
    """The largest threshold that rejects at most `rate` of the in-scope rows of `truth`.

    `labels` are the model's top classes (possibly the explicit oos class) and `scores` their
    confidences. A row is rejected when its top class is oos or its score is below the
    threshold, so a row the oos class already took counts against the budget as a score of
    -inf: the final system, not only the threshold, rejects at most `rate` of in-scope queries.
    With k = floor(rate * n) and the in-scope scores sorted ascending, the answer is the
    (k+1)-th smallest: rows strictly below it number at most k, and anything larger would
    reject that row too. Returns None (never reject by score) when the oos class alone
    already uses the budget.
    """
    kept = sorted(-math.inf if label == oos_label else score
                  for label, score, true in zip(labels, scores, truth) if true != oos_label)
    if not kept:
        return None
    threshold = kept[math.floor(rate * len(kept))]
    return None if threshold == -math.inf else threshold


def apply_threshold(labels, scores, threshold, oos_label):
    """Final predictions: the top class, or oos when its score is below `threshold`."""
    if threshold is None:
        return list(labels)
    return [oos_label if score < threshold else label for label, score in zip(labels, scores)]


def accuracy(predicted, truth):
    return sum(p == t for p, t in zip(predicted, truth)) / len(truth)


def validation_score(labels, scores, truth, oos_label, has_oos):
    """(threshold, accuracy) of one tuned configuration on the validation split.

    Without oos training rows (BANKING77) there is no operating point to choose: a threshold
    would only turn right answers into rejections on a test set with no oos queries.
    Hyper-parameters are compared on the accuracy this returns (oos counted as a class).
    """
    threshold = reject_threshold(labels, scores, truth, oos_label) if has_oos else None
    return threshold, accuracy(apply_threshold(labels, scores, threshold, oos_label), truth)


def metrics(predicted, truth, oos_label):
    """Accuracy with oos as a class, plus in-scope accuracy and oos precision/recall.

    oos_recall is None when no test row is oos; oos_precision is None when no row was
    predicted oos (undefined, not zero).
    """
    pairs = list(zip(predicted, truth))
    in_scope = [(p, t) for p, t in pairs if t != oos_label]
    true_oos = [p for p, t in pairs if t == oos_label]
    predicted_oos = [t for p, t in pairs if p == oos_label]
    return {
        "accuracy": accuracy(predicted, truth),
        "in_scope_accuracy": sum(p == t for p, t in in_scope) / len(in_scope) if in_scope else None,
        "oos_recall": sum(p == oos_label for p in true_oos) / len(true_oos) if true_oos else None,
        "oos_precision": (sum(t == oos_label for t in predicted_oos) / len(predicted_oos)
                          if predicted_oos else None),
        "rows": len(pairs),
    }


def result(system, args, predicted, truth, measured):
    """One result line: the test metrics of `predicted`, then the `measured` dict (speed, size,
    parameters) in its own order."""
    line = {"system": system, "dataset": args.name}
    line.update(metrics(predicted, truth, args.oos_label))
    line.update(measured)
    return line


def gzip_size(data):
    """Bytes of `data` (bytes) after gzip -9, as the server would send it."""
    return len(gzip.compress(data, compresslevel=9))


def emit(result):
    """The one JSON line a peer prints on stdout."""
    print(json.dumps(result), flush=True)
