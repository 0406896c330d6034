#!/usr/bin/env python3
"""Held-out labelled traffic generator #6 for Sluice, `openai` log format.

Written from the threat model in shared/DESIGN.md only (no knowledge of the detector).
Emphasis: a long horizon (10 days) with campaigns that grow, pause, resume and adapt;
chain-of-thought elicitation in many phrasings and languages (explicit, implicit and via
hidden reasoning tokens); multi-turn harvesting with self-generated follow-ups; capability
distillation (tool-use traces, long-context summaries, code review); three hydra styles;
resellers with a few harvesting end users; and heavy legitimate look-alikes.

    python3 heldout_openai6.py --out DIR --seed S [--days 10] [--scale 1.0] [--data /work/shared/data]

Writes DIR/traffic.jsonl, DIR/labels.json and DIR/truth_detail.json (per-account timelines, groups,
harvesting end users of resellers, malformed-line kinds). Python 3 standard library only (orjson used
if importable; output is byte-identical either way). See README.md.
"""
import argparse
import calendar
import csv
import gzip
import hashlib
import json
import math
import os
import random
import re
import sys
import time

try:
    import orjson  # type: ignore

    def dumps(o):
        return orjson.dumps(o)
except Exception:  # pragma: no cover
    orjson = None

    def dumps(o):
        return json.dumps(o, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


DAY = 86400.0
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"

# --------------------------------------------------------------------------------------
# models
# --------------------------------------------------------------------------------------
NEW_MODEL = "o5-mini"  # "released" at 60% of the horizon
REASONING = {"o3-mini", "o4-mini", "o3", NEW_MODEL}
MODEL_CAP = {"gpt-4o-mini": 16384, "gpt-4o": 16384, "gpt-4.1": 32768, "gpt-4.1-mini": 32768,
             "gpt-4.1-nano": 32768, "o3-mini": 100000, "o4-mini": 100000, "o3": 100000, NEW_MODEL: 100000}
TPS = {"gpt-4o-mini": 85, "gpt-4o": 60, "gpt-4.1": 55, "gpt-4.1-mini": 80, "gpt-4.1-nano": 120,
       "o3-mini": 110, "o4-mini": 100, "o3": 45, NEW_MODEL: 120}

# --------------------------------------------------------------------------------------
# user agents
# --------------------------------------------------------------------------------------
UA_BROWSER = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36 Edg/132.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:134.0) Gecko/20100101 Firefox/134.0",
]
UA_APPS = ["ChatBox/1.9.4 (darwin; arm64)", "TypingMind/2.3 (web)", "BoltAI/1.31 (macOS 15.2)",
           "Jan/0.5.12 (linux)", "MindMac/1.9.22", "Raycast/1.88.0 (macOS Version 15.1)"]
PY_SDK = ["1.40.6", "1.45.0", "1.51.2", "1.54.4", "1.55.3", "1.57.0", "1.58.1", "1.59.7", "1.61.1", "1.63.2", "1.66.3", "1.68.2"]
JS_SDK = ["4.67.3", "4.71.1", "4.73.0", "4.77.0", "4.82.0", "4.85.1"]


def ua_py(rng):
    return "OpenAI/Python " + rng.choice(PY_SDK)


def ua_async_py(rng):
    return "AsyncOpenAI/Python " + rng.choice(PY_SDK)


def ua_js(rng):
    return "OpenAI/JS " + rng.choice(JS_SDK)


UA_MISC = ["python-requests/2.31.0", "python-requests/2.32.3", "curl/8.5.0", "curl/7.88.1", "axios/1.7.9",
           "Go-http-client/2.0", "okhttp/4.12.0", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
           "Python/3.11 aiohttp/3.9.5", "python-httpx/0.27.2", "Java-http-client/17.0.9", "RestSharp/110.2.0.0"]

# --------------------------------------------------------------------------------------
# networks
# --------------------------------------------------------------------------------------
CLOUD = {
    "aws": ["3.80", "3.91", "3.236", "18.204", "18.118", "34.201", "44.192", "52.23", "54.86", "54.174", "13.229", "13.250", "18.139"],
    "gcp": ["34.82", "34.125", "35.188", "35.224", "34.168", "35.202"],
    "azure": ["20.84", "20.203", "40.76", "52.170", "20.62", "13.67"],
    "hetzner": ["5.9", "88.99", "95.216", "116.202", "135.181", "65.108", "168.119"],
    "ovh": ["51.38", "51.75", "54.36", "141.94", "146.59"],
    "do": ["64.227", "137.184", "159.89", "167.99", "178.62", "143.198", "164.92"],
    "alibaba": ["47.88", "47.245", "8.209", "47.74", "47.236"],
    "tencent": ["43.128", "43.153", "129.226", "43.134"],
    "linode": ["172.104", "139.162", "45.79", "172.105"],
    "vultr": ["45.77", "149.28", "207.148", "108.61"],
}
RESI = {
    "US": [73, 98, 24, 71, 68, 76, 108, 174, 99, 67, 47, 75], "UK": [86, 81, 90, 82, 109], "DE": [79, 91, 87, 93, 84],
    "FR": [90, 86, 82, 88, 92], "IN": [49, 117, 106, 223, 103], "BR": [177, 189, 179, 201, 187], "JP": [126, 133, 60, 114, 153],
    "CN": [113, 117, 183, 223, 111], "VN": [113, 14, 27, 171], "ID": [36, 114, 180, 182], "KR": [211, 121, 175, 118],
    "RU": [95, 178, 188, 46], "NG": [105, 197, 102], "TR": [78, 88, 176, 85], "MX": [187, 189, 201, 177], "PL": [83, 89, 37, 31],
    "ES": [83, 88, 95, 79], "CA": [70, 142, 174, 24], "AU": [101, 110, 120, 49], "PH": [112, 49, 180, 120],
}
COUNTRY_TZ = {"US": -6, "UK": 0, "DE": 1, "FR": 1, "IN": 5.5, "BR": -3, "JP": 9, "CN": 8, "VN": 7, "ID": 7, "KR": 9,
              "RU": 3, "NG": 1, "TR": 3, "MX": -6, "PL": 1, "ES": 1, "CA": -5, "AU": 10, "PH": 8}


def ip_resi(rng, country=None):
    c = country or rng.choice(list(RESI))
    return "%d.%d.%d.%d" % (rng.choice(RESI[c]), rng.randint(1, 254), rng.randint(0, 255), rng.randint(1, 254))


def net24_cloud(rng, provider=None):
    p = provider or rng.choice(list(CLOUD))
    return "%s.%d" % (rng.choice(CLOUD[p]), rng.randint(0, 255))


_NETPOOL = {}


def ip_in(rng, net24):
    """A host from a small, stable set of egress addresses inside the /24 (workers, NAT, proxy exits)."""
    pool = _NETPOOL.get(net24)
    if pool is None:
        r = random.Random("net:" + net24)
        pool = _NETPOOL[net24] = ["%s.%d" % (net24, h) for h in r.sample(range(2, 254), r.randint(3, 8))]
    return rng.choice(pool)


def ip6(rng, kind="resi"):
    if kind == "hetzner":
        return "2a01:4f8:%x:%x::%x" % (rng.randint(0x100, 0xfff), rng.randint(0, 0xffff), rng.randint(1, 0xff))
    if kind == "aws":
        return "2600:1f18:%x:%x:%x:%x:%x:%x" % tuple(rng.randint(0, 0xffff) for _ in range(6))
    pre = rng.choice(["2601:%x" % rng.randint(0x100, 0xfff), "2003:e6:%x" % rng.randint(0x100, 0xfff),
                      "2a02:%x" % rng.randint(0x1000, 0x8fff), "2409:%x" % rng.randint(0x1000, 0x8fff)])
    return pre + ":%x:%x:%x:%x:%x" % tuple(rng.randint(0, 0xffff) for _ in range(5))


# --------------------------------------------------------------------------------------
# hour-of-day profiles (local time)
# --------------------------------------------------------------------------------------
_PROF = {
    "consumer": [2, 1.2, .8, .5, .4, .4, .7, 1.2, 2, 2.6, 3, 3.2, 3.3, 3.2, 3.1, 3.1, 3.2, 3.4, 3.6, 4, 4.2, 4, 3.5, 2.8],
    "office": [.15, .1, .08, .08, .1, .2, .5, 1.5, 4, 6, 6.5, 6, 4.5, 5.5, 6.5, 6.5, 6, 5, 3, 1.6, 1.1, .8, .5, .3],
    "school": [.3, .1, .05, .05, .05, .1, .4, 1.5, 3, 3.5, 3.5, 3.2, 3, 3.5, 3.8, 4, 4.2, 4.5, 5, 5.5, 5.5, 4.5, 2.5, 1],
    "dev": [.4, .3, .2, .15, .15, .2, .4, 1, 2.5, 4.5, 5.5, 5.5, 4, 5, 5.8, 5.8, 5.2, 4.5, 3.2, 2.4, 2, 1.8, 1.4, .9],
    "flat": [1] * 24,
    "night": [5, 6, 6, 5, 4, 2, 1, .5, .3, .3, .3, .3, .3, .3, .3, .3, .3, .3, .5, .8, 1, 2, 3, 4],
    "busy_flat": [.8, .75, .7, .7, .7, .75, .85, 1, 1.1, 1.2, 1.25, 1.25, 1.2, 1.2, 1.2, 1.2, 1.15, 1.1, 1.05, 1, .95, .9, .85, .8],
}
PROF = {k: [x * 24.0 / sum(v) for x in v] for k, v in _PROF.items()}


def pois(rng, lam):
    if lam <= 0:
        return 0
    if lam < 30:
        L = math.exp(-lam)
        k, p = 0, 1.0
        while True:
            p *= rng.random()
            if p < L:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def local_parts(t, tz):
    lt = t / 3600.0 + tz
    return int(lt) % 24, (int(lt // 24) + 3) % 7  # hour, dow (Mon=0)


def times_profile(rng, t0, t1, per_day, profile="flat", tz=0.0, weekend=1.0, rate_fn=None):
    """Inhomogeneous Poisson arrivals: per_day * profile(local hour) * weekend factor * rate_fn(t)."""
    prof = PROF[profile]
    out = []
    h = int(t0 // 3600)
    while h * 3600 < t1:
        ts = h * 3600.0
        lh, dow = local_parts(ts + 1800, tz)
        w = prof[lh] * (weekend if dow >= 5 else 1.0)
        if rate_fn is not None:
            w *= rate_fn(ts + 1800)
        n = pois(rng, per_day / 24.0 * w)
        for _ in range(n):
            t = ts + rng.random() * 3600
            if t0 <= t < t1:
                out.append(t)
        h += 1
    out.sort()
    return out


def lognorm(rng, median, sigma=0.5):
    return median * math.exp(rng.gauss(0, sigma))


def iso(t):
    s = int(t)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + ".%03dZ" % int((t - s) * 1000)


def ntok(s):
    if not s:
        return 0
    n = len(s) if s.isascii() else len(s.encode("utf-8"))
    return (n + 3) // 4


_TOOLTOK = {}


def tools_tokens(tools):
    e = _TOOLTOK.get(id(tools))
    if e is not None and e[0] is tools:
        return e[1]
    v = ntok(json.dumps(tools, separators=(",", ":"))) * 9 // 10 + 8
    _TOOLTOK[id(tools)] = (tools, v)  # holding the reference keeps the id from being reused
    return v


def msgs_tokens(msgs):
    n = 3
    for m in msgs:
        n += 4
        c = m.get("content")
        if isinstance(c, str):
            n += ntok(c)
        elif isinstance(c, list):
            for p in c:
                if p.get("type") == "text":
                    n += ntok(p.get("text"))
        tc = m.get("tool_calls")
        if tc:
            for x in tc:
                n += ntok(x["function"]["arguments"]) + ntok(x["function"]["name"]) + 6
    return n


def rid(rng, prefix, n, alphabet=ALNUM):
    return prefix + "".join(rng.choice(alphabet) for _ in range(n))


def uuid4(rng):
    h = "%032x" % rng.getrandbits(128)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[rng.randint(0, 3)], h[17:20], h[20:32])


# --------------------------------------------------------------------------------------
# text material
# --------------------------------------------------------------------------------------
COT_EXPLICIT = [
    "Let's think step by step.", "Think step by step.", "Show your full reasoning before the final answer.",
    "Explain your reasoning in detail, then state the final answer.", "Walk me through your thought process.",
    "Before answering, reason carefully and write out every intermediate step.",
    "Write your chain of thought inside <thinking></thinking> tags, then give the answer inside <answer></answer>.",
    "Reason it out loud first. Do not skip any step.", "Justify every step of the derivation.",
    "First lay out your reasoning as a numbered list, then give the final answer on its own line.",
    "Piensa paso a paso y explica tu razonamiento.", "Explica tu razonamiento detalladamente antes de responder.",
    "Réfléchis étape par étape et montre tout ton raisonnement.", "Explique ton raisonnement en détail.",
    "Denke Schritt für Schritt nach und zeige jeden Zwischenschritt.", "Erkläre deinen Lösungsweg ausführlich.",
    "请一步一步地思考，并写出完整的推理过程。", "请详细说明你的推理步骤，最后给出答案。",
    "ステップバイステップで考えて、推論過程をすべて示してください。", "推論の過程を詳しく説明してから答えてください。",
    "Давай рассуждать шаг за шагом.", "Подробно объясни ход решения.", "Pense passo a passo e mostre o raciocínio.",
    "단계별로 생각하고 추론 과정을 모두 보여 주세요.", "Ragiona passo dopo passo e mostra tutti i passaggi.",
    "Adım adım düşün ve tüm akıl yürütmeni göster.", "Hãy suy nghĩ từng bước và trình bày lập luận đầy đủ.",
    "Mari berpikir langkah demi langkah.", "कदम दर कदम सोचें और अपना पूरा तर्क दिखाएँ।", "فكر خطوة بخطوة واشرح استدلالك.",
]
COT_IMPLICIT = [
    "Give a detailed explanation a student could follow.",
    "Explain it the way a good teacher would, covering every step so a student could reproduce it on their own.",
    "Please include the full derivation, not just the result.",
    "I want to understand exactly how you got there, so don't skip anything.",
    "Write a worked solution suitable for a textbook's answer key.",
    "Make the explanation complete enough that someone who has never seen this could check each part.",
    "Show the work.", "Explain why each step is valid.",
    "Write it up as a model solution, with the intermediate results visible.",
    "Answer as a careful expert would in a written exam, showing how each conclusion follows.",
    "Include your working.", "Go through it methodically, one piece at a time.",
]
EVOL = [
    "{q}", "{q}", "{q}",
    "{q}\n\nAdd one more realistic constraint to this task, restate it, and then complete it.",
    "Rewrite the following task so that it is more challenging, then complete the harder version in full.\n\nTask: {q}",
    "{q}\n\nAnswer twice: once for a complete beginner and once for an expert.",
    "{q}\n\nGive three substantially different approaches and compare them.",
    "{q}\n\nRespond in Spanish.", "{q}\n\nRéponds en français.", "{q}\n\nBitte antworte auf Deutsch.",
    "{q}\n\n请用中文回答。", "{q}\n\n日本語で答えてください。", "{q}\n\nResponda em português.",
    "{q}\n\nInclude concrete examples and a short summary at the end.",
    "#Given Prompt#:\n{q}\n\n#Rewritten Prompt# (deepen the inquiry, then answer it thoroughly):",
    "{q} Please be as detailed and thorough as possible.",
    "Instruction: {q}\nResponse:", "### Instruction:\n{q}\n\n### Response:",
    "{q}\n\nFormat the answer in Markdown with headings.", "Task: {q}\nProvide a complete, high-quality answer.",
    "{q}\n\nAfter answering, list the assumptions you made.", "Q: {q}\nA:",
]
FOLLOWUPS_HARVEST = [
    "Now explain it differently, as if to a ten-year-old.", "Give a harder variant of this problem and solve it fully.",
    "What are the most common mistakes people make here? Show the corrected reasoning for each.",
    "Critique your previous answer, point out any weaknesses, and write an improved version.",
    "Translate your full explanation into Chinese, keeping every step.", "Now do the same thing in Spanish.",
    "Give me three more problems like this one, each with a complete worked solution.",
    "Summarize the key idea in one paragraph, then expand each step with more detail.",
    "Solve it again using a completely different method and compare the two.",
    "Rewrite your answer for an expert audience, with more rigor.", "Can you generalize this? Derive the general case.",
    "Now write Python code that implements your solution, with comments explaining each step.",
    "Turn this into a multiple-choice question with four options and explain why each wrong option is wrong.",
    "Go deeper on the second step - why does it hold?", "Now explain it step by step in Japanese.",
    "Give a counterexample where this reasoning would fail, and explain.",
]
NAMES = ["Ana", "Ben", "Chen", "Dara", "Elif", "Femi", "Gita", "Hugo", "Ines", "Jonas", "Kofi", "Lena", "Mateo",
         "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Yara", "Zoe"]
SYN = {
    "You are": ["You are", "You're", "Act as", "Behave as"], "expert": ["expert", "seasoned", "highly skilled", "world-class"],
    "Always": ["Always", "Consistently", "Make sure to", "Be sure to"], "step by step": ["step by step", "one step at a time", "stepwise", "in clear steps"],
    "detailed": ["detailed", "thorough", "comprehensive", "in-depth"], "answer": ["answer", "response", "reply"],
    "helpful": ["helpful", "capable", "knowledgeable"], "Never": ["Never", "Do not", "Don't"], "explain": ["explain", "describe", "lay out"],
    "reasoning": ["reasoning", "thinking", "thought process", "logic"], "complete": ["complete", "full", "entire"],
}
SYN_RE = re.compile("|".join(re.escape(k) for k in sorted(SYN, key=len, reverse=True)))


def paraphrase(rng, text):
    return SYN_RE.sub(lambda m: rng.choice(SYN[m.group(0)]), text)


HARVEST_SYS = [
    "You are an expert problem solver. Always reason step by step, show all intermediate work, and end with 'Final answer:'.",
    "You are a helpful assistant. Give detailed, complete answers. Never skip steps in your reasoning.",
    "You are a world-class expert tutor. Always explain your reasoning step by step before giving the answer.",
    "You are a meticulous analyst. Think carefully and write out your complete reasoning, then give a concise final answer.",
    "You are a helpful, knowledgeable assistant. Answer thoroughly with detailed explanations and examples.",
    "You are an expert. Produce a detailed, well-structured answer with clear steps and a summary.",
]
DECOY = ["hi", "thanks!", "what's the weather usually like in Lisbon in May?", "tell me a joke about cats",
         "how do I boil an egg", "recommend a sci-fi book", "what's a good name for a goldfish", "good morning",
         "what time zone is Denver in?", "is it pronounced gif or jif", "translate 'good night' to Italian",
         "how many ounces in a cup", "quick dinner idea with rice and beans?", "best way to learn guitar chords?"]
ALGO_TASKS = [
    "reverses a singly linked list in place", "parses an ISO-8601 timestamp with timezone offset", "implements an LRU cache with O(1) operations",
    "merges overlapping intervals", "computes the longest common subsequence of two strings", "validates a Sudoku board",
    "finds the k most frequent words in a text", "serializes and deserializes a binary tree", "implements a token-bucket rate limiter",
    "detects a cycle in a directed graph", "computes Dijkstra shortest paths on a weighted graph", "implements a trie with prefix search",
    "evaluates an arithmetic expression with parentheses", "rotates an N x N matrix by 90 degrees", "finds the median of two sorted arrays",
    "implements binary search on a rotated sorted array", "converts Roman numerals to integers and back", "computes edit distance",
    "implements a thread-safe bounded queue", "parses CSV lines with quoted fields", "implements consistent hashing with virtual nodes",
    "topologically sorts tasks with dependencies", "implements a min-heap from scratch", "computes all permutations of a string without duplicates",
    "implements a simple regular-expression matcher supporting . and *", "finds strongly connected components", "implements a bloom filter",
    "solves the 0/1 knapsack problem", "computes the convex hull of 2D points", "implements run-length encoding and decoding",
    "debounces a function call", "implements retry with exponential backoff and jitter", "flattens a nested JSON object into dotted keys",
    "computes a rolling average over a stream", "implements a union-find structure with path compression", "checks balanced brackets",
    "implements matrix multiplication with Strassen's algorithm", "implements an interval tree", "generates all valid IPv4 addresses from a digit string",
    "implements a simple HTTP router with path parameters",
]
LANGS = ["Python", "JavaScript", "TypeScript", "Go", "Rust", "Java", "C++", "C#", "Kotlin", "Swift"]
CODE_EXTRA = ["", " Include unit tests.", " Explain the time and space complexity.", " Handle all edge cases and explain them.",
              " Explain the design step by step before writing the code.", " Add docstrings and type annotations.",
              " Compare two alternative implementations.", " Write it idiomatically and explain each design choice."]


class Pools:
    def __init__(self, d):
        def jl(p):
            with open(os.path.join(d, p), encoding="utf-8") as f:
                return [json.loads(x) for x in f if x.strip()]

        def jlgz(p):
            with gzip.open(os.path.join(d, p), "rt", encoding="utf-8") as f:
                return [json.loads(x) for x in f if x.strip()]

        self.gsm_test = [(x["question"], x["answer"]) for x in jl("gsm8k/test.jsonl")]
        self.gsm_train = [(x["question"], x["answer"]) for x in jl("gsm8k/train.jsonl")]
        self.he = jlgz("human-eval/HumanEval.jsonl.gz")
        g4 = json.load(open(os.path.join(d, "alpaca_eval/results/gpt4/model_outputs.json"), encoding="utf-8"))
        dv = json.load(open(os.path.join(d, "alpaca_eval/results/text_davinci_003/model_outputs.json"), encoding="utf-8"))
        self.ae_instr = [x["instruction"] for x in g4]
        self.ae_g4 = [x["output"] for x in g4]
        self.ae_dv = [x["output"] for x in dv]
        self.mt = jl("fastchat/mt_bench_question.jsonl")
        self.vic = jl("fastchat/vicuna_bench_question.jsonl")
        refs = jl("fastchat/mt_bench_reference_answer_gpt-4.jsonl") + jl("fastchat/vicuna_bench_reference_answer_gpt-4.jsonl")
        self.refs = [t for r in refs for t in r["choices"][0]["turns"]]
        self.judge = {x["name"]: x for x in jl("fastchat/judge_prompts.jsonl")}
        self.koala = [x["prompt"] for x in jl("koala-test-set/koala_test_set.jsonl")]
        self.seed = []
        for x in jl("self-instruct/seed_tasks.jsonl"):
            inst = x["instances"][0] if x.get("instances") else {"input": "", "output": ""}
            self.seed.append((x["instruction"], inst.get("input", ""), inst.get("output", "")))
        self.useror = []
        for x in jl("self-instruct/user_oriented_instructions.jsonl"):
            inst = x["instances"][0] if x.get("instances") else {"input": ""}
            self.useror.append((x["instruction"], inst.get("input", "")))
        self.t0 = {}
        tdir = os.path.join(d, "self-instruct/t0_train_50k_data_per_template")
        for fn in sorted(os.listdir(tdir)):
            if fn.endswith(".jsonl"):
                self.t0[fn[:-6]] = [(x["prompt"], x["completion"].replace("<|endoftext|>", "")) for x in jl(os.path.join(tdir, fn))]
        self.hh = []
        for x in jlgz("hh-rlhf/harmless-base_test.jsonl.gz"):
            parts = re.split(r"\n\n(Human|Assistant): ", "\n\n" + x["chosen"].strip())
            turns = []
            for i in range(1, len(parts) - 1, 2):
                turns.append(("user" if parts[i] == "Human" else "assistant", parts[i + 1].strip()))
            if turns and turns[0][0] == "user":
                self.hh.append(turns)
        with open(os.path.join(d, "awesome-chatgpt-prompts/prompts.csv"), encoding="utf-8") as f:
            self.acts = [(r["act"], r["prompt"]) for r in csv.DictReader(f) if r.get("prompt")]
        def imstart(rel):
            txt = open(os.path.join(d, rel), encoding="utf-8").read()
            sy = txt.split("<|im_start|>system\n", 1)[1].split("<|im_end|>", 1)[0].strip()
            us = txt.split("<|im_start|>user\n", 1)[1].split("<|im_end|>", 1)[0].strip()
            return sy, us
        self.ae_clf = imstart("alpaca_eval/src/alpaca_eval/evaluators_configs/alpaca_eval_clf_gpt4_turbo/alpaca_eval_clf.txt")
        self.ae_rank = imstart("alpaca_eval/src/alpaca_eval/evaluators_configs/alpaca_eval_gpt4/alpaca_eval.txt")
        self.alpaca_meta = open(os.path.join(d, "stanford_alpaca/prompt.txt"), encoding="utf-8").read()
        gsm_ans = [re.sub(r"<<[^>]*>>", "", a).replace("#### ", "The answer is ") for _, a in self.gsm_train[:3000]]
        self.bank = [x for x in self.ae_g4 + self.ae_dv + self.refs if len(x) > 200] + gsm_ans
        self.longbank = [x for x in self.ae_g4 + self.refs if len(x) > 900]
        code = []
        for x in self.ae_g4 + self.refs:
            for m in re.finditer(r"```(\w*)\n(.*?)```", x, re.S):
                if len(m.group(2)) > 150:
                    code.append((m.group(1) or "text", m.group(2)))
        self.codeblocks = code
        self.instr = (self.ae_instr + self.koala + [v["turns"][0] for v in self.vic] + [m["turns"][0] for m in self.mt]
                      + [a + ("\n\n" + b if b else "") for a, b, _ in self.seed] + [a + ("\n\n" + b if b else "") for a, b in self.useror])

    def answer_text(self, rng, ntoks, src=None):
        want = max(40, int(ntoks * 4))
        src = src or self.bank
        s = rng.choice(src)
        while len(s) < want:
            s = s + "\n\n" + rng.choice(src)
        if len(s) > want:
            cut = s.rfind(" ", 0, want)
            s = s[: cut if cut > want // 2 else want]
        return s


NUM_RE = re.compile(r"\d+(?:\.\d+)?")


def perturb_numbers(rng, text):
    def rep(m):
        s = m.group(0)
        if "." in s:
            return "%.2f" % (float(s) * rng.uniform(0.5, 2.2))
        v = int(s)
        if v < 2:
            return s
        return str(max(2, int(v * rng.uniform(0.4, 2.6)) + rng.randint(0, 3)))
    out = NUM_RE.sub(rep, text)
    if rng.random() < 0.5:
        m = re.match(r"([A-Z][a-z]+)", out)
        if m and m.group(1) not in ("The", "A", "In", "If", "There", "Each", "Every", "How", "What", "John", "When"):
            out = out.replace(m.group(1), rng.choice(NAMES))
    return out


BUG_SUBS = [(" < ", " <= "), (" <= ", " < "), (" > ", " >= "), (" >= ", " > "), (" + 1", " - 1"), (" - 1", " + 1"),
            (" == ", " != "), (" and ", " or "), ("return True", "return False"), ("[:-1]", "[:-2]"), ("range(len(", "range(1, len(")]


def inject_bug(rng, code):
    subs = [s for s in BUG_SUBS if s[0] in code]
    if not subs:
        return code
    a, b = rng.choice(subs)
    idx = [m.start() for m in re.finditer(re.escape(a), code)]
    i = rng.choice(idx)
    return code[:i] + b + code[i + len(a):]


def rename_ident(rng, code, name):
    alt = rng.choice(["solve", "compute", "process", "helper", "calc", "fn", "do_task", "run"]) + "_" + name[:rng.randint(3, 8)]
    code = code.replace(name, alt)
    for a, b in (("numbers", rng.choice(["nums", "values", "arr"])), ("string", rng.choice(["s", "text", "word"])), ("result", rng.choice(["res", "out", "acc"]))):
        if rng.random() < 0.5:
            code = re.sub(r"\b%s\b" % a, b, code)
    return code


# --------------------------------------------------------------------------------------
# core
# --------------------------------------------------------------------------------------
class Acct:
    def __init__(self, g, persona, label, rng, group=None):
        self.g = g
        self.id = g.new_id(rng)
        self.persona, self.label, self.rng, self.group = persona, label, rng, group
        self.keys = [g.new_key(rng)]
        self.rpm = None
        self.rpd = None
        self._m = {}
        self._d = {}
        self.n = 0
        self.first = None
        self.last = None
        self.notes = {}
        g.accts.append(self)

    def new_key(self):
        k = self.g.new_key(self.rng)
        self.keys.append(k)
        return k


class G:
    def __init__(self, seed, days, scale, data):
        self.seed, self.days, self.scale = seed, days, scale
        self.T0 = float(calendar.timegm((2026, 3, 2, 0, 0, 0)))  # a Monday
        self.T1 = self.T0 + days * DAY
        self.release = self.f(0.6)
        self.P = Pools(data)
        self.lines = []
        self.accts = []
        self._ids = set()
        self.truth_users = {}
        self.campaigns = {}

    def R(self, name):
        return random.Random("h6:%s:%s" % (self.seed, name))

    def f(self, x):
        return self.T0 + x * self.days * DAY

    def S(self, n):  # scaled count
        return max(1, int(round(n * self.scale)))

    def new_id(self, rng):
        while True:
            s = rid(rng, "org-", 24)
            if s not in self._ids:
                self._ids.add(s)
                return s

    def new_key(self, rng):
        return rid(rng, "key_", 20, HEX + "ghijklmnopqrstuv")

    def gate(self, a, t):
        if a.rpm:
            m = int(t // 60)
            c = a._m.get(m, 0)
            if c >= a.rpm:
                return False
            a._m[m] = c + 1
        if a.rpd:
            d = int((t - self.T0) // DAY)
            c = a._d.get(d, 0)
            if c >= a.rpd:
                return False
            a._d[d] = c + 1
        return True

    def _base(self, a, t, cl, status, req):
        rng = a.rng
        if a.first is None or t < a.first:
            a.first = t
        if a.last is None or t > a.last:
            a.last = t
        a.n += 1
        return {"ts": iso(t), "request_id": "req_%024x" % rng.getrandbits(96), "account": a.id,
                "api_key_id": cl["key"], "ip": cl["ip"], "user_agent": cl["ua"], "route": "/v1/chat/completions",
                "status": status, "request": req}

    def emit(self, a, t, cl, req, ct=1, rt=0, finish="stop", pt=None, cached=0):
        """Log one successful request (unless a rare upstream error). Returns latency in seconds, or None on error."""
        if not (self.T0 <= t < self.T1):
            return 0.5
        rng = a.rng
        if rng.random() < 0.0008:
            return self.emit_err(a, t, cl, req, rng.choice((500, 502, 503)))
        rec = self._base(a, t, cl, 200, req)
        if pt is None:
            pt = msgs_tokens(req["messages"])
            if "tools" in req:
                pt += tools_tokens(req["tools"])
            pt = max(8, int(pt * rng.uniform(0.96, 1.04)))
        u = {"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct}
        if cached >= 1024:
            u["prompt_tokens_details"] = {"cached_tokens": min(cached, pt) // 128 * 128}
        model = req.get("model")
        if model in REASONING:
            u["completion_tokens_details"] = {"reasoning_tokens": rt}
        rec["usage"] = u
        rec["finish_reason"] = finish
        lat = rng.uniform(0.25, 1.1) + pt / 25000.0 + ct / (req.get("n") or 1) / TPS.get(model, 60) * rng.uniform(0.8, 1.25)
        rec["latency_ms"] = int(lat * 1000)
        self.lines.append((t, dumps(rec)))
        return lat

    def emit_err(self, a, t, cl, req, status, msg=None):
        if not (self.T0 <= t < self.T1):
            return None
        rec = self._base(a, t, cl, status, req)
        typ = {429: "rate_limit_exceeded", 400: "invalid_request_error", 401: "invalid_api_key", 500: "server_error",
               502: "bad_gateway", 503: "service_unavailable", 413: "request_too_large"}.get(status, "error")
        rec["error"] = {"type": typ, "code": status, "message": msg or {429: "Rate limit reached for requests", 400: "Invalid request",
                        401: "Incorrect API key provided", 500: "The server had an error while processing your request."}.get(status, "Upstream error")}
        rec["latency_ms"] = int(a.rng.uniform(15, 400) if status != 500 else a.rng.uniform(500, 30000))
        self.lines.append((t, dumps(rec)))
        return None


def mk(model, msgs, max_out=None, temp=None, mct=False, **kw):
    d = {"model": model, "messages": msgs}
    if model in REASONING:
        if max_out:
            d["max_completion_tokens"] = max_out
    else:
        if temp is not None:
            d["temperature"] = temp
        if max_out:
            d["max_completion_tokens" if mct else "max_tokens"] = max_out
    for k, v in kw.items():
        if v is not None:
            d[k] = v
    return d


def out_tokens(rng, model, req, want, reasoning=0):
    """Visible tokens per choice ~ want; reasoning tokens for reasoning models; honours max tokens and n."""
    cap = req.get("max_completion_tokens") or req.get("max_tokens") or MODEL_CAP.get(req["model"], 16384)
    n = req.get("n") or 1
    if model not in REASONING:
        reasoning = 0
    ct = rt = 0
    finish = "stop"
    for i in range(n):
        v = max(1, int(want * (rng.uniform(0.7, 1.3) if n > 1 else 1.0)))
        r = int(reasoning * rng.uniform(0.6, 1.5)) if reasoning else 0
        if v + r > cap:
            if r >= cap:
                r, v = cap, 0
            else:
                v = cap - r
            finish = "length"
        ct += v + r
        rt += r
    return ct, rt, finish


def effort_tokens(rng, effort, hard=1.0):
    base = {"minimal": 60, "low": 350, "medium": 1400, "high": 4200}.get(effort or "medium", 1400)
    return int(lognorm(rng, base * hard, 0.55))


def sysmsg(model, text, dev=False):
    return {"role": "developer" if (dev and model in REASONING) else "system", "content": text}


def parts(text):
    return [{"type": "text", "text": text}]


# --------------------------------------------------------------------------------------
# prompt factories (harvest side)
# --------------------------------------------------------------------------------------
class Harvest:
    """Never-repeating prompt streams built by mutating the corpora (what a harvester's generator does)."""

    def __init__(self, P, rng, shard=None, nshards=1):
        self.P, self.rng = P, rng
        def sh(lst):
            if shard is None:
                return list(lst)
            return [x for i, x in enumerate(lst) if i % nshards == shard]
        self.gsm = sh(P.gsm_train + P.gsm_test)
        self.instr = sh(P.instr)
        self.he = sh(P.he)
        self.algo = [(t, l) for t in ALGO_TASKS for l in LANGS]
        self.algo = sh(self.algo)
        rng.shuffle(self.gsm)
        rng.shuffle(self.instr)
        self.gi = self.ii = self.ai = self.hi = 0

    def math(self):
        q = self.gsm[self.gi % len(self.gsm)][0]
        self.gi += 1
        if self.gi > len(self.gsm) or self.rng.random() < 0.5:
            q = perturb_numbers(self.rng, q)
        return q

    def instruction(self, evol=True):
        q = self.instr[self.ii % len(self.instr)]
        self.ii += 1
        if evol and (self.ii > len(self.instr) or self.rng.random() < 0.6):
            q = self.rng.choice(EVOL).format(q=q)
        return q

    def code(self):
        r = self.rng
        if r.random() < 0.45 and self.he:
            h = self.he[self.hi % len(self.he)]
            self.hi += 1
            lang = r.choice(["Python"] * 4 + LANGS)
            base = h["prompt"] if r.random() < 0.5 else rename_ident(r, h["prompt"], h["entry_point"])
            if lang == "Python":
                return r.choice(["Complete the following function:\n\n", "Implement this function and explain your approach:\n\n",
                                 "Write the body of this function. Explain the algorithm first.\n\n", ""]) + base + r.choice(CODE_EXTRA)
            return "Port the following Python stub to %s and implement it fully.%s\n\n%s" % (lang, r.choice(CODE_EXTRA), base)
        t, l = self.algo[self.ai % len(self.algo)]
        self.ai += 1
        return r.choice(["Write a %s function that %s.", "In %s, implement code that %s.", "Show me %s code that %s.",
                         "Using %s, write a well-tested module that %s."]) % (l, t) + r.choice(CODE_EXTRA)

    def cot(self, implicit=0.0, multilingual=True):
        r = self.rng
        if r.random() < implicit:
            return r.choice(COT_IMPLICIT)
        return r.choice(COT_EXPLICIT if multilingual else COT_EXPLICIT[:10])

    def any(self, mix=(0.4, 0.4, 0.2)):
        x = self.rng.random()
        if x < mix[0]:
            return self.math(), "math"
        if x < mix[0] + mix[1]:
            return self.instruction(), "instr"
        return self.code(), "code"


def want_for(rng, cat, long=1.0):
    base = {"math": 420, "instr": 650, "code": 800, "chat": 260}.get(cat, 500)
    return int(lognorm(rng, base * long, 0.45)) + 20


def send(g, a, t, cl, req, want, reasoning=0, cached=0, finish=None, retry=6, backoff=2.0):
    """Rate-limit gate + log. Returns (t_done, ct) with ct None when the request finally failed."""
    rng = a.rng
    tries = 0
    while not g.gate(a, t):
        g.emit_err(a, t, cl, req, 429)
        tries += 1
        if tries > retry:
            return t + 1.0, None
        t += min(60.0, backoff * (2 ** (tries - 1))) * rng.uniform(0.7, 1.4)
    ct, rt, fin = out_tokens(rng, req["model"], req, want, reasoning)
    if finish and fin != "length":
        fin = finish
    lat = g.emit(a, t, cl, req, ct, rt, fin, cached=cached)
    if lat is None:
        return t + 1.0, None
    return t + lat, ct


def run_batch(g, a, t, items, conc, fn, gap=(0.02, 0.4)):
    """Simulate `conc` workers draining `items`; fn(item, t) -> t_done. Returns end time."""
    import heapq
    rng = a.rng
    h = [(t + rng.uniform(0, 0.3 * conc), i) for i in range(conc)]
    heapq.heapify(h)
    end = t
    for it in items:
        tw, w = heapq.heappop(h)
        if tw >= g.T1:
            break
        td = fn(it, tw)
        end = max(end, td)
        heapq.heappush(h, (td + rng.uniform(*gap), w))
    return end


HUMAN_FOLLOW = ["can you make it shorter?", "thanks! can you give me another example?", "what do you mean by that?",
                "ok, and what if I don't have much time?", "make it more formal please", "can you put that in a table",
                "that's not quite right, try again", "great, thanks", "explain the second point more", "in simpler words please",
                "translate that to spanish", "can you explain it differently?", "why?", "give me a version for my boss",
                "ok what else", "is that true? source?", "add a few more ideas", "perfect. now a shorter title for it",
                "hmm, I meant for kids", "could you rewrite it in bullet points", "wait, why did you say that?", "lol thanks"]


def human_gap(rng, lat):
    return lat + min(1800.0, lognorm(rng, 40, 0.9))


def chat_session(g, a, t, cl, model, rng, style):
    """A human chat session. style: dict with stream, temp, max_tokens, sys, src weights, cot."""
    P = g.P
    src = rng.random()
    msgs = []
    if style.get("sys"):
        msgs.append({"role": "system", "content": style["sys"]})
    user_turns = []
    hh_assist = None
    if src < 0.35:
        d = rng.choice(P.hh)
        user_turns = [x[1] for x in d if x[0] == "user"][: rng.randint(1, 4)]
        hh_assist = [x[1] for x in d if x[0] == "assistant"]
    elif src < 0.55:
        user_turns = [rng.choice(P.koala + P.ae_instr)]
    elif src < 0.65:
        m = rng.choice(P.mt)
        user_turns = list(m["turns"]) if rng.random() < 0.5 else [m["turns"][0]]
    elif src < 0.75:
        inst, inp = rng.choice(P.useror)
        user_turns = [inst + ("\n\n" + inp if inp else "")]
    elif src < 0.82 and not style.get("sys"):
        act, pr = rng.choice(P.acts)
        user_turns = [pr]
    elif src < 0.9:
        user_turns = [rng.choice(P.vic)["turns"][0]]
    else:
        q = rng.choice(P.gsm_train)[0]
        user_turns = [q + (" " + rng.choice(["Can you explain step by step?", "show me how to solve it", "I got a different answer, can you walk me through it?", ""]) if style.get("cot", 0.3) > rng.random() else "")]
    nfollow = 0
    if len(user_turns) == 1 and rng.random() < style.get("follow", 0.35):
        nfollow = rng.choice([1, 1, 1, 2, 2, 3, 4])
    turns = user_turns + [rng.choice(HUMAN_FOLLOW) for _ in range(nfollow)]
    long = style.get("long", 1.0)
    for i, u in enumerate(turns):
        msgs.append({"role": "user", "content": parts(u) if style.get("parts") else u})
        req = mk(model, list(msgs), style.get("max_tokens"), style.get("temp"), stream=style.get("stream"),
                 stream_options={"include_usage": True} if style.get("stream") else None, user=style.get("user"))
        want = want_for(rng, "chat", long) if len(u) < 400 else want_for(rng, "instr", 0.8 * long)
        t2, ct = send(g, a, t, cl, req, want, effort_tokens(rng, "medium", 0.5), retry=1)
        if ct is None:
            return t2
        if hh_assist and i < len(hh_assist):
            txt = hh_assist[i]
        else:
            txt = P.answer_text(rng, min(ct, 700))
        msgs.append({"role": "assistant", "content": txt})
        t = t2 + min(1800.0, lognorm(rng, 35, 0.9))
        if t >= g.T1:
            break
    return t


def pick_country(rng, weights=None):
    cs = list(RESI)
    return rng.choice(cs) if not weights else rng.choices(cs, weights=[weights.get(c, 1) for c in cs])[0]


# --------------------------------------------------------------------------------------
# benign personas
# --------------------------------------------------------------------------------------
def b_small_chat(g, n):
    for i in range(n):
        rng = g.R("small%d" % i)
        a = Acct(g, "small_chat_user", "benign", rng)
        c = pick_country(rng, {"US": 6, "UK": 2, "DE": 2, "IN": 3, "BR": 2, "JP": 1.5, "CA": 1.5})
        tz = COUNTRY_TZ[c] + (rng.choice([-3, -2, -1, 0, 0, 0]) if c == "US" else 0)
        home = ip6(rng) if rng.random() < 0.15 else ip_resi(rng, c)
        ua = rng.choice(UA_BROWSER + UA_APPS + [ua_py(rng), ua_js(rng)])
        model = rng.choices(["gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "o4-mini"], [40, 30, 10, 10, 10])[0]
        adopter = rng.random() < 0.3
        rate = min(25.0, lognorm(rng, 2.0, 1.0))
        start = g.T0 if rng.random() < 0.75 else g.f(rng.uniform(0.05, 0.7))
        end = g.T1 if rng.random() < 0.85 else g.f(rng.uniform(0.4, 1.0))
        ui = ua in UA_BROWSER or ua in UA_APPS
        style = {"stream": ui or rng.random() < 0.3, "temp": rng.choice([None, None, 0.7, 1.0, 0.5]),
                 "max_tokens": rng.choice([None, None, None, 2048, 4096, 1024]), "follow": rng.uniform(0.2, 0.6),
                 "cot": rng.uniform(0, 0.6), "parts": rng.random() < 0.15, "long": rng.choice([1, 1, 1, 1.6, 0.7])}
        if rng.random() < 0.2:
            style["sys"] = rng.choice(["You are a helpful assistant.", "Be concise.", "You are ChatGPT, a large language model. Answer as concisely as possible.",
                                       "Always answer in British English.", "You are a friendly assistant that explains things simply."])
        cl = {"key": a.keys[0], "ip": home, "ua": ua}
        for t in times_profile(rng, start, end, rate, "consumer", tz, rng.uniform(0.6, 1.6)):
            if rng.random() < 0.12:
                cl = dict(cl, ip=ip_resi(rng, c))  # mobile / travelling
            elif rng.random() < 0.3:
                cl = dict(cl, ip=home)
            m = NEW_MODEL if adopter and t > g.release + rng.uniform(0, 1.5 * DAY) else model
            chat_session(g, a, t, cl, m, rng, style)


def b_hobby_dev(g, n):
    P = g.P
    wtool = [{"type": "function", "function": {"name": "get_weather", "description": "Get the weather for a city",
              "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
    for i in range(n):
        rng = g.R("hobby%d" % i)
        a = Acct(g, "hobby_developer", "benign", rng)
        c = pick_country(rng)
        tz = COUNTRY_TZ[c]
        cl = {"key": a.keys[0], "ip": ip_resi(rng, c), "ua": rng.choice(UA_MISC[:9] + [ua_py(rng), ua_js(rng)])}
        ndays = rng.randint(1, 5)
        for d in sorted(rng.sample(range(int(g.days)), min(ndays, int(g.days)))):
            day0 = g.T0 + d * DAY
            for t in times_profile(rng, day0, day0 + DAY, rng.uniform(1.5, 4), "dev", tz):
                base = rng.choice(P.koala + [x[0] for x in P.useror] + ["Say hello", "Write a haiku about the sea", "Summarize: " + rng.choice(P.bank)[:600]])
                model = rng.choice(["gpt-4o-mini", "gpt-4.1-nano", "gpt-4o", "o4-mini"])
                for k in range(rng.randint(3, 30)):
                    tools = wtool if rng.random() < 0.15 else None
                    req = mk(model, [{"role": "user", "content": base if tools is None else "What's the weather in Oslo?"}],
                             rng.choice([None, 50, 200, 500]), rng.choice([None, 0, 0.2, 0.7, 1.0, 1.5]), tools=tools,
                             stream=rng.random() < 0.2 or None)
                    if rng.random() < 0.05:
                        bad = dict(req)
                        bad["temperature"] = rng.choice([3, -1])
                        g.emit_err(a, t, cl, bad, 400, "Invalid 'temperature': decimal above maximum value.")
                        t += rng.uniform(5, 60)
                        continue
                    t2, ct = send(g, a, t, cl, req, int(lognorm(rng, 150, 0.7)) + 5, effort_tokens(rng, "low"),
                                  finish="tool_calls" if tools else None)
                    t = t2 + rng.uniform(3, 120)
                    if rng.random() < 0.1:
                        cl = dict(cl, key=a.new_key()) if len(a.keys) < 3 else cl


def b_eval_harnesses(g):
    P = g.P
    # E1: lm-eval style gsm8k CoT few-shot, full test set, periodic reruns
    rng = g.R("eval1")
    a = Acct(g, "eval_harness_gsm8k_cot", "benign", rng)
    a.rpm = 300
    cl = {"key": a.keys[0], "ip": ip_in(rng, net24_cloud(rng, "gcp")), "ua": "lm-eval-harness/0.4.5 " + ua_py(rng)}
    shots = ""
    for q, ans in P.gsm_train[:8]:
        ans2 = re.sub(r"<<[^>]*>>", "", ans).split("####")
        shots += "Question: %s\nAnswer: Let's think step by step. %s The answer is %s.\n\n" % (q, ans2[0].strip().replace("\n", " "), ans2[1].strip())
    nruns = max(1, int(round(3 * g.days / 10 * g.scale)))
    for r in range(nruns):
        t = g.f((r + 0.3) / nruns) + rng.uniform(0, 3) * 3600
        model = ["gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o"][r % 4]

        def fn(item, tw, model=model):
            req = mk(model, [{"role": "user", "content": shots + "Question: %s\nAnswer: Let's think step by step." % item[0]}],
                     512, 0.0, stop=["Question:", "</s>", "<|im_end|>"], seed=1234)
            return send(g, a, tw, cl, req, int(lognorm(rng, 140, 0.35)))[0]
        run_batch(g, a, t, P.gsm_test, 16, fn)

    # E2: HumanEval pass@k
    rng = g.R("eval2")
    a = Acct(g, "eval_harness_humaneval_passk", "benign", rng)
    cl = {"key": a.keys[0], "ip": ip_in(rng, net24_cloud(rng, "aws")), "ua": ua_async_py(rng)}
    for r in range(max(1, int(round(g.days * g.scale)))):
        t = g.T0 + (r + 0.1) * DAY * g.days / max(1, int(round(g.days * g.scale))) + rng.uniform(0, 6) * 3600
        mode = r % 3
        model = rng.choice(["gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini"])

        def fn(item, tw, mode=mode, model=model):
            msgs = [{"role": "system", "content": "Complete the Python function. Output only code."}, {"role": "user", "content": item["prompt"]}]
            if mode == 0:
                req = mk(model, msgs, 512, 0.8, top_p=0.95, n=5, stop=["\ndef ", "\nclass ", "\nif __name__"])
            elif mode == 1:
                req = mk(model, msgs, 512, 0.0, n=1)
            else:
                req = mk(model, msgs, 512, 0.8, top_p=0.95, n=10)
            return send(g, a, tw, cl, req, int(lognorm(rng, 110, 0.5)))[0]
        run_batch(g, a, t, P.he, 8, fn)

    # E3: MT-bench + Vicuna-bench answer generation across models (multi-turn, bounded)
    rng = g.R("eval3")
    a = Acct(g, "eval_harness_mtbench", "benign", rng)
    cl = {"key": a.keys[0], "ip": ip_resi(rng, "US"), "ua": ua_py(rng)}
    temps = {"writing": 0.7, "roleplay": 0.7, "extraction": 0.0, "math": 0.0, "coding": 0.0, "reasoning": 0.0, "stem": 0.1, "humanities": 0.1}
    models = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o4-mini", NEW_MODEL]
    for r, model in enumerate(models):
        t = (g.release + rng.uniform(0.1, 0.5) * DAY) if model == NEW_MODEL else g.f(0.05 + 0.1 * r) + rng.uniform(0, 8) * 3600
        def fn(q, tw, model=model):
            msgs = [{"role": "user", "content": q["turns"][0]}]
            req = mk(model, list(msgs), 2048 if model not in REASONING else 16000, temps.get(q.get("category"), 0.7))
            tw, ct = send(g, a, tw, cl, req, int(lognorm(rng, 380, 0.5)), effort_tokens(rng, "medium"))
            if ct is None or len(q["turns"]) < 2:
                return tw
            msgs += [{"role": "assistant", "content": P.answer_text(rng, ct)}, {"role": "user", "content": q["turns"][1]}]
            req = mk(model, msgs, 2048 if model not in REASONING else 16000, temps.get(q.get("category"), 0.7))
            return send(g, a, tw + 0.05, cl, req, int(lognorm(rng, 320, 0.5)), effort_tokens(rng, "medium"))[0]
        run_batch(g, a, t, P.mt + (P.vic if r % 2 == 0 else []), 4, fn)

    # E4: product regression suite on every deploy (fixed prompt set, machine timing)
    rng = g.R("eval4")
    a = Acct(g, "eval_regression_ci", "benign", rng)
    cl = {"key": a.keys[0], "ip": ip_in(rng, net24_cloud(rng, "azure")), "ua": "python-httpx/0.27.0"}
    suite = rng.sample([a_ + ("\n\n" + b if b else "") for a_, b in P.useror] + P.koala, 200)
    sysp = "You are Quill, the writing assistant inside DocuFlow. Be accurate, concise and friendly. Use Markdown."
    for d in range(int(g.days)):
        if local_parts(g.T0 + d * DAY + 43200, -5)[1] >= 5:
            continue
        for k in range(pois(rng, 2.2 * g.scale)):
            t = g.T0 + d * DAY + (rng.uniform(9, 18) + 5) * 3600
            def fn(q, tw):
                req = mk("gpt-4.1-mini", [{"role": "system", "content": sysp}, {"role": "user", "content": q}], 800, 0.0, seed=42)
                return send(g, a, tw, cl, req, int(lognorm(rng, 260, 0.5)))[0]
            run_batch(g, a, t, suite, 10, fn)

    # E5: reasoning-model evals, including the new model on its release day
    rng = g.R("eval5")
    a = Acct(g, "eval_reasoning_models", "benign", rng)
    cl = {"key": a.keys[0], "ip": ip_in(rng, net24_cloud(rng, "gcp")), "ua": ua_py(rng)}
    sub = P.gsm_test[:300]
    runs = [("o4-mini", "medium", g.f(0.1)), ("o3-mini", "high", g.f(0.25)), ("o4-mini", "high", g.f(0.4)),
            (NEW_MODEL, "medium", g.release + 0.08 * DAY), (NEW_MODEL, "high", g.release + 1.0 * DAY), (NEW_MODEL, "low", g.release + 2.5 * DAY)]
    for model, eff, t in runs:
        items = [("m", q) for q, _ in sub] + [("c", h) for h in P.he]
        def fn(it, tw, model=model, eff=eff):
            if it[0] == "m":
                msgs = [{"role": "user", "content": "Solve the following math problem. Put the final answer after '####'.\n\n" + it[1]}]
                want, hard = int(lognorm(rng, 120, 0.4)), 0.6
            else:
                msgs = [{"role": "user", "content": "Complete the following Python function. Return only the code.\n\n" + it[1]["prompt"]}]
                want, hard = int(lognorm(rng, 140, 0.4)), 1.0
            req = mk(model, msgs, 25000, reasoning_effort=eff, seed=7)
            return send(g, a, tw, cl, req, want, effort_tokens(rng, eff, hard))[0]
        run_batch(g, a, t, items, 12, fn)


def b_judges(g):
    P = g.P
    # J1 weighted alpaca_eval (max_tokens 1, logprobs, top_logprobs 5)
    rng = g.R("judge1")
    a = Acct(g, "llm_judge_alpacaeval_logprob", "benign", rng)
    a.rpm = 500
    cl = {"key": a.keys[0], "ip": ip_in(rng, net24_cloud(rng, "aws")), "ua": "alpaca_eval/0.6.6 " + ua_py(rng)}
    sy, us = P.ae_clf
    nr = max(1, int(round(5 * g.days / 10 * g.scale)))
    for r in range(nr):
        t = g.f((r + 0.2) / nr) + rng.uniform(0, 5) * 3600
        idx = list(range(len(P.ae_instr)))
        def fn(i, tw):
            o1, o2 = (P.ae_g4[i], P.ae_dv[i]) if rng.random() < 0.5 else (P.ae_dv[i], P.ae_g4[i])
            u = us.replace("{instruction}", P.ae_instr[i]).replace("{output_1}", o1).replace("{output_2}", o2)
            req = mk("gpt-4.1", [{"role": "system", "content": sy}, {"role": "user", "content": u}], 1, 1.0, logprobs=True, top_logprobs=5)
            return send(g, a, tw, cl, req, 1)[0]
        run_batch(g, a, t, idx, 12, fn)
    # J2 ranking judge
    rng = g.R("judge2")
    a = Acct(g, "llm_judge_alpacaeval_rank", "benign", rng)
    cl = {"key": a.keys[0], "ip": ip_resi(rng, "UK"), "ua": ua_py(rng)}
    sy, us = P.ae_rank
    for r in range(max(1, int(round(2 * g.scale)))):
        t = g.f(0.3 + 0.4 * r) + rng.uniform(0, 5) * 3600
        def fn(i, tw):
            u = us.replace("{instruction}", P.ae_instr[i]).replace("{output_1}", P.ae_g4[i]).replace("{output_2}", P.ae_dv[i])
            req = mk("gpt-4o", [{"role": "system", "content": sy}, {"role": "user", "content": u}], 100, 0.0)
            return send(g, a, tw, cl, req, int(lognorm(rng, 38, 0.2)))[0]
        run_batch(g, a, t, range(len(P.ae_instr)), 6, fn)
    # J3 MT-bench single-answer grading, J4 pairwise on vicuna-bench
    for j, kind in ((3, "single"), (4, "pair")):
        rng = g.R("judge%d" % j)
        a = Acct(g, "llm_judge_mtbench_%s" % kind, "benign", rng)
        cl = {"key": a.keys[0], "ip": ip_in(rng, net24_cloud(rng, "gcp" if j == 3 else "azure")), "ua": ua_py(rng)}
        for r in range(max(1, int(round(5 * g.scale)))):
            t = g.f(0.08 + 0.18 * r) + rng.uniform(0, 6) * 3600
            if kind == "single":
                items = [(q, k) for q in P.mt for k in (0, 1)]
            else:
                items = [(q, o) for q in P.vic for o in (0, 1)]
            def fn(it, tw, kind=kind):
                q, k = it
                if kind == "single":
                    jp = P.judge["single-v1" if k == 0 else "single-v1-multi-turn"]
                    if q.get("category") in ("math", "reasoning", "coding"):
                        jp = P.judge["single-math-v1" if k == 0 else "single-math-v1-multi-turn"]
                    fill = {"question": q["turns"][0], "answer": P.answer_text(rng, 350), "question_1": q["turns"][0], "question_2": q["turns"][-1],
                            "answer_1": P.answer_text(rng, 300), "answer_2": P.answer_text(rng, 250), "ref_answer_1": P.answer_text(rng, 200, P.refs),
                            "ref_answer_2": P.answer_text(rng, 150, P.refs)}
                else:
                    jp = P.judge["pair-v2"]
                    fill = {"question": q["turns"][0], "answer_a": P.answer_text(rng, 350), "answer_b": P.answer_text(rng, 300)}
                u = jp["prompt_template"]
                for kk, vv in fill.items():
                    u = u.replace("{" + kk + "}", vv)
                req = mk("gpt-4o" if kind == "single" else "gpt-4.1", [{"role": "system", "content": jp["system_prompt"]}, {"role": "user", "content": u}], 2048, 0.0)
                return send(g, a, tw, cl, req, int(lognorm(rng, 230, 0.35)))[0]
            run_batch(g, a, t, items, 6, fn)


def b_synthetic_testdata(g, n):
    ents = [("customer profile", "name, email, phone, postal address, date_of_birth, loyalty_tier"),
            ("support ticket", "ticket_id, subject, body, priority, product_area, customer_sentiment"),
            ("invoice", "invoice_number, issue_date, due_date, line_items (description, qty, unit_price), tax, total, currency"),
            ("insurance claim", "claim_id, policy_number, incident_date, description, claimed_amount, status"),
            ("bank transaction", "txn_id, timestamp, amount, currency, merchant, category, is_flagged"),
            ("product catalog entry", "sku, title, description, price, dimensions, materials, tags"),
            ("shipping address with deliberate formatting problems", "recipient, line1, line2, city, region, postal_code, country"),
            ("chat transcript between a customer and a support agent", "turns (speaker, text), resolution, csat"),
            ("application log line for a payment service", "timestamp, level, service, trace_id, message"),
            ("employee onboarding record", "employee_id, name, department, start_date, manager, equipment")]
    systems = ["checkout service", "CRM import pipeline", "fraud rules engine", "mobile banking app", "claims portal", "search indexer",
               "address validation microservice", "support-routing model", "data warehouse ETL", "HR onboarding tool"]
    locales = ["en-US", "de-DE", "fr-FR", "ja-JP", "pt-BR", "en-IN", "es-MX", "pl-PL"]
    edges = ["no", "a few", "several", "lots of"]
    intents = ["reset password", "dispute a charge", "cancel subscription", "update address", "report a lost card", "upgrade plan",
               "ask about delivery delay", "request invoice copy", "change payment method", "close account", "report a bug", "ask for refund"]
    for i in range(n):
        rng = g.R("synth%d" % i)
        a = Acct(g, "synthetic_test_data_qa", "benign", rng)
        a.rpm = 60
        cl = {"key": a.keys[0], "ip": ip_in(rng, net24_cloud(rng)), "ua": ua_py(rng)}
        tz = rng.choice([-5, 1, 5.5])
        njobs = max(1, int(round(rng.randint(3, 6) * g.days / 10 * g.scale)))
        for j in range(njobs):
            day = rng.uniform(0, g.days - 0.5)
            t = g.T0 + int(day) * DAY + (rng.uniform(9.5, 16) - tz) * 3600
            ent, fields = rng.choice(ents)
            sysname = rng.choice(systems)
            utter = rng.random() < 0.3
            items = list(range(rng.randint(80, 350)))
            def fn(k, tw, ent=ent, fields=fields, sysname=sysname, utter=utter):
                if utter:
                    u = ("Write %d diverse user messages a customer might send to our %s chatbot with the intent '%s'. Vary tone, length, "
                         "spelling mistakes and politeness. Return JSON {\"utterances\": [...]}" % (rng.choice([20, 30, 50]), sysname, rng.choice(intents)))
                else:
                    u = ("Generate %d realistic but entirely fictional %s records for testing our %s. Return a JSON object with a key \"records\" "
                         "containing an array. Each record must have: %s. Use %s conventions. Include %s edge cases (empty optional fields, "
                         "unicode names, boundary values). Batch %d." % (rng.choice([10, 20, 25, 50]), ent, sysname, fields, rng.choice(locales), rng.choice(edges), k))
                req = mk("gpt-4o-mini", [{"role": "system", "content": "You generate synthetic QA fixtures. Output valid JSON only. Never use real people's data."},
                                         {"role": "user", "content": u}], 4096, 1.0, response_format={"type": "json_object"})
                return send(g, a, tw, cl, req, int(lognorm(rng, 1500, 0.5)))[0]
            run_batch(g, a, t, items, 4, fn)


def splice_t0(rng, name, pool):
    p1, _ = rng.choice(pool)
    p2, _ = rng.choice(pool)
    if name.startswith("ag_news"):
        b1, rest = p1.split("\n", 1)
        b2 = p2.split("\n", 1)[0]
        s1, s2 = b1.split(". "), b2.split(". ")
        return ". ".join(s1[: max(1, len(s1) // 2)] + s2[len(s2) // 2:]) + "\n" + rest
    if name.startswith("amazon"):
        try:
            t1 = p1.split("\n")[0]
            r2 = p2.split("\nReview: ", 1)[1].rsplit("\nIs the review", 1)[0]
            return t1 + "\nReview: " + r2 + "\nIs the review positive or negative?\n"
        except IndexError:
            return p1
    if name.startswith("app_reviews"):
        try:
            pre, q1 = p1.split('? "', 1)
            q2 = p2.split('? "', 1)[1]
            s1, s2 = q1.rstrip('"\n').split(". "), q2.rstrip('"\n').split(". ")
            return pre + '? "' + ". ".join(s1[:1] + s2[1:]) + '"\n'
        except (IndexError, ValueError):
            return p1
    return p1


def b_batch_classifiers(g):
    P = g.P
    specs = [("ag_news_classify_with_choices", "cron", 600, 1.5, "Reply with exactly one label: World, Sports, Business, Sci/Tech.", 0),
             ("amazon_polarity_Is_this_review", "hourly", 3600, 9, "Answer with Positive or Negative only.", 0),
             ("app_reviews_convert_to_star_rating", "nightly", 0, 160, "Return only the star rating.", 1),
             ("trec_fine_grained_open", "realtime", 0, 130, "Classify the question type. Answer with a short label.", 0),
             ("tickets", "office", 0, 180, None, 1)]
    for i, (name, mode, period, k, sysp, jsonfmt) in enumerate(specs):
        rng = g.R("clf%d" % i)
        a = Acct(g, "batch_classifier", "benign", rng)
        cl = {"key": a.keys[0], "ip": ip_in(rng, net24_cloud(rng)), "ua": rng.choice(["python-requests/2.31.0", ua_py(rng), "Go-http-client/2.0"])}
        tz = rng.choice([-8, -5, 0, 1, 8])
        model = rng.choice(["gpt-4o-mini", "gpt-4.1-nano", "gpt-4.1-mini"])
        def one(tw, name=name, sysp=sysp, jsonfmt=jsonfmt, model=model):
            if name == "tickets":
                txt = rng.choice(P.hh)[0][1] if rng.random() < 0.6 else rng.choice(P.koala)
                msgs = [{"role": "system", "content": "You are a ticket triage classifier for Helpdeskly. Categories: billing, bug, feature_request, account, abuse, other. "
                                                      "Return JSON {\"category\": ..., \"urgency\": 1-5}."},
                        {"role": "user", "content": "Ticket:\n" + txt}]
                req = mk(model, msgs, 20, 0.0, response_format={"type": "json_object"})
                return send(g, a, tw, cl, req, int(rng.uniform(12, 18)))[0]
            pool = P.t0[name]
            txt = splice_t0(rng, name, pool) if rng.random() < 0.85 else rng.choice(pool)[0]
            msgs = [{"role": "system", "content": sysp}, {"role": "user", "content": txt}]
            req = mk(model, msgs, rng.choice([5, 8, 10]) if not jsonfmt else 10, 0.0)
            return send(g, a, tw, cl, req, rng.randint(1, 4))[0]
        if mode in ("cron", "hourly"):
            t = g.T0 + rng.uniform(0, period)
            while t < g.T1:
                m = pois(rng, k * g.scale)
                tw = t + rng.uniform(0.5, 2.0)
                for _ in range(m):
                    tw = one(tw) + rng.uniform(0.05, 0.3)
                t += period + rng.uniform(-0.5, 0.5)
        elif mode == "nightly":
            for d in range(int(g.days)):
                t = g.T0 + d * DAY + (2 - tz) % 24 * 3600 + rng.uniform(0, 300)
                run_batch(g, a, t, range(pois(rng, k * g.scale)), 3, lambda it, tw: one(tw))
        elif mode == "realtime":
            for t in times_profile(rng, g.T0, g.T1, k * g.scale, "consumer", tz):
                one(t)
        else:
            for t in times_profile(rng, g.T0, g.T1, k * g.scale, "office", tz, 0.1):
                one(t)


def b_batch_extraction(g):
    P = g.P
    vendors = ["Acme Industrial Supply", "Nordlicht GmbH", "Sakura Trading Co.", "Blue Ridge Logistics", "Café Lumière SARL", "Pinnacle IT Services"]
    items_ = ["steel brackets", "consulting hours", "USB-C cables", "pallet shipping", "annual license", "espresso beans", "server rack", "safety gloves"]
    for i in range(3):
        rng = g.R("extract%d" % i)
        a = Acct(g, "batch_extraction", "benign", rng)
        cl = {"key": a.keys[0], "ip": ip_in(rng, net24_cloud(rng)), "ua": rng.choice([ua_py(rng), "python-requests/2.32.3"])}
        tz = rng.choice([-5, 1, 9])
        def one(tw, i=i):
            if i == 0:
                p, _ = rng.choice(P.t0["wiki_bio_key_content"])
                msgs = [{"role": "system", "content": "Extract the biography fields as a flat JSON object. Use null for missing fields."}, {"role": "user", "content": p}]
                req = mk("gpt-4o-mini", msgs, 400, 0.0, response_format={"type": "json_object"})
                return send(g, a, tw, cl, req, int(lognorm(rng, 110, 0.35)))[0]
            if i == 1:
                p, _ = rng.choice(P.t0["adversarial_qa_dbert_based_on"] + P.t0["kilt_tasks_hotpotqa_straighforward_qa"])
                req = mk("gpt-4.1-mini", [{"role": "user", "content": p + "\nAnswer with a short span only."}], 64, 0.0)
                return send(g, a, tw, cl, req, int(lognorm(rng, 9, 0.5)) + 1)[0]
            lines = "\n".join("%d x %s @ %.2f" % (rng.randint(1, 40), rng.choice(items_), rng.uniform(2, 900)) for _ in range(rng.randint(2, 9)))
            doc = ("INVOICE %s-%05d\nVendor: %s\nDate: 2026-%02d-%02d\nBill to: %s\n\n%s\n\nVAT %d%%\nPayment terms: net %d" %
                   (rng.choice("ABCDEFG"), rng.randint(0, 99999), rng.choice(vendors), rng.randint(1, 3), rng.randint(1, 28), rng.choice(vendors), lines, rng.choice([0, 7, 19, 20]), rng.choice([15, 30, 60])))
            req = mk("gpt-4o-mini", [{"role": "system", "content": "Extract invoice fields. Schema: vendor, invoice_number, date, line_items[], vat_rate, total, payment_terms."},
                                     {"role": "user", "content": doc}], 600, 0.0,
                     response_format={"type": "json_schema", "json_schema": {"name": "invoice", "strict": True, "schema": {"type": "object"}}})
            return send(g, a, tw, cl, req, int(lognorm(rng, 170, 0.3)))[0]
        for d in range(int(g.days)):
            if i == 0:
                run_batch(g, a, g.T0 + d * DAY + (1 - tz) % 24 * 3600, range(pois(rng, 250 * g.scale)), 6, lambda it, tw: one(tw))
            elif i == 1:
                if local_parts(g.T0 + d * DAY + 43200, tz)[1] < 5:
                    for b in range(3):
                        run_batch(g, a, g.T0 + d * DAY + (9 + 3 * b - tz) % 24 * 3600, range(pois(rng, 60 * g.scale)), 4, lambda it, tw: one(tw))
            else:
                day0 = g.T0 + d * DAY
                for t in times_profile(rng, day0, day0 + DAY, 140 * g.scale, "office", tz, 0.05):
                    one(t)


COMPANIES = [("Nimbus Drive", "cloud storage", ["file sync", "shared folders", "version history", "offline mode", "two-factor authentication", "selective sync", "link sharing", "team spaces"]),
             ("Ledgerly", "accounting", ["bank feeds", "invoice reminders", "multi-currency", "expense scanning", "payroll export", "VAT returns", "recurring invoices", "client portal"]),
             ("PawPal Insurance", "pet insurance", ["claims upload", "vet direct pay", "wellness add-on", "multi-pet discount", "policy documents", "excess options", "dental cover", "travel cover"]),
             ("VoltRide", "e-scooter rental", ["ride passes", "group rides", "parking zones", "helmet unlock", "ride history", "battery swap credits", "student discount", "lost item reports"]),
             ("Stackwise", "developer hosting", ["custom domains", "preview deployments", "edge functions", "build cache", "environment variables", "log drains", "rollbacks", "team roles"])]
CHUNK_T = ["{p} {plan} plan: includes {f1}, {f2} and up to {n} seats. Billed monthly at ${price} or annually with a {pct}% discount.",
           "To enable {f1}, open Settings > {menu} and switch on '{f1}'. Changes apply within {m} minutes. Workspace admins can enforce the setting for everyone.",
           "Refund policy: {p} offers a full refund within {d} days of purchase on the {plan} plan. After that, refunds are prorated to the end of the billing period.",
           "Troubleshooting {f1}: if {f1} stops working, sign out and back in, then clear the app cache (Settings > Storage > Clear cache). If the problem persists, check the {p} status page.",
           "Data retention: deleted items stay in the trash for {d} days and can be restored by the owner. After that they are permanently removed from our servers within 7 days.",
           "Security: {p} encrypts data at rest with AES-256 and in transit with TLS 1.3. SSO via SAML and SCIM provisioning are available on the {plan} plan.",
           "Supported platforms: {p} runs on iOS 16+, Android 12+, Windows 10+, macOS 13+ and current versions of Chrome, Firefox, Safari and Edge.",
           "Account ownership can be transferred from Settings > {menu} > Transfer ownership. The new owner must accept within {d} days.",
           "API limits: the {p} API allows {n} requests per minute per token. Exceeding the limit returns HTTP 429 with a Retry-After header.",
           "Exporting data: go to Settings > {menu} > Export and choose CSV or JSON. Large exports are emailed as a download link valid for {d} days.",
           "{f2} is available on {plan} and above. On lower plans you'll see an upgrade prompt when you open {f2}.",
           "Billing: invoices are issued on the first of each month. You can change the payment method under Settings > Billing. We accept cards, SEPA and PayPal."]
QUESTION_T = ["how do i turn on {f}?", "{f} isn't working on my {dev}, what should I do?", "Can I get a refund on the {plan} plan? I bought it {n} days ago",
              "what's the difference between {plan} and {plan2}?", "How long do you keep deleted stuff?", "Is my data encrypted?", "do you support SSO?",
              "how do I export all my data", "my invoice is higher than last month, why?", "Can I transfer my account to a colleague?",
              "what are the API rate limits", "Is {f} included in {plan}?", "hi, {f} keeps failing since yesterday", "How do I change my payment method?",
              "which devices are supported?", "I want to cancel. how?", "can admins force {f} for the whole team?"]


def rag_request(g, a, rng, comp, model, user, cl, t, kb, bot, history):
    p, kind, feats = comp
    ctx = rng.sample(kb, rng.randint(3, 6))
    sysp = ("You are %s, the support assistant for %s (%s). Answer the customer's question using only the context below. If the answer is not in the "
            "context, say you don't know and offer to open a ticket. Keep answers short and friendly.\n\nContext:\n" % (bot, p, kind)
            + "\n".join("[%d] %s" % (j + 1, c) for j, c in enumerate(ctx)))
    if not history:
        q = rng.choice(QUESTION_T).format(f=rng.choice(feats), dev=rng.choice(["iPhone", "Android phone", "Windows laptop", "Mac", "Chromebook"]),
                                          plan=rng.choice(["Starter", "Pro", "Business"]), plan2=rng.choice(["Team", "Enterprise"]), n=rng.randint(2, 40))
        if rng.random() < 0.04:
            q = rng.choice(g.P.koala)
    else:
        q = rng.choice(["thanks, and how long does that take?", "that didn't work", "ok. is there a fee?", "can you open a ticket for me", "where exactly is that menu?", "thanks!"])
    history.append({"role": "user", "content": q})
    req = mk(model, [{"role": "system", "content": sysp}] + history[-6:], 600, 0.2, user=user, stream=True, stream_options={"include_usage": True})
    t2, ct = send(g, a, t, cl, req, int(lognorm(rng, 150, 0.45)))
    if ct:
        history.append({"role": "assistant", "content": g.P.answer_text(rng, ct)})
    return t2


def make_kb(rng, comp, n=60):
    p, kind, feats = comp
    out = []
    for _ in range(n):
        out.append(rng.choice(CHUNK_T).format(p=p, plan=rng.choice(["Starter", "Pro", "Business", "Team"]), f1=rng.choice(feats), f2=rng.choice(feats),
                                              n=rng.choice([3, 5, 10, 25, 100, 600]), price=rng.choice([8, 12, 19, 29, 49]), pct=rng.choice([10, 15, 20]),
                                              menu=rng.choice(["Account", "Workspace", "Security", "Data", "Admin"]), m=rng.choice([1, 5, 15]), d=rng.choice([14, 30, 60])))
    return out


def b_rag_support(g):
    for i, comp in enumerate(COMPANIES):
        rng = g.R("rag%d" % i)
        a = Acct(g, "rag_support_app", "benign", rng)
        net = net24_cloud(rng)
        ua = rng.choice([ua_js(rng), ua_py(rng), "Go-http-client/2.0"])
        tz = rng.choice([-5, -8, 1, 0, 10])
        kb = make_kb(rng, comp)
        bot = rng.choice(["Nia", "Max", "Sunny", "Atlas", "Pip"])
        model = rng.choice(["gpt-4o-mini", "gpt-4.1-mini", "gpt-4o"])
        nusers = rng.randint(800, 3000)
        ustyle = rng.randint(0, 2)
        for t in times_profile(rng, g.T0, g.T1, rng.uniform(65, 110) * g.scale, "consumer", tz, 0.8):
            uid = int(nusers * rng.random() ** 1.7)
            user = ["u_%06d" % uid, hashlib.sha256(("rag%d:%d" % (i, uid)).encode()).hexdigest()[:16], "cus_" + hashlib.md5(("rag%d:%d" % (i, uid)).encode()).hexdigest()[:14]][ustyle]
            cl = {"key": a.keys[0], "ip": ip_in(rng, net), "ua": ua}
            hist = []
            for k in range(rng.choice([1, 1, 1, 2, 2, 3])):
                t = rag_request(g, a, rng, comp, model, user, cl, t, kb, bot, hist) + lognorm(rng, 25, 0.7)


AGENT_SYS = ("You are an autonomous software engineering agent working in the user's repository. You can read and write files, search the codebase, "
             "and run shell commands using the provided tools. Work in small verifiable steps: inspect the relevant code, make a minimal change, run the "
             "tests, and iterate until they pass. Never invent file contents; always read a file before editing it. Prefer the project's existing style. "
             "When you are done, reply with a short summary of what you changed and why.\n\nEnvironment:\n- OS: linux\n- Shell: bash\n- Python 3.11, Node 20\n"
             "- The working directory is the repository root.\n\nRules:\n1. Do not run destructive commands (rm -rf, git push --force).\n2. Keep diffs minimal.\n"
             "3. If a command fails, read the error carefully before retrying.\n4. Ask the user only when the task is ambiguous.\n5. Summarize long tool outputs instead of repeating them.\n")
AGENT_TOOLS = [
    {"type": "function", "function": {"name": "read_file", "description": "Read a file from the repository. Returns the file content with line numbers.",
     "parameters": {"type": "object", "properties": {"path": {"type": "string", "description": "Path relative to the repo root"},
                    "start_line": {"type": "integer"}, "end_line": {"type": "integer"}}, "required": ["path"]}}},
    {"type": "function", "function": {"name": "write_file", "description": "Overwrite a file with new content.",
     "parameters": {"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string"}}, "required": ["path", "content"]}}},
    {"type": "function", "function": {"name": "apply_patch", "description": "Apply a unified diff to the working tree.",
     "parameters": {"type": "object", "properties": {"patch": {"type": "string"}}, "required": ["patch"]}}},
    {"type": "function", "function": {"name": "run_command", "description": "Run a shell command and return stdout, stderr and the exit code.",
     "parameters": {"type": "object", "properties": {"command": {"type": "string"}, "timeout_s": {"type": "integer"}}, "required": ["command"]}}},
    {"type": "function", "function": {"name": "search_code", "description": "Search the repository with ripgrep. Returns matching lines.",
     "parameters": {"type": "object", "properties": {"query": {"type": "string"}, "glob": {"type": "string"}}, "required": ["query"]}}},
]
AGENT_TASKS = ["Fix the failing test in tests/test_{m}.py", "Add input validation to {m}.parse() and tests for it", "The {m} module crashes on empty input; fix it",
               "Refactor {m}.py to remove the duplicated loop", "Add type hints to {m}.py and make mypy pass", "Implement the TODO in src/{m}.py",
               "Speed up {m}.compute, it is too slow on large lists", "Add a --dry-run flag to the CLI in cli/{m}.py", "Update {m} to handle unicode correctly",
               "Write tests for src/{m}.py to reach 90% coverage", "Why does CI fail on main? Please fix", "Rename {m}_helper to something clearer across the codebase"]


def agent_session(g, a, rng, cl, model, t, user=None, max_steps=None):
    P = g.P
    he = rng.choice(P.he)
    mod = he["entry_point"]
    task = rng.choice(AGENT_TASKS).format(m=mod)
    msgs = [{"role": "system", "content": AGENT_SYS}, {"role": "user", "content": task}]
    steps = max_steps or min(40, int(lognorm(rng, 10, 0.6)) + 2)
    prev_pt = 0
    for s in range(steps):
        final = s == steps - 1
        req = mk(model, list(msgs), 8192, 0.0 if model not in REASONING else None, tools=AGENT_TOOLS, tool_choice="auto",
                 parallel_tool_calls=False, stream=True, stream_options={"include_usage": True}, user=user)
        pt_est = msgs_tokens(msgs) + tools_tokens(AGENT_TOOLS)
        t2, ct = send(g, a, t, cl, req, int(lognorm(rng, 260 if final else 90, 0.5)), effort_tokens(rng, "low"), cached=prev_pt,
                      finish=None if final else "tool_calls", retry=3)
        prev_pt = pt_est
        if ct is None or final:
            return t2
        tool = rng.choices(["read_file", "run_command", "search_code", "apply_patch", "write_file"], [35, 30, 15, 15, 5])[0]
        cid = "call_" + rid(rng, "", 24)
        if tool == "read_file":
            args = {"path": "src/%s.py" % mod}
            out = "\n".join("%4d  %s" % (k + 1, ln) for k, ln in enumerate((he["prompt"] + he["canonical_solution"]).split("\n")))
        elif tool == "run_command":
            args = {"command": rng.choice(["pytest -q tests/test_%s.py" % mod, "python -m mypy src", "git diff --stat", "pytest -x -q", "ruff check ."])}
            if rng.random() < 0.5:
                out = ("F.%s\n=================================== FAILURES ===================================\n____ test_%s ____\n\n    def test_%s():\n>       assert %s(%s) == %s\nE       AssertionError: assert %s == %s\n\n"
                       "tests/test_%s.py:%d: AssertionError\n%d failed, %d passed in %.2fs" % ("." * rng.randint(2, 30), mod, mod, mod, rng.randint(0, 99), rng.randint(0, 99),
                                                                                              rng.randint(0, 9), rng.randint(0, 9), mod, rng.randint(5, 200), rng.randint(1, 3), rng.randint(5, 80), rng.uniform(0.1, 9)))
            else:
                out = "%s\n%d passed in %.2fs" % ("." * rng.randint(5, 60), rng.randint(5, 80), rng.uniform(0.1, 9))
        elif tool == "search_code":
            args = {"query": mod}
            out = "\n".join("src/%s.py:%d:    %s" % (rng.choice([mod, "utils", "cli", "core"]), rng.randint(1, 400), ln.strip()) for ln in he["prompt"].split("\n")[: rng.randint(3, 12)] if ln.strip())
        else:
            code = he["prompt"] + he["canonical_solution"]
            args = {"patch": "--- a/src/%s.py\n+++ b/src/%s.py\n@@ -1,%d +1,%d @@\n" % (mod, mod, 8, 9) + "\n".join("+" + x for x in code.split("\n")[-8:])} if tool == "apply_patch" else {"path": "src/%s.py" % mod, "content": code}
            out = "ok" if rng.random() < 0.85 else "error: patch does not apply"
        msgs.append({"role": "assistant", "content": None, "tool_calls": [{"id": cid, "type": "function", "function": {"name": tool, "arguments": json.dumps(args)}}]})
        msgs.append({"role": "tool", "tool_call_id": cid, "content": out[:6000]})
        if sum(len(m.get("content") or "") for m in msgs) > 28000:  # compaction
            for m in msgs[2:-6]:
                if m["role"] == "tool":
                    m["content"] = "[output elided]"
        t = t2 + (rng.uniform(0.2, 2) if tool != "run_command" else rng.uniform(1, 40))
        if rng.random() < 0.04:  # the developer interjects
            msgs.append({"role": "user", "content": rng.choice(["also keep backwards compat please", "don't touch the tests", "looks good, continue", "stop, use the existing helper instead"])})
            t += lognorm(rng, 60, 0.8)
    return t


def b_coding_agents(g):
    for i in range(4):
        rng = g.R("agent%d" % i)
        a = Acct(g, "coding_agent_tool_loops", "benign", rng)
        c = rng.choice(["US", "DE", "IN", "PL", "UK"])
        tz = COUNTRY_TZ[c]
        ndev = rng.randint(2, 12)
        devs = [{"ip": ip_resi(rng, c) if rng.random() < 0.6 else ip6(rng), "ua": rng.choice(["aider/0.74.2 " + ua_py(rng), "Cline/3.4.1", "continue/0.9.247", ua_js(rng), "opencode/0.3.1"]),
                 "key": a.keys[0] if k == 0 else a.new_key()} for k in range(ndev)]
        model = rng.choice(["gpt-4.1", "gpt-4.1", "gpt-4o", "o4-mini"])
        for t in times_profile(rng, g.T0, g.T1, ndev * rng.uniform(1.0, 2.0) * g.scale * 0.5, "dev", tz, 0.15):
            d = rng.choice(devs)
            agent_session(g, a, rng, {"key": d["key"], "ip": d["ip"], "ua": d["ua"]}, model, t)


LANG_FACTOR = {"German": 1.35, "French": 1.3, "Japanese": 1.15, "Spanish": 1.25, "Brazilian Portuguese": 1.25, "Korean": 1.3, "Simplified Chinese": 0.95, "Italian": 1.3, "Polish": 1.5}


def b_translation(g):
    P = g.P
    for i in range(3):
        rng = g.R("transl%d" % i)
        a = Acct(g, "translation_document_batch", "benign", rng)
        cl = {"key": a.keys[0], "ip": ip_in(rng, net24_cloud(rng, rng.choice(["aws", "azure", "hetzner"]))), "ua": rng.choice([ua_py(rng), "python-httpx/0.28.1"])}
        docs = rng.sample(P.ae_g4 + P.refs + P.ae_dv, rng.randint(180, 360))
        chunks = []
        for dct in docs:
            paras = dct.split("\n\n")
            cur = ""
            for p in paras:
                if len(cur) + len(p) > 2500 and cur:
                    chunks.append(cur)
                    cur = ""
                cur += ("\n\n" if cur else "") + p
            if cur:
                chunks.append(cur)
        langs = rng.sample(list(LANG_FACTOR), rng.randint(3, 5))
        t = g.f(rng.uniform(0.0, 0.3))
        for L in langs:
            if t >= g.T1:
                break
            sysp = ("You are a professional translator. Translate the user's text from English into %s. Preserve Markdown, code blocks, numbers and "
                    "proper nouns. Output only the translation." % L)
            def fn(ch, tw, L=L, sysp=sysp):
                req = mk("gpt-4.1", [{"role": "system", "content": sysp}, {"role": "user", "content": ch}], 4096, 0.2)
                return send(g, a, tw, cl, req, int(ntok(ch) * LANG_FACTOR[L] * rng.uniform(0.9, 1.1)) + 3)[0]
            t = run_batch(g, a, t, chunks[: g.S(len(chunks))], rng.randint(2, 6), fn) + rng.uniform(2, 30) * 3600


TUTOR_FOLLOW = ["I don't get the second step, why do we multiply there?", "Can you check my answer? I got {n}.", "is there a faster way to do this?",
                "why did you subtract?", "ok thanks!", "Can you give me a similar problem to practice?", "I still don't understand", "what does remainder mean",
                "so the answer is {n}?", "can you explain it with a picture or table?", "my teacher did it differently, is that ok?", "wait where did {n} come from",
                "can you explain it differently?", "thx"]


def b_tutors(g):
    P = g.P
    cfg = [("Mathy", "US", -6, "school"), ("Brainbuddy", "IN", 5.5, "school"), ("StudyOwl", "UK", 0, "school")]
    for i, (bot, c, tz, prof) in enumerate(cfg):
        rng = g.R("tutor%d" % i)
        a = Acct(g, "education_tutor_app", "benign", rng)
        net = net24_cloud(rng)
        ua = rng.choice([ua_js(rng), ua_py(rng)])
        sysp = ("You are %s, a patient and encouraging math tutor for students aged 10-15. Explain solutions step by step so the student can follow. "
                "Ask a guiding question when the student is stuck. Never just give the final answer without the reasoning. Use simple language." % bot)
        model = rng.choice(["gpt-4o-mini", "gpt-4.1-mini"])
        homework = rng.sample(P.gsm_train, 600)
        nst = rng.randint(1500, 5000)
        for t in times_profile(rng, g.T0, g.T1, rng.uniform(60, 90) * g.scale, prof, tz, 0.7):
            sid = int(nst * rng.random() ** 1.5)
            user = "stu_%s_%05d" % (c.lower(), sid)
            q = rng.choice(homework)[0]
            msgs = [{"role": "system", "content": sysp}, {"role": "user", "content": q if rng.random() < 0.7 else "help with this: " + q}]
            cl = {"key": a.keys[0], "ip": ip_in(rng, net), "ua": ua}
            for k in range(rng.choice([1, 1, 2, 2, 3, 4, 5])):
                req = mk(model, list(msgs), 1000, 0.5, user=user, stream=True, stream_options={"include_usage": True})
                t2, ct = send(g, a, t, cl, req, int(lognorm(rng, 260, 0.4)))
                if ct is None:
                    break
                msgs.append({"role": "assistant", "content": P.answer_text(rng, ct, P.bank[-3000:])})
                msgs.append({"role": "user", "content": rng.choice(TUTOR_FOLLOW).format(n=rng.randint(2, 400))})
                t = t2 + lognorm(rng, 70, 0.8)


def b_research(g):
    P = g.P
    # R1 calibration study: logprobs with top_logprobs 20 (max), short answers, one or two days
    rng = g.R("res1")
    a = Acct(g, "research_calibration_study", "benign", rng)
    cl = {"key": a.keys[0], "ip": "128.%d.%d.%d" % (rng.choice([2, 32, 54, 95, 112]), rng.randint(0, 255), rng.randint(2, 250)), "ua": ua_py(rng)}
    items = [q for q, _ in P.gsm_test[:600]] + [p for p, _ in P.t0["kilt_tasks_hotpotqa_straighforward_qa"]]
    def fn(q, tw):
        req = mk("gpt-4o", [{"role": "user", "content": q + "\nAnswer with just the final answer."}], 16, 0.0, logprobs=True, top_logprobs=20)
        return send(g, a, tw, cl, req, rng.randint(1, 8))[0]
    t = g.f(0.22)
    for rep in range(max(1, int(round(2 * g.scale)))):
        t = run_batch(g, a, t, items, 4, fn) + 3600 * rng.uniform(2, 20)
    # R2 diversity study: n=10 at temperature 1.0 on open prompts
    rng = g.R("res2")
    a = Acct(g, "research_diversity_sampling", "benign", rng)
    cl = {"key": a.keys[0], "ip": ip_resi(rng, "DE"), "ua": ua_py(rng)}
    prompts = P.koala + [v["turns"][0] for v in P.vic]
    for temp in (0.7, 1.0, 1.3):
        def fn(q, tw, temp=temp):
            req = mk("gpt-4o-mini", [{"role": "user", "content": q}], 512, temp, n=10, seed=None)
            return send(g, a, tw, cl, req, int(lognorm(rng, 260, 0.4)))[0]
        run_batch(g, a, g.f(0.5) + {0.7: 0, 1.0: 0.3, 1.3: 0.7}[temp] * DAY, prompts[: g.S(len(prompts))], 3, fn)
    # R3 CoT faithfulness study: with/without step-by-step, 3 formats, 2 models
    rng = g.R("res3")
    a = Acct(g, "research_cot_faithfulness", "benign", rng)
    cl = {"key": a.keys[0], "ip": "171.%d.%d.%d" % (rng.choice([64, 65, 66, 67]), rng.randint(0, 255), rng.randint(2, 250)), "ua": "python-requests/2.31.0"}
    qs = [q for q, _ in P.gsm_test[300:700]]
    conds = [(m, f) for m in ("gpt-4o", "gpt-4.1-mini") for f in ("Let's think step by step.", "Answer directly without explanation.", "Think it through, then give only the number after 'Answer:'.")]
    t = g.f(0.72)
    for m, fmt in conds:
        def fn(q, tw, m=m, fmt=fmt):
            req = mk(m, [{"role": "user", "content": "%s\n%s" % (q, fmt)}], 700, 0.0)
            return send(g, a, tw, cl, req, int(lognorm(rng, 230 if "step" in fmt else 20, 0.4)))[0]
        t = run_batch(g, a, t, qs[: g.S(len(qs))], 5, fn) + rng.uniform(60, 1800)


def b_enterprise(g):
    P = g.P
    for i, (c, tz, nteams) in enumerate((("DE", 1, 38), ("US", -5, 30))):
        rng = g.R("ent%d" % i)
        a = Acct(g, "enterprise_many_teams_one_nat", "benign", rng)
        nat24 = "%d.%d.%d" % (rng.choice(RESI[c]), rng.randint(0, 255), rng.randint(0, 255))
        nat_ips = [ip_in(rng, nat24) for _ in range(rng.randint(2, 3))]
        kinds = ["chat", "chat", "chat", "summarize", "code", "classify", "report", "translate", "tutor", "agent", "rag"]
        teams = []
        for k in range(nteams):
            teams.append({"key": a.keys[0] if k == 0 else a.new_key(), "kind": rng.choice(kinds),
                          "ua": rng.choice([ua_py(rng), ua_js(rng), "python-requests/2.31.0", "Java-http-client/17.0.9", "RestSharp/110.2.0.0", "axios/1.7.9"] + UA_BROWSER[:3]),
                          "rate": lognorm(rng, 5, 0.9) * g.scale, "nemp": rng.randint(5, 300), "model": rng.choice(["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o4-mini"])})
        comp = rng.choice(COMPANIES)
        kb = make_kb(rng, comp)
        for tm in teams:
            for t in times_profile(rng, g.T0, g.T1, tm["rate"], "office", tz, 0.06):
                cl = {"key": tm["key"], "ip": rng.choice(nat_ips), "ua": tm["ua"]}
                emp = "emp-%05d" % rng.randint(0, tm["nemp"] * 17)
                k, model = tm["kind"], tm["model"]
                if k == "chat":
                    chat_session(g, a, t, cl, model, rng, {"stream": True, "temp": 0.7, "user": emp, "follow": 0.4, "cot": 0.15})
                elif k == "summarize":
                    doc = P.answer_text(rng, rng.randint(300, 1600), P.longbank)
                    req = mk(model, [{"role": "system", "content": "Summarize internal documents for busy colleagues. Use 3-6 bullet points."},
                                     {"role": "user", "content": doc}], 500, 0.3, user=emp)
                    send(g, a, t, cl, req, int(lognorm(rng, 180, 0.35)), effort_tokens(rng, "low"))
                elif k == "code":
                    h = rng.choice(P.he)
                    q = rng.choice(["Why does this fail on empty input?\n\n", "Can you refactor this?\n\n", "Explain this function:\n\n", "Write tests for:\n\n"]) + h["prompt"] + h["canonical_solution"]
                    chat_session(g, a, t, cl, model, rng, {"stream": True, "temp": 0.2, "user": emp, "follow": 0.5, "sys": "You are the internal coding assistant. Company code style: PEP8."}) if rng.random() < 0.3 else \
                        send(g, a, t, cl, mk(model, [{"role": "user", "content": q}], 2000, 0.2, user=emp), int(lognorm(rng, 450, 0.5)), effort_tokens(rng, "medium"))
                elif k == "classify":
                    txt = rng.choice(P.hh)[0][1]
                    send(g, a, t, cl, mk("gpt-4.1-nano", [{"role": "system", "content": "Route the email to one of: HR, IT, Finance, Legal, Facilities. Reply with the label."},
                                                          {"role": "user", "content": txt}], 5, 0.0), 2)
                elif k == "report":
                    q = rng.choice(["Draft the weekly status report based on these notes:\n", "Write a detailed project proposal for: ", "Prepare a customer-facing FAQ from these notes:\n"])
                    send(g, a, t, cl, mk(model, [{"role": "user", "content": q + P.answer_text(rng, rng.randint(100, 500))}], 3000, 0.7, user=emp), int(lognorm(rng, 1100, 0.4)), effort_tokens(rng, "medium"))
                elif k == "translate":
                    ch = P.answer_text(rng, rng.randint(150, 700))
                    send(g, a, t, cl, mk(model, [{"role": "system", "content": "Translate to German. Keep formatting."}, {"role": "user", "content": ch}], 2000, 0.2), int(ntok(ch) * 1.35))
                elif k == "tutor":
                    q = rng.choice(P.gsm_train)[0]
                    send(g, a, t, cl, mk(model, [{"role": "system", "content": "You help employees prepare for the internal analytics certification. Explain step by step."},
                                                 {"role": "user", "content": q}], 1500, 0.3, user=emp), int(lognorm(rng, 380, 0.4)), effort_tokens(rng, "medium"))
                elif k == "agent":
                    agent_session(g, a, rng, cl, model if model != "gpt-4o-mini" else "gpt-4.1", t, user=emp, max_steps=rng.randint(3, 14))
                else:
                    rag_request(g, a, rng, comp, model, emp, cl, t, kb, "Intra", [])


RESELLER_SYS = ["You are a helpful assistant. Current date: 2026-03-%02d.", "You are AI Chat Pro, a friendly assistant. Answer in the user's language.",
                "You are a helpful assistant."]


def reseller_end_user_traffic(g, a, rng, net_ips, ua, nusers, tz, per_day, style_user, sysp):
    """Ordinary consumer chat from many end users behind a reseller's backend."""
    for t in times_profile(rng, g.T0, g.T1, per_day, "consumer", tz, 1.2):
        uid = int(nusers * rng.random() ** 1.8)
        user = style_user(uid)
        cl = {"key": rng.choice(a.keys), "ip": rng.choice(net_ips), "ua": ua}
        model = rng.choices(["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "o4-mini"], [60, 20, 15, 5])[0]
        if t > g.release and rng.random() < 0.1:
            model = NEW_MODEL
        st = {"stream": True, "temp": 0.8, "user": user, "follow": 0.45, "cot": 0.2, "sys": sysp % (int((t - g.T0) // DAY) + 2) if "%" in sysp else sysp}
        if uid % 97 == 3:  # a novelist power user: long outputs, legit
            st["long"] = 3.0
        chat_session(g, a, t, cl, model, rng, st)


def b_resellers_clean(g):
    for i in range(2):
        rng = g.R("resclean%d" % i)
        a = Acct(g, "reseller_proxy_clean", "benign", rng)
        net = net24_cloud(rng)
        ips = [ip_in(rng, net) for _ in range(3)]
        ua = rng.choice([ua_js(rng), "Go-http-client/2.0", "okhttp/4.12.0"])
        for _ in range(2):
            a.new_key()
        tz = rng.choice([7, 3, -3, 8])
        sty = (lambda u: "u%07d" % (u * 31 + 11)) if i == 0 else (lambda u, i=i: hashlib.md5(("rc%d:%d" % (i, u)).encode()).hexdigest())
        reseller_end_user_traffic(g, a, rng, ips, ua, rng.randint(600, 2000), tz, 125 * g.scale, sty, rng.choice(RESELLER_SYS))


def b_doc_summary(g):
    P = g.P
    for i in range(2):
        rng = g.R("docsum%d" % i)
        a = Acct(g, "doc_summary_saas", "benign", rng)
        net = net24_cloud(rng)
        ua = ua_py(rng)
        tz = rng.choice([-5, 0, 1])
        dom = rng.choice(["contracts", "insurance policies", "clinical trial protocols", "board minutes"])
        for t in times_profile(rng, g.T0, g.T1, 45 * g.scale, "office", tz, 0.1):
            user = "acct-%04d/user-%03d" % (rng.randint(0, 180), rng.randint(0, 40))
            parts_ = [P.answer_text(rng, rng.randint(250, 900), P.longbank) for _ in range(rng.randint(2, 6))]
            doc = "\n\n".join("Section %d.\n%s" % (k + 1, x) for k, x in enumerate(parts_))
            msgs = [{"role": "system", "content": "You summarize %s for professionals. Be precise, cite section numbers, and flag unusual clauses." % dom},
                    {"role": "user", "content": "Summarize this document:\n\n" + doc}]
            cl = {"key": a.keys[0], "ip": ip_in(rng, net), "ua": ua}
            prev = 0
            for k in range(rng.choice([1, 1, 2, 3, 4])):
                req = mk("gpt-4.1", list(msgs), 1200, 0.2, user=user)
                t2, ct = send(g, a, t, cl, req, int(lognorm(rng, 380 if k == 0 else 140, 0.35)), cached=prev)
                if ct is None:
                    break
                prev = msgs_tokens(msgs)
                msgs += [{"role": "assistant", "content": P.answer_text(rng, ct)},
                         {"role": "user", "content": rng.choice(["What does section %d say about termination?", "Are there any penalties in section %d?", "List all dates mentioned in section %d.", "Explain section %d in plain English."]) % rng.randint(1, len(parts_))}]
                t = t2 + lognorm(rng, 90, 0.8)


def b_analytics_reasoning(g):
    P = g.P
    for i in range(3):
        rng = g.R("analytics%d" % i)
        a = Acct(g, "analytics_reasoning_app", "benign", rng)
        net = net24_cloud(rng)
        tz = rng.choice([-8, -5, 1, 9])
        model = rng.choice(["o4-mini", "o3-mini", "o3"])
        for t in times_profile(rng, g.T0, g.T1, rng.uniform(60, 110) * g.scale, "office", tz, 0.15):
            rows = "\n".join("%s,%d,%.2f,%s" % (rng.choice(["north", "south", "east", "west"]), rng.randint(2019, 2026), rng.uniform(10, 9000), rng.choice(["A", "B", "C"])) for _ in range(rng.randint(10, 120)))
            q = rng.choice(["Which region grew fastest year over year, and is the difference significant?", "Find anomalies in this data and explain them.",
                            "Forecast next year's total for each segment and state your assumptions.", "Write a SQL query that computes the 3-month rolling average by region.",
                            "Summarize the main trends for an executive audience."])
            m = model if not (t > g.release + 3 * DAY and i == 0) else NEW_MODEL
            req = mk(m, [sysmsg(m, "You are the analysis engine of Quantiq. Return a JSON object with keys findings, caveats, chart_spec.", dev=True),
                         {"role": "user", "content": "region,year,revenue,segment\n" + rows + "\n\n" + q}], 12000, reasoning_effort=rng.choice(["medium", "medium", "high", "low"]),
                     response_format={"type": "json_object"}, user="ws_%04d" % rng.randint(0, 900))
            send(g, a, t, {"key": a.keys[0], "ip": ip_in(rng, net), "ua": ua_py(rng) if i else "Go-http-client/2.0"}, req, int(lognorm(rng, 420, 0.4)),
                 effort_tokens(rng, req["reasoning_effort"], 1.2))


def make_tool(name, desc, params):
    props = {p: {"type": ty, "description": d} for p, ty, d, _ in params}
    return {"type": "function", "function": {"name": name, "description": desc,
            "parameters": {"type": "object", "properties": props, "required": [p for p, _, _, r in params if r]}}}


def b_agentic_workflow(g):
    P = g.P
    tools = [make_tool("search_flights", "Search flights between two airports on a date", [("origin", "string", "IATA code", 1), ("destination", "string", "IATA code", 1), ("date", "string", "YYYY-MM-DD", 1)]),
             make_tool("search_hotels", "Find hotels in a city", [("city", "string", "City name", 1), ("checkin", "string", "date", 1), ("nights", "integer", "nights", 1)]),
             make_tool("get_booking", "Look up an existing booking", [("booking_ref", "string", "6-char reference", 1)]),
             make_tool("create_booking", "Book a flight or hotel offer", [("offer_id", "string", "offer id", 1), ("traveller_id", "string", "traveller", 1)])]
    cities = [("LHR", "London"), ("CDG", "Paris"), ("JFK", "New York"), ("HND", "Tokyo"), ("BER", "Berlin"), ("MAD", "Madrid"), ("SIN", "Singapore"), ("SFO", "San Francisco")]
    for i in range(2):
        rng = g.R("travel%d" % i)
        a = Acct(g, "agentic_travel_app", "benign", rng)
        net = net24_cloud(rng)
        ua = ua_js(rng)
        tz = [1, -5][i]
        for t in times_profile(rng, g.T0, g.T1, 70 * g.scale, "consumer", tz, 1.3):
            o, d = rng.sample(cities, 2)
            user = "trv_%06d" % int(40000 * rng.random() ** 1.5)
            ask = rng.choice(["I need a flight from %s to %s on the %dth of April, cheapest please" % (o[1], d[1], rng.randint(1, 28)),
                              "find me a hotel in %s for %d nights from april %d" % (d[1], rng.randint(1, 6), rng.randint(1, 28)),
                              "what's the status of booking %s?" % rid(rng, "", 6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"),
                              "book the first option you showed me"])
            msgs = [{"role": "system", "content": "You are Wayfarer, a travel booking assistant. Use the tools to search and book. Confirm before booking. Today is 2026-03-%02d." % (2 + int((t - g.T0) // DAY))},
                    {"role": "user", "content": ask}]
            cl = {"key": a.keys[0], "ip": ip_in(rng, net), "ua": ua}
            for s in range(rng.choice([1, 2, 2, 3, 3, 4])):
                last = s == 2 or rng.random() < 0.3
                req = mk("gpt-4o", list(msgs), 1000, 0.3, tools=tools, tool_choice="auto", user=user, stream=True, stream_options={"include_usage": True})
                t2, ct = send(g, a, t, cl, req, int(lognorm(rng, 130 if last else 35, 0.4)), finish=None if last else "tool_calls")
                if ct is None:
                    break
                if last:
                    msgs.append({"role": "assistant", "content": P.answer_text(rng, ct)})
                    msgs.append({"role": "user", "content": rng.choice(["ok book it", "anything cheaper?", "thanks", "what about the day after?"])})
                    t = t2 + lognorm(rng, 40, 0.7)
                    continue
                tl = rng.choice(tools)["function"]["name"]
                cid = "call_" + rid(rng, "", 24)
                args = {"origin": o[0], "destination": d[0], "date": "2026-04-%02d" % rng.randint(1, 28)} if tl == "search_flights" else {"city": d[1], "checkin": "2026-04-10", "nights": 2}
                res = json.dumps({"offers": [{"offer_id": rid(rng, "of_", 8), "price": round(rng.uniform(60, 900), 2), "currency": "EUR", "carrier": rng.choice(["BA", "AF", "LH", "JL", "IB"])} for _ in range(rng.randint(1, 5))]})
                msgs.append({"role": "assistant", "content": None, "tool_calls": [{"id": cid, "type": "function", "function": {"name": tl, "arguments": json.dumps(args)}}]})
                msgs.append({"role": "tool", "tool_call_id": cid, "content": res})
                t = t2 + rng.uniform(0.3, 2.5)


def make_diff(rng, he, bug=False):
    code = he["prompt"] + he["canonical_solution"]
    new = inject_bug(rng, code) if bug else code
    a_lines, b_lines = code.split("\n"), new.split("\n")
    out = ["--- a/src/%s.py" % he["entry_point"], "+++ b/src/%s.py" % he["entry_point"], "@@ -1,%d +1,%d @@" % (len(a_lines), len(b_lines))]
    for x, y in zip(a_lines, b_lines):
        if x == y:
            out.append(" " + x)
        else:
            out += ["-" + x, "+" + y]
    if rng.random() < 0.5:
        out.append("+    # TODO: handle %s" % rng.choice(["None", "negative values", "large inputs", "unicode"]))
    return "\n".join(out)


def b_code_review_bot(g):
    P = g.P
    for i in range(2):
        rng = g.R("crbot%d" % i)
        a = Acct(g, "ci_code_review_bot", "benign", rng)
        cl0 = {"key": a.keys[0], "ua": rng.choice(["pr-reviewer-action/2.3 " + ua_js(rng), "Go-http-client/2.0"])}
        net = net24_cloud(rng, "azure")
        repos = ["%s/%s" % (rng.choice(["acme", "fintrack", "opsly"]), r) for r in rng.sample(["api", "web", "billing", "etl", "sdk", "infra", "mobile", "auth"], 4)]
        prs = {}
        for t in times_profile(rng, g.T0, g.T1, rng.uniform(70, 130) * g.scale, "dev", rng.choice([-5, 1, 5.5]), 0.1):
            if prs and rng.random() < 0.45:
                key = rng.choice(sorted(prs))
            else:
                key = (rng.choice(repos), rng.randint(100, 9000))
                prs[key] = (rng.choice(P.he), rng.choice(["Fix edge case in parser", "Add caching layer", "Refactor helpers", "Bump deps and fix types", "Handle timeouts"]))
            he, title = prs[key]
            diff = make_diff(rng, he, bug=rng.random() < 0.4)
            msgs = [{"role": "system", "content": "You are a senior engineer reviewing a pull request. Comment only on real problems: bugs, security, performance, missing tests. "
                                                  "Output a JSON list of {file, line, severity, comment}. Be brief."},
                    {"role": "user", "content": "Repository: %s\nPR #%d: %s\n\n```diff\n%s\n```" % (key[0], key[1], title, diff)}]
            req = mk("gpt-4.1", msgs, 1500, 0.1, response_format={"type": "json_object"})
            send(g, a, t, dict(cl0, ip=ip_in(rng, net)), req, int(lognorm(rng, 280, 0.5)))


# --------------------------------------------------------------------------------------
# attack personas
# --------------------------------------------------------------------------------------
def hreq(rng, H, model, sysp=None, dev=False, cot=1.0, implicit=0.0, multilingual=True, max_out=4096, temp=0.7, mix=(0.4, 0.4, 0.2), long=1.0, **extra):
    q, cat = H.any(mix)
    if rng.random() < cot:
        c = H.cot(implicit, multilingual)
        q = (c + "\n\n" + q) if rng.random() < 0.2 else (q + rng.choice(["\n\n", "\n", " "]) + c)
        long *= 1.5
    msgs = ([sysmsg(model, sysp, dev)] if sysp else []) + [{"role": "user", "content": q}]
    req = mk(model, msgs, max_out, temp, **extra)
    want = want_for(rng, cat, long)
    reasoning = effort_tokens(rng, extra.get("reasoning_effort") or "medium", 1.4 if cat == "math" else 1.0)
    return req, want, reasoning


class CPool:
    """A campaign's set of accounts: round-robin, an account that hits its daily cap is parked for the day,
    and a new account is brought in when all are parked (spread on rate limit)."""

    def __init__(self, g, rng, spawn=None, max_members=99):
        self.g, self.rng, self.spawn, self.max = g, rng, spawn, max_members
        self.members = []
        self.capped = {}
        self.rr = 0

    def add(self, a):
        self.members.append(a)
        return a

    def send(self, t, build, active=None):
        g, rng = self.g, self.rng
        day = int((t - g.T0) // DAY)
        for _ in range(len(self.members) + 2):
            cand = [m for m in self.members if self.capped.get(m.id) != day and (active is None or active(m, t))]
            if not cand:
                if self.spawn and len(self.members) < self.max:
                    cand = [self.add(self.spawn(t))]
                else:
                    if self.members and rng.random() < 0.25:
                        m = rng.choice(self.members)
                        req, _, _ = build(m, t)
                        g.emit_err(m, t, m.notes["cl"](t), req, 429)
                    return None
            m = cand[self.rr % len(cand)]
            self.rr += 1
            cl = m.notes["cl"](t)
            req, want, reas = build(m, t)
            if not g.gate(m, t):
                for _ in range(rng.choice([1, 1, 2, 3, 4])):
                    g.emit_err(m, t, cl, req, 429)
                    t += rng.uniform(0.5, 4.0)
                self.capped[m.id] = day
                if "on_cap" in m.notes:
                    m.notes["on_cap"](m, t)
                continue
            ct, rt, fin = out_tokens(m.rng, req["model"], req, want, reas)
            lat = g.emit(m, t, cl, req, ct, rt, fin)
            return (m, t + (lat or 1.0), ct)
        return None


def a_campaign_ramp(g):
    """One operator: slow start, exponential scale-up, second account when rate-limited, system prompt and wording change,
    a pause, then resumption on a new account + the newly released reasoning model with implicit CoT."""
    rng = g.R("ramp")
    H = Harvest(g.P, rng)
    nets = {"a": net24_cloud(rng, "alibaba"), "b": net24_cloud(rng, "alibaba"), "c": net24_cloud(rng, "aws")}
    S1 = HARVEST_SYS[0]
    S2 = paraphrase(rng, HARVEST_SYS[1]) + " Use clear numbered steps."
    S3 = paraphrase(rng, HARVEST_SYS[2])
    accts = []

    def new(k, net, ua):
        a = Acct(g, "campaign_ramp_adaptive", "attack", g.R("ramp_a%d" % k), group="ramp")
        a.rpd = int(1900 * g.scale)
        a.notes["on_cap"] = lambda m, t: m.new_key() if len(m.keys) < 4 else None
        a.notes["cl"] = lambda t, a=a, net=net, ua=ua: {"key": a.keys[-1], "ip": ip_in(a.rng, net), "ua": ua}
        accts.append(a)
        return a

    pool = CPool(g, rng)
    a0 = pool.add(new(0, nets["a"], "OpenAI/Python 1.55.3"))
    spawned = {"n": 1}

    def spawn(t):
        if spawned["n"] >= 2:
            return None
        spawned["n"] += 1
        return new(1, nets["b"], "OpenAI/Python 1.55.3")
    pool.spawn = spawn
    pool.max = 2
    # phase 0: slow, human-ish hours, English CoT
    for t in times_profile(rng, g.f(0.02), g.f(0.25), 60 * g.scale, "consumer", 8):
        pool.send(t, lambda m, t: hreq(m.rng, H, "gpt-4.1", S1, cot=0.9, multilingual=False, max_out=4096, temp=0.7))
    # phase 1: ramp 250 -> 3200/day, 24/7; key rotation on 429 first
    t0, t1 = g.f(0.25), g.f(0.5)
    def ramp(t):
        x = (t - t0) / (t1 - t0)
        return 250 * (3200 / 250.0) ** x / 250.0
    for t in times_profile(rng, t0, t1, 250 * g.scale, "busy_flat", 8, rate_fn=ramp):
        r = pool.send(t, lambda m, t: hreq(m.rng, H, "gpt-4.1", S1, cot=0.85, multilingual=False, max_out=4096, temp=0.7))
    # phase 2: new system prompt, multilingual CoT, 10% decoy chat
    def build2(m, t):
        if m.rng.random() < 0.1:
            return mk("gpt-4o-mini", [{"role": "user", "content": m.rng.choice(DECOY)}], None, None), int(lognorm(m.rng, 60, 0.5)), 0
        return hreq(m.rng, H, "gpt-4.1", S2, cot=0.8, multilingual=True, max_out=6000, temp=0.8)
    for t in times_profile(rng, g.f(0.5), g.f(0.6), 2500 * g.scale, "busy_flat", 8):
        pool.send(t, build2)
    # pause [0.6, 0.7); phase 3: account 0 retired, account 2 created, new model, implicit CoT, new network + client
    a1 = accts[1] if len(accts) > 1 else new(1, nets["b"], "OpenAI/Python 1.55.3")
    a2 = new(2, nets["c"], "OpenAI/Python 1.63.2")
    a1.notes["cl"] = lambda t, a=a1: {"key": a.keys[-1], "ip": ip_in(a.rng, nets["c"]), "ua": "OpenAI/Python 1.63.2"}
    pool2 = CPool(g, rng)
    pool2.add(a1)
    pool2.add(a2)
    for t in times_profile(rng, g.f(0.7), g.T1, 1200 * g.scale, "busy_flat", 8):
        pool2.send(t, lambda m, t: hreq(m.rng, H, NEW_MODEL, S3, dev=True, cot=0.85, implicit=0.7, max_out=32000, reasoning_effort="high"))
    g.campaigns["ramp"] = {"phases": {"slow": [0.02, 0.25], "ramp": [0.25, 0.5], "reworded": [0.5, 0.6], "pause": [0.6, 0.7], "resume_new_model": [0.7, 1.0]}}


def a_hydra_cloud(g):
    """Hydra on shared cloud /24s: same client, same system prompt family, fake per-request `user`, members at a daily cap;
    new members are brought in whenever all are capped. Grows, pauses, resumes."""
    rng = g.R("hydra_cloud")
    H = Harvest(g.P, rng)
    nets = [net24_cloud(rng, "aws") for _ in range(3)] + [net24_cloud(rng, "hetzner")]
    ua = "OpenAI/Python 1.58.1"
    sysv = [HARVEST_SYS[4], paraphrase(rng, HARVEST_SYS[4])]
    k = {"n": 0}

    def spawn(t):
        a = Acct(g, "hydra_shared_cloud", "attack", g.R("hc%d" % k["n"]), group="hydra_cloud")
        a.rpd = int(a.rng.randint(130, 170) * g.scale)
        net = nets[k["n"] % len(nets)]
        a.notes["cl"] = lambda t, a=a, net=net: {"key": a.keys[0], "ip": ip_in(a.rng, net), "ua": ua}
        a.notes["sys"] = sysv[k["n"] % 2]
        k["n"] += 1
        return a
    pool = CPool(g, rng, spawn, 12)
    for _ in range(4):
        pool.add(spawn(g.f(0.1)))
    t0, t1 = g.f(0.1), g.f(0.85)

    def rate(t):
        if g.f(0.45) <= t < g.f(0.55):
            return 0.0
        x = min(1.0, (t - t0) / (t1 - t0))
        return (450 + 1200 * x) / 450.0

    def build(m, t):
        model = NEW_MODEL if (t > g.release + 0.4 * DAY and m.rng.random() < 0.8) else "gpt-4.1"
        ex = {"reasoning_effort": "high"} if model == NEW_MODEL else {}
        req, want, r = hreq(m.rng, H, model, m.notes["sys"], cot=0.6, implicit=0.3, max_out=4096 if model != NEW_MODEL else 16000, temp=0.8,
                            mix=(0.3, 0.5, 0.2), user=uuid4(m.rng), **ex)
        return req, want, r
    for t in times_profile(rng, t0, g.T1, 450 * g.scale, "flat", 0, rate_fn=rate):
        pool.send(t, build)
    g.campaigns["hydra_cloud"] = {"members": k["n"], "pause": [0.45, 0.55]}


def a_hydra_synced(g):
    """Hydra whose members each sit on their own residential network but run the same client on the same scheduler:
    identical parameters and UA, bursts every 20 minutes within seconds of each other. Each has its own system prompt."""
    rng = g.R("hydra_sync")
    H = Harvest(g.P, rng)
    ua = "python-httpx/0.27.2"
    countries = ["US", "BR", "VN", "PL", "IN", "TR", "ID", "MX"]
    members = []
    joins = [0.15, 0.15, 0.15, 0.35, 0.35, 0.65, 0.65, 0.65]
    base_sys = HARVEST_SYS[3]
    for i, c in enumerate(countries):
        a = Acct(g, "hydra_own_networks_shared_client", "attack", g.R("hs%d" % i), group="hydra_sync")
        a.notes.update(join=g.f(joins[i]), net="%d.%d.%d" % (rng.choice(RESI[c]), rng.randint(0, 255), rng.randint(0, 255)),
                       sys=paraphrase(a.rng, base_sys) + rng.choice(["", " Be rigorous.", " Prefer code examples.", " Write production-quality code."]))
        members.append(a)
    period = 1200.0
    off = rng.uniform(0, period)
    t = g.T0 + off
    while t < g.T1:
        if not (g.f(0.5) <= t < g.f(0.58)):
            for a in members:
                if t < a.notes["join"]:
                    continue
                r = a.rng
                tw = t + r.uniform(0, 4.0)
                cl = {"key": a.keys[0], "ip": ip_in(r, a.notes["net"]), "ua": ua}
                for _ in range(1 + pois(r, 0.8 * g.scale)):
                    req, want, reas = hreq(r, H, "gpt-4.1", a.notes["sys"], cot=0.5, mix=(0.15, 0.25, 0.6), max_out=3072, temp=0.6, top_p=0.95)
                    tw, ct = send(g, a, tw, cl, req, want, reas, retry=0)
                    tw += r.uniform(0.35, 0.45)
        t += period + rng.uniform(-1, 1)
    g.campaigns["hydra_sync"] = {"period_s": period, "pause": [0.5, 0.58]}


def a_hydra_split_source(g):
    """Members that share nothing but a prompt source split between them: different networks, clients, wrappers,
    models and schedules; each takes a disjoint shard of the same instruction/math/code pool."""
    rng = g.R("hydra_split")
    n = 6
    cfg = [("aws", ua_py(rng), "flat", 0, "gpt-4o", 0.05, 1.0), ("do", "python-requests/2.32.3", "office", -5, "gpt-4.1", 0.12, 1.0),
           ("hetzner", ua_async_py(rng), "night", 1, "gpt-4.1", 0.2, 0.9), ("gcp", ua_js(rng), "busy_flat", 8, "gpt-4o", 0.3, 1.0),
           ("vultr", "Python/3.11 aiohttp/3.9.5", "consumer", 3, "o4-mini", 0.38, 1.0), ("ovh", "axios/1.7.9", "flat", 0, "gpt-4.1-mini", 0.45, 0.95)]
    wrappers = [None, "Instruction:\n{q}\n\nDetailed response:", "{q}\n\nPlease provide a comprehensive answer.", "Q: {q}\nA: Let me explain in detail.",
                "<task>{q}</task>\nRespond thoroughly.", "{q}"]
    for i in range(n):
        prov, ua, prof, tz, model, start, end = cfg[i]
        a = Acct(g, "hydra_shared_prompt_source_only", "attack", g.R("hsp%d" % i), group="hydra_split")
        r = a.rng
        H = Harvest(g.P, r, shard=i, nshards=n)
        net = net24_cloud(r, prov)
        sysp = [None, "You are a helpful assistant.", HARVEST_SYS[5], None, "Answer like a domain expert.", HARVEST_SYS[1]][i]
        per_day = r.uniform(90, 150) * g.scale
        for t in times_profile(r, g.f(start), g.f(end), per_day, prof, tz):
            q, cat = H.any((0.35, 0.5, 0.15))
            if wrappers[i]:
                q = wrappers[i].format(q=q)
            if r.random() < [0.3, 0.6, 0.2, 0.7, 0.0, 0.5][i]:
                q += " " + H.cot(0.4)
            msgs = ([sysmsg(model, sysp)] if sysp else []) + [{"role": "user", "content": q}]
            req = mk(model, msgs, r.choice([4096, 8192]) if model not in REASONING else 20000, [0.7, 1.0, 0.9, 0.7, None, 0.8][i])
            send(g, a, t, {"key": a.keys[0], "ip": ip_in(r, net), "ua": ua}, req, want_for(r, cat, 1.4), effort_tokens(r, "medium", 1.2))


def a_multiturn(g):
    """Harvesting through conversations: the harvester generates its own follow-ups and sends them as soon as the answer lands."""
    P = g.P
    cfg = [(0.05, 1.0, "gpt-4.1", "aws", (0.45, 0.55)), (0.3, 1.0, "gpt-4o", "gcp", None), (0.55, 1.0, "o4-mini", "hetzner", None)]
    for i, (s, e, model0, prov, pause) in enumerate(cfg):
        a = Acct(g, "multiturn_self_followup_harvester", "attack", g.R("mt%d" % i), group="multiturn%d" % i)
        r = a.rng
        H = Harvest(P, r)
        net = net24_cloud(r, prov)
        ua = [ua_py(r), ua_async_py(r), "python-httpx/0.28.1"][i]
        sysp = [None, "You are a brilliant teacher.", "You are an expert assistant that explains things thoroughly."][i]
        rate = (lambda t, pause=pause: 0.0 if pause and g.f(pause[0]) <= t < g.f(pause[1]) else 1.0)
        for t in times_profile(r, g.f(s), g.f(e), r.uniform(28, 42) * g.scale, "flat", 0, rate_fn=rate):
            model = NEW_MODEL if (model0 in REASONING and t > g.release + 0.2 * DAY) else model0
            if r.random() < 0.3:
                mq = r.choice(P.mt)
                first = mq["turns"][0]
                cat = "instr"
            else:
                first, cat = H.any((0.45, 0.35, 0.2))
            if r.random() < 0.5:
                first += " " + H.cot(0.5)
            msgs = ([sysmsg(model, sysp, True)] if sysp else []) + [{"role": "user", "content": first}]
            cl = {"key": a.keys[0], "ip": ip_in(r, net), "ua": ua}
            prev = 0
            for k in range(r.randint(3, 6)):
                ex = {"reasoning_effort": "high"} if model in REASONING else {}
                req = mk(model, list(msgs), 4096 if model not in REASONING else 25000, 0.7, **ex)
                t2, ct = send(g, a, t, cl, req, want_for(r, cat, 1.3), effort_tokens(r, "high"), cached=prev)
                if ct is None:
                    break
                prev = msgs_tokens(msgs)
                msgs.append({"role": "assistant", "content": P.answer_text(r, min(ct - (0 if model not in REASONING else ct // 2), 800))})
                msgs.append({"role": "user", "content": r.choice(FOLLOWUPS_HARVEST)})
                t = t2 + r.uniform(0.3, 2.5)


TOOL_DOMAINS = {
    "weather": [("get_current_weather", "Get current weather for a location", [("location", "string", "City and country", 1), ("unit", "string", "celsius|fahrenheit", 0)]),
                ("get_forecast", "Get a multi-day forecast", [("location", "string", "City", 1), ("days", "integer", "1-14", 1)])],
    "travel": [("search_flights", "Search flights", [("origin", "string", "IATA", 1), ("destination", "string", "IATA", 1), ("date", "string", "YYYY-MM-DD", 1), ("cabin", "string", "economy|business", 0)]),
               ("book_hotel", "Book a hotel room", [("hotel_id", "string", "id", 1), ("checkin", "string", "date", 1), ("nights", "integer", "n", 1)]),
               ("get_visa_requirements", "Visa rules for a trip", [("citizenship", "string", "ISO country", 1), ("destination", "string", "ISO country", 1)])],
    "commerce": [("search_products", "Search the catalog", [("query", "string", "text", 1), ("max_price", "number", "price", 0)]),
                 ("get_order_status", "Order status", [("order_id", "string", "id", 1)]), ("create_return", "Start a return", [("order_id", "string", "id", 1), ("reason", "string", "why", 1)]),
                 ("apply_coupon", "Apply a coupon to a cart", [("cart_id", "string", "id", 1), ("code", "string", "coupon", 1)])],
    "calendar": [("list_events", "List events in a range", [("start", "string", "ISO date", 1), ("end", "string", "ISO date", 1)]),
                 ("create_event", "Create an event", [("title", "string", "t", 1), ("start", "string", "datetime", 1), ("duration_min", "integer", "min", 1), ("attendees", "array", "emails", 0)]),
                 ("find_free_slots", "Find common free time", [("attendees", "array", "emails", 1), ("duration_min", "integer", "min", 1)])],
    "email": [("send_email", "Send an email", [("to", "string", "address", 1), ("subject", "string", "s", 1), ("body", "string", "b", 1)]),
              ("search_inbox", "Search mail", [("query", "string", "q", 1), ("limit", "integer", "n", 0)])],
    "crm": [("lookup_customer", "Find a customer", [("email", "string", "e", 0), ("name", "string", "n", 0)]), ("update_ticket", "Update a ticket", [("ticket_id", "string", "id", 1), ("status", "string", "s", 1)]),
            ("create_lead", "Create a sales lead", [("company", "string", "c", 1), ("contact", "string", "c", 1), ("value", "number", "v", 0)])],
    "finance": [("get_stock_quote", "Latest quote", [("ticker", "string", "symbol", 1)]), ("convert_currency", "Convert money", [("amount", "number", "a", 1), ("from", "string", "ISO", 1), ("to", "string", "ISO", 1)]),
                ("calculate_loan_payment", "Monthly payment", [("principal", "number", "p", 1), ("rate", "number", "annual %", 1), ("years", "integer", "y", 1)])],
    "devops": [("get_service_status", "Service health", [("service", "string", "name", 1)]), ("query_logs", "Search logs", [("service", "string", "s", 1), ("query", "string", "q", 1), ("since", "string", "duration", 0)]),
               ("scale_deployment", "Scale replicas", [("deployment", "string", "d", 1), ("replicas", "integer", "n", 1)]), ("restart_service", "Restart", [("service", "string", "s", 1)])],
    "db": [("run_sql_query", "Run read-only SQL", [("sql", "string", "query", 1)]), ("describe_table", "Table schema", [("table", "string", "t", 1)]), ("list_tables", "List tables", [])],
    "maps": [("geocode_address", "Address to coordinates", [("address", "string", "a", 1)]), ("get_directions", "Route", [("from", "string", "f", 1), ("to", "string", "t", 1), ("mode", "string", "driving|transit|walking", 0)]),
             ("find_nearby_places", "Nearby POIs", [("lat", "number", "lat", 1), ("lng", "number", "lng", 1), ("type", "string", "cafe|pharmacy|...", 1)])],
    "smart_home": [("set_thermostat", "Set temperature", [("room", "string", "r", 1), ("celsius", "number", "t", 1)]), ("toggle_light", "Lights", [("room", "string", "r", 1), ("on", "boolean", "b", 1)]),
                   ("lock_door", "Lock a door", [("door", "string", "d", 1)])],
    "health": [("find_doctor", "Find a doctor", [("specialty", "string", "s", 1), ("city", "string", "c", 1)]), ("book_appointment", "Book", [("doctor_id", "string", "id", 1), ("slot", "string", "datetime", 1)])],
}
TOOL_TASKS = {
    "weather": ["Should I bring an umbrella in {city} tomorrow?", "Compare the weather in {city} and {city2} this weekend and tell me where to go hiking."],
    "travel": ["Find me a business class flight from {iata} to {iata2} on {date} and check if I need a visa as a {nat} citizen.", "Book the cheapest hotel near the center for 3 nights from {date}."],
    "commerce": ["Where is my order {oid}? If it's late, start a return because it's {reason}.", "Find noise-cancelling headphones under ${price} and apply code SAVE{pct}."],
    "calendar": ["Set up a {dur}-minute meeting with {email} and {email2} next week when everyone is free.", "What's on my calendar on {date}? Move anything after 4pm."],
    "email": ["Email {email} a summary of the Q{q} numbers and ask for feedback by Friday.", "Find the last email from {name} about the contract and reply that we agree."],
    "crm": ["Look up {name} at {company} and create a lead worth ${price}000.", "Close ticket T-{n} and note that the customer was refunded."],
    "finance": ["How much is {amount} USD in {cur}? Also what's the monthly payment on a {amount}00 loan at {rate}% over {years} years?", "Get quotes for {ticker} and {ticker2} and tell me which rose more today."],
    "devops": ["The {svc} service is returning 500s. Check its status, look at the last hour of error logs, and scale it to {n} replicas if CPU is high.", "Restart {svc} if it's unhealthy."],
    "db": ["How many orders did we get last week per country? The table is probably called orders.", "Which customers have spent more than ${price}0 this year?"],
    "maps": ["Get me walking directions from {city} central station to the nearest pharmacy.", "Find cafes near {addr}."],
    "smart_home": ["I'm leaving, lock the front door, turn off the living room lights and set the thermostat to {temp} degrees.", "It's cold in the bedroom."],
    "health": ["Find a dermatologist in {city} and book the earliest appointment next week.", "I need a pediatrician in {city}."],
}


def fill_task(r, s):
    vals = {"city": r.choice(["Lisbon", "Osaka", "Denver", "Krakow", "Nairobi", "Lyon", "Austin", "Seoul"]), "city2": r.choice(["Porto", "Kyoto", "Boulder", "Gdansk"]),
            "iata": r.choice(["LHR", "JFK", "SIN", "FRA", "GRU"]), "iata2": r.choice(["NRT", "SFO", "DXB", "SYD", "MEX"]), "date": "2026-%02d-%02d" % (r.randint(3, 9), r.randint(1, 28)),
            "nat": r.choice(["Indian", "German", "Brazilian", "US"]), "oid": "A%07d" % r.randint(0, 9999999), "reason": r.choice(["damaged", "the wrong size", "late"]),
            "price": r.randint(50, 400), "pct": r.choice([10, 15, 20]), "dur": r.choice([30, 45, 60]), "email": r.choice(NAMES).lower() + "@example.com", "email2": r.choice(NAMES).lower() + "@example.org",
            "q": r.randint(1, 4), "name": r.choice(NAMES), "company": r.choice(["Globex", "Initech", "Umbrella", "Hooli"]), "n": r.randint(2, 9999), "amount": r.randint(10, 900),
            "cur": r.choice(["EUR", "JPY", "INR", "BRL"]), "rate": r.randint(3, 9), "years": r.choice([5, 10, 15, 30]), "ticker": r.choice(["AAPL", "MSFT", "NVDA", "TSM"]),
            "ticker2": r.choice(["AMZN", "GOOG", "META", "ASML"]), "svc": r.choice(["checkout", "auth", "search", "payments"]), "addr": "%d %s St" % (r.randint(1, 999), r.choice(NAMES)), "temp": r.randint(16, 23)}
    return s.format(**vals)


def style_name(r, name):
    st = r.random()
    if st < 0.5:
        return name
    if st < 0.8:
        p = name.split("_")
        return p[0] + "".join(x.title() for x in p[1:])
    return r.choice(["fn_", "tool_", "api_", ""]) + name


def a_tool_traces(g):
    """Distilling function-calling: endless varied tasks with freshly drawn tool schemas, short 1-3 step traces, fabricated tool results."""
    rng = g.R("tooltrace")
    k = {"n": 0}
    doms = sorted(TOOL_DOMAINS)
    sysps = ["You are a function-calling agent. Think step by step about which tools to call and with which arguments before calling them.",
             "You are an AI assistant with access to tools. Use them whenever helpful. Explain your plan briefly before each call.",
             "You can call functions. Always call the most appropriate function(s); call several in parallel when independent."]

    def spawn(t):
        a = Acct(g, "tool_use_trace_distiller", "attack", g.R("tt%d" % k["n"]), group="tooltrace")
        a.rpd = int(a.rng.randint(380, 450) * g.scale)
        net = net24_cloud(a.rng, ["do", "linode", "vultr"][k["n"] % 3])
        ua = ua_py(a.rng)
        a.notes["cl"] = lambda t, a=a, net=net, ua=ua: {"key": a.keys[0], "ip": ip_in(a.rng, net), "ua": ua}
        k["n"] += 1
        return a
    pool = CPool(g, rng, spawn, 3)
    pool.add(spawn(g.f(0.1)))

    def build(m, t):
        r = m.rng
        d = r.choice(doms)
        extra = [x for dd in r.sample(doms, r.randint(0, 2)) for x in TOOL_DOMAINS[dd][:1]]
        fns = TOOL_DOMAINS[d] + extra
        tools = [make_tool(style_name(r, n), paraphrase(r, ds) if r.random() < 0.5 else ds, ps) for n, ds, ps in fns]
        task = fill_task(r, r.choice(TOOL_TASKS[d]))
        msgs = [{"role": "system", "content": r.choice(sysps)}, {"role": "user", "content": task}]
        steps = r.choice([0, 0, 0, 1, 1, 2])
        for s in range(steps):
            tcs = []
            for j in range(r.choice([1, 1, 2])):
                tl = r.choice(tools)["function"]
                args = {p: (fill_task(r, "{city}") if v["type"] == "string" else r.randint(1, 50)) for p, v in list(tl["parameters"]["properties"].items())[:3]}
                tcs.append({"id": "call_" + rid(r, "", 24), "type": "function", "function": {"name": tl["name"], "arguments": json.dumps(args)}})
            msgs.append({"role": "assistant", "content": None, "tool_calls": tcs})
            for tc in tcs:
                msgs.append({"role": "tool", "tool_call_id": tc["id"], "content": json.dumps({"ok": True, "result": {"value": r.randint(1, 9999), "items": [rid(r, "", 6) for _ in range(r.randint(0, 4))]}})})
        model = "gpt-4.1" if r.random() < 0.7 else "gpt-4o"
        req = mk(model, msgs, 2048, 0.7, tools=tools, tool_choice=r.choice(["auto", "auto", "required"]), parallel_tool_calls=True)
        final = steps > 0 and r.random() < 0.6
        return req, int(lognorm(r, 260 if final else 70, 0.5)), 0
    t0 = g.f(0.1)

    def rate(t):
        if g.f(0.62) <= t < g.f(0.7):
            return 0.0
        return 1.0 + 3.0 * min(1.0, (t - t0) / (g.f(0.6) - t0))
    for t in times_profile(rng, t0, g.T1, 230 * g.scale, "flat", 0, rate_fn=rate):
        pool.send(t, build)


def long_doc(P, r):
    kind = r.random()
    if kind < 0.4:
        secs = [P.answer_text(r, r.randint(400, 1200), P.longbank) for _ in range(r.randint(4, 14))]
        return "\n\n".join("## %d. %s\n%s" % (i + 1, s.split("\n")[0][:60], s) for i, s in enumerate(secs))
    if kind < 0.7:
        out = []
        for d in r.sample(P.hh, r.randint(10, 40)):
            for role, txt in d:
                out.append("%s: %s" % ("Customer" if role == "user" else "Agent", txt))
        return "Call transcripts export\n\n" + "\n".join(out)
    secs = [P.answer_text(r, r.randint(250, 700)) for _ in range(r.randint(8, 22))]
    return "\n\n".join("Article %d\n%s" % (i + 1, s) for i, s in enumerate(secs))


def a_longctx_summary(g):
    P = g.P
    asks = ["Summarize the following document in detail. Produce: 1) an executive summary, 2) a section-by-section summary, 3) a list of key facts and figures, 4) open questions.",
            "Read the entire document below and write a comprehensive summary that preserves every important detail. Explain your reasoning about what matters most.",
            "Create study notes from the following text: a detailed outline, definitions of all key terms, and a 10-question quiz with answers.",
            "Condense the document below into a structured brief with headings. Then critique its arguments step by step."]
    for i, (s, prov) in enumerate(((0.2, "aws"), (0.45, "azure"))):
        a = Acct(g, "long_context_summary_distiller", "attack", g.R("lcs%d" % i), group="longctx")
        r = a.rng
        net = net24_cloud(r, prov)
        ua = ua_py(r)
        for t in times_profile(r, g.f(s), g.T1, r.uniform(65, 85) * g.scale, "flat", 0):
            doc = long_doc(P, r)
            msgs = [{"role": "user", "content": r.choice(asks) + "\n\n<document>\n" + doc + "\n</document>"}]
            req = mk("gpt-4.1", msgs, 8000, 0.3)
            send(g, a, t, {"key": a.keys[0], "ip": ip_in(r, net), "ua": ua}, req, int(lognorm(r, 1300, 0.4)))


def a_code_review(g):
    """Code-review distillation, one account at a time (each retired and replaced in turn)."""
    P = g.P
    rng = g.R("codereview")
    net = net24_cloud(rng, "gcp")
    ua = ua_py(rng)
    asks = ["Review the following code thoroughly. For every issue explain your reasoning step by step, classify its severity, and then provide a fully corrected version.",
            "You are reviewing a pull request. Identify all bugs, security issues and style problems, explain why each is a problem, and rewrite the code properly.",
            "Do a detailed code review: correctness, edge cases, complexity, readability. Then give the improved code and explain every change."]
    spans = [(0.03, 0.36), (0.34, 0.68), (0.66, 1.0)]
    for k, (s, e) in enumerate(spans):
        a = Acct(g, "code_review_distiller", "attack", g.R("cr%d" % k), group="codereview")
        r = a.rng
        for t in times_profile(r, g.f(s), g.f(e), 270 * g.scale, "busy_flat", 0):
            if r.random() < 0.6:
                h = r.choice(P.he)
                code = rename_ident(r, h["prompt"] + h["canonical_solution"], h["entry_point"])
                if r.random() < 0.7:
                    code = inject_bug(r, code)
                lang = "python"
            else:
                lang, code = r.choice(P.codeblocks)
                if r.random() < 0.6:
                    code = inject_bug(r, code)
            sysp = None if k == 0 else paraphrase(r, "You are an expert code reviewer. Always explain your reasoning in detail.")
            msgs = ([{"role": "system", "content": sysp}] if sysp else []) + [{"role": "user", "content": "%s\n\n```%s\n%s\n```" % (r.choice(asks), lang, code)}]
            req = mk("gpt-4.1" if k < 2 else NEW_MODEL, msgs, 6000 if k < 2 else 24000, 0.4, reasoning_effort="high" if k == 2 else None)
            send(g, a, t, {"key": a.keys[0], "ip": ip_in(r, net), "ua": ua}, req, int(lognorm(r, 950, 0.4)), effort_tokens(r, "high"))


def a_reasoning_tokens(g):
    """Harvesting through a reasoning model's hidden reasoning: hard problems, high effort, big max_completion_tokens,
    implicit CoT wording; pivots to the new model within hours of its release."""
    P = g.P
    cfg = [(0.05, "o4-mini", 180, "busy_flat", "aws"), (0.25, "o3-mini", 160, "flat", "gcp"), (0.1, "o4-mini", 45, "consumer", None)]
    for i, (s, model0, rate, prof, prov) in enumerate(cfg):
        a = Acct(g, "reasoning_token_harvester", "attack", g.R("rt%d" % i), group="reasoning%d" % i)
        r = a.rng
        H = Harvest(P, r)
        net = net24_cloud(r, prov) if prov else None
        home = ip_resi(r, "KR")
        ua = ua_py(r) if prov else UA_BROWSER[1]
        pivot = g.release + r.uniform(2, 10) * 3600
        for t in times_profile(r, g.f(s), g.T1, rate * g.scale, prof, 9):
            model = NEW_MODEL if t > pivot else model0
            if r.random() < 0.55:
                q = H.math()
                if r.random() < 0.5:
                    q = "Prove rigorously, then generalize: " + q
            else:
                q = H.code() if r.random() < 0.5 else H.instruction(False)
            if r.random() < 0.7:
                q += "\n\n" + r.choice(COT_IMPLICIT)
            msgs = [sysmsg(model, "Reasoning: high. Be exhaustive.", dev=True)] if r.random() < 0.3 else []
            msgs.append({"role": "user", "content": q})
            req = mk(model, msgs, r.choice([32000, 50000, 65536]), reasoning_effort="high")
            send(g, a, t, {"key": a.keys[0], "ip": ip_in(r, net) if net else home, "ua": ua}, req, int(lognorm(r, 700, 0.45)), effort_tokens(r, "high", 1.8))


def a_reseller_harvest(g):
    """Resellers whose ordinary end-user chat hides a few end users that harvest through them."""
    P = g.P
    for i in range(2):
        rng = g.R("resharv%d" % i)
        a = Acct(g, "reseller_with_harvesting_end_users", "attack", rng, group="reseller%d" % i)
        net = net24_cloud(rng)
        ips = [ip_in(rng, net) for _ in range(2)]
        ua = rng.choice([ua_js(rng), "Go-http-client/2.0"])
        a.new_key()
        tz = [7, -3][i]
        sty = (lambda u: "tg_%d" % (100000 + u * 37)) if i == 0 else (lambda u, i=i: "usr-" + hashlib.sha1(("rh%d:%d" % (i, u)).encode()).hexdigest()[:8])
        sysp = RESELLER_SYS[i]
        nus = rng.randint(700, 2200)
        reseller_end_user_traffic(g, a, rng, ips, ua, nus, tz, 170 * g.scale, sty, sysp)
        harv = [(0.2, 90), (0.35, 70), (0.6, 110)] if i == 0 else [(0.1, 80), (0.5, 100)]
        bad = []
        for j, (s, rate) in enumerate(harv):
            r = g.R("resharv%d_u%d" % (i, j))
            H = Harvest(P, r)
            user = sty(rng.randint(nus // 3, nus - 1))
            bad.append(user)
            for t in times_profile(r, g.f(s), g.T1, rate * g.scale, "flat", 0):
                req, want, reas = hreq(r, H, r.choice(["gpt-4o", "gpt-4.1-mini"]) if t < g.release else NEW_MODEL,
                                       sysp % (int((t - g.T0) // DAY) + 2) if "%" in sysp else sysp, cot=0.75, implicit=0.3, max_out=None, temp=0.8,
                                       user=user, stream=True, stream_options={"include_usage": True})
                send(g, a, t, {"key": rng.choice(a.keys), "ip": rng.choice(ips), "ua": ua}, req, want, reas)
        g.truth_users[a.id] = bad


def a_reward_harvest(g):
    """The model as a grader at scale over an endless stream of new answers (rubrics, scores, preferences)."""
    P = g.P
    for i in range(2):
        a = Acct(g, "reward_model_harvester", "attack", g.R("rw%d" % i), group="reward")
        r = a.rng
        H = Harvest(P, r)
        net = net24_cloud(r, ["aws", "hetzner"][i])
        ua = [ua_py(r), "python-requests/2.31.0"][i]
        for t in times_profile(r, g.f(0.08 + 0.3 * i), g.T1, r.uniform(170, 230) * g.scale, "flat", 0):
            inst = H.instruction(False)
            ans = P.answer_text(r, r.randint(80, 600))
            if r.random() < 0.4:
                ans = perturb_numbers(r, ans)
            mode = r.random()
            if i == 1 and mode < 0.3:
                msgs = [{"role": "system", "content": "Rate the response from 1 to 10. Output only the number."},
                        {"role": "user", "content": "Prompt: %s\n\nResponse: %s\n\nScore:" % (inst, ans)}]
                req = mk("gpt-4.1", msgs, 2, 0.0, logprobs=True, top_logprobs=10)
                want = 1
            elif mode < 0.65:
                rub = r.sample(["helpfulness", "correctness", "completeness", "harmlessness", "conciseness", "reasoning quality", "instruction following", "style"], 4)
                msgs = [{"role": "system", "content": "You are a strict grader. For each criterion explain your reasoning step by step, then give a 1-10 score. Finish with a JSON object of scores."},
                        {"role": "user", "content": "Criteria: %s\n\n[Question]\n%s\n\n[Answer]\n%s" % (", ".join(rub), inst, ans)}]
                req = mk("gpt-4.1", msgs, 1500, 0.0)
                want = int(lognorm(r, 480, 0.35))
            else:
                ans2 = P.answer_text(r, r.randint(80, 600))
                msgs = [{"role": "user", "content": "Which response is better? Think through the strengths and weaknesses of each in detail, then answer [[A]] or [[B]].\n\n"
                                                    "Question: %s\n\n[A]\n%s\n\n[B]\n%s" % (inst, ans, ans2)}]
                req = mk("gpt-4o", msgs, 1200, 0.0)
                want = int(lognorm(r, 380, 0.35))
            send(g, a, t, {"key": a.keys[0], "ip": ip_in(r, net), "ua": ua}, req, want)


def a_rejection_sampler(g):
    P = g.P
    for i in range(2):
        a = Acct(g, "rejection_sampling_harvester", "attack", g.R("rs%d" % i), group="rejection%d" % i)
        r = a.rng
        H = Harvest(P, r)
        net = net24_cloud(r, ["ovh", "tencent"][i])
        ua = ua_async_py(r)
        for t in times_profile(r, g.f(0.15 + 0.25 * i), g.T1, r.uniform(110, 150) * g.scale, "flat", 0):
            q, cat = H.any((0.6, 0.1, 0.3))
            q += "\n\n" + H.cot(0.2)
            lp = r.random() < 0.5
            req = mk("gpt-4o" if i == 0 else "gpt-4.1-mini", [{"role": "user", "content": q}], 2048, r.choice([0.9, 1.0, 1.1]), n=r.choice([4, 6, 8]),
                     logprobs=True if lp else None, top_logprobs=r.choice([10, 15, 20]) if lp else None)
            send(g, a, t, {"key": a.keys[0], "ip": ip_in(r, net), "ua": ua}, req, want_for(r, cat, 1.2))


def a_slow_low(g):
    """Slow, human-timed harvesters with decoy chat, browser UAs, daily paraphrased system prompts and changing CoT wording."""
    P = g.P
    for i, c in enumerate(["US", "DE", "JP"]):
        a = Acct(g, "slow_low_adaptive_harvester", "attack", g.R("sl%d" % i), group="slowlow%d" % i)
        r = a.rng
        H = Harvest(P, r)
        home = ip_resi(r, c)
        ua = r.choice(UA_BROWSER[:5])
        tz = COUNTRY_TZ[c] + (-2 if c == "US" else 0)
        for t in times_profile(r, g.f(r.uniform(0.0, 0.1)), g.T1, r.uniform(50, 90) * g.scale, "consumer", tz, 1.0):
            day = int((t - g.T0) // DAY)
            sysp = paraphrase(random.Random("%s:%d:%d" % (g.seed, i, day)), HARVEST_SYS[(i + day) % len(HARVEST_SYS)])
            cl = {"key": a.keys[0], "ip": home if r.random() < 0.9 else ip_resi(r, c), "ua": ua}
            if r.random() < 0.25:
                chat_session(g, a, t, cl, "gpt-4o-mini", r, {"stream": True, "follow": 0.3})
                continue
            model = r.choice(["gpt-4o", "gpt-4.1", "o4-mini" if t < g.release else NEW_MODEL])
            cotp = (day % 3) / 3.0
            req, want, reas = hreq(r, H, model, sysp, cot=0.7, implicit=cotp, max_out=r.choice([None, 4096, 8192]), temp=r.choice([None, 0.7, 1.0]),
                                   stream=True, stream_options={"include_usage": True})
            t2, ct = send(g, a, t, cl, req, want, reas)
            if ct and r.random() < 0.2:
                msgs = req["messages"] + [{"role": "assistant", "content": P.answer_text(r, min(ct, 1200))}, {"role": "user", "content": r.choice(FOLLOWUPS_HARVEST)}]
                req2 = dict(req, messages=msgs)
                send(g, a, t2 + lognorm(r, 50, 0.6), cl, req2, want, reas)


# --------------------------------------------------------------------------------------
# assembly
# --------------------------------------------------------------------------------------
def build_all(g):
    b_small_chat(g, 72)
    b_hobby_dev(g, 14)
    b_eval_harnesses(g)
    b_judges(g)
    b_synthetic_testdata(g, 3)
    b_batch_classifiers(g)
    b_batch_extraction(g)
    b_rag_support(g)
    b_coding_agents(g)
    b_translation(g)
    b_tutors(g)
    b_research(g)
    b_enterprise(g)
    b_resellers_clean(g)
    b_doc_summary(g)
    b_analytics_reasoning(g)
    b_agentic_workflow(g)
    b_code_review_bot(g)
    a_campaign_ramp(g)
    a_hydra_cloud(g)
    a_hydra_synced(g)
    a_hydra_split_source(g)
    a_multiturn(g)
    a_tool_traces(g)
    a_longctx_summary(g)
    a_code_review(g)
    a_reasoning_tokens(g)
    a_reseller_harvest(g)
    a_reward_harvest(g)
    a_rejection_sampler(g)
    a_slow_low(g)


NOISE_LINES = [b"upstream connect error or disconnect/reset before headers. reset reason: connection termination",
               b"2026/03/04 12:00:01 [warn] 1234#1234: *5678 an upstream response is buffered to a temporary file",
               b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
               b"Traceback (most recent call last):\n", b"\tat com.gateway.LogWriter.flush(LogWriter.java:88)", b"-", b"null", b"[]", b"42",
               b'"just a string"', b"{}", b"\x00\x00\x00\x00\x00\x00", b"ts=2026-03-05T10:00:00Z level=info msg=\"rotating log\"", b"\xef\xbb\xbf{\"ts\":"]


def make_malformed(g, rng, lines, count):
    """Replace-free insertion of varied bad lines near random positions (keeping ts order where a ts is present)."""
    out = []
    kinds = ["truncated", "noise", "no_account", "empty_account", "null_account", "wrong_types", "bad_utf8", "not_object", "concat", "request_string", "bad_ts"]
    for j in range(count):
        k = kinds[j % len(kinds)] if j < len(kinds) * 2 else rng.choice(kinds)
        for _ in range(20):  # base the bad line on a successful request, so every field is present to corrupt
            i = rng.randrange(len(lines))
            t, b = lines[i]
            if b'"status":200' in b[:400]:
                break
        if k == "truncated":
            nb = b[: rng.randint(10, max(11, len(b) - 2))]
        elif k == "noise":
            nb = rng.choice(NOISE_LINES).replace(b"\n", b" ")
        elif k in ("no_account", "empty_account", "null_account", "wrong_types", "request_string", "bad_ts"):
            d = json.loads(b)
            if k == "no_account":
                d.pop("account", None)
            elif k == "empty_account":
                d["account"] = ""
            elif k == "null_account":
                d["account"] = None
            elif k == "wrong_types":
                c = rng.randint(0, 2)
                if c == 0:
                    d["status"] = "OK"
                if c == 1:
                    d["usage"] = "n/a"
                if c == 2:
                    d["request"] = {"model": 5, "messages": "hello"}
            elif k == "request_string":
                d["request"] = json.dumps(d["request"])[:300]
            else:
                d["ts"] = rng.choice(["yesterday", "", "03/05/2026 10:00", None])
            nb = dumps(d)
        elif k == "bad_utf8":
            pos = b.find(b'"content":"')
            if pos < 0:
                pos = len(b) // 2
            else:
                pos += 11
            nb = b[:pos] + rng.choice([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xe2\x82"]) + b[pos:]
        elif k == "not_object":
            nb = b"[" + b + b"]"
        else:
            t2, b2 = lines[min(len(lines) - 1, i + 1)]
            nb = b + b2
        out.append((t, nb, k))
    # one oversized line (> 1 MiB) with a real account
    t, b = lines[rng.randrange(len(lines))]
    d = json.loads(b)
    d["request"]["messages"] = [{"role": "user", "content": "lorem ipsum dolor " * 65000}]
    out.append((t, dumps(d), "oversized"))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=61)
    ap.add_argument("--days", type=float, default=10.0)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--data", default="/work/shared/data")
    args = ap.parse_args()
    t_start = time.time()
    g = G(args.seed, args.days, args.scale, args.data)
    build_all(g)
    lines = g.lines
    lines.sort(key=lambda x: x[0])
    rng = random.Random("h6:%s:malformed" % args.seed)
    nbad = max(12, int(len(lines) * 0.003))
    bad = make_malformed(g, rng, lines, nbad)
    # merge: each bad line is placed right after a good line with the same or earlier ts
    allx = [(t, 0, b) for t, b in lines] + [(t, 1, b) for t, b, _ in bad]
    allx.sort(key=lambda x: (x[0], x[1]))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "traffic.jsonl"), "wb") as f:
        f.write(b"\n".join(x[2] for x in allx))
        f.write(b"\n")
    seen = [a for a in g.accts if a.n > 0]
    labels = {"accounts": {a.id: {"label": a.label, "persona": a.persona} for a in sorted(seen, key=lambda a: a.id)}}
    with open(os.path.join(args.out, "labels.json"), "w") as f:
        json.dump(labels, f, indent=1, sort_keys=True)
    truth = {"generator": "heldout_openai6", "seed": args.seed, "days": args.days, "scale": args.scale,
             "start": iso(g.T0), "end": iso(g.T1), "new_model": NEW_MODEL, "new_model_release": iso(g.release),
             "lines": len(allx), "good_lines": len(lines), "malformed_lines": len(bad),
             "malformed_kinds": {k: sum(1 for x in bad if x[2] == k) for k in sorted(set(x[2] for x in bad))},
             "campaigns": {k: v for k, v in sorted(g.campaigns.items())},
             "accounts": {a.id: {"label": a.label, "persona": a.persona, "group": a.group, "requests": a.n, "keys": len(a.keys),
                                 "first_seen": iso(a.first), "last_seen": iso(a.last),
                                 **({"harvesting_end_users": g.truth_users[a.id]} if a.id in g.truth_users else {})}
                          for a in sorted(seen, key=lambda a: a.id)}}
    with open(os.path.join(args.out, "truth_detail.json"), "w") as f:
        json.dump(truth, f, indent=1)
    npers = {}
    for a in seen:
        npers.setdefault((a.label, a.persona), [0, 0])
        npers[(a.label, a.persona)][0] += 1
        npers[(a.label, a.persona)][1] += a.n
    print("wrote %d lines (%d malformed), %d accounts (%d attack) in %.1fs" % (len(allx), len(bad), len(seen), sum(1 for a in seen if a.label == "attack"), time.time() - t_start), file=sys.stderr)
    for (lab, p), (na, nr) in sorted(npers.items()):
        print("  %-6s %-40s accounts=%3d requests=%7d" % (lab, p, na, nr), file=sys.stderr)


if __name__ == "__main__":
    main()
