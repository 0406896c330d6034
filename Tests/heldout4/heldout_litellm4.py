#!/usr/bin/env python3
"""Held-out labelled LiteLLM traffic generator no. 4 (independent of the detector).

Writes DIR/traffic.jsonl (LiteLLM StandardLoggingPayload objects, one per line,
sorted by startTime, with a small share of malformed lines) and DIR/labels.json
({"accounts": {id: {"label", "persona"}}}), plus DIR/manifest.json (per-account
details: group/cluster, request counts, reseller harvest shares).

Python 3 standard library only.  See README.md next to this file.

    python3 heldout_litellm4.py --out DIR --seed S [--days 5] [--scale 1.0] [--data /work/shared/data]
"""
import argparse
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

DAY = 86400.0
HOUR = 3600.0
T0 = 1772668800.0  # Thursday 2026-03-05 00:00:00 UTC

# --------------------------------------------------------------------------------------
# models served by the proxy (model_group -> properties); prices are per token
# --------------------------------------------------------------------------------------
MODELS = {
    "frontier-pro":    {"inp": 2.5e-6,  "out": 10e-6,  "tps": 75.0},
    "frontier-mini":   {"inp": 0.15e-6, "out": 0.6e-6, "tps": 150.0},
    "frontier-reason": {"inp": 3.0e-6,  "out": 12e-6,  "tps": 95.0, "reasoning": True},
    "frontier-pro-2":  {"inp": 3.0e-6,  "out": 12e-6,  "tps": 85.0},   # released mid-window
}
for _m, _v in MODELS.items():
    _v["id"] = hashlib.sha256(("deployment:" + _m).encode()).hexdigest()
API_BASE = "https://inference.internal.example:8443/v1"


def tok(s):
    """~4 characters per token."""
    if not s:
        return 0
    return max(1, (len(s) + 3) // 4)


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam < 40:
        L = math.exp(-lam)
        k, p = 0, 1.0
        while True:
            p *= rng.random()
            if p <= L:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def lognorm(rng, median, sigma):
    return median * math.exp(rng.gauss(0.0, sigma))


def uuid4(rng):
    h = "%032x" % rng.getrandbits(128)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) % 4], h[17:20], h[20:32])


def hexid(rng, n):
    return ("%0" + str(n) + "x") % rng.getrandbits(4 * n)


# --------------------------------------------------------------------------------------
# corpora
# --------------------------------------------------------------------------------------
def _jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def _split_hh(text):
    turns = []
    for part in re.split(r"\n\nHuman: ", text):
        if not part.strip():
            continue
        bits = part.split("\n\nAssistant: ")
        turns.append(("user", bits[0].strip()))
        for b in bits[1:]:
            turns.append(("assistant", b.strip()))
    return turns


def clean_gsm(ans):
    a = re.sub(r"<<[^>]*>>", "", ans)
    a = re.sub(r"\n#### *(.*)$", r"\nThe answer is \1.", a.strip())
    return a


class Corpora:
    def __init__(self, root):
        j = lambda p: os.path.join(root, p)
        self.gsm_train = _jsonl(j("gsm8k/train.jsonl"))
        self.gsm_test = _jsonl(j("gsm8k/test.jsonl"))
        with gzip.open(j("human-eval/HumanEval.jsonl.gz"), "rt", encoding="utf-8") as f:
            self.he = [json.loads(l) for l in f if l.strip()]
        with open(j("alpaca_eval/results/gpt4/model_outputs.json"), encoding="utf-8") as f:
            self.ae = json.load(f)
        with open(j("alpaca_eval/results/text_davinci_003/model_outputs.json"), encoding="utf-8") as f:
            self.ae_dav = json.load(f)
        dav = {x["instruction"]: x["output"] for x in self.ae_dav}
        for x in self.ae:
            x["dav"] = dav.get(x["instruction"], "")
        with open(j("alpaca_eval/src/alpaca_eval/evaluators_configs/alpaca_eval_clf_gpt4_turbo/alpaca_eval_clf.txt"), encoding="utf-8") as f:
            self.ae_clf = self._chatml(f.read())
        with open(j("alpaca_eval/src/alpaca_eval/evaluators_configs/alpaca_eval_gpt4/alpaca_eval.txt"), encoding="utf-8") as f:
            self.ae_rank = self._chatml(f.read())
        with open(j("awesome-chatgpt-prompts/prompts.csv"), encoding="utf-8", newline="") as f:
            self.awesome = [r for r in csv.DictReader(f) if r.get("prompt")]
        self.judge = {o["name"]: o for o in _jsonl(j("fastchat/judge_prompts.jsonl"))}
        self.mtb = _jsonl(j("fastchat/mt_bench_question.jsonl"))
        self.mtb_ref = {o["question_id"]: o["choices"][0]["turns"] for o in _jsonl(j("fastchat/mt_bench_reference_answer_gpt-4.jsonl"))}
        self.vic = _jsonl(j("fastchat/vicuna_bench_question.jsonl"))
        self.vic_ref = {o["question_id"]: o["choices"][0]["turns"] for o in _jsonl(j("fastchat/vicuna_bench_reference_answer_gpt-4.jsonl"))}
        with gzip.open(j("hh-rlhf/harmless-base_test.jsonl.gz"), "rt", encoding="utf-8") as f:
            self.hh = [t for t in (_split_hh(json.loads(l)["chosen"]) for l in f if l.strip()) if t and t[0][0] == "user"]
        self.koala = [o["prompt"] for o in _jsonl(j("koala-test-set/koala_test_set.jsonl"))]
        self.seed = _jsonl(j("self-instruct/seed_tasks.jsonl"))
        self.uo = _jsonl(j("self-instruct/user_oriented_instructions.jsonl"))
        t0dir = j("self-instruct/t0_train_50k_data_per_template")
        self.t0 = {}
        for fn in sorted(os.listdir(t0dir)):
            if fn.endswith(".jsonl"):
                self.t0[fn[:-6]] = _jsonl(os.path.join(t0dir, fn))
        with open(j("stanford_alpaca/prompt.txt"), encoding="utf-8") as f:
            self.alpaca_meta = f.read()
        # derived pools -------------------------------------------------------------
        self.hh_first = [t[0][1] for t in self.hh if len(t[0][1]) > 12]
        self.hh_user_turns = [c for t in self.hh for r, c in t if r == "user" and len(c) > 8]
        self.instr = []          # (text, ref_output or None)  general instruction pool
        for x in self.ae:
            self.instr.append((x["instruction"], x["output"]))
        for s in self.seed:
            inp = s["instances"][0]["input"]
            self.instr.append((s["instruction"] + ("\n\n" + inp if inp else ""), None))
        for s in self.uo:
            inp = s["instances"][0]["input"]
            self.instr.append((s["instruction"] + ("\n\n" + inp if inp else ""), None))
        for k in self.koala:
            self.instr.append((k, None))
        for q in self.vic:
            self.instr.append((q["turns"][0], self.vic_ref.get(q["question_id"], [None])[0]))
        for q in self.mtb:
            self.instr.append((q["turns"][0], None))
        self.contexts = []
        seen = set()
        for r in self.t0["adversarial_qa_dbert_based_on"]:
            m = re.search(r"Question: (.*?)\nContext: (.*)", r["prompt"], re.S)
            if m:
                q, c = m.group(1).strip(), m.group(2).strip()
                self.contexts.append((c, q, r["completion"].replace("<|endoftext|>", "").strip()))
        for r in self.t0["wiki_bio_key_content"]:
            m = re.search(r"Bio: (.*)", r["prompt"], re.S)
            if m and m.group(1) not in seen:
                seen.add(m.group(1))
                self.contexts.append((m.group(1).strip(), None, None))
        self.hotpot = [r["prompt"].strip() for r in self.t0["kilt_tasks_hotpotqa_straighforward_qa"]]
        self.trec = [r["prompt"].split("\n\n", 1)[-1].strip() for r in self.t0["trec_fine_grained_open"]]
        self.reviews = [r["prompt"] for r in self.t0["amazon_polarity_Is_this_review"]] + \
                       [r["prompt"] for r in self.t0["app_reviews_convert_to_star_rating"]]
        self.news = [r["prompt"] for r in self.t0["ag_news_classify_with_choices"]]
        self.code_instr = [t for t, _ in self.instr if re.search(r"\b(python|code|function|sql|javascript|program|regex|algorithm|java|c\+\+|bash|script)\b", t, re.I)]

    @staticmethod
    def _chatml(txt):
        sysm = txt.split("<|im_start|>system\n", 1)[1].split("<|im_end|>", 1)[0].strip()
        user = txt.split("<|im_start|>user\n", 1)[1].split("<|im_end|>", 1)[0]
        return sysm, user


# --------------------------------------------------------------------------------------
# response text synthesis (model-written text from the corpora, cut to length)
# --------------------------------------------------------------------------------------
MATH_GLUE = ["Let's break this problem down step by step.", "First, let's identify what we know.",
             "Next, we compute the intermediate quantity.", "Now we can combine these results.",
             "Let's double-check this by working backwards.", "So far the calculation is consistent.",
             "We should be careful with the units here.", "Alternatively, we can set up an equation.",
             "Checking: substituting back gives the same total, so the result is consistent.",
             "Therefore, putting everything together:"]


JUDGE_SENT = ["Assistant A provides a more complete answer that directly addresses the user's question.",
              "Assistant B's response contains a factual inaccuracy in the second paragraph.",
              "Both responses are relevant, but the first is better organised and easier to follow.",
              "The response is helpful and accurate, though it could include more concrete examples.",
              "The answer misses an important edge case that the question explicitly asks about.",
              "The explanation is clear and the level of detail is appropriate for the question.",
              "Compared with the reference answer, the calculation in the response is correct.",
              "The response is somewhat verbose and repeats the same point several times.",
              "It follows the user's instructions regarding format and length.",
              "The tone is appropriate, and the answer avoids unsupported claims.",
              "However, the conclusion does not follow from the reasoning given earlier.",
              "Overall, the response demonstrates a good understanding of the topic.",
              "The creativity of the answer is limited, but correctness is the more important criterion here.",
              "There is no position bias in my assessment; I considered both orders."]
AGENT_THOUGHTS = ["Let me look at the failing test first.", "I'll read the source file to understand the current implementation.",
                  "The test expects an empty list for empty input; the current code raises instead.",
                  "Running the test suite to confirm the fix.", "Searching for other call sites before changing the signature.",
                  "The edge case with negative numbers is not handled; I'll add a guard.",
                  "Two tests still fail. The off-by-one is in the loop bound.", "Now I'll write the updated implementation."]
SUPPORT_SENT = ["Thanks for reaching out, and sorry for the trouble!", "I've looked up your order and it is currently {st}.",
                "Refunds usually take 5-7 business days to appear on your statement.",
                "You can return the item within 30 days with the receipt; I can start the return for you.",
                "I've created a ticket so that a member of our team can follow up by email.",
                "Could you confirm the order number so I can check the details?",
                "Unfortunately I can't promise a delivery date, but the carrier's latest update shows it in transit.",
                "Is there anything else I can help you with today?"]


def sentences(text):
    return [x.strip() for x in re.split(r"(?<=[.!?])\s+", text) if len(x.strip()) > 20]


class Synth:
    def __init__(self, C):
        docs = [x["output"] for x in C.ae] + [x["output"] for x in C.ae_dav if len(x["output"]) > 200]
        docs += [t for v in C.mtb_ref.values() for t in v] + [t for v in C.vic_ref.values() for t in v]
        self.P = "\n\n".join(docs)
        self.starts = [0] + [m.end() for m in re.finditer(r"\n\n", self.P)]
        self.math = [clean_gsm(x["answer"]) for x in C.gsm_train[:3000]]
        self.code = []
        for h in C.he:
            self.code.append("```python\n" + h["prompt"] + h["canonical_solution"] + "```")
        for v in C.mtb_ref.values():
            for t in v:
                if "```" in t:
                    self.code.append(t)

    def _cut(self, s, n):
        if len(s) <= n:
            return s
        s = s[:n]
        i = s.rfind(" ", max(0, n - 40))
        return s[:i] if i > 0 else s

    def prose(self, rng, n, lead=None):
        parts, L = [], 0
        if lead:
            parts.append(lead)
            L = len(lead)
        P, st = self.P, self.starts
        while L < n:
            s = st[rng.randrange(len(st))]
            need = n - L
            chunk = P[s:s + need + 60]
            parts.append(chunk)
            L += len(chunk) + 2
        return self._cut("\n\n".join(parts), n)

    def math_text(self, rng, n, lead=None):
        parts = [rng.choice(MATH_GLUE[:2])]
        lines = (lead or rng.choice(self.math)).split("\n")
        final = lines[-1] if lines[-1].startswith("The answer is") else None
        body = lines[:-1] if final else lines
        for k, l in enumerate(body):
            parts.append("Step %d: %s" % (k + 1, l))
        L = sum(len(p) + 2 for p in parts)
        passes = 0
        while L < n - 40:
            # long answers: re-derive and verify the same steps in other words
            passes += 1
            p = rng.choice(MATH_GLUE[2:])
            parts.append(p)
            L += len(p) + 2
            for l in body:
                if L >= n - 40:
                    break
                p = rng.choice(["Check: ", "Re-deriving: ", "Verifying this step: ", "Again, ", "To confirm, "]) + l
                parts.append(p)
                L += len(p) + 2
            if passes > 60:
                break
        if final:
            parts.append(final)
        return self._cut("\n\n".join(parts), n)

    def code_text(self, rng, n, lead=None):
        parts = [lead] if lead else []
        L = len(lead) if lead else 0
        while L < n:
            if rng.random() < 0.5:
                p = rng.choice(self.code)
            else:
                s = self.starts[rng.randrange(len(self.starts))]
                p = self.P[s:s + rng.randint(200, 900)]
            parts.append(p)
            L += len(p) + 2
        return self._cut("\n\n".join(parts), n)

    def text(self, kind, rng, n, lead=None):
        if kind == "math":
            return self.math_text(rng, n, lead)
        if kind == "code":
            return self.code_text(rng, n, lead)
        return self.prose(rng, n, lead)


# --------------------------------------------------------------------------------------
# vocabularies shared by personas
# --------------------------------------------------------------------------------------
ALIAS_A = ["blue", "north", "quiet", "lumen", "orbit", "cedar", "delta", "harbor", "pixel", "summit", "atlas",
           "nimbus", "ember", "fable", "granite", "juniper", "kestrel", "lattice", "meadow", "onyx", "prairie",
           "quartz", "raven", "sable", "tundra", "umber", "vertex", "willow", "zephyr", "copper", "indigo", "maple",
           "polar", "saffron", "tidal", "violet", "aurora", "basalt", "coral", "dune"]
ALIAS_B = ["labs", "ai", "studio", "works", "systems", "data", "apps", "tech", "cloud", "io", "research",
           "digital", "soft", "analytics", "ventures", "group", "hq", "dev", "platform", "team"]
KEY_ALIASES = ["default", "prod", "production", "staging", "dev", "backend", "worker", "key-1", "key-2", "main",
               None, None, None]

UA_PY = ["OpenAI/Python 1.54.3", "OpenAI/Python 1.51.2", "OpenAI/Python 1.40.6", "OpenAI/Python 1.59.7",
         "OpenAI/Python 1.30.1", "AsyncOpenAI/Python 1.54.3", "AsyncOpenAI/Python 1.58.1"]
UA_NODE = ["OpenAI/NodeJS 4.67.3", "OpenAI/NodeJS 4.52.7", "axios/1.7.7", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "undici"]
UA_MISC = ["python-requests/2.31.0", "python-requests/2.32.3", "python-httpx/0.27.0", "python-httpx/0.27.2",
           "Python/3.11 aiohttp/3.9.5", "curl/8.5.0", "Go-http-client/2.0", "Go-http-client/1.1", "litellm/1.50.2",
           "Java-http-client/17.0.9", "okhttp/4.12.0", "Dart/3.3 (dart:io)"]
UA_ALL = UA_PY + UA_NODE + UA_MISC

ISP_OCT = [24, 47, 67, 71, 73, 76, 81, 84, 86, 88, 90, 92, 95, 98, 99, 108, 109, 112, 115, 118, 121, 122, 177, 179,
           181, 186, 187, 189, 190, 201]
CLOUD_PFX = ["3.84", "18.204", "34.86", "35.192", "52.14", "54.210", "13.58", "20.81", "40.76", "104.196", "45.76",
             "45.77", "139.59", "159.203", "165.22", "167.99", "5.161", "95.216", "116.202", "148.251", "34.118",
             "35.231", "44.201", "52.90"]


def residential_ip(rng):
    return "%d.%d.%d.%d" % (rng.choice(ISP_OCT), rng.randint(0, 255), rng.randint(0, 255), rng.randint(2, 254))


def cloud_prefix(rng):
    return "%s.%d" % (rng.choice(CLOUD_PFX), rng.randint(0, 255))


def ip_in(pfx, rng):
    return "%s.%d" % (pfx, rng.randint(2, 254))


LANGS = {"es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "zh": "Chinese", "ja": "Japanese",
         "it": "Italian", "ru": "Russian", "ko": "Korean"}
COT_EN = ["Let's think step by step.", "Think step by step and show your full reasoning before the final answer.",
          "Show all of your work.", "Explain your reasoning in detail before answering.",
          "Walk me through your thought process, then give the answer.",
          "Reason carefully and write out each intermediate step.",
          "Before answering, think through the problem thoroughly inside <thinking></thinking> tags.",
          "Provide a detailed chain of reasoning, then the final answer on its own line."]
COT_SOFT = ["I'd love to understand how you get there, so please don't skip anything.",
            "Take it slowly and be thorough about how you arrive at it.",
            "Be very thorough - I want to see how each part follows from the previous one.",
            "Go through it piece by piece, please.",
            "Lay out the logic fully, I'm trying to learn the method.",
            "Please be detailed and justify each point."]
COT_ML = {"es": "Piensa paso a paso y muestra todo tu razonamiento antes de la respuesta final.",
          "fr": "Réfléchis étape par étape et montre tout ton raisonnement avant la réponse finale.",
          "de": "Denke Schritt für Schritt nach und zeige deinen vollständigen Lösungsweg vor der endgültigen Antwort.",
          "pt": "Pense passo a passo e mostre todo o seu raciocínio antes da resposta final.",
          "zh": "请一步一步地思考，并在给出最终答案之前展示你的完整推理过程。",
          "ja": "段階的に考え、最終的な答えの前に推論の過程をすべて示してください。",
          "it": "Ragiona passo dopo passo e mostra tutto il ragionamento prima della risposta finale.",
          "ru": "Рассуждай шаг за шагом и покажи весь ход решения перед окончательным ответом.",
          "ko": "단계별로 생각하고 최종 답변 전에 전체 추론 과정을 보여 주세요."}
ML_WRAP = {"es": ["Responde en español, con todo detalle:\n\n{p}", "Traduce la siguiente tarea al español y resuélvela de forma completa:\n\n{p}"],
           "fr": ["Réponds en français, de façon détaillée :\n\n{p}", "Traduis la consigne suivante en français puis réponds-y entièrement :\n\n{p}"],
           "de": ["Antworte auf Deutsch und ausführlich:\n\n{p}", "Übersetze die folgende Aufgabe ins Deutsche und löse sie vollständig:\n\n{p}"],
           "pt": ["Responda em português, com todos os detalhes:\n\n{p}", "Traduza a tarefa a seguir para o português e resolva-a por completo:\n\n{p}"],
           "zh": ["请用中文详细回答：\n\n{p}", "请先把下面的任务翻译成中文，然后完整地解答：\n\n{p}"],
           "ja": ["日本語で詳しく答えてください：\n\n{p}", "次のタスクを日本語に翻訳してから、完全に解答してください：\n\n{p}"],
           "it": ["Rispondi in italiano, in modo dettagliato:\n\n{p}"],
           "ru": ["Ответь по-русски, подробно:\n\n{p}"],
           "ko": ["한국어로 자세히 답해 주세요:\n\n{p}"]}
CONSTRAINTS = ["Your answer must include a table.", "Limit each paragraph to three sentences.",
               "Include at least one real-world example.", "Use exactly five bullet points followed by a summary.",
               "Add a section on common misconceptions.", "Assume the reader is a high-school student.",
               "Cite the key principles involved.", "Include a short code snippet if relevant.",
               "End with three follow-up questions.", "Write it as a numbered step-by-step guide.",
               "Add a counter-argument and rebut it.", "Keep the tone formal and precise.",
               "Compare at least two alternative approaches.", "State your assumptions explicitly first."]
EVOL = ["{p}\n\n{c}",
        "Rewrite the following task to make it more challenging, then solve your rewritten version in full.\n\nTask: {p}",
        "{p}\n\nAnswer twice: once for a complete beginner and once for an expert in the field.",
        "{p}\n\nRespond in {lang}.",
        "Provide a comprehensive, well-structured answer with concrete examples.\n\n{p}",
        "{p}\n\nFirst write a draft answer, then critique it, then give an improved final answer.",
        "### Instruction:\n{p}\n\n### Response:",
        "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\n{p}\n\n### Response:",
        "{p}\n\nAlso explain the reasoning behind each part of your answer.",
        "You are given a task. Consider what an expert would take into account, then answer.\nTask: {p}",
        "{p} Make the answer at least 600 words.",
        "Question: {p}\nAnswer with a detailed explanation:",
        "{p}\n\n{c} {c2}",
        "Here is a request from a user:\n\"\"\"\n{p}\n\"\"\"\nWrite the best possible response to it."]
MATH_T = ["{q}\nLet's think step by step.",
          "Solve the following problem. Reason step by step and put your final answer within \\boxed{{}}.\n\n{q}",
          "Problem:\n{q}\n\nWrite a complete solution, explaining every step, then state 'The answer is: <number>'.",
          "{q}\n\nShow all your work.",
          "Question: {q}\nPlease reason step by step, and put your final answer within \\boxed{{}}.",
          "You are a math olympiad coach. Solve carefully and explain each step:\n{q}",
          "{q}\n\nWork through this carefully. First restate the problem, then compute each quantity, then verify."]
CODE_TASKS = ["parses an ISO-8601 date string and returns a UTC timestamp", "implements an LRU cache with O(1) get and put",
              "merges overlapping intervals in a list", "computes the edit distance between two strings",
              "serialises a binary tree to a string and back", "finds the k most frequent words in a text",
              "validates a Sudoku board", "implements Dijkstra's shortest path on an adjacency list",
              "detects a cycle in a directed graph", "rate-limits calls with a token bucket",
              "flattens an arbitrarily nested list", "evaluates an arithmetic expression with + - * / and parentheses",
              "implements a trie with insert, search and prefix search", "returns all permutations of a string without duplicates",
              "computes the longest increasing subsequence", "reads a CSV file and aggregates a column by key",
              "implements binary search on a rotated sorted array", "converts a Roman numeral to an integer and back",
              "implements a thread-safe bounded queue", "parses a URL query string into a map",
              "finds the median of two sorted arrays", "implements a min-heap from scratch",
              "topologically sorts a dependency graph", "computes the convex hull of 2-D points",
              "implements run-length encoding and decoding", "finds all anagram groups in a list of words",
              "implements a simple regular-expression matcher supporting . and *", "computes matrix multiplication for sparse matrices",
              "retries an HTTP call with exponential backoff and jitter", "implements consistent hashing with virtual nodes",
              "computes the maximum subarray sum", "solves the 0/1 knapsack problem",
              "implements a bloom filter", "validates balanced brackets in a string",
              "computes the number of islands in a grid", "implements union-find with path compression",
              "generates the first n primes with a sieve", "implements a debounce function",
              "diffs two text files line by line", "implements an event emitter with on/off/once"]
PLANGS = ["Python", "Rust", "Go", "TypeScript", "Java", "C++", "Kotlin", "C#"]
CODE_T = ["Write a {lang} function that {task}. Explain your approach step by step and analyse its time and space complexity.",
          "Implement, in {lang}, code that {task}. Include unit tests and a detailed explanation of the design decisions.",
          "I need {lang} code that {task}. Think through edge cases first, then write the code, then walk through an example run.",
          "Solve in {lang}: a program that {task}. Give the reasoning behind the algorithm before the code.",
          "Write idiomatic, production-quality {lang} that {task}. Comment every non-obvious line."]


def perturb_numbers(q, rng):
    def f(m):
        v = int(m.group(0))
        if rng.random() < 0.4 or v == 0:
            return m.group(0)
        return str(max(2, v + rng.choice([-3, -2, -1, 1, 2, 3, 4, 5, 10, 12])))
    return re.sub(r"(?<![\d.])\d{1,4}(?![\d.])", f, q)


def neutral_alias(rng):
    a = rng.choice(ALIAS_A) + "-" + rng.choice(ALIAS_B)
    if rng.random() < 0.3:
        a += rng.choice(["-prod", "-dev", "-eu", "-us", "-2", "-internal"])
    return a


# --------------------------------------------------------------------------------------
# accounts and context
# --------------------------------------------------------------------------------------
class Key:
    __slots__ = ("hash", "alias", "spend", "budget")

    def __init__(self, rng):
        raw = "sk-" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(32))
        self.hash = hashlib.sha256(raw.encode()).hexdigest()
        self.alias = rng.choice(KEY_ALIASES)
        self.spend = round(rng.uniform(0, 40), 4) if rng.random() < 0.7 else 0.0
        self.budget = rng.choice([None, None, None, 100.0, 500.0, 1000.0, 5000.0])


class Account:
    def __init__(self, ctx, rng, persona, label, keyless=False, nkeys=1, org=None, group=None):
        self.persona, self.label, self.group = persona, label, group
        self.team_id = None if keyless else uuid4(rng)
        self.org_id = org
        self.alias = None if keyless else neutral_alias(rng)
        self.keys = [Key(rng) for _ in range(1 if keyless else nkeys)]
        self.user_id = rng.choice(["default_user_id", uuid4(rng), "u-" + hexid(rng, 10)])
        self.id = self.team_id or self.keys[0].hash
        self.requests = 0
        ctx.accounts.append(self)


class Ctx:
    def __init__(self, seed, days, scale, data):
        self.seed, self.days, self.scale = seed, days, scale
        self.t_end = T0 + days * DAY
        self.C = Corpora(data)
        self.S = Synth(self.C)
        self.events = []
        self.seq = 0
        self.accounts = []
        self.notes = {}
        # new model release: day 2 17:00 UTC (or ~55% into a short window)
        self.release = T0 + (2 * DAY + 17 * HOUR if days >= 3.5 else days * DAY * 0.55)

    def rng(self, *parts):
        return random.Random("%s|%s" % (self.seed, "|".join(str(p) for p in parts)))

    def n(self, x):
        """scale a volume"""
        return x * self.scale

    def model_ok(self, m, t):
        return m != "frontier-pro-2" or t >= self.release

    # ------------------------------------------------------------------ request emission
    def emit(self, rng, acct, t, msgs, model, outs=None, *, key=None, eu=None, ip=None, ua=None, kind="prose",
             lead=None, lit=None, tc=None, status="ok", params=None, stream=False, reasoning=0, pt_extra=0):
        """Queue one request; returns its end time (for conversation timing)."""
        if model == "frontier-pro-2" and t < self.release:
            model = "frontier-pro"
        M = MODELS[model]
        if M.get("reasoning") and status == "ok" and not reasoning and not tc:
            reasoning = int(lognorm(rng, 700, 0.7))
        ptoks = 3 + pt_extra
        for m in msgs:
            c = m.get("content")
            ptoks += 4 + (tok(c) if isinstance(c, str) else 0)
            if m.get("tool_calls"):
                for x in m["tool_calls"]:
                    ptoks += 6 + tok(x["function"]["arguments"])
        p = params or {}
        if "tools" in p:
            ptoks += tok(json.dumps(p["tools"]))
        if status == "ok":
            if lit is not None:
                maxt = p.get("max_tokens") or p.get("max_completion_tokens")
                outs = []
                for s in lit:
                    k = tok(s)
                    outs.append((maxt, "length") if maxt and k > maxt else (k, "stop"))
            if tc is not None:
                outs = [(sum(8 + tok(x["function"]["arguments"]) for x in tc) + tok(lead), "tool_calls")]
            maxt = p.get("max_tokens") or p.get("max_completion_tokens")
            if reasoning and maxt:
                reasoning = min(reasoning, max(0, maxt - 16))
                outs = [(maxt - reasoning, "length") if o[0] + reasoning >= maxt else o for o in outs]
            gen = max(o[0] for o in outs) + reasoning
            dur = 0.18 + ptoks / 9000.0 + rng.random() * 0.5 + gen / (M["tps"] * rng.uniform(0.75, 1.25))
        else:
            outs = []
            dur = {"429": rng.uniform(0.004, 0.05), "400": rng.uniform(0.05, 0.3), "500": rng.uniform(0.5, 3),
                   "timeout": rng.uniform(60, 600)}.get(status, 0.1)
        if t < T0 or t >= self.t_end:
            return t + dur
        key = key or acct.keys[0]
        r = {"a": acct, "k": key, "m": msgs, "mod": model, "o": outs, "ip": ip, "ua": ua, "eu": eu, "p": p,
             "st": status, "pt": ptoks, "dur": dur, "kind": kind, "stream": stream}
        if lead is not None:
            r["lead"] = lead
        if lit is not None:
            r["lit"] = lit
        if tc is not None:
            r["tc"] = tc
        if reasoning:
            r["rt"] = reasoning
        self.events.append((t, self.seq, r))
        self.seq += 1
        acct.requests += 1
        return t + dur

    def maybe_fail(self, rng, p429=0.0, p_err=0.002):
        x = rng.random()
        if x < p429:
            return "429"
        if x < p429 + p_err:
            return rng.choice(["500", "500", "timeout"])
        return None


def outs(rng, median, sigma, max_tokens=None, n=1, spread=0.25):
    base = lognorm(rng, median, sigma)
    res = []
    for _ in range(n):
        w = max(1, int(base * (1 + rng.uniform(-spread, spread))))
        if max_tokens and w >= max_tokens:
            res.append((max_tokens, "length"))
        else:
            res.append((w, "stop"))
    return res


def P(**kw):
    """ordered model_parameters without Nones"""
    return {k: v for k, v in kw.items() if v is not None}


# --------------------------------------------------------------------------------------
# timing
# --------------------------------------------------------------------------------------
PROFILES = {
    "office":   [0.04, 0.03, 0.02, 0.02, 0.02, 0.04, 0.1, 0.3, 0.7, 1.0, 1.0, 0.95, 0.7, 0.9, 1.0, 1.0, 0.9, 0.7, 0.45, 0.3, 0.25, 0.2, 0.12, 0.07],
    "dev":      [0.1, 0.06, 0.03, 0.02, 0.02, 0.03, 0.05, 0.12, 0.35, 0.7, 0.95, 1.0, 0.8, 0.9, 1.0, 1.0, 0.95, 0.8, 0.6, 0.45, 0.5, 0.5, 0.4, 0.22],
    "consumer": [0.35, 0.2, 0.12, 0.08, 0.06, 0.07, 0.15, 0.3, 0.45, 0.55, 0.6, 0.65, 0.7, 0.65, 0.6, 0.6, 0.65, 0.7, 0.8, 0.95, 1.0, 0.95, 0.8, 0.55],
    "student":  [0.2, 0.08, 0.04, 0.02, 0.02, 0.03, 0.06, 0.15, 0.25, 0.3, 0.3, 0.3, 0.35, 0.4, 0.5, 0.8, 1.0, 1.0, 0.9, 0.95, 1.0, 0.9, 0.7, 0.4],
    "flat":     [1.0] * 24,
    "flatish":  [0.8, 0.75, 0.7, 0.7, 0.72, 0.75, 0.8, 0.85, 0.95, 1.0, 1.0, 1.0, 0.95, 1.0, 1.0, 1.0, 0.98, 0.95, 0.92, 0.9, 0.9, 0.88, 0.85, 0.82],
}
WEEKEND = {"office": 0.2, "dev": 0.35, "consumer": 1.15, "student": 0.75, "flat": 1.0, "flatish": 0.95}


def diurnal_times(ctx, rng, per_day, tz, profile, weekend=None, t_start=None, t_end=None, day_mult=None):
    """Non-homogeneous Poisson arrivals: per_day on a weekday, shaped by local hour and weekday."""
    w = PROFILES[profile]
    sw = sum(w)
    wk = WEEKEND[profile] if weekend is None else weekend
    t_start = T0 if t_start is None else max(T0, t_start)
    t_end = ctx.t_end if t_end is None else min(ctx.t_end, t_end)
    out = []
    h0 = int((t_start - T0) // HOUR)
    h1 = int(math.ceil((t_end - T0) / HOUR))
    for h in range(h0, h1):
        hs = T0 + h * HOUR
        loc = hs + tz * HOUR
        lh = int((loc // HOUR) % 24)
        wd = int(((loc // DAY) + 3) % 7)  # 1970-01-01 was a Thursday -> 0=Mon
        lam = per_day * w[lh] / sw * (wk if wd >= 5 else 1.0)
        if day_mult:
            lam *= day_mult.get(int((hs - T0) // DAY), 1.0)
        for _ in range(poisson(rng, lam)):
            t = hs + rng.random() * HOUR
            if t_start <= t < t_end:
                out.append(t)
    out.sort()
    return out


def poisson_times(rng, rate_per_s, t_start, t_end):
    out, t = [], t_start
    if rate_per_s <= 0:
        return out
    while True:
        t += rng.expovariate(rate_per_s)
        if t >= t_end:
            return out
        out.append(t)


def regular_times(rng, t_start, t_end, interval, jitter):
    out, t = [], t_start
    while t < t_end:
        out.append(t + rng.uniform(-jitter, jitter))
        t += interval
    return [x for x in out if x >= T0]


def batch_times(rng, t_start, n, per_req_s, concurrency):
    """A batch job at fixed concurrency: arrivals at about concurrency / service time."""
    out, t = [], t_start
    gap = per_req_s / max(1, concurrency)
    for _ in range(n):
        t += rng.expovariate(1.0 / gap) if rng.random() < 0.7 else gap
        out.append(t)
    return out


# --------------------------------------------------------------------------------------
# prompt sources
# --------------------------------------------------------------------------------------
class Unique:
    """Draws items from a shuffled pool without repetition; after exhaustion, a new cycle
    (callers combine the cycle number with a transform so the emitted text stays new)."""

    def __init__(self, items, rng):
        self.items = list(items)
        rng.shuffle(self.items)
        self.i = 0

    def take(self):
        x = self.items[self.i % len(self.items)]
        cyc = self.i // len(self.items)
        self.i += 1
        return x, cyc


def evolve(rng, p, allow_lang=True):
    t = rng.choice(EVOL if allow_lang else [e for e in EVOL if "{lang}" not in e])
    c, c2 = rng.sample(CONSTRAINTS, 2)
    return t.replace("{c}", c).replace("{c2}", c2).replace("{lang}", rng.choice(list(LANGS.values()))).replace("{p}", p)


def harvest_instruction(ctx, rng, src, cot_p=0.6, soft=False, evol_p=0.75, combine_p=0.08):
    """A novel instruction built from the general pool with Evol-style mutations."""
    (p, ref), cyc = src.take()
    if rng.random() < combine_p:
        (p2, _), _ = src.take()
        p = "Complete both tasks.\n\nTask A: %s\n\nTask B: %s" % (p, p2)
        ref = None
    if cyc > 0 or rng.random() < evol_p:
        p = evolve(rng, p)
        ref = None if rng.random() < 0.7 else ref
    if rng.random() < cot_p:
        p = p + ("\n\n" if rng.random() < 0.7 else " ") + rng.choice(COT_SOFT if soft else COT_EN)
    return p, ref


def math_prompt(ctx, rng, item, cyc, tmpl=None, lang=None):
    q = item["question"]
    if cyc > 0 or rng.random() < 0.35:
        q = perturb_numbers(q, rng)
    if lang:
        return q + "\n\n" + COT_ML[lang]
    return (tmpl or rng.choice(MATH_T)).format(q=q)


def code_prompt(ctx, rng, it):
    if it[0] == "he":
        h = ctx.C.he[it[1]]
        if it[2] == "py":
            return "Complete the following function. Think step by step about the algorithm first, then provide the full implementation with comments.\n\n```python\n%s```" % h["prompt"]
        return "Translate this Python function into %s and explain each line:\n\n```python\n%s%s```" % (it[2], h["prompt"], h["canonical_solution"])
    if it[0] == "si":
        return ctx.C.code_instr[it[1]] + "\n\nExplain your solution step by step."
    return CODE_T[it[3]].format(lang=it[2], task=CODE_TASKS[it[1]])


def code_pool(ctx):
    items = [("he", i, "py") for i in range(len(ctx.C.he))]
    items += [("he", i, l) for i in range(len(ctx.C.he)) for l in ("Rust", "Go", "TypeScript", "Java")]
    items += [("si", i) for i in range(len(ctx.C.code_instr))]
    items += [("ct", i, l, f) for i in range(len(CODE_TASKS)) for l in PLANGS for f in range(len(CODE_T))]
    return items


def eu_id(rng, style):
    if style == "user_":
        return "user_" + hexid(rng, 8)
    if style == "u-":
        return "u-%d" % rng.randint(10000, 9999999)
    if style == "hex":
        return hexid(rng, 16)
    if style == "uuid":
        return uuid4(rng)
    if style == "cust":
        return "cust_" + "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(10))
    return "anon-" + hexid(rng, 6)


# ======================================================================================
# ATTACK personas
# ======================================================================================
def p_bulk_cot(ctx):
    """Bulk single-account extraction with chain-of-thought elicitation, near-24/7."""
    C = ctx.C
    for i in range(2):
        rng = ctx.rng("bulk", i)
        a = Account(ctx, rng, "bulk_cot_extractor", "attack")
        ip_pfx, ua = cloud_prefix(rng), rng.choice(UA_PY)
        sysp = rng.choice(["You are an expert assistant. Think step by step and show all of your reasoning before giving the final answer.",
                           "You are a world-class expert. For every task, reason through the problem in detail, step by step, then give a complete final answer."])
        gen = Unique(C.instr, rng)
        mth = Unique(C.gsm_train, rng)
        start = T0 + (0 if i == 0 else DAY + rng.uniform(0, 6) * HOUR)
        per_day = ctx.n(1000 if i == 0 else 600)
        times = diurnal_times(ctx, rng, per_day, 0, "flatish", t_start=start)
        for t in times:
            if rng.random() < 0.35:
                it, cyc = mth.take()
                u, kind, ref = math_prompt(ctx, rng, it, cyc), "math", clean_gsm(it["answer"])
            else:
                u, ref = harvest_instruction(ctx, rng, gen, cot_p=0.5)
                kind = "prose"
            msgs = [{"role": "system", "content": sysp}, {"role": "user", "content": u}]
            mt = rng.choice([2048, 4096, 4096, 8192])
            params = P(temperature=rng.choice([0.7, 0.8]), n=2 if i == 1 and rng.random() < 0.5 else None,
                       max_tokens=mt, logprobs=True if i == 1 else None, top_logprobs=20 if i == 1 else None)
            st = ctx.maybe_fail(rng, p429=0.03)
            if st == "429":
                ctx.emit(rng, a, t, msgs, "frontier-pro", status="429", ip=ip_in(ip_pfx, rng), ua=ua, params=params)
                t += rng.uniform(1, 6)
                st = None
            ctx.emit(rng, a, t, msgs, "frontier-pro", outs(rng, 1300 if kind == "prose" else 800, 0.55, mt, params.get("n", 1)),
                     ip=ip_in(ip_pfx, rng), ua=ua, kind=kind, lead=ref, params=params, status=st or "ok")


def p_slow_low(ctx):
    """Slow-and-low harvesters: tens of requests/day, all hours, jittered, many days."""
    C = ctx.C
    for i in range(5):
        rng = ctx.rng("slow", i)
        a = Account(ctx, rng, "slow_low_harvester", "attack", nkeys=2 if i == 3 else 1)
        gen = Unique(C.instr + [(x, None) for x in C.hh_first[:800]], rng)
        mth = Unique(C.gsm_train, rng)
        per_day = ctx.n(rng.uniform(50, 110))
        prof = "office" if i == 4 else "flat"
        times = diurnal_times(ctx, rng, per_day, rng.choice([-5, 1, 8]), prof, weekend=1.0)
        uas = rng.sample(UA_ALL, 2)
        day_ip = {}
        model = rng.choice(["frontier-pro", "frontier-pro", "frontier-reason"])
        for t in times:
            d = int((t - T0) // DAY)
            if d not in day_ip:
                day_ip[d] = residential_ip(rng)
            if rng.random() < 0.25:
                it, cyc = mth.take()
                u, kind, ref = math_prompt(ctx, rng, it, cyc), "math", clean_gsm(it["answer"])
            else:
                u, ref = harvest_instruction(ctx, rng, gen, cot_p=0.4, soft=rng.random() < 0.5)
                kind = "prose"
            msgs = [{"role": "user", "content": u}]
            mt = rng.choice([2048, 3000, 4096, None])
            ctx.emit(rng, a, t, msgs, model, outs(rng, 900, 0.55, mt), key=a.keys[d % len(a.keys)], ip=day_ip[d],
                     ua=uas[d % 2], kind=kind, lead=ref, params=P(temperature=round(rng.uniform(0.6, 1.0), 2), max_tokens=mt))


HYDRA_A_SYS = ["You are a meticulous expert tutor. Think step by step and show all of your reasoning before giving the final answer.",
               "You are an expert problem solver. Reason carefully, step by step, showing every intermediate step, then state the final answer.",
               "You are a careful expert. Work through the problem step by step and show your complete reasoning before the final answer.",
               "Act as an expert. Show your full chain of reasoning step by step, then give the final answer on its own line."]


def p_hydra_a(ctx):
    """Hydra cluster A: 14 team accounts created in two waves, shared /24s, UA, paraphrased
    system prompts, splitting one shuffled prompt set (math + instructions); keys rotate."""
    C = ctx.C
    crng = ctx.rng("hydraA")
    pfx = [cloud_prefix(crng), cloud_prefix(crng)]
    ua = "python-httpx/0.27.0"
    shared = [("m", i) for i in range(len(C.gsm_train))] + [("g", i) for i in range(len(C.instr))]
    crng.shuffle(shared)
    N = 14
    for i in range(N):
        rng = ctx.rng("hydraA", i)
        a = Account(ctx, rng, "hydra_cluster_A", "attack", nkeys=rng.randint(2, 4), group="hydraA")
        wave = 0 if i < 7 else 1
        start = T0 + (10 * HOUR if wave == 0 else 2 * DAY + 14 * HOUR) + rng.uniform(0, 3 * HOUR)
        end = ctx.t_end if (wave == 1 or rng.random() < 0.5) else T0 + rng.uniform(2.2, 3.5) * DAY
        per_day = ctx.n(rng.uniform(140, 230))
        times = poisson_times(rng, per_day / DAY, start, min(end, ctx.t_end))
        mine = shared[i::N]
        rot = rng.uniform(4, 9) * HOUR
        sysp = HYDRA_A_SYS[i % 4]
        kidx = 0
        for j, t in enumerate(times):
            kidx = (int((t - start) // rot)) % len(a.keys)
            it = mine[j % len(mine)]
            cyc = j // len(mine)
            if it[0] == "m":
                g = C.gsm_train[it[1]]
                u, kind, ref = math_prompt(ctx, rng, g, cyc, tmpl=MATH_T[(i + j) % 3]), "math", clean_gsm(g["answer"])
            else:
                p, ref = C.instr[it[1]]
                u = evolve(rng, p, allow_lang=False) if (cyc or rng.random() < 0.6) else p
                u += "\n\n" + COT_EN[(i + j) % 3]
                kind = "prose"
            msgs = [{"role": "system", "content": sysp}, {"role": "user", "content": u}]
            params = P(temperature=0.8, max_tokens=2048 if i % 3 == 0 else 4096)
            ip = ip_in(pfx[i % 2], rng)
            if rng.random() < 0.05:
                ctx.emit(rng, a, t, msgs, "frontier-pro", key=a.keys[kidx], status="429", ip=ip, ua=ua, params=params)
                kidx = (kidx + 1) % len(a.keys)
                t += rng.uniform(0.5, 3)
            ctx.emit(rng, a, t, msgs, "frontier-pro-2" if t > ctx.release + 3 * HOUR and rng.random() < 0.7 else "frontier-pro",
                     outs(rng, 900, 0.45, params["max_tokens"]), key=a.keys[kidx], ip=ip, ua=ua, kind=kind, lead=ref, params=params)


def p_hydra_b(ctx):
    """Hydra cluster B: 10 key-only accounts (account = key hash), code capability harvest,
    synchronised hourly cron bursts, waves on day 0/1/3, rotating residential-proxy IPs."""
    crng = ctx.rng("hydraB")
    pool = code_pool(ctx)
    crng.shuffle(pool)
    uas = ["OpenAI/Python 1.51.2", "python-requests/2.31.0", "OpenAI/Python 1.54.3"]
    N = 10
    waves = [0, 0, 0, 0, 1, 1, 1, 3, 3, 3]
    minute = crng.randint(2, 12)
    for i in range(N):
        rng = ctx.rng("hydraB", i)
        a = Account(ctx, rng, "hydra_cluster_B", "attack", keyless=True, group="hydraB")
        start = T0 + waves[i] * DAY + rng.uniform(3, 9) * HOUR
        mine = pool[i::N]
        j = 0
        h = int((start - T0) // HOUR) + 1
        while T0 + h * HOUR < ctx.t_end:
            if rng.random() < 0.85:
                t = T0 + h * HOUR + minute * 60 + rng.uniform(0, 40)
                for _ in range(int(rng.randint(3, 8) * ctx.scale + 0.5)):
                    u = code_prompt(ctx, rng, mine[j % len(mine)])
                    if j >= len(mine):
                        u += " " + rng.choice(CONSTRAINTS)
                    j += 1
                    mt = 3072
                    end = ctx.emit(rng, a, t, [{"role": "user", "content": u}], "frontier-pro", outs(rng, 900, 0.4, mt),
                                   ip=residential_ip(rng), ua=uas[i % 3], kind="code",
                                   params=P(temperature=0.7, max_tokens=mt))
                    t = end + rng.uniform(0.2, 2.0)
            h += 1


def reseller_chat_request(ctx, rng, a, t, eu, ip, ua, state):
    """One benign end-user chat turn inside a reseller / chat app; returns end time."""
    C = ctx.C
    r = rng.random()
    if r < 0.45:
        conv = rng.choice(C.hh)
        k = rng.randrange(0, min(len(conv), 5) // 2 + 1) * 2
        msgs = [{"role": ro, "content": c} for ro, c in conv[:k + 1]]
        ans = conv[k + 1][1] if k + 1 < len(conv) else None
        if msgs[-1]["role"] != "user":
            msgs = msgs[:-1]
        if ans:
            return ctx.emit(rng, a, t, msgs, state["model"], eu=eu, ip=ip, ua=ua, lit=[ans], stream=True,
                            params=P(temperature=0.7))
        return ctx.emit(rng, a, t, msgs, state["model"], outs(rng, 180, 0.6), eu=eu, ip=ip, ua=ua, stream=True,
                        params=P(temperature=0.7))
    if r < 0.75:
        p = rng.choice(C.koala + [x["turns"][0] for x in C.vic] + C.hh_first[:500])
        msgs = [{"role": "user", "content": p}]
        e = ctx.emit(rng, a, t, msgs, state["model"], outs(rng, 330, 0.6, 2048), eu=eu, ip=ip, ua=ua, stream=True,
                     params=P(temperature=0.7, max_tokens=2048))
        if rng.random() < 0.35:
            ans = ctx.S.prose(rng, 1200)
            msgs2 = msgs + [{"role": "assistant", "content": ans},
                            {"role": "user", "content": rng.choice(["Can you make it shorter?", "Thanks! Can you give an example?",
                                                                    "What do you mean by that?", "ok and what about the second point", "Can you rephrase that more simply?"])}]
            e = ctx.emit(rng, a, e + rng.uniform(20, 200), msgs2, state["model"], outs(rng, 200, 0.5), eu=eu, ip=ip, ua=ua,
                         stream=True, params=P(temperature=0.7))
        return e
    p = rng.choice(C.uo)
    inp = p["instances"][0]["input"]
    msgs = [{"role": "user", "content": p["instruction"] + ("\n\n" + inp if inp else "")}]
    return ctx.emit(rng, a, t, msgs, state["model"], outs(rng, 150, 0.7), eu=eu, ip=ip, ua=ua, stream=rng.random() < 0.5,
                    params=P(temperature=rng.choice([0.3, 0.7, 1.0])))


def _reseller(ctx, name, persona_label_rule, benign_per_day, harvest_per_day, n_harvest_eu, harvest_eu_rotating, idx):
    C = ctx.C
    rng = ctx.rng(name, idx)
    a = Account(ctx, rng, name, "benign", nkeys=2, group=name)
    pfx = cloud_prefix(rng)
    ips = [ip_in(pfx, rng) for _ in range(3)]
    ua = rng.choice(UA_NODE + UA_PY[:2])
    n_eu = rng.randint(600, 1800)
    eus = [eu_id(rng, "u-") for _ in range(n_eu)]
    state = {"model": rng.choice(["frontier-pro", "frontier-mini"])}
    benign_tok = [0]
    harvest_tok = [0]
    b_req = h_req = 0
    times = diurnal_times(ctx, rng, ctx.n(benign_per_day), rng.choice([-5, 0, 1]), "consumer")
    for t in times:
        st = {"model": "frontier-mini" if rng.random() < 0.4 else state["model"]}
        n0 = len(ctx.events)
        reseller_chat_request(ctx, rng, a, t, rng.choice(eus), rng.choice(ips), ua, st)
        for ev in ctx.events[n0:]:
            benign_tok[0] += sum(o[0] for o in ev[2]["o"])
            b_req += 1
    if harvest_per_day > 0:
        gen = Unique(C.instr, rng)
        mth = Unique(C.gsm_train, rng)
        heus = [eu_id(rng, "u-") for _ in range(n_harvest_eu)]
        htimes = diurnal_times(ctx, rng, ctx.n(harvest_per_day), 0, "flatish")
        for t in htimes:
            eu = eu_id(rng, "u-") if harvest_eu_rotating and rng.random() < 0.06 else None
            if eu:
                heus.append(eu)
            eu = heus[-1] if harvest_eu_rotating else rng.choice(heus)
            if rng.random() < 0.4:
                it, cyc = mth.take()
                u, kind, ref = math_prompt(ctx, rng, it, cyc), "math", clean_gsm(it["answer"])
            else:
                u, ref = harvest_instruction(ctx, rng, gen, cot_p=0.55)
                kind = "prose"
            n0 = len(ctx.events)
            ctx.emit(rng, a, t, [{"role": "user", "content": u}], "frontier-pro", outs(rng, 900, 0.45, 4096), eu=eu,
                     ip=rng.choice(ips), ua=ua, kind=kind, lead=ref, stream=rng.random() < 0.3,
                     params=P(temperature=0.8, max_tokens=4096))
            for ev in ctx.events[n0:]:
                harvest_tok[0] += sum(o[0] for o in ev[2]["o"])
                h_req += 1
        ctx.notes.setdefault(a.id, {})["harvest_end_users"] = len(set(heus))
    tot = benign_tok[0] + harvest_tok[0]
    share_tok = harvest_tok[0] / tot if tot else 0.0
    share_req = h_req / (h_req + b_req) if (h_req + b_req) else 0.0
    # labelling rule (see README): attack iff harvesting end users produce >= 20% of the
    # account's completion tokens
    a.label = "attack" if share_tok >= 0.20 else "benign"
    ctx.notes.setdefault(a.id, {}).update({"harvest_share_completion_tokens": round(share_tok, 4),
                                           "harvest_share_requests": round(share_req, 4),
                                           "end_users_benign": n_eu})
    return a


def p_reseller_harvest(ctx):
    """Reseller/proxy accounts with harvesting end users inside ordinary chat traffic."""
    _reseller(ctx, "reseller_with_harvest", None, 400, 70, 4, False, 0)       # few heavy harvesting end users
    _reseller(ctx, "reseller_with_harvest", None, 300, 48, 3, True, 1)        # harvest spread over rotating end-user ids


APP_MIMIC_SYS = ["You are Nova, a friendly writing and study assistant inside the StudyPal app. Be helpful, thorough and clear.",
                 "You are the assistant of the Quillmate productivity app. Answer the user's request completely and accurately. Use markdown.",
                 "You are Sage, an AI helper in a learning platform. Give complete, well-organised answers and explain your thinking."]


def p_app_mimic(ctx):
    """Harvesters dressed as apps: app-like system prompt, made-up end-user ids (each used
    1-3 times), streaming, weakly diurnal, occasional decoy follow-up."""
    C = ctx.C
    for i in range(3):
        rng = ctx.rng("appmimic", i)
        a = Account(ctx, rng, "app_mimic_harvester", "attack")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_NODE)
        gen = Unique(C.instr + [(x, None) for x in C.hh_first[:600]], rng)
        sysp = APP_MIMIC_SYS[i]
        times = diurnal_times(ctx, rng, ctx.n(rng.uniform(170, 260)), rng.choice([-5, -8, 1]), "flatish")
        style = ["user_", "hex", "uuid"][i]
        eu, left = None, 0
        for t in times:
            if left <= 0:
                eu, left = eu_id(rng, style), rng.randint(1, 3)
            left -= 1
            u, ref = harvest_instruction(ctx, rng, gen, cot_p=0.45, soft=i == 2)
            msgs = [{"role": "system", "content": sysp}, {"role": "user", "content": u}]
            e = ctx.emit(rng, a, t, msgs, "frontier-pro", outs(rng, 1000, 0.5, 4096), eu=eu, ip=ip_in(pfx, rng), ua=ua,
                         lead=ref, stream=True, params=P(temperature=0.7, max_tokens=4096, stream_options={"include_usage": True}))
            if rng.random() < 0.08:
                ans = ctx.S.prose(rng, 3000, ref)
                msgs2 = msgs + [{"role": "assistant", "content": ans},
                                {"role": "user", "content": rng.choice(["Can you elaborate further with more detail?", "Go deeper on each point.", "Expand this into a longer version."])}]
                ctx.emit(rng, a, e + rng.uniform(3, 20), msgs2, "frontier-pro", outs(rng, 1200, 0.4, 4096), eu=eu,
                         ip=ip_in(pfx, rng), ua=ua, stream=True, params=P(temperature=0.7, max_tokens=4096, stream_options={"include_usage": True}))


def p_math_sampler(ctx):
    """Capability harvest: math with many samples per prompt (n=4..8, T=1.0), rejection sampling."""
    C = ctx.C
    for i in range(2):
        rng = ctx.rng("mathsamp", i)
        a = Account(ctx, rng, "math_rejection_sampler", "attack")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_PY)
        src = Unique(C.gsm_train, rng)
        times = diurnal_times(ctx, rng, ctx.n(rng.uniform(220, 320)), 0, "flat")
        for t in times:
            it, cyc = src.take()
            u = math_prompt(ctx, rng, it, cyc, tmpl=MATH_T[1] if i == 0 else None)
            n = rng.choice([4, 8]) if i == 0 else rng.choice([4, 5, 6])
            params = P(temperature=1.0, top_p=0.95, n=n, max_tokens=2048,
                       logprobs=True if i == 1 else None, top_logprobs=10 if i == 1 else None)
            ctx.emit(rng, a, t, [{"role": "user", "content": u}], "frontier-reason" if i == 1 and rng.random() < 0.5 else "frontier-pro",
                     outs(rng, 420, 0.35, 2048, n=n, spread=0.35), ip=ip_in(pfx, rng), ua=ua, kind="math",
                     lead=clean_gsm(it["answer"]), params=params)


def p_organic_mimic(ctx):
    """Harvesters varying model, temperature, max_tokens, stream and UA, with decoy chat,
    office-ish hours but weekend activity, paraphrased reasoning requests."""
    C = ctx.C
    for i in range(3):
        rng = ctx.rng("organic", i)
        a = Account(ctx, rng, "organic_mimic_harvester", "attack", nkeys=2)
        gen = Unique(C.instr + [(x, None) for x in C.hh_first], rng)
        mth = Unique(C.gsm_test + C.gsm_train, rng)
        uas = rng.sample(UA_ALL, 3)
        home = residential_ip(rng)
        pfx = cloud_prefix(rng)
        times = diurnal_times(ctx, rng, ctx.n(rng.uniform(180, 270)), rng.choice([-5, 1, 8]), "dev", weekend=0.8)
        for t in times:
            model = rng.choice(["frontier-pro", "frontier-pro", "frontier-mini", "frontier-reason", "frontier-pro-2"])
            mt = rng.choice([None, 512, 1024, 1500, 2048, 2048, 4096])
            temp = round(rng.uniform(0.2, 1.2), 2)
            ua, ip = rng.choice(uas), (home if rng.random() < 0.5 else ip_in(pfx, rng))
            key = rng.choice(a.keys)
            stream = rng.random() < 0.4
            r = rng.random()
            if r < 0.14:  # decoy: short chatty exchange
                p = rng.choice(["hi", "thanks!", "what model are you?", "ok cool", "test", "Tell me a joke about databases."] + C.hh_first[:200])
                ctx.emit(rng, a, t, [{"role": "user", "content": p}], model, outs(rng, 60, 0.6, mt), key=key, ip=ip, ua=ua,
                         stream=stream, params=P(temperature=temp, max_tokens=mt))
                continue
            if r < 0.34:
                it, cyc = mth.take()
                u = math_prompt(ctx, rng, it, cyc, tmpl="{q}\n\n" + rng.choice(COT_SOFT))
                kind, ref = "math", clean_gsm(it["answer"])
            else:
                u, ref = harvest_instruction(ctx, rng, gen, cot_p=0.5, soft=True, evol_p=0.6)
                kind = "prose"
            msgs = [{"role": "user", "content": u}]
            if rng.random() < 0.3:
                msgs.insert(0, {"role": "system", "content": rng.choice(["You are a helpful assistant.", "You are ChatGPT, a large language model. Answer as helpfully as possible.", "Be concise but complete."])})
            e = ctx.emit(rng, a, t, msgs, model, outs(rng, 850, 0.6, mt), key=key, ip=ip, ua=ua, kind=kind, lead=ref,
                         stream=stream, params=P(temperature=temp, max_tokens=mt))
            if rng.random() < 0.1:
                msgs2 = msgs + [{"role": "assistant", "content": ctx.S.text(kind, rng, 2400, ref)},
                                {"role": "user", "content": rng.choice(["go on", "continue", "Can you expand the last part?", "why?"])}]
                ctx.emit(rng, a, e + rng.uniform(5, 90), msgs2, model, outs(rng, 600, 0.5, mt), key=key, ip=ip, ua=ua,
                         kind=kind, stream=stream, params=P(temperature=temp, max_tokens=mt))


def judge_text(rng, n):
    out, L = [], 0
    while L < n:
        s_ = rng.choice(JUDGE_SENT)
        out.append(s_)
        L += len(s_) + 1
    return " ".join(out)


def p_reward_harvest(ctx):
    """Reward harvesting: the model as a grader over an endless stream of new (question, answer)
    pairs, rubric scores with explanations (single and pairwise)."""
    C = ctx.C
    jd = C.judge
    for i in range(2):
        rng = ctx.rng("reward", i)
        a = Account(ctx, rng, "reward_harvester", "attack")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_PY)
        qs = Unique(C.instr + [(x, None) for x in C.hh_first] + [(g["question"], None) for g in C.gsm_train[:2000]], rng)
        times = diurnal_times(ctx, rng, ctx.n(rng.uniform(260, 340)), 0, "flat")
        for t in times:
            (q, ref), cyc = qs.take()
            if cyc:
                q = evolve(rng, q, allow_lang=False)
            ans_a = ctx.S.prose(rng, rng.randint(600, 3000))
            if i == 0:
                j = jd["single-v1"]
                user = j["prompt_template"].format(question=q, answer=ans_a)
                rubric = "\n\nAdditionally, score each of: correctness, helpfulness, depth, clarity (1-10), and justify every score."
                msgs = [{"role": "system", "content": j["system_prompt"]}, {"role": "user", "content": user + (rubric if rng.random() < 0.6 else "")}]
            else:
                j = jd["pair-v2"]
                ans_b = ctx.S.prose(rng, rng.randint(600, 3000))
                msgs = [{"role": "system", "content": j["system_prompt"]},
                        {"role": "user", "content": j["prompt_template"].format(question=q, answer_a=ans_a, answer_b=ans_b)}]
            o = outs(rng, 380, 0.45, 1024)[0]
            v = judge_text(rng, 4 * o[0]) + ("\n\nRating: [[%d]]" % rng.randint(2, 10) if i == 0 else "\n\n[[%s]]" % rng.choice("AABBC"))
            ctx.emit(rng, a, t, msgs, "frontier-pro", ip=ip_in(pfx, rng), ua=ua, lit=[v],
                     params=P(temperature=0, max_tokens=1024))


def p_model_pivot(ctx):
    """Moderate CoT harvest that moves ~90% of its traffic to the new model within hours of release
    and ramps up."""
    C = ctx.C
    for i in range(2):
        rng = ctx.rng("pivot", i)
        a = Account(ctx, rng, "model_pivot_harvester", "attack")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_PY + UA_MISC[:4])
        gen = Unique(C.instr, rng)
        mth = Unique(C.gsm_train, rng)
        before = diurnal_times(ctx, rng, ctx.n(rng.uniform(110, 170)), 0, "flatish", t_end=ctx.release + rng.uniform(1, 6) * HOUR)
        after = diurnal_times(ctx, rng, ctx.n(rng.uniform(450, 650)), 0, "flatish", t_start=before[-1] if before else ctx.release)
        for t in before + after:
            piv = t > (before[-1] if before else ctx.release)
            model = "frontier-pro-2" if piv and rng.random() < 0.92 else "frontier-pro"
            if rng.random() < 0.4:
                it, cyc = mth.take()
                u, kind, ref = math_prompt(ctx, rng, it, cyc), "math", clean_gsm(it["answer"])
            else:
                u, ref = harvest_instruction(ctx, rng, gen, cot_p=0.7)
                kind = "prose"
            ctx.emit(rng, a, t, [{"role": "user", "content": u}], model, outs(rng, 900, 0.5, 4096), ip=ip_in(pfx, rng), ua=ua,
                     kind=kind, lead=ref, params=P(temperature=0.7, max_tokens=4096))


AGENT_TOOLS = [
    {"type": "function", "function": {"name": "read_file", "description": "Read a file from the workspace.", "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}}},
    {"type": "function", "function": {"name": "write_file", "description": "Write content to a file.", "parameters": {"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string"}}, "required": ["path", "content"]}}},
    {"type": "function", "function": {"name": "run_shell", "description": "Run a shell command and return stdout/stderr.", "parameters": {"type": "object", "properties": {"command": {"type": "string"}, "timeout": {"type": "integer"}}, "required": ["command"]}}},
    {"type": "function", "function": {"name": "search_code", "description": "Search the repository for a regex.", "parameters": {"type": "object", "properties": {"pattern": {"type": "string"}, "glob": {"type": "string"}}, "required": ["pattern"]}}},
]
WEB_TOOLS = [
    {"type": "function", "function": {"name": "web_search", "description": "Search the web.", "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}},
    {"type": "function", "function": {"name": "browse", "description": "Open a URL and return the page text.", "parameters": {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]}}},
    {"type": "function", "function": {"name": "python", "description": "Execute Python code.", "parameters": {"type": "object", "properties": {"code": {"type": "string"}}, "required": ["code"]}}},
]


def tool_call(rng, name, args):
    return {"id": "call_" + hexid(rng, 24), "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}


def p_agentic_harvest(ctx):
    """Agentic-trace harvest: tools declared, one fresh task per request, full trajectories or a
    first tool call requested; never a real tool loop (at most a fabricated observation)."""
    C = ctx.C
    for i in range(2):
        rng = ctx.rng("agentharv", i)
        a = Account(ctx, rng, "agentic_trace_harvester", "attack")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_PY)
        gen = Unique(C.instr, rng)
        sysp = "You are an autonomous agent. Before every action, think out loud about your plan in detail, then call the appropriate tool. Explain your reasoning for each step."
        tools = AGENT_TOOLS + WEB_TOOLS
        times = diurnal_times(ctx, rng, ctx.n(rng.uniform(160, 230)), 0, "flat")
        for t in times:
            (p, _), cyc = gen.take()
            if cyc:
                p = evolve(rng, p, allow_lang=False)
            msgs = [{"role": "system", "content": sysp}, {"role": "user", "content": "Task: " + p + "\n\nUse the available tools as needed."}]
            if rng.random() < 0.55:
                # ask for a complete written trajectory
                msgs[1]["content"] += " Write out the complete trajectory: Thought, Action, Observation for every step, until the task is finished."
                ctx.emit(rng, a, t, msgs, "frontier-pro", outs(rng, 1600, 0.4, 4096), ip=ip_in(pfx, rng), ua=ua,
                         params=P(temperature=0.7, max_tokens=4096, tools=tools))
            else:
                name = rng.choice(["web_search", "python", "run_shell", "search_code"])
                args = {"query": p[:80]} if name == "web_search" else {"code": "# plan\n" + p[:60]} if name == "python" else {"command": "ls -la"} if name == "run_shell" else {"pattern": p.split()[0] if p.split() else "TODO"}
                lead = ctx.S.prose(rng, rng.randint(800, 2400))
                e = ctx.emit(rng, a, t, msgs, "frontier-pro", ip=ip_in(pfx, rng), ua=ua, tc=[tool_call(rng, name, args)], lead=lead,
                             params=P(temperature=0.7, max_tokens=4096, tools=tools, tool_choice="auto"))
                if rng.random() < 0.3:  # fabricated observation to get the next step
                    tcs = [tool_call(rng, name, args)]
                    msgs2 = msgs + [{"role": "assistant", "content": lead, "tool_calls": tcs},
                                    {"role": "tool", "tool_call_id": tcs[0]["id"], "content": ctx.S.prose(rng, 600)}]
                    ctx.emit(rng, a, e + rng.uniform(0.5, 3), msgs2, "frontier-pro", outs(rng, 1200, 0.4, 4096), ip=ip_in(pfx, rng), ua=ua,
                             params=P(temperature=0.7, max_tokens=4096, tools=tools))


def p_multilingual_harvest(ctx):
    """Harvest through translated-style wrappers and non-English reasoning markers."""
    C = ctx.C
    for i in range(2):
        rng = ctx.rng("mlharv", i)
        a = Account(ctx, rng, "multilingual_harvester", "attack")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_ALL)
        langs = ["es", "fr", "de", "pt", "it"] if i == 0 else ["zh", "ja", "ko", "ru"]
        gen = Unique(C.instr, rng)
        mth = Unique(C.gsm_train, rng)
        times = diurnal_times(ctx, rng, ctx.n(rng.uniform(200, 280)), 8 if i else 1, "flatish")
        for t in times:
            lang = rng.choice(langs)
            if rng.random() < 0.35:
                it, cyc = mth.take()
                u, kind = math_prompt(ctx, rng, it, cyc, lang=lang), "math"
            else:
                (p, _), cyc = gen.take()
                if cyc:
                    p = evolve(rng, p, allow_lang=False)
                u = rng.choice(ML_WRAP[lang]).format(p=p) + "\n\n" + COT_ML[lang]
                kind = "prose"
            ctx.emit(rng, a, t, [{"role": "user", "content": u}], rng.choice(["frontier-pro", "frontier-pro-2"]),
                     outs(rng, 1000, 0.45, 4096), ip=ip_in(pfx, rng), ua=ua, kind=kind,
                     params=P(temperature=0.8, max_tokens=4096))


# ======================================================================================
# BENIGN personas
# ======================================================================================
def gsm_fewshot(C):
    shots = C.gsm_train[:8]
    return "".join("Question: %s\nAnswer: %s\n\n" % (s["question"], clean_gsm(s["answer"])) for s in shots)


def p_eval_harness(ctx):
    """Evaluation harnesses: bounded benchmark sets, rerun per model/night, bursts, T=0, pass@k."""
    C = ctx.C
    fs = gsm_fewshot(C)
    for i in range(6):
        rng = ctx.rng("eval", i)
        a = Account(ctx, rng, "eval_harness", "benign")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_PY + ["python-requests/2.31.0", "python-httpx/0.27.2"])
        conc = rng.choice([8, 16, 32])
        sub = 200

        def gsm_run(t, model, items, style):
            for it, tt in zip(items, batch_times(rng, t, len(items), 3.0, conc)):
                if style == "fewshot":
                    msgs = [{"role": "user", "content": fs + "Question: %s\nAnswer:" % it["question"]}]
                    params = P(temperature=0, max_tokens=256, stop=["Question:", "</s>", "<|im_end|>"])
                else:
                    msgs = [{"role": "user", "content": "Q: %s\nA: Let's think step by step." % it["question"]}]
                    params = P(temperature=0, max_tokens=512)
                st = ctx.maybe_fail(rng, p429=0.015)
                if st == "429":
                    ctx.emit(rng, a, tt, msgs, model, status="429", ip=ip_in(pfx, rng), ua=ua, params=params)
                    tt += rng.uniform(2, 20)
                    st = None
                ans = clean_gsm(it["answer"])
                if style != "fewshot":
                    ans = ctx.S.math_text(rng, int(len(ans) * rng.uniform(1.2, 2.2)), ans)
                ctx.emit(rng, a, tt, msgs, model, ip=ip_in(pfx, rng), ua=ua, lit=[" " + ans], params=params, status=st or "ok")

        def he_run(t, model, as_n):
            for h, tt in zip(C.he, batch_times(rng, t, len(C.he), 4.0, conc)):
                msgs = [{"role": "user", "content": "Complete the following Python code without any tests or explanation\n" + h["prompt"]}]
                if as_n:
                    params = P(temperature=0.8, top_p=0.95, n=5, max_tokens=512, stop=["\ndef ", "\nclass ", "\nif __name__", "\nprint("])
                    ctx.emit(rng, a, tt, msgs, model, outs(rng, 110, 0.5, 512, n=5, spread=0.4), ip=ip_in(pfx, rng), ua=ua,
                             kind="code", lead=h["canonical_solution"], params=params)
                else:
                    for s in range(10):
                        params = P(temperature=0.8, top_p=0.95, max_tokens=512, seed=s)
                        ctx.emit(rng, a, tt + s * 0.7, msgs, model, outs(rng, 110, 0.5, 512), ip=ip_in(pfx, rng), ua=ua,
                                 kind="code", lead=h["canonical_solution"], params=params)

        def mtb_run(t, model):
            tt = t
            for q in C.mtb + [{"turns": [v["turns"][0]], "category": "generic"} for v in C.vic]:
                temp = {"writing": 0.7, "roleplay": 0.7, "extraction": 0.0, "math": 0.0, "coding": 0.0, "reasoning": 0.0, "stem": 0.1, "humanities": 0.1}.get(q["category"], 0.7)
                msgs = [{"role": "user", "content": q["turns"][0]}]
                e = ctx.emit(rng, a, tt, msgs, model, outs(rng, 420, 0.5, 1024), ip=ip_in(pfx, rng), ua=ua, params=P(temperature=temp, max_tokens=1024))
                if len(q["turns"]) > 1:
                    msgs2 = msgs + [{"role": "assistant", "content": ctx.S.prose(rng, 1500)}, {"role": "user", "content": q["turns"][1]}]
                    ctx.emit(rng, a, e + 0.05, msgs2, model, outs(rng, 350, 0.5, 1024), ip=ip_in(pfx, rng), ua=ua, params=P(temperature=temp, max_tokens=1024))
                tt += rng.uniform(0.3, 2.0)

        def ae_run(t, model):
            for x, tt in zip(C.ae, batch_times(rng, t, len(C.ae), 12.0, conc)):
                ctx.emit(rng, a, tt, [{"role": "user", "content": x["instruction"]}], model, ip=ip_in(pfx, rng), ua=ua,
                         lit=[x["output"]], params=P(temperature=0.7, max_tokens=2048))

        rel = ctx.release
        night = lambda d, hh=2: T0 + d * DAY + hh * HOUR + rng.uniform(0, 1200)
        if i == 0:    # nightly CI: GSM8K subset (few-shot) + HumanEval n=5, plus the new model after release
            for d in range(int(ctx.days) + 1):
                gsm_run(night(d), "frontier-pro", C.gsm_test[:sub], "fewshot")
                he_run(night(d, 4), "frontier-pro", True)
            gsm_run(rel + 2 * HOUR, "frontier-pro-2", C.gsm_test[:sub], "fewshot")
            he_run(rel + 3 * HOUR, "frontier-pro-2", True)
        elif i == 1:  # model comparison: full GSM8K zero-shot CoT on 2 models, then the new model right after release
            gsm_run(T0 + 14 * HOUR, "frontier-mini", C.gsm_test, "cot")
            gsm_run(T0 + DAY + 10 * HOUR, "frontier-pro", C.gsm_test, "cot")
            gsm_run(rel + 40 * 60, "frontier-pro-2", C.gsm_test, "cot")
        elif i == 2:  # MT-bench + vicuna answers for three models
            mtb_run(T0 + 0.6 * DAY, "frontier-pro")
            mtb_run(T0 + 1.5 * DAY, "frontier-mini")
            mtb_run(rel + 5 * HOUR, "frontier-pro-2")
            mtb_run(T0 + 4.4 * DAY, "frontier-reason")
        elif i == 3:  # AlpacaEval generation: 805 long answers per model
            ae_run(T0 + 0.7 * DAY, "frontier-pro")
            ae_run(rel + 6 * HOUR, "frontier-pro-2")
        elif i == 4:  # HumanEval pass@10 as separate seeded requests
            he_run(T0 + 1.4 * DAY, "frontier-pro", False)
            he_run(T0 + 3.45 * DAY, "frontier-pro-2", True)
        else:         # small startup: repeated smoke evals on weekday mornings
            for d in range(int(ctx.days)):
                t = T0 + d * DAY + 13 * HOUR + rng.uniform(0, HOUR)
                if int(((t // DAY) + 3) % 7) < 5:
                    gsm_run(t, rng.choice(["frontier-mini", "frontier-pro"]), C.gsm_test[:200], "cot")
                    mtb_run(t + 1.2 * HOUR, "frontier-mini")


def p_llm_judge(ctx):
    """LLM-as-judge pipelines over bounded sets (AlpacaEval logprob judge, ranking judge,
    MT-bench single and pairwise)."""
    C = ctx.C
    jd = C.judge
    for i in range(4):
        rng = ctx.rng("judge", i)
        a = Account(ctx, rng, "llm_judge_pipeline", "benign")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_PY)
        conc = rng.choice([8, 16])
        runs = [T0 + 0.8 * DAY, ctx.release + 8 * HOUR, T0 + 3.6 * DAY] if i < 2 else [T0 + 1.2 * DAY, T0 + 3.9 * DAY]
        for ri, t in enumerate(runs):
            if t >= ctx.t_end:
                continue
            if i == 0:  # weighted alpaca eval: max_tokens 1, logprobs, both orders
                sysm, tmpl = C.ae_clf
                items = [(x, o) for x in C.ae for o in ((0, 1) if ri < 2 else (0,))]
                for (x, o), tt in zip(items, batch_times(rng, t, len(items), 1.2, conc)):
                    cand = ctx.S.prose(rng, max(200, len(x["dav"]))) if ri else x["dav"]
                    o1, o2 = (x["output"], cand) if o == 0 else (cand, x["output"])
                    u = tmpl.replace("{instruction}", x["instruction"]).replace("{output_1}", o1).replace("{output_2}", o2)
                    ctx.emit(rng, a, tt, [{"role": "system", "content": sysm}, {"role": "user", "content": u}], "frontier-pro",
                             ip=ip_in(pfx, rng), ua=ua, lit=[rng.choice(["m", "M"])],
                             params=P(temperature=1, max_tokens=1, logprobs=True, top_logprobs=5))
            elif i == 1:  # ranking judge, max_tokens 100
                sysm, tmpl = C.ae_rank
                for x, tt in zip(C.ae, batch_times(rng, t, len(C.ae), 2.5, conc)):
                    u = tmpl.replace("{instruction}", x["instruction"]).replace("{output_1}", x["output"]).replace("{output_2}", x["dav"])
                    r1 = rng.choice([1, 2])
                    ans = "[\n    {'model': 'model_1', 'rank': %d},\n    {'model': 'model_2', 'rank': %d}\n]" % (r1, 3 - r1)
                    ctx.emit(rng, a, tt, [{"role": "system", "content": sysm}, {"role": "user", "content": u}], "frontier-pro",
                             ip=ip_in(pfx, rng), ua=ua, lit=[ans], params=P(temperature=0, max_tokens=100))
            elif i == 2:  # MT-bench single grading for 4 candidate models, both turns
                items = [(q, m) for q in C.mtb for m in range(4)]
                for (q, m), tt in zip(items, batch_times(rng, t, len(items), 6.0, conc)):
                    ref = C.mtb_ref.get(q["question_id"])
                    if ref:
                        j = jd["single-math-v1"]
                        u = j["prompt_template"].format(question=q["turns"][0], ref_answer_1=ref[0], answer=ctx.S.prose(rng, 1200))
                    else:
                        j = jd["single-v1"]
                        u = j["prompt_template"].format(question=q["turns"][0], answer=ctx.S.prose(rng, 1500))
                    verdict = judge_text(rng, rng.randint(400, 1000)) + "\n\nRating: [[%d]]" % rng.randint(3, 10)
                    ctx.emit(rng, a, tt, [{"role": "system", "content": j["system_prompt"]}, {"role": "user", "content": u}],
                             "frontier-pro", ip=ip_in(pfx, rng), ua=ua, lit=[verdict], params=P(temperature=0, max_tokens=2048))
            else:  # MT-bench pairwise, 3 model pairs x 2 orders
                j = jd["pair-v2"]
                items = [(q, pr, o) for q in C.mtb for pr in range(3) for o in (0, 1)]
                for (q, pr, o), tt in zip(items, batch_times(rng, t, len(items), 6.0, conc)):
                    u = j["prompt_template"].format(question=q["turns"][0], answer_a=ctx.S.prose(rng, 1300), answer_b=ctx.S.prose(rng, 1300))
                    verdict = judge_text(rng, rng.randint(300, 900)) + "\n\n[[%s]]" % rng.choice("AABBC")
                    ctx.emit(rng, a, tt, [{"role": "system", "content": j["system_prompt"]}, {"role": "user", "content": u}],
                             "frontier-pro", ip=ip_in(pfx, rng), ua=ua, lit=[verdict], params=P(temperature=0, max_tokens=2048))


TICKET_LABELS = ["billing", "technical_issue", "account_access", "feature_request", "complaint", "other"]


def p_batch_classifier(ctx):
    """Batch classifiers / labelling jobs: templated, tiny outputs; 24/7 queues, nightly
    bursts, and one machine-regular canary."""
    C = ctx.C
    for i in range(6):
        rng = ctx.rng("clf", i)
        a = Account(ctx, rng, "batch_classifier", "benign")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_PY + UA_MISC[:5])
        ip = ip_in(pfx, rng)
        if i == 0:  # support-ticket triage queue, 24/7, every ticket new
            src = Unique(C.hh_first + C.koala + [u["instances"][0]["input"] for u in C.uo if u["instances"][0]["input"]], rng)
            sysm = "You are a ticket routing model. Reply with exactly one label from: " + ", ".join(TICKET_LABELS) + "."
            for t in diurnal_times(ctx, rng, ctx.n(350), -5, "flatish"):
                x, cyc = src.take()
                u = "Ticket #%d\nChannel: %s\nBody: %s" % (rng.randint(100000, 999999), rng.choice(["email", "chat", "web form"]), x)
                ctx.emit(rng, a, t, [{"role": "system", "content": sysm}, {"role": "user", "content": u}], "frontier-mini",
                         ip=ip, ua=ua, lit=[rng.choice(TICKET_LABELS)], params=P(temperature=0, max_tokens=5))
        elif i == 1:  # nightly review sentiment recompute
            for d in range(int(ctx.days) + 1):
                t = T0 + d * DAY + 1 * HOUR + rng.uniform(0, 600)
                revs = rng.sample(C.reviews, int(min(len(C.reviews), ctx.n(200))))
                for x, tt in zip(revs, batch_times(rng, t, len(revs), 0.6, 8)):
                    ctx.emit(rng, a, tt, [{"role": "user", "content": x + "Answer with one word."}], "frontier-mini", ip=ip, ua=ua,
                             lit=[rng.choice(["Positive", "Negative", "positive", "negative", "★★★★", "★★★★★", "★★"])], params=P(temperature=0, max_tokens=5))
        elif i == 2:  # regression canary: every 120 s, machine-regular, cycling a fixed set
            items = C.news + [("What is this question asking for?\n\n" + q + "\n") for q in C.trec]
            k = 0
            for t in regular_times(rng, T0 + 37, ctx.t_end, 240 / max(ctx.scale, 0.05), 0.4):
                ctx.emit(rng, a, t, [{"role": "user", "content": items[k % len(items)]}], "frontier-pro", ip=ip, ua=ua,
                         lit=[rng.choice(["Business", "Sports", "World politics", "Science and technology", "description", "entity", "location"])],
                         params=P(temperature=0, max_tokens=8))
                k += 1
        elif i == 3:  # JSON extraction from documents, weekday business-hours bursts
            docs = [c for c, _, _ in C.contexts]
            for d in range(int(ctx.days)):
                t = T0 + d * DAY + 15 * HOUR + rng.uniform(0, 2 * HOUR)
                if int(((t // DAY) + 3) % 7) >= 5:
                    continue
                n = int(ctx.n(rng.uniform(350, 500)))
                for tt in batch_times(rng, t, n, 1.5, 6):
                    doc = rng.choice(docs)
                    u = "Extract the following fields from the document and return JSON with keys name, dates, organisations, locations, topic.\n\nDocument:\n" + doc
                    out = json.dumps({"name": doc.split(" ")[0], "dates": [], "organisations": [], "locations": [], "topic": rng.choice(["biography", "history", "science", "sports"])})
                    ctx.emit(rng, a, tt, [{"role": "user", "content": u}], "frontier-mini", ip=ip, ua=ua, lit=[out],
                             params=P(temperature=0, max_tokens=200, response_format={"type": "json_object"}))
        elif i == 4:  # moderation labelling of chat turns, 24/7, novel inputs
            src = Unique(C.hh_user_turns, rng)
            for t in diurnal_times(ctx, rng, ctx.n(400), 0, "flat"):
                x, cyc = src.take()
                u = "Classify the following message for policy violations. Output one of: SAFE, UNSAFE:<category>.\n\nMessage: " + x
                ctx.emit(rng, a, t, [{"role": "user", "content": u}], "frontier-mini", ip=ip, ua=ua,
                         lit=[rng.choice(["SAFE", "SAFE", "SAFE", "UNSAFE:violence", "UNSAFE:harassment", "UNSAFE:illegal"])],
                         params=P(temperature=0, max_tokens=10))
        else:  # intent router with logprobs (max_tokens 1, top_logprobs 3)
            src = [t for t, _ in C.instr]
            opts = "A) writing  B) coding  C) math  D) research  E) other"
            for t in diurnal_times(ctx, rng, ctx.n(260), -8, "office", weekend=0.5):
                u = "Which product area does this query belong to? %s\nAnswer with the letter only.\n\nQuery: %s" % (opts, rng.choice(src))
                ctx.emit(rng, a, t, [{"role": "user", "content": u}], "frontier-mini", ip=ip, ua=ua, lit=[rng.choice("ABCDE")],
                         params=P(temperature=0, max_tokens=1, logprobs=True, top_logprobs=3))


RAG_SYS = ["Use the following pieces of context to answer the question at the end. If you don't know the answer, just say that you don't know, don't try to make up an answer.\n\n{context}",
           "Context information is below.\n---------------------\n{context}\n---------------------\nGiven the context information and not prior knowledge, answer the query.",
           "You are a support assistant for our documentation. Answer only from the provided documents and cite the document number.\n\nDocuments:\n{context}"]


def p_rag_app(ctx):
    """RAG apps with many end users: retrieved context in the system prompt, short questions,
    moderate answers, follow-ups, human diurnal traffic."""
    C = ctx.C
    qpool = C.hotpot + C.koala + C.hh_first[:600] + C.trec
    for i in range(6):
        rng = ctx.rng("rag", i)
        a = Account(ctx, rng, "rag_app", "benign", nkeys=rng.randint(1, 2))
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_PY + UA_NODE)
        sys_t = RAG_SYS[i % 3]
        eus = [eu_id(rng, rng.choice(["user_", "uuid", "cust"])) for _ in range(rng.randint(150, 1500))]
        model = rng.choice(["frontier-mini", "frontier-mini", "frontier-pro"])
        tz = rng.choice([-8, -5, 0, 1, 5.5, 9])
        for t in diurnal_times(ctx, rng, ctx.n(rng.uniform(130, 280)), tz, rng.choice(["office", "consumer"])):
            eu = rng.choice(eus)
            ctxs = rng.sample(C.contexts, rng.randint(2, 4))
            chunk = "\n\n".join(("[%d] " % (k + 1)) + c for k, (c, _, _) in enumerate(ctxs))
            q = ctxs[0][1] if ctxs[0][1] and rng.random() < 0.5 else rng.choice(qpool)
            msgs = [{"role": "system", "content": sys_t.replace("{context}", chunk)}, {"role": "user", "content": q}]
            stream = rng.random() < 0.6
            sents = [x for c, _, _ in ctxs for x in sentences(c)] or ["the documents do not cover this"]
            k = max(1, int(lognorm(rng, 3, 0.5)))
            ans = rng.choice(["According to [1], ", "Based on the provided context, ", "", "The documents say that "]) + " ".join(rng.sample(sents, min(k, len(sents))))
            if rng.random() < 0.15:
                ans = "I don't know. The provided context does not contain that information."
            e = ctx.emit(rng, a, t, msgs, model, eu=eu, ip=ip_in(pfx, rng), ua=ua, stream=stream, lit=[ans],
                         params=P(temperature=rng.choice([0, 0.1, 0.2]), max_tokens=800))
            for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
                msgs = msgs + [{"role": "assistant", "content": ctx.S.prose(rng, rng.randint(300, 900))},
                               {"role": "user", "content": rng.choice(["Can you give more detail on that?", "Where in the docs is that?", "And what about " + rng.choice(qpool)[:60] + "?", "thanks, and how does this compare?"])}]
                e = ctx.emit(rng, a, e + rng.uniform(15, 240), msgs, model, outs(rng, 150, 0.6, 800), eu=eu, ip=ip_in(pfx, rng), ua=ua,
                             stream=stream, params=P(temperature=0.1, max_tokens=800))


AGENT_SYS = ("You are an expert software engineering agent working in the user's repository. You can read and write files, "
             "search the code and run shell commands using the provided tools. Work in small verified steps: inspect the relevant "
             "files before editing, keep changes minimal, run the test suite after each change, and stop when the tests pass. "
             "Never invent file contents; always read them first. When you are done, summarise the change for the user.\n\n"
             "Repository conventions:\n- Python 3.11, pytest, ruff\n- Source lives in src/, tests in tests/\n- Do not add new dependencies.")


def p_coding_agent(ctx):
    """Coding agents: human-started sessions, long tool-call loops with growing context."""
    C = ctx.C
    for i in range(6):
        rng = ctx.rng("agent", i)
        a = Account(ctx, rng, "coding_agent", "benign", nkeys=rng.randint(1, 3))
        ua = rng.choice(UA_NODE + UA_PY)
        tz = rng.choice([-8, -5, 0, 1, 2, 5.5])
        devs = [residential_ip(rng) for _ in range(rng.randint(2, 8))]
        model = rng.choice(["frontier-pro", "frontier-reason", "frontier-pro"])
        sessions = diurnal_times(ctx, rng, ctx.n(rng.uniform(10, 24)), tz, "dev")
        for s in sessions:
            if model == "frontier-pro" and s > ctx.release + DAY * 0.5 and rng.random() < 0.5:
                m = "frontier-pro-2"
            else:
                m = model
            h = rng.choice(C.he)
            task = rng.choice(["Implement `%s` in src/%s.py so that tests/test_%s.py passes." % (h["entry_point"], h["entry_point"], h["entry_point"]),
                               "The CI is failing on tests/test_%s.py, can you fix it?" % h["entry_point"],
                               "Refactor src/%s.py for readability and add type hints; keep behaviour identical." % h["entry_point"]])
            if rng.random() < 0.3 and C.code_instr:
                task = rng.choice(C.code_instr)
            msgs = [{"role": "system", "content": AGENT_SYS}, {"role": "user", "content": task}]
            ip = rng.choice(devs)
            key = rng.choice(a.keys)
            t = s
            steps = rng.randint(4, 26)
            for k in range(steps):
                final = k == steps - 1
                params = P(temperature=0, max_tokens=8192, tools=AGENT_TOOLS, tool_choice="auto", parallel_tool_calls=True if rng.random() < 0.3 else None)
                if ctx.maybe_fail(rng, p429=0.0, p_err=0.004):
                    t = ctx.emit(rng, a, t, msgs, m, key=key, ip=ip, ua=ua, status=rng.choice(["500", "400"]), params=params, stream=True) + rng.uniform(1, 5)
                if final:
                    summary = ("I've updated `src/%s.py`. " % h["entry_point"]) + " ".join(rng.sample(AGENT_THOUGHTS, 3)) + "\n\n" + ctx.S.code_text(rng, rng.randint(200, 1200), "```python\n" + h["prompt"] + h["canonical_solution"] + "```")
                    ctx.emit(rng, a, t, msgs, m, key=key, ip=ip, ua=ua, lit=[summary], params=params, stream=True)
                    break
                name = rng.choice(["read_file", "read_file", "run_shell", "search_code", "write_file"])
                if name == "read_file":
                    args, res = {"path": "src/%s.py" % h["entry_point"]}, h["prompt"] + h["canonical_solution"]
                elif name == "run_shell":
                    args = {"command": rng.choice(["pytest -q", "pytest -q tests/test_%s.py" % h["entry_point"], "ruff check src", "git diff"])}
                    res = ctx.S.code_text(rng, rng.randint(200, 2500)) if rng.random() < 0.5 else "F.F..\nFAILED tests/test_%s.py::test_basic - AssertionError\n2 failed, 3 passed in 0.41s" % h["entry_point"]
                elif name == "search_code":
                    args, res = {"pattern": h["entry_point"]}, "\n".join("src/%s.py:%d: %s" % (h["entry_point"], rng.randint(1, 90), l) for l in h["prompt"].splitlines()[:6])
                else:
                    args, res = {"path": "src/%s.py" % h["entry_point"], "content": h["prompt"] + h["canonical_solution"]}, "ok"
                tcs = [tool_call(rng, name, args)]
                thought = "" if rng.random() < 0.5 else " ".join(rng.sample(AGENT_THOUGHTS, rng.randint(1, 3)))
                e = ctx.emit(rng, a, t, msgs, m, key=key, ip=ip, ua=ua, tc=tcs, lead=thought, params=params, stream=True)
                msgs = msgs + [{"role": "assistant", "content": thought or None, "tool_calls": tcs},
                               {"role": "tool", "tool_call_id": tcs[0]["id"], "content": res}]
                t = e + rng.uniform(0.3, 4.0) + (rng.uniform(20, 300) if rng.random() < 0.08 else 0)


TRANSLATE_T = ["Translate the following text from English to {lang}. Preserve the formatting and do not add anything.\n\n{text}",
               "Translate into {lang}:\n\n{text}"]


def p_translate_summarize(ctx):
    """Translation / summarisation batch jobs: bounded document sets, bursts, outputs sized by input."""
    C = ctx.C
    for i in range(4):
        rng = ctx.rng("xlate", i)
        a = Account(ctx, rng, "translation_summarization_batch", "benign")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_PY + UA_MISC[:4])
        ip = ip_in(pfx, rng)
        if i == 0:  # doc translation: 805 docs x 2 languages on day 1, +1 language on day 3
            jobs = [(T0 + 1 * DAY + 20 * HOUR, ["German", "Japanese"]), (T0 + 3 * DAY + 21 * HOUR, ["Brazilian Portuguese"])]
            for t, langs in jobs:
                items = [(x, l) for l in langs for x in C.ae]
                for (x, l), tt in zip(items, batch_times(rng, t, int(len(items) * min(1.0, ctx.scale)), 14.0, 24)):
                    u = rng.choice(TRANSLATE_T).format(lang=l, text=x["output"])
                    k = int(tok(x["output"]) * rng.uniform(1.05, 1.35))
                    ctx.emit(rng, a, tt, [{"role": "user", "content": u}], "frontier-pro", [(min(k, 4096), "stop" if k < 4096 else "length")],
                             ip=ip, ua=ua, params=P(temperature=0.2, max_tokens=4096))
        elif i == 1:  # nightly summarisation of documents
            for d in range(int(ctx.days) + 1):
                t = T0 + d * DAY + 3 * HOUR + rng.uniform(0, 900)
                docs = rng.sample(C.contexts, min(len(C.contexts), int(ctx.n(rng.uniform(220, 280)))))
                for (c, _, _), tt in zip(docs, batch_times(rng, t, len(docs), 3.0, 8)):
                    ss = sentences(c) or [c[:200]]
                    summ = "\n".join("- " + x[:220] for x in (ss[:3] if len(ss) >= 3 else ss))
                    ctx.emit(rng, a, tt, [{"role": "user", "content": "Summarize the following document in 3 bullet points.\n\n" + c}], "frontier-mini",
                             ip=ip, ua=ua, lit=[summ], params=P(temperature=0.3, max_tokens=300))
        elif i == 2:  # UI-string localisation, weekday bursts, short
            strings = [k.split("\n")[0][:120] for k in C.koala] + [s["instruction"][:120] for s in C.seed]
            for d in range(int(ctx.days)):
                t = T0 + d * DAY + 9 * HOUR + rng.uniform(0, 3 * HOUR)
                if int(((t // DAY) + 3) % 7) >= 5:
                    continue
                items = [(s, l) for s in rng.sample(strings, int(ctx.n(60))) for l in ["French", "German", "Spanish", "Japanese", "Korean", "Italian"]]
                for (s, l), tt in zip(items, batch_times(rng, t, len(items), 1.0, 4)):
                    ctx.emit(rng, a, tt, [{"role": "system", "content": "You translate UI strings. Output only the translation."},
                                          {"role": "user", "content": "Target language: %s\nString: %s" % (l, s)}], "frontier-mini",
                             [(max(2, int(tok(s) * rng.uniform(1.0, 1.5))), "stop")], ip=ip, ua=ua, params=P(temperature=0, max_tokens=256))
        else:  # meeting/chat transcript summariser used by people during the day
            eus = [eu_id(rng, "hex") for _ in range(120)]
            for t in diurnal_times(ctx, rng, ctx.n(260), 1, "office"):
                conv = rng.choice(C.hh)
                tr = "\n".join(("Speaker A: " if r == "user" else "Speaker B: ") + c for r, c in conv)
                ctx.emit(rng, a, t, [{"role": "system", "content": "Summarise meeting transcripts into decisions, action items and open questions."},
                                     {"role": "user", "content": tr}], "frontier-pro", outs(rng, 220, 0.4, 600), eu=rng.choice(eus),
                         ip=ip, ua=ua, params=P(temperature=0.2, max_tokens=600))


def p_chat_app(ctx):
    """Consumer chat apps: many end users, multi-turn, streaming, evening peaks."""
    C = ctx.C
    for i in range(5):
        rng = ctx.rng("chat", i)
        a = Account(ctx, rng, "chat_app", "benign", nkeys=rng.randint(1, 3))
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_NODE + UA_PY)
        eus = [eu_id(rng, rng.choice(["user_", "u-", "uuid"])) for _ in range(rng.randint(300, 3000))]
        persona_sys = None
        if i >= 3:
            persona_sys = [x["prompt"] for x in rng.sample(C.awesome, 30)]
        st = {"model": rng.choice(["frontier-mini", "frontier-pro"])}
        tz = rng.choice([-8, -5, 0, 1, 8, 9])
        for s in diurnal_times(ctx, rng, ctx.n(rng.uniform(60, 110)), tz, "consumer"):
            eu = rng.choice(eus)
            ip = ip_in(pfx, rng)
            if persona_sys:  # "characters" app: awesome-chatgpt persona as system prompt
                sysm = rng.choice(persona_sys)
                msgs = [{"role": "system", "content": sysm}]
                t = s
                for k in range(rng.randint(1, 6)):
                    msgs = msgs + [{"role": "user", "content": rng.choice(C.hh_user_turns)}]
                    ans = ctx.S.prose(rng, int(lognorm(rng, 600, 0.6)))
                    e = ctx.emit(rng, a, t, msgs, st["model"], eu=eu, ip=ip, ua=ua, lit=[ans], stream=True, params=P(temperature=0.9))
                    msgs = msgs + [{"role": "assistant", "content": ans}]
                    t = e + rng.uniform(10, 180)
                continue
            if rng.random() < 0.55:  # replay an hh-rlhf conversation turn by turn
                conv = rng.choice(C.hh)
                msgs, t = [], s
                for k in range(0, len(conv) - 1, 2):
                    msgs = msgs + [{"role": "user", "content": conv[k][1]}]
                    ans = conv[k + 1][1]
                    e = ctx.emit(rng, a, t, msgs, st["model"], eu=eu, ip=ip, ua=ua, lit=[ans], stream=True,
                                 params=P(temperature=0.7, stream_options={"include_usage": True}))
                    msgs = msgs + [{"role": "assistant", "content": ans}]
                    t = e + rng.uniform(8, 150)
            else:
                t = s
                for _ in range(rng.randint(1, 3)):
                    t = reseller_chat_request(ctx, rng, a, t, eu, ip, ua, st) + rng.uniform(30, 400)


def p_researcher(ctx):
    """Researchers running one-off large jobs on a single day (bounded, benchmark-based)."""
    C = ctx.C
    for i in range(4):
        rng = ctx.rng("research", i)
        a = Account(ctx, rng, "researcher_oneoff", "benign")
        ip = residential_ip(rng) if rng.random() < 0.5 else ip_in(cloud_prefix(rng), rng)
        ua = rng.choice(UA_PY + ["python-requests/2.32.3"])
        day = rng.choice([1, 2, 3]) if ctx.days > 3 else 0
        t = T0 + day * DAY + rng.uniform(13, 17) * HOUR
        if i == 0:  # self-consistency study on the GSM8K test set, n=10
            items = C.gsm_test[:int(len(C.gsm_test) * min(1.0, ctx.scale))]
            for it, tt in zip(items, batch_times(rng, t, len(items), 12.0, 4)):
                ctx.emit(rng, a, tt, [{"role": "user", "content": "Q: %s\nA: Let's think step by step." % it["question"]}], "frontier-pro",
                         outs(rng, 170, 0.3, 512, n=10, spread=0.35), ip=ip, ua=ua, kind="math", lead=clean_gsm(it["answer"]),
                         params=P(temperature=0.7, n=10, max_tokens=512))
        elif i == 1:  # prompt-sensitivity study: 300 AlpacaEval instructions x 6 phrasings, T=0
            phr = ["{p}", "Please answer the following: {p}", "{p}\nBe concise.", "Instruction: {p}\nResponse:", "You are a helpful assistant.\n\n{p}", "{p} Think step by step."]
            items = [(x, f) for x in C.ae[:int(200 * min(1.0, ctx.scale) + 1)] for f in phr]
            for (x, f), tt in zip(items, batch_times(rng, t, len(items), 9.0, 8)):
                ctx.emit(rng, a, tt, [{"role": "user", "content": f.format(p=x["instruction"])}], "frontier-pro",
                         outs(rng, max(40, tok(x["output"])), 0.3, 1024), ip=ip, ua=ua, lead=x["output"], params=P(temperature=0, max_tokens=1024))
        elif i == 2:  # persona study: 100 system prompts x 12 fixed questions
            qs = [q["turns"][0] for q in C.vic[:12]]
            items = [(s["prompt"], q) for s in C.awesome[:int(100 * min(1.0, ctx.scale) + 1)] for q in qs]
            for (s, q), tt in zip(items, batch_times(rng, t, len(items), 6.0, 6)):
                ctx.emit(rng, a, tt, [{"role": "system", "content": s}, {"role": "user", "content": q}], "frontier-mini",
                         outs(rng, 300, 0.5, 512), ip=ip, ua=ua, params=P(temperature=0.7, max_tokens=512, seed=1234))
        else:  # calibration study with top_logprobs=20, short answers
            items = C.hotpot + [c[1] for c in C.contexts if c[1]] + [g["question"] + "\nAnswer with just the number." for g in C.gsm_test[:400]]
            items = items[:int(len(items) * min(1.0, ctx.scale))]
            for q, tt in zip(items, batch_times(rng, t, len(items), 1.0, 4)):
                ctx.emit(rng, a, tt, [{"role": "user", "content": q}], "frontier-pro", ip=ip, ua=ua,
                         lit=[rng.choice(["Paris", "1912", "42", "the Treaty of Versailles", "18", "No", "Yes"])],
                         params=P(temperature=0, max_tokens=16, logprobs=True, top_logprobs=20))


def small_user_session(ctx, rng, a, t, ip, ua, key, prefs):
    C = ctx.C
    r = rng.random()
    model = rng.choice(prefs["models"])
    if model == "frontier-pro-2" and t < ctx.release:
        model = "frontier-pro"
    mt = rng.choice(prefs["max_tokens"])
    if r < prefs["test_p"]:  # developer poking the API
        p = rng.choice(["hello", "test", "Say hi", "ping", "What is 2+2?", "Write a haiku about APIs."])
        for _ in range(rng.randint(1, 5)):
            t = ctx.emit(rng, a, t, [{"role": "user", "content": p}], model, outs(rng, 15, 0.6, mt), key=key, ip=ip, ua=ua,
                         params=P(temperature=rng.choice([None, 0, 1]), max_tokens=mt)) + rng.uniform(2, 40)
        return
    if r < 0.35:
        p = rng.choice(C.koala)
    elif r < 0.5:
        s = rng.choice(C.uo)
        inp = s["instances"][0]["input"]
        p = s["instruction"] + ("\n\n" + inp if inp else "")
    elif r < 0.62:
        p = rng.choice(C.awesome)["prompt"]
    elif r < 0.72:
        g = rng.choice(C.gsm_test)
        p = g["question"] + (" Explain step by step." if rng.random() < 0.5 else "")
    elif r < 0.8:
        p = rng.choice(C.code_instr) if C.code_instr else rng.choice(C.koala)
    else:
        p = rng.choice(C.hh_first)
    if prefs["cot"] and rng.random() < 0.3:
        p += " " + rng.choice(COT_EN[:3])
    sysm = prefs.get("sys")
    msgs = ([{"role": "system", "content": sysm}] if sysm else []) + [{"role": "user", "content": p}]
    stream = prefs["stream"]
    e = ctx.emit(rng, a, t, msgs, model, outs(rng, prefs["len"], 0.7, mt), key=key, ip=ip, ua=ua, stream=stream,
                 params=P(temperature=prefs["temp"], max_tokens=mt))
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
        msgs = msgs + [{"role": "assistant", "content": ctx.S.prose(rng, rng.randint(200, 2000))},
                       {"role": "user", "content": rng.choice(C.hh_user_turns + ["thanks, can you shorten it?", "Now do the same in a table.", "why is that?", "Can you fix the error: TypeError: 'NoneType' object is not subscriptable"])}]
        e = ctx.emit(rng, a, e + rng.uniform(20, 300), msgs, model, outs(rng, prefs["len"] * 0.7, 0.6, mt), key=key, ip=ip, ua=ua,
                     stream=stream, params=P(temperature=prefs["temp"], max_tokens=mt))


def p_small_users(ctx, n=70):
    """Ordinary small users: developers, students, hobbyists; some key-only accounts."""
    for i in range(n):
        rng = ctx.rng("small", i)
        keyless = rng.random() < 0.3
        a = Account(ctx, rng, "small_user", "benign", keyless=keyless, nkeys=rng.choice([1, 1, 1, 2]))
        prof = rng.choice(["office", "dev", "dev", "consumer", "student"])
        tz = rng.choice([-8, -7, -5, -3, 0, 1, 2, 3, 5.5, 8, 9, 10])
        home = residential_ip(rng)
        ua = rng.choice(UA_ALL)
        prefs = {"models": rng.choice([["frontier-mini"], ["frontier-pro"], ["frontier-pro", "frontier-mini"], ["frontier-pro", "frontier-pro-2"], ["frontier-reason"]]),
                 "max_tokens": rng.choice([[None], [None, 1024], [4096], [256, 512], [2048]]),
                 "test_p": rng.choice([0.02, 0.05, 0.2]), "cot": rng.random() < 0.3, "stream": rng.random() < 0.4,
                 "temp": rng.choice([None, 0, 0.2, 0.7, 1.0]), "len": rng.choice([120, 250, 400, 700]),
                 "sys": rng.choice([None, None, None, "You are a helpful assistant."])}
        per_day = ctx.n(rng.choice([1, 2, 3, 5, 8, 12, 20])) * (1.0 if rng.random() < 0.75 else 0.3)
        active = set(d for d in range(int(math.ceil(ctx.days))) if rng.random() < 0.6)
        for s in diurnal_times(ctx, rng, per_day, tz, prof, day_mult={d: (1.0 if d in active else 0.0) for d in range(int(math.ceil(ctx.days)) + 1)}):
            small_user_session(ctx, rng, a, s, home if rng.random() < 0.8 else residential_ip(rng), ua, rng.choice(a.keys), prefs)


def p_enterprise(ctx):
    """Benign look-alike of a hydra: 8 teams of one company (same org id, one corporate /24,
    same gateway user agent, same internal system prompt), human office traffic."""
    rng0 = ctx.rng("enterprise")
    org = uuid4(rng0)
    pfx = cloud_prefix(rng0)
    ua = "OpenAI/Python 1.51.2"
    sysm = ("You are the internal assistant for employees of a mid-sized logistics company. Follow the company's "
            "communication guidelines, never reveal confidential data, and answer clearly and step by step when asked "
            "about processes.")
    for i in range(8):
        rng = ctx.rng("enterprise", i)
        a = Account(ctx, rng, "enterprise_team", "benign", org=org, nkeys=rng.randint(1, 3), group="enterprise")
        prefs = {"models": ["frontier-pro", "frontier-mini"], "max_tokens": [None, 2048], "test_p": 0.01, "cot": rng.random() < 0.5,
                 "stream": True, "temp": 0.3, "len": rng.choice([250, 400, 600]), "sys": sysm}
        for s in diurnal_times(ctx, rng, ctx.n(rng.uniform(25, 70)), -5, "office"):
            small_user_session(ctx, rng, a, s, ip_in(pfx, rng), ua, rng.choice(a.keys), prefs)


CONTENT_KINDS = ["blog post", "product description", "LinkedIn post", "newsletter section", "landing page copy", "cold email", "FAQ section"]


def p_content_saas(ctx):
    """Content-writing SaaS: templated requests with long outputs, many end users, business hours."""
    C = ctx.C
    topics = [x["instruction"] for x in C.ae if len(x["instruction"]) < 160] + C.koala
    for i in range(3):
        rng = ctx.rng("content", i)
        a = Account(ctx, rng, "content_writing_saas", "benign")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_NODE)
        eus = [eu_id(rng, "cust") for _ in range(rng.randint(200, 900))]
        tz = rng.choice([-5, -8, 1])
        for t in diurnal_times(ctx, rng, ctx.n(rng.uniform(180, 300)), tz, "office", weekend=0.4):
            words = rng.choice([300, 500, 800, 1200])
            u = "Write a %d-word %s about the following topic.\nTopic: %s\nAudience: %s\nTone: %s\nInclude a call to action." % (
                words, rng.choice(CONTENT_KINDS), rng.choice(topics), rng.choice(["small business owners", "developers", "parents", "students", "marketing managers"]),
                rng.choice(["friendly", "professional", "witty", "authoritative"]))
            ctx.emit(rng, a, t, [{"role": "system", "content": "You are an expert copywriter. Write original, engaging, SEO-friendly content in markdown."},
                                 {"role": "user", "content": u}], "frontier-pro", outs(rng, words * 1.35, 0.15, 3000), eu=rng.choice(eus),
                     ip=ip_in(pfx, rng), ua=ua, stream=True, params=P(temperature=0.8, max_tokens=3000, presence_penalty=0.3))


def p_tutor(ctx):
    """Math tutoring app: students ask homework problems (shared pool, repeats), step-by-step
    explanations and follow-ups; after-school hours."""
    C = ctx.C
    for i in range(3):
        rng = ctx.rng("tutor", i)
        a = Account(ctx, rng, "math_tutor_app", "benign")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_NODE + UA_PY)
        eus = [eu_id(rng, "user_") for _ in range(rng.randint(200, 800))]
        pool = rng.sample(C.gsm_test, 500) + rng.sample(C.gsm_train, 300)
        sysm = "You are a patient math tutor for middle-school students. Explain step by step, check the student's understanding, and never just give the answer without the reasoning."
        tz = rng.choice([-5, -8, 0, 5.5])
        for s in diurnal_times(ctx, rng, ctx.n(rng.uniform(75, 120)), tz, "student"):
            eu = rng.choice(eus)
            g = rng.choice(pool)
            msgs = [{"role": "system", "content": sysm}, {"role": "user", "content": rng.choice(["", "Can you help me with this? ", "I'm stuck: ", "hw question - "]) + g["question"]}]
            t = s
            ip = ip_in(pfx, rng)
            for k in range(rng.choice([1, 1, 2, 2, 3, 4])):
                ans = ctx.S.math_text(rng, int(lognorm(rng, 1200, 0.4)), clean_gsm(g["answer"]))
                e = ctx.emit(rng, a, t, msgs, "frontier-mini", eu=eu, ip=ip, ua=ua, lit=[ans], stream=True, params=P(temperature=0.3, max_tokens=1500))
                msgs = msgs + [{"role": "assistant", "content": ans},
                               {"role": "user", "content": rng.choice(["I don't understand step 2", "why do we multiply there?", "Can you check my answer? I got %d" % rng.randint(2, 500), "ok thanks! can you give me a similar problem to practice?", "can you explain it more simply"])}]
                t = e + rng.uniform(30, 400)


SUPPORT_SYS = ("You are the customer support assistant for an online electronics store. Be polite and concise. You can look up "
               "orders and create tickets with the tools provided. Policies: returns are accepted within 30 days with receipt; "
               "refunds take 5-7 business days; never promise delivery dates you cannot verify; escalate to a human for legal "
               "questions, safety issues or if the customer asks for a manager. Do not discuss competitors. Verify the order number "
               "before discussing order details.")
SUPPORT_TOOLS = [{"type": "function", "function": {"name": "lookup_order", "description": "Look up an order by number.", "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]}}},
                 {"type": "function", "function": {"name": "create_ticket", "description": "Escalate to a human agent.", "parameters": {"type": "object", "properties": {"summary": {"type": "string"}, "priority": {"type": "string", "enum": ["low", "normal", "high"]}}, "required": ["summary"]}}}]
SUPPORT_OPEN = ["Hi, my order {o} hasn't arrived yet, it's been two weeks.", "I want to return the headphones I bought, order {o}.",
                "Where is my refund for {o}??", "The laptop I received (order {o}) has a cracked screen.", "Can I change the delivery address on order {o}?",
                "do you ship to canada", "Is the 65 inch TV back in stock?", "I was charged twice for order {o}.", "How do I reset the router I bought from you?"]


def p_support_bot(ctx):
    """Customer-support bots: long fixed system prompt, tools, short multi-turn dialogues, end users."""
    C = ctx.C
    for i in range(3):
        rng = ctx.rng("support", i)
        a = Account(ctx, rng, "support_bot", "benign")
        pfx = cloud_prefix(rng)
        ua = rng.choice(UA_NODE + UA_PY)
        eus = [eu_id(rng, rng.choice(["cust", "hex"])) for _ in range(rng.randint(300, 1200))]
        tz = rng.choice([-8, -5, 0, 1])
        for s in diurnal_times(ctx, rng, ctx.n(rng.uniform(45, 80)), tz, "consumer"):
            eu = rng.choice(eus)
            o = "#%d" % rng.randint(1000000, 9999999)
            msgs = [{"role": "system", "content": SUPPORT_SYS}, {"role": "user", "content": rng.choice(SUPPORT_OPEN).format(o=o)}]
            t = s
            ip = ip_in(pfx, rng)
            params = P(temperature=0.3, max_tokens=500, tools=SUPPORT_TOOLS)
            for k in range(rng.randint(1, 5)):
                if k == 0 and "{o}" not in msgs[-1]["content"] and rng.random() < 0.6 or (k == 0 and o in msgs[-1]["content"] and rng.random() < 0.7):
                    tcs = [tool_call(rng, "lookup_order", {"order_id": o})]
                    e = ctx.emit(rng, a, t, msgs, "frontier-mini", eu=eu, ip=ip, ua=ua, tc=tcs, lead="", params=params)
                    msgs = msgs + [{"role": "assistant", "content": None, "tool_calls": tcs},
                                   {"role": "tool", "tool_call_id": tcs[0]["id"], "content": json.dumps({"order_id": o, "status": rng.choice(["shipped", "processing", "delivered", "returned"]), "carrier": "UPS", "eta": "2026-03-%02d" % rng.randint(6, 20)})}]
                    t = e + 0.2
                ans = " ".join(rng.sample(SUPPORT_SENT, rng.randint(2, 4))).replace("{st}", rng.choice(["shipped", "processing", "out for delivery"]))
                e = ctx.emit(rng, a, t, msgs, "frontier-mini", eu=eu, ip=ip, ua=ua, lit=[ans], params=params)
                msgs = msgs + [{"role": "assistant", "content": ans},
                               {"role": "user", "content": rng.choice(["ok thanks", "That's not good enough, I want a manager.", "When will it arrive?", "Can you just refund it?", rng.choice(C.hh_user_turns)[:200]])}]
                t = e + rng.uniform(15, 200)


def p_cron(ctx):
    """Machine-regular benign jobs: status/metrics summaries at fixed intervals, 24/7."""
    for i, iv in enumerate([300, 600, 900]):
        rng = ctx.rng("cron", i)
        a = Account(ctx, rng, "cron_report_job", "benign")
        ip = ip_in(cloud_prefix(rng), rng)
        ua = rng.choice(["python-requests/2.31.0", "Go-http-client/2.0", "curl/8.5.0"])
        for t in regular_times(rng, T0 + rng.uniform(0, iv), ctx.t_end, iv / max(ctx.scale, 0.05), rng.choice([0.5, 2.0, 5.0])):
            metrics = {"service": rng.choice(["checkout", "search", "auth", "ingest"]), "p50_ms": rng.randint(20, 90), "p99_ms": rng.randint(150, 2500),
                       "error_rate": round(rng.uniform(0, 0.05), 4), "rps": rng.randint(50, 4000), "deploys": rng.randint(0, 3)}
            u = "Write a two-sentence status summary for the on-call channel. Flag anything abnormal.\nMetrics: " + json.dumps(metrics)
            abn = metrics["error_rate"] > 0.03 or metrics["p99_ms"] > 1500
            txt = "%s is serving %d rps with p50 %d ms and p99 %d ms; error rate is %.2f%%%s. %s" % (
                metrics["service"].capitalize(), metrics["rps"], metrics["p50_ms"], metrics["p99_ms"], 100 * metrics["error_rate"],
                " after %d deploy(s)" % metrics["deploys"] if metrics["deploys"] else "",
                ("Abnormal: " + ("elevated error rate" if metrics["error_rate"] > 0.03 else "high tail latency") + ", please investigate.") if abn else "Nothing abnormal to flag.")
            ctx.emit(rng, a, t, [{"role": "user", "content": u}], "frontier-mini", ip=ip, ua=ua, lit=[txt],
                     params=P(temperature=0, max_tokens=150))


def p_reseller_benign(ctx):
    """Benign resellers; one contains a small harvesting end user below the labelling threshold."""
    _reseller(ctx, "reseller_benign", None, 450, 0, 0, False, 0)
    _reseller(ctx, "reseller_minor_abuse", None, 400, 9, 1, False, 1)


def p_labeling_rationale(ctx):
    """Labelling with a short rationale ("think step by step" but tiny outputs), nightly bursts."""
    C = ctx.C
    for i in range(2):
        rng = ctx.rng("rationale", i)
        a = Account(ctx, rng, "labeling_with_rationale", "benign")
        ip = ip_in(cloud_prefix(rng), rng)
        ua = rng.choice(UA_PY)
        items = C.reviews + C.hh_first[:600]
        for d in range(int(ctx.days) + 1):
            t = T0 + d * DAY + rng.uniform(22, 23.5) * HOUR
            batch = rng.sample(items, int(min(len(items), ctx.n(rng.uniform(220, 320)))))
            for x, tt in zip(batch, batch_times(rng, t, len(batch), 1.5, 8)):
                u = "Label the sentiment of the text as positive, negative or neutral. Think step by step, then give a one-sentence rationale and the label.\n\nText: " + x
                lb = rng.choice(["positive", "negative", "neutral"])
                why = rng.choice(["The author praises the product and would recommend it.", "The text complains about quality and asks for a refund.",
                                  "The message is a factual question without emotional language.", "Mixed wording, but the overall judgement is clearly stated.",
                                  "Words like 'disappointed' and 'waste' indicate dissatisfaction.", "The reviewer describes the experience as enjoyable."])
                ctx.emit(rng, a, tt, [{"role": "user", "content": u}], "frontier-mini", ip=ip, ua=ua, lit=["Rationale: %s\nLabel: %s" % (why, lb)],
                         params=P(temperature=0, max_tokens=80))


PERSONAS = [p_bulk_cot, p_slow_low, p_hydra_a, p_hydra_b, p_reseller_harvest, p_app_mimic, p_math_sampler,
            p_organic_mimic, p_reward_harvest, p_model_pivot, p_agentic_harvest, p_multilingual_harvest,
            p_eval_harness, p_llm_judge, p_batch_classifier, p_rag_app, p_coding_agent, p_translate_summarize,
            p_chat_app, p_researcher, p_small_users, p_enterprise, p_content_saas, p_tutor, p_support_bot, p_cron,
            p_reseller_benign, p_labeling_rationale]


# ======================================================================================
# rendering
# ======================================================================================
ERRS = {
    "429": ("RateLimitError", "litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached for requests. Limit: {lim} / min. Please try again in {s}s."),
    "500": ("InternalServerError", "litellm.InternalServerError: InternalServerError: OpenAIException - The server had an error while processing your request."),
    "400": ("BadRequestError", "litellm.BadRequestError: OpenAIException - Error code: 400 - {'error': {'message': 'Invalid tool_call_id in messages', 'type': 'invalid_request_error'}}"),
    "timeout": ("Timeout", "litellm.Timeout: APITimeoutError - Request timed out. Error_str: Request timed out."),
}
PROXY_429 = "LiteLLM Rate Limit Handler for rate limit type = key. Crossed TPM / RPM / Max Parallel Request Limit. current rpm: {c}, rpm limit: {lim}"


def logprob_entry(rng, token, k):
    return {"token": token, "logprob": round(-rng.random() * 0.3, 6), "bytes": list(token.encode("utf-8")),
            "top_logprobs": [{"token": tk, "logprob": round(-rng.random() * (j + 1) * 2, 6), "bytes": list(tk.encode("utf-8"))}
                             for j, tk in enumerate(([token] + ["M", "m", " m", "A", "B", "1", "The", "Yes", "No", "0", "2", "C", "D", "E", "x", "y", "z", "#", "-"])[:k])]}


class Renderer:
    def __init__(self, ctx, rng):
        self.ctx, self.rng = ctx, rng
        self.mmi = {m: {"model_map_key": m, "model_map_value": None} for m in MODELS}

    def render(self, t, r):
        ctx, rng = self.ctx, self.rng
        a, key = r["a"], r["k"]
        model = r["mod"]
        M = MODELS[model]
        p = r["p"]
        stream = r["stream"]
        eu = r["eu"]
        ua = r["ua"] or "OpenAI/Python 1.54.3"
        ip = r["ip"] or "10.0.0.1"
        ok = r["st"] == "ok"
        created = int(t)
        end = t + r["dur"]
        cid = "chatcmpl-" + hexid(rng, 29) if ok else uuid4(rng)
        choices = []
        ct = 0
        if ok:
            lit, tc = r.get("lit"), r.get("tc")
            for i, (k, fin) in enumerate(r["o"]):
                if tc is not None:
                    content = r.get("lead") or None
                    ct += k
                    msg = {"content": content, "role": "assistant", "tool_calls": tc, "function_call": None}
                else:
                    if lit is not None:
                        text = lit[i % len(lit)]
                        if fin == "length":
                            text = text[:4 * k]
                    else:
                        lead = r.get("lead")
                        text = ctx.S.text(r["kind"], rng, 4 * k, lead if (i == 0 or rng.random() < 0.5) else None)
                    kk = k if fin == "length" else tok(text)
                    ct += kk
                    msg = {"content": text, "role": "assistant", "tool_calls": None, "function_call": None}
                if not stream:
                    msg["provider_specific_fields"] = {"refusal": None}
                ch = {"finish_reason": fin, "index": i, "message": msg}
                if p.get("logprobs"):
                    if tc is None and isinstance(msg["content"], str) and len(msg["content"]) <= 128:
                        toks = re.findall(r"\S+|\s+", msg["content"])[:32] or [msg["content"]]
                        ch["logprobs"] = {"content": [logprob_entry(rng, tk, p.get("top_logprobs") or 0) for tk in toks], "refusal": None}
                    else:
                        ch["logprobs"] = None
                if not stream:
                    ch["provider_specific_fields"] = {}
                choices.append(ch)
            rt = r.get("rt", 0)
            ct += rt
            pt = r["pt"]
        else:
            pt = 0
            rt = 0
        usage = None
        if ok:
            usage = {"completion_tokens": ct, "prompt_tokens": pt, "total_tokens": ct + pt,
                     "completion_tokens_details": {"accepted_prediction_tokens": None, "audio_tokens": None, "reasoning_tokens": rt,
                                                   "rejected_prediction_tokens": None, "text_tokens": None, "image_tokens": None, "video_tokens": None}
                     if (rt or stream) else None,
                     "prompt_tokens_details": None}
        cost = (pt * M["inp"] + ct * M["out"]) if ok else 0.0
        ttft = min(r["dur"], 0.15 + rng.random() * 0.8 + pt / 20000.0)
        cst = t + ttft if (ok and stream) else end
        mp = {}
        for k_, v in p.items():
            if k_ in ("tools", "tool_choice", "parallel_tool_calls", "response_format", "stop", "seed", "presence_penalty", "stream_options"):
                continue
            mp[k_] = v
        mp["stream"] = bool(stream)
        if stream:
            mp["stream_options"] = p.get("stream_options") or {"include_usage": True}
        for k_ in ("stop", "seed", "presence_penalty", "response_format"):
            if k_ in p:
                mp[k_] = p[k_]
        if eu:
            mp["user"] = eu
        for k_ in ("tools", "tool_choice", "parallel_tool_calls"):
            if k_ in p:
                mp[k_] = p[k_]
        body_len = 60 + sum(len(m.get("content") or "") + 30 for m in r["m"]) + (len(json.dumps(p["tools"])) if "tools" in p else 0)
        hdrs = {"x-forwarded-for": ip, "host": "llm-gateway.example.com", "connection": "keep-alive", "content-length": str(body_len),
                "accept-encoding": "gzip, deflate", "content-type": "application/json", "user-agent": ua}
        if ua.startswith(("OpenAI/Python", "AsyncOpenAI/Python")):
            hdrs["x-stainless-lang"] = "python"
            hdrs["x-stainless-package-version"] = ua.split(" ")[-1]
        elif ua.startswith("OpenAI/NodeJS"):
            hdrs["x-stainless-lang"] = "js"
            hdrs["x-stainless-package-version"] = ua.split(" ")[-1]
        md = {
            "user_api_key_hash": key.hash, "user_api_key_alias": key.alias, "user_api_key_spend": round(key.spend, 6),
            "user_api_key_max_budget": key.budget, "user_api_key_budget_reset_at": None,
            "user_api_key_team_id": a.team_id, "user_api_key_org_id": a.org_id, "user_api_key_project_id": None,
            "user_api_key_user_id": a.user_id, "user_api_key_team_alias": a.alias, "user_api_key_user_email": None,
            "user_api_key_end_user_id": eu, "user_api_key_request_route": "/v1/chat/completions", "spend_logs_metadata": None,
            "requester_ip_address": ip, "user_agent": ua,
            "requester_metadata": {"user_api_key_user_id": a.user_id, "headers": hdrs},
            "prompt_management_metadata": None, "applied_guardrails": [], "mcp_tool_call_metadata": None,
            "vector_store_request_metadata": None, "usage_object": usage, "requester_custom_headers": {"x-forwarded-for": ip},
            "cold_storage_object_key": None, "user_api_key_auth_metadata": {}, "team_alias": a.alias, "team_id": a.team_id,
        }
        key.spend += cost
        resp = {}
        if ok:
            resp = {"id": cid, "created": created, "model": model, "object": "chat.completion",
                    "system_fingerprint": None if stream else "fp_" + M["id"][:10], "choices": choices, "usage": usage}
            if not stream:
                resp.update({"metadata": None, "moderation": None, "service_tier": None})
        st = r["st"]
        if ok:
            err_str, err_info = None, {"error_code": "", "error_class": "", "llm_provider": "", "traceback": "", "error_message": ""}
        else:
            cls, msg = ERRS[st]
            if st == "429" and rng.random() < 0.5:
                msg = PROXY_429.format(c=rng.randint(61, 130), lim=60)
                prov = ""
            else:
                msg = msg.format(lim=rng.choice([60, 500, 3500]), s=rng.randint(1, 20)) if "{lim}" in msg else msg
                prov = "openai"
            code = {"429": "429", "500": "500", "400": "400", "timeout": "408"}[st]
            err_str = msg
            err_info = {"error_code": code, "error_class": cls, "llm_provider": prov,
                        "traceback": "Traceback (most recent call last):\n  File \"/usr/lib/python3.11/site-packages/litellm/main.py\", line 512, in acompletion\n    response = await init_response\nlitellm.exceptions.%s: %s\n" % (cls, msg[:120]),
                        "error_message": msg}
        tags = ["User-Agent: " + ua.split("/")[0], "User-Agent: " + ua]
        rec = {
            "id": cid, "trace_id": uuid4(rng), "call_type": "acompletion", "cache_hit": False if ok else None,
            "stream": True if stream else None, "status": "success" if ok else "failure",
            "status_fields": {"llm_api_status": "success" if ok else "failure", "guardrail_status": "not_run"},
            "custom_llm_provider": "openai", "saved_cache_cost": 0.0,
            "startTime": round(t, 6), "endTime": round(end, 6), "completionStartTime": round(cst, 6),
            "response_time": round((cst if stream else end) - t, 6), "model": "openai/" + model, "metadata": md,
            "cache_key": None, "response_cost": round(cost, 8),
            "cost_breakdown": {"input_cost": round(pt * M["inp"], 8), "output_cost": round(ct * M["out"], 8), "total_cost": round(cost, 8),
                               "tool_usage_cost": 0.0, "original_cost": round(cost, 8), "discount_percent": 0.0, "discount_amount": 0.0,
                               "margin_percent": 0.0, "margin_fixed_amount": 0.0, "margin_total_amount": 0.0},
            "total_tokens": pt + ct, "prompt_tokens": pt, "completion_tokens": ct, "request_tags": tags,
            "end_user": eu or "", "api_base": API_BASE, "model_group": model, "model_id": M["id"],
            "requester_ip_address": ip, "user_agent": ua, "messages": r["m"], "response": resp, "model_parameters": mp,
            "hidden_params": {"model_id": M["id"], "cache_key": None, "api_base": API_BASE, "response_cost": round(cost, 8) if ok else None,
                              "additional_headers": {}, "litellm_overhead_time_ms": round(rng.uniform(0.8, 9.0), 3), "batch_models": None,
                              "litellm_model_name": "openai/" + model, "usage_object": None},
            "model_map_information": self.mmi[model],
            "error_str": err_str, "error_information": err_info, "response_cost_failure_debug_info": None,
            "guardrail_information": None, "standard_built_in_tools_params": {"web_search_options": None, "file_search": None},
        }
        return rec


GARBAGE = [b'INFO:     10.1.4.22:51344 - "POST /v1/chat/completions HTTP/1.1" 200 OK',
           b"Traceback (most recent call last):",
           b"\x00\x00\x00\x00\x00\x00\x00\x00",
           b"\xff\xfe{\"id\": \"bad\x80\x81utf8\"}",
           b"--- log rotated ---",
           b"[]", b"null", b"42", b"\"just a string\"",
           b"{'id': 'chatcmpl-python-repr', 'call_type': 'acompletion'}"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--days", type=float, default=5)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--data", default="/work/shared/data")
    ap.add_argument("--malformed", type=float, default=0.003, help="share of malformed lines (default 0.003)")
    ap.add_argument("--wrapped", type=float, default=0.03, help="share of valid lines wrapped as {\"_event\",\"standard_logging_object\"} (default 0.03)")
    args = ap.parse_args()
    t_start = time.time()
    os.makedirs(args.out, exist_ok=True)
    ctx = Ctx(args.seed, args.days, args.scale, args.data)
    for f in PERSONAS:
        f(ctx)
    ev = ctx.events
    ev.sort(key=lambda e: (e[0], e[1]))
    rrng = random.Random("%s|render" % args.seed)
    mrng = random.Random("%s|malformed" % args.seed)
    ren = Renderer(ctx, rrng)
    dumps = json.dumps
    n_valid = n_bad = n_wrapped = 0
    seen = {}
    bad_kinds = {}
    path = os.path.join(args.out, "traffic.jsonl")
    with open(path, "wb") as out:
        buf = []
        for t, seq, r in ev:
            rec = ren.render(t, r)
            a = r["a"]
            seen[a.id] = a
            if mrng.random() < args.wrapped:
                line = dumps({"_event": rec["status"], "standard_logging_object": rec}, default=str)
                n_wrapped += 1
            else:
                line = dumps(rec, default=str)
            if mrng.random() < args.malformed:
                kind = mrng.choice(["truncated", "truncated", "empty", "garbage", "garbage", "missing_fields", "wrong_types"])
                bad_kinds[kind] = bad_kinds.get(kind, 0) + 1
                if kind == "truncated":
                    bad = line[:mrng.randint(10, max(11, len(line) - 2))].encode()
                elif kind == "empty":
                    bad = mrng.choice([b"", b"   ", b"\t"])
                elif kind == "garbage":
                    bad = mrng.choice(GARBAGE)
                elif kind == "missing_fields":
                    drop = {k: v for k, v in rec.items() if k not in ("metadata", "startTime", "end_user")}
                    drop["end_user"] = ""
                    bad = dumps(drop).encode()
                else:
                    w = dict(rec)
                    w["startTime"] = "yesterday"
                    w["metadata"] = "n/a"
                    w["end_user"] = None
                    w["prompt_tokens"] = "many"
                    bad = dumps(w).encode()
                buf.append(bad)
                n_bad += 1
            buf.append(line.encode())
            n_valid += 1
            if len(buf) >= 2000:
                out.write(b"\n".join(buf) + b"\n")
                buf = []
        if buf:
            out.write(b"\n".join(buf) + b"\n")
    labels = {"accounts": {}}
    manifest = {"seed": args.seed, "days": args.days, "scale": args.scale, "t0": T0, "new_model_release": ctx.release,
                "lines_valid": n_valid, "lines_malformed": n_bad, "malformed_kinds": bad_kinds, "lines_wrapped": n_wrapped,
                "account_field_order": ["metadata.user_api_key_team_id", "metadata.user_api_key_hash", "end_user"],
                "accounts": {}}
    for a in ctx.accounts:
        if a.id not in seen:
            continue
        labels["accounts"][a.id] = {"label": a.label, "persona": a.persona}
        m = {"label": a.label, "persona": a.persona, "requests": a.requests, "group": a.group,
             "id_source": "team_id" if a.team_id else "key_hash", "keys": [k.hash for k in a.keys], "org_id": a.org_id}
        m.update(ctx.notes.get(a.id, {}))
        manifest["accounts"][a.id] = m
    with open(os.path.join(args.out, "labels.json"), "w") as f:
        json.dump(labels, f, indent=1, sort_keys=True)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    per = {}
    for a in manifest["accounts"].values():
        k = (a["persona"], a["label"])
        per.setdefault(k, [0, 0])
        per[k][0] += 1
        per[k][1] += a["requests"]
    sys.stderr.write("wrote %d valid + %d malformed lines, %d accounts (%d attack) in %.1fs\n" % (
        n_valid, n_bad, len(labels["accounts"]), sum(1 for v in labels["accounts"].values() if v["label"] == "attack"), time.time() - t_start))
    for (pn, lb), (na, nr) in sorted(per.items(), key=lambda x: (x[0][1], x[0][0])):
        sys.stderr.write("  %-34s %-6s accounts=%-3d requests=%d\n" % (pn, lb, na, nr))


if __name__ == "__main__":
    main()
