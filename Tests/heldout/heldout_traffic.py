#!/usr/bin/env python3
"""Independent held-out labelled traffic for Sluice (format `openai`).

Written without reference to Sluice's scoring, features or simulator design. Personas are
drawn from the threat model (DESIGN.md §4) and its legitimate look-alikes, with deliberate
overlap between them. Standard library only (orjson is used when present, for speed).

    python3 heldout_traffic.py --out DIR [--days 3] [--seed 11] [--scale 1.0] [--data /work/shared/data]

Writes DIR/traffic.jsonl (one JSON object per line, sorted by `ts`) and DIR/labels.json.
"""
import argparse
import csv
import gzip
import heapq
import json
import math
import os
import random
import re
import sys
import time
from datetime import datetime, timezone

try:
    import orjson  # optional

    def dumps(obj):
        return orjson.dumps(obj)
except ImportError:  # pragma: no cover
    orjson = None

    def dumps(obj):
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


DAY = 86400.0
HOUR = 3600.0
START = datetime(2026, 3, 2, tzinfo=timezone.utc).timestamp()  # a Monday

# Relative activity of a person by local hour.
HUMAN = [0.12, 0.07, 0.04, 0.03, 0.03, 0.06, 0.15, 0.4, 0.75, 1.0, 1.0, 0.95,
         0.8, 0.95, 1.0, 1.0, 0.95, 0.85, 0.7, 0.65, 0.6, 0.5, 0.35, 0.2]
OFFICE = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.02, 0.2, 0.8, 1.0, 1.0, 0.9,
          0.6, 0.9, 1.0, 1.0, 0.9, 0.6, 0.25, 0.1, 0.05, 0.03, 0.0, 0.0]
EVENING = [0.3, 0.15, 0.06, 0.03, 0.02, 0.03, 0.08, 0.2, 0.35, 0.4, 0.45, 0.5,
           0.55, 0.5, 0.5, 0.5, 0.55, 0.65, 0.8, 0.95, 1.0, 1.0, 0.85, 0.55]
TZS = [-8, -7, -5, -5, -4, -3, 0, 0, 1, 1, 1, 2, 3, 5.5, 5.5, 7, 8, 8, 9, 10]

# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------

SENT_SPLIT = re.compile(r"(?<=[.!?])\s+")


def sentences(text):
    return [s for s in SENT_SPLIT.split(text.strip()) if s]


class Data:
    def __init__(self, root):
        p = lambda *a: os.path.join(root, *a)

        def jl(path):
            with open(path, encoding="utf-8") as f:
                return [json.loads(l) for l in f if l.strip()]

        self.gsm = [(d["question"], d["answer"]) for d in jl(p("gsm8k", "train.jsonl"))]
        with gzip.open(p("human-eval", "HumanEval.jsonl.gz"), "rt", encoding="utf-8") as f:
            self.he = [json.loads(l) for l in f if l.strip()]
        self.mt = [(d["category"], d["turns"]) for d in jl(p("fastchat", "mt_bench_question.jsonl"))]
        self.vic = [d["turns"][0] for d in jl(p("fastchat", "vicuna_bench_question.jsonl"))]
        self.judge = {d["name"]: d for d in jl(p("fastchat", "judge_prompts.jsonl"))}
        self.koala = [d["prompt"] for d in jl(p("koala-test-set", "koala_test_set.jsonl"))]
        self.seed = []
        for d in jl(p("self-instruct", "seed_tasks.jsonl")):
            inst = d["instances"][0] if d["instances"] else {"input": "", "output": ""}
            self.seed.append((d["instruction"], inst.get("input", ""), inst.get("output", "")))
        self.uo = []
        for d in jl(p("self-instruct", "user_oriented_instructions.jsonl")):
            inst = d["instances"][0] if d["instances"] else {"input": ""}
            self.uo.append((d["instruction"], inst.get("input", ""), d.get("motivation_app", "")))
        self.t0 = {}
        tdir = p("self-instruct", "t0_train_50k_data_per_template")
        for fn in sorted(os.listdir(tdir)):
            if fn.endswith(".jsonl"):
                self.t0[fn[:-6]] = [(d["prompt"], d.get("completion", "").replace("<|endoftext|>", ""))
                                    for d in jl(os.path.join(tdir, fn))]
        with open(p("awesome-chatgpt-prompts", "prompts.csv"), encoding="utf-8", newline="") as f:
            self.acp = [(r["act"], r["prompt"]) for r in csv.DictReader(f) if r.get("prompt")]
        self.hh = []
        with gzip.open(p("hh-rlhf", "harmless-base_test.jsonl.gz"), "rt", encoding="utf-8") as f:
            for l in f:
                if not l.strip():
                    continue
                turns = self._hh_pairs(json.loads(l)["chosen"])
                if turns:
                    self.hh.append(turns)
        ae_dir = p("alpaca_eval", "results")
        with open(os.path.join(ae_dir, "gpt4", "model_outputs.json"), encoding="utf-8") as f:
            g4 = json.load(f)
        with open(os.path.join(ae_dir, "text_davinci_003", "model_outputs.json"), encoding="utf-8") as f:
            dv = json.load(f)
        dv_by = {d["instruction"]: d["output"] for d in dv}
        self.ae = [(d["instruction"], d["output"], dv_by.get(d["instruction"], d["output"][: len(d["output"]) // 2]))
                   for d in g4]
        tdir = p("alpaca_eval", "src", "alpaca_eval", "evaluators_configs")
        self.ae_clf = self._im_template(open(os.path.join(tdir, "alpaca_eval_clf_gpt4_turbo", "alpaca_eval_clf.txt"), encoding="utf-8").read())
        self.ae_rank = self._im_template(open(os.path.join(tdir, "alpaca_eval_gpt4", "alpaca_eval.txt"), encoding="utf-8").read())

        # Prose corpus for assistant turns and fillers; code corpus for code contexts.
        prose = [d[1] for d in self.ae] + [d[2] for d in self.ae] + [a for t in self.hh for _, a in t]
        self.prose = "\n\n".join(prose)
        self.prose_starts = [m.end() for m in re.finditer(r"[.!?\n]\s+", self.prose)]
        self.code_funcs = [h["prompt"] + h["canonical_solution"] for h in self.he]
        self.code = "\n\n".join(self.code_funcs)
        self.code_starts = [m.start() for m in re.finditer(r"\n(def |from |import |class )", self.code)]

        # t0 pieces
        self.adv_ctx, self.adv_q = [], []
        for pr, _ in self.t0.get("adversarial_qa_dbert_based_on", []):
            m = re.search(r"Question: (.*?)\nContext: (.*)", pr, re.S)
            if m:
                self.adv_q.append(m.group(1).strip())
                self.adv_ctx.append(m.group(2).strip())
        self.bios = []
        for pr, _ in self.t0.get("wiki_bio_key_content", []):
            m = re.search(r"Bio: (.*)", pr, re.S)
            if m:
                self.bios.append(m.group(1).strip())
        self.hotpot_q = [pr.strip() for pr, _ in self.t0.get("kilt_tasks_hotpotqa_straighforward_qa", [])]
        self.trec_q = [pr.split("\n\n", 1)[-1].strip() for pr, _ in self.t0.get("trec_fine_grained_open", [])]

        # One broad instruction pool (public sets anyone can download).
        pool = []
        pool += [a if not b else f"{a}\n\n{b}" for a, b, _ in self.seed]
        pool += [a if not b else f"{a}\n\n{b}" for a, b, _ in self.uo]
        pool += self.koala + self.vic + [t[0] for _, t in self.mt]
        pool += [d[0] for d in self.ae]
        pool += [pr for _, pr in self.acp]
        self.instructions = pool

    @staticmethod
    def _hh_pairs(text):
        parts = re.split(r"\n\nHuman: ", text)
        pairs = []
        for part in parts[1:]:
            if "\n\nAssistant: " not in part:
                h, a = part, ""
            else:
                h, a = part.split("\n\nAssistant: ", 1)
            h, a = h.strip(), a.strip()
            if h:
                pairs.append((h, a))
        return pairs

    @staticmethod
    def _im_template(text):
        sys_m = re.search(r"<\|im_start\|>system\n(.*?)\n?<\|im_end\|>", text, re.S)
        usr_m = re.search(r"<\|im_start\|>user\n(.*?)\n?<\|im_end\|>", text, re.S)
        return (sys_m.group(1).strip() if sys_m else "", usr_m.group(1).strip() if usr_m else text)

    def filler(self, r, nchars):
        """Prose of about nchars characters (stands in for model-written text)."""
        nchars = max(20, int(nchars))
        i = self.prose_starts[r.randrange(len(self.prose_starts))]
        s = self.prose[i:i + nchars]
        if len(s) < nchars:
            s += "\n\n" + self.prose[: nchars - len(s)]
        return s

    def code_block(self, r, nchars):
        nchars = max(40, int(nchars))
        i = self.code_starts[r.randrange(len(self.code_starts))] + 1
        s = self.code[i:i + nchars]
        if len(s) < nchars:
            s += "\n" + self.code[: nchars - len(s)]
        return s


NUM = re.compile(r"\d+")


def perturb_numbers(text, r):
    def sub(m):
        v = int(m.group(0))
        if v <= 1:
            return m.group(0)
        if v < 20:
            return str(max(2, v + r.choice([-3, -2, -1, 1, 2, 3, 4])))
        return str(max(2, int(v * r.uniform(0.6, 1.7))))
    return NUM.sub(sub, text)


def strip_calc(ans):
    return re.sub(r"<<[^>]*>>", "", ans)


# --------------------------------------------------------------------------------------------
# Output machinery
# --------------------------------------------------------------------------------------------

def tok(s):
    return (len(s) + 3) // 4 if s else 0


def prompt_tokens(body):
    n = 3
    for m in body["messages"]:
        n += 4 + tok(m.get("content") or "")
        for tc in m.get("tool_calls") or ():
            n += 6 + tok(tc["function"]["arguments"]) + tok(tc["function"]["name"])
    if body.get("tools"):
        n += tok(json.dumps(body["tools"]))
    return n


def hexid(r, n):
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def lognorm(r, med, sigma, lo, hi):
    return int(min(hi, max(lo, med * math.exp(sigma * r.gauss(0.0, 1.0)))))


def pick_hour(r, curve):
    return r.choices(range(24), weights=curve)[0]


class Gen:
    def __init__(self, args):
        self.seed = args.seed
        self.days = args.days
        self.scale = args.scale
        self.start = START
        self.end = START + args.days * DAY
        # "frontier-2" ships mid-run at 17:00 UTC.
        self.release = START + int(args.days * 0.5) * DAY + 17 * HOUR
        self.idrng = random.Random(f"ids-{args.seed}")
        self.lines = []  # (ts, seq, bytes)
        self.labels = {}
        self.active = {}
        self.seq = 0
        self.D = Data(args.data)

    def rng(self, *parts):
        return random.Random("-".join(str(p) for p in (self.seed,) + parts))

    def vol(self, x):
        return x * self.scale

    def day_time(self, r, day, tz, curve):
        h = pick_hour(r, curve)
        return self.start + day * DAY + (h + r.random()) * HOUR - tz * HOUR

    def inside(self, t):
        return self.start <= t < self.end


def ip_in(r, net):
    return f"{net}.{r.randint(2, 254)}"


def public_ip(r):
    first = r.choice([24, 31, 37, 46, 62, 68, 71, 73, 76, 79, 81, 86, 89, 92, 98, 99, 109, 112, 121,
                      151, 174, 176, 178, 183, 188, 190, 201, 212, 217])
    return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(2, 254)}"


def cloud_ip(r):
    first = r.choice(["3", "13", "18", "34", "35", "44", "52", "54", "20", "40", "104", "146", "159", "167"])
    return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(2, 254)}"


BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
]
SDK_UAS = ["OpenAI/Python 1.54.3", "OpenAI/Python 1.40.6", "OpenAI/Python 1.35.10", "OpenAI/NodeJS/4.52.0",
           "python-httpx/0.27.0", "python-requests/2.32.3", "axios/1.6.8", "curl/8.5.0"]
APP_UAS = ["ChatBox/1.4.2", "TypingMind/2024.3", "LibreChat/0.7.0 (node)", "BetterChatGPT/1.0 (Electron 29)"]


class Acct:
    def __init__(self, G, persona, label, r, *, nkeys=1, ips=None, uas=None, p429=0.002, p500=0.002,
                 rotate=False, backoff=(2.0, 20.0)):
        self.G = G
        self.r = r
        self.id = "org-" + hexid(G.idrng, 20)
        self.keys = ["sk_" + hexid(G.idrng, 24) for _ in range(nkeys)]
        self.ki = 0
        self.ips = ips or [public_ip(r)]
        self.uas = uas or [r.choice(SDK_UAS)]
        self.p429, self.p500 = p429, p500
        self.rotate = rotate
        self.backoff = backoff
        self.ip_fn = None
        self.count = 0
        G.labels[self.id] = {"persona": persona, "label": label}

    def _line(self, ts, key, ip, ua, status, body, pt, ct, fr):
        G = self.G
        obj = {
            "id": "chatcmpl-" + hexid(self.r, 24),
            "ts": round(ts, 3),
            "account": self.id,
            "api_key_id": key,
            "ip": ip,
            "user_agent": ua,
            "status": status,
            "request": body,
            "usage": {"prompt_tokens": pt, "completion_tokens": ct},
            "finish_reason": fr,
        }
        G.seq += 1
        G.active[self.id] = True
        G.lines.append((ts, G.seq, dumps(obj)))
        self.count += 1

    def emit(self, ts, body, ct, fr, *, ip=None, ua=None):
        """Writes the request (after any 429/500 failures and retries); returns the success time."""
        G, r = self.G, self.r
        if not G.inside(ts):
            return ts
        key = self.keys[self.ki % len(self.keys)]
        ip = ip or (self.ip_fn(ts) if self.ip_fn else r.choice(self.ips))
        ua = ua or r.choice(self.uas)
        pt = prompt_tokens(body)
        tries = 0
        while tries < 5:
            u = r.random()
            if u < self.p429:
                self._line(ts, key, ip, ua, 429, body, 0, 0, None)
                tries += 1
                lo, hi = self.backoff
                ts += r.uniform(lo, hi) * (1.6 ** (tries - 1))
                if self.rotate and len(self.keys) > 1:
                    self.ki += 1
                    key = self.keys[self.ki % len(self.keys)]
                continue
            if u < self.p429 + self.p500:
                self._line(ts, key, ip, ua, 500, body, 0, 0, None)
                tries += 1
                ts += r.uniform(1.0, 8.0)
                continue
            break
        if not G.inside(ts):
            return ts
        self._line(ts, key, ip, ua, 200, body, pt, ct, fr)
        return ts


def sample_completion(r, body, per_sample):
    """per_sample() -> tokens for one choice; applies max_tokens and n."""
    n = body.get("n", 1) or 1
    mt = body.get("max_tokens")
    total, fr = 0, "stop"
    for k in range(n):
        c = max(1, int(per_sample()))
        if mt and c >= mt:
            c = mt
            if k == 0:
                fr = "length"
        total += c
    return total, fr


def attacker_model(G, r, ts, pivot_delay, share=0.85, before=("frontier-1", "frontier-1", "frontier-1-mini")):
    if ts >= G.release + pivot_delay and r.random() < share:
        return "frontier-2"
    return r.choice(before)


def benign_model(G, r, ts, prefs, adopt=0.0, delay=12 * HOUR):
    if adopt and ts >= G.release + delay and r.random() < adopt:
        return "frontier-2"
    return r.choice(prefs)


def poisson(r, t0, t1, per_day):
    if per_day <= 0:
        return
    t = t0
    rate = per_day / DAY
    while True:
        t += r.expovariate(rate)
        if t >= t1:
            return
        yield t


# --------------------------------------------------------------------------------------------
# Shared phrase lists (written for this test set)
# --------------------------------------------------------------------------------------------

FOLLOW_UPS = [
    "Can you make that shorter?", "Thanks! Could you give me a concrete example?",
    "What would you change if I only had a weekend to do this?", "Explain the second point in more detail.",
    "Hmm, that's not quite what I meant. I was asking about the practical side.", "Can you put that in a table?",
    "ok and what are the downsides?", "Could you rewrite it in a more casual tone?",
    "Is there a source I can read about this?", "great, now turn it into a short email to my team",
    "What if the budget is smaller?", "Why is that?", "Can you translate that into German?",
    "That's helpful. One more thing: how long would this take?", "Give me three alternatives.",
    "I don't get the last part, can you simplify?", "thanks!! can you also add a title",
    "Would this work for kids too?", "Can you summarize everything we discussed in 5 bullets?",
]

EVOL = [
    "Add one more constraint to the task above and then complete the harder version in full.",
    "Rewrite the task so that it needs several steps of reasoning, then solve the rewritten task, showing each step.",
    "Answer it twice: first for a complete beginner, then for a domain expert.",
    "Respond entirely in Spanish.",
    "Respond in French and finish with a glossary of the key terms.",
    "Make the task more concrete by placing it in a realistic scenario, then answer it thoroughly.",
    "Give three answers of increasing depth and explain how they differ.",
    "Think through the problem step by step before you give the final answer.",
    "Return the answer as JSON with the keys \"answer\", \"reasoning\" and \"confidence\".",
    "Write a harder variant of the task and answer both the original and the variant.",
    "Include a fully worked example and list common mistakes.",
    "Cover every edge case you can think of, one paragraph each.",
    "Answer as a Socratic dialogue between a teacher and a student.",
    "Deepen the task by asking for trade-offs and justify each recommendation.",
    "Replace general concepts with more specific ones, then answer the more specific task.",
    "Respond in Simplified Chinese.",
    "Answer in German, then give an English summary.",
    "First critique a naive answer, then write an improved answer.",
    "Explain your reasoning explicitly, including any assumptions you make.",
    "Provide the answer in Markdown with headings, a table and a summary.",
    "Broaden the task to a related but rarer topic and answer that as well.",
    "Answer for three different audiences: a child, a manager, an engineer.",
]

EVOL_PREFIX = [
    "Rewritten prompt (increased difficulty): ", "#Given Prompt#: ", "Complex version: ",
    "", "", "", "Task: ", "### Instruction:\n",
]

LANGS = ["Python", "Rust", "Go", "TypeScript", "C++", "Java", "Kotlin", "C#", "Haskell", "Scala", "Swift", "Ruby"]
ALGOS = [
    "an LRU cache", "a trie with prefix search", "Dijkstra's shortest path", "a token bucket rate limiter",
    "a thread-safe bounded queue", "an interval tree", "a union-find with path compression",
    "a JSON tokenizer", "a B-tree insert and search", "a consistent hashing ring", "a skip list",
    "a bloom filter", "topological sort with cycle detection", "a rope data structure", "an A* path finder",
    "a min-heap priority queue", "a Raft leader election simulation", "a regex engine for . * + ?",
    "an in-memory key-value store with TTLs", "a CSV parser that handles quoted fields",
    "merge sort on linked lists", "a sudoku solver", "a markdown-to-HTML converter for headings and lists",
    "a retrying HTTP client with exponential backoff", "a sparse matrix multiply", "a Huffman encoder",
    "an event sourcing aggregate", "a producer-consumer pipeline", "a suffix array", "a segment tree",
    "a k-means clustering routine", "a tiny stack-based VM", "a diff algorithm (Myers)",
]
CODE_CONSTRAINTS = [
    "with full unit tests", "with O(log n) operations and a complexity analysis", "without external libraries",
    "with extensive comments explaining every decision", "and explain the design step by step",
    "with property-based tests", "with error handling for every edge case", "and a benchmark harness",
    "with generics", "and then refactor it for readability, showing both versions",
]
IDE_QUESTIONS = [
    "Why does this throw an IndexError on empty input?", "Refactor this to be more readable.",
    "Write pytest unit tests for this.", "Explain what this code does.", "Add type hints and docstrings.",
    "Can this be made faster? It's slow on 1e6 elements.", "Convert this to use a generator.",
    "Is there a bug here? The result is off by one.", "How would I make this async?",
    "Rename the variables to something clearer and explain the changes.",
    "What's the time complexity of this?", "Port this function to TypeScript.",
    "mypy complains about the return type here, why?", "Split this into smaller functions.",
    "Add logging so I can debug this in production.", "Why does the linter flag this line?",
    "Make this handle None inputs gracefully.", "Write a docstring in Google style for this.",
]
IDE_PATHS = ["src/utils.py", "app/models.py", "lib/core/parse.py", "services/billing/invoice.py",
             "tests/test_helpers.py", "pkg/metrics.py", "scripts/migrate.py", "api/handlers.py"]


def hydra_system_variants():
    base = ("You are an expert assistant that writes comprehensive, high-quality answers for a knowledge "
            "base. Always explain your reasoning, include concrete examples, and end with a concise summary.")
    subs = [("expert", "expert"), ("expert", "knowledgeable"), ("expert", "senior")]
    return base, [("comprehensive", "thorough"), ("comprehensive", "complete"), ("comprehensive", "detailed"),
                  ("high-quality", "accurate"), ("Always", "Always"), ("Always", "Please always"),
                  ("concise summary", "short summary"), ("concise summary", "brief recap"),
                  ("concrete examples", "worked examples"), ("knowledge base", "reference corpus")] + subs


def paraphrase(base, subs, r, k=3):
    s = base
    for a, b in r.sample(subs, k):
        s = s.replace(a, b, 1)
    if r.random() < 0.3:
        parts = s.split(". ")
        if len(parts) > 2:
            first, rest = parts[0], parts[1:]
            r.shuffle(rest)
            s = ". ".join([first] + rest)
    return s


ADAPTIVE_SYSTEMS = [
    "You are a helpful assistant.", "You are a friendly and knowledgeable helper.",
    "You're an assistant. Be clear and complete.", "Act as a patient tutor who explains things well.",
    "You are ChatBuddy, a helpful AI.", "Be helpful, accurate and thorough.",
    "You are an assistant for a study group; explain carefully.", "Respond helpfully and in detail.",
    "You are a careful assistant. Show your work where useful.", "You help users learn. Be detailed.",
    "Assistant persona: calm, precise, detailed.", "You are a writing and reasoning assistant.",
]


# --------------------------------------------------------------------------------------------
# Distinct prompt streams for harvesters
# --------------------------------------------------------------------------------------------

class EvolStream:
    """Never-repeating (base instruction x mutation) prompts."""

    def __init__(self, D, r, mut_prob=0.8):
        self.D, self.r = D, r
        self.perm = list(range(len(D.instructions)))
        r.shuffle(self.perm)
        self.mut_perm = list(range(len(EVOL)))
        r.shuffle(self.mut_perm)
        self.i = 0
        self.mut_prob = mut_prob

    def item(self, i):
        D, r = self.D, self.r
        n = len(self.perm)
        base = D.instructions[self.perm[i % n]]
        rnd = i // n
        if rnd == 0 and r.random() > self.mut_prob:
            return base
        m = EVOL[self.mut_perm[(rnd + i) % len(EVOL)]]
        pre = r.choice(EVOL_PREFIX)
        if pre == "### Instruction:\n":
            return f"### Instruction:\n{base}\n\n{m}\n\n### Response:"
        return f"{pre}{base}\n\n{m}"

    def next(self):
        x = self.item(self.i)
        self.i += 1
        return x


def gsm_stream(D, r, skip=400):
    idx = list(range(skip, len(D.gsm)))
    r.shuffle(idx)
    rnd = 0
    while True:
        for i in idx:
            q = D.gsm[i][0]
            yield q if rnd == 0 else perturb_numbers(q, r)
        rnd += 1


def code_task_stream(D, r):
    k = 0
    while True:
        k += 1
        u = r.random()
        if u < 0.35:
            h = r.choice(D.he)
            lang = r.choice(LANGS)
            if lang == "Python":
                yield (f"Implement the following function completely, then explain the algorithm and give tests.\n\n"
                       f"```python\n{h['prompt']}```")
            else:
                yield (f"Translate this Python stub into idiomatic {lang}, implement it fully, and add tests:\n\n"
                       f"```python\n{h['prompt']}```\n{r.choice(CODE_CONSTRAINTS)}")
        elif u < 0.85:
            yield f"Write {r.choice(ALGOS)} in {r.choice(LANGS)} {r.choice(CODE_CONSTRAINTS)}. Variant #{k}."
        else:
            ins, inp, _ = r.choice(D.seed)
            yield (f"Solve this as a program in {r.choice(LANGS)}: {ins}" + (f"\nInput: {inp}" if inp else "")
                   + f"\n{r.choice(CODE_CONSTRAINTS)}")


# --------------------------------------------------------------------------------------------
# Benign personas
# --------------------------------------------------------------------------------------------

def chat_session(G, a, r, t, tz, sysmsg, style, params, model_fn, user=None, max_turns=None):
    """One multi-turn conversation; returns end time."""
    D = G.D
    msgs = [{"role": "system", "content": sysmsg}] if sysmsg else []
    turns = []
    if style == "hh":
        turns = [(h, a_) for h, a_ in r.choice(D.hh)]
    elif style == "mt":
        _, tt = r.choice(D.mt)
        turns = [(x, None) for x in tt]
    else:
        if style == "koala":
            first = r.choice(D.koala)
        elif style == "uo":
            ins, inp, _ = r.choice(D.uo)
            first = ins + ("\n\n" + inp if inp else "")
        elif style == "vic":
            first = r.choice(D.vic)
        else:
            first = r.choice(D.instructions)
        k = 1 + min(6, int(r.expovariate(0.7)))
        turns = [(first, None)] + [(r.choice(FOLLOW_UPS), None) for _ in range(k - 1)]
    if max_turns:
        turns = turns[:max_turns]
    model = model_fn(t)
    for h, ans in turns:
        msgs.append({"role": "user", "content": h})
        body = {"model": model, "messages": list(msgs)}
        body.update(params)
        if user:
            body["user"] = user
        if ans:
            ct = max(3, tok(ans))
            mt = body.get("max_tokens")
            fr = "stop"
            if mt and ct >= mt:
                ct, fr = mt, "length"
            reply = ans
        else:
            med = params.get("_med", 220)
            ct, fr = sample_completion(r, body, lambda: lognorm(r, med, 0.7, 8, 3000))
            reply = D.filler(r, ct * 4)
        body.pop("_med", None)
        t = a.emit(t, body, ct, fr)
        msgs.append({"role": "assistant", "content": reply})
        # reading the answer and typing the next message
        t += ct / r.uniform(25, 70) + lognorm(r, 35, 0.9, 4, 900)
        if not G.inside(t):
            break
    return t


def gen_chat_users(G, n=70):
    D = G.D
    for i in range(n):
        r = G.rng("chat", i)
        tz = r.choice(TZS)
        kind = r.random()
        if kind < 0.45:
            uas = [r.choice(BROWSER_UAS)]
        elif kind < 0.75:
            uas = [r.choice(APP_UAS)]
        else:
            uas = [r.choice(SDK_UAS)]
        a = Acct(G, "chat_user", "benign", r, ips=[public_ip(r)], uas=uas)
        home = [public_ip(r) for _ in range(G.days + 1)]
        a.ip_fn = (lambda home: (lambda ts: home[int((ts - G.start) // DAY) % len(home)]))(home)
        curve = r.choice([HUMAN, HUMAN, EVENING, OFFICE])
        sess_per_day = G.vol(lognorm(r, 6, 0.9, 0.5, 30))
        styles = r.choices(["hh", "koala", "uo", "vic", "mt", "any"], weights=[4, 2, 2, 1, 1, 1], k=3)
        heavy_writer = r.random() < 0.12
        prefs = r.choice([["frontier-1-mini"], ["frontier-1"], ["frontier-1", "frontier-1-mini"]])
        adopt = r.choice([0.0, 0.0, 0.3, 0.7])
        sysmsg = None
        if r.random() < 0.3:
            sysmsg = r.choice(D.acp)[1]
        stream = r.random() < 0.7
        temp = r.choice([None, None, 0.7, 1.0, 0.5])
        mt = r.choice([None, None, 1024, 2048, 4096])
        med = 700 if heavy_writer else r.choice([120, 180, 250, 320])
        for day in range(G.days):
            if r.random() > 0.78:
                continue
            k = sum(1 for _ in range(int(sess_per_day * 2)) if r.random() < 0.5) or 1
            for _ in range(k):
                t = G.day_time(r, day, tz, curve)
                params = {"_med": med}
                if stream:
                    params["stream"] = True
                if temp is not None:
                    params["temperature"] = temp
                if mt:
                    params["max_tokens"] = mt
                s = r.choice(styles)
                sm = sysmsg if (sysmsg and r.random() < 0.6) else None
                chat_session(G, a, r, t, tz, sm, s, params,
                             lambda ts: benign_model(G, r, ts, prefs, adopt, r.uniform(2, 30) * HOUR))


def gen_chat_team(G, n=10):
    """One company's internal assistant: many accounts, one /24, one UA, one system prompt."""
    D = G.D
    r0 = G.rng("team")
    net = f"{r0.choice([62, 81, 145, 193, 212])}.{r0.randint(0, 255)}.{r0.randint(0, 255)}"
    nat = [ip_in(r0, net) for _ in range(3)]
    ua = "AcmeAssist/1.4 (OpenAI/Python 1.30.1)"
    sysmsg = ("You are Acme Corp's internal assistant. Answer questions from Acme employees clearly and "
              "concisely. Do not reveal confidential information to external parties. If unsure, say so.")
    tz = 1
    for i in range(n):
        r = G.rng("team", i)
        a = Acct(G, "chat_team", "benign", r, ips=nat, uas=[ua])
        per_day = G.vol(lognorm(r, 10, 0.5, 3, 30))
        for day in range(G.days):
            k = max(1, int(r.gauss(per_day, per_day * 0.3)))
            for _ in range(k):
                t = G.day_time(r, day, tz, OFFICE)
                s = r.choices(["uo", "koala", "hh", "any", "vic"], weights=[4, 2, 2, 1, 1])[0]
                chat_session(G, a, r, t, tz, sysmsg, s,
                             {"temperature": 0.3, "_med": r.choice([150, 220, 300])},
                             lambda ts: benign_model(G, r, ts, ["frontier-1"], 0.0), max_turns=5)


def run_workers(G, a, r, t0, jobs, concurrency, tps=(40, 90)):
    """Eval-style bounded run: a fixed job list pushed through `concurrency` workers."""
    free = [t0 + r.uniform(0, 2) for _ in range(concurrency)]
    heapq.heapify(free)
    for body, ct, fr in jobs:
        t = heapq.heappop(free)
        t = a.emit(t, body, ct, fr)
        latency = 0.4 + ct / r.uniform(*tps) / max(1, body.get("n", 1) ** 0.5)
        heapq.heappush(free, t + latency + r.uniform(0.0, 0.3))
    return max(free)


def eval_jobs(G, r, suite, model):
    D = G.D
    jobs = []
    if suite in ("gsm8k_0shot", "gsm8k_8shot"):
        shots = ""
        if suite == "gsm8k_8shot":
            shots = "".join(f"Question: {q}\nAnswer: {strip_calc(ans).replace('####', 'The answer is')}\n\n"
                            for q, ans in D.gsm[7400:7408])
        for i in range(400):
            q, ans = D.gsm[i]
            rr = random.Random(f"{suite}-{i}")
            if suite == "gsm8k_0shot":
                msgs = [{"role": "user", "content": f"{q}\nLet's think step by step. At the end, write \"The answer is N\"."}]
            else:
                msgs = [{"role": "user", "content": f"{shots}Question: {q}\nAnswer:"}]
            body = {"model": model, "messages": msgs, "temperature": 0, "max_tokens": 512}
            ct = lognorm(rr, max(40, tok(strip_calc(ans)) * 1.6), 0.35, 30, 600)
            jobs.append((body, min(ct, 512), "length" if ct >= 512 else "stop"))
    elif suite in ("humaneval_p1", "humaneval_p5"):
        for i, h in enumerate(D.he):
            rr = random.Random(f"{suite}-{i}")
            msgs = [{"role": "system", "content": "Complete the Python function. Reply with code only."},
                    {"role": "user", "content": h["prompt"]}]
            if suite == "humaneval_p1":
                body = {"model": model, "messages": msgs, "temperature": 0, "max_tokens": 768}
            else:
                body = {"model": model, "messages": msgs, "temperature": 0.8, "top_p": 0.95, "n": 5, "max_tokens": 768}
            base = max(30, tok(h["canonical_solution"]) * 1.8)
            ct, fr = sample_completion(rr, body, lambda: lognorm(rr, base, 0.4, 15, 900))
            jobs.append((body, ct, fr))
    elif suite == "mtbench":
        for i, (cat, turns) in enumerate(D.mt):
            rr = random.Random(f"{suite}-{i}")
            temp = 0.7 if cat in ("writing", "roleplay") else (0.1 if cat in ("stem", "humanities") else 0.0)
            msgs = [{"role": "user", "content": turns[0]}]
            body = {"model": model, "messages": list(msgs), "temperature": temp, "max_tokens": 1024}
            ct1 = lognorm(rr, 380, 0.5, 40, 1024)
            jobs.append((body, ct1, "length" if ct1 >= 1024 else "stop"))
            msgs += [{"role": "assistant", "content": D.filler(rr, ct1 * 4)}, {"role": "user", "content": turns[1]}]
            body = {"model": model, "messages": msgs, "temperature": temp, "max_tokens": 1024}
            ct2 = lognorm(rr, 300, 0.5, 30, 1024)
            jobs.append((body, ct2, "length" if ct2 >= 1024 else "stop"))
    elif suite == "vicuna":
        for i, q in enumerate(D.vic):
            rr = random.Random(f"{suite}-{i}")
            body = {"model": model, "messages": [{"role": "user", "content": q}], "temperature": 0.7, "max_tokens": 1024}
            ct = lognorm(rr, 420, 0.4, 60, 1024)
            jobs.append((body, ct, "length" if ct >= 1024 else "stop"))
    elif suite == "alpaca_eval":
        for i, (ins, _, _) in enumerate(D.ae):
            rr = random.Random(f"{suite}-{i}")
            body = {"model": model, "messages": [{"role": "user", "content": ins}], "temperature": 0.7, "max_tokens": 2048}
            ct = lognorm(rr, 420, 0.6, 20, 2048)
            jobs.append((body, ct, "length" if ct >= 2048 else "stop"))
    elif suite == "koala":
        for i, q in enumerate(D.koala):
            rr = random.Random(f"{suite}-{i}")
            body = {"model": model, "messages": [{"role": "user", "content": q}], "temperature": 0, "max_tokens": 1024}
            ct = lognorm(rr, 350, 0.5, 20, 1024)
            jobs.append((body, ct, "length" if ct >= 1024 else "stop"))
    elif suite == "agnews_5shot":
        items = D.t0["ag_news_classify_with_choices"]
        shots = "".join(f"{p}{c}\n\n" for p, c in items[:5])
        for i, (p, c) in enumerate(items[5:]):
            body = {"model": model, "messages": [{"role": "user", "content": shots + p}], "temperature": 0, "max_tokens": 5}
            jobs.append((body, max(1, tok(c)), "stop"))
    return jobs


def gen_eval_harness(G):
    specs = [
        # suites, runs at (hour UTC list), concurrency, ua, release-day pivot
        (["gsm8k_0shot", "gsm8k_8shot", "humaneval_p1", "humaneval_p5", "mtbench"], [2], 16,
         "lm-evaluation-harness/0.4.3 OpenAI/Python 1.35.3", True),
        (["alpaca_eval", "vicuna", "koala"], [14], 8, "OpenAI/Python 1.51.0", False),
        (["gsm8k_8shot", "humaneval_p5", "agnews_5shot"], None, 24, "inspect_ai/0.3.40 (OpenAI/Python 1.54.0)", True),
    ]
    for i, (suites, hours, conc, ua, pivot) in enumerate(specs):
        r = G.rng("eval", i)
        a = Acct(G, "eval_harness", "benign", r, nkeys=2, ips=[cloud_ip(r)], uas=[ua], p429=0.015,
                 backoff=(4, 30))
        base_model = "frontier-1"
        for day in range(G.days):
            starts = []
            if hours:
                starts = [G.start + day * DAY + (h + r.uniform(0, 0.3)) * HOUR for h in hours]
            else:  # CI: 1-3 runs during the working day (a subset of suites each time)
                starts = [G.day_time(r, day, -5, OFFICE) for _ in range(r.randint(1, 3))]
            for t0 in sorted(starts):
                t = t0
                picks = suites if hours else r.sample(suites, r.randint(1, len(suites)))
                for s in picks:
                    t = run_workers(G, a, r, t + r.uniform(5, 60), eval_jobs(G, r, s, base_model), conc)
        if pivot and G.days >= 1:
            # Run the whole suite on the new model within hours of its release.
            t = G.release + r.uniform(1, 4) * HOUR
            for s in suites:
                t = run_workers(G, a, r, t + r.uniform(5, 60), eval_jobs(G, r, s, "frontier-2"), conc)


def variant(text, seed):
    rr = random.Random(seed)
    ss = sentences(text)
    if len(ss) > 3:
        k = rr.randint(max(1, len(ss) // 2), len(ss))
        ss = ss[:k]
        if rr.random() < 0.4:
            i, j = rr.randrange(len(ss)), rr.randrange(len(ss))
            ss[i], ss[j] = ss[j], ss[i]
    return " ".join(ss)


def gen_judges(G):
    D = G.D
    # Style 1: AlpacaEval-like preference judge, one token, logprobs with top 5.
    for i, (subset, runs_per_day) in enumerate([(805, 2), (400, 1)]):
        r = G.rng("judge_lp", i)
        a = Acct(G, "llm_judge_logprob", "benign", r, nkeys=1, ips=[cloud_ip(r)],
                 uas=["alpaca_eval/0.6.5 OpenAI/Python 1.40.6"], p429=0.01, backoff=(3, 20))
        sysmsg, tmpl = D.ae_clf if i == 0 else D.ae_rank
        items = list(range(len(D.ae)))[:subset]
        run_no = 0
        for day in range(G.days):
            for k in range(runs_per_day):
                run_no += 1
                cand = f"ckpt-{i}-{run_no}"
                t0 = G.day_time(r, day, 0, OFFICE if k == 0 else HUMAN)
                jobs = []
                for j in items:
                    ins, g4, dv = D.ae[j]
                    o2 = variant(dv if (j + run_no) % 2 else g4, f"{cand}-{j}")
                    user = tmpl.replace("{instruction}", ins).replace("{output_1}", g4).replace("{output_2}", o2)
                    body = {"model": "frontier-1", "messages": [{"role": "system", "content": sysmsg},
                                                                 {"role": "user", "content": user}],
                            "temperature": 1 if i == 0 else 0, "max_tokens": 1, "logprobs": True, "top_logprobs": 5}
                    jobs.append((body, 1, "length"))
                run_workers(G, a, r, t0, jobs, 16)
    # Style 2: MT-bench-like judge: a short rationale, then "Rating: [[x]]".
    r = G.rng("judge_rat")
    a = Acct(G, "llm_judge_rationale", "benign", r, ips=[cloud_ip(r)], uas=["fastchat/0.2.36 OpenAI/Python 1.35.3"],
             p429=0.01, backoff=(3, 20))
    single, single_m = D.judge["single-v1"], D.judge["single-math-v1"]
    multi = D.judge["single-v1-multi-turn"]
    pair = D.judge["pair-v2"]
    for day in range(G.days):
        models = [f"team-model-d{day}-{k}" for k in range(r.randint(3, 5))]
        t0 = G.day_time(r, day, -8, OFFICE)
        jobs = []
        for mdl in models:
            for qi, (cat, turns) in enumerate(D.mt):
                rr = random.Random(f"{mdl}-{qi}")
                ans1 = D.filler(rr, lognorm(rr, 350, 0.5, 40, 1000) * 4)
                ans2 = D.filler(rr, lognorm(rr, 280, 0.5, 30, 1000) * 4)
                j = single_m if cat in ("math", "reasoning", "coding") else single
                user = (j["prompt_template"].replace("{question}", turns[0]).replace("{answer}", ans1)
                        .replace("{ref_answer_1}", D.filler(rr, 600)))
                body = {"model": "frontier-1", "messages": [{"role": "system", "content": j["system_prompt"]},
                                                             {"role": "user", "content": user}],
                        "temperature": 0, "max_tokens": 2048}
                jobs.append((body, lognorm(rr, 150, 0.45, 40, 500), "stop"))
                user = (multi["prompt_template"].replace("{question_1}", turns[0]).replace("{answer_1}", ans1)
                        .replace("{question_2}", turns[1]).replace("{answer_2}", ans2))
                body = {"model": "frontier-1", "messages": [{"role": "system", "content": multi["system_prompt"]},
                                                             {"role": "user", "content": user}],
                        "temperature": 0, "max_tokens": 2048}
                jobs.append((body, lognorm(rr, 170, 0.45, 40, 500), "stop"))
        # a pairwise pass on the two best models
        for qi, (cat, turns) in enumerate(D.mt):
            rr = random.Random(f"pair-{day}-{qi}")
            user = (pair["prompt_template"].replace("{question}", turns[0])
                    .replace("{answer_a}", D.filler(rr, 1200)).replace("{answer_b}", D.filler(rr, 1300)))
            body = {"model": "frontier-1", "messages": [{"role": "system", "content": pair["system_prompt"]},
                                                         {"role": "user", "content": user}],
                    "temperature": 0, "max_tokens": 2048}
            jobs.append((body, lognorm(rr, 200, 0.4, 50, 600), "stop"))
        run_workers(G, a, r, t0, jobs, 8)


def mix_body(D, r, items, sep_pattern):
    """New text made of sentences from 2-3 items of one template (distinct inputs)."""
    chosen = r.sample(items, r.randint(2, 3))
    ss = []
    for c in chosen:
        ss += sentences(c)
    r.shuffle(ss)
    return " ".join(ss[: r.randint(2, max(2, min(8, len(ss))))])


def gen_batch_classifiers(G):
    D = G.D
    specs = [
        ("ag_news_classify_with_choices", "\nIs this a piece of news regarding", None, 1800),
        ("amazon_polarity_Is_this_review", "\nIs the review positive or negative?", None, 2200),
        ("app_reviews_convert_to_star_rating", None,
         "You rate app store reviews. Reply with one to five \u2605 characters and nothing else.", 1500),
    ]
    for i, (name, split, sysmsg, per_day) in enumerate(specs):
        r = G.rng("clf", i)
        a = Acct(G, "batch_classifier", "benign", r, ips=[cloud_ip(r)], uas=[r.choice(["python-httpx/0.27.0", "OpenAI/Python 1.43.0"])],
                 p429=0.003)
        items = D.t0[name]
        if name == "ag_news_classify_with_choices":
            bodies = [p.split(split)[0] for p, _ in items]
            suffix = "\nIs this a piece of news regarding world politics, sports, business, or science and technology?\n"
            wrap = lambda b: b + suffix
        elif name == "amazon_polarity_Is_this_review":
            bodies = [p.split("Review: ", 1)[-1].split(split)[0] for p, _ in items]
            titles = [p.split("\n")[0].replace("Title: ", "") for p, _ in items]
            wrap = lambda b: f"Title: {r.choice(titles)}\nReview: {b}\nIs the review positive or negative?\n"
        else:
            bodies = [re.sub(r'^.*?\? "', "", p).rstrip('"\n') for p, _ in items]
            wrap = lambda b: ('What would be the \u2605-rating of this review (\u2605 being the lowest and '
                              f'\u2605\u2605\u2605\u2605\u2605 being the highest)? "{b}"\n')
        outs = [c for _, c in items if c.strip()] or ["Positive"]
        # few-shot header for the third classifier (constant, long prompt, tiny answer)
        shots = "\n\n".join(f"{p}{c}" for p, c in items[:6]) + "\n\n" if sysmsg else ""
        model = r.choice(["frontier-1-mini", "frontier-1"])
        rate = G.vol(per_day)
        for t in poisson(r, G.start, G.end, rate):
            # the queue is fed by upstream batch jobs: nights are a little busier
            if r.random() < 0.15 * math.sin((t - G.start) / DAY * 2 * math.pi) ** 2:
                continue
            text = wrap(mix_body(D, r, bodies, None))
            msgs = ([{"role": "system", "content": sysmsg}] if sysmsg else []) + [{"role": "user", "content": shots + text}]
            body = {"model": model, "messages": msgs, "temperature": 0, "max_tokens": 5 if i < 2 else 8}
            ct = max(1, tok(r.choice(outs)))
            a.emit(t, body, min(ct, body["max_tokens"]), "stop")


def rag_context(D, r, n):
    parts = []
    for k in range(n):
        u = r.random()
        if u < 0.4 and D.adv_ctx:
            parts.append(r.choice(D.adv_ctx))
        elif u < 0.65 and D.bios:
            parts.append(r.choice(D.bios))
        else:
            parts.append(r.choice(D.ae)[1][:1500])
    return "\n\n".join(f"[{k + 1}] (doc {r.randint(1000, 99999)}) {p}" for k, p in enumerate(parts))


def gen_rag(G):
    D = G.D
    qs = D.hotpot_q + D.adv_q + D.trec_q + D.koala + D.vic
    specs = [("You are the help-center assistant for a software company. Answer ONLY from the numbered "
              "context passages and cite them like [2]. If the answer is not in the context, say you don't know.",
              900, 1900, -5), ("Answer the user's question using the retrieved documents below. Be concise and cite "
                               "sources by number.", 300, 1100, 1)]
    for i, (sysmsg, nusers, per_day, tz) in enumerate(specs):
        r = G.rng("rag", i)
        a = Acct(G, "rag_app", "benign", r, nkeys=2, ips=[cloud_ip(r), cloud_ip(r)], uas=["OpenAI/Python 1.47.1 langchain/0.2.14"],
                 p429=0.004)
        users = ["u-" + hexid(r, 12) for _ in range(nusers)]
        weights = [1.0 / (k + 1) ** 0.8 for k in range(nusers)]
        curve = [0.25 + 0.75 * h for h in HUMAN]
        n_total = int(G.vol(per_day) * G.days)
        for _ in range(n_total):
            day = r.randrange(G.days)
            t = G.day_time(r, day, tz, curve)
            user = r.choices(users, weights)[0]
            q = r.choice(qs)
            ctx = rag_context(D, r, r.randint(3, 6))
            msgs = [{"role": "system", "content": sysmsg}]
            if r.random() < 0.25:
                prev = r.choice(qs)
                msgs += [{"role": "user", "content": prev}, {"role": "assistant", "content": D.filler(r, r.randint(200, 900))}]
            msgs.append({"role": "user", "content": f"Context:\n{ctx}\n\nQuestion: {q}"})
            body = {"model": benign_model(G, r, t, ["frontier-1-mini"], 0.0), "messages": msgs, "temperature": 0.1,
                    "max_tokens": 600, "stream": True, "user": user}
            ct, fr = sample_completion(r, body, lambda: lognorm(r, 150, 0.55, 10, 800))
            a.emit(t, body, ct, fr)


AGENT_TOOLS = [
    {"type": "function", "function": {"name": "read_file", "description": "Read a file from the repository.",
                                      "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}}},
    {"type": "function", "function": {"name": "write_file", "description": "Create or overwrite a file.",
                                      "parameters": {"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
                                                     "required": ["path", "content"]}}},
    {"type": "function", "function": {"name": "run_command", "description": "Run a shell command in the sandbox and return stdout/stderr.",
                                      "parameters": {"type": "object", "properties": {"cmd": {"type": "string"}, "timeout": {"type": "integer"}},
                                                     "required": ["cmd"]}}},
    {"type": "function", "function": {"name": "search_code", "description": "Search the repository with a regular expression.",
                                      "parameters": {"type": "object", "properties": {"pattern": {"type": "string"}}, "required": ["pattern"]}}},
]
AGENT_SYSTEM = ("You are an autonomous software engineering agent working in a git repository. Use the tools to "
                "inspect files, run tests and make minimal, correct changes. Think before each action. When the task is "
                "complete, reply with a short summary of what you changed and why. Never modify files outside the "
                "repository. Prefer small diffs. Run the test suite before finishing.")


def agent_session(G, a, r, t, model, task):
    D = G.D
    msgs = [{"role": "system", "content": AGENT_SYSTEM}, {"role": "user", "content": task}]
    steps = lognorm(r, 10, 0.6, 2, 45)
    for s in range(steps):
        last = s == steps - 1
        body = {"model": model, "messages": list(msgs), "tools": AGENT_TOOLS, "temperature": 0,
                "max_tokens": 4096, "parallel_tool_calls": True}
        if last:
            ct = lognorm(r, 180, 0.5, 30, 700)
            t = a.emit(t, body, ct, "stop")
            break
        calls = []
        for _ in range(1 if r.random() < 0.8 else 2):
            kind = r.choices(["read_file", "run_command", "search_code", "write_file"], weights=[4, 3, 2, 2])[0]
            if kind == "read_file":
                args = {"path": r.choice(IDE_PATHS)}
            elif kind == "run_command":
                args = {"cmd": r.choice(["pytest -x -q", "pytest tests/ -k parse", "git diff", "ls -R src", "python -m mypy src"])}
            elif kind == "search_code":
                args = {"pattern": r.choice(["def parse", "TODO", "raise ValueError", "import requests", "class .*Error"])}
            else:
                args = {"path": r.choice(IDE_PATHS), "content": D.code_block(r, r.randint(300, 2500))}
            calls.append({"id": "call_" + hexid(r, 16), "type": "function",
                          "function": {"name": kind, "arguments": json.dumps(args)}})
        ct = sum(tok(c["function"]["arguments"]) for c in calls) + lognorm(r, 40, 0.6, 5, 300)
        t = a.emit(t, body, ct, "tool_calls")
        msgs.append({"role": "assistant", "content": None if r.random() < 0.6 else D.filler(r, r.randint(60, 300)),
                     "tool_calls": calls})
        for c in calls:
            n = c["function"]["name"]
            if n == "read_file":
                out = D.code_block(r, r.randint(400, 3500))
            elif n == "run_command":
                out = ("============================= test session starts ==============================\n"
                       + "".join(f"tests/test_{r.choice(['core', 'api', 'parse', 'io'])}.py {'.' * r.randint(3, 30)}{r.choice(['F', '.', '.'])}\n"
                                 for _ in range(r.randint(2, 10)))
                       + (D.code_block(r, r.randint(100, 800)) if r.random() < 0.5 else "")
                       + f"\n{r.randint(0, 4)} failed, {r.randint(10, 200)} passed in {r.uniform(0.5, 30):.2f}s")
            elif n == "search_code":
                out = "\n".join(f"{r.choice(IDE_PATHS)}:{r.randint(1, 400)}: {D.code_block(r, 60).splitlines()[0]}"
                                for _ in range(r.randint(1, 12)))
            else:
                out = "ok: file written"
            msgs.append({"role": "tool", "tool_call_id": c["id"], "content": out})
        # context management: drop the oldest tool outputs beyond ~70k chars
        while sum(len(m.get("content") or "") for m in msgs) > 70000 and len(msgs) > 6:
            for m in msgs[2:]:
                if m["role"] == "tool" and len(m["content"]) > 40:
                    m["content"] = "[output truncated]"
                    break
            else:
                break
        t += r.uniform(0.5, 15) + ct / 60.0
        if not G.inside(t):
            break
    return t


def gen_coding_agents(G):
    D = G.D
    specs = [("aider/0.58.1", -5, OFFICE, 45, 0.0), ("OpenHands/0.9.2 litellm/1.48.0", 1, HUMAN, 40, 0.5),
             ("OpenAI/Python 1.50.2 ci-agent/2.0", 0, [1.0] * 24, 30, 0.0)]
    for i, (ua, tz, curve, sessions, adopt) in enumerate(specs):
        r = G.rng("agent", i)
        a = Acct(G, "coding_agent", "benign", r, nkeys=2, ips=[cloud_ip(r)] if i == 2 else [public_ip(r), public_ip(r)],
                 uas=[ua], p429=0.006)
        for day in range(G.days):
            for _ in range(max(1, int(G.vol(r.gauss(sessions, sessions * 0.25))))):
                t = G.day_time(r, day, tz, curve)
                u = r.random()
                if u < 0.4:
                    h = r.choice(D.he)
                    task = f"The function `{h['entry_point']}` in src/utils.py fails its tests. Fix it.\n\n```python\n{h['prompt']}```"
                elif u < 0.7:
                    ins, inp, _ = r.choice(D.seed)
                    task = f"Add a CLI command that does the following, with tests: {ins}"
                else:
                    task = r.choice(["Upgrade the project to pydantic v2 and fix the failures.",
                                     "The CI job `lint` is red. Make it green without disabling rules.",
                                     "Add retry with backoff to the HTTP client in api/handlers.py.",
                                     "Flaky test tests/test_io.py::test_roundtrip fails 1 in 20 runs; find out why and fix.",
                                     "Refactor services/billing/invoice.py to remove the circular import."])
                model = benign_model(G, r, t, ["frontier-1"], adopt, 18 * HOUR)
                agent_session(G, a, r, t, model, task)


def gen_ide(G, n=4):
    D = G.D
    for i in range(n):
        r = G.rng("ide", i)
        tz = r.choice([-8, -5, 1, 2, 5.5])
        a = Acct(G, "ide_assistant", "benign", r, nkeys=1, ips=[public_ip(r), public_ip(r)],
                 uas=[r.choice(["Continue/0.9.187 VSCode/1.88.1", "JetBrains-AI/241.15 (OpenAI/Java)", "Cody/1.14 VSCode/1.87.2"])],
                 p429=0.002)
        per_day = G.vol(lognorm(r, 380, 0.3, 200, 700))
        adopt = r.choice([0.0, 0.5])
        for day in range(G.days):
            k = int(r.gauss(per_day, per_day * 0.2))
            for _ in range(max(0, k)):
                t = G.day_time(r, day, tz, OFFICE)
                funcs = r.sample(D.code_funcs, r.randint(1, 4))
                ctx = "\n\n".join(funcs)
                q = r.choice(IDE_QUESTIONS)
                msgs = [{"role": "system", "content": "You are an AI programming assistant inside the user's IDE. "
                                                      "Answer concisely; use Markdown code blocks."},
                        {"role": "user", "content": f"File: {r.choice(IDE_PATHS)}\n```python\n{ctx}\n```\n\n{q}"}]
                model = benign_model(G, r, t, ["frontier-1"], adopt, 20 * HOUR)
                body = {"model": model, "messages": msgs, "temperature": 0.2, "stream": True, "max_tokens": 2048}
                ct, fr = sample_completion(r, body, lambda: lognorm(r, 320, 0.55, 40, 1600))
                t = a.emit(t, body, ct, fr)
                if r.random() < 0.15:
                    msgs = msgs + [{"role": "assistant", "content": D.code_block(r, ct * 4)},
                                   {"role": "user", "content": r.choice(FOLLOW_UPS[:8])}]
                    body = dict(body, messages=msgs)
                    ct, fr = sample_completion(r, body, lambda: lognorm(r, 200, 0.5, 20, 1200))
                    a.emit(t + r.uniform(20, 240), body, ct, fr)


def support_transcript(D, r):
    out = []
    for pairs in r.sample(D.hh, r.randint(3, 9)):
        out.append("\n".join(f"Customer: {h}\nAgent: {a_}" for h, a_ in pairs))
    return "\n---\n".join(out)


def gen_data_labelling(G):
    D = G.D
    specs = [
        ("You label customer-support transcripts. Return JSON with keys summary (max 2 sentences), intent, "
         "sentiment (positive|neutral|negative), escalate (true|false). No other text.", "transcripts", 1800),
        ("Extract structured data from the document. Return JSON: {\"people\": [], \"organisations\": [], "
         "\"dates\": [], \"places\": [], \"one_line_summary\": \"\"}.", "docs", 1700),
    ]
    for i, (sysmsg, kind, per_day) in enumerate(specs):
        r = G.rng("label", i)
        a = Acct(G, "data_labelling", "benign", r, nkeys=3, ips=[cloud_ip(r) for _ in range(2)],
                 uas=["python-requests/2.32.3"], p429=0.008, backoff=(5, 30))
        rate = G.vol(per_day)
        for t in poisson(r, G.start, G.end, rate):
            if kind == "transcripts":
                doc = support_transcript(D, r)
            else:
                parts = ([r.choice(D.bios) for _ in range(3)] + [r.choice(D.adv_ctx) for _ in range(3)]
                         + [r.choice(D.ae)[1] for _ in range(3)])
                doc = "\n\n".join(r.sample(parts, r.randint(3, 8)))
            body = {"model": "frontier-1-mini", "messages": [{"role": "system", "content": sysmsg},
                                                              {"role": "user", "content": doc}],
                    "temperature": 0, "max_tokens": 300}
            ct, fr = sample_completion(r, body, lambda: lognorm(r, 85, 0.4, 25, 320))
            a.emit(t, body, ct, fr)


def gen_content_app(G):
    """A marketing-copy SaaS: templated, long outputs, distinct topics, many end users, daytime."""
    D = G.D
    r = G.rng("content")
    a = Acct(G, "content_app", "benign", r, nkeys=1, ips=[cloud_ip(r)], uas=["OpenAI/NodeJS/4.52.0"], p429=0.004)
    users = ["cus_" + hexid(r, 10) for _ in range(400)]
    topics = D.vic + D.koala + [x[0] for x in D.ae]
    forms = ["blog post", "product description", "newsletter intro", "LinkedIn post", "landing page section",
             "FAQ with 6 questions", "press release"]
    sysmsg = "You are CopyPilot, a marketing copywriter. Write engaging, original, on-brand copy. Use Markdown."
    n_total = int(G.vol(650) * G.days)
    for _ in range(n_total):
        t = G.day_time(r, r.randrange(G.days), -5, HUMAN)
        topic = r.choice(topics)[:160]
        user = (f"Write a {r.choice(forms)} about: {topic}\nAudience: {r.choice(['SMB owners', 'developers', 'parents', 'students', 'HR leaders'])}\n"
                f"Tone: {r.choice(['friendly', 'professional', 'witty', 'bold'])}\nLength: {r.choice(['short', 'medium', 'long'])}")
        body = {"model": "frontier-1", "messages": [{"role": "system", "content": sysmsg}, {"role": "user", "content": user}],
                "temperature": 0.8, "max_tokens": 1500, "user": r.choice(users)}
        if r.random() < 0.25:
            body["n"] = 3
        ct, fr = sample_completion(r, body, lambda: lognorm(r, 520, 0.45, 80, 1500))
        a.emit(t, body, ct, fr)


# --------------------------------------------------------------------------------------------
# Attack personas
# --------------------------------------------------------------------------------------------

def machine_times(G, r, per_day, pauses=True):
    """Flat 24/7 Poisson arrivals with occasional operator pauses (restarts, key refresh)."""
    t = G.start + r.uniform(0, 2 * HOUR)
    for x in poisson(r, t, G.end, per_day):
        yield x


def gen_instruction_harvesters(G):
    D = G.D
    specs = [("You are a helpful, knowledgeable assistant. Give thorough, well-structured answers.", 2000, 0.9),
             (None, 1800, 0.35)]
    for i, (sysmsg, per_day, mutp) in enumerate(specs):
        r = G.rng("h_instr", i)
        a = Acct(G, "instruction_harvester", "attack", r, nkeys=4, ips=[cloud_ip(r) for _ in range(3)],
                 uas=["OpenAI/Python 1.40.6"] if i == 0 else ["python-httpx/0.27.0", "OpenAI/Python 1.54.3"],
                 p429=0.07, rotate=True, backoff=(0.3, 3))
        stream = EvolStream(D, r, mutp)
        pivot = r.uniform(1, 8) * HOUR
        temp = 0.7 if i == 0 else 1.0
        for t in machine_times(G, r, G.vol(per_day)):
            msgs = ([{"role": "system", "content": sysmsg}] if sysmsg else []) + [{"role": "user", "content": stream.next()}]
            body = {"model": attacker_model(G, r, t, pivot), "messages": msgs, "temperature": temp, "max_tokens": 2048}
            ct, fr = sample_completion(r, body, lambda: lognorm(r, 650, 0.55, 60, 2400))
            a.emit(t, body, ct, fr)


def gen_reasoning_harvester(G):
    D = G.D
    r = G.rng("h_reason")
    a = Acct(G, "reasoning_harvester", "attack", r, nkeys=3, ips=[cloud_ip(r)], uas=["OpenAI/Python 1.52.2"],
             p429=0.05, rotate=True, backoff=(0.5, 4))
    qs = gsm_stream(D, r)
    sysmsg = ("Solve the problem. Reason step by step and show every intermediate calculation. "
              "Finish with a line of the form '#### <number>'.")
    pivot = r.uniform(2, 10) * HOUR
    # runs in batches: a job picks up work for 40-120 minutes, then waits
    t = G.start + r.uniform(0, HOUR)
    per_day = G.vol(1100)
    while t < G.end:
        dur = r.uniform(40, 120) * 60
        n = int(per_day / 24 * (dur / HOUR) * 1.6)
        for _ in range(n):
            t += r.expovariate(n / dur)
            body = {"model": attacker_model(G, r, t, pivot), "messages": [{"role": "system", "content": sysmsg},
                                                                          {"role": "user", "content": next(qs)}],
                    "temperature": r.choice([0.9, 1.0, 1.0, 1.1]), "n": r.choice([4, 4, 8]), "max_tokens": 1024}
            ct, fr = sample_completion(r, body, lambda: min(480, max(230, int(r.gauss(345, 60)))))
            a.emit(t, body, ct, fr)
        t += r.uniform(10, 50) * 60


def gen_code_harvester(G):
    D = G.D
    r = G.rng("h_code")
    a = Acct(G, "code_harvester", "attack", r, nkeys=3, ips=[cloud_ip(r) for _ in range(2)], uas=["OpenAI/Python 1.45.0"],
             p429=0.06, rotate=True, backoff=(0.5, 3))
    tasks = code_task_stream(D, r)
    sysmsg = "You are a senior software engineer. Provide complete, production-quality code, a clear explanation, and tests."
    pivot = r.uniform(1, 6) * HOUR
    for t in machine_times(G, r, G.vol(1500)):
        body = {"model": attacker_model(G, r, t, pivot), "messages": [{"role": "system", "content": sysmsg},
                                                                      {"role": "user", "content": next(tasks)}],
                "temperature": r.choice([0.2, 0.5, 0.8]), "max_tokens": 3000}
        if r.random() < 0.2:
            body["n"] = 2
        ct, fr = sample_completion(r, body, lambda: lognorm(r, 850, 0.5, 150, 3200))
        a.emit(t, body, ct, fr)


def gen_logprob_harvester(G):
    D = G.D
    r = G.rng("h_logprob")
    a = Acct(G, "logprob_harvester", "attack", r, nkeys=2, ips=[cloud_ip(r)], uas=["python-requests/2.31.0"],
             p429=0.05, rotate=True, backoff=(0.5, 3))
    ev = EvolStream(D, r, 0.5)
    qs = gsm_stream(D, r, skip=0)
    pivot = r.uniform(3, 12) * HOUR
    for t in machine_times(G, r, G.vol(1500)):
        q = ev.next() if r.random() < 0.65 else next(qs)
        body = {"model": attacker_model(G, r, t, pivot), "messages": [{"role": "user", "content": q}],
                "temperature": 1.0, "max_tokens": r.choice([512, 1024]), "logprobs": True, "top_logprobs": r.choice([10, 20, 20])}
        ct, fr = sample_completion(r, body, lambda: lognorm(r, 420, 0.5, 40, 1500))
        a.emit(t, body, ct, fr)


def gen_greedy_harvester(G):
    D = G.D
    r = G.rng("h_greedy")
    a = Acct(G, "greedy_harvester", "attack", r, nkeys=2, uas=["OpenAI/Python 1.52.0"], p429=0.04, rotate=True,
             backoff=(1, 5))
    proxies = [public_ip(r) for _ in range(40)]  # residential proxy pool
    a.ip_fn = lambda ts: r.choice(proxies)
    ev = EvolStream(D, r, 0.6)
    ct_stream = code_task_stream(D, r)
    pivot = r.uniform(1, 5) * HOUR
    for t in machine_times(G, r, G.vol(1400)):
        q = ev.next() if r.random() < 0.8 else next(ct_stream)
        body = {"model": attacker_model(G, r, t, pivot), "messages": [{"role": "user", "content": q}],
                "temperature": 0, "max_tokens": 4096}
        ct, fr = sample_completion(r, body, lambda: lognorm(r, 1150, 0.45, 300, 4200))
        a.emit(t, body, ct, fr)


def gen_reward_harvester(G):
    D = G.D
    r = G.rng("h_reward")
    a = Acct(G, "reward_harvester", "attack", r, nkeys=2, ips=[cloud_ip(r)], uas=["python-httpx/0.27.0"],
             p429=0.04, rotate=True, backoff=(0.5, 4))
    ev = EvolStream(D, r, 0.7)
    rubric = ("You are a strict grader. Read the instruction and the candidate response. Critique the response "
              "against this rubric: correctness, completeness, reasoning quality, clarity, safety. Write a detailed "
              "critique covering every criterion, then output 'Score: X/10'.")
    pivot = r.uniform(2, 10) * HOUR
    for t in machine_times(G, r, G.vol(1300)):
        resp = D.filler(r, lognorm(r, 400, 0.5, 80, 1200) * 4)
        body = {"model": attacker_model(G, r, t, pivot),
                "messages": [{"role": "system", "content": rubric},
                             {"role": "user", "content": f"[Instruction]\n{ev.next()}\n\n[Response]\n{resp}"}],
                "temperature": 0.7, "max_tokens": 1024}
        if r.random() < 0.3:
            body["n"] = 3
        ct, fr = sample_completion(r, body, lambda: lognorm(r, 260, 0.4, 60, 900))
        a.emit(t, body, ct, fr)


def gen_hydra(G, n=30):
    D = G.D
    r0 = G.rng("hydra")
    nets = [f"45.{r0.randint(128, 159)}.{r0.randint(0, 255)}", f"91.{r0.randint(200, 245)}.{r0.randint(0, 255)}",
            f"185.{r0.randint(100, 240)}.{r0.randint(0, 255)}"]
    uas = ["OpenAI/Python 1.40.6", "python-httpx/0.27.0"]
    base, subs = hydra_system_variants()
    shared = EvolStream(D, random.Random(f"{G.seed}-hydra-pool"), 0.75)
    pivot = r0.uniform(2, 8) * HOUR
    # shared schedule: the campaign's orchestrator runs members in the same windows
    windows = []
    for day in range(G.days):
        s = G.start + day * DAY + r0.uniform(0, 2) * HOUR
        windows.append((s, s + r0.uniform(18, 21) * HOUR))
    for m in range(n):
        r = G.rng("hydra", m)
        net = nets[m % 3]
        a = Acct(G, "hydra", "attack", r, nkeys=1, ips=[ip_in(r, net)], uas=[uas[(m // 3) % 2]], p429=0.01,
                 rotate=False, backoff=(1, 6))
        sysmsg = paraphrase(base, subs, r, k=r.randint(1, 3))
        per_day = G.vol(r.uniform(150, 240))
        k = 0
        for (w0, w1) in windows:
            rate = per_day / ((w1 - w0) / HOUR)  # per hour inside the window
            t = w0 + r.uniform(0, 600)
            while True:
                t += (HOUR / rate) * r.uniform(0.6, 1.4)
                if t >= w1:
                    break
                q = shared.item(m + n * k)
                k += 1
                body = {"model": attacker_model(G, r, t, pivot, 0.9), "messages": [{"role": "system", "content": sysmsg},
                                                                                   {"role": "user", "content": q}],
                        "temperature": 0.8, "max_tokens": 2048}
                ct, fr = sample_completion(r, body, lambda: lognorm(r, 700, 0.45, 100, 2300))
                a.emit(t, body, ct, fr)


def gen_slow_low(G):
    D = G.D
    for i in range(2):
        r = G.rng("h_slow", i)
        a = Acct(G, "slow_low", "attack", r, nkeys=1, ips=[public_ip(r)],
                 uas=[r.choice(BROWSER_UAS)] if i == 1 else ["OpenAI/Python 1.54.3"], p429=0.0)
        ev = EvolStream(D, r, 0.5)
        qs = gsm_stream(D, r)
        cs = code_task_stream(D, r)
        pivot = r.uniform(6, 20) * HOUR
        per_day = G.vol(r.uniform(170, 280))
        tz = r.choice([-5, 1, 8])
        if i == 0:
            times = list(poisson(r, G.start, G.end, per_day))
        else:
            times = sorted(G.day_time(r, d, tz, [0.3 + 0.7 * h for h in HUMAN]) for d in range(G.days)
                           for _ in range(int(per_day)))
        for t in times:
            u = r.random()
            if u < 0.5:
                q, sysm = ev.next(), "Explain your reasoning in full detail before answering."
            elif u < 0.75:
                q, sysm = next(qs), "Show all of your reasoning step by step."
            else:
                q, sysm = next(cs), None
            msgs = ([{"role": "system", "content": sysm}] if sysm else []) + [{"role": "user", "content": q}]
            body = {"model": attacker_model(G, r, t, pivot, 0.7), "messages": msgs, "temperature": r.choice([0, 0.7]),
                    "max_tokens": 3000}
            ct, fr = sample_completion(r, body, lambda: lognorm(r, 800, 0.45, 150, 3000))
            a.emit(t, body, ct, fr)


def gen_reseller(G):
    D = G.D
    r = G.rng("reseller")
    a = Acct(G, "reseller", "attack", r, nkeys=3, ips=[cloud_ip(r), cloud_ip(r)], uas=["OpenAI/NodeJS/4.47.1"],
             p429=0.02, rotate=True, backoff=(0.5, 3))
    n_users = 260
    users = ["ru_" + hexid(r, 10) for _ in range(n_users)]
    harvesters = set(r.sample(users, int(n_users * 0.15)))
    pivot = r.uniform(2, 8) * HOUR
    for u in users:
        ur = random.Random(f"{G.seed}-reseller-{u}")
        if u in harvesters:
            ev = EvolStream(D, ur, 0.7)
            qs = gsm_stream(D, ur)
            per_day = G.vol(ur.uniform(20, 50))
            for t in poisson(ur, G.start, G.end, per_day):
                q = ev.next() if ur.random() < 0.7 else next(qs)
                body = {"model": attacker_model(G, ur, t, pivot), "messages": [{"role": "user", "content": q}],
                        "temperature": 0.7, "max_tokens": 2048, "user": u}
                ct, fr = sample_completion(ur, body, lambda: lognorm(ur, 650, 0.5, 60, 2400))
                a.emit(t, body, ct, fr)
        else:
            tz = ur.choice(TZS)
            sess = G.vol(ur.uniform(0.5, 3))
            for day in range(G.days):
                for _ in range(int(sess + ur.random())):
                    t = G.day_time(ur, day, tz, HUMAN)
                    params = {"stream": True, "_med": ur.choice([150, 250, 400])}
                    chat_session(G, a, ur, t, tz, None, ur.choice(["hh", "hh", "koala", "any", "vic"]), params,
                                 lambda ts: benign_model(G, ur, ts, ["frontier-1", "frontier-1-mini"], 0.5, 6 * HOUR),
                                 user=u)


def gen_adaptive(G):
    D = G.D
    for i in range(2):
        r = G.rng("h_adapt", i)
        tz = r.choice([-5, 1, 8])
        a = Acct(G, "adaptive", "attack", r, nkeys=2, ips=[public_ip(r), public_ip(r)],
                 uas=[r.choice(BROWSER_UAS), r.choice(APP_UAS)], p429=0.0)
        ev = EvolStream(D, r, 0.5)
        qs = gsm_stream(D, r)
        cs = code_task_stream(D, r)
        decoy = r.uniform(0.2, 0.3)
        pivot = r.uniform(12, 30) * HOUR
        per_day = G.vol(r.uniform(550, 800))
        curve = [0.15 + 0.85 * h for h in HUMAN]
        for day in range(G.days):
            done = 0
            while done < per_day:
                # a "sitting": 20-90 min of human-paced requests
                t = G.day_time(r, day, tz, curve)
                end = t + r.uniform(20, 90) * 60
                while t < end and done < per_day:
                    if r.random() < decoy:
                        t = chat_session(G, a, r, t, tz, None, r.choice(["hh", "koala", "any"]),
                                         {"_med": 200, "temperature": 0.8},
                                         lambda ts: attacker_model(G, r, ts, pivot, 0.6), max_turns=r.randint(2, 5))
                        done += 3
                        continue
                    u = r.random()
                    q = ev.next() if u < 0.5 else (next(qs) if u < 0.8 else next(cs))
                    body = {"model": attacker_model(G, r, t, pivot, 0.6),
                            "messages": [{"role": "system", "content": r.choice(ADAPTIVE_SYSTEMS)}, {"role": "user", "content": q}],
                            "temperature": r.choice([0.6, 0.7, 0.8, 1.0])}
                    mt = r.choice([None, 1024, 1500, 2000])
                    if mt:
                        body["max_tokens"] = mt
                    if r.random() < 0.5:
                        body["stream"] = True
                    ct, fr = sample_completion(r, body, lambda: lognorm(r, 480, 0.4, 150, 1500))
                    t = a.emit(t, body, ct, fr)
                    done += 1
                    t += ct / r.uniform(30, 60) + lognorm(r, 30, 0.8, 5, 600)


# --------------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--data", default="/work/shared/data")
    args = ap.parse_args(argv)
    t0 = time.time()
    G = Gen(args)
    gens = [gen_chat_users, gen_chat_team, gen_eval_harness, gen_judges, gen_batch_classifiers, gen_rag,
            gen_coding_agents, gen_ide, gen_data_labelling, gen_content_app,
            gen_instruction_harvesters, gen_reasoning_harvester, gen_code_harvester, gen_logprob_harvester,
            gen_greedy_harvester, gen_reward_harvester, gen_hydra, gen_slow_low, gen_reseller, gen_adaptive]
    for g in gens:
        g(G)
    G.lines.sort(key=lambda x: (x[0], x[1]))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "traffic.jsonl"), "wb") as f:
        f.write(b"\n".join(l for _, _, l in G.lines))
        f.write(b"\n")
    with open(os.path.join(args.out, "labels.json"), "w", encoding="utf-8") as f:
        seen = [k for k in G.labels if G.active.get(k)]
        json.dump({"accounts": {k: G.labels[k] for k in sorted(seen)}}, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(G.lines)} lines, {len(G.labels)} accounts in {time.time() - t0:.1f}s to {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
