#!/usr/bin/env python3
"""Held-out labelled API traffic for Sluice, in the `openai` log format (independent generator #3).

Written without knowledge of the detector, from the threat model in shared/DESIGN.md and from what
real API customers do. Standard library only.

    python3 Tests/heldout3/heldout_openai.py --out DIR --seed S [--days 7] [--scale 1.0] [--data /work/shared/data]

writes DIR/traffic.jsonl (one gateway log line per request, sorted by time, ~0.3% malformed lines
that a reader must skip) and DIR/labels.json ({"accounts": {id: {"label", "persona"}}}).
"""
import argparse
import csv
import gzip
import json
import math
import os
import random
import re
import sys
import time

DAY = 86400.0
HOUR = 3600.0
START = 1744243200.0          # 2025-04-10T00:00:00Z, a Thursday
START_DOW = 3                 # Monday = 0
REL_41 = START + 4 * DAY + 17 * HOUR   # the gpt-4.1 family appears (Mon 14 Apr, 17:00 UTC)
REL_O4 = START + 6 * DAY + 17 * HOUR   # o4-mini appears (Wed 16 Apr, 17:00 UTC)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"

# ----------------------------------------------------------------------------------------------
# small helpers


def ntok(s):
    """Token count of a text, as a BPE tokenizer would roughly give it (≈4 chars a token for English,
    fewer characters a token for non-ASCII scripts)."""
    if not s:
        return 0
    n = len(s)
    b = len(s.encode("utf-8"))
    return max(1, int(n / 3.9 + (b - n) / 3.0 + 0.5))


def parts_text(c):
    if isinstance(c, str):
        return c
    if isinstance(c, list):
        return "".join(p.get("text", "") for p in c if isinstance(p, dict))
    return ""


def prompt_tokens(body):
    n = 3
    for m in body["messages"]:
        n += 4
        n += ntok(parts_text(m.get("content")))
        for tc in m.get("tool_calls") or ():
            f = tc["function"]
            n += 6 + ntok(f["name"]) + ntok(f["arguments"])
    tools = body.get("tools")
    if tools:
        n += 12 + int(ntok(json.dumps(tools)) * 0.85)
    rf = body.get("response_format")
    if rf and rf.get("type") == "json_schema":
        n += ntok(json.dumps(rf))
    return n


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % int((t % 1) * 1000)


HOUR_W = [0.06, 0.035, 0.025, 0.02, 0.025, 0.05, 0.12, 0.3, 0.55, 0.8, 0.95, 1.0,
          0.9, 0.95, 1.0, 0.97, 0.88, 0.72, 0.6, 0.62, 0.6, 0.48, 0.3, 0.14]
WORK_W = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.02, 0.15, 0.7, 1.0, 1.0, 0.95,
          0.55, 0.85, 1.0, 1.0, 0.9, 0.6, 0.25, 0.1, 0.06, 0.04, 0.02, 0.0]


def local(t, tz):
    rel = t - START + tz * HOUR
    day = int(rel // DAY)
    return (rel % DAY) / HOUR, (START_DOW + day) % 7


def human_w(t, tz, weekend=0.6):
    h, dow = local(t, tz)
    w = HOUR_W[int(h) % 24]
    return w * (weekend if dow >= 5 else 1.0)


def work_w(t, tz, weekend=0.04):
    h, dow = local(t, tz)
    w = WORK_W[int(h) % 24]
    return w * (weekend if dow >= 5 else 1.0)


def sample_times(rng, n, t0, t1, wfn=None):
    if t1 <= t0 or n <= 0:
        return []
    out = []
    tries = 0
    while len(out) < n and tries < n * 400:
        tries += 1
        t = rng.uniform(t0, t1)
        if wfn is None or rng.random() < wfn(t):
            out.append(t)
    out.sort()
    return out


def lognorm_int(rng, median, sigma, lo, hi):
    return int(max(lo, min(hi, round(median * math.exp(rng.gauss(0, sigma))))))


def trunc(text, maxc):
    if len(text) <= maxc:
        return text
    cut = text[:maxc]
    for sep in ("\n\n", ". ", "\n"):
        i = cut.rfind(sep)
        if i > maxc * 0.5:
            return cut[: i + (1 if sep == ". " else 0)]
    return cut


def fill(template, values):
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)


def rid(rng, prefix, n, alphabet=ALNUM):
    return prefix + "".join(rng.choice(alphabet) for _ in range(n))


# ----------------------------------------------------------------------------------------------
# corpora


def _jsonl(path):
    out = []
    try:
        op = gzip.open if path.endswith(".gz") else open
        with op(path, "rt", encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        pass
    except OSError:
        sys.stderr.write("heldout3: missing %s\n" % path)
    return out


def _json(path, default):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        sys.stderr.write("heldout3: missing %s\n" % path)
        return default


def _split_hh(s):
    parts = re.split(r"\n\n(Human|Assistant): ", "\n\n" + s.strip())
    turns = []
    for i in range(1, len(parts) - 1, 2):
        txt = parts[i + 1].strip()
        if txt:
            turns.append(("user" if parts[i] == "Human" else "assistant", txt))
    return turns


class Corpora:
    def __init__(self, root):
        j = lambda *p: os.path.join(root, *p)
        tr = _jsonl(j("gsm8k", "train.jsonl"))
        te = _jsonl(j("gsm8k", "test.jsonl"))
        self.gsm_train = [d["question"] for d in tr]
        self.gsm_train_qa = [(d["question"], d["answer"]) for d in tr]
        self.gsm_test = [d["question"] for d in te]
        self.gsm_test_ans = [d["answer"] for d in te]
        self.he = [(d["prompt"], d.get("canonical_solution", ""), d.get("entry_point", "solve"))
                   for d in _jsonl(j("human-eval", "HumanEval.jsonl.gz"))]
        g4 = _json(j("alpaca_eval", "results", "gpt4", "model_outputs.json"), [])
        dv = _json(j("alpaca_eval", "results", "text_davinci_003", "model_outputs.json"), [])
        self.alp = [(d["instruction"], d["output"]) for d in g4]
        dvmap = {d["instruction"]: d["output"] for d in dv}
        self.alp_dv = [dvmap.get(i, o) for i, o in self.alp]
        try:
            self.clf_tpl = open(j("alpaca_eval", "src", "alpaca_eval", "evaluators_configs",
                                  "alpaca_eval_clf_gpt4_turbo", "alpaca_eval_clf.txt"), encoding="utf-8").read()
        except OSError:
            self.clf_tpl = "<|im_start|>system\nYou are a judge.\n<|im_end|>\n<|im_start|>user\n{instruction}\n{output_1}\n{output_2}\nm or M?\n<|im_end|>"
        self.mt = _jsonl(j("fastchat", "mt_bench_question.jsonl"))
        self.mtref = {d["question_id"]: d["choices"][0]["turns"] for d in _jsonl(j("fastchat", "mt_bench_reference_answer_gpt-4.jsonl"))}
        self.vic = _jsonl(j("fastchat", "vicuna_bench_question.jsonl"))
        self.vicref = {d["question_id"]: d["choices"][0]["turns"] for d in _jsonl(j("fastchat", "vicuna_bench_reference_answer_gpt-4.jsonl"))}
        self.judges = {d["name"]: d for d in _jsonl(j("fastchat", "judge_prompts.jsonl"))}
        self.hh = [t for t in (_split_hh(d["chosen"]) for d in _jsonl(j("hh-rlhf", "harmless-base_test.jsonl.gz"))) if t and t[0][0] == "user"]
        self.hh_user = []
        seen = {}
        for dlg in self.hh:
            for role, txt in dlg:
                if role == "user" and txt not in seen:
                    seen[txt] = 1
                    self.hh_user.append(txt)
        self.koala = [d["prompt"] for d in _jsonl(j("koala-test-set", "koala_test_set.jsonl"))]
        self.awesome = []
        try:
            with open(j("awesome-chatgpt-prompts", "prompts.csv"), encoding="utf-8") as f:
                for r in csv.DictReader(f):
                    self.awesome.append((r.get("act", ""), r.get("prompt", ""), r.get("for_devs", "") == "TRUE"))
        except OSError:
            pass

        def tasks(name):
            out = []
            for d in _jsonl(j("self-instruct", name)):
                for inst in d.get("instances", [])[:1]:
                    out.append((d["instruction"], inst.get("input", ""), inst.get("output", "")))
            return out
        self.seed = tasks("seed_tasks.jsonl")
        self.user_tasks = tasks("user_oriented_instructions.jsonl")
        self.t0 = {}
        t0dir = j("self-instruct", "t0_train_50k_data_per_template")
        try:
            for fn in sorted(os.listdir(t0dir)):
                if fn.endswith(".jsonl"):
                    self.t0[fn[:-6]] = [(d["prompt"], d.get("completion", "").replace("<|endoftext|>", ""))
                                        for d in _jsonl(os.path.join(t0dir, fn))]
        except OSError:
            pass
        # paragraphs (documents) and sentences, for translation, RAG context, tool results, histories
        self.paragraphs = []
        texts = [o for _, o in self.alp] + self.alp_dv
        texts += [t for v in self.mtref.values() for t in v] + [t for v in self.vicref.values() for t in v]
        texts += [p for p, _ in self.t0.get("wiki_bio_key_content", [])]
        for p, _ in self.t0.get("adversarial_qa_dbert_based_on", []):
            m = re.search(r"Context:\s*(.*)", p, re.S)
            if m:
                texts.append(m.group(1).strip())
        texts += [txt for dlg in self.hh for role, txt in dlg if role == "assistant" and len(txt) > 300]
        for t in texts:
            for para in re.split(r"\n\s*\n", t):
                para = para.strip()
                if len(para) >= 140:
                    self.paragraphs.append(para)
        self.sentences = []
        for p in self.paragraphs:
            for s in re.split(r"(?<=[.!?])\s+", p):
                if 40 <= len(s) <= 300 and "\n" not in s:
                    self.sentences.append(s)
        self.reviews = []
        for name in ("amazon_polarity_Is_this_review", "app_reviews_convert_to_star_rating"):
            for p, c in self.t0.get(name, []):
                self.reviews.append((name, p, c))
        self.questions = []   # short factual/user questions for RAG and search
        for p, _ in self.t0.get("kilt_tasks_hotpotqa_straighforward_qa", []):
            self.questions.append(p.strip())
        for p, _ in self.t0.get("trec_fine_grained_open", []):
            q = p.split("\n\n", 1)[-1].strip()
            self.questions.append(q.replace(" ?", "?"))
        for p, _ in self.t0.get("adversarial_qa_dbert_based_on", []):
            m = re.search(r"Question:\s*(.*)", p)
            if m:
                self.questions.append(m.group(1).strip())
        for k in self.koala:
            if len(k) < 260:
                self.questions.append(k)


# ----------------------------------------------------------------------------------------------
# the world: accounts, infrastructure, emitting log records

PY_UA = ["OpenAI/Python 1.54.4", "OpenAI/Python 1.58.1", "OpenAI/Python 1.61.1", "OpenAI/Python 1.66.3",
         "OpenAI/Python 1.68.2", "AsyncOpenAI/Python 1.63.2", "OpenAI/Python 1.70.0"]
JS_UA = ["OpenAI/JS 4.73.1", "OpenAI/JS 4.77.0", "OpenAI/JS 4.85.1", "OpenAI/JS 4.89.0"]
MISC_UA = ["curl/8.5.0", "curl/7.81.0", "python-requests/2.31.0", "python-requests/2.32.3", "python-httpx/0.27.2",
           "python-httpx/0.28.1", "axios/1.7.9", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
           "Go-http-client/2.0", "okhttp/4.12.0", "Dart/3.5 (dart:io)"]
APP_UA = ["Chatbox/1.10.4 (Windows NT 10.0; Win64; x64)", "BoltAI/1.31.2 (macOS 15.3)",
          "Raycast/1.93.2 (macOS Version 15.3.2 (Build 24D81))", "TypingMind/2025.03.28",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:136.0) Gecko/20100101 Firefox/136.0",
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36",
          "obsidian-text-generator/0.7.40", "MacGPT/3.21 CFNetwork/1568.300.101 Darwin/24.2.0",
          "Enchanted/1.7 (iPhone; iOS 18.3.2)"]
CLOUD_A = [3, 13, 18, 34, 35, 44, 52, 54, 20, 40, 104, 146, 159]
VPS_A = [45, 66, 95, 136, 139, 149, 155, 157, 167, 185, 188, 194, 198, 207, 209]
RESID_A = [24, 47, 50, 67, 68, 69, 71, 73, 75, 76, 81, 82, 84, 86, 88, 90, 92, 94, 98, 99, 108, 109,
           151, 174, 176, 178, 180, 181, 186, 187, 189, 191, 201, 203, 212, 217]


class World:
    def __init__(self, seed, days, scale, corpora):
        self.seed = seed
        self.days = days
        self.scale = scale
        self.C = corpora
        self.t0 = START
        self.t1 = START + days * DAY
        self.rows = []
        self.labels = {}
        self._ids = set()
        self.idrng = random.Random("%s/ids" % seed)
        self.shared = {}

    def rng(self, name):
        return random.Random("%s/%s" % (self.seed, name))

    def n(self, x, lo=1):
        return max(lo, int(round(x * self.scale)))

    def new_account(self, persona, label):
        while True:
            a = rid(self.idrng, "org-", 24)
            if a not in self._ids:
                break
        self._ids.add(a)
        self.labels[a] = {"label": label, "persona": persona}
        return a

    def key_id(self):
        return rid(self.idrng, "key_", 20, HEX)

    def req_id(self, rng):
        return rid(rng, "chatcmpl-", 29)

    @staticmethod
    def net(rng, kind):
        first = {"cloud": CLOUD_A, "vps": VPS_A, "resid": RESID_A}[kind]
        return "%d.%d.%d" % (rng.choice(first), rng.randint(0, 255), rng.randint(0, 255))

    @staticmethod
    def host(rng, net):
        return "%s.%d" % (net, rng.randint(2, 254))

    @staticmethod
    def ipv6(rng):
        return "2a02:%04x:%04x:%04x:%04x:%04x:%04x:%04x" % tuple(rng.randint(0, 0xFFFF) for _ in range(7))

    def add(self, t, rec):
        if self.t0 <= t < self.t1:
            self.rows.append((t, len(self.rows), rec))


class Acct:
    """One API account of a persona: its keys, addresses, client, error behaviour."""

    def __init__(self, W, persona, label, rng, ua, ips, nkeys=1, err=0.003, r429=0.0, on429="retry"):
        self.W = W
        self.id = W.new_account(persona, label)
        self.rng = rng
        self.ua = ua
        self.ips = list(ips)
        self.keys = [W.key_id() for _ in range(nkeys)]
        self.ki = 0
        self.err = err
        self.r429 = r429
        self.on429 = on429
        self.last_latency = 1.0
        self.sent = 0

    def _rec(self, t, key, ip, ua, body, status):
        return {"ts": iso(t), "request_id": self.W.req_id(self.rng), "account": self.id, "api_key_id": key,
                "ip": ip, "user_agent": ua, "route": "/v1/chat/completions", "status": status}

    def error(self, t, body, status, key=None, ip=None, ua=None):
        key = key or self.keys[self.ki]
        rec = self._rec(t, key, ip or self.rng.choice(self.ips), ua or self.ua, body, status)
        rec["latency_ms"] = int(self.rng.uniform(15, 90) if status in (429, 400, 401) else self.rng.uniform(800, 30000))
        rec["request"] = body
        model = body.get("model", "")
        if status == 429:
            rec["error"] = {"type": "requests", "code": "rate_limit_exceeded",
                            "message": "Rate limit reached for %s on requests per min (RPM): Limit %d, Used %d, Requested 1. Please try again in %dms."
                            % (model, 500, 500, self.rng.randint(20, 900))}
        elif status == 400:
            rec["error"] = {"type": "invalid_request_error", "code": self.rng.choice(["context_length_exceeded", "invalid_value", None]),
                            "message": "Invalid request"}
        elif status == 401:
            rec["error"] = {"type": "invalid_request_error", "code": "invalid_api_key", "message": "Incorrect API key provided."}
        else:
            rec["error"] = {"type": "server_error", "code": None,
                            "message": "The server had an error while processing your request. Sorry about that!"}
        self.W.add(t, rec)

    def ok(self, t, body, comp, finish="stop", key=None, ip=None, ua=None, cached=0, reasoning=0):
        rng = self.rng
        key = key or self.keys[self.ki]
        p = prompt_tokens(body)
        mt = body.get("max_completion_tokens") or body.get("max_tokens")
        comps = comp if isinstance(comp, list) else [comp]
        total = 0
        fin0 = None
        for c in comps:
            c = max(1, int(c))
            f = finish
            if mt and c >= mt:
                c, f = mt, "length"
            total += c
            fin0 = fin0 or f
        rec = self._rec(t, key, ip or rng.choice(self.ips), ua or self.ua, body, 200)
        lat = 0.18 + p * 0.00002 + total * rng.uniform(0.008, 0.022) / max(1, len(comps)) ** 0.5
        if reasoning:
            lat += reasoning * 0.006
        self.last_latency = lat
        rec["latency_ms"] = int(lat * 1000)
        rec["request"] = body
        u = {"prompt_tokens": p, "completion_tokens": total, "total_tokens": p + total}
        if cached:
            u["prompt_tokens_details"] = {"cached_tokens": min(cached, p) // 128 * 128}
        if reasoning:
            u["completion_tokens_details"] = {"reasoning_tokens": min(reasoning, total)}
        rec["usage"] = u
        rec["finish_reason"] = fin0
        self.W.add(t, rec)
        self.sent += 1
        return t

    def send(self, t, body, comp, finish="stop", **kw):
        """Send with this account's error behaviour; returns the time the successful attempt was made,
        or None if the request was given up."""
        rng = self.rng
        r = rng.random()
        if r < self.r429:
            self.error(t, body, 429, key=kw.get("key"))
            if self.on429 == "rotate" and len(self.keys) > 1:
                self.ki = (self.ki + 1) % len(self.keys)
                kw.pop("key", None)
                t += rng.uniform(0.05, 1.5)
            elif self.on429 == "drop":
                return None
            else:
                t += rng.uniform(0.5, 8.0)
                if rng.random() < 0.25:
                    self.error(t, body, 429, key=kw.get("key"))
                    t += rng.uniform(4, 30)
        elif r < self.r429 + self.err:
            status = rng.choices([500, 502, 503, 400, 401], [30, 15, 30, 20, 5])[0]
            self.error(t, body, status, key=kw.get("key"))
            if status in (400, 401) or rng.random() < 0.15:
                return None
            t += rng.uniform(0.5, 12)
        return self.ok(t, body, comp, finish, **kw)


def model_at(t, pre, post, pivot):
    return post if pivot is not None and t >= pivot else pre


# ----------------------------------------------------------------------------------------------
# attack prompt supply: the corpora a harvester would mine, shuffled, consumed without repetition,
# mutated Evol-Instruct style when a pool comes round again


class Pool:
    def __init__(self, items, rng):
        self.items = list(items)
        self.rng = rng
        rng.shuffle(self.items)
        self.i = 0
        self.round = 0

    def next(self):
        if self.i >= len(self.items):
            self.rng.shuffle(self.items)
            self.i = 0
            self.round += 1
        x = self.items[self.i]
        self.i += 1
        return x, self.round


LANGS = ["Spanish", "French", "German", "Chinese", "Japanese", "Portuguese", "Korean", "Russian", "Italian", "Vietnamese"]
CODE_LANGS = ["Rust", "Go", "Java", "TypeScript", "C++", "Kotlin", "C#", "Swift"]
EVOL = [
    "Add one more realistic constraint to the following task, state the new task, and then solve it completely.\n\n{p}",
    "{p}\n\nAnswer in {lang}.",
    "Answer the following twice: first for a complete beginner, then for an expert.\n\n{p}",
    "Rewrite this problem with different numbers and names, then solve the rewritten version.\n\n{p}",
    "{p}\n\nGive two different approaches and say which one is better and why.",
    "Make the following task harder by requiring one extra step, then answer the harder version.\n\n{p}",
    "{p}\n\nAfter answering, list three common mistakes people make on this kind of question.",
    "Here is a task:\n\"\"\"\n{p}\n\"\"\"\nWrite an ideal, thorough response to it.",
    "{p}\n\nExplain it as if you were teaching a university class, with examples.",
    "Create a more specific version of the following request for a particular real-world scenario, then fulfil it.\n\n{p}",
]


def evolve(rng, p, force=False, prob=0.3, styles=EVOL):
    if not force and rng.random() >= prob:
        return p
    return fill(rng.choice(styles), {"p": p, "lang": rng.choice(LANGS)})


def code_item(rng, he):
    prompt, _, entry = he
    k = rng.random()
    if k < 0.45:
        return "Complete the following Python function. Give the full implementation and explain how it works.\n\n```python\n%s```" % prompt
    if k < 0.7:
        return "Translate this Python function to %s, completing its body first, and explain the differences between the two versions.\n\n```python\n%s```" % (rng.choice(CODE_LANGS), prompt)
    if k < 0.85:
        return "Implement `%s` below, then write thorough unit tests for it and analyse its time and space complexity.\n\n```python\n%s```" % (entry, prompt)
    return "```python\n%s```\nWrite a correct and efficient implementation of this function. Think about edge cases first." % prompt


class AttackSupply:
    def __init__(self, W):
        C = W.C
        rng = W.rng("attack-supply")
        self.rng = rng
        self.math = Pool(C.gsm_train, rng)
        self.code = Pool(C.he + [("# task\n" + p + "\n", "", "solution") for _, p, dev in C.awesome if dev], rng)
        gen = [i for i, _ in C.alp] + C.koala
        gen += [(i + ("\n\n" + x if x else "")) for i, x, _ in C.seed + C.user_tasks]
        gen += [p for _, p, dev in C.awesome if not dev]
        gen += [d["turns"][0] for d in C.vic + C.mt]
        gen += [p for p, _ in C.t0.get("adversarial_qa_dbert_based_on", [])]
        hh = [h for h in C.hh_user if len(h) > 40]
        rng.shuffle(hh)
        gen += hh[: len(hh) // 4]
        self.gen = Pool(gen, rng)

    def take(self, kind, rng, evol_prob=0.25, styles=None):
        if kind == "math":
            p, rnd = self.math.next()
        elif kind == "code":
            item, rnd = self.code.next()
            p = code_item(rng, item)
        else:
            p, rnd = self.gen.next()
        return evolve(rng, p, force=rnd > 0, prob=evol_prob, styles=styles or EVOL)

    def mixed(self, rng, w=(0.4, 0.2, 0.4), evol_prob=0.25, styles=None):
        k = rng.choices(("math", "code", "gen"), w)[0]
        return self.take(k, rng, evol_prob, styles), k


def long_out(rng, lo, hi):
    return int(math.exp(rng.uniform(math.log(lo), math.log(hi))))


# ----------------------------------------------------------------------------------------------
# ATTACKS


AGENT_SYS = ("You are Atlas, an autonomous research assistant. You can call tools to search the web and run Python. "
             "Work carefully: plan, gather information, reason about it, and then write a complete, well-structured final answer. "
             "Always answer the user's latest message in full detail, using Markdown headings, lists and code blocks where helpful. "
             "Never mention that you are an AI model or that you used tools unless asked.")
AGENT_TOOLS = [
    {"type": "function", "function": {"name": "web_search", "description": "Search the web and return the top results with snippets.",
                                      "parameters": {"type": "object", "properties": {"query": {"type": "string"}, "num_results": {"type": "integer", "default": 5}}, "required": ["query"]}}},
    {"type": "function", "function": {"name": "python", "description": "Execute Python code in a sandbox and return stdout.",
                                      "parameters": {"type": "object", "properties": {"code": {"type": "string"}}, "required": ["code"]}}},
    {"type": "function", "function": {"name": "fetch_url", "description": "Fetch a web page and return its readable text.",
                                      "parameters": {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]}}},
]


def fake_history(rng, C, k, tools=True):
    msgs = []
    for _ in range(k):
        if rng.random() < 0.5 and C.alp:
            q, a = rng.choice(C.alp)
        else:
            q = rng.choice(C.hh_user if rng.random() < 0.5 else C.koala)
            a = rng.choice(C.paragraphs)
        msgs.append({"role": "user", "content": q})
        if tools and rng.random() < 0.35:
            cid = rid(rng, "call_", 24)
            msgs.append({"role": "assistant", "content": None, "tool_calls": [
                {"id": cid, "type": "function", "function": {"name": "web_search", "arguments": json.dumps({"query": trunc(q, 80)})}}]})
            res = [{"title": trunc(s, 60), "url": "https://%s/%s" % (rng.choice(["en.wikipedia.org/wiki", "www.britannica.com", "medium.com", "stackoverflow.com/questions", "www.reddit.com/r/AskScience"]), rid(rng, "", 8)),
                    "snippet": trunc(s, 240)} for s in rng.sample(C.paragraphs, 3)]
            msgs.append({"role": "tool", "tool_call_id": cid, "content": json.dumps(res)})
        msgs.append({"role": "assistant", "content": trunc(a, rng.randint(300, 1600))})
    return msgs


def A_agentic_research(W, S):
    """(a1) Multi-turn 'research agent' harvester: every request is a new fabricated conversation
    (prior user/assistant turns, sometimes a fake tool round), whose final user turn is a new prompt."""
    rng = W.rng("agentic-research")
    C = W.C
    nets = [W.net(rng, "cloud") for _ in range(2)]
    a = Acct(W, "agentic_research_harvester", "attack", rng, "OpenAI/Python 1.66.3",
             [W.host(rng, nets[i % 2]) for i in range(5)], nkeys=4, err=0.004, r429=0.035, on429="rotate")
    st = rng.sample(EVOL, 4)
    library = [fake_history(rng, C, rng.randint(1, 3)) for _ in range(50)]
    n = W.n(3800)
    # runs 24/7 with a few worker restarts (gaps)
    gaps = [(W.t0 + rng.uniform(0.5, W.days) * DAY, rng.uniform(1, 5) * HOUR) for _ in range(3)]
    times = sample_times(rng, n, W.t0 + 2 * HOUR, W.t1, lambda t: 0.0 if any(g <= t < g + d for g, d in gaps) else 1.0)
    for t in times:
        hist = rng.choice(library) if rng.random() < 0.6 else fake_history(rng, C, rng.randint(1, 4))
        final, kind = S.mixed(rng, (0.35, 0.2, 0.45), styles=st)
        if rng.random() < 0.3:
            final = rng.choice(["Thanks. New question: ", "Great, that helps. Next: ", "OK. Now something different. ", ""]) + final
        body = {"model": model_at(t, "gpt-4o", "gpt-4.1", REL_41 + rng.uniform(2, 14) * HOUR),
                "messages": [{"role": "system", "content": AGENT_SYS}] + hist + [{"role": "user", "content": final}],
                "temperature": 0.7, "max_tokens": 4096}
        if rng.random() < 0.5:
            body["tools"] = AGENT_TOOLS
            body["tool_choice"] = "none"
        a.send(t, body, long_out(rng, 600, 3200))


CODE_SYS = ("You are DevPilot, an expert software engineering agent working inside the user's repository. "
            "You have tools to read files and run shell commands. Think before you act, keep changes minimal, and explain your work. "
            "When the user asks a question, answer it completely with working code.")
CODE_TOOLS = [
    {"type": "function", "function": {"name": "read_file", "description": "Read a file from the workspace.",
                                      "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}}},
    {"type": "function", "function": {"name": "run_command", "description": "Run a shell command in the workspace and return its output.",
                                      "parameters": {"type": "object", "properties": {"command": {"type": "string"}, "timeout": {"type": "integer"}}, "required": ["command"]}}},
    {"type": "function", "function": {"name": "write_file", "description": "Create or overwrite a file.",
                                      "parameters": {"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string"}}, "required": ["path", "content"]}}},
    {"type": "function", "function": {"name": "search", "description": "Search the codebase with a regular expression.",
                                      "parameters": {"type": "object", "properties": {"pattern": {"type": "string"}, "glob": {"type": "string"}}, "required": ["pattern"]}}},
]


def code_file(rng, C, k=None):
    k = k or rng.randint(1, 3)
    items = rng.sample(C.he, k)
    body = "\n\n".join(p + s for p, s, _ in items)
    return items[0][2], body


def parts(text):
    return [{"type": "text", "text": text}]


def A_agentic_coder(W, S):
    """(a2) Harvester disguised as a coding agent: tools declared, a fake read_file round, then a new
    coding or maths task as the final turn. Jobs run in batches with pauses; JS client, content parts."""
    rng = W.rng("agentic-coder")
    C = W.C
    net = W.net(rng, "vps")
    a = Acct(W, "agentic_coding_harvester", "attack", rng, "OpenAI/JS 4.86.0",
             [W.host(rng, net) for _ in range(3)], nkeys=2, err=0.004, r429=0.02, on429="rotate")
    st = rng.sample(EVOL, 4)
    n = W.n(1900)
    t = W.t0 + 1.4 * DAY + rng.uniform(0, 6) * HOUR
    made = 0
    while made < n and t < W.t1:
        batch = rng.randint(80, 320)
        conc = rng.randint(4, 10)
        for _ in range(batch):
            if made >= n:
                break
            fn, src = code_file(rng, C)
            path = "src/%s/%s.py" % (rng.choice(["core", "utils", "lib", "app", "algo"]), fn)
            cid = rid(rng, "call_", 24)
            final, kind = S.mixed(rng, (0.3, 0.5, 0.2), styles=st)
            msgs = [{"role": "system", "content": CODE_SYS},
                    {"role": "user", "content": parts("Take a look at %s and tell me what it does." % path)},
                    {"role": "assistant", "content": None, "tool_calls": [{"id": cid, "type": "function", "function": {"name": "read_file", "arguments": json.dumps({"path": path})}}]},
                    {"role": "tool", "tool_call_id": cid, "content": src},
                    {"role": "assistant", "content": trunc(rng.choice(C.paragraphs), rng.randint(200, 700))},
                    {"role": "user", "content": parts(final)}]
            body = {"model": model_at(t, "gpt-4o", "gpt-4.1", REL_41 + rng.uniform(1, 8) * HOUR), "messages": msgs,
                    "tools": CODE_TOOLS, "temperature": 0.6, "max_tokens": 4096, "stream": True, "stream_options": {"include_usage": True}}
            a.send(t, body, long_out(rng, 500, 2800))
            made += 1
            t += rng.expovariate(conc / max(3.0, a.last_latency))
        t += rng.uniform(1.0, 5.0) * HOUR


HYDRA_SYS = [
    "You are an expert tutor. Give a complete, rigorous, step-by-step solution and end with the final answer.",
    "You are a world-class teacher. Solve the problem fully, explaining every step, and finish with the final answer.",
    "Act as an expert instructor: provide a thorough, step-by-step worked solution, then state the final answer clearly.",
    "You are a patient, expert tutor. Work through the problem carefully step by step and conclude with the answer.",
    "As an experienced educator, write a detailed solution that walks through each step and ends with the final result.",
    "You are a helpful expert. Provide a detailed, well-structured explanation of the solution, step by step, then the answer.",
    "You are a knowledgeable tutor; explain your full reasoning in clear numbered steps and give the final answer at the end.",
    "Respond as a top-tier teacher would: a complete step-by-step derivation, checked for errors, followed by the final answer.",
]


def A_hydra(W, S):
    """(b) Hydra: 30 initial small accounts plus replacements created mid-window as others go quiet
    (as if banned); shared /24s and client; paraphrased system prompts; staggered shifts; one prompt
    set (maths and code) split between them; a 429 moves the request to a sibling account."""
    rng = W.rng("hydra")
    nets = [W.net(rng, "vps") for _ in range(3)]
    W.shared["hydra_nets"] = nets
    n_init = max(6, int(round(30 * min(1.0, W.scale ** 0.5))))
    n_repl = max(3, n_init // 2)
    members = []

    def make(born, dies):
        ua = "OpenAI/Python 1.59.9" if rng.random() < 0.75 else "python-requests/2.32.3"
        ips = [W.host(rng, rng.choice(nets)) for _ in range(rng.randint(1, 2))]
        a = Acct(W, "hydra_member", "attack", rng, ua, ips, nkeys=1, err=0.004, r429=0.0)
        sys_p = rng.choice(HYDRA_SYS) + rng.choice(["", "", " Use Markdown.", " Be precise.", " Show all work."])
        m = {"acct": a, "born": born, "dies": dies, "sys": sys_p, "shift": rng.uniform(0, 24),
             "len": rng.uniform(3, 9), "n": lognorm_int(rng, 55, 0.6, 15, 150),
             "temp": rng.choice([0.6, 0.7, 0.7, 0.8]), "max": rng.choice([2048, 3000, 4096]),
             "gap": rng.uniform(25, 200)}
        members.append(m)
        return m

    st = rng.sample(EVOL, 4)
    replaced = rng.sample(range(n_init), min(n_repl, n_init))
    for i in range(n_init):
        born = W.t0 + rng.uniform(0, 0.6) * DAY
        dies = W.t1
        if i in replaced:
            dies = born + rng.uniform(1.0, max(1.2, W.days - 1.5)) * DAY
        make(born, dies)
    for i in replaced:
        pred = members[i]
        b = pred["dies"] + rng.uniform(1, 10) * HOUR
        if b < W.t1 - 6 * HOUR:
            make(b, W.t1)
    # schedule: each member gets a daily quota, sent in a burst inside its own shift window
    plan = []
    for m in members:
        d_first = int((m["born"] - W.t0) // DAY)
        d_last = int((min(m["dies"], W.t1 - 1) - W.t0) // DAY)
        days = [d for d in range(d_first, d_last + 1) if rng.random() > 0.2] or [d_first]
        quota = max(1, int(math.ceil(m["n"] / float(len(days)))))
        left = m["n"]
        last = m["born"]
        for d in days:
            ws = W.t0 + d * DAY + (m["shift"] + rng.uniform(-1, 1)) * HOUR
            x = max(ws, m["born"])
            k = min(left, max(1, int(quota * rng.uniform(0.6, 1.4))))
            for _ in range(k):
                if x >= m["dies"] or x >= ws + m["len"] * HOUR:
                    break
                plan.append((x, m))
                last = x
                left -= 1
                x += m["gap"] * rng.uniform(0.5, 1.6)
            if left <= 0:
                break
        m["dies"] = last + 60
    plan.sort(key=lambda x: x[0])
    for t, m in plan:
        a = m["acct"]
        kind = "math" if rng.random() < 0.7 else "code"
        body = {"model": model_at(t, "gpt-4o", "gpt-4.1", REL_41 + rng.uniform(3, 12) * HOUR),
                "messages": [{"role": "system", "content": m["sys"]}, {"role": "user", "content": S.take(kind, rng, 0.15, st)}],
                "temperature": m["temp"], "max_tokens": m["max"]}
        comp = long_out(rng, 400, 2200)
        if rng.random() < 0.04:
            a.error(t, body, 429)
            alive = [o for o in members if o is not m and o["born"] <= t <= o["dies"]]
            if alive:
                o = rng.choice(alive)
                o["acct"].ok(t + rng.uniform(0.5, 4), body, comp)
                continue
            t += rng.uniform(2, 20)
        a.send(t, body, comp)


COT_SYS = [
    "You are a meticulous reasoning engine. For every problem, think step by step and write out every intermediate step inside <thinking></thinking> tags, check your work, then give the final answer inside <answer></answer> tags.",
    "Solve problems by reasoning out loud. Show your complete chain of thought, including false starts you correct, before the final answer.",
]
COT_CUES = [
    "Think step by step. Show your complete reasoning before giving the final answer.",
    "Let's work this out in a step by step way to be sure we have the right answer.",
    "Explain your reasoning in detail at every step, verify each step, and only then state the answer.",
    "Show your full reasoning process, then give the final answer on its own line.",
    "请一步一步地思考，写出完整的推理过程，然后给出最终答案。",
    "Piensa paso a paso y muestra todo tu razonamiento antes de dar la respuesta final.",
    "Denke Schritt für Schritt nach und zeige deinen vollständigen Lösungsweg, bevor du die Antwort gibst.",
    "Réfléchis étape par étape et montre tout ton raisonnement avant de donner la réponse finale.",
]


def A_cot(W, S):
    """(c) Chain-of-thought elicitation: maths/code/logic prompts wrapped in reasoning cues (several
    languages), long outputs, rides the rate limit around the clock, some traffic on a reasoning model."""
    rng = W.rng("cot")
    C = W.C
    net = W.net(rng, "cloud")
    a = Acct(W, "cot_harvester", "attack", rng, "AsyncOpenAI/Python 1.63.2",
             [W.host(rng, net) for _ in range(2)], nkeys=2, err=0.005, r429=0.06, on429="retry")
    n = W.n(2600)
    st = rng.sample(EVOL, 4)
    mt_reason = [d["turns"][0] for d in C.mt if d.get("category") in ("reasoning", "math", "coding", "stem")]
    times = sample_times(rng, n, W.t0 + rng.uniform(0, 8) * HOUR, W.t1, lambda t: 0.85 + 0.15 * rng.random())
    for t in times:
        r = rng.random()
        if r < 0.62:
            q = S.take("math", rng, 0.2, st)
        elif r < 0.85:
            q = S.take("code", rng, 0.1, st)
        elif r < 0.9 and mt_reason:
            q = evolve(rng, rng.choice(mt_reason), force=True, styles=st)
        else:
            q = S.take("gen", rng, 0.2, st)
        cue = rng.choices(COT_CUES, [5, 3, 3, 3, 2, 1, 1, 1])[0]
        q = (cue + "\n\n" + q) if rng.random() < 0.4 else (q + "\n\n" + cue)
        if t >= REL_O4 + 3 * HOUR and rng.random() < 0.25:
            body = {"model": "o4-mini", "messages": [{"role": "developer", "content": rng.choice(COT_SYS)}, {"role": "user", "content": q}],
                    "max_completion_tokens": 16000, "reasoning_effort": "high"}
            reasoning = long_out(rng, 1500, 9000)
            a.send(t, body, reasoning + long_out(rng, 600, 2500), reasoning=reasoning)
            continue
        msgs = [{"role": "user", "content": q}]
        if rng.random() < 0.7:
            msgs.insert(0, {"role": "system", "content": rng.choice(COT_SYS)})
        body = {"model": model_at(t, "gpt-4o", "gpt-4.1", REL_41 + rng.uniform(1, 6) * HOUR), "messages": msgs,
                "temperature": rng.choice([0.7, 0.8, 1.0]), "max_tokens": 8192}
        a.send(t, body, long_out(rng, 1100, 5200))


DECOYS = ["hey", "thanks!", "what's a good name for a golden retriever puppy?", "how many ounces in a cup",
          "can you recommend a movie for tonight?", "what time zone is Denver in", "lol ok",
          "write a haiku about coffee", "is it going to be hard to learn guitar at 40?", "tell me a joke"]


def A_slow(W, S):
    """(d) Slow-and-low: (d1) ~90 requests a day around the clock through a residential proxy pool;
    (d2) ~60 a day at office hours from one address, with decoy small talk."""
    rng = W.rng("slow")
    pool = [W.host(rng, W.net(rng, "resid")) for _ in range(70)]
    a = Acct(W, "slow_low_harvester", "attack", rng, "OpenAI/Python 1.61.1", pool, nkeys=1, err=0.004)
    st = rng.sample(EVOL, 5)
    n = W.n(640)
    for t in sample_times(rng, n, W.t0, W.t1, lambda t: rng.uniform(0.6, 1.0)):
        q, kind = S.mixed(rng, (0.35, 0.2, 0.45), 0.35, st)
        body = {"model": model_at(t, "gpt-4o", "gpt-4.1", REL_41 + 20 * HOUR),
                "messages": [{"role": "user", "content": q}], "temperature": 0.8, "max_tokens": 4096}
        if rng.random() < 0.5:
            body["messages"].insert(0, {"role": "system", "content": "You are a helpful assistant. Answer thoroughly."})
        a.send(t, body, long_out(rng, 700, 2600))
    rng2 = W.rng("slow2")
    b = Acct(W, "slow_low_harvester", "attack", rng2, "python-requests/2.31.0",
             [W.host(rng2, W.net(rng2, "resid"))], nkeys=1, err=0.004)
    n2 = W.n(430)
    st2 = rng2.sample(EVOL, 4)
    for t in sample_times(rng2, n2, W.t0, W.t1, lambda t: human_w(t, -5, 0.35)):
        if rng2.random() < 0.1:
            body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": rng2.choice(DECOYS)}]}
            b.send(t, body, rng2.randint(15, 120))
            continue
        q, kind = S.mixed(rng2, (0.3, 0.3, 0.4), 0.3, st2)
        body = {"model": model_at(t, "gpt-4o", "gpt-4.1", REL_41 + 30 * HOUR),
                "messages": [{"role": "user", "content": q}], "max_tokens": 3000}
        b.send(t, body, long_out(rng2, 600, 2400))


def A_fake_chat_app(W, S):
    """(e) Harvester mimicking a consumer chat app: rotating made-up `user` ids (each used a few
    times at most), diurnal-looking load, a generic assistant persona, occasional fake prior turn."""
    rng = W.rng("fake-chat-app")
    C = W.C
    net = W.net(rng, "cloud")
    a = Acct(W, "fake_chat_app_harvester", "attack", rng, "OpenAI/JS 4.73.1",
             [W.host(rng, net) for _ in range(4)], nkeys=1, err=0.004, r429=0.01)
    n = W.n(3100)
    users = []
    st = rng.sample(EVOL, 4)
    sysp = "You are ChatPal, a friendly and knowledgeable assistant. Answer the user's question helpfully and in detail."
    for t in sample_times(rng, n, W.t0, W.t1, lambda t: 0.3 + 0.7 * human_w(t, -5, 0.8)):
        if not users or rng.random() < 0.62:
            users.append("cp_" + rid(rng, "", 12, "0123456789abcdefghijklmnopqrstuvwxyz"))
        u = rng.choice(users[-40:])
        q, kind = S.mixed(rng, (0.25, 0.15, 0.6), 0.3, st)
        msgs = [{"role": "system", "content": sysp}]
        if rng.random() < 0.15:
            msgs += [{"role": "user", "content": rng.choice(DECOYS)},
                     {"role": "assistant", "content": trunc(rng.choice(C.paragraphs), 300)}]
        msgs.append({"role": "user", "content": q})
        body = {"model": model_at(t, "gpt-4o", "gpt-4.1", REL_41 + 10 * HOUR), "messages": msgs,
                "temperature": 0.7, "max_tokens": 2048, "stream": True, "stream_options": {"include_usage": True}, "user": u}
        a.send(t, body, long_out(rng, 450, 2100))


def A_multisample(W, S):
    """(f) Multi-sample harvesting: (f1) n=4..8 at high temperature, often with top_logprobs=20;
    (f2) the same prompt sent 4-8 times in a row with temperature ~1 and different seeds."""
    rng = W.rng("multisample")
    net = W.net(rng, "cloud")
    a = Acct(W, "multisample_harvester", "attack", rng, "AsyncOpenAI/Python 1.63.2",
             [W.host(rng, net)], nkeys=2, err=0.004, r429=0.03, on429="rotate")
    n = W.n(1050)
    st = rng.sample(EVOL, 3)
    for t in sample_times(rng, n, W.t0 + 0.3 * DAY, W.t1):
        q = S.take("math" if rng.random() < 0.6 else "code", rng, 0.1, st)
        k = rng.choice([4, 4, 5, 8, 8, 6])
        body = {"model": model_at(t, "gpt-4o-mini", "gpt-4.1-mini", REL_41 + 5 * HOUR),
                "messages": [{"role": "user", "content": q}], "n": k, "temperature": 1.0, "top_p": 0.95, "max_tokens": 2048}
        if rng.random() < 0.4:
            body["logprobs"] = True
            body["top_logprobs"] = 20
        a.send(t, body, [long_out(rng, 250, 1100) for _ in range(k)])
    rng2 = W.rng("multisample2")
    b = Acct(W, "repeat_sample_harvester", "attack", rng2, "python-httpx/0.28.1",
             [W.host(rng2, W.net(rng2, "vps")) for _ in range(2)], nkeys=1, err=0.004, r429=0.02)
    nprompts = W.n(620)
    starts = sample_times(rng2, nprompts, W.t0 + 0.8 * DAY, W.t1, lambda t: 1.0 if int(local(t, 8)[0]) not in (3, 4, 5) else 0.1)
    sysp = "Solve the problem. Show your work, then give the final answer after '####'."
    for t in starts:
        q = S.take("math" if rng2.random() < 0.75 else "gen", rng2, 0.05, st)
        k = rng2.randint(4, 8)
        temp = rng2.choice([0.9, 1.0, 1.1, 1.2])
        for i in range(k):
            body = {"model": model_at(t, "gpt-4o", "gpt-4.1", REL_41 + 12 * HOUR),
                    "messages": [{"role": "system", "content": sysp}, {"role": "user", "content": q}],
                    "temperature": temp, "max_tokens": 1500, "seed": rng2.randint(1, 2 ** 31 - 1)}
            b.send(t, body, long_out(rng2, 220, 1000))
            t += b.last_latency + rng2.uniform(0.05, 2.0)


# ----------------------------------------------------------------------------------------------
# BENIGN

TARGETS = [("German", 1.25), ("French", 1.22), ("Spanish", 1.2), ("Japanese", 1.15), ("Korean", 1.2),
           ("Portuguese (Brazil)", 1.2), ("Italian", 1.2), ("Dutch", 1.2), ("Polish", 1.35), ("Turkish", 1.4),
           ("Chinese (Simplified)", 0.95), ("Arabic", 1.3), ("Swedish", 1.15), ("Czech", 1.35)]


def B_translation(W):
    """Localization platform: distinct long documents, long outputs, 24/7 with customer-driven swell."""
    rng = W.rng("translation")
    C = W.C
    nets = [W.net(rng, "cloud") for _ in range(2)]
    a = Acct(W, "translation_service", "benign", rng, "OpenAI/Python 1.52.2",
             [W.host(rng, nets[i % 2]) for i in range(6)], nkeys=3, err=0.003, r429=0.006)
    n = W.n(15000)
    P = C.paragraphs
    glossaries = ["Glossary (keep exactly): Workspace, Dashboard, Smart Sync", "Glossary: 'checkout' -> keep in English; 'cart' -> localize",
                  "Do not translate product names: NimbusDrive, NimbusDrive Pro", "Use the formal form of address."]
    for t in sample_times(rng, n, W.t0, W.t1, lambda t: 0.5 + 0.5 * human_w(t, 1, 0.7)):
        tgt, f = rng.choice(TARGETS)
        k = rng.choices([1, 2, 3, 4, 6], [30, 30, 20, 12, 8])[0]
        s = rng.randrange(len(P))
        doc = "\n\n".join(P[(s + i) % len(P)] for i in range(k))
        if rng.random() < 0.15:
            sents = rng.sample(C.sentences, rng.randint(5, 25))
            doc = json.dumps({"strings": {"%s.%d" % (rng.choice(["ui", "email", "help", "checkout"]), i): x for i, x in enumerate(sents)}}, ensure_ascii=False, indent=1)
        sysp = ("You are a professional translator. Translate the user's text from English into %s. Preserve Markdown, line breaks, "
                "numbers, URLs and placeholders such as {{name}} or %%s exactly. Output only the translation, with no commentary." % tgt)
        if rng.random() < 0.3:
            sysp += "\n" + rng.choice(glossaries)
        premium = rng.random() < 0.15
        model = model_at(t, "gpt-4o" if premium else "gpt-4o-mini", "gpt-4.1" if premium else "gpt-4o-mini", REL_41 + 30 * HOUR)
        body = {"model": model, "messages": [{"role": "system", "content": sysp}, {"role": "user", "content": doc}],
                "temperature": 0.2, "max_tokens": 8192 if k >= 4 else 4096}
        a.send(t, body, int(ntok(doc) * f * rng.uniform(0.9, 1.08)))


EVAL_DOMAINS = ["personal finance", "SaaS billing support", "pharmacy benefits", "HR policy questions", "travel booking",
                "insurance claims", "K-12 math tutoring", "home repair advice", "legal intake triage", "e-commerce returns",
                "cloud infrastructure troubleshooting", "nutrition coaching", "real-estate listings", "tax preparation",
                "car maintenance", "medical appointment scheduling", "spreadsheet formulas", "SQL analytics", "cybersecurity awareness",
                "logistics and shipping", "university admissions", "mobile phone plans", "energy utility billing", "recipe planning"]
EVAL_SKILLS = ["multi-step arithmetic", "reading comprehension", "policy lookup", "tone rewriting", "summarization",
               "SQL query writing", "unit conversion", "scheduling with constraints", "field extraction", "refusing an unsafe request",
               "code explanation", "logic puzzle", "comparison of options", "clarifying question", "date arithmetic", "table reasoning"]


def B_evalset_build(W):
    """A customer builds a synthetic evaluation set once: one working day of generation with few-shot
    examples (JSON out, temperature 1), then a short filtering pass; nothing before or after."""
    rng = W.rng("evalset")
    C = W.C
    day = int(min(5, max(0, W.days - 1)))
    a = Acct(W, "evalset_build_oneoff", "benign", rng, "AsyncOpenAI/Python 1.64.0",
             [W.host(rng, W.net(rng, "cloud"))], nkeys=1, err=0.004, r429=0.02)
    exs = [i + (("\nInput: " + x) if x else "") for i, x, _ in C.seed + C.user_tasks] + [d["turns"][0] for d in C.mt] + C.gsm_test[:300]
    product = rng.choice(["Orbit", "Helpdesk AI", "Clara", "Pilot"])
    n = W.n(2400)
    t = W.t0 + day * DAY + 13.2 * HOUR
    end = t + 9 * HOUR
    made = 0
    while made < n and t < end:
        if rng.random() < 0.002:
            t += rng.uniform(10, 50) * 60     # the script crashed; restarted later
        dom, sk, diff = rng.choice(EVAL_DOMAINS), rng.choice(EVAL_SKILLS), rng.choice(["easy", "medium", "hard"])
        e = rng.sample(exs, 3)
        prompt = ("We are building an internal evaluation set for %s, an assistant for %s.\nWrite ONE new test item for the skill "
                  "\"%s\" at %s difficulty. It must be realistic and clearly different from these examples:\n\nExample 1: %s\n\nExample 2: %s\n\nExample 3: %s\n\n"
                  "Return JSON with keys: question, reference_answer, grading_rubric (3-5 bullet points), difficulty, tags."
                  % (product, dom, sk, diff, trunc(e[0], 600), trunc(e[1], 600), trunc(e[2], 600)))
        body = {"model": "gpt-4o", "messages": [{"role": "system", "content": "You write high-quality, unambiguous evaluation items. Output valid JSON only."},
                                                {"role": "user", "content": prompt}],
                "temperature": 1.0, "max_tokens": 1200, "response_format": {"type": "json_object"}}
        a.send(t, body, long_out(rng, 260, 750))
        made += 1
        t += rng.expovariate(6 / max(2.0, a.last_latency))
    t = max(t, end - 1.5 * HOUR) + 20 * 60
    pool = [i for i, _ in C.alp]
    for _ in range(W.n(600)):
        q = rng.choice(pool)
        item = json.dumps({"question": q, "reference_answer": trunc(rng.choice(C.paragraphs), 500), "difficulty": rng.choice(["easy", "medium", "hard"])})
        body = {"model": "gpt-4o-mini", "messages": [{"role": "system", "content": "You review evaluation items. Reply with exactly one word: keep or drop."},
                                                     {"role": "user", "content": "Is this item correct, unambiguous and self-contained?\n\n" + item}],
                "temperature": 0, "max_tokens": 3}
        a.send(t, body, 1)
        t += rng.expovariate(10 / 0.6)


def gsm_fewshot(C, k=8):
    shots = []
    for q, ans in C.gsm_train_qa[:k]:
        sol = re.sub(r"<<[^>]*>>", "", ans)
        body, _, final = sol.rpartition("####")
        shots.append("Question: %s\nAnswer: Let's think step by step. %s The answer is %s." % (q, " ".join(body.split()), final.strip()))
    return "\n\n".join(shots)


def run_burst(a, rng, t, items, conc, make, comp):
    for it in items:
        body = make(t, it)
        done = a.send(t, body, comp(it))
        t += rng.expovariate(conc / max(0.4, a.last_latency))
    return t


def B_eval_lab(W):
    """Eval harness: GSM8K 8-shot CoT (temperature 0) on each model version, HumanEval pass@5 (n=5),
    re-run when new models are released."""
    rng = W.rng("eval-lab")
    C = W.C
    a = Acct(W, "eval_harness_lab", "benign", rng, "OpenAI/Python 1.68.2",
             [W.host(rng, W.net(rng, "cloud")) for _ in range(2)], nkeys=2, err=0.003, r429=0.015)
    shots = gsm_fewshot(C)
    test = list(range(len(C.gsm_test)))

    def gsm(model, limit=None):
        def make(t, i):
            body = {"model": model, "messages": [{"role": "user", "content": shots + "\n\nQuestion: %s\nAnswer: Let's think step by step." % C.gsm_test[i]}],
                    "temperature": 0, "max_tokens": 512, "stop": ["Question:", "</s>"]}
            if model.startswith("o"):
                body = {"model": model, "messages": body["messages"], "max_completion_tokens": 4096}
            return body
        return make

    def gsm_comp(i):
        return int(ntok(C.gsm_test_ans[i]) * rng.uniform(1.1, 1.7)) + 10

    runs = [(0.62, "gpt-4o-mini", "gsm"), (1.45, "gpt-4o", "gsm"), (1.6, "gpt-4o", "he"),
            ((REL_41 - W.t0) / DAY + 0.05, "gpt-4.1", "gsm"), ((REL_41 - W.t0) / DAY + 0.09, "gpt-4.1-mini", "gsm"),
            ((REL_41 - W.t0) / DAY + 0.13, "gpt-4.1-nano", "gsm"), ((REL_41 - W.t0) / DAY + 0.2, "gpt-4.1", "he"),
            ((REL_41 - W.t0) / DAY + 0.22, "gpt-4.1-mini", "he"), (5.55, "gpt-4o", "gsm-part"),
            ((REL_O4 - W.t0) / DAY + 0.1, "o4-mini", "gsm"), ((REL_O4 - W.t0) / DAY + 0.16, "o4-mini", "he")]
    for d, model, kind in runs:
        t = W.t0 + d * DAY
        if t >= W.t1:
            continue
        if kind.startswith("gsm"):
            items = test if kind == "gsm" else test[:400]
            items = items[: W.n(len(items))]
            if model.startswith("o"):
                for i in items:
                    r = rng.randint(200, 1800)
                    a.send(t, gsm(model)(t, i), r + gsm_comp(i), reasoning=r)
                    t += rng.expovariate(24 / max(1.0, a.last_latency))
            else:
                run_burst(a, rng, t, items, 24, gsm(model), gsm_comp)
        else:
            items = C.he[: W.n(len(C.he))]

            def make(t, it, model=model):
                b = {"model": model, "messages": [
                    {"role": "system", "content": "Complete the Python function. Reply with only the code in a single ```python block."},
                    {"role": "user", "content": it[0]}], "n": 5, "temperature": 0.8, "top_p": 0.95, "max_tokens": 768}
                if model.startswith("o"):
                    b = {"model": model, "messages": b["messages"], "n": 5, "max_completion_tokens": 4096}
                return b
            run_burst(a, rng, t, items, 8, make, lambda it: [int(ntok(it[1]) * rng.uniform(1.0, 2.2)) + 20 for _ in range(5)])


def B_eval_platform(W):
    """Eval platform: nightly MT-bench (2 turns) and Vicuna-bench on a fixed set of models, plus the
    AlpacaEval generation pass (805 instructions, long answers) when a model is added."""
    rng = W.rng("eval-platform")
    C = W.C
    a = Acct(W, "eval_harness_platform", "benign", rng, "python-httpx/0.27.2",
             [W.host(rng, W.net(rng, "cloud"))], nkeys=1, err=0.004, r429=0.01)
    sysp = "You are a helpful assistant."
    for d in range(int(math.ceil(W.days))):
        models = ["gpt-4o-mini", "gpt-4o"]
        if W.t0 + d * DAY > REL_41:
            models.append("gpt-4.1-mini")
        t = W.t0 + d * DAY + 1.5 * HOUR + rng.uniform(0, 0.5) * HOUR
        for model in models:
            for q in C.mt:
                ref = C.mtref.get(q["question_id"], ["", ""])
                t1 = t
                b1 = {"model": model, "messages": [{"role": "system", "content": sysp}, {"role": "user", "content": q["turns"][0]}],
                      "temperature": 0.7 if q.get("category") in ("writing", "roleplay", "humanities") else 0.0, "max_tokens": 1024}
                t1 = a.send(t, b1, max(int(ntok(ref[0]) * rng.uniform(0.8, 1.3)), long_out(rng, 60, 700)))
                if t1 is not None and len(q["turns"]) > 1:
                    ans = ref[0] or trunc(rng.choice(C.paragraphs), 1200)
                    b2 = dict(b1)
                    b2["messages"] = b1["messages"] + [{"role": "assistant", "content": ans}, {"role": "user", "content": q["turns"][1]}]
                    a.send(t1 + a.last_latency + 0.05, b2, max(int(ntok(ref[-1]) * rng.uniform(0.8, 1.3)), long_out(rng, 60, 700)))
                t += rng.expovariate(4 / 6.0)
            for q in C.vic:
                ref = C.vicref.get(q["question_id"], [""])
                b = {"model": model, "messages": [{"role": "system", "content": sysp}, {"role": "user", "content": q["turns"][0]}],
                     "temperature": 0.7, "max_tokens": 1024}
                a.send(t, b, max(int(ntok(ref[0]) * rng.uniform(0.8, 1.3)), long_out(rng, 150, 800)))
                t += rng.expovariate(4 / 6.0)
    for d, model in ((1.55, "gpt-4o-mini"), ((REL_41 - W.t0) / DAY + 0.3, "gpt-4.1-mini")):
        t = W.t0 + d * DAY
        if t >= W.t1:
            continue
        for (ins, out) in C.alp[: W.n(len(C.alp))]:
            b = {"model": model, "messages": [{"role": "user", "content": ins}], "temperature": 0.7, "max_tokens": 2048}
            a.send(t, b, int(ntok(out) * rng.uniform(0.8, 1.4)) + 5)
            t += rng.expovariate(8 / max(2.0, a.last_latency))


def B_eval_ci(W):
    """A product team's prompt-regression suite: the same ~150 prompts nightly against production and
    candidate models, plus daytime runs (often partial) when someone changes the prompt."""
    rng = W.rng("eval-ci")
    C = W.C
    a = Acct(W, "eval_regression_ci", "benign", rng, "OpenAI/Python 1.58.1",
             [W.host(rng, W.net(rng, "cloud"))], nkeys=1, err=0.003)
    sysp = ("You are Lumen, the in-app writing assistant for a note-taking product. Be concise, friendly and accurate. "
            "Use the user's language. Never invent features of the product.")
    cases = [i + (("\n\n" + x) if x else "") for i, x, _ in rng.sample(C.user_tasks, 100)] + rng.sample(C.koala, 50)
    version = [1]

    def run(t, models, subset):
        for model in models:
            for q in subset:
                b = {"model": model, "messages": [{"role": "system", "content": sysp + " (prompt v%d)" % version[0]}, {"role": "user", "content": q}],
                     "temperature": 0, "max_tokens": 800, "seed": 1234}
                a.send(t, b, rng.randint(40, 520))
                t += rng.expovariate(6 / max(1.0, a.last_latency))
        return t

    for d in range(int(math.ceil(W.days))):
        day0 = W.t0 + d * DAY
        models = ["gpt-4o-mini", "gpt-4o"] if day0 < REL_41 else ["gpt-4o-mini", "gpt-4.1-mini"]
        run(day0 + 9.0 * HOUR + rng.uniform(0, 0.3) * HOUR, models, cases)   # 02:00 US Pacific
        if local(day0 + 20 * HOUR, -7)[1] < 5:
            for _ in range(rng.randint(0, 3)):
                version[0] += 1 if rng.random() < 0.5 else 0
                run(day0 + rng.uniform(16, 24) * HOUR, models[:1], rng.sample(cases, rng.choice([20, 40, 150])))


def B_judge_alpaca(W):
    """AlpacaEval weighted judge: max_tokens 1, logprobs, top_logprobs 5, one run of 805 per candidate."""
    rng = W.rng("judge-alpaca")
    C = W.C
    a = Acct(W, "llm_judge_alpacaeval", "benign", rng, "OpenAI/Python 1.54.4",
             [W.host(rng, W.net(rng, "cloud")) for _ in range(2)], nkeys=1, err=0.003, r429=0.02)
    segs = re.findall(r"<\|im_start\|>(\w+)\n(.*?)\n?<\|im_end\|>", C.clf_tpl, re.S)
    starts = [0.7, 1.7, 2.6, (REL_41 - W.t0) / DAY + 0.4, 5.7, 6.4]
    for ci, d in enumerate(starts):
        t = W.t0 + d * DAY
        if t >= W.t1:
            continue
        for idx in range(W.n(len(C.alp))):
            ins, ref = C.alp[idx]
            cand = C.alp_dv[idx]
            if ci % 2 == 1:
                cand = trunc(ref, int(len(ref) * rng.uniform(0.4, 0.9))) + "\n\n" + trunc(rng.choice(C.paragraphs), 500)
            o1, o2 = (ref, cand) if rng.random() < 0.5 else (cand, ref)
            vals = {"instruction": ins, "output_1": o1, "output_2": o2}
            msgs = [{"role": r, "content": fill(s, vals)} for r, s in segs]
            b = {"model": "gpt-4-1106-preview", "messages": msgs, "temperature": 1, "max_tokens": 1, "logprobs": True, "top_logprobs": 5}
            a.send(t, b, 1, "length" if rng.random() < 0.9 else "stop")
            t += rng.expovariate(12 / 0.7)


def B_judge_mtbench(W):
    """MT-bench judge (FastChat templates): pairwise and single-answer grading with GPT-4, explanation
    then verdict; bounded runs over the same 80 questions for several model pairs."""
    rng = W.rng("judge-mt")
    C = W.C
    a = Acct(W, "llm_judge_mtbench", "benign", rng, "OpenAI/Python 1.61.1",
             [W.host(rng, W.net(rng, "resid"))], nkeys=1, err=0.004, r429=0.02)
    J = C.judges
    if not J:
        return
    runs = [0.9, 2.2, (REL_41 - W.t0) / DAY + 0.6, 6.2]
    for ri, d in enumerate(runs):
        t = W.t0 + d * DAY
        if t >= W.t1:
            continue
        for mode in ("pair", "single", "single"):
            for q in C.mt:
                ref = C.mtref.get(q["question_id"], ["", ""])
                math_like = q.get("category") in ("math", "reasoning", "coding")
                other = trunc(rng.choice(C.paragraphs), 1500)
                for turn in (1, 2):
                    if turn == 2 and len(q["turns"]) < 2:
                        continue
                    name = ("pair" if mode == "pair" else "single") + ("-math-v1" if math_like else ("-v2" if mode == "pair" else "-v1"))
                    if turn == 2:
                        name += "-multi-turn"
                    jd = J.get(name) or J.get("single-v1")
                    vals = {"question": q["turns"][0], "question_1": q["turns"][0], "question_2": q["turns"][-1],
                            "answer": ref[0], "answer_a": ref[0], "answer_b": other, "answer_1": ref[0], "answer_2": ref[-1],
                            "answer_a_1": ref[0], "answer_a_2": ref[-1], "answer_b_1": other, "answer_b_2": trunc(rng.choice(C.paragraphs), 900),
                            "ref_answer_1": ref[0], "ref_answer_2": ref[-1]}
                    b = {"model": "gpt-4", "messages": [{"role": "system", "content": jd["system_prompt"]}, {"role": "user", "content": fill(jd["prompt_template"], vals)}],
                         "temperature": 0, "max_tokens": 2048}
                    a.send(t, b, rng.randint(90, 420))
                    t += rng.expovariate(3 / max(4.0, a.last_latency))


MOD_SYS = ("You are a content-safety classifier for a community platform. Classify the user message into exactly one category:\n"
           "- none: ordinary content\n- harassment: insults, threats or demeaning content aimed at a person or group\n"
           "- hate: attacks on protected characteristics\n- sexual: sexual content or solicitation\n- self_harm: intent or encouragement of self-harm\n"
           "- violence: incitement or instructions for violence\n- illegal: requests for help with crimes, weapons, drugs, fraud\n"
           "- spam: advertising, scams, link farming\nSeverity: 0 (none) to 3 (severe). Consider the previous message only as context.\n"
           "Respond with a JSON object: {\"category\": str, \"severity\": int, \"rationale\": str (at most 12 words)}.")


def B_classifiers(W):
    """Batch classifiers: moderation of user messages (JSON, ~25 tokens out, 24/7), review sentiment /
    star rating in nightly batches (1-3 tokens out), a news/question topic tagger (trickle)."""
    C = W.C
    rng = W.rng("clf-moderation")
    a = Acct(W, "batch_classifier_moderation", "benign", rng, "OpenAI/Python 1.58.1",
             [W.host(rng, W.net(rng, "cloud")) for _ in range(3)], nkeys=2, err=0.003, r429=0.01)
    n = W.n(12000)
    for t in sample_times(rng, n, W.t0, W.t1, lambda t: 0.35 + 0.65 * human_w(t, -6, 0.9)):
        dlg = rng.choice(C.hh)
        users = [x for r, x in dlg if r == "user"]
        i = rng.randrange(len(users))
        msg = "Message:\n<<<%s>>>" % users[i]
        if i > 0 and rng.random() < 0.5:
            msg = "Previous message:\n<<<%s>>>\n\n" % trunc(users[i - 1], 600) + msg
        b = {"model": model_at(t, "gpt-4o-mini", "gpt-4.1-nano", REL_41 + 2 * DAY), "messages": [{"role": "system", "content": MOD_SYS}, {"role": "user", "content": msg}],
             "temperature": 0, "max_tokens": 60, "response_format": {"type": "json_object"}}
        a.send(t, b, rng.randint(16, 38))

    rng = W.rng("clf-reviews")
    b_ = Acct(W, "batch_classifier_reviews", "benign", rng, "python-requests/2.32.3",
              [W.host(rng, W.net(rng, "cloud"))], nkeys=1, err=0.003, r429=0.03)
    n = W.n(8000)
    revs = C.reviews or [("x", "Great product.\nIs the review positive or negative?\n", "Positive")]

    def synth_review():
        name, p, c = rng.choice(revs)
        if rng.random() < 0.35:
            return name, p
        # a new review of the same kind, stitched from sentences of others
        others = [rng.choice(revs)[1] for _ in range(3)]
        sents = []
        for o in others:
            m = re.search(r"Review: (.*)\n", o) or re.search(r'"(.*)"', o, re.S)
            if m:
                sents += re.split(r"(?<=[.!?])\s+", m.group(1))[:2]
        body = " ".join(sents[:4]) or "Works as described."
        if name.startswith("amazon"):
            title = (re.search(r"Title: (.*)\n", p) or re.search(r"(.*)", p)).group(1)
            return name, "Title: %s\nReview: %s\nIs the review positive or negative?\n" % (title, body)
        return name, "What would be the \u2605-rating of this review (\u2605 being the lowest and \u2605\u2605\u2605\u2605\u2605 being the highest)? \"%s\"\n" % body

    times = sample_times(rng, int(n * 0.8), W.t0, W.t1, lambda t: 1.0 if local(t, 0)[0] < 5 else 0.0)
    times += sample_times(rng, n - len(times), W.t0, W.t1, lambda t: human_w(t, 0, 0.3))
    times.sort()
    for t in times:
        name, p = synth_review()
        b = {"model": model_at(t, "gpt-4o-mini", "gpt-4.1-nano", REL_41 + 1.5 * DAY),
             "messages": [{"role": "system", "content": "Answer with a single word or rating only."}, {"role": "user", "content": p}],
             "temperature": 0, "max_tokens": 4}
        b_.send(t, b, rng.randint(1, 3))

    rng = W.rng("clf-topics")
    nets = W.shared.get("hydra_nets")
    ips = [W.host(rng, nets[0])] if nets else [W.host(rng, W.net(rng, "vps"))]   # a VPS neighbour of the hydra
    c_ = Acct(W, "batch_classifier_topics", "benign", rng, "OpenAI/Python 1.59.9", ips, nkeys=1, err=0.004)
    items = [p for p, _ in C.t0.get("ag_news_classify_with_choices", [])] + [p for p, _ in C.t0.get("trec_fine_grained_open", [])]
    n = W.n(3000)
    for t in sample_times(rng, n, W.t0, W.t1, lambda t: 0.6 + 0.4 * human_w(t, 0)):
        p = rng.choice(items) if items else "What is this about?"
        b = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": p + "\nAnswer with the label only."}], "temperature": 0, "max_tokens": 8}
        c_.send(t, b, rng.randint(1, 4))


def zipf_pick(rng, n, s=0.6):
    # index in [0, n) with a heavy head
    return min(n - 1, int(n * (rng.random() ** (1 + s))))


def B_rag(W):
    """RAG apps: (1) a help-centre assistant with ~1,500 returning end users (`user`), retrieved
    chunks in the system prompt, follow-ups; (2) an enterprise search app without `user` ids."""
    C = W.C
    rng = W.rng("rag-helpcenter")
    a = Acct(W, "rag_app_helpcenter", "benign", rng, "OpenAI/JS 4.85.1",
             [W.host(rng, W.net(rng, "cloud")) for _ in range(4)], nkeys=2, err=0.003, r429=0.005)
    users = ["u-" + rid(rng, "", 10, HEX) for _ in range(W.n(1500, 20))]
    n = W.n(10000)
    base = ("You are the help-centre assistant for Northwind Cloud. Answer the customer's question using ONLY the context below. "
            "If the answer is not in the context, say you don't know and suggest contacting support. Cite sources as [n]. Keep answers under 200 words.\n\nContext:\n")
    sessions = sample_times(rng, int(n / 1.6), W.t0, W.t1, lambda t: human_w(t, -5, 0.55))
    for t in sessions:
        u = users[zipf_pick(rng, len(users))]
        hist = []
        for turn in range(rng.choices([1, 2, 3, 4], [60, 25, 10, 5])[0]):
            q = rng.choice(C.questions) if rng.random() < 0.9 else rng.choice(C.hh_user)
            ctx = "\n\n".join("[%d] %s" % (i + 1, trunc(p, 900)) for i, p in enumerate(rng.sample(C.paragraphs, rng.randint(3, 6))))
            msgs = [{"role": "system", "content": base + ctx}] + hist + [{"role": "user", "content": q}]
            b = {"model": "gpt-4o-mini", "messages": msgs, "temperature": 0.2, "max_tokens": 700, "stream": True,
                 "stream_options": {"include_usage": True}, "user": u}
            comp = rng.randint(60, 420)
            if a.send(t, b, comp) is None:
                break
            hist += [{"role": "user", "content": q}, {"role": "assistant", "content": trunc(rng.choice(C.paragraphs), comp * 4)}]
            t += a.last_latency + rng.uniform(20, 240)

    rng = W.rng("rag-enterprise")
    b_ = Acct(W, "rag_app_enterprise_search", "benign", rng, "python-httpx/0.27.2",
              [W.host(rng, W.net(rng, "cloud"))], nkeys=1, err=0.003)
    n = W.n(3000)
    for t in sample_times(rng, n, W.t0, W.t1, lambda t: work_w(t, 1, 0.05)):
        q = rng.choice(C.questions)
        docs = "\n\n".join("Document %d (%s):\n%s" % (i + 1, rng.choice(["Confluence", "SharePoint", "Google Drive", "Jira"]), trunc(p, 1200))
                           for i, p in enumerate(rng.sample(C.paragraphs, rng.randint(2, 5))))
        bd = {"model": model_at(t, "gpt-4o", "gpt-4.1", REL_41 + 2.5 * DAY),
              "messages": [{"role": "user", "content": "Use the following documents to answer the question. Quote the relevant passage.\n\n%s\n\nQuestion: %s" % (docs, q)}],
              "temperature": 0, "max_tokens": 900}
        b_.send(t, bd, rng.randint(90, 380))


PRODUCTS = ["phone", "router", "smart thermostat", "laptop", "wireless earbuds", "tablet", "smartwatch", "TV box", "printer", "e-reader"]
PROBLEMS = ["keeps disconnecting from Wi-Fi", "won't turn on", "shows error E-{n}", "is charging very slowly", "was charged twice on my card",
            "arrived with a cracked screen", "stopped syncing with the app", "gets really hot", "hasn't shipped yet", "has no sound"]
SUPPORT_REPLIES = [
    "I'm sorry to hear about the trouble with your {p}. Could you share your order number so I can look into it?",
    "Thanks for the details! Please try holding the power button for 10 seconds, then unplug the {p} for a minute and plug it back in. Does that help?",
    "I've checked order {o}: it is {st}. You should receive an email with tracking details shortly.",
    "I understand how frustrating this is. I've opened ticket #{n}{n} for our technical team, and you'll hear back by email within 24 hours.",
    "Refunds are processed within 5-7 business days after we receive the returned item. You'll get a confirmation email once it's issued.",
    "Of course. I'm connecting you with a member of our support team now; the current wait time is about {m} minutes.",
    "Your {p} is covered by our 1-year warranty. I can arrange a replacement; could you confirm your shipping address?",
    "You can find the serial number on the label on the back of the {p}, or under Settings > About.",
    "Glad I could help! Is there anything else I can do for you today?",
]
FOLLOW = ["I already tried restarting it.", "Order number is {o}.", "It says error {n} now.", "How long does a refund take?",
          "ok that worked, thanks!", "Can I talk to a human?", "It's the {p}, bought last month.", "Where do I find the serial number?",
          "That didn't help.", "Can you send me a replacement instead?", "Is this covered by warranty?", "thanks"]


def B_support_bot(W):
    """Customer-support bot: end users, short multi-turn chats, tool calls to look up orders."""
    rng = W.rng("support")
    C = W.C
    a = Acct(W, "support_bot", "benign", rng, "OpenAI/Python 1.66.3",
             [W.host(rng, W.net(rng, "cloud")) for _ in range(3)], nkeys=1, err=0.003, r429=0.004)
    sysp = ("You are Max, the virtual support agent for Voltio Electronics. Be empathetic and brief. Use the tools to look up orders and open tickets. "
            "Policies: 30-day returns; 1-year warranty; refunds take 5-7 business days. Never promise compensation. Escalate to a human when asked twice.")
    tools = [{"type": "function", "function": {"name": "lookup_order", "description": "Look up an order by number.", "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]}}},
             {"type": "function", "function": {"name": "create_ticket", "description": "Open a support ticket.", "parameters": {"type": "object", "properties": {"summary": {"type": "string"}, "priority": {"type": "string", "enum": ["low", "normal", "high"]}}, "required": ["summary"]}}}]
    n = W.n(7000)
    for t in sample_times(rng, int(n / 3.4), W.t0, W.t1, lambda t: human_w(t, -5, 0.7)):
        u = "cust_" + rid(rng, "", 9, "0123456789")
        prod = rng.choice(PRODUCTS)
        vals = {"n": rng.randint(100, 999), "o": "VT-%07d" % rng.randint(0, 9999999), "p": prod}
        first = rng.choice(["hi, my ", "Hello. My ", "my ", "Hi there, the ", ""]) + prod + " " + fill(rng.choice(PROBLEMS), vals)
        if rng.random() < 0.3:
            first += ". " + rng.choice(C.sentences)
        msgs = [{"role": "system", "content": sysp}, {"role": "user", "content": first}]
        for turn in range(rng.randint(1, 6)):
            b = {"model": "gpt-4o-mini", "messages": list(msgs), "tools": tools, "temperature": 0.3, "max_tokens": 400, "user": u}
            if turn == 1 and rng.random() < 0.4:
                cid = rid(rng, "call_", 24)
                if a.send(t, b, 22, "tool_calls") is None:
                    break
                msgs.append({"role": "assistant", "content": None, "tool_calls": [{"id": cid, "type": "function", "function": {"name": "lookup_order", "arguments": json.dumps({"order_id": vals["o"]})}}]})
                msgs.append({"role": "tool", "tool_call_id": cid, "content": json.dumps({"order_id": vals["o"], "status": rng.choice(["shipped", "processing", "delivered", "refunded"]), "carrier": "UPS", "items": [prod]})})
                t += a.last_latency + 0.3
                b = {"model": "gpt-4o-mini", "messages": list(msgs), "tools": tools, "temperature": 0.3, "max_tokens": 400, "user": u}
            reply = fill(rng.choice(SUPPORT_REPLIES), dict(vals, st=rng.choice(["shipped", "processing", "delivered"]), m=rng.randint(2, 15)))
            if a.send(t, b, ntok(reply) + 1) is None:
                break
            msgs.append({"role": "assistant", "content": reply})
            msgs.append({"role": "user", "content": fill(rng.choice(FOLLOW), vals)})
            t += a.last_latency + rng.uniform(15, 150)


TONES = ["playful", "luxurious", "minimalist", "professional", "warm and friendly", "bold", "eco-conscious"]
MATERIALS = ["bamboo", "merino wool", "recycled aluminium", "ceramic", "organic cotton", "walnut", "stainless steel", "vegan leather"]
ITEMS = ["water bottle", "desk lamp", "backpack", "throw blanket", "coffee grinder", "yoga mat", "phone case", "plant pot", "wallet", "sneakers", "chef's knife", "candle"]


def B_content_gen(W):
    """E-commerce copywriting SaaS: shop owners (`user`) generate product descriptions, ads, emails."""
    rng = W.rng("content")
    a = Acct(W, "content_gen_saas", "benign", rng, "OpenAI/JS 4.77.0",
             [W.host(rng, W.net(rng, "cloud")) for _ in range(2)], nkeys=1, err=0.003, r429=0.004)
    shops = ["shop_" + rid(rng, "", 8, HEX) for _ in range(W.n(420, 10))]
    n = W.n(5000)
    for t in sample_times(rng, n, W.t0, W.t1, lambda t: 0.5 * human_w(t, -5) + 0.5 * human_w(t, 1)):
        prod = "%s %s %s" % (rng.choice(["Aurora", "Nordic", "Kite", "Pebble", "Juniper", "Atlas", "Luma", "Willow"]), rng.choice(MATERIALS), rng.choice(ITEMS))
        kind = rng.choice(["product description of about %d words" % rng.choice([80, 120, 200, 300]), "three Facebook ad variants", "SEO title and meta description",
                           "launch email to our newsletter subscribers", "five bullet points for the listing"])
        feats = ", ".join(rng.sample(["lightweight", "handmade", "dishwasher safe", "lifetime warranty", "ships in 24h", "gift-ready packaging", "water resistant", "adjustable", "compact", "made in Portugal"], 3))
        p = "Write a %s for \"%s\". Tone: %s. Key features: %s. Target audience: %s." % (kind, prod, rng.choice(TONES), feats, rng.choice(["young professionals", "new parents", "outdoor enthusiasts", "students", "home cooks", "gift shoppers"]))
        b = {"model": "gpt-4o-mini", "messages": [{"role": "system", "content": "You are an expert e-commerce copywriter. Write compelling, accurate copy. Do not invent certifications."}, {"role": "user", "content": p}],
             "temperature": 0.9, "max_tokens": 900, "user": shops[zipf_pick(rng, len(shops))]}
        if rng.random() < 0.2:
            b["n"] = 2
            a.send(t, b, [rng.randint(120, 520), rng.randint(120, 520)])
        else:
            a.send(t, b, rng.randint(120, 620))


DEV_TASKS = ["Fix the bug in `{fn}` in {path}: it fails on empty input.", "Add type hints and docstrings to {path}.",
             "Write unit tests for `{fn}` in tests/test_{fn}.py and make them pass.", "Refactor {path} to remove the duplicated loops.",
             "CI is failing on test_{fn}; figure out why and fix it.", "Implement `{fn}` according to the docstring in {path}.",
             "`{fn}` is too slow on large inputs, can you optimise it?", "Rename `{fn}` to something clearer and update all callers."]
CONT = ["looks good, now also handle negative numbers", "can you run the whole test suite?", "great. commit message?",
        "hmm, revert that last change and try a different approach", "also update the README", "ok now do the same for the other module"]


def coding_session(a, rng, C, t, model, system, tools, max_steps, cap_chars, ua_parts=False):
    fn, src = code_file(rng, C)
    path = "src/%s/%s.py" % (rng.choice(["core", "utils", "api", "services", "models"]), fn)
    task = fill(rng.choice(DEV_TASKS), {"fn": fn, "path": path})
    msgs = [{"role": "system", "content": system}, {"role": "user", "content": parts(task) if ua_parts else task}]
    size = len(system) + len(task)
    prev_p = 0
    steps = rng.randint(4, max_steps)
    for s in range(steps):
        body = {"model": model, "messages": list(msgs), "tools": tools, "tool_choice": "auto", "temperature": 0,
                "max_tokens": 8192, "stream": True, "stream_options": {"include_usage": True}, "parallel_tool_calls": False}
        last = s == steps - 1
        if last:
            comp = rng.randint(120, 700)
            if a.send(t, body, comp, cached=prev_p) is None:
                return
            return
        act = rng.choices(["read_file", "search", "run_command", "write_file"], [35, 15, 30, 20])[0]
        if act == "read_file":
            p2 = path if rng.random() < 0.4 else "src/%s/%s.py" % (rng.choice(["core", "utils", "lib"]), rng.choice(C.he)[2])
            args = {"path": p2}
            _, result = code_file(rng, C)
        elif act == "search":
            args = {"pattern": "def %s|%s\\(" % (fn, fn), "glob": "**/*.py"}
            hits = []
            for _ in range(rng.randint(2, 9)):
                e = rng.choice(C.he)
                defs = [l for l in e[0].split("\n") if l.startswith("def ")] or ["def %s():" % fn]
                hits.append("src/%s/%s.py:%d:%s" % (rng.choice(["core", "utils", "api"]), e[2], rng.randint(3, 300), trunc(defs[-1], 120)))
            result = "\n".join(hits)
        elif act == "run_command":
            args = {"command": rng.choice(["pytest -q tests/test_%s.py" % fn, "pytest -x -q", "python -m mypy src", "ruff check src", "git diff --stat"]), "timeout": 120}
            npass = rng.randint(3, 60)
            if rng.random() < 0.5:
                result = ("============================= test session starts ==============================\nplatform linux -- Python 3.11.9, pytest-8.1.1\ncollected %d items\n\n"
                          "tests/test_%s.py ..F.\n\n=================================== FAILURES ===================================\n____ test_%s_edge ____\n\n    def test_%s_edge():\n>       assert %s([]) == []\nE       AssertionError\n\n"
                          "=========================== short test summary info ============================\nFAILED tests/test_%s.py::test_%s_edge - AssertionError\n1 failed, %d passed in 0.%02ds"
                          % (npass + 1, fn, fn, fn, fn, fn, fn, npass, rng.randint(10, 99)))
            else:
                result = "%d passed in %d.%02ds" % (npass, rng.randint(0, 4), rng.randint(0, 99))
        else:
            _, code = code_file(rng, C, 1)
            args = {"path": path, "content": code}
            result = "Wrote %d bytes to %s" % (len(code), path)
        arg_s = json.dumps(args)
        thought = trunc(rng.choice(C.sentences), 160) if rng.random() < 0.4 else None
        comp = ntok(arg_s) + 12 + (ntok(thought) if thought else 0)
        if a.send(t, body, comp, "tool_calls", cached=prev_p) is None:
            return
        prev_p = prompt_tokens(body)
        cid = rid(rng, "call_", 24)
        msgs.append({"role": "assistant", "content": thought, "tool_calls": [{"id": cid, "type": "function", "function": {"name": act, "arguments": arg_s}}]})
        msgs.append({"role": "tool", "tool_call_id": cid, "content": result})
        size += len(arg_s) + len(result) + (len(thought) if thought else 0)
        t += a.last_latency + rng.uniform(0.3, 12)
        if rng.random() < 0.06:
            t += rng.uniform(40, 900)          # the developer reads, then steers
            c = rng.choice(CONT)
            msgs.append({"role": "user", "content": parts(c) if ua_parts else c})
        if size > cap_chars:
            # context condensation, as agents do near their budget
            keep = msgs[-4:]
            while keep and keep[0]["role"] == "tool":
                keep = keep[1:]
            summary = "Summary of the conversation so far: " + " ".join(rng.sample(C.sentences, 8))
            msgs = msgs[:2] + [{"role": "user", "content": summary}] + keep
            size = sum(len(parts_text(m.get("content")) or "") for m in msgs)
            prev_p = 0


CLINE_SYS = ("You are a highly skilled software engineer with extensive knowledge in many programming languages, frameworks, design patterns, and best practices.\n\n"
             "TOOL USE\n\nYou have access to a set of tools that are executed upon the user's approval. You can use one tool per message, and will receive the result of that tool use in the user's response. "
             "You use tools step-by-step to accomplish a given task, with each tool use informed by the result of the previous tool use.\n\n"
             "RULES\n\n- Your current working directory is the repository root.\n- Do not ask for more information than necessary.\n- When making changes to code, always consider the context in which the code is being used.\n"
             "- Prefer small, reviewable diffs. Run the tests after each change.\n- When you are done, summarise what you changed and why.\n\n"
             "SYSTEM INFORMATION\n\nOperating System: %s\nDefault Shell: %s\nHome Directory: %s\n")


def B_coding_agents(W):
    """Coding agents of individual developers (long tool loops with growing context, cached prompt
    tokens, working hours, fast moves to new models) and a PR-review bot."""
    C = W.C
    tzs = [-8, -5, -5, 1, 2, 5.5, 8, -3]
    for i in range(max(2, W.n(7))):
        rng = W.rng("coder-%d" % i)
        tz = tzs[i % len(tzs)]
        ua = rng.choice(["OpenAI/JS 4.77.0", "OpenAI/JS 4.85.1", "OpenAI/Python 1.59.7", "OpenAI/Python 1.68.2"])
        ips = [W.host(rng, W.net(rng, "resid"))] + ([W.host(rng, W.net(rng, "cloud"))] if rng.random() < 0.4 else [])
        a = Acct(W, "coding_agent_dev", "benign", rng, ua, ips, nkeys=1, err=0.006, r429=0.01)
        system = CLINE_SYS % (rng.choice(["macOS 15.3", "Linux 6.8", "Windows 11"]), rng.choice(["/bin/zsh", "/bin/bash", "pwsh"]), "/home/dev%d" % i)
        system += "\n" + " ".join(rng.sample(C.sentences, 6))
        tools = CODE_TOOLS
        target = W.n(lognorm_int(rng, 420, 0.5, 120, 1200))
        sessions = sample_times(rng, max(1, target // 14), W.t0, W.t1, lambda t: work_w(t, tz, 0.15))
        pref_new = rng.random() < 0.7
        for t in sessions:
            model = rng.choice(["gpt-4o", "gpt-4o", "o3-mini"]) if t < REL_41 or not pref_new else rng.choice(["gpt-4.1", "gpt-4.1", "gpt-4.1-mini"])
            if model == "o3-mini":
                model = "gpt-4o"
            coding_session(a, rng, C, t, model, system, tools, 30, rng.choice([36000, 48000]), ua_parts=ua.startswith("OpenAI/JS"))
    rng = W.rng("pr-bot")
    a = Acct(W, "coding_agent_pr_review_bot", "benign", rng, "Go-http-client/2.0",
             [W.host(rng, W.net(rng, "cloud"))], nkeys=1, err=0.004)
    for t in sample_times(rng, W.n(650), W.t0, W.t1, lambda t: 0.1 + work_w(t, -5, 0.1)):
        items = rng.sample(C.he, rng.randint(1, 3))
        diff = "\n".join("diff --git a/src/%s.py b/src/%s.py\n--- a/src/%s.py\n+++ b/src/%s.py\n@@ -1,%d +1,%d @@\n" % (e, e, e, e, rng.randint(5, 40), rng.randint(5, 40))
                         + "\n".join("+" + l for l in (p + s).split("\n")) for p, s, e in items)
        b = {"model": model_at(t, "gpt-4o", "gpt-4.1", REL_41 + 1 * DAY), "messages": [
            {"role": "system", "content": "You are a senior reviewer. Review the pull request diff. Point out bugs, security issues and style problems as a concise list of comments with file:line. Say LGTM if there is nothing important."},
            {"role": "user", "content": "PR #%d: %s\n\n%s" % (rng.randint(100, 9999), trunc(rng.choice(C.sentences), 80), diff)}],
             "temperature": 0.1, "max_tokens": 1500}
        a.send(t, b, rng.randint(60, 650))


FOLLOWUPS = ["Can you make it shorter?", "Give me an example.", "why?", "Can you explain that more simply?", "Translate that to French please",
             "thanks! and what about the opposite case?", "ok. can you put that in a table?", "hmm I don't think that's right", "more detail on the second point",
             "Could you rewrite it in a more formal tone?", "great, thanks"]


def chat_session(a, rng, C, t, model, params, sysp=None, user=None):
    msgs = [{"role": "system", "content": sysp}] if sysp else []
    kind = rng.choices(["hh", "alp", "koala", "act", "gsm", "code", "doc"], [30, 22, 10, 8, 8, 10, 12])[0]
    turns = []
    if kind == "hh":
        dlg = rng.choice(C.hh)
        for i, (r, x) in enumerate(dlg):
            if r == "user":
                nxt = dlg[i + 1][1] if i + 1 < len(dlg) else None
                turns.append((x, nxt))
    else:
        if kind == "alp":
            q, ans = rng.choice(C.alp)
        elif kind == "koala":
            q, ans = rng.choice(C.koala), None
        elif kind == "act":
            act, q, _ = rng.choice(C.awesome) if C.awesome else ("", "hi", False)
            ans = None
        elif kind == "gsm":
            q = rng.choice(["can you help me with this homework question? ", "How do I solve this: ", "", "my kid has this problem and I can't figure it out: "]) + rng.choice(C.gsm_train if rng.random() < 0.5 else C.gsm_test)
            ans = None
        elif kind == "code":
            p, s, e = rng.choice(C.he)
            q = rng.choice(["why does this not work?\n\n", "how would you implement this?\n", "can you explain what this function should do\n"]) + p + (s if rng.random() < 0.5 else "")
            ans = None
        else:
            doc = "\n\n".join(rng.sample(C.paragraphs, rng.randint(2, 6)))
            q = rng.choice(["Summarize this:\n\n", "tl;dr please\n\n", "What are the key points here?\n\n", "Rewrite this to be clearer:\n\n"]) + doc
            ans = None
        turns.append((q, ans))
        for _ in range(rng.choices([0, 1, 2, 3, 5], [45, 25, 15, 10, 5])[0]):
            turns.append((rng.choice(FOLLOWUPS), None))
    for q, ans in turns:
        msgs.append({"role": "user", "content": q})
        body = {"model": model, "messages": list(msgs)}
        body.update(params)
        if user:
            body["user"] = user
        comp = ntok(ans) if ans else long_out(rng, 40, 900)
        if a.send(t, body, comp) is None:
            return t, 1
        msgs.append({"role": "assistant", "content": ans if ans else trunc(rng.choice(C.paragraphs), comp * 4)})
        t += a.last_latency + 8 + comp * 0.08 + rng.expovariate(1 / 45.0)
    return t, len(turns)


def B_chat_users(W):
    """Individual chat users (bring-your-own-key apps, browsers, scripts): multi-turn, diurnal by
    time zone, weekends, heavy-tailed activity, mobile address changes."""
    C = W.C
    tzs = [-8, -7, -6, -5, -5, -4, -3, 0, 1, 1, 2, 3, 5.5, 7, 8, 9, 10]
    for i in range(W.n(130, 5)):
        rng = W.rng("chat-%d" % i)
        tz = rng.choice(tzs)
        ua = rng.choice(APP_UA + APP_UA + PY_UA + JS_UA + MISC_UA[:3])
        home = W.net(rng, "resid")
        ips = [W.host(rng, home)]
        if rng.random() < 0.3:
            ips.append(W.ipv6(rng) if rng.random() < 0.5 else W.host(rng, W.net(rng, "resid")))
        a = Acct(W, "chat_user", "benign", rng, ua, ips, nkeys=1, err=0.004)
        target = lognorm_int(rng, 35, 1.0, 3, 700)
        model_pref = rng.choice(["gpt-4o", "gpt-4o", "gpt-4o-mini", "gpt-4o-mini", "gpt-4-turbo", "gpt-3.5-turbo"])
        adopt = rng.random() < 0.4
        params = rng.choice([{}, {}, {"temperature": 0.7}, {"temperature": 1, "max_tokens": 4096}, {"stream": True}, {"temperature": 0.5, "max_tokens": 2000, "stream": True}])
        sysp = rng.choice([None, None, "You are a helpful assistant.", "You are ChatGPT, a large language model. Be concise.",
                           (rng.choice(C.awesome)[1] if C.awesome else None)])
        weekend = rng.uniform(0.4, 1.3)
        made = 0
        starts = sample_times(rng, max(1, target // 2 + 1), W.t0, W.t1, lambda t: human_w(t, tz, weekend))
        for t in starts:
            if made >= target:
                break
            model = "gpt-4.1" if adopt and t > REL_41 + rng.uniform(0, 2) * DAY else model_pref
            _, k = chat_session(a, rng, C, t, model, params, sysp)
            made += k


def B_office_nat(W):
    """An office team behind one NAT address: several accounts, one IP, office hours in Europe, an
    internal tool with a shared system prompt plus personal clients."""
    C = W.C
    rng0 = W.rng("office")
    ip = W.host(rng0, W.net(rng0, "resid"))
    internal = ("You are Contoso Assistant, the internal helper of Contoso Logistics GmbH. Answer in the language of the question. "
                "For questions about HR or payroll, point people to the intranet. Keep answers practical.")
    for i in range(max(3, W.n(14))):
        rng = W.rng("office-%d" % i)
        ua = "python-httpx/0.27.0" if rng.random() < 0.6 else rng.choice(APP_UA[:6])
        a = Acct(W, "office_team_nat", "benign", rng, ua, [ip], nkeys=1, err=0.004)
        target = lognorm_int(rng, 160, 0.6, 30, 600)
        sysp = internal if ua.startswith("python-httpx") else None
        made = 0
        for t in sample_times(rng, target // 2 + 1, W.t0, W.t1, lambda t: work_w(t, 2, 0.02)):
            if made >= target:
                break
            model = model_at(t, "gpt-4o", "gpt-4.1", REL_41 + 2 * DAY)
            _, k = chat_session(a, rng, C, t, model, {"temperature": 0.4}, sysp)
            made += k


# ----------------------------------------------------------------------------------------------
# malformed lines and output


def malformed(rng, lines_sample, acct_ids):
    k = rng.random()
    if k < 0.4 and lines_sample:
        s = rng.choice(lines_sample)
        return s[: rng.randint(20, max(21, len(s) - 2))].encode("utf-8", "ignore")
    if k < 0.55:
        return rng.choice([b"upstream connect error or disconnect/reset before headers. reset reason: connection termination",
                           b"[2025-04-12 03:14:07,221] WARNING gateway.worker: slow request logged without body",
                           b"<html><head><title>502 Bad Gateway</title></head></html>", b"-", b"null", b"\"\""])
    if k < 0.68:
        return bytes(rng.randint(0, 255) for _ in range(rng.randint(8, 120))).replace(b"\n", b" ")
    if k < 0.8 and len(lines_sample) > 1:
        a, b = rng.sample(lines_sample, 2)
        return (a[: len(a) // 2] + b).encode("utf-8", "ignore")      # interleaved writes
    if k < 0.9:
        return json.dumps([{"ts": "2025-04-12T00:00:00Z"}, {"status": 200}]).encode()
    return json.dumps({"ts": "2025-04-11T10:00:00.000Z", "status": 200, "ip": "10.0.0.1",
                       "request": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "ping"}]}}).encode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--days", type=float, default=7)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--data", default=os.environ.get("SLUICE_DATA", "/work/shared/data"))
    args = ap.parse_args()
    t_start = time.time()
    C = Corpora(args.data)
    if not C.gsm_train or not C.alp or not C.paragraphs:
        sys.exit("heldout3: corpora not found under %s" % args.data)
    W = World(args.seed, args.days, args.scale, C)
    S = AttackSupply(W)
    for f in (A_hydra, A_agentic_research, A_agentic_coder, A_cot, A_slow, A_fake_chat_app, A_multisample):
        f(W, S)
    for f in (B_translation, B_evalset_build, B_eval_lab, B_eval_platform, B_eval_ci, B_judge_alpaca, B_judge_mtbench,
              B_classifiers, B_rag, B_support_bot, B_content_gen, B_coding_agents, B_chat_users, B_office_nat):
        f(W)
    W.rows.sort(key=lambda r: (r[0], r[1]))
    present = {}
    for _, _, rec in W.rows:
        present[rec["account"]] = 1
    labels = {a: W.labels[a] for a in sorted(present)}
    os.makedirs(args.out, exist_ok=True)
    rng = W.rng("malformed")
    n_bad = int(round(len(W.rows) * 0.003))
    bad_at = sorted(rng.randrange(len(W.rows) + 1) for _ in range(n_bad))
    sample = []
    bi = 0
    nbytes = 0
    with open(os.path.join(args.out, "traffic.jsonl"), "wb") as f:
        for i, (t, _, rec) in enumerate(W.rows):
            while bi < len(bad_at) and bad_at[bi] == i:
                line = malformed(rng, sample, list(present))
                f.write(line + b"\n")
                bi += 1
            s = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
            if len(sample) < 200 and rng.random() < 0.01:
                sample.append(s)
            b = s.encode("utf-8") + b"\n"
            nbytes += len(b)
            f.write(b)
        while bi < len(bad_at):
            f.write(malformed(rng, sample, list(present)) + b"\n")
            bi += 1
    with open(os.path.join(args.out, "labels.json"), "w", encoding="utf-8") as f:
        json.dump({"accounts": labels}, f, indent=1, sort_keys=True)
    n_att = sum(1 for v in labels.values() if v["label"] == "attack")
    print("heldout3: %d lines (%d malformed, %.0f MB), %d accounts (%d attack, %d benign), %.1f s -> %s"
          % (len(W.rows) + n_bad, n_bad, nbytes / 1e6, len(labels), n_att, len(labels) - n_att, time.time() - t_start, args.out))


if __name__ == "__main__":
    main()
