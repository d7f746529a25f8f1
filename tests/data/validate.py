#!/usr/bin/python3
"""Checks the demo data in this folder and prints the counts the README quotes.

Usage: /usr/bin/python3 tests/data/validate.py   (exit status 1 on the first class of problem)
"""
import json, os, re, sys, unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROUTES = ["/projects", "/projects/:id", "/projects/:id/board", "/projects/:id/export", "/projects/:id/settings",
          "/reports", "/settings/profile", "/settings/security", "/settings/team", "/settings/billing",
          "/settings/integrations", "/settings/api", "/login", "/signup"]
ROUTE_RE = [re.compile("^" + r.replace(":id", "[0-9]+") + "$") for r in ROUTES]
FEATURES = {"export": "starter", "api_access": "pro", "sso": "enterprise", "custom_fields": "pro",
            "advanced_reports": "pro", "audit_log": "enterprise", "integrations_slack": "starter"}
TIERS = ["free", "starter", "pro", "enterprise"]
LANES = ["resolve", "assist", "escalate"]
errors = []

def err(msg):
    errors.append(msg)

def norm(t):
    t = unicodedata.normalize("NFKC", t).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", t).split())

def jsonl(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            try:
                rows.append((n, json.loads(line)))
            except ValueError as e:
                err(f"{name}:{n}: not JSON ({e})")
    return rows

cat = json.load(open(os.path.join(HERE, "demo_intents.json"), encoding="utf-8"))
intents = {c["intent"]: c for c in cat}
if len(intents) != len(cat):
    err("demo_intents.json: duplicate intent ids")
for c in cat:
    if set(c) != {"intent", "description", "human_only", "never_automate", "page_hint"}:
        err(f"demo_intents.json: {c.get('intent')}: wrong keys {sorted(c)}")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", c["intent"]):
        err(f"demo_intents.json: {c['intent']}: not snake_case")
    if c["page_hint"] is not None and c["page_hint"] not in ROUTES:
        err(f"demo_intents.json: {c['intent']}: page_hint {c['page_hint']} is not a demo route")
    if c["human_only"] and not c["never_automate"]:
        err(f"demo_intents.json: {c['intent']}: human_only implies never_automate")
labels = set(intents) | {"oos"}

seen = {}
def unique_text(where, text):
    k = norm(text) or text.strip()
    if k in seen:
        err(f"{where}: text also at {seen[k]}: {text!r}")
    else:
        seen[k] = where

counts = {}
for name, lo, hi, oos in [("demo_train.jsonl", 35, 45, (70, 90)), ("demo_valid.jsonl", 8, 8, (20, 20))]:
    c = Counter()
    for n, r in jsonl(name):
        if set(r) != {"text", "label"} or not isinstance(r.get("text"), str) or not r["text"].strip():
            err(f"{name}:{n}: expected {{text, label}} with a non-empty text")
            continue
        if r["label"] not in labels:
            err(f"{name}:{n}: unknown label {r['label']}")
        c[r["label"]] += 1
        unique_text(f"{name}:{n}", r["text"])
    for lab in intents:
        if not lo <= c[lab] <= hi:
            err(f"{name}: {lab} has {c[lab]} rows, expected {lo}..{hi}")
    if not oos[0] <= c["oos"] <= oos[1]:
        err(f"{name}: oos has {c['oos']} rows, expected {oos[0]}..{oos[1]}")
    counts[name] = c

ids = set()
tk = Counter(); lanes = Counter(); tiers = Counter(); by_intent = {}
for n, r in jsonl("tickets.jsonl"):
    w = f"tickets.jsonl:{n}"
    extra = set(r) - {"id", "text", "intent", "lane", "must_human", "tier", "page", "ui", "history"}
    if extra:
        err(f"{w}: unknown keys {sorted(extra)}")
    if not re.fullmatch(r"T\d{4}", r.get("id", "")) or r["id"] in ids:
        err(f"{w}: bad or duplicate id {r.get('id')}")
    ids.add(r.get("id"))
    if not isinstance(r.get("text"), str) or not r["text"].strip():
        err(f"{w}: empty text"); continue
    unique_text(w, r["text"])
    it, lane, tier, mh = r.get("intent"), r.get("lane"), r.get("tier"), r.get("must_human")
    if it not in labels: err(f"{w}: unknown intent {it}")
    if lane not in LANES: err(f"{w}: bad lane {lane}")
    if tier not in TIERS: err(f"{w}: bad tier {tier}")
    if not isinstance(mh, bool): err(f"{w}: must_human must be a bool")
    # the label rules of README.md
    if mh != (lane == "escalate"): err(f"{w}: must_human must be true exactly on escalate tickets")
    c = intents.get(it)
    if (it == "oos" or (c and c["human_only"])) and lane != "escalate":
        err(f"{w}: {it} must be escalated")
    if c and c["never_automate"] and lane == "resolve":
        err(f"{w}: {it} is never_automate, cannot be resolve")
    if tier == "enterprise" and lane == "resolve":
        err(f"{w}: enterprise tickets are never resolve")
    if "page" in r and not any(p.match(r["page"]) for p in ROUTE_RE):
        err(f"{w}: page {r['page']} is not a demo route")
    for f in r.get("ui", []):
        if "error_banner" in f:
            if set(f) != {"error_banner"} or not isinstance(f["error_banner"], str):
                err(f"{w}: bad error_banner fact {f}")
        elif set(f) == {"feature", "disabled", "reason", "plan_required"}:
            if FEATURES.get(f["feature"]) != f["plan_required"] or f["reason"] != "plan" or f["disabled"] is not True:
                err(f"{w}: plan fact disagrees with the plan table: {f}")
            if TIERS.index(tier) >= TIERS.index(f["plan_required"]):
                err(f"{w}: tier {tier} already has {f['feature']}")
        else:
            err(f"{w}: unknown ui fact {f}")
    for h in r.get("history", []):
        if not isinstance(h, str) or not h.strip():
            err(f"{w}: history entries must be non-empty strings")
    tk[it] += 1; lanes[lane] += 1; tiers[tier] += 1
    by_intent.setdefault(it, Counter())[lane] += 1
if len(ids) < 300:
    err(f"tickets.jsonl: only {len(ids)} tickets")

# demo_kb.json: the knowledge base (README.md, "Knowledge base")
kb = json.load(open(os.path.join(HERE, "demo_kb.json"), encoding="utf-8"))
if set(kb) != {"version", "articles"} or kb.get("version") != 1 or not isinstance(kb.get("articles"), list):
    err("demo_kb.json: expected {\"version\": 1, \"articles\": [...]}")
arts = kb.get("articles") or []
slugs, titles = set(), set()
kb_intents = Counter(); kb_features = Counter(); with_var = with_two = n_var = n_note = n_human = 0
PLAN_NAMES = {"starter": "Starter", "pro": "Pro", "enterprise": "Enterprise"}
for i, a in enumerate(arts):
    w = f"demo_kb.json: article {i} ({a.get('slug')})"
    extra = set(a) - {"slug", "title", "body", "intents", "feature", "plan_required", "plan_note",
                      "internal_note", "human_only", "variants"}
    if extra: err(f"{w}: unknown keys {sorted(extra)}")
    s = a.get("slug", "")
    if not isinstance(s, str) or not re.fullmatch(r"[a-z0-9-]+", s) or s in slugs:
        err(f"{w}: bad or duplicate slug")
    slugs.add(s)
    t = a.get("title", "")
    if not isinstance(t, str) or not t.strip() or len(t) > 120 or norm(t) in titles:
        err(f"{w}: title missing, over 120 chars or duplicate")
    titles.add(norm(t) if isinstance(t, str) else t)
    b = a.get("body", "")
    if not isinstance(b, str) or not b.strip() or len(b) > 1000 or re.search(r"<[a-zA-Z/]|\*\*|^#|\]\(", b):
        err(f"{w}: body must be 1..1000 chars of plain text")
    its = a.get("intents")
    if not isinstance(its, list) or not 1 <= len(its) <= 3 or len(set(its)) != len(its) \
            or any(x not in intents for x in its):
        err(f"{w}: intents must be 1-3 distinct catalogue intents (never oos): {its}")
    else:
        kb_intents.update(its)
    if not isinstance(a.get("human_only"), bool):
        err(f"{w}: human_only must be a bool")
    elif a["human_only"]:
        n_human += 1
        if not any(intents[x]["human_only"] for x in its or [] if x in intents):
            err(f"{w}: human_only article without a human-only intent")
    gated = [k for k in ("feature", "plan_required", "plan_note") if k in a]
    if gated:
        f = a.get("feature")
        if len(gated) != 3: err(f"{w}: feature, plan_required and plan_note go together")
        elif FEATURES.get(f) != a["plan_required"]:
            err(f"{w}: plan_required {a['plan_required']} disagrees with the plan table for {f}")
        elif not isinstance(a["plan_note"], str) or PLAN_NAMES[a["plan_required"]] not in a["plan_note"] \
                or "Settings > Billing > Change plan" not in a["plan_note"]:
            err(f"{w}: plan_note must name {PLAN_NAMES[a['plan_required']]} and Settings > Billing > Change plan")
        else:
            kb_features[f] += 1
    if "internal_note" in a:
        if not isinstance(a["internal_note"], str) or not a["internal_note"].strip():
            err(f"{w}: internal_note must be a non-empty string")
        n_note += 1
    vs = a.get("variants", [])
    if not isinstance(vs, list) or len(vs) > 4:
        err(f"{w}: 0-4 variants"); vs = []
    routes = set()
    for v in vs:
        if set(v) != {"route", "steps"} or v["route"] not in ROUTES or v["route"] in routes:
            err(f"{w}: variant needs a distinct demo route and steps: {v.get('route')}")
        routes.add(v.get("route"))
        st = v.get("steps")
        if not isinstance(st, list) or not 2 <= len(st) <= 6 \
                or any(not isinstance(x, str) or not x.strip() or len(x) > 200 for x in st):
            err(f"{w}: {v.get('route')}: 2-6 steps of at most 200 chars")
    n_var += len(vs); with_var += bool(vs); with_two += len(vs) >= 2
    if s == "export-projects-and-reports":
        if "/reports" not in routes or "PDF" not in b:
            err(f"{w}: the export article needs a /reports variant and must mention PDF")
if len(arts) < 30: err(f"demo_kb.json: {len(arts)} articles, expected at least 30")
for it in intents:
    if not kb_intents[it]: err(f"demo_kb.json: no article for intent {it}")
for f in FEATURES:
    if not kb_features[f]: err(f"demo_kb.json: no article about the gated feature {f}")
if with_var < 20: err(f"demo_kb.json: {with_var} articles with a variant, expected at least 20")
if with_two < 8: err(f"demo_kb.json: {with_two} articles with 2+ variants, expected at least 8")
if n_note < 10: err(f"demo_kb.json: {n_note} articles with internal_note, expected at least 10")
if n_human < 3: err(f"demo_kb.json: {n_human} human_only articles, expected at least 3")
if "export-projects-and-reports" not in slugs: err("demo_kb.json: missing export-projects-and-reports")

if "--counts" in sys.argv or not errors:
    tr, va = counts["demo_train.jsonl"], counts["demo_valid.jsonl"]
    print(f"{'label':24} {'train':>5} {'valid':>5} {'tickets':>7} {'resolve':>7} {'assist':>6} {'escalate':>8}")
    for lab in list(intents) + ["oos"]:
        b = by_intent.get(lab, Counter())
        print(f"{lab:24} {tr[lab]:5} {va[lab]:5} {tk[lab]:7} {b['resolve']:7} {b['assist']:6} {b['escalate']:8}")
    print(f"{'total':24} {sum(tr.values()):5} {sum(va.values()):5} {sum(tk.values()):7} "
          f"{lanes['resolve']:7} {lanes['assist']:6} {lanes['escalate']:8}")
    print("tickets by tier:", ", ".join(f"{t} {tiers[t]}" for t in TIERS))
    print("tickets with page:", sum(1 for _, r in jsonl('tickets.jsonl') if 'page' in r),
          "with ui:", sum(1 for _, r in jsonl('tickets.jsonl') if 'ui' in r),
          "with history:", sum(1 for _, r in jsonl('tickets.jsonl') if 'history' in r),
          "must_human:", sum(1 for _, r in jsonl('tickets.jsonl') if r.get('must_human')))
    print(f"knowledge base: {len(arts)} articles, {n_var} variants, {with_var} with a variant, "
          f"{with_two} with 2+, {len(kb_intents)} intents covered, {sum(kb_features.values())} plan-gated, "
          f"{n_note} with internal_note, {n_human} human_only")
for e in errors:
    print("error:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
