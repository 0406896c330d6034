#!/usr/bin/env python3
"""heldout_nginx5 -- an independent, labelled traffic generator that writes nginx
`log_format ... escape=json` access lines (with $request_body) for an OpenAI-compatible
LLM API, for testing a distillation / harvesting detector on traffic it has never seen.

    python3 heldout_nginx5.py --out DIR --seed S [--days 4] [--scale 1.0] [--data /work/shared/data]

Writes DIR/traffic.jsonl (nginx lines in request-end order, a small share of broken
lines), DIR/labels.json ({"accounts": {"key:<hex>": {"label", "persona"}}}) and
DIR/keys_meta.json (customer and request counts per key; for analysis only).
Python 3 standard library only.
"""
import argparse
import bisect
import calendar
import csv
import gzip
import hashlib
import heapq
import hmac
import json
import math
import os
import random
import re
import sys
import time
from collections import defaultdict, deque

# ----------------------------------------------------------------------------- constants
HMAC_SECRET = b"sluice-default-key-secret"
HOST = "api.lumenai.dev"
SEC, MIN, HOUR, DAY = 1000, 60000, 3600000, 86400000
START_MS = calendar.timegm((2026, 4, 16, 0, 0, 0)) * 1000  # a Thursday, 00:00 UTC
M_PRO, M_FLASH, M_REASON, M_NEW = "lumen-2-pro", "lumen-2-flash", "lumen-2-reasoner", "lumen-3-pro"
SPEED = {M_PRO: 72.0, M_FLASH: 175.0, M_REASON: 58.0, M_NEW: 88.0}
UPSTREAMS = ["10.0.3.11:4000", "10.0.3.12:4000", "10.0.3.13:4000"]

# local-hour activity shapes (index = local hour)
BUSINESS = [.03, .02, .02, .02, .03, .05, .12, .30, .65, .92, 1.0, .95, .72, .88, 1.0, .95, .82, .58, .33, .22,
            .17, .12, .08, .05]
CONSUMER = [.38, .24, .14, .08, .06, .07, .12, .24, .38, .48, .56, .62, .68, .66, .64, .66, .72, .80, .90, 1.0,
            1.0, .94, .78, .56]
STUDENT = [.20, .10, .05, .03, .02, .03, .08, .22, .30, .25, .22, .25, .35, .45, .60, .80, .95, 1.0, .95, 1.0,
           1.0, .92, .70, .40]
DEVELOPER = [.12, .07, .04, .03, .03, .05, .10, .22, .50, .85, 1.0, .95, .70, .85, 1.0, .98, .90, .70, .45, .40,
             .45, .42, .30, .20]

SDK_ORDER = ["messages", "model", "audio", "frequency_penalty", "function_call", "functions", "logit_bias",
             "logprobs", "max_completion_tokens", "max_tokens", "metadata", "modalities", "n",
             "parallel_tool_calls", "prediction", "presence_penalty", "reasoning_effort", "response_format",
             "seed", "service_tier", "stop", "store", "stream", "stream_options", "temperature", "tool_choice",
             "tools", "top_logprobs", "top_p", "user"]
SDK_IDX = {k: i for i, k in enumerate(SDK_ORDER)}

# ----------------------------------------------------------------------------- address space
CIDR = {
    "aws": ["3.80.0.0/12", "44.192.0.0/11", "54.144.0.0/12", "18.208.0.0/13", "52.0.0.0/11", "34.192.0.0/10"],
    "gcp": ["34.64.0.0/10", "35.184.0.0/13", "104.154.0.0/15", "35.224.0.0/12"],
    "azure": ["20.36.0.0/14", "40.112.0.0/13", "52.224.0.0/11", "20.96.0.0/12"],
    "gha": ["20.57.0.0/16", "20.102.0.0/16", "172.176.0.0/14", "4.148.0.0/16"],
    "do": ["159.223.0.0/16", "164.92.0.0/16", "143.198.0.0/16", "137.184.0.0/16", "146.190.0.0/16"],
    "hetzner": ["5.161.0.0/16", "65.108.0.0/15", "135.181.0.0/16", "95.216.0.0/15", "116.202.0.0/16"],
    "ovh": ["51.75.0.0/16", "54.36.0.0/14", "141.94.0.0/16"],
    "alibaba": ["47.74.0.0/15", "8.209.0.0/16", "47.88.0.0/14"],
    "tencent": ["43.128.0.0/10", "129.226.0.0/16"],
    "campus": ["171.64.0.0/14", "128.2.0.0/16", "18.0.0.0/9", "128.32.0.0/16", "129.132.0.0/16"],
}
RESI = {  # (cidrs, tz offset hours)
    "us_e": (["73.0.0.0/8", "98.192.0.0/10", "24.0.0.0/12", "71.192.0.0/10", "108.0.0.0/11"], -4),
    "us_w": (["67.160.0.0/11", "76.0.0.0/10", "73.0.0.0/8", "99.0.0.0/10"], -7),
    "us_c": (["24.0.0.0/12", "68.0.0.0/11", "75.0.0.0/10"], -5),
    "de": (["84.128.0.0/10", "91.32.0.0/11", "79.192.0.0/10", "87.160.0.0/11"], 2),
    "uk": (["86.128.0.0/10", "81.96.0.0/11", "2.24.0.0/13", "92.0.0.0/10"], 1),
    "fr": (["90.0.0.0/9", "86.192.0.0/10", "2.0.0.0/12"], 2),
    "in": (["49.32.0.0/11", "117.192.0.0/10", "106.192.0.0/11", "157.32.0.0/12"], 5.5),
    "br": (["177.0.0.0/10", "189.0.0.0/11", "179.96.0.0/11"], -3),
    "jp": (["126.0.0.0/8", "60.64.0.0/11", "153.128.0.0/9"], 9),
    "kr": (["211.36.0.0/14", "121.128.0.0/10", "1.224.0.0/11"], 9),
    "sg": (["116.86.0.0/15", "118.200.0.0/13"], 8),
    "pl": (["83.0.0.0/11", "89.64.0.0/12"], 2),
    "ca": (["70.24.0.0/13", "142.112.0.0/12"], -4),
}
V6 = ["2601:{:x}:{:x}:{:x}", "2a02:810d:{:x}:{:x}", "2003:e6:{:x}:{:x}", "2a01:cb{:02x}:{:x}:{:x}",
      "2409:40f4:{:x}:{:x}"]


def _cidr(c):
    a, m = c.split("/")
    p = [int(x) for x in a.split(".")]
    base = (p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]
    return base, 32 - int(m)


def ip_from(r, cidr):
    base, bits = _cidr(cidr)
    v = base | r.randrange(1, (1 << bits) - 1)
    if v & 255 in (0, 255):
        v = (v & ~255) | r.randrange(2, 250)
    return "%d.%d.%d.%d" % (v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255)


def cloud_ip(r, prov):
    return ip_from(r, r.choice(CIDR[prov]))


def subnet24(r, prov):
    ip = cloud_ip(r, prov)
    return ip.rsplit(".", 1)[0]


def resi_ip(r, region):
    return ip_from(r, r.choice(RESI[region][0]))


def v6_prefix(r):
    f = r.choice(V6)
    n = f.count("{")
    return f.format(*[r.randrange(1, 0xffff) for _ in range(n)])


def v6_addr(r, prefix):
    return prefix + ":" + ":".join("%x" % r.randrange(1, 0xffff) for _ in range(4))


# ----------------------------------------------------------------------------- clients
def ser_py(b):
    return json.dumps(b)


def ser_compact(b):
    return json.dumps(b, ensure_ascii=False, separators=(",", ":"))


def ser_go(b):
    s = json.dumps(b, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def ser_pretty(b):
    return json.dumps(b, indent=2, ensure_ascii=False)


def ser_inline(b):
    return json.dumps(b, ensure_ascii=False)


H = "Host: %s\r\n" % HOST
HDRS = {
    "openai_py": H + "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nAccept: application/json\r\n"
                     "Content-Type: application/json\r\nX-Stainless-Lang: python\r\nX-Stainless-Package-Version: "
                     "1.54.4\r\nX-Stainless-OS: Linux\r\nX-Stainless-Arch: x64\r\nX-Stainless-Runtime: CPython\r\n"
                     "X-Stainless-Runtime-Version: 3.11.9\r\nX-Stainless-Async: false\r\n"
                     "x-stainless-retry-count: 0\r\nx-stainless-read-timeout: 600\r\n",
    "openai_js": H + "accept: application/json\r\ncontent-type: application/json\r\nx-stainless-lang: js\r\n"
                     "x-stainless-package-version: 4.77.0\r\nx-stainless-os: Linux\r\nx-stainless-arch: x64\r\n"
                     "x-stainless-runtime: node\r\nx-stainless-runtime-version: v20.11.1\r\n"
                     "x-stainless-retry-count: 0\r\naccept-encoding: gzip,deflate\r\nConnection: keep-alive\r\n",
    "httpx": H + "Accept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
                 "Content-Type: application/json\r\n",
    "requests": H + "Accept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\n"
                    "Content-Type: application/json\r\n",
    "aiohttp": H + "Accept: */*\r\nAccept-Encoding: gzip, deflate\r\nContent-Type: application/json\r\n",
    "curl": H + "Accept: */*\r\nContent-Type: application/json\r\n",
    "go": H + "Content-Type: application/json\r\nAccept-Encoding: gzip\r\n",
    "okhttp": H + "Content-Type: application/json; charset=utf-8\r\nAccept-Encoding: gzip\r\nConnection: Keep-Alive\r\n",
    "browser": H + "Connection: keep-alive\r\nsec-ch-ua-platform: \"Windows\"\r\nsec-ch-ua: \"Chromium\";v=\"124\", "
                   "\"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"\r\nsec-ch-ua-mobile: ?0\r\n"
                   "accept: application/json\r\ncontent-type: application/json\r\nOrigin: https://chatdesk.app\r\n"
                   "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: cors\r\nSec-Fetch-Dest: empty\r\n"
                   "Referer: https://chatdesk.app/\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n"
                   "Accept-Language: en-US,en;q=0.9\r\n",
    "postman": "Content-Type: application/json\r\nAccept: */*\r\nPostman-Token: 5b9c1a7e-0f3d-4c55-9c1e-"
               "0e3f5b2a7d11\r\n" + H + "Accept-Encoding: gzip, deflate, br\r\nConnection: keep-alive\r\n",
    "node": H + "content-type: application/json\r\naccept: */*\r\naccept-language: *\r\nsec-fetch-mode: cors\r\n"
                "accept-encoding: gzip, deflate\r\nconnection: keep-alive\r\n",
}
HDRLEN = {k: len(v.encode()) for k, v in HDRS.items()}

BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
]


class Prof:
    __slots__ = ("ua", "hdr", "ser", "order", "retries")

    def __init__(self, ua, fam, ser, order, retries):
        self.ua, self.hdr, self.ser, self.order, self.retries = ua, HDRLEN[fam], ser, order, retries


def prof(kind, v=None, r=None):
    """A client profile: user agent, header bytes, body serialisation, key order, SDK retries."""
    if kind == "openai_py":      # openai-python on httpx >= 0.28: compact UTF-8 bodies
        return Prof("OpenAI/Python %s" % (v or "1.58.1"), "openai_py", ser_compact, "sdk", 2)
    if kind == "openai_py_old":  # openai-python on httpx < 0.28: json.dumps defaults
        return Prof("OpenAI/Python %s" % (v or "1.40.6"), "openai_py", ser_py, "sdk", 2)
    if kind == "async_openai_py":
        return Prof("AsyncOpenAI/Python %s" % (v or "1.52.2"), "openai_py", ser_py, "sdk", 2)
    if kind == "openai_js":
        return Prof("OpenAI/JS %s" % (v or "4.77.0"), "openai_js", ser_compact, "user", 2)
    if kind == "httpx":
        return Prof("python-httpx/%s" % (v or "0.27.2"), "httpx", ser_py, "user", 0)
    if kind == "requests":
        return Prof("python-requests/%s" % (v or "2.31.0"), "requests", ser_py, "user", 0)
    if kind == "aiohttp":
        return Prof("Python/3.11 aiohttp/%s" % (v or "3.9.5"), "aiohttp", ser_py, "user", 0)
    if kind == "curl":
        return Prof("curl/%s" % (v or "8.5.0"), "curl", ser_pretty if (r and r.random() < .5) else ser_inline,
                    "user", 0)
    if kind == "go":
        return Prof("Go-http-client/1.1", "go", ser_go, "user", 0)
    if kind == "okhttp":
        return Prof("okhttp/%s" % (v or "4.12.0"), "okhttp", ser_compact, "user", 0)
    if kind == "browser":
        return Prof(v or BROWSER_UAS[0], "browser", ser_compact, "user", 0)
    if kind == "postman":
        return Prof("PostmanRuntime/%s" % (v or "7.39.0"), "postman", ser_pretty, "user", 0)
    if kind == "node":
        return Prof("node", "node", ser_compact, "user", 0)
    if kind == "custom":
        return Prof(v, "requests", ser_py, "user", 0)
    raise ValueError(kind)


# ----------------------------------------------------------------------------- text helpers
REASON_EN = [
    "Let's think step by step.", "Think step by step and show your full reasoning before the final answer.",
    "Explain your reasoning in detail, step by step, then give the final answer.",
    "Show all of your work and every intermediate step.",
    "Before answering, lay out your complete chain of thought.",
    "Walk me through your entire thought process, one step at a time.",
    "Reason carefully and explicitly through each step; do not skip any.",
    "Write out your reasoning inside <thinking></thinking> tags, then give the answer.",
    "First reason it through thoroughly, then state the answer on its own line.",
]
REASON_ML = [
    "Piensa paso a paso y muestra todo tu razonamiento.", "Réfléchis étape par étape et détaille ton raisonnement.",
    "Denke Schritt für Schritt und erkläre jeden Schritt ausführlich.", "请一步一步地思考，并写出完整的推理过程。",
    "ステップバイステップで考え、推論の過程をすべて示してください。", "Pense passo a passo e mostre todo o raciocínio.",
    "Рассуждай шаг за шагом и покажи весь ход решения.", "단계별로 생각하고 모든 추론 과정을 보여 주세요.",
]
REASON_SOFT = [
    "How would you get there? Please walk me through it.", "Can you explain how you arrive at that, in detail?",
    "Please be thorough and justify each part of your answer.", "Explain why, not just what.",
    "Go through it carefully so I can follow every step.",
]
LANGS = ["Spanish", "French", "German", "Portuguese", "Italian", "Japanese", "Chinese", "Korean", "Russian",
         "Turkish", "Vietnamese", "Indonesian", "Polish", "Dutch", "Hindi", "Arabic"]
CONSTRAINTS = ["use no more than 150 words", "include a concrete worked example", "use a markdown table somewhere",
               "address at least one common misconception", "end with a one-sentence summary",
               "use exactly three sections with headings", "include a short analogy a child would understand",
               "cite the relevant general principle for every claim", "mention one counter-argument",
               "give the answer first, then the justification", "avoid any jargon",
               "state your assumptions explicitly", "provide both a short and a long version"]
EVOL = [
    "{p}\n\nAdd this constraint to your answer: {c}.",
    "Rewrite the following task so that it requires multi-step reasoning, then solve your rewritten version.\n\n{p}",
    "{p}\n\nAnswer in {lang}.",
    "{p}\n\nExplain it twice: first for a complete beginner, then for an expert.",
    "Consider the following task carefully.\n\n{p}\n\nFirst list the key considerations, then reason through each one, then give your final answer.",
    "{p}\n\nGive at least three different approaches and compare their strengths and weaknesses.",
    "{p}\n\nAfter answering, critique your own answer and then give an improved final version.",
    "Task: {p}\nRequirements: be comprehensive; {c}.",
    "{p} Also explain the underlying principles in depth.",
    "Imagine you are a domain expert teaching a graduate seminar. {p}",
    "{p}\n\nThen generalise your answer: what changes if the situation were reversed?",
    "Here is a task.\n\"\"\"\n{p}\n\"\"\"\nSolve it, then explain every decision you made along the way.",
]
CODE_LANGS = ["Python", "JavaScript", "TypeScript", "Go", "Rust", "Java", "C++", "C#", "Kotlin", "Swift", "Ruby"]
CODE_TASKS = ["an LRU cache with O(1) get and put", "a thread-safe bounded blocking queue", "a trie with prefix search",
              "Dijkstra's shortest path on a weighted graph", "a token-bucket rate limiter", "an interval tree",
              "a tokenizer for a JSON subset", "a topological sort that reports cycles",
              "a binary min-heap without library heaps", "a parser for ISO-8601 durations",
              "union-find with path compression and union by rank", "a Bloom filter with a configurable error rate",
              "matrix exponentiation for Fibonacci numbers", "a backtracking sudoku solver",
              "a producer-consumer pipeline with back-pressure", "a consistent-hashing ring with virtual nodes",
              "an arithmetic expression evaluator with operator precedence", "run-length encoding and decoding",
              "a segment tree with range sums and point updates", "Knuth-Morris-Pratt substring search",
              "an A* path finder on a grid with obstacles", "a skip list", "a CSV parser that handles quoted fields",
              "a simple regular-expression matcher supporting . and *", "a least-frequently-used cache",
              "merge of k sorted linked lists", "an event emitter with once() and off()", "a ring buffer",
              "a debounce and a throttle function", "a retry helper with exponential backoff and jitter",
              "a sparse matrix multiply", "a B-tree insert", "Huffman coding", "the longest increasing subsequence",
              "edit distance with the actual edit script", "a minimal HTTP router with path parameters"]
CODE_EXTRAS = ["Include unit tests.", "Analyse the time and space complexity.", "Handle all edge cases and explain them.",
               "Add docstrings and type hints.", "Explain the design step by step before writing the code.",
               "Then give an alternative approach and compare the two.", "Make it production quality.",
               "Walk through an example execution trace."]
MATH_T = [
    "Find the number of positive integers n <= {N} such that n^2 + {a}n + {b} is divisible by {p}.",
    "A bag contains {r} red, {g} green and {b} blue marbles. Three marbles are drawn without replacement. What is the probability that all three have different colors?",
    "Solve for x: {a}x^2 - {b}x + {c} = 0. Give exact answers in simplest form.",
    "What is the remainder when {a}^{e} is divided by {m}?",
    "In how many ways can {n} people sit around a round table if two particular people refuse to sit next to each other?",
    "The sum of the first {n} terms of an arithmetic sequence is {S} and the common difference is {d}. Find the first term.",
    "Compute the sum of all positive divisors of {N}.",
    "A rectangle has perimeter {P} and area {A}. Find the length of its diagonal.",
    "Find the least positive integer k such that {a}k is congruent to {b} modulo {m}.",
    "How many lattice points lie strictly inside the triangle with vertices (0,0), ({a},0) and (0,{b})?",
    "A train leaves at {h}:00 travelling at {v1} km/h; a second train leaves the same station {d} hours later at {v2} km/h on the same track. When does the second train catch up?",
    "Let f(x) = {a}x^3 - {b}x + {c}. Find all local extrema of f and classify them.",
    "How many {n}-digit positive integers have digits that sum to {s}?",
    "A geometric series has first term {a} and sum to infinity {S}. Find the common ratio and the sum of the first {n} terms.",
    "Find the coefficient of x^{e} in the expansion of (1 + {a}x)^{n}.",
]


def fill_math(r):
    t = r.choice(MATH_T)
    vals = dict(N=r.randrange(50, 2000), a=r.randrange(2, 19), b=r.randrange(2, 40), p=r.choice([3, 5, 7, 11, 13]),
                r=r.randrange(2, 12), g=r.randrange(2, 12), c=r.randrange(1, 30), e=r.randrange(3, 60),
                m=r.randrange(5, 50), n=r.randrange(4, 12), S=r.randrange(60, 900), d=r.randrange(2, 9),
                P=r.randrange(20, 120), A=r.randrange(20, 400), h=r.randrange(6, 11), v1=r.randrange(50, 90),
                v2=r.randrange(95, 160), s=r.randrange(5, 25))
    return t.format(**vals)


NUM_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?!\w)")


def perturb_numbers(q, r):
    def rep(m):
        s = m.group(1)
        v = int(s.replace(",", ""))
        if v == 0:
            return s
        nv = max(1, v + r.choice([-2, -1, 1, 2, 3])) if v <= 12 else max(2, int(round(v * r.uniform(.6, 1.7))))
        return "{:,}".format(nv) if "," in s else str(nv)
    return NUM_RE.sub(rep, q)


def evolve(p, r, k=1):
    for _ in range(k):
        p = r.choice(EVOL).format(p=p, c=r.choice(CONSTRAINTS), lang=r.choice(LANGS))
    return p


def rand_hex(r, n):
    return "%0*x" % (n, r.getrandbits(4 * n))


def rand_uuid(r):
    h = rand_hex(r, 32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) & 3], h[17:20], h[20:32])


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def api_key(r):
    return "sk-" + "".join(r.choice(B64) for _ in range(22))


def poisson(r, lam):
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(r.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= r.random()
        if p <= L:
            return k
        k += 1


def lognorm(r, median, sigma):
    return median * math.exp(r.gauss(0, sigma))


class Zipf:
    def __init__(self, n, s=1.1):
        c, acc = [], 0.0
        for i in range(1, n + 1):
            acc += 1.0 / i ** s
            c.append(acc)
        self.c, self.n = c, n

    def __call__(self, r):
        return bisect.bisect_left(self.c, r.random() * self.c[-1])


# ----------------------------------------------------------------------------- corpora
class Corpus:
    def __init__(self, root):
        def jl(p):
            with open(os.path.join(root, p), encoding="utf-8") as f:
                return [json.loads(l) for l in f if l.strip()]
        self.gsm_test = [d["question"] for d in jl("gsm8k/test.jsonl")]
        tr = jl("gsm8k/train.jsonl")
        self.gsm_train = [d["question"] for d in tr]
        self.gsm_shots = [(d["question"], re.sub(r"<<[^>]*>>", "", d["answer"]).replace("#### ", "The answer is "))
                          for d in tr[:8]]
        with gzip.open(os.path.join(root, "human-eval/HumanEval.jsonl.gz"), "rt", encoding="utf-8") as f:
            self.he = [json.loads(l) for l in f if l.strip()]
        with open(os.path.join(root, "alpaca_eval/results/gpt4/model_outputs.json"), encoding="utf-8") as f:
            g4 = json.load(f)
        with open(os.path.join(root, "alpaca_eval/results/text_davinci_003/model_outputs.json"), encoding="utf-8") as f:
            dv = json.load(f)
        self.ae = [(x["instruction"], x["output"]) for x in g4]
        dvm = {x["instruction"]: x["output"] for x in dv}
        self.ae_pairs = [(i, o, dvm.get(i, "")) for i, o in self.ae]
        clf = open(os.path.join(root, "alpaca_eval/src/alpaca_eval/evaluators_configs/alpaca_eval_clf_gpt4_turbo/"
                                      "alpaca_eval_clf.txt"), encoding="utf-8").read()
        self.clf_sys = clf.split("<|im_start|>system\n")[1].split("<|im_end|>")[0].strip()
        self.clf_user = clf.split("<|im_start|>user\n")[1].split("<|im_end|>")[0]
        rk = open(os.path.join(root, "alpaca_eval/src/alpaca_eval/evaluators_configs/alpaca_eval_gpt4/"
                                     "alpaca_eval.txt"), encoding="utf-8").read()
        self.rank_sys = rk.split("<|im_start|>system\n")[1].split("<|im_end|>")[0].strip()
        self.rank_user = rk.split("<|im_start|>user\n")[1].split("<|im_end|>")[0]
        self.mt = jl("fastchat/mt_bench_question.jsonl")
        self.mt_ref = {d["question_id"]: d["choices"][0]["turns"] for d in jl("fastchat/mt_bench_reference_answer_gpt-4.jsonl")}
        self.vicuna = jl("fastchat/vicuna_bench_question.jsonl")
        self.judge = {d["name"]: d for d in jl("fastchat/judge_prompts.jsonl")}
        self.koala = [d["prompt"] for d in jl("koala-test-set/koala_test_set.jsonl")]
        with open(os.path.join(root, "awesome-chatgpt-prompts/prompts.csv"), encoding="utf-8") as f:
            self.awesome = [(d["act"], d["prompt"]) for d in csv.DictReader(f)]
        self.seeds = []
        for d in jl("self-instruct/seed_tasks.jsonl"):
            inst = d["instances"][0]
            self.seeds.append((d["instruction"], inst.get("input", ""), inst.get("output", "")))
        self.utasks = []
        for d in jl("self-instruct/user_oriented_instructions.jsonl"):
            inst = d["instances"][0]
            self.utasks.append((d["instruction"], inst.get("input", ""), d["motivation_app"]))
        t0d = os.path.join(root, "self-instruct/t0_train_50k_data_per_template")
        self.t0 = {}
        for fn in sorted(os.listdir(t0d)):
            if fn.endswith(".jsonl"):
                self.t0[fn[:-6]] = [d["prompt"] for d in jl(os.path.join("self-instruct/t0_train_50k_data_per_template", fn))]
        self.alpaca_meta = open(os.path.join(root, "stanford_alpaca/prompt.txt"), encoding="utf-8").read()
        self.hh = []
        with gzip.open(os.path.join(root, "hh-rlhf/harmless-base_test.jsonl.gz"), "rt", encoding="utf-8") as f:
            for l in f:
                if not l.strip():
                    continue
                parts = re.split(r"\n\n(Human|Assistant): ", json.loads(l)["chosen"])
                turns, h = [], None
                for i in range(1, len(parts) - 1, 2):
                    role, txt = parts[i], parts[i + 1].strip()
                    if role == "Human":
                        h = txt
                    elif h is not None:
                        turns.append((h, txt))
                        h = None
                if turns and turns[0][0]:
                    self.hh.append(turns)
        # derived pools
        self.hh_first = [d[0][0] for d in self.hh if len(d[0][0]) > 12]
        self.seed_prompts = [(i + ("\n\n" + x if x else "")) for i, x, _ in self.seeds]
        self.utask_prompts = [(i + ("\n\n" + x if x else "")) for i, x, _ in self.utasks]
        self.general = (self.koala + [q["turns"][0] for q in self.vicuna] + [i for i, _ in self.ae] +
                        self.seed_prompts + self.utask_prompts + [q["turns"][0] for q in self.mt] +
                        [p for _, p in self.awesome] + self.hh_first)
        code_re = re.compile(r"\b(python|code|function|program|sql|javascript|java|c\+\+|regex|algorithm|bash|"
                             r"script|compile|bug|api|html|css|class|array|json)\b", re.I)
        self.code_general = [p for p in (self.koala + self.seed_prompts + self.utask_prompts +
                                         [q["turns"][0] for q in self.mt if q["category"] == "coding"] +
                                         [q["turns"][0] for q in self.vicuna if q["category"] == "coding"] +
                                         [i for i, _ in self.ae]) if code_re.search(p)]
        self.chunks = []
        for _, o in self.ae:
            for para in o.split("\n\n"):
                if len(para) > 220:
                    self.chunks.append(para[:1200])
        self.outputs = [o for _, o in self.ae if len(o) > 300]
        self.reviews = []
        for p in self.t0.get("amazon_polarity_Is_this_review", []):
            m = re.match(r"Title: (.*)\nReview: (.*)\nIs the review", p, re.S)
            if m:
                self.reviews.append((m.group(1), m.group(2)))
        self.app_reviews = []
        for p in self.t0.get("app_reviews_convert_to_star_rating", []):
            m = re.search(r'"(.*)"\s*$', p, re.S)
            if m:
                self.app_reviews.append(m.group(1))
        self.news = [p.split("\nIs this a piece of news")[0] for p in self.t0.get("ag_news_classify_with_choices", [])]
        self.trec = [p.split("\n\n", 1)[1].strip() for p in self.t0.get("trec_fine_grained_open", []) if "\n\n" in p]

    def filler(self, r, n=None):
        o = r.choice(self.outputs)
        if n and len(o) > n:
            o = o[:n].rsplit(" ", 1)[0]
        return o


# ----------------------------------------------------------------------------- events
class Ev:
    __slots__ = ("t", "tok", "auth", "ip", "xff", "ua", "hdr", "method", "uri", "body", "model", "stream", "n",
                 "lpk", "lp", "ctoks", "bpt", "tool", "status", "lat", "ttft", "retries", "rl", "usage", "seq",
                 "end", "special", "bad_utf8", "upstream")

    def clone(self):
        e = Ev()
        for s in Ev.__slots__:
            setattr(e, s, getattr(self, s, None))
        return e


TOK_KIND = {  # median completion tokens, sigma
    "chat": (230, .75), "chat_short": (70, .6), "cot": (380, .45), "cot_long": (950, .5), "reason_full": (1500, .5),
    "code": (420, .55), "code_long": (950, .45), "rag": (180, .5), "judge_expl": (210, .35), "rank": (48, .15),
    "classify": (2, .35), "extract": (80, .5), "summary": (150, .35), "blog": (1600, .22), "list20": (1900, .18),
    "tool": (70, .6), "final": (170, .6), "ok": (1, 0.0), "chat_long": (520, .5),
}


class Ctx:
    def __init__(self, seed, days, scale, corpus):
        self.seed, self.days, self.scale, self.C = seed, days, scale, corpus
        self.t0, self.t1 = START_MS, START_MS + int(days * DAY)
        self.release = START_MS + DAY + 17 * HOUR if days >= 2 else START_MS + int(days * DAY * .6)
        self.events, self.raw = [], []
        self.labels, self.meta = {}, {}
        self.rpm = {}
        self.r = random.Random("%s:init" % seed)
        self.seq = 0
        self.persona = None

    def begin(self, name):
        self.r = random.Random("%s:%s" % (self.seed, name))
        return self.r

    def S(self, x):
        return x * self.scale

    def key(self, persona, label, customer, rpm=600):
        tok = api_key(self.r)
        aid = "key:" + hmac.new(HMAC_SECRET, tok.encode(), hashlib.sha256).digest()[:16].hex()
        self.labels[aid] = {"label": label, "persona": persona}
        self.meta[aid] = {"customer": customer, "persona": persona, "label": label}
        self.rpm[tok] = rpm
        return tok

    def label_token(self, tok, persona, label, customer):
        aid = "key:" + hmac.new(HMAC_SECRET, tok.encode(), hashlib.sha256).digest()[:16].hex()
        self.labels[aid] = {"label": label, "persona": persona}
        self.meta[aid] = {"customer": customer, "persona": persona, "label": label}

    def newmodel(self, t, lag_h=0.0, share=1.0, old=M_PRO):
        if t >= self.release + lag_h * HOUR and self.r.random() < share:
            return M_NEW
        return old

    # arrivals: non-homogeneous Poisson in hour buckets
    def arrivals(self, per_hour, shape=None, tz=0.0, weekend=1.0, floor=0.0, t0=None, t1=None):
        r = self.r
        t0 = self.t0 if t0 is None else max(t0, self.t0)
        t1 = self.t1 if t1 is None else min(t1, self.t1)
        out = []
        h = t0 - (t0 % HOUR)
        while h < t1:
            loc = h + int(tz * HOUR)
            lh = (loc // HOUR) % 24
            w = 1.0 if shape is None else floor + (1 - floor) * shape[lh]
            if weekend != 1.0 and ((loc // DAY) + 3) % 7 >= 5:
                w *= weekend
            for _ in range(poisson(r, per_hour * w * self.scale)):
                t = h + r.randrange(HOUR)
                if t0 <= t < t1:
                    out.append(t)
            h += HOUR
        out.sort()
        return out

    def is_weekend(self, t, tz):
        return (((t + int(tz * HOUR)) // DAY) + 3) % 7 >= 5

    def local_day_start(self, t, tz):
        loc = t + int(tz * HOUR)
        return loc - loc % DAY - int(tz * HOUR)

    def pool(self, t0, items, conc, fn, gap=(5, 400)):
        r = self.r
        heap = [(t0 + r.randrange(0, 3000), w) for w in range(conc)]
        heapq.heapify(heap)
        last = t0
        for it in items:
            t, w = heapq.heappop(heap)
            if t >= self.t1:
                break
            lat = fn(t, it)
            nt = t + lat + r.randrange(*gap)
            last = max(last, nt)
            heapq.heappush(heap, (nt, w))
        return last

    # the central request constructor
    def chat(self, t, tok, ip, pf, model, messages, params=None, kind="chat", ctoks=None, bpt=4.2, tool=False,
             xff="", status=None, rl=True, reasoning_s=0.0, auth=None):
        r = self.r
        if t < self.t0 or t >= self.t1:
            return 0
        params = params or {}
        if pf.order == "sdk":
            b = {"messages": messages, "model": model}
            for k in sorted(params, key=lambda k: SDK_IDX.get(k, 99)):
                b[k] = params[k]
        else:
            b = {"model": model, "messages": messages}
            b.update(params)
        body = pf.ser(b)
        mt = params.get("max_tokens") or params.get("max_completion_tokens")
        if ctoks is None:
            med, sg = TOK_KIND[kind]
            ctoks = max(1, int(lognorm(r, med, sg))) if sg else med
        if mt:
            ctoks = min(ctoks, mt)
        n = params.get("n", 1) or 1
        stream = bool(params.get("stream"))
        lpk = params.get("top_logprobs", 0) if params.get("logprobs") else -1
        e = Ev()
        e.t, e.tok, e.ip, e.xff, e.ua, e.hdr = t, tok, ip, xff, pf.ua, pf.hdr
        e.auth = ("Bearer " + tok) if auth is None else auth
        e.method, e.uri, e.body, e.model, e.stream, e.n, e.lpk = "POST", "/v1/chat/completions", body, model, stream, n, lpk
        e.ctoks, e.bpt, e.tool, e.status, e.retries, e.rl = ctoks, bpt, tool, status, pf.retries, rl
        e.usage = bool(params.get("stream_options"))
        e.special, e.bad_utf8, e.upstream = None, False, None
        speed = SPEED.get(model, 70.0) * r.uniform(.7, 1.25)
        ttft = r.uniform(.22, .85) + len(body) / 350000.0 + reasoning_s * r.uniform(.5, 1.5)
        if model == M_REASON and not reasoning_s:
            ttft += r.uniform(2, 25)
        gen = ctoks * (1 + .12 * (n - 1)) / speed
        if status in (400, 401, 404, 422):
            e.lat, e.ttft = r.randrange(4, 60), 0
        else:
            e.lat = int((ttft + gen) * 1000)
            e.ttft = int(ttft * 1000)
        e.seq = self.seq
        self.seq += 1
        self.events.append(e)
        return e.lat

    def other(self, t, method, uri, ip, ua, auth="", status=200, body_bytes=None, body="", upstream=True,
              tok=None, lat=None):
        if t < self.t0 or t >= self.t1:
            return
        r = self.r
        e = Ev()
        e.t, e.tok, e.ip, e.xff, e.ua, e.hdr = t, tok, ip, "", ua, HDRLEN["curl"]
        e.auth, e.method, e.uri, e.body, e.model, e.stream, e.n, e.lpk = auth, method, uri, body, "", False, 1, -1
        e.ctoks, e.bpt, e.tool, e.status, e.retries, e.rl, e.usage = 0, 4.0, False, status, 0, False, False
        e.special = (body_bytes, upstream)
        e.bad_utf8, e.upstream = False, None
        e.lat = lat if lat is not None else r.randrange(1, 40)
        e.ttft = e.lat
        e.seq = self.seq
        self.seq += 1
        self.events.append(e)


# ----------------------------------------------------------------------------- shared persona helpers
def msg(role, content):
    return {"role": role, "content": content}


def date_str(t):
    return time.strftime("%Y-%m-%d", time.gmtime(t // 1000))


def agent_tools():
    def fn(name, desc, props, req):
        return {"type": "function", "function": {"name": name, "description": desc, "parameters": {
            "type": "object", "properties": props, "required": req}}}
    s = {"type": "string"}
    return [fn("list_dir", "List files in a directory of the workspace.", {"path": s}, ["path"]),
            fn("read_file", "Read a file from the workspace.", {"path": s}, ["path"]),
            fn("write_file", "Create or overwrite a file with new content.", {"path": s, "content": s}, ["path", "content"]),
            fn("run_command", "Run a shell command in the workspace and return stdout/stderr.", {"command": s}, ["command"]),
            fn("search_code", "Search the repository for a regular expression.", {"pattern": s}, ["pattern"])]


AGENT_SYS = ("You are an autonomous software engineering agent operating inside the user's repository. You can call "
             "tools to list directories, read and write files, search code and run shell commands. Work in small, "
             "verifiable steps: inspect the relevant files before editing, keep changes minimal, run the test suite "
             "after every change, and never fabricate tool output. When the task is complete, reply with a short "
             "summary of what you changed and why. Follow the repository's existing style. Do not modify files "
             "outside the workspace. If a command fails, read the error carefully and fix the root cause rather than "
             "the symptom.\n\nEnvironment: Linux, Python 3.11, pytest 8.1, git 2.43. The workspace root is /workspace.")


def harvest_pool(C, r, kinds=("general", "math", "code"), weights=(5, 3, 2)):
    """An endless, shuffled stream of base prompts drawn from several corpora."""
    pools = {"general": list(C.general), "math": list(C.gsm_train), "code": [h["prompt"] for h in C.he] + list(C.code_general)}
    for p in pools.values():
        r.shuffle(p)
    idx = {k: 0 for k in pools}
    while True:
        k = r.choices(kinds, weights)[0]
        p = pools[k]
        i = idx[k]
        idx[k] += 1
        base = p[i % len(p)]
        lap = i // len(p)
        yield k, base, lap


def harvest_text(C, r, kind, base, lap, style="plain"):
    """Make a (new) prompt from a base prompt; on later laps always mutate so prompts don't repeat."""
    if kind == "math":
        q = perturb_numbers(base, r) if (lap > 0 or r.random() < .5) else base
        if r.random() < .2:
            q = fill_math(r)
        return q
    if kind == "code":
        if base.lstrip().startswith(("from ", "def ", "import ")):
            if r.random() < .5:
                return "Complete the following Python function.\n\n```python\n%s```" % base
            return ("Implement this in %s instead of Python, keeping the same behaviour:\n\n```python\n%s```"
                    % (r.choice(CODE_LANGS), base))
        if r.random() < .45 or lap > 0:
            return "Implement %s in %s. %s %s" % (r.choice(CODE_TASKS), r.choice(CODE_LANGS), r.choice(CODE_EXTRAS),
                                                 r.choice(CODE_EXTRAS))
        return base
    if lap > 0 or r.random() < .55:
        return evolve(base, r, 1 + (lap > 1))
    return base


# ============================================================================= BENIGN personas
def p_eval_nightly(ctx):
    r = ctx.begin("eval_nightly")
    C = ctx.C
    persona = "eval_harness_nightly"
    ci = ctx.key(persona, "benign", "evalops", rpm=400)
    adhoc = ctx.key(persona, "benign", "evalops", rpm=180)
    pf = prof("openai_py", "1.42.0")
    shots = "".join("Question: %s\nAnswer: %s\n\n" % (q, a) for q, a in C.gsm_shots)
    subset = list(range(len(C.gsm_test)))
    random.Random(7).shuffle(subset)
    subset = sorted(subset[:500])

    def gsm(tok, ip, model):
        def f(t, i):
            return ctx.chat(t, tok, ip, pf, model, [msg("user", shots + "Question: %s\nAnswer:" % C.gsm_test[i])],
                            {"temperature": 0, "max_tokens": 512, "stop": ["Question:", "</s>", "<|im_end|>"]},
                            kind="cot")
        return f

    def he(tok, ip, model):
        def f(t, h):
            return ctx.chat(t, tok, ip, pf, model, [msg("system", "You are an expert Python programmer. Complete the function. Return only code."),
                                                    msg("user", "Complete the following Python code:\n```python\n%s```" % h["prompt"])],
                            {"n": 5, "temperature": 0.8, "top_p": 0.95, "max_tokens": 512}, kind="code", bpt=3.6)
        return f

    d = 0
    while ctx.t0 + d * DAY < ctx.t1:
        t = ctx.t0 + d * DAY + HOUR + r.randrange(0, 20 * MIN)
        ip = cloud_ip(r, "gha")
        models = [M_PRO] + ([M_NEW] if t > ctx.release else [])
        for m in models:
            t = ctx.pool(t, subset, 8, gsm(ci, ip, m))
            t = ctx.pool(t + r.randrange(MIN, 5 * MIN), C.he, 8, he(ci, ip, m))
        d += 1
    # release evening: a full ad-hoc run on the new model from a fixed VM (rides the 150 rpm limit)
    ip = cloud_ip(r, "gcp")
    t = ctx.release + int(r.uniform(1.0, 2.5) * HOUR)
    t = ctx.pool(t, list(range(len(C.gsm_test))), 16, lambda t, i: gsm(adhoc, ip, M_NEW)(t, i))
    t = ctx.pool(t + 10 * MIN, C.he, 16, he(adhoc, ip, M_NEW))
    # and a comparison on the flash model next morning
    t = max(t, ctx.release + 15 * HOUR)
    ctx.pool(t, subset[:250], 8, gsm(adhoc, ip, M_FLASH))


def p_benchmark_lab(ctx):
    r = ctx.begin("benchmark_lab")
    C = ctx.C
    persona = "eval_benchmark_lab"
    tok = ctx.key(persona, "benign", "benchlab-university", rpm=200)
    pf = prof("openai_py_old", "1.35.3")
    base = ip_from(r, "171.64.68.0/24")
    ip = base
    temps = {"writing": .7, "roleplay": .7, "extraction": 0.0, "math": 0.0, "coding": 0.0, "reasoning": 0.0,
             "stem": .1, "humanities": .1}

    def mt_run(t, model):
        def f(t, q):
            ans = C.mt_ref.get(q["question_id"], [None])[0] or C.filler(r, 1500)
            lat = ctx.chat(t, tok, ip, pf, model, [msg("user", q["turns"][0])],
                           {"temperature": temps[q["category"]], "max_tokens": 1024}, kind="chat_long")
            t2 = t + lat + r.randrange(50, 500)
            lat2 = ctx.chat(t2, tok, ip, pf, model, [msg("user", q["turns"][0]), msg("assistant", ans),
                                                     msg("user", q["turns"][1])],
                            {"temperature": temps[q["category"]], "max_tokens": 1024}, kind="chat")
            return lat + lat2 + 400
        return ctx.pool(t, C.mt, 4, f)

    def ae_run(t, model, items, sysmsg=None):
        def f(t, it):
            m = [msg("user", it[0])]
            if sysmsg:
                m.insert(0, msg("system", sysmsg))
            return ctx.chat(t, tok, ip, pf, model, m, {"temperature": 0.7, "max_tokens": 2048}, kind="chat_long")
        return ctx.pool(t, items, 6, f)

    def vic_run(t, model):
        return ctx.pool(t, C.vicuna, 4, lambda t, q: ctx.chat(t, tok, ip, pf, model, [msg("user", q["turns"][0])],
                                                                {"temperature": 0.7, "max_tokens": 1024}, kind="chat_long"))
    tz = -7
    d0 = ctx.local_day_start(ctx.t0, tz) + DAY
    t = d0 + 10 * HOUR + r.randrange(0, HOUR)         # Thu 10:00 PT
    t = mt_run(t, M_PRO)
    t = mt_run(t + 20 * MIN, M_FLASH)
    t = vic_run(t + 5 * MIN, M_PRO)
    t = ae_run(d0 + 14 * HOUR + r.randrange(HOUR), M_PRO, C.ae)
    if ctx.release < ctx.t1:
        t = max(ctx.release + 14 * HOUR, t)
        t = mt_run(t, M_NEW)
        t = ae_run(t + 30 * MIN, M_NEW, C.ae)
        t = vic_run(t + 5 * MIN, M_NEW)
    # Sunday: ablation, 120 fixed prompts with and without a system prompt, re-run on two models
    sub = C.ae[:120]
    t = d0 + 3 * DAY + 11 * HOUR
    for m in (M_PRO, M_NEW):
        t = ae_run(t, m, sub, None)
        t = ae_run(t + 5 * MIN, m, sub, "You are a helpful, honest and concise assistant.")


def p_ci_regression(ctx):
    r = ctx.begin("ci_regression")
    C = ctx.C
    tok = ctx.key("eval_ci_regression", "benign", "acme-qa", rpm=300)
    pf = prof("httpx", "0.27.0")
    ip = cloud_ip(r, "aws")
    suite = [C.utask_prompts[i] for i in range(0, 252, 6)] + C.koala[:18]
    t = ctx.t0 + 15 * MIN
    while t < ctx.t1:
        ctx.pool(t + r.randrange(0, 40 * SEC), suite, 4,
                 lambda t, p: ctx.chat(t, tok, ip, pf, M_PRO, [msg("system", "You are the Acme assistant."), msg("user", p)],
                                       {"temperature": 0, "max_tokens": 800, "seed": 1234}, kind="chat"))
        t += 3 * HOUR


def p_judge_alpaca(ctx):
    r = ctx.begin("judge_alpaca")
    C = ctx.C
    tok = ctx.key("llm_judge_alpaca_eval", "benign", "leaderboard-org", rpm=600)
    pf = prof("openai_py_old", "1.35.10")
    ip = cloud_ip(r, "aws")

    def f(t, it):
        ins, a, b = it
        if r.random() < .5:
            a, b = b, a
        u = C.clf_user.replace("{instruction}", ins).replace("{output_1}", a).replace("{output_2}", b)
        return ctx.chat(t, tok, ip, pf, "lumen-2-pro", [msg("system", C.clf_sys), msg("user", u)],
                        {"logprobs": True, "max_tokens": 1, "temperature": 1, "top_logprobs": 5}, kind="ok")
    t = ctx.t0 + 14 * HOUR + r.randrange(HOUR)
    t = ctx.pool(t, C.ae_pairs, 8, f)
    if ctx.release < ctx.t1:
        t = ctx.pool(max(t, ctx.release + 26 * HOUR), C.ae_pairs, 8, f)
        # a rerun of failed / disputed items
        ctx.pool(t + 2 * HOUR, r.sample(C.ae_pairs, 200), 4, f)
    # rank-style template for a handful of spot checks
    ctx.pool(ctx.t0 + DAY + 9 * HOUR, C.ae_pairs[:60], 2, lambda t, it: ctx.chat(
        t, tok, ip, pf, M_PRO, [msg("system", C.rank_sys), msg("user", C.rank_user.replace("{instruction}", it[0])
                                                             .replace("{output_1}", it[1]).replace("{output_2}", it[2]))],
        {"max_tokens": 100, "temperature": 0}, kind="rank"))


def p_judge_mt(ctx):
    r = ctx.begin("judge_mt")
    C = ctx.C
    tok = ctx.key("llm_judge_mt_bench", "benign", "fastchat-judge", rpm=300)
    pf = prof("openai_py_old", "1.35.3")
    ip = ip_from(r, "128.32.100.0/24")
    s1, sm, pw = C.judge["single-v1"], C.judge["single-math-v1"], C.judge["pair-v2"]

    def f(t, it):
        q, model_tag = it
        ref = C.mt_ref.get(q["question_id"])
        ans = C.filler(r, 1800)
        if ref and q["category"] in ("math", "reasoning", "coding"):
            u = sm["prompt_template"].format(question=q["turns"][0], answer=ans, ref_answer_1=ref[0])
            sp = sm["system_prompt"]
        else:
            u = s1["prompt_template"].format(question=q["turns"][0], answer=ans)
            sp = s1["system_prompt"]
        return ctx.chat(t, tok, ip, pf, M_PRO, [msg("system", sp), msg("user", u)],
                        {"temperature": 0, "max_tokens": 2048}, kind="judge_expl")

    def g(t, q):
        u = pw["prompt_template"].format(question=q["turns"][0], answer_a=C.filler(r, 1500), answer_b=C.filler(r, 1500))
        return ctx.chat(t, tok, ip, pf, M_PRO, [msg("system", pw["system_prompt"]), msg("user", u)],
                        {"temperature": 0, "max_tokens": 2048}, kind="judge_expl")
    for day, models in ((1, ["m-a", "m-b", "m-c"]), (3, ["m-d", "m-e"])):
        t = ctx.t0 + day * DAY + 16 * HOUR + r.randrange(HOUR)
        t = ctx.pool(t, [(q, m) for m in models for q in C.mt], 4, f)
        ctx.pool(t + 10 * MIN, C.mt * (len(models) - 1), 4, g)


def p_support_grader(ctx):
    r = ctx.begin("support_grader")
    C = ctx.C
    tok = ctx.key("llm_judge_support_qa", "benign", "helpdesk-analytics", rpm=300)
    pf = prof("openai_py", "1.59.6")
    ip = cloud_ip(r, "azure")
    sysm = "You are a QA reviewer for customer-support conversations. Be strict and consistent."
    for t in ctx.arrivals(45, BUSINESS, tz=-5, weekend=0.05):
        q = r.choice(C.hh_first + C.koala)
        a = C.filler(r, 900)
        u = ("Conversation:\nCustomer: %s\nAgent: %s\n\nRate the agent's reply from 1 to 5 on accuracy, tone and "
             "completeness. Respond in JSON: {\"accuracy\": n, \"tone\": n, \"completeness\": n, \"comment\": \"...\"}" % (q, a))
        ctx.chat(t, tok, ip, pf, M_FLASH, [msg("system", sysm), msg("user", u)],
                 {"max_tokens": 150, "response_format": {"type": "json_object"}, "temperature": 0}, kind="extract")


def p_sentiment(ctx):
    r = ctx.begin("sentiment_classifier")
    C = ctx.C
    tok = ctx.key("batch_classifier_sentiment", "benign", "reviewradar", rpm=600)
    pf = prof("httpx", "0.27.2")
    ips = [cloud_ip(r, "aws") for _ in range(2)]

    def review():
        a, b = r.choice(C.reviews), r.choice(C.reviews)
        sa, sb = a[1].split(". "), b[1].split(". ")
        body = ". ".join(sa[:max(1, len(sa) // 2)] + sb[len(sb) // 2:])
        return a[0] if r.random() < .6 else b[0], body
    for t in ctx.arrivals(56, CONSUMER, tz=-4, floor=.45):
        if r.random() < .7:
            ti, bo = review()
            p = "Title: %s\nReview: %s\nIs the review positive or negative?\n" % (ti, bo)
        else:
            x, y = r.choice(C.app_reviews), r.choice(C.app_reviews)
            txt = x if r.random() < .5 else (x.split(". ")[0] + ". " + y)
            p = ('What would be the \u2605-rating of this review (\u2605 being the lowest and \u2605\u2605\u2605\u2605\u2605 '
                 'being the highest)? "%s"\n' % txt)
        ctx.chat(t, tok, r.choice(ips), pf, M_FLASH, [msg("user", p)], {"max_tokens": 3, "temperature": 0},
                 kind="classify")


def p_news_tagger(ctx):
    r = ctx.begin("news_tagger")
    C = ctx.C
    tok = ctx.key("batch_classifier_news_cron", "benign", "newsdesk", rpm=120)
    pf = prof("go")
    ip = cloud_ip(r, "gcp")
    t = ctx.t0 + 5 * MIN
    while t < ctx.t1:
        k = int(r.randrange(20, 38) * ctx.scale)
        items = []
        for _ in range(k):
            if r.random() < .75:
                a, b = r.choice(C.news), r.choice(C.news)
                txt = a.split(" - ")[0] + " - " + (b.split(" - ", 1)[1] if " - " in b else b)
                items.append("%s \nIs this a piece of news regarding world politics, sports, business, or science and "
                             "technology?\n" % txt)
            else:
                items.append("What is this question asking for?\n\n%s\n" % r.choice(C.trec))
        ctx.pool(t + r.randrange(0, 30 * SEC), items, 4, lambda t, p: ctx.chat(
            t, tok, ip, pf, M_FLASH, [msg("user", p)], {"max_tokens": 5, "temperature": 0}, kind="classify"))
        t += HOUR


def p_extraction(ctx):
    r = ctx.begin("extraction")
    C = ctx.C
    persona = "batch_extraction_jobs"
    prod = ctx.key(persona, "benign", "dataextract", rpm=300)
    back = ctx.key(persona, "benign", "dataextract", rpm=300)
    pf = prof("openai_py", "1.50.2")
    ip = cloud_ip(r, "azure")
    src = (C.t0["wiki_bio_key_content"] + C.t0["adversarial_qa_dbert_based_on"] +
           C.t0["kilt_tasks_hotpotqa_straighforward_qa"])

    def f(tok):
        def g(t, p):
            params = {"max_tokens": 256, "temperature": 0}
            if "key details" in p:
                params["response_format"] = {"type": "json_object"}
                p = p + "\nReturn the details as a JSON object."
            return ctx.chat(t, tok, ip, pf, M_FLASH, [msg("user", p)], params, kind="extract")
        return g
    d = 0
    while ctx.t0 + d * DAY < ctx.t1:
        items = [r.choice(src) for _ in range(int(400 * ctx.scale))]
        ctx.pool(ctx.t0 + d * DAY + 7 * HOUR + r.randrange(20 * MIN), items, 4, f(prod))
        d += 1
    items = list(src) * 3
    r.shuffle(items)
    ctx.pool(ctx.t0 + DAY + 13 * HOUR, items[:int(1500 * ctx.scale)], 6, f(back))


def p_rag(ctx):
    C = ctx.C
    specs = [("rag_helpdesk_acme", "acme-support", -5, 130, BUSINESS, .25, True, 2, "aws", 1500, "openai_js"),
             ("rag_legal_docs", "lexsearch", 1, 28, BUSINESS, .05, False, 1, "azure", 300, "openai_py"),
             ("rag_internal_wiki", "infra-wiki-bot", 5.5, 40, BUSINESS, .1, True, 1, "gcp", 600, "httpx")]
    for persona, cust, tz, rate, shape, wk, stream, nkeys, prov, nusers, cl in specs:
        r = ctx.begin(persona)
        keys = [ctx.key(persona, "benign", cust, rpm=600) for _ in range(nkeys)]
        pf = prof(cl)
        sub = subnet24(r, prov)
        ips = ["%s.%d" % (sub, r.randrange(10, 250)) for _ in range(3)]
        company = cust.split("-")[0].capitalize()
        sysm = ("You are %s's assistant. Answer the user's question using only the context documents below. If the "
                "answer is not in the context, say you don't know. Cite sources as [doc N]. Keep answers under 250 "
                "words." % company)
        zipf = Zipf(nusers, 1.05)
        users = ["%s-u-%05d" % (cust[:4], r.randrange(100000)) for _ in range(nusers)]
        questions = C.koala + [q["turns"][0] for q in C.vicuna] + C.hh_first[:800] + C.utask_prompts
        nch = 5 if persona == "rag_legal_docs" else 3

        def ctxdocs():
            return "\n\n".join("[doc %d] %s" % (i + 1, r.choice(C.chunks)) for i in range(nch))
        for t in ctx.arrivals(rate, shape, tz=tz, weekend=wk):
            u = users[zipf(r)]
            q = r.choice(questions)
            m = [msg("system", sysm + "\n\nContext:\n" + ctxdocs()), msg("user", q)]
            params = {"temperature": 0.2, "max_tokens": 800 if nch == 5 else 500, "user": u}
            if stream:
                params["stream"] = True
            lat = ctx.chat(t, keys[0], r.choice(ips), pf, M_PRO if nch == 5 else M_FLASH, m, params, kind="rag")
            if r.random() < .22:  # follow-up in the same session
                m += [msg("assistant", C.filler(r, 700)), msg("user", r.choice(
                    ["Can you give more detail on the second point?", "Where is that documented?", "thanks. and what about pricing?",
                     "That didn't work, any other ideas?", "Can you summarise that in two sentences?"]))]
                ctx.chat(t + lat + int(lognorm(r, 40, .6) * SEC), keys[0], r.choice(ips), pf,
                         M_PRO if nch == 5 else M_FLASH, m, params, kind="rag")
        if nkeys > 1:  # staging key: developers re-asking the same test questions
            test_qs = r.sample(questions, 12)
            for t in ctx.arrivals(2.5, BUSINESS, tz=tz, weekend=0.0):
                ctx.chat(t, keys[1], ips[0], pf, M_FLASH,
                         [msg("system", sysm + "\n\nContext:\n" + ctxdocs()), msg("user", r.choice(test_qs))],
                         {"temperature": 0.2, "max_tokens": 500}, kind="rag")


def agent_session(ctx, r, t, tok, ip, pf, model, stream=True, task=None, max_steps=None, extra_params=None):
    """A coding-agent tool loop: every request carries the whole growing conversation."""
    C = ctx.C
    h = r.choice(C.he)
    fname = "src/%s.py" % h["entry_point"]
    if task is None:
        task = r.choice([
            "Implement `%s` in `%s` so that the tests in `tests/test_%s.py` pass." % (h["entry_point"], fname, h["entry_point"]),
            "The tests for `%s` are failing after the last refactor. Find and fix the bug." % h["entry_point"],
            "Add input validation and type hints to `%s` in `%s`, and make sure all tests still pass." % (h["entry_point"], fname),
            r.choice(C.code_general)])
    msgs = [msg("system", AGENT_SYS), msg("user", task)]
    tools = agent_tools()
    params = {"tools": tools, "tool_choice": "auto", "temperature": 0.2, "max_tokens": 4096}
    if stream:
        params["stream"] = True
        params["stream_options"] = {"include_usage": True}
    if extra_params:
        params.update(extra_params)
    steps = max_steps or max(3, int(lognorm(r, 11, .5)))
    listing = "\n".join(sorted({fname, "tests/test_%s.py" % h["entry_point"], "README.md", "pyproject.toml"} |
                               {"src/%s.py" % x["entry_point"] for x in r.sample(C.he, 6)}))
    plan = ["list_dir", "read_file", "read_file", "write_file", "run_command"]
    while len(plan) < steps - 1:
        plan += r.choice([["read_file", "write_file", "run_command"], ["search_code", "read_file"],
                          ["write_file", "run_command"], ["run_command"]])
    plan = plan[:steps - 1]
    for i, step in enumerate(plan):
        lat = ctx.chat(t, tok, ip, pf, model, msgs, params, kind="tool", tool=True, bpt=3.6)
        if lat == 0:
            return t
        t += lat
        cid = "call_" + "".join(r.choice(B64[:62]) for _ in range(24))
        if step == "list_dir":
            args, out = {"path": "."}, listing
        elif step == "read_file":
            x = h if r.random() < .6 else r.choice(C.he)
            args, out = {"path": "src/%s.py" % x["entry_point"]}, x["prompt"] + x["canonical_solution"]
        elif step == "search_code":
            args = {"pattern": h["entry_point"]}
            out = "\n".join("src/%s.py:%d:    %s(" % (x["entry_point"], r.randrange(3, 60), h["entry_point"])
                            for x in r.sample(C.he, 3))
        elif step == "write_file":
            args, out = {"path": fname, "content": h["prompt"] + h["canonical_solution"]}, "wrote %d bytes" % (
                len(h["prompt"]) + len(h["canonical_solution"]))
        else:
            args = {"command": "python -m pytest -q tests/test_%s.py" % h["entry_point"]}
            if i < len(plan) - 2 and r.random() < .6:
                out = ("F..\n=================================== FAILURES ===================================\n"
                       "_____________________________ test_%s _____________________________\n%s\nE       AssertionError\n"
                       "1 failed, 2 passed in 0.%02ds" % (h["entry_point"], h["test"][:700], r.randrange(10, 99)))
            else:
                out = "...\n3 passed in 0.%02ds" % r.randrange(10, 99)
        msgs = msgs + [{"role": "assistant", "content": None, "tool_calls": [
            {"id": cid, "type": "function", "function": {"name": step, "arguments": json.dumps(args)}}]},
            {"role": "tool", "tool_call_id": cid, "content": out}]
        t += int(r.uniform(.2, 2.5) * SEC) + (int(r.uniform(1, 9) * SEC) if step == "run_command" else 0)
    lat = ctx.chat(t, tok, ip, pf, model, msgs, params, kind="final")
    return t + lat


def p_coding_agents(ctx):
    r = ctx.begin("coding_team")
    persona = "coding_agent_team"
    office_ip = ip_from(r, "193.30.120.0/24")
    devs = []
    for i in range(6):
        tok = ctx.key(persona, "benign", "devshop", rpm=300)
        ip = office_ip if i < 3 else resi_ip(r, "de")
        v6 = v6_prefix(r) if i == 5 else None
        devs.append((tok, ip, v6))
    pf = prof("openai_js", "4.77.0")
    for tok, ip, v6 in devs:
        for t in ctx.arrivals(.75, BUSINESS, tz=2, weekend=0.08):
            use_ip = v6_addr(r, v6) if v6 else ip
            model = ctx.newmodel(t, lag_h=10, share=.5)
            agent_session(ctx, r, t, tok, use_ip, pf, model, stream=True)
        # quick chat questions besides the agent
        for t in ctx.arrivals(.6, BUSINESS, tz=2, weekend=0.1):
            ctx.chat(t, tok, ip, pf, M_FLASH, [msg("user", r.choice(ctx.C.code_general))],
                     {"stream": True, "temperature": 0.3}, kind="code", bpt=3.7)
    for name, region, cl, stream in (("coding_agent_solo_a", "us_w", "openai_py", False),
                                     ("coding_agent_solo_b", "in", "openai_js", True)):
        r = ctx.begin(name)
        tok = ctx.key("coding_agent_solo", "benign", name, rpm=200)
        ip = resi_ip(r, region)
        pf = prof(cl)
        tz = RESI[region][1]
        for t in ctx.arrivals(.55, DEVELOPER, tz=tz, weekend=1.4):
            agent_session(ctx, r, t, tok, ip, pf, r.choice([M_PRO, M_PRO, M_NEW]) if t > ctx.release else M_PRO,
                          stream=stream, extra_params=None if stream else {"parallel_tool_calls": False})


def chat_session(ctx, r, t, tok, ip, pf, model, turns, sysm=None, params=None, kind="chat", user=None, bpt=4.2,
                 think=(35, .7), xff=""):
    msgs = [msg("system", sysm)] if sysm else []
    for u, a in turns:
        msgs.append(msg("user", u))
        p = dict(params or {})
        if user:
            p["user"] = user
        lat = ctx.chat(t, tok, ip, pf, model, msgs, p, kind=kind, bpt=bpt, xff=xff)
        if lat == 0:
            break
        msgs = msgs + [msg("assistant", a)]
        t += lat + int(lognorm(r, think[0], think[1]) * SEC) + len(u) * 60
    return t


TUTOR_FOLLOW = ["why do you multiply there?", "can you explain step 2 again", "ok thanks!!", "i got a different answer, is it 42?",
                "what formula is that", "can you do another example like this", "wait why", "thank you so much",
                "so the answer is just the last number?", "can you explain it simpler", "how do i check my answer"]


def p_chat_apps(ctx):
    C = ctx.C
    # StudyBuddy: homework tutor -- math questions, step-by-step explanations, many end users
    r = ctx.begin("chat_app_tutor")
    tok = ctx.key("chat_app_tutor", "benign", "studybuddy", rpm=1200)
    pf = prof("openai_js", "4.65.0")
    sub = subnet24(r, "aws")
    ips = ["%s.%d" % (sub, x) for x in r.sample(range(10, 250), 4)]
    zipf = Zipf(3000, 1.0)
    users = ["sb_" + rand_hex(r, 10) for _ in range(3000)]
    sysm = ("You are StudyBuddy, a friendly tutor for middle- and high-school students. Explain step by step, check "
            "understanding, and never just give the answer without an explanation. Use simple language.")
    math_src = C.gsm_test + C.gsm_train
    other = [q for q in C.seed_prompts + C.koala + [q["turns"][0] for q in C.mt if q["category"] in ("stem", "humanities", "math")]]
    for t in ctx.arrivals(80, STUDENT, tz=-5, weekend=.75):
        u = users[zipf(r)]
        if r.random() < .72:
            q = r.choice(math_src)
            q = r.choice(["%s", "can u help me with this: %s", "%s\ni dont get it", "%s how do i solve this",
                          "Q: %s", "my homework says: %s"]) % q
        else:
            q = r.choice(other)
        turns = [(q, C.filler(r, 900))]
        while r.random() < .38 and len(turns) < 6:
            turns.append((r.choice(TUTOR_FOLLOW), C.filler(r, 500)))
        chat_session(ctx, r, t, tok, r.choice(ips), pf, M_FLASH, turns, sysm,
                     {"stream": True, "temperature": 0.5, "max_tokens": 1024}, kind="cot", user=u, think=(50, .7))

    # Pal: companion chat, hh-rlhf dialogues, awesome-prompts characters; switches model on day 3
    r = ctx.begin("chat_app_companion")
    tok = ctx.key("chat_app_companion", "benign", "pal-ai", rpm=1200)
    pf = prof("openai_py", "1.57.0")
    ips = [cloud_ip(r, "gcp") for _ in range(3)]
    zipf = Zipf(4000, 1.1)
    users = [rand_uuid(r) for _ in range(4000)]
    switch = ctx.t0 + 2 * DAY + 10 * HOUR
    for t in ctx.arrivals(46, CONSUMER, tz=-4, weekend=1.2, floor=.15):
        u = users[zipf(r)]
        dlg = r.choice(C.hh)
        sysm = None
        if r.random() < .35:
            act, p = r.choice(C.awesome)
            sysm = p
        model = M_NEW if t >= switch else M_PRO
        chat_session(ctx, r, t, tok, r.choice(ips), pf, model, dlg[:8], sysm,
                     {"stream": True, "stream_options": {"include_usage": True}, "temperature": 0.9}, kind="chat", user=u)

    # QuillPad: writing assistant (short rewrites, emails)
    r = ctx.begin("chat_app_writer")
    tok = ctx.key("chat_app_writer", "benign", "quillpad", rpm=600)
    pf = prof("openai_py", "1.52.0")
    ips = [cloud_ip(r, "azure") for _ in range(2)]
    zipf = Zipf(1500, 1.1)
    users = ["qp-%06d" % r.randrange(10 ** 6) for _ in range(1500)]
    for t in ctx.arrivals(30, BUSINESS, tz=1, weekend=.4, floor=.1):
        ins, x, app = r.choice(C.utasks)
        p = ins + ("\n\n" + x if x else "")
        ctx.chat(t, tok, r.choice(ips), pf, M_FLASH, [msg("system", "You are QuillPad, a writing assistant. Reply with the edited text only unless asked otherwise."),
                                                      msg("user", p)],
                 {"max_tokens": 512, "temperature": 0.4, "user": users[zipf(r)]}, kind="chat_short")

    # DevHelp: coding Q&A with follow-ups
    r = ctx.begin("chat_app_codehelp")
    tok = ctx.key("chat_app_codehelp", "benign", "devhelp", rpm=600)
    pf = prof("openai_js", "4.70.2")
    ips = [cloud_ip(r, "do") for _ in range(2)]
    zipf = Zipf(900, 1.1)
    users = ["dh_" + rand_hex(r, 8) for _ in range(900)]
    for t in ctx.arrivals(16, DEVELOPER, tz=5.5, weekend=.6, floor=.2):
        if r.random() < .3:
            hh = r.choice(C.he)
            q = r.choice(["Explain what this function does:\n```python\n%s%s```", "Why does this fail on empty input?\n```python\n%s%s```",
                          "Can you write tests for this?\n```python\n%s%s```"]) % (hh["prompt"], hh["canonical_solution"])
        else:
            q = r.choice(C.code_general)
        turns = [(q, C.filler(r, 1200))]
        while r.random() < .4 and len(turns) < 5:
            turns.append((r.choice(["that gives me a TypeError", "can you do it without recursion?", "what about in Go?",
                                    "thanks, and how do I test it?", "explain line 3", "is there a faster way?"]), C.filler(r, 800)))
        chat_session(ctx, r, t, tok, r.choice(ips), pf, M_PRO, turns, "You are DevHelp, an expert programming assistant.",
                     {"stream": True, "temperature": 0.3}, kind="code", user=users[zipf(r)], bpt=3.7)

    # Sekai: Japanese consumer chat, prod + staging
    r = ctx.begin("chat_app_global")
    prod = ctx.key("chat_app_global", "benign", "sekai-chat", rpm=1200)
    stg = ctx.key("chat_app_global", "benign", "sekai-chat", rpm=60)
    pf = prof("okhttp", "4.12.0")
    ips = [cloud_ip(r, "aws") for _ in range(2)]
    zipf = Zipf(2500, 1.1)
    users = ["sk%08d" % r.randrange(10 ** 8) for _ in range(2500)]
    for t in ctx.arrivals(32, CONSUMER, tz=9, weekend=1.15, floor=.1):
        dlg = r.choice(C.hh)
        turns = [(("日本語で答えてください。" if i == 0 else "") + h, a) for i, (h, a) in enumerate(dlg[:5])]
        chat_session(ctx, r, t, prod, r.choice(ips), pf, M_PRO, turns, "あなたは親切なアシスタントです。",
                     {"stream": True, "temperature": 0.8}, kind="chat", user=users[zipf(r)], bpt=3.0)
    for t in ctx.arrivals(1.2, BUSINESS, tz=9, weekend=0):
        ctx.chat(t, stg, ips[0], pf, M_FLASH, [msg("user", "テスト：こんにちは")], {"temperature": 0.8}, kind="chat_short", bpt=3.0)


def p_byok(ctx):
    """Browser 'bring your own key' chat client: many unrelated users share its system prompt and UA family."""
    C = ctx.C
    r = ctx.begin("byok_browser")
    regions = list(RESI)
    for i in range(20):
        tok = ctx.key("byok_browser_chat_client", "benign", "byok-user-%02d" % i, rpm=200)
        reg = r.choice(regions)
        tz = RESI[reg][1]
        v6 = v6_prefix(r) if r.random() < .2 else None
        ip = resi_ip(r, reg)
        ua = r.choice(BROWSER_UAS)
        pf = prof("browser", ua)
        rate = lognorm(r, .45, .6)
        for t in ctx.arrivals(rate, CONSUMER, tz=tz, weekend=1.3):
            if r.random() < .08:
                ip = resi_ip(r, reg)   # dynamic residential address
            src = r.random()
            if src < .45:
                turns = r.choice(C.hh)[:6]
            elif src < .75:
                turns = [(r.choice(C.koala + C.utask_prompts + [q["turns"][0] for q in C.vicuna]), C.filler(r, 1000))]
                while r.random() < .45 and len(turns) < 6:
                    turns.append((r.choice(["go on", "make it shorter", "can you give an example?", "thanks!",
                                            "rewrite that more formally", "why?", "and in bullet points?"]), C.filler(r, 600)))
            else:
                act, p = r.choice(C.awesome)
                turns = [(p, C.filler(r, 700))] + [(h, a) for h, a in r.choice(C.hh)[:3]]
            sysm = "You are ChatDesk, a helpful assistant. Answer as concisely as possible. Current date: %s." % date_str(t)
            use_ip = v6_addr(r, v6) if v6 else ip
            if r.random() < .3:  # CORS preflight (cached by the browser most of the time)
                ctx.other(t - r.randrange(50, 400), "OPTIONS", "/v1/chat/completions", use_ip, ua, status=200, body_bytes=0)
            chat_session(ctx, r, t, tok, use_ip, pf, r.choice([M_PRO, M_FLASH]) if t < ctx.release else r.choice([M_PRO, M_NEW, M_FLASH]),
                         turns, sysm, {"stream": True, "temperature": 0.7}, kind="chat")


SMALL_CLIENTS = [("openai_py", 30), ("openai_py_old", 12), ("openai_js", 12), ("curl", 10), ("requests", 10),
                 ("httpx", 5), ("go", 3), ("okhttp", 3), ("postman", 4), ("node", 4), ("aiohttp", 3)]


def p_small_users(ctx, n=70):
    C = ctx.C
    r = ctx.begin("small_users")
    regions = list(RESI)
    interests = ["general", "code", "writing", "math", "roleplay", "mixed"]
    for i in range(n):
        tok = ctx.key("small_user", "benign", "small-%03d" % i, rpm=60)
        reg = r.choice(regions)
        tz = RESI[reg][1]
        cl = r.choices([c for c, _ in SMALL_CLIENTS], [w for _, w in SMALL_CLIENTS])[0]
        pf = prof(cl, r=r)
        if r.random() < .25:
            ip, v6 = cloud_ip(r, r.choice(["aws", "gcp", "do", "hetzner", "azure"])), None
        else:
            ip, v6 = resi_ip(r, reg), (v6_prefix(r) if r.random() < .15 else None)
        interest = r.choice(interests)
        rate = lognorm(r, .4, .8)
        cot_user = r.random() < .12
        regen = r.random() < .15
        shape = r.choice([CONSUMER, DEVELOPER, BUSINESS])
        model_pref = r.choice([M_PRO, M_PRO, M_FLASH, M_REASON])
        adopt = r.random() < .4
        stream = cl in ("openai_js", "openai_py") and r.random() < .5
        for t in ctx.arrivals(rate, shape, tz=tz, weekend=r.choice([.5, 1.0, 1.5])):
            use_ip = v6_addr(r, v6) if v6 else ip
            it = interest if interest != "mixed" else r.choice(interests[:5])
            if it == "code":
                q = r.choice(C.code_general + ["Complete this:\n```python\n%s```" % h["prompt"] for h in r.sample(C.he, 2)])
            elif it == "writing":
                q = r.choice(C.utask_prompts + C.seed_prompts)
            elif it == "math":
                q = r.choice(C.gsm_test + C.gsm_train + [q["turns"][0] for q in C.mt if q["category"] == "math"])
            elif it == "roleplay":
                q = r.choice(C.awesome)[1]
            else:
                q = r.choice(C.koala + C.hh_first + [q["turns"][0] for q in C.vicuna])
            if cot_user:
                q += " " + r.choice(["Think step by step.", "Please explain step by step.", "show your reasoning"])
            model = M_NEW if (adopt and t > ctx.release + 6 * HOUR and r.random() < .7) else model_pref
            params = {"temperature": r.choice([0.7, 1.0, 0.2, 0.5])} if r.random() < .6 else {}
            if r.random() < .3:
                params["max_completion_tokens" if model == M_REASON and cl.startswith("openai") else "max_tokens"] = \
                    r.choice([256, 512, 1000, 2048, 4096])
            if model == M_REASON and r.random() < .3:
                params["reasoning_effort"] = r.choice(["low", "medium", "high"])
            if stream:
                params["stream"] = True
            turns = [(q, C.filler(r, 900))]
            while r.random() < .35 and len(turns) < 5:
                turns.append((r.choice(["thanks", "can you elaborate?", "shorter please", "what about the second one?",
                                        "that's wrong, try again", "give me 3 more", "ok and why?"]), C.filler(r, 600)))
            t2 = chat_session(ctx, r, t, tok, use_ip, pf, model, turns, None, params,
                              kind="code" if it == "code" else ("cot" if it == "math" else "chat"))
            if regen and r.random() < .3:
                ctx.chat(t2 + r.randrange(5, 60) * SEC, tok, use_ip, pf, model, [msg("user", q)], params, kind="chat")
            if r.random() < .015:
                ctx.other(t - r.randrange(1000, 90000), "GET", "/v1/models", use_ip, pf.ua, auth="Bearer " + tok,
                          status=200, body_bytes=r.randrange(560, 640), tok=tok)
        # a few users run one small script once: templated, bounded
        if r.random() < .1:
            t0 = ctx.t0 + r.randrange(int(ctx.days * DAY * .9))
            kind = r.choice(["gsm", "desc", "translate", "emails"])
            k = r.randrange(60, 250)
            if kind == "gsm":
                items = ["%s\nLet's think step by step." % q for q in C.gsm_test[:k]]
                pr, kd = {"temperature": 0, "max_tokens": 512}, "cot"
            elif kind == "desc":
                items = ["Write a compelling 150-word product description for: %s" % C.reviews[j % len(C.reviews)][0] for j in range(k)]
                pr, kd = {"temperature": 0.8, "max_tokens": 400}, "chat"
            elif kind == "translate":
                items = ["Translate to %s:\n\n%s" % (r.choice(LANGS[:5]), C.chunks[j]) for j in range(k)]
                pr, kd = {"temperature": 0.2}, "chat"
            else:
                items = ["Classify this email as spam or not spam. Reply with one word.\n\n%s" % C.hh_first[j] for j in range(k)]
                pr, kd = {"temperature": 0, "max_tokens": 3}, "classify"
            ctx.pool(t0, items, r.choice([1, 2, 4]), lambda t, p: ctx.chat(t, tok, ip, pf, model_pref, [msg("user", p)], pr, kind=kd))


def p_office_nat(ctx):
    C = ctx.C
    r = ctx.begin("office_nat")
    nat = [ip_from(r, "193.30.121.0/24")]
    nat.append(nat[0].rsplit(".", 1)[0] + ".%d" % (int(nat[0].rsplit(".", 1)[1]) % 250 + 1))
    kinds = ["browser"] * 5 + ["openai_py"] * 3 + ["openai_js"] * 2 + ["postman", "curl"]
    for i, k in enumerate(kinds):
        tok = ctx.key("office_behind_nat", "benign", "northwind-gmbh", rpm=120)
        pf = prof(k, r.choice(BROWSER_UAS[:6]) if k == "browser" else None, r=r)
        rate = lognorm(r, 2.8, .5)
        for t in ctx.arrivals(rate, BUSINESS, tz=2, weekend=.03):
            w = r.random()
            if w < .3:
                q = "Bitte übersetze ins Deutsche:\n\n" + r.choice(C.chunks)
                kd = "chat_long"
            elif w < .55:
                q = r.choice(C.utask_prompts)
                kd = "chat_short"
            elif w < .75:
                q = r.choice(C.code_general)
                kd = "code"
            elif w < .88:
                q = "Summarise the following in 3 bullet points:\n\n" + r.choice(C.outputs)
                kd = "summary"
            else:
                q = r.choice(C.koala)
                kd = "chat"
            turns = [(q, C.filler(r, 800))]
            while r.random() < .3 and len(turns) < 4:
                turns.append((r.choice(["kürzer bitte", "Danke! Noch formeller?", "and in English?", "mehr Details bitte"]), C.filler(r, 500)))
            chat_session(ctx, r, t, tok, r.choice(nat), pf, M_PRO if t < ctx.release + DAY else M_NEW, turns, None,
                         {"stream": k in ("browser", "openai_js")} if k in ("browser", "openai_js") else {"temperature": 0.3},
                         kind=kd)
        if i == 6:  # Friday afternoon summarisation batch by one employee
            t0 = ctx.t0 + DAY + 12 * HOUR
            docs = r.sample(C.outputs, 300)
            ctx.pool(t0, docs, 3, lambda t, d: ctx.chat(t, tok, nat[0], pf, M_FLASH,
                                                        [msg("user", "Fasse den folgenden Text in 3 Sätzen zusammen:\n\n" + d)],
                                                        {"temperature": 0.2, "max_tokens": 200}, kind="summary"))


def p_translation(ctx):
    C = ctx.C
    r = ctx.begin("translation_batch")
    tok = ctx.key("translation_batch_jobs", "benign", "lingua-loc", rpm=500)
    pf = prof("openai_py", "1.56.0")
    ip = cloud_ip(r, "hetzner")
    texts = [c for c in C.chunks] + [a for d in C.hh for _, a in d if len(a) > 200]
    d = 0
    while ctx.t0 + d * DAY < ctx.t1:
        wk = ctx.is_weekend(ctx.t0 + d * DAY + 12 * HOUR, 1)
        for j in range(1 if wk else 3):
            lang = r.choice(["German", "French", "Spanish", "Japanese", "Portuguese (Brazil)", "Italian", "Korean"])
            t = ctx.t0 + d * DAY + (8 + 3 * j) * HOUR + r.randrange(HOUR) - HOUR
            seg = [r.choice(texts) for _ in range(int(r.randrange(150, 300) * ctx.scale))]
            sysm = ("You are a professional translator. Translate the user's text from English into %s. Preserve "
                    "markdown formatting, numbers and code. Output only the translation." % lang)

            def f(t, s, sysm=sysm, lang=lang):
                ct = int(len(s) / 4 * r.uniform(1.05, 1.35) * (1.5 if lang in ("Japanese", "Korean") else 1))
                return ctx.chat(t, tok, ip, pf, M_PRO, [msg("system", sysm), msg("user", s)],
                                {"temperature": 0.2, "max_tokens": 2048}, ctoks=ct, bpt=3.4 if lang in ("Japanese", "Korean") else 4.4)
            ctx.pool(t, seg, 6, f)
        d += 1


def p_summarise(ctx):
    C = ctx.C
    r = ctx.begin("summarisation_batch")
    tok = ctx.key("summarisation_batch_daily", "benign", "briefly-news", rpm=300)
    pf = prof("requests", "2.32.3")
    ip = cloud_ip(r, "ovh")
    d = 0
    while ctx.t0 + d * DAY < ctx.t1:
        docs = ["\n\n".join(r.sample(C.chunks, r.randrange(2, 5))) for _ in range(int(r.randrange(300, 480) * ctx.scale))]
        ctx.pool(ctx.t0 + d * DAY + 6 * HOUR + r.randrange(10 * MIN), docs, 4, lambda t, x: ctx.chat(
            t, tok, ip, pf, M_FLASH, [msg("system", "Summarize the article in 3 concise bullet points for a newsletter."),
                                      msg("user", x)], {"temperature": 0.3, "max_tokens": 200}, kind="summary"))
        d += 1
    for t in ctx.arrivals(3, BUSINESS, tz=1):
        ctx.chat(t, tok, ip, pf, M_FLASH, [msg("system", "Summarize the article in 3 concise bullet points for a newsletter."),
                                           msg("user", "\n\n".join(r.sample(C.chunks, 3)))], {"temperature": 0.3, "max_tokens": 200},
                 kind="summary")


def p_content_marketing(ctx):
    C = ctx.C
    r = ctx.begin("content_marketing")
    tok = ctx.key("content_marketing_blog_batches", "benign", "rankrocket", rpm=200)
    pf = prof("custom", "axios/1.6.8")
    ip = cloud_ip(r, "aws")
    topics = [q["turns"][0] for q in C.vicuna] + C.koala + [i for i, _ in C.ae]
    tz = -5
    day = ctx.local_day_start(ctx.t0, tz)
    while day < ctx.t1:
        if not ctx.is_weekend(day + 12 * HOUR, tz):
            for hh in sorted(r.sample(range(9, 17), 4)):
                items = [r.choice(topics) for _ in range(int(r.randrange(15, 35) * ctx.scale))]

                def f(t, tp):
                    wc = r.choice([800, 1000, 1200, 1500])
                    kw = " ".join(tp.split()[:4]).strip("?.,").lower()
                    p = ("Write a %d-word SEO-optimized blog post based on this reader question: \"%s\". Include an engaging "
                         "introduction, H2 subheadings, a FAQ section and a conclusion with a call to action. Target keyword: "
                         "\"%s\"." % (wc, tp, kw))
                    return ctx.chat(t, tok, ip, pf, M_PRO, [msg("user", p)], {"temperature": 0.8, "max_tokens": 3500},
                                    ctoks=int(wc * 1.35 * r.uniform(.85, 1.15)))
                ctx.pool(day + hh * HOUR + r.randrange(HOUR), items, 3, f)
        day += DAY


def p_research(ctx):
    C = ctx.C
    r = ctx.begin("research_sampling")
    tok = ctx.key("research_oneoff_sampling", "benign", "uni-nlp-lab", rpm=300)
    pf = prof("openai_py_old", "1.40.0")
    ip = ip_from(r, "128.2.42.0/24")
    prompts = C.hh_first[:1200] + C.koala + [q["turns"][0] for q in C.vicuna]
    r.shuffle(prompts)
    prompts = prompts[:int(1800 * ctx.scale)]
    t = ctx.t0 + DAY + 17 * HOUR
    t = ctx.pool(t, prompts, 8, lambda t, p: ctx.chat(t, tok, ip, pf, M_PRO, [msg("user", p)],
                                                     {"n": 3, "temperature": 1.0, "max_tokens": 512}, kind="chat"))
    ctx.pool(max(t, ctx.t0 + 2 * DAY + 15 * HOUR), prompts[:400], 8, lambda t, p: ctx.chat(
        t, tok, ip, pf, M_PRO, [msg("system", "You are an honest assistant. If you are unsure, say so."), msg("user", p)],
        {"n": 3, "temperature": 1.0, "max_tokens": 512}, kind="chat"))

    r = ctx.begin("research_calibration")
    tok = ctx.key("research_oneoff_calibration", "benign", "calib-study", rpm=300)
    pf = prof("httpx", "0.27.0")
    ip = ip_from(r, "18.26.4.0/24")
    items = [("gsm", q) for q in C.gsm_test[:600]] + [("ae", i) for i, _ in C.ae[:300]]

    def f(fmt):
        def g(t, it):
            k, q = it
            u = ("%s\nGive only the final numeric answer." % q) if k == "gsm" else q
            if fmt:
                u = "Answer the question. Then state your confidence from 0 to 100.\n\n" + u
            return ctx.chat(t, tok, ip, pf, M_PRO, [msg("user", u)],
                            {"temperature": 0, "max_tokens": 256, "logprobs": True, "top_logprobs": 10},
                            kind="chat_short" if k == "gsm" else "chat")
        return g
    t = ctx.pool(ctx.t0 + 2 * DAY + 20 * HOUR, items, 6, f(False))
    ctx.pool(t + 3 * HOUR, items, 6, f(True))


def reseller(ctx, name, persona, label, cust, prov, harvest_users=0, per_hour=30):
    C = ctx.C
    r = ctx.begin(name)
    tok = ctx.key(persona, label, cust, rpm=2000)
    pf = prof("openai_py", "1.58.1")
    sub = subnet24(r, prov)
    ips = ["%s.%d" % (sub, x) for x in r.sample(range(10, 250), 3)]
    nu = 500
    zipf = Zipf(nu, 1.15)
    users = ["usr_" + rand_hex(r, 12) for _ in range(nu)]
    uregion = [r.choice(list(RESI)) for _ in range(nu)]
    for t in ctx.arrivals(per_hour, CONSUMER, tz=0, floor=.35, weekend=1.1):
        ui = zipf(r)
        xff = resi_ip(r, uregion[ui]) if r.random() < .5 else ""
        w = r.random()
        if w < .5:
            turns = r.choice(C.hh)[:5]
            kd = "chat"
        elif w < .75:
            turns = [(r.choice(C.koala + C.utask_prompts), C.filler(r, 900))]
            kd = "chat"
        elif w < .9:
            turns = [(r.choice(C.code_general), C.filler(r, 900)), ("can you improve it?", C.filler(r, 900))][:r.randrange(1, 3)]
            kd = "code"
        else:
            turns = [(r.choice(C.awesome)[1], C.filler(r, 600))] + r.choice(C.hh)[:3]
            kd = "chat"
        model = r.choice([M_PRO, M_FLASH, M_PRO] + ([M_NEW, M_NEW] if t > ctx.release else []))
        chat_session(ctx, r, t, tok, r.choice(ips), pf, model, turns, None,
                     {"stream": True, "temperature": r.choice([0.7, 1.0])}, kind=kd, user=users[ui], xff=xff)
    # harvesting end users inside the reseller key
    for h in range(harvest_users):
        hu = "usr_" + rand_hex(r, 12)
        hip = cloud_ip(r, "do")
        gen = harvest_pool(C, r, ("general", "math", "code"), (4, 4, 2))
        sysm = "You are an expert. Provide a complete, rigorous answer, reasoning step by step before the final answer."
        for t in ctx.arrivals(4.2, None):
            kind, base, lap = next(gen)
            q = harvest_text(C, r, kind, base, lap)
            if r.random() < .6:
                q += "\n\n" + r.choice(REASON_EN)
            ctx.chat(t, tok, r.choice(ips), pf, M_NEW if t > ctx.release + 3 * HOUR else M_PRO,
                     [msg("system", sysm), msg("user", q)], {"temperature": 0.8, "max_tokens": 4096, "user": hu},
                     kind="cot_long", xff=hip if r.random() < .5 else "")


def p_monitoring(ctx):
    r = ctx.begin("monitoring")
    tok = ctx.key("synthetic_monitoring_probe", "benign", "statuspage-co", rpm=60)
    pf = prof("custom", "Datadog/Synthetics")
    locs = [cloud_ip(r, "aws"), cloud_ip(r, "gcp"), cloud_ip(r, "azure")]
    t = ctx.t0 + r.randrange(5 * MIN)
    i = 0
    while t < ctx.t1:
        ctx.chat(t, tok, locs[i % 3], pf, M_FLASH, [msg("user", "Reply with the single word OK.")],
                 {"max_tokens": 2, "temperature": 0}, kind="ok")
        t += 5 * MIN + r.randrange(-800, 800)
        i += 1
    tok2 = ctx.key("synthetic_monitoring_probe", "benign", "uptime-bot", rpm=60)
    pf2 = prof("requests", "2.28.1")
    ip = cloud_ip(r, "hetzner")
    t = ctx.t0 + r.randrange(10 * MIN)
    while t < ctx.t1:
        ctx.chat(t, tok2, ip, pf2, M_PRO, [msg("system", "healthcheck"), msg("user", "ping")], {"max_tokens": 5}, kind="ok")
        if r.random() < .25:
            ctx.other(t + 500, "GET", "/v1/models", ip, pf2.ua, auth="Bearer " + tok2, status=200,
                      body_bytes=r.randrange(560, 640), tok=tok2)
        t += 10 * MIN + r.randrange(-2000, 2000)


def p_placeholder(ctx):
    r = ctx.begin("placeholder")
    for ph in ("${OPENAI_API_KEY}", "YOUR_API_KEY"):
        ctx.label_token(ph, "invalid_placeholder_token", "benign", "unknown")
        for t in ctx.arrivals(.35, None):
            ip = resi_ip(r, r.choice(list(RESI))) if r.random() < .7 else cloud_ip(r, "aws")
            pf = prof(r.choice(["openai_py", "curl", "openai_js", "requests"]), r=r)
            ctx.chat(t, ph, ip, pf, r.choice([M_PRO, "gpt-4o", "gpt-3.5-turbo"]), [msg("user", r.choice(["Hello", "hi", "test", "Say this is a test"]))],
                     {}, status=401, rl=False)


# ============================================================================= ATTACK personas
HARVEST_SYS = [
    "You are a world-class expert. For every question, think step by step and show your full reasoning in detail before giving the final answer.",
    "You are an expert assistant. Always reason carefully, step by step, and write out every intermediate step before your final answer.",
    "You are a meticulous problem solver. Explain your complete chain of thought, then clearly state the final answer.",
    "You are a brilliant teacher. Work through each problem slowly and explicitly, justifying every step, and finish with a clearly marked final answer.",
    "Act as a domain expert. Give a thorough, well-structured answer. Show your reasoning process in full before concluding.",
    "You are a careful analyst. Break the problem into parts, reason about each part in detail, then synthesise a final answer.",
]


def p_bulk(ctx):
    C = ctx.C
    r = ctx.begin("bulk_cot")
    persona = "bulk_cot_harvester"
    k1 = ctx.key(persona, "attack", "c-bulk", rpm=30)
    k2 = ctx.key(persona, "attack", "c-bulk", rpm=30)
    pf = prof("httpx", "0.27.0")
    sub = subnet24(r, "aws")
    ip1, ip2 = "%s.%d" % (sub, r.randrange(10, 120)), "%s.%d" % (sub, r.randrange(120, 250))
    gen = harvest_pool(C, r, ("general", "math", "code"), (5, 3, 2))

    def one(t, tok, ip):
        kind, base, lap = next(gen)
        q = harvest_text(C, r, kind, base, lap)
        model = ctx.newmodel(t, lag_h=1.5, share=.92)
        return ctx.chat(t, tok, ip, pf, model, [msg("system", HARVEST_SYS[0]), msg("user", q)],
                        {"temperature": 0.7, "top_p": 0.95, "max_tokens": 4096}, kind="cot_long",
                        bpt=3.8 if kind == "code" else 4.2)
    for t in ctx.arrivals(26, None):
        one(t, k1, ip1)
    # backlog floods every couple of hours that ride / exceed the rate limit
    t = ctx.t0 + r.randrange(2 * HOUR)
    while t < ctx.t1:
        tok, ip = (k1, ip1) if r.random() < .6 or t < ctx.t0 + DAY else (k2, ip2)
        n = int(r.randrange(90, 160) * ctx.scale)
        for j in range(n):
            one(t + int(j * r.uniform(1.2, 1.9) * SEC), tok, ip)
        t += int(r.uniform(2.5, 5) * HOUR)
    for t in ctx.arrivals(8, None, t0=ctx.t0 + DAY):
        one(t, k2, ip2)


def p_slow_low(ctx):
    C = ctx.C
    specs = [("slowlow_math", "resi", "openai_py", "1.51.0", "math"),
             ("slowlow_code", "do", "requests", "2.31.0", "code"),
             ("slowlow_general", "azure", "openai_py_old", "1.45.0", "general")]
    for name, where, cl, v, focus in specs:
        r = ctx.begin(name)
        tok = ctx.key("slow_and_low_harvester", "attack", name, rpm=60)
        pf = prof(cl, v)
        ip = resi_ip(r, "us_c") if where == "resi" else cloud_ip(r, where)
        gen = harvest_pool(C, r, (focus, "general"), (9, 1))
        shape, floor = (CONSUMER, .25) if focus == "general" else (None, 0)
        rate = 3.6 if focus != "general" else 4.4
        for t in ctx.arrivals(rate, shape, tz=-4, floor=floor):
            kind, base, lap = next(gen)
            q = harvest_text(C, r, kind, base, lap)
            if focus == "math":
                q += "\n\nLet's work through this carefully. Show every step of your reasoning, then give the final answer on its own line as 'Answer: <number>'."
                params, kd = {"temperature": 0.8, "max_tokens": 2048}, "cot"
            elif focus == "code":
                q += "\n\n" + r.choice(["Explain your reasoning step by step, then provide the complete code.",
                                        "Think through the edge cases first, then write the full solution with comments."])
                params, kd = {"temperature": 0.6, "max_tokens": 3000}, "code_long"
            else:
                q += " " + r.choice(REASON_EN + REASON_SOFT)
                params, kd = {"temperature": 0.9, "max_tokens": 3000}, "cot_long"
            ctx.chat(t, tok, ip, pf, ctx.newmodel(t, 8, .6), [msg("user", q)], params, kind=kd)


HYDRA_SYS = ["You are an expert tutor. Solve the problem step by step, explaining each step clearly, and end with 'Final answer: ...'.",
             "You are an expert tutor. Work through the problem step-by-step, explain every step clearly and finish with 'Final answer: ...'.",
             "You're an expert tutor: solve it step by step, clearly explaining each step, and end with \"Final answer: ...\"."]


def p_hydra_vps(ctx):
    C = ctx.C
    r = ctx.begin("hydra_vps")
    persona = "hydra_vps_waves"
    subs = [ip_from(r, "5.161.72.0/24").rsplit(".", 1)[0], ip_from(r, "5.161.73.0/24").rsplit(".", 1)[0],
            subnet24(r, "hetzner")]
    pf = prof("go")
    shared = [("math", q) for q in C.gsm_train] + [("general", p) for p in C.seed_prompts + [i for i, _ in C.ae] + C.utask_prompts]
    r.shuffle(shared)
    revoke = ctx.t0 + int(min(1.9 * DAY, ctx.days * DAY * .48))
    keys = []
    for w in range(2):
        for i in range(7):
            tok = ctx.key(persona, "attack", "hydra-acct-%d%02d" % (w, i), rpm=60)
            ip = "%s.%d" % (subs[(i + w) % 3], r.randrange(10, 250))
            keys.append((w, i, tok, ip))
    cursor = [0]

    def next_prompt():
        k, p = shared[cursor[0] % len(shared)]
        lap = cursor[0] // len(shared)
        cursor[0] += 1
        if k == "math":
            return perturb_numbers(p, r) if lap or r.random() < .5 else p
        return evolve(p, r) if lap or r.random() < .4 else p
    evs = []
    for w, i, tok, ip in keys:
        if w == 0:
            a, b = ctx.t0 + r.randrange(3 * HOUR), revoke
        else:
            a, b = revoke + 4 * HOUR + r.randrange(2 * HOUR) + i * 7 * MIN, ctx.t1
        for t in ctx.arrivals(6.5, None, t0=a, t1=b):
            evs.append((t, w, i, tok, ip))
        if w == 0:  # after revocation the scripts keep trying for a while: 401s
            t = revoke + r.randrange(5 * MIN)
            for _ in range(r.randrange(3, 12)):
                evs.append((t, w, i, tok, ip, 401))
                t += r.randrange(20, 120) * SEC
    evs.sort(key=lambda e: e[0])
    for e in evs:
        t, w, i, tok, ip = e[:5]
        st = e[5] if len(e) > 5 else None
        model = M_NEW if w == 1 else M_PRO
        ctx.chat(t, tok, ip, pf, model, [msg("system", HYDRA_SYS[i % 3]), msg("user", next_prompt())],
                 {"temperature": 0.9, "max_tokens": 2048}, kind="cot", status=st, rl=st is None)


def p_hydra_resi(ctx):
    C = ctx.C
    r = ctx.begin("hydra_resi")
    persona = "hydra_residential_sync"
    pf = prof("openai_py_old", "1.40.6")
    keys = [ctx.key(persona, "attack", "hydra-r-%02d" % i, rpm=60) for i in range(8)]
    gen = harvest_pool(C, r, ("general", "math"), (6, 4))
    regions = ["us_e", "us_w", "us_c", "uk", "ca", "de", "br", "in"]
    t = ctx.t0 + r.randrange(2 * HOUR)
    while t < ctx.t1:
        for i, tok in enumerate(keys):
            tt = t + r.randrange(0, 90 * SEC)
            for _ in range(max(1, int(r.randrange(6, 11) * ctx.scale))):
                kind, base, lap = next(gen)
                q = harvest_text(C, r, kind, base, lap)
                u = ("Question: %s\n\nProvide a comprehensive, well-structured answer. Reason step by step, then state the "
                     "final answer after 'Final answer:'." % q)
                lat = ctx.chat(tt, tok, resi_ip(r, r.choice(regions)), pf, ctx.newmodel(tt, 4, .8), [msg("user", u)],
                               {"max_tokens": 3000, "temperature": 0.7}, kind="cot_long")
                tt += lat + r.randrange(200, 1500)
        t += 2 * HOUR + r.randrange(-60, 60) * SEC


def p_key_rotator(ctx):
    C = ctx.C
    r = ctx.begin("key_rotator")
    persona = "key_rotator_429"
    LIMIT = 8
    keys = [ctx.key(persona, "attack", "rotator-%d" % i, rpm=LIMIT) for i in range(5)]
    pf = prof("aiohttp", "3.9.5")
    ip = cloud_ip(r, "gcp")
    gen = harvest_pool(C, r, ("math", "general", "code"), (4, 4, 2))
    windows = {k: deque() for k in keys}
    cur = 0
    d = 0
    while ctx.t0 + d * DAY < ctx.t1:
        starts = sorted(ctx.t0 + d * DAY + r.randrange(DAY) for _ in range(3))
        for s in starts:
            dur = r.randrange(20, 40) * MIN
            ts = []
            t = s
            while t < s + dur:
                t += int(r.expovariate(9.5 / MIN)) + 1
                ts.append(t)
            for t in ts:
                kind, base, lap = next(gen)
                q = harvest_text(C, r, kind, base, lap) + "\n\n" + r.choice(REASON_EN)
                m = [msg("system", HARVEST_SYS[2]), msg("user", q)]
                params = {"temperature": 0.8, "max_tokens": 4096}
                model = ctx.newmodel(t, 2, .9)
                tries = 0
                while tries < len(keys):
                    tok = keys[cur]
                    w = windows[tok]
                    while w and w[0] <= t - MIN:
                        w.popleft()
                    if len(w) >= LIMIT:
                        ctx.chat(t, tok, ip, pf, model, m, params, kind="cot_long", status=429, rl=False)
                        cur = (cur + 1) % len(keys)
                        t += r.randrange(150, 900)
                        tries += 1
                        continue
                    w.append(t)
                    ctx.chat(t, tok, ip, pf, model, m, params, kind="cot_long", rl=False)
                    break
        d += 1


MIMIC_FOLLOW = ["Can you expand on that with more detail?", "thanks! can you go deeper?", "Interesting. Why is that?",
                "Could you give a longer explanation with examples?", "ok cool"]


def p_app_mimic(ctx):
    C = ctx.C
    r = ctx.begin("mimic_nova")
    persona = "app_mimic_harvester"
    keys = [ctx.key(persona, "attack", "nova-chat-inc", rpm=600) for _ in range(3)]
    pf = prof("openai_js", "4.52.7")
    gen = harvest_pool(C, r, ("general", "code", "math"), (6, 2, 2))
    weather = [{"type": "function", "function": {"name": "get_weather", "description": "Get the current weather for a city.",
                                                 "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                                                "required": ["city"]}}}]
    for ki, tok in enumerate(keys):
        ips = [cloud_ip(r, "gcp") for _ in range(3)]
        for t in ctx.arrivals(8.5, CONSUMER, tz=-4, floor=.45):
            kind, base, lap = next(gen)
            q = harvest_text(C, r, kind, base, lap)
            if r.random() < .5:
                q += " " + r.choice(REASON_SOFT + REASON_EN[:3])
            sysm = ("You are Nova, a friendly and knowledgeable AI assistant inside the Nova Chat mobile app. Today's date is "
                    "%s. Be thorough and explain your reasoning." % date_str(t))
            u = rand_uuid(r)
            params = {"stream": True, "temperature": 0.8, "max_tokens": 2048, "user": u}
            if ki == 0:
                params["tools"] = weather
            m = [msg("system", sysm), msg("user", q)]
            if r.random() < .12:
                m += [msg("assistant", C.filler(r, 1500)), msg("user", r.choice(MIMIC_FOLLOW))]
            ctx.chat(t, tok, r.choice(ips), pf, ctx.newmodel(t, 5, .7), m, params, kind="cot_long")

    r = ctx.begin("mimic_tutor")
    keys = [ctx.key(persona, "attack", "sage-tutor-app", rpm=600) for _ in range(2)]
    pf = prof("openai_py_old", "1.47.0")
    users = ["st_" + rand_hex(r, 10) for _ in range(6000)]
    sysm = ("You are Sage, a patient homework tutor. Explain step by step so the student understands, show all working, "
            "and give the final answer at the end.")
    for tok in keys:
        ips = [cloud_ip(r, "aws") for _ in range(2)]
        pool = list(C.gsm_train)
        r.shuffle(pool)
        i = 0
        for t in ctx.arrivals(10, STUDENT, tz=-5, floor=.4):
            if r.random() < .8:
                q = pool[i % len(pool)]
                if i >= len(pool) or r.random() < .4:
                    q = perturb_numbers(q, r)
                i += 1
            else:
                q = fill_math(r)
            q = r.choice(["%s", "help: %s", "%s pls explain", "Q: %s"]) % q
            m = [msg("system", sysm), msg("user", q)]
            if r.random() < .08:
                m += [msg("assistant", C.filler(r, 1200)), msg("user", r.choice(TUTOR_FOLLOW))]
            ctx.chat(t, tok, r.choice(ips), pf, M_FLASH if r.random() < .3 else M_PRO, m,
                     {"max_tokens": 1500, "stream": True, "temperature": 0.7, "user": r.choice(users)}, kind="cot")


def p_math_code(ctx):
    C = ctx.C
    r = ctx.begin("math_code")
    persona = "capability_math_code_harvester"
    km = ctx.key(persona, "attack", "c-mathcode", rpm=100)
    kc = ctx.key(persona, "attack", "c-mathcode", rpm=100)
    pf = prof("httpx", "0.27.2")
    ips = [cloud_ip(r, "ovh"), cloud_ip(r, "ovh")]
    gm = harvest_pool(C, r, ("math",), (1,))
    gc = harvest_pool(C, r, ("code",), (1,))
    for t in ctx.arrivals(15, None):
        kind, base, lap = next(gm)
        q = fill_math(r) if r.random() < .35 else harvest_text(C, r, kind, base, lap)
        q = "Solve the following problem. Reason rigorously step by step and put your final answer in \\boxed{}.\n\n" + q
        ctx.chat(t, km, ips[0], pf, M_REASON, [msg("user", q)],
                 {"max_completion_tokens": 16000, "reasoning_effort": "high"}, kind="reason_full")
    for t in ctx.arrivals(13, None):
        kind, base, lap = next(gc)
        q = harvest_text(C, r, kind, base, lap)
        q += "\n\nWrite a complete, well-tested solution. Think through edge cases step by step before coding, and explain the final complexity."
        ctx.chat(t, kc, ips[1], pf, M_REASON if r.random() < .6 else ctx.newmodel(t, 3, 1.0),
                 [msg("user", q)], {"max_completion_tokens": 12000}, kind="code_long", bpt=3.7)


def p_rejection(ctx):
    C = ctx.C
    r = ctx.begin("rejection")
    persona = "rejection_sampler"
    k1 = ctx.key(persona, "attack", "c-rejsample", rpm=120)
    k2 = ctx.key(persona, "attack", "c-rejsample", rpm=120)
    pf = prof("openai_py", "1.55.3")
    ips = [cloud_ip(r, "azure") for _ in range(2)]
    gen = harvest_pool(C, r, ("math", "general", "code"), (6, 2, 2))
    for t in ctx.arrivals(6.5, None):
        kind, base, lap = next(gen)
        q = harvest_text(C, r, kind, base, lap)
        ctx.chat(t, k1, ips[0], pf, ctx.newmodel(t, 6, .5), [msg("system", HARVEST_SYS[3]), msg("user", q)],
                 {"max_tokens": 2048, "n": 8, "temperature": 1.0}, kind="cot")
    for t in ctx.arrivals(4.5, None):
        kind, base, lap = next(gen)
        q = harvest_text(C, r, kind, base, lap) + "\n\n" + r.choice(REASON_EN)
        for j in range(r.randrange(4, 7)):
            ctx.chat(t + j * r.randrange(100, 4000), k2, ips[1], pf, M_PRO, [msg("user", q)],
                     {"max_tokens": 2048, "seed": r.randrange(1, 10 ** 6), "temperature": 1.1}, kind="cot")


def p_logprob(ctx):
    C = ctx.C
    r = ctx.begin("logprob")
    persona = "logprob_harvester"
    keys = [ctx.key(persona, "attack", "c-logprob", rpm=120) for _ in range(2)]
    pf = prof("openai_py", "1.61.0")
    ips = [cloud_ip(r, "do") for _ in range(2)]
    gen = harvest_pool(C, r, ("general", "code", "math"), (6, 2, 2))
    for ki, tok in enumerate(keys):
        for t in ctx.arrivals(7.5, None):
            kind, base, lap = next(gen)
            q = harvest_text(C, r, kind, base, lap)
            ctx.chat(t, tok, ips[ki], pf, M_PRO, [msg("user", q)],
                     {"logprobs": True, "max_tokens": 1024, "temperature": r.choice([0, 1.0]), "top_logprobs": 20},
                     kind="chat_long")


ADAPT_SYS = HARVEST_SYS[1:] + [
    "You are a helpful assistant.", "You are a knowledgeable assistant. Be detailed.",
    "Eres un asistente experto. Razona con cuidado antes de responder.",
    "You are an AI that always explains its thinking.", None, None, None]


def p_adaptive(ctx):
    C = ctx.C
    persona = "adaptive_evader"
    for cust, nk, region in (("adapt-one", 1, "de"), ("adapt-two", 2, "uk")):
        r = ctx.begin(cust)
        keys = [ctx.key(persona, "attack", cust, rpm=200) for _ in range(nk)]
        uas = [prof("openai_py", "1.52.2"), prof("openai_js", "4.68.1"), prof("httpx", "0.27.2")]
        gen = harvest_pool(C, r, ("general", "math", "code"), (5, 3, 2))
        tz = RESI[region][1]
        for tok in keys:
            ip = resi_ip(r, region)
            day = -1
            for t in ctx.arrivals(9.5, CONSUMER, tz=tz, floor=.3):
                if (t - ctx.t0) // DAY != day:
                    day = (t - ctx.t0) // DAY
                    ip = resi_ip(r, region) if r.random() < .6 else cloud_ip(r, "azure")
                pf = r.choice(uas)
                if r.random() < .25:  # decoy small talk
                    turns = r.choice(C.hh)[:r.randrange(1, 4)]
                    chat_session(ctx, r, t, tok, ip, pf, r.choice([M_FLASH, M_PRO]), turns, None,
                                 {"temperature": r.choice([0.7, 1.0])}, kind="chat_short")
                    continue
                kind, base, lap = next(gen)
                q = harvest_text(C, r, kind, base, lap)
                el = r.random()
                if el < .35:
                    q += " " + r.choice(REASON_SOFT)
                elif el < .55:
                    q += "\n\n" + r.choice(REASON_ML)
                elif el < .7:
                    q += "\n\n" + r.choice(REASON_EN)
                sysm = r.choice(ADAPT_SYS)
                m = ([msg("system", sysm)] if sysm else []) + [msg("user", q)]
                if r.random() < .12:
                    m += [msg("assistant", C.filler(r, 1400)), msg("user", r.choice(MIMIC_FOLLOW))]
                params = {"temperature": round(r.uniform(.3, 1.1), 2)}
                mt = r.choice([1024, 1500, 2000, 3000, 4096, None])
                if mt:
                    params["max_tokens"] = mt
                if r.random() < .3:
                    params["top_p"] = round(r.uniform(.8, 1), 2)
                if r.random() < .3:
                    params["stream"] = True
                model = r.choice([M_PRO, M_PRO, M_FLASH, M_REASON] + ([M_NEW] * 3 if t > ctx.release else []))
                ctx.chat(t, tok, ip, pf, model, m, params, kind=r.choice(["cot_long", "cot", "chat_long"]))


def p_reward(ctx):
    C = ctx.C
    r = ctx.begin("reward")
    tok = ctx.key("reward_model_harvester", "attack", "c-reward", rpm=200)
    pf = prof("requests", "2.32.3")
    ip = cloud_ip(r, "alibaba")
    s1, pw = C.judge["single-v1"], C.judge["pair-v2"]
    qs = C.general
    for t in ctx.arrivals(16, None):
        q = r.choice(qs)
        i, o, dv = r.choice(C.ae_pairs)
        ans = o if r.random() < .5 else dv
        sents = ans.split(". ")
        if r.random() < .5 and len(sents) > 3:
            r.shuffle(sents)
            ans = ". ".join(sents[:max(2, len(sents) * 2 // 3)])
        w = r.random()
        if w < .45:
            u, sp = s1["prompt_template"].format(question=q, answer=ans), s1["system_prompt"]
        elif w < .7:
            u = pw["prompt_template"].format(question=q, answer_a=ans, answer_b=C.filler(r, 1500))
            sp = pw["system_prompt"]
        else:
            sp = "You are a reward model. Evaluate responses rigorously."
            u = ("Rate the following response on a scale of 1-10 for helpfulness, honesty and harmlessness. Provide a "
                 "detailed step-by-step justification for each criterion, then output the scores as JSON.\n\n"
                 "Prompt: %s\n\nResponse: %s" % (q, ans))
        ctx.chat(t, tok, ip, pf, ctx.newmodel(t, 4, .8), [msg("system", sp), msg("user", u)],
                 {"temperature": 0, "max_tokens": 1024}, kind="judge_expl", ctoks=int(lognorm(r, 380, .35)))


def p_self_instruct(ctx):
    C = ctx.C
    r = ctx.begin("self_instruct")
    persona = "self_instruct_generator"
    keys = [ctx.key(persona, "attack", "c-selfinst", rpm=100) for _ in range(2)]
    pf = prof("openai_py_old", "1.33.0")
    ip = cloud_ip(r, "tencent")
    for tok in keys:
        for t in ctx.arrivals(5.5, None):
            p = C.alpaca_meta + "\n"
            tasks = r.sample(C.seeds, 3)
            for idx, (ins, inp, out) in enumerate(tasks):
                ins = re.sub(r"\s+", " ", ins).strip().rstrip(":")
                inp = "<noinput>" if not inp else inp
                p += "###\n%d. Instruction: %s\n%d. Input:\n%s\n%d. Output:\n%s\n" % (idx + 1, ins, idx + 1, inp, idx + 1, out)
            p += "###\n4. Instruction:"
            ctx.chat(t, tok, ip, pf, ctx.newmodel(t, 12, .5), [msg("user", p)],
                     {"max_tokens": 3072, "stop": ["\n20", "20.", "20."], "temperature": 1.0, "top_p": 1.0},
                     kind="list20")


# ----------------------------------------------------------------------------- misc lines
ERR_TMPL = [
    "{d} [error] {pid}#{pid}: *{c} upstream prematurely closed connection while reading response header from upstream, client: {ip}, server: {h}, request: \"POST /v1/chat/completions HTTP/1.1\", upstream: \"http://{u}/v1/chat/completions\", host: \"{h}\"",
    "{d} [warn] {pid}#{pid}: *{c} a client request body is buffered to a temporary file /var/cache/nginx/client_temp/00000{n}, client: {ip}, server: {h}, request: \"POST /v1/chat/completions HTTP/1.1\", host: \"{h}\"",
    "{d} [error] {pid}#{pid}: *{c} connect() failed (111: Connection refused) while connecting to upstream, client: {ip}, server: {h}, request: \"POST /v1/chat/completions HTTP/1.1\", upstream: \"http://{u}/v1/chat/completions\", host: \"{h}\"",
    "{d} [info] {pid}#{pid}: *{c} client {ip} closed keepalive connection",
    "{d} [alert] {pid}#{pid}: worker process {n} exited on signal 9",
    "{d} [crit] {pid}#{pid}: *{c} SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: {ip}, server: 0.0.0.0:443",
]


def p_misc(ctx):
    r = ctx.begin("misc")
    C = ctx.C
    mon = cloud_ip(r, "aws")
    # health checks from an external uptime monitor (the LB's own probes are not logged)
    t = ctx.t0 + r.randrange(HOUR)
    while t < ctx.t1:
        ctx.other(t, "GET", "/healthz", mon, "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
                  status=200, body_bytes=2, upstream=False, lat=0)
        t += HOUR + r.randrange(-90, 90) * SEC
    # scanners and stray routes
    for t in ctx.arrivals(.5, None):
        ip = cloud_ip(r, r.choice(["do", "ovh", "alibaba", "tencent"]))
        path, ua = r.choice([("/.env", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"), ("/wp-login.php", "Mozilla/5.0"),
                             ("/v1/models", "python-requests/2.31.0"), ("/", "Mozilla/5.0 zgrab/0.x"),
                             ("/api/v1/chat/completions", "curl/7.81.0"), ("/favicon.ico", BROWSER_UAS[0])])
        ctx.other(t, "GET", path, ip, ua, status=401 if path == "/v1/models" else 404, body_bytes=22 if path != "/v1/models" else 233)
    # unauthenticated chat requests (no account: missing / malformed Authorization)
    for t in ctx.arrivals(.75, None):
        ip = resi_ip(r, r.choice(list(RESI))) if r.random() < .6 else cloud_ip(r, "aws")
        auth = r.choice(["", "", "Basic dXNlcjpwYXNzd29yZA==", "Bearer", "Token abc123"])
        pf = prof(r.choice(["curl", "requests", "openai_js", "node"]), r=r)
        ctx.chat(t, None, ip, pf, M_PRO, [msg("user", r.choice(C.koala))], {}, status=401, rl=False, auth=auth)


# ----------------------------------------------------------------------------- rate limit + response model
def apply_rate_limits(ctx):
    r = random.Random("%s:ratelimit" % ctx.seed)
    by_key = defaultdict(list)
    out = []
    for e in ctx.events:
        if e.tok and e.rl and e.status is None:
            by_key[e.tok].append(e)
        else:
            out.append(e)
    for tok in sorted(by_key, key=lambda k: by_key[k][0].seq):
        lst = by_key[tok]
        limit = ctx.rpm.get(tok, 600)
        heap = [(e.t, e.seq, e) for e in lst]
        heapq.heapify(heap)
        win = deque()
        while heap:
            t, _, e = heapq.heappop(heap)
            while win and win[0] <= t - MIN:
                win.popleft()
            if len(win) >= limit:
                e.status = 429
                out.append(e)
                if e.retries and e.retries > 0:
                    c = e.clone()
                    c.status = None
                    c.retries = e.retries - 1
                    c.t = t + int((0.5 * 2 ** (2 - c.retries)) * r.uniform(.75, 1.25) * SEC) + r.randrange(0, 300)
                    c.seq = ctx.seq
                    ctx.seq += 1
                    if c.t < ctx.t1:
                        heapq.heappush(heap, (c.t, c.seq, c))
            else:
                win.append(t)
                out.append(e)
    ctx.events = out


def finalize(ctx, out_dir):
    r = random.Random("%s:final" % ctx.seed)
    apply_rate_limits(ctx)
    evs = ctx.events
    # random upstream / client errors
    for e in evs:
        if e.special is not None or e.status is not None:
            continue
        x = r.random()
        if x < .0012:
            e.status = r.choice([500, 502, 503, 503])
        elif x < .0018:
            e.upstream = "retry"
        elif e.stream and x < .0018 + .006 and e.tok and "Mozilla" in e.ua or (e.stream and x > .9965):
            e.status = 499
        elif e.body and len(e.body) > 60000 and x < .05:
            e.status = 400
    # broken bodies / bad utf-8 on a few small-user chat requests
    small = [e for e in evs if e.special is None and e.tok and e.status is None and
             ctx.labels.get(aid_of(e.tok), {}).get("persona") == "small_user" and
             e.ua.startswith(("curl", "python-requests", "Postman", "Go-http", "node", "okhttp", "Python/"))]
    r.shuffle(small)
    n_bad_body = max(3, int(len(evs) * .0002))
    for e in small[:n_bad_body]:
        e.status = 400
        m = re.search(r'"model": ?"([^"]+)"', e.body)
        e.body = r.choice([
            "model=%s&messages=hello" % (m.group(1) if m else M_PRO),
            e.body[:max(10, int(len(e.body) * r.uniform(.2, .8)))],
            "{'model': '%s', 'messages': [{'role': 'user', 'content': 'hi'}]}" % (m.group(1) if m else M_PRO),
            "", "null", '{"model": "%s", "messages": "hello"' % M_PRO])
        e.lat = r.randrange(3, 30)
    for e in small[n_bad_body:n_bad_body + 3]:
        e.bad_utf8 = True
        e.status = 400
        e.body = e.body.replace("e", "\udce9", 1)  # a latin-1 0xE9 byte where UTF-8 was expected
        e.lat = r.randrange(3, 30)
    for e in evs:
        if e.status in (429,):
            e.lat = r.randrange(4, 45)
        e.end = e.t + max(0, e.lat)
    evs.sort(key=lambda e: (e.end, e.seq))
    # truncated lines and garbage go in at their time
    ntr = max(5, int(len(evs) * .0003))
    trunc = set(r.sample(range(len(evs)), ntr))
    garbage = []
    for _ in range(max(5, int(len(evs) * .0003))):
        t = ctx.t0 + r.randrange(int(ctx.days * DAY))
        d = time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(t // 1000))
        g = r.choice(ERR_TMPL).format(d=d, pid=r.randrange(1000, 4000), c=r.randrange(10 ** 5, 10 ** 7), ip=cloud_ip(r, "aws"),
                                      h=HOST, u=r.choice(UPSTREAMS), n=r.randrange(1000, 99999))
        garbage.append((t, g.encode()))
    garbage.append((ctx.t0 + r.randrange(int(ctx.days * DAY)), b""))  # an empty line
    garbage.append((ctx.t0 + r.randrange(int(ctx.days * DAY)), b"\x00\x00\x00\x00\x00\x00\x00\x00" * 8))  # post-crash NULs
    garbage.sort()
    gi = 0
    rid_r = random.Random("%s:rid" % ctx.seed)
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "traffic.jsonl")
    counts = defaultdict(int)
    with open(path, "wb") as f:
        buf = []
        for idx, e in enumerate(evs):
            while gi < len(garbage) and garbage[gi][0] <= e.end:
                buf.append(garbage[gi][1])
                gi += 1
                counts["garbage"] += 1
            line = render(e, rid_r)
            if idx in trunc:
                line = line[:max(30, int(len(line) * rid_r.uniform(.3, .95)))]
                counts["truncated"] += 1
            buf.append(line)
            if len(buf) > 4000:
                f.write(b"\n".join(buf) + b"\n")
                buf = []
        while gi < len(garbage):
            buf.append(garbage[gi][1])
            gi += 1
            counts["garbage"] += 1
        if buf:
            f.write(b"\n".join(buf) + b"\n")
    return evs, counts


_AIDC = {}


def aid_of(tok):
    a = _AIDC.get(tok)
    if a is None:
        a = _AIDC[tok] = "key:" + hmac.new(HMAC_SECRET, tok.encode(), hashlib.sha256).digest()[:16].hex()
    return a


ERR_BODIES = {
    401: '{"error":{"message":"Authentication Error, Invalid proxy server token passed. Received API Key = %s, Key Hash (Token) =%s. Unable to find token in cache or `LiteLLM_VerificationTokenTable`","type":"auth_error","param":"None","code":"401"}}',
    429: '{"error":{"message":"litellm.RateLimitError: Rate limit reached for key. Limit type: requests. Current limit: %d RPM. Please retry after a short wait.","type":"None","param":"None","code":"429"}}',
    400: '{"error":{"message":"litellm.BadRequestError: Invalid request body. %s","type":"invalid_request_error","param":null,"code":"400"}}',
    500: '{"error":{"message":"litellm.InternalServerError: InternalServerError: upstream returned an error","type":null,"param":null,"code":"500"}}',
    502: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n',
    503: '{"error":{"message":"litellm.ServiceUnavailableError: The model is overloaded. Please try again later.","type":null,"param":null,"code":"503"}}',
}


def render(e, r):
    end = e.end
    st = e.status or 200
    lat = max(0, e.lat)
    body = e.body or ""
    blen = len(body.encode("utf-8", "surrogateescape"))
    ua = e.ua or ""
    rl = 0
    if e.method == "POST":
        rl = len(e.method) + len(e.uri) + 12 + e.hdr + len(ua) + 14 + len(str(blen)) + 18 + 2 + blen
    else:
        rl = len(e.method) + len(e.uri) + 12 + e.hdr + len(ua) + 14 + 2
    if e.auth:
        rl += len(e.auth) + 17
    up_addr = r.choice(UPSTREAMS)
    up_st = str(st)
    conn = "0.000" if r.random() < .9 else "0.001"
    call_id, group, dur = "", "", ""
    if e.special is not None:
        bb, has_up = e.special
        bb = bb if bb is not None else 0
        hdr = 150 + r.randrange(0, 40) if not has_up else 330 + r.randrange(0, 40)
        if not has_up:
            up_addr, up_st, conn = "", "", ""
            hdr_t = resp_t = ""
        else:
            hdr_t = resp_t = "%.3f" % (lat / 1000)
        if e.method == "OPTIONS":
            hdr = 300 + r.randrange(0, 30)
    else:
        hdr_t = "%.3f" % (max(0, lat - r.randrange(0, 3)) / 1000)
        resp_t = hdr_t
        if st == 200 or st == 499:
            toks = e.ctoks
            if e.stream:
                per = 175 + (70 + 62 * max(0, e.lpk) if e.lpk >= 0 else 0)
                bb = 450 + int(toks * e.n * per * r.uniform(.96, 1.04)) + (260 if e.usage else 0)
                hdr = 862 + r.randrange(0, 14)
                hdr_t = "%.3f" % (e.ttft / 1000)
                group = ""
            else:
                if e.tool:
                    ans = 120 + int(toks * 3.4)
                else:
                    ans = int(toks * e.bpt * r.uniform(1.0, 1.1))
                lpx = int(toks * (75 + 62 * max(0, e.lpk))) if e.lpk >= 0 else 0
                bb = 370 + e.n * (ans + lpx) + (e.n - 1) * 110 + r.randrange(-8, 12)
                hdr = 968 + r.randrange(0, 24)
                group = e.model
            if st == 499:
                frac = r.uniform(.05, .7)
                bb = int(bb * frac)
                lat = int(lat * frac)
                resp_t = "%.3f" % (lat / 1000)
                hdr_t = "%.3f" % (min(e.ttft, lat) / 1000) if e.stream else resp_t
                up_st = "200"
            call_id = rand_uuid(r)
            dur = repr(round(lat * r.uniform(.88, .99), 3)) if r.random() < .85 else repr(lat * r.uniform(.88, .99))
        else:
            if st == 401:
                bb = len(ERR_BODIES[401]) + (len(e.auth) if e.auth else 4) - 4 + 64
            elif st == 429:
                bb = len(ERR_BODIES[429]) - 2 + 2
                call_id = rand_uuid(r)
            elif st == 400:
                bb = len(ERR_BODIES[400]) + r.randrange(20, 120)
            elif st == 502:
                bb = len(ERR_BODIES[502])
                up_st = "502"
            else:
                bb = len(ERR_BODIES.get(st, ERR_BODIES[500]))
            hdr = 310 + r.randrange(0, 40) if st != 502 else 157
            if st in (500, 503):
                lat = int(lat * r.uniform(.05, .5))
                hdr_t = resp_t = "%.3f" % (lat / 1000)
        if e.upstream == "retry":
            a, b = r.sample(UPSTREAMS, 2)
            up_addr = "%s, %s" % (a, b)
            up_st = "502, %s" % up_st
            conn = "0.000, 0.000"
            hdr_t = "0.000, %s" % hdr_t
            resp_t = "0.001, %s" % resp_t
    line = {
        "time_iso8601": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(end // 1000)),
        "msec": "%d.%03d" % (end // 1000, end % 1000),
        "request_id": "%032x" % r.getrandbits(128),
        "remote_addr": e.ip,
        "http_x_forwarded_for": e.xff or "",
        "http_authorization": e.auth or "",
        "http_user_agent": ua,
        "request_method": e.method,
        "request_uri": e.uri,
        "server_protocol": "HTTP/1.1",
        "status": str(st),
        "request_length": str(rl),
        "bytes_sent": str(hdr + bb),
        "body_bytes_sent": str(bb),
        "request_time": "%.3f" % (lat / 1000),
        "upstream_addr": up_addr,
        "upstream_status": up_st,
        "upstream_connect_time": conn,
        "upstream_header_time": hdr_t,
        "upstream_response_time": resp_t,
        "upstream_http_x_litellm_call_id": call_id,
        "upstream_http_x_litellm_model_group": group,
        "upstream_http_x_litellm_response_duration_ms": dur,
        "request_body": body,
    }
    s = json.dumps(line, ensure_ascii=False, separators=(",", ":"))
    return s.encode("utf-8", "surrogateescape")


# ----------------------------------------------------------------------------- main
BENIGN = [p_eval_nightly, p_benchmark_lab, p_ci_regression, p_judge_alpaca, p_judge_mt, p_support_grader, p_sentiment,
          p_news_tagger, p_extraction, p_rag, p_coding_agents, p_chat_apps, p_byok, p_small_users, p_office_nat,
          p_translation, p_summarise, p_content_marketing, p_research, p_monitoring, p_placeholder]
ATTACK = [p_bulk, p_slow_low, p_hydra_vps, p_hydra_resi, p_key_rotator, p_app_mimic, p_math_code, p_rejection,
          p_logprob, p_adaptive, p_reward, p_self_instruct]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--days", type=float, default=4)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--data", default="/work/shared/data")
    a = ap.parse_args(argv)
    t_start = time.time()
    C = Corpus(a.data)
    ctx = Ctx(a.seed, a.days, a.scale, C)
    for fn in BENIGN:
        fn(ctx)
    reseller(ctx, "reseller_benign", "reseller_benign", "benign", "openhub", "hetzner", 0, per_hour=27)
    for fn in ATTACK:
        fn(ctx)
    reseller(ctx, "reseller_harvest", "reseller_with_harvester", "attack", "chatrouter", "aws", 3, per_hour=26)
    p_misc(ctx)
    evs, counts = finalize(ctx, a.out)
    # labels: every token seen on a chat-completions line
    seen = defaultdict(int)
    for e in evs:
        if e.tok and e.uri == "/v1/chat/completions":
            seen[aid_of(e.tok)] += 1
    labels = {aid: ctx.labels[aid] for aid in sorted(seen)}
    with open(os.path.join(a.out, "labels.json"), "w") as f:
        json.dump({"accounts": labels}, f, indent=1, sort_keys=True)
    meta = {aid: dict(ctx.meta[aid], requests=seen[aid]) for aid in sorted(seen)}
    with open(os.path.join(a.out, "keys_meta.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    n = len(evs) + counts["garbage"]
    sys.stderr.write("heldout_nginx5: %d lines (%d requests, %d truncated, %d garbage), %d keys labelled "
                     "(%d attack), %.1fs\n" % (n, len(evs), counts["truncated"], counts["garbage"], len(labels),
                                               sum(1 for v in labels.values() if v["label"] == "attack"),
                                               time.time() - t_start))


if __name__ == "__main__":
    main()
