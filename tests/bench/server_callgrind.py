#!/usr/bin/env python3
"""Instructions per request of `pagewise serve`, one request at a time, under callgrind: counts
that do not move with the machine's load, for comparing two builds. tests/bench/server_callgrind.sh
starts the server under valgrind and runs this. Each kind of request is warmed up, then the
counters are zeroed, N requests are sent one after another and the totals dumped.
Standard library only. Reports numbers, never asserts them.
SPDX-License-Identifier: MIT
"""
import argparse
import json
import re
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server_bench import PLANS, Api, demo_messages, expect  # noqa: E402

KINDS = ("pipeline-new", "pipeline-follow", "tickets")


def dump_ir(pid, out, name):
    """Dumps the counters since the last zeroing and returns their instruction total."""
    before = set(Path(out).glob(f"callgrind.out.{pid}*"))
    subprocess.run(["callgrind_control", "-d", name, str(pid)], check=True, capture_output=True)
    new = sorted(set(Path(out).glob(f"callgrind.out.{pid}*")) - before)
    total = 0
    for f in new:
        m = re.search(r"^summary: (\d+)", f.read_text(errors="replace"), re.M)
        total += int(m.group(1)) if m else 0
        f.rename(Path(out) / f"{name}.callgrind")
    return total


def wait_for(base, pid):
    """Waits for the server (valgrind starts it about 50 times slower than usual)."""
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/api/v1/health", timeout=5)
            return
        except OSError:
            os.kill(pid, 0)  # raises when the server has exited
            time.sleep(0.5)
    raise SystemExit("server_callgrind: the server did not start")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--admin", required=True)
    p.add_argument("--out", required=True, help="where the callgrind files go")
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--kinds", default=",".join(KINDS))
    args = p.parse_args()
    wait_for(args.base, args.pid)
    messages = demo_messages(Path("tests/data"))
    agent = Api(args.base, {"Authorization": "Bearer " + args.admin})
    widget = Api(args.base, {"Origin": args.base})
    sessions = []
    for i in range(8):
        user = {"id": f"cg-user-{i}", "email": f"cg{i}@bench.example", "plan": PLANS[i % 4]}
        boot = expect(*widget.call("POST", "/api/v1/widget/boot",
                                   {"app_key": "pk_demo_acme", "user": user}), 200, "boot")
        sessions.append({"Authorization": "Bearer " + boot["session"]})
    conversations = {}

    def send(kind, n):
        _, text, page = messages[(n * 37) % len(messages)]
        if kind == "tickets":
            c = n % 20  # the customers the 20 warm-up tickets brought: returning, as under load
            body = {"text": text, "channel": "email", "subject": text[:60], "page": page,
                    "client_id": f"cg-{n}", "customer": {"email": f"c{c}@bench.example",
                                                          "plan": PLANS[c % 4]}}
            expect(*agent.call("POST", "/api/v1/tickets", body), 201, "ticket")
            return
        s = n % len(sessions)
        body = {"text": text, "page": page}
        if kind == "pipeline-follow" and s in conversations:
            body["conversation_id"] = conversations[s]
        r = expect(*widget.call("POST", "/api/v1/widget/messages", body, sessions[s]), 200,
                   "message")
        conversations.setdefault(s, r["conversation_id"])

    results = {}
    for kind in args.kinds.split(","):
        for n in range(20):
            send(kind, 100000 + n)
        subprocess.run(["callgrind_control", "-z", str(args.pid)], check=True,
                       capture_output=True)
        for n in range(args.requests):
            send(kind, n)
        ir = dump_ir(args.pid, args.out, kind)
        results[kind] = ir / args.requests
        print(f"{kind:16} {ir / args.requests:>12,.0f} instructions/request "
              f"({args.requests} requests)", flush=True)
    Path(args.out, "results.json").write_text(json.dumps(results) + "\n")


if __name__ == "__main__":
    main()
