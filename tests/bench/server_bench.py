#!/usr/bin/env python3
"""The server benchmark's driver. tests/bench/server_bench.sh builds and starts `pagewise serve`,
then runs this with the server's address, pid and database. It prepares the data (booted widget
sessions with one conversation each, message and ticket bodies over the demo's 28 intents,
10,000 open conversations for the inbox), runs every wrk phase (tests/bench/wrk/*.lua), checks
the store after each ticket run, and prints the table, also written as markdown and JSON lines.
Standard library only (/usr/bin/python3). Reports numbers, never asserts them.
SPDX-License-Identifier: MIT
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import platform
import re
import resource
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

PLANS = ("free", "starter", "pro", "enterprise")
# Human-only intents and high stakes: each of these becomes an open, escalated conversation.
ESCALATING = (
    "You charged my card twice this month, I want a refund",
    "I want to cancel my subscription and get my money back",
    "I think someone hacked my account, there are logins I don't recognise",
    "Please delete all my personal data under GDPR",
    "I was billed after I cancelled, this is unacceptable",
    "I need to talk to a real person about my contract",
)
TARGETS = {"pipeline_ratio": 0.40, "p99_ms": 20.0, "tickets_per_s": 5000.0}
PHASES = ("static", "static-paced", "inbox", "inbox-paced", "pipeline-new", "pipeline-follow",
          "pipeline-paced", "tickets-500", "tickets-64")


def log(*parts):
    print("server_bench:", *parts, file=sys.stderr, flush=True)


class Api:
    """JSON over one keep-alive connection per thread."""

    def __init__(self, base, headers):
        url = urllib.parse.urlsplit(base)
        self.host, self.port, self.headers = url.hostname, url.port, headers
        self.local = threading.local()

    def call(self, method, path, body=None, headers=None):
        sent = {**self.headers, **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body)
            sent["Content-Type"] = "application/json"
        for attempt in (0, 1):  # a closed keep-alive connection gets one fresh try
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.local.conn = conn
            try:
                conn.request(method, path, body=payload, headers=sent)
                res = conn.getresponse()
                data = res.read()
                return res.status, json.loads(data) if data else None
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def parallel(fn, items, workers=32):
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, items))


def expect(status, body, want, what):
    if status != want:
        raise SystemExit(f"server_bench: {what}: HTTP {status} {json.dumps(body)[:300]}")
    return body


# --- data ------------------------------------------------------------------------------------


def demo_messages(data_dir):
    """The demo validation messages of the 28 intents (8 each), each with the page where that
    question is usually asked: (intent, text, page)."""
    intents = {i["intent"]: i for i in json.loads((data_dir / "demo_intents.json").read_text())}
    out = []
    with open(data_dir / "demo_valid.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line) if line.strip() else None
            if not row or row["label"] not in intents:
                continue  # out-of-scope rows have no page
            route = intents[row["label"]]["page_hint"] or "/projects"
            slug = route.strip("/").replace("/:id", "").replace("/", "-") or "home"
            page = {
                "url": "https://app.acme.example" + route.replace(":id", "4242"),
                "route": route,
                "page_id": slug,
                "title": f"Acme Projects - {slug}",
            }
            out.append((row["label"], row["text"], page))
    return out


def count_open(api):
    n, cursor = 0, None
    while True:
        path = "/api/v1/inbox?limit=200" + (f"&cursor={cursor}" if cursor else "")
        page = expect(*api.call("GET", path), 200, "inbox page")
        n += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return n


def setup(args, api, origin):
    """Writes sessions.tsv, messages.jsonl and tickets.jsonl under args.out and fills the inbox
    to args.open open conversations. Returns what it made."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    messages = demo_messages(Path(args.data))
    with open(out / "messages.jsonl", "w") as f:
        for _, text, page in messages:
            f.write(json.dumps({"text": text, "page": page}) + "\n")
    with open(out / "tickets.jsonl", "w") as f:
        for i, (_, text, page) in enumerate(messages):
            body = {"text": text, "channel": ("email", "api")[i % 2], "subject": text[:60],
                    "page": page}
            f.write(json.dumps(body) + "\n")

    def session(i):
        user = {"id": f"bench-user-{i}", "email": f"user{i}@bench.example",
                "name": f"Bench User {i}", "plan": PLANS[i % 4]}
        boot = expect(*api.call("POST", "/api/v1/widget/boot",
                                {"app_key": "pk_demo_acme", "user": user},
                                {"Origin": origin}), 200, "boot")
        _, text, page = messages[i % len(messages)]
        first = expect(*api.call("POST", "/api/v1/widget/messages", {"text": text, "page": page},
                                 {"Origin": origin,
                                  "Authorization": "Bearer " + boot["session"]}),
                       200, "first message")
        return f"{boot['session']}\t{first['conversation_id']}"

    log(f"booting {args.sessions} widget sessions, one conversation each")
    lines = parallel(session, range(args.sessions))
    (out / "sessions.tsv").write_text("\n".join(lines) + "\n")

    made, round_ = count_open(api), 0
    while made < args.open:
        log(f"inbox: {made} open conversations, adding {args.open - made}")

        def escalate(i, round_=round_):
            body = {"text": ESCALATING[i % len(ESCALATING)], "channel": "email",
                    "client_id": f"inbox-{round_}-{i}",
                    "customer": {"email": f"open{round_}-{i}@bench.example",
                                 "plan": PLANS[i % 4]}}
            expect(*api.call("POST", "/api/v1/tickets", body), 201, "inbox ticket")

        parallel(escalate, range(args.open - made))
        made, round_ = count_open(api), round_ + 1
    log(f"inbox: {made} open conversations")
    return {"sessions": len(lines), "messages": len(messages),
            "intents": len({m[0] for m in messages}), "open": made}


# --- measuring -------------------------------------------------------------------------------


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_times():
    """(busy, stolen): CPU seconds all CPUs spent busy (not idle, not waiting for the disk),
    and the seconds the hypervisor ran something else while our CPUs had work (steal), since
    boot. Steal is a pause the server never sees: with a tenth of the time stolen, a p99 is
    the host's as much as ours."""
    v = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(v[:7]) - v[3] - v[4]) / tick, v[7] / tick


def store_writes(pid):
    """Bytes written so far by the server's writer thread (the WAL, and the few frames it copies
    into the database to end a checkpoint round) and by its checkpoint thread (the database
    file), from their /proc write counters: what the store costs the disk per request."""
    out = {"pw-writer": 0, "pw-checkpoint": 0}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            if name in out:
                io = dict(line.split(": ") for line in (task / "io").read_text().splitlines())
                out[name] += int(io["wchar"])
        except (OSError, KeyError, ValueError):
            continue  # a thread that ended meanwhile
    return out


def open_db(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)


def store_counts(db):
    with open_db(db) as c:
        tickets, decisions, open_ = c.execute(
            "SELECT (SELECT count(*) FROM conversations WHERE channel IN ('email', 'api')),"
            " (SELECT count(*) FROM decisions),"
            " (SELECT count(*) FROM conversations WHERE status = 'open')").fetchone()
    return {"tickets": tickets, "decisions": decisions, "open": open_}


def settled_counts(db):
    """Counts once requests still running when wrk stopped have finished."""
    last = store_counts(db)
    while True:
        time.sleep(0.5)
        now = store_counts(db)
        if now == last:
            return now
        last = now


def found_in_store(db, ids):
    """How many of these conversation ids exist with a decision."""
    with open_db(db) as c:
        c.execute("CREATE TEMP TABLE acked(id INTEGER PRIMARY KEY)")
        c.executemany("INSERT OR IGNORE INTO acked VALUES (?)", ((i,) for i in ids))
        return c.execute("SELECT count(*) FROM acked a WHERE EXISTS (SELECT 1 FROM conversations v"
                         " WHERE v.id = a.id) AND EXISTS (SELECT 1 FROM messages m JOIN decisions d"
                         " ON d.message_id = m.id WHERE m.conversation_id = a.id)").fetchone()[0]


class Runner:
    def __init__(self, args, env):
        self.args, self.env, self.results = args, env, []

    def wrk(self, name, label, path, script, script_args=(), connections=None, think_ms=None,
            extra_env=None):
        a = self.args
        connections = connections or a.connections
        env = {**self.env, **(extra_env or {})}
        if think_ms:
            env["PW_BENCH_DELAY_MS"] = f"{think_ms:.0f}"
        cmd = ["wrk", f"-t{a.threads}", f"-c{connections}", f"-d{a.duration}s", "--latency",
               "--timeout", "10s", "-s", str(Path(a.wrk_dir) / script), a.base + path]
        if script_args:
            cmd += ["--", *script_args]
        log(f"{name}: {label}")
        server0, (machine0, steal0) = cpu_seconds(a.pid), machine_times()
        writes0 = store_writes(a.pid)
        wrk0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wrk1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        server1, (machine1, steal1) = cpu_seconds(a.pid), machine_times()
        writes1 = store_writes(a.pid)
        sys.stderr.write(run.stdout + run.stderr)
        line = next((x for x in run.stdout.splitlines() if x.startswith("PWBENCH ")), None)
        if run.returncode or not line:
            raise SystemExit(f"server_bench: {name}: wrk failed ({run.returncode})")
        r = json.loads(line[len("PWBENCH "):])
        # Cores used: the server, wrk, and the rest (kernel threads, other processes: this
        # machine may be shared, and a busy neighbour shows here).
        server_s = server1 - server0
        wrk_s = wrk1.ru_utime + wrk1.ru_stime - wrk0.ru_utime - wrk0.ru_stime
        rest_s = max(machine1 - machine0 - server_s - wrk_s, 0.0)
        r.update(name=name, label=label, connections=connections, think_ms=think_ms,
                 server_cpu_us=server_s / max(r["requests"], 1) * 1e6,
                 wrk_cpu_us=wrk_s / max(r["requests"], 1) * 1e6,
                 # Requests still in flight when wrk stops write after writes1: a few hundred
                 # of hundreds of thousands.
                 writes_kb={k: (writes1[k] - writes0[k]) / max(r["requests"], 1) / 1024
                            for k in writes1},
                 cores={"server": server_s / r["duration_s"], "wrk": wrk_s / r["duration_s"],
                        "rest": rest_s / r["duration_s"]},
                 steal_pct=100 * (steal1 - steal0) / (r["duration_s"] * os.cpu_count()),
                 command=" ".join([f"{k}={env[k]}" for k in ("PW_BENCH_WRK", "PW_BENCH_DELAY_MS",
                                                                 "PW_BENCH_IDS") if k in env]
                                  + cmd))
        self.results.append(r)
        time.sleep(2)  # let requests that were in flight finish before the next phase
        return r

    def tickets(self, name, connections):
        ids = Path(self.args.out) / f"{name}.ids"
        before = settled_counts(self.args.db)
        r = self.wrk(name, f"POST /api/v1/tickets, {connections} connections",
                     "/api/v1/tickets", "tickets.lua", (self.args.admin, str(Path(self.args.out)
                                                                            / "tickets.jsonl")),
                     connections=connections, extra_env={"PW_BENCH_IDS": str(ids)})
        after = settled_counts(self.args.db)
        acked = [int(x) for x in ids.read_text().split()]
        r.update(acked_per_s=r["acked"] / r["duration_s"],
                 rows_added=after["tickets"] - before["tickets"],
                 decisions_added=after["decisions"] - before["decisions"],
                 acked_found=found_in_store(self.args.db, acked))
        r["unanswered_at_stop"] = r["rows_added"] - r["acked"]
        log(f"{name}: {r['acked']} acknowledged, {r['rows_added']} rows added "
            f"({r['unanswered_at_stop']} from requests in flight when wrk stopped), "
            f"{r['acked_found']} of the acknowledged found with their decision")
        return r


# --- the report ------------------------------------------------------------------------------


def fmt(x, digits=1):
    return f"{x:,.{digits}f}"


def table(results):
    head = ("| phase | conns | req/s | p50 ms | p99 ms | max ms | non-2xx / socket err |"
            " server CPU µs/req | wrk CPU µs/req | cores: server / wrk / rest | steal |"
            " KB written/req: writer / checkpoints |")
    rows = [head, "|" + " --- |" * 12]
    for r in results:
        paced = f", {r['think_ms']:.0f} ms think time" if r.get("think_ms") else ""
        rows.append(
            f"| {r['name']}: {r['label']}{paced} | {r['connections']} | {fmt(r['rps'], 0)} "
            f"| {fmt(r['p50_ms'], 2)} | {fmt(r['p99_ms'], 2)} | {fmt(r['max_ms'], 0)} "
            f"| {r['non2xx']} / {r['socket_errors']} | {fmt(r['server_cpu_us'], 0)} "
            f"| {fmt(r['wrk_cpu_us'], 0)} | {r['cores']['server']:.2f} / {r['cores']['wrk']:.2f} "
            f"/ {r['cores']['rest']:.2f} | {r['steal_pct']:.0f}% "
            f"| {fmt(r['writes_kb']['pw-writer'])} / {fmt(r['writes_kb']['pw-checkpoint'])} |")
    return "\n".join(rows)


def verdicts(by):
    def mark(ok):
        return "meets" if ok else "misses"

    lines = []
    for key in ("pipeline-new", "pipeline-follow"):
        if key not in by or "static" not in by:
            continue
        static = by["static"]["rps"]
        ratio = by[key]["rps"] / static
        lines.append(f"- {key} / static: {ratio:.1%} of {fmt(static, 0)} req/s "
                     f"(target ≥ {TARGETS['pipeline_ratio']:.0%}: {mark(ratio >= 0.40)})")
    for key in ("static", "static-paced", "pipeline-new", "pipeline-paced", "tickets-500",
                "inbox", "inbox-paced"):
        if key not in by:
            continue
        r = by[key]
        lines.append(f"- p99 {key} ({r['connections']} connections, {fmt(r['rps'], 0)} req/s, "
                     f"{r['steal_pct']:.0f}% of the CPUs' time stolen by the host): "
                     f"{fmt(r['p99_ms'], 2)} ms (target ≤ 20 ms: "
                     f"{mark(r['p99_ms'] <= TARGETS['p99_ms'])})")
    for key in ("tickets-500", "tickets-64"):
        if key not in by:
            continue
        r = by[key]
        durable = r["acked_found"] == r["acked"] and r["decisions_added"] == r["rows_added"]
        lines.append(
            f"- {key}: {fmt(r['acked_per_s'], 0)} acknowledged tickets/s (target ≥ 5,000: "
            f"{mark(r['acked_per_s'] >= TARGETS['tickets_per_s'])}); {r['acked']:,} acknowledged, "
            f"{r['rows_added']:,} rows added = {r['acked']:,} + {r['unanswered_at_stop']} "
            f"in flight when wrk stopped (of {r['sent']:,} sent); every acknowledged ticket "
            f"in the store with its decision: {'yes' if durable else 'NO'}")
    return "\n".join(lines)


def machine():
    def run(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    model = re.search(r"Model name:\s*(.+)", run("lscpu"))
    versions = run("dpkg-query", "-W", "-f", "${Package} ${Version}\n", "wrk", "libcivetweb1",
                   "libsqlite3-0").replace("\n", ", ")
    return (f"{model.group(1).strip() if model else platform.processor()}, {os.cpu_count()} "
            f"cores (`nproc` {run('nproc')}), Linux {platform.release()}, {versions}")


def fsync_rate(directory):
    """4 KiB writes with O_DSYNC on the data directory's file system, per second."""
    path = Path(directory) / "fsync-probe"
    n, t0 = 2000, time.monotonic()
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC | os.O_DSYNC, 0o600)
    try:
        for _ in range(n):
            os.write(fd, b"x" * 4096)
    finally:
        os.close(fd)
        path.unlink()
    return n / (time.monotonic() - t0)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    p.add_argument("--pid", type=int, required=True, help="the server's pid (for its CPU time)")
    p.add_argument("--db", required=True, help="the server's pagewise.db")
    p.add_argument("--admin", required=True, help="the admin token")
    p.add_argument("--out", required=True, help="work directory for the generated files")
    p.add_argument("--data", default="tests/data", help="demo data (intents, messages)")
    p.add_argument("--wrk-dir", default="tests/bench/wrk")
    p.add_argument("--duration", type=int, default=15, help="seconds per phase")
    p.add_argument("--connections", type=int, default=500)
    p.add_argument("--few", type=int, default=64, help="connections of the second ticket run")
    p.add_argument("--threads", type=int, default=2, help="wrk threads")
    p.add_argument("--pace", type=float, default=0.5,
                   help="paced phases offer this share of the saturated rate")
    p.add_argument("--think-ms", type=float,
                   help="paced phases wait this long between requests instead (the same offered "
                        "load for two builds compared in alternation)")
    p.add_argument("--sessions", type=int, default=500)
    p.add_argument("--open", type=int, default=10000, help="open conversations in the inbox")
    p.add_argument("--static", default="/assets/style.css")
    p.add_argument("--phases", help="comma-separated subset of: " + ", ".join(PHASES))
    p.add_argument("--markdown", help="write the results here too")
    p.add_argument("--jsonl", help="write one JSON line per phase here")
    p.add_argument("--command", default="tests/bench/server_bench.sh")
    p.add_argument("--revision", default="", help="the commit measured")
    args = p.parse_args()

    origin = args.base
    api = Api(args.base, {"Authorization": "Bearer " + args.admin})
    started = time.monotonic()
    fsync_before = fsync_rate(Path(args.db).parent)
    made = setup(args, api, origin)
    env = {**os.environ, "PW_BENCH_WRK": str(Path(args.wrk_dir).resolve())}
    run = Runner(args, env)
    out = Path(args.out)
    widget_args = [str(out / "sessions.tsv"), str(out / "messages.jsonl"), origin]

    wanted = set(args.phases.split(",")) if args.phases else set(PHASES)
    if wanted - set(PHASES):
        raise SystemExit(f"server_bench: unknown phases {sorted(wanted - set(PHASES))}")

    def think(saturated):  # the paced phase offers args.pace of the saturated rate
        if args.think_ms:
            return args.think_ms
        return args.connections / (args.pace * saturated["rps"]) * 1000

    saturated = {}  # what the paced phases are paced from
    static_phase = (f"GET {args.static}", args.static, "static.lua")
    open_now = store_counts(args.db)["open"]
    inbox_phase = (f"GET /api/v1/inbox, {open_now:,} open", "/api/v1/inbox", "inbox.lua",
                   (args.admin,))
    new_phase = ("widget message, each a new conversation", "/api/v1/widget/messages",
                 "widget_messages.lua", [*widget_args, "new", str(args.threads)])
    follow_phase = ("widget message, each a follow-up in its session's conversation",
                    "/api/v1/widget/messages", "widget_messages.lua",
                    [*widget_args, "follow", str(args.threads)])
    for name, phase in (("static", static_phase), ("inbox", inbox_phase),
                        ("pipeline-new", new_phase), ("pipeline-follow", follow_phase)):
        paced = {"static": "static-paced", "inbox": "inbox-paced",
                 "pipeline-new": "pipeline-paced"}.get(name)
        if name in wanted or (paced in wanted and not args.think_ms):
            saturated[name] = run.wrk(name, *phase)
        if paced in wanted:
            run.wrk(paced, *phase, think_ms=think(saturated.get(name)))
    if "tickets-500" in wanted:
        run.tickets("tickets-500", args.connections)
    if "tickets-64" in wanted:
        run.tickets("tickets-64", args.few)

    by = {r["name"]: r for r in run.results}
    info = machine()
    fsync_after = fsync_rate(Path(args.db).parent)
    elapsed = time.monotonic() - started
    text = "\n".join([
        f"Machine: {info}. Raw fsync rate of the data directory's disk (4 KiB O_DSYNC writes): "
        f"{fmt(fsync_before, 0)}/s before the load, {fmt(fsync_after, 0)}/s after it.",
        f"Command: `{args.command}` at {args.revision or 'an unknown revision'} "
        f"({args.duration} s per phase, wrk -t{args.threads}, "
        f"{made['sessions']} widget sessions, {made['messages']} demo messages over "
        f"{made['intents']} intents, {made['open']:,} open conversations seeded; "
        f"{elapsed:.0f} s in all).",
        "",
        table(run.results),
        "",
        verdicts(by),
        "",
    ])
    print("\n" + text)
    if args.markdown:
        Path(args.markdown).write_text(f"Run of {time.strftime('%Y-%m-%d %H:%M')}.\n\n{text}")
    if args.jsonl:
        with open(args.jsonl, "w") as f:
            for r in run.results:
                f.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
