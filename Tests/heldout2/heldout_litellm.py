#!/usr/bin/env python3
"""Independent, labelled LiteLLM test traffic for Sluice (held-out set 2).

Writes DIR/traffic.jsonl (LiteLLM StandardLoggingPayload, one JSON object per line, sorted by
startTime, a few wrapped as {"standard_logging_object": ...}, ~0.3% malformed lines) and
DIR/labels.json ({"attack": [...], "benign": [...], "personas": {account: persona}}).

The account id is user_api_key_team_id when set, else user_api_key_hash, else end_user.

This generator was written from the public threat model and log formats only, without
reference to the detector.  Standard library only (orjson is used when importable).

    python3 Tests/heldout2/heldout_litellm.py --out DIR [--seed 7] [--hours 30] [--scale 1.0]
                                              [--data /work/shared/data]
"""
import argparse
import bisect
import csv
import datetime as _dt
import gzip
import hashlib
import heapq
import json
import math
import os
import random
import re
import sys
import time

try:  # optional speed-up
    import orjson as _orjson

    def dumps(o):
        return _orjson.dumps(o)
except Exception:  # pragma: no cover
    _orjson = None

    def dumps(o):
        return json.dumps(o, ensure_ascii=False, separators=(", ", ": ")).encode("utf-8")


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------

B62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def b62(rng, n):
    return "".join(rng.choice(B62) for _ in range(n))


def hexs(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def uuid4(rng):
    h = "%032x" % rng.getrandbits(128)
    h = h[:12] + "4" + h[13:16] + "89ab"[int(h[16], 16) % 4] + h[17:]
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def tok(s):
    if not s:
        return 0
    return max(1, (len(s) + 2) // 4)


def msg_tokens(messages):
    n = 3
    for m in messages:
        c = m.get("content")
        if isinstance(c, str):
            n += tok(c)
        for tc in m.get("tool_calls") or ():
            n += tok(tc["function"]["arguments"]) + 8
        n += 4
    return n


def lognorm_int(rng, median, sigma, lo, hi):
    v = int(round(median * math.exp(rng.gauss(0.0, sigma))))
    return max(lo, min(hi, v))


def clip_words(text, n):
    """Cut text to at most n characters at a word boundary."""
    if len(text) <= n:
        return text
    cut = text.rfind(" ", 0, n)
    if cut < n * 0.6:
        cut = n
    return text[:cut].rstrip()


PUBLIC_FIRST_OCTETS = [3, 13, 18, 23, 24, 31, 34, 35, 37, 44, 46, 50, 52, 54, 62, 66, 68, 71, 73,
                       76, 78, 81, 82, 85, 86, 88, 89, 91, 92, 94, 95, 98, 99, 104, 107, 108, 109,
                       136, 137, 138, 141, 142, 143, 146, 147, 151, 152, 154, 157, 158, 159, 162,
                       165, 167, 168, 170, 173, 174, 176, 178, 188, 193, 194, 195, 199, 204, 207,
                       208, 209, 212, 213, 217]

BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.65",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:124.0) Gecko/20100101 Firefox/124.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.105 Mobile Safari/537.36",
]

# model group -> (provider, litellm model, api_base, returned model, $/in tok, $/out tok, tok/s range)
MODELS = {
    "gpt-4o": ("openai", "openai/gpt-4o", "https://api.openai.com/v1", "gpt-4o-2024-08-06",
               2.5e-6, 10e-6, (55, 95)),
    "gpt-4o-mini": ("openai", "openai/gpt-4o-mini", "https://api.openai.com/v1",
                    "gpt-4o-mini-2024-07-18", 0.15e-6, 0.6e-6, (70, 130)),
    "claude-3-5-sonnet": ("anthropic", "anthropic/claude-3-5-sonnet-20241022",
                          "https://api.anthropic.com/v1/messages", "claude-3-5-sonnet-20241022",
                          3e-6, 15e-6, (45, 80)),
    # "released" part-way through the window (see Ctx.release)
    "gpt-5.5-preview": ("openai", "openai/gpt-5.5-preview", "https://api.openai.com/v1",
                        "gpt-5.5-preview-2026-03-11", 10e-6, 40e-6, (30, 55)),
}
MODEL_IDS = {k: hashlib.sha256(("deployment:" + k).encode()).hexdigest() for k in MODELS}
FINGERPRINTS = {k: "fp_" + hashlib.sha256(k.encode()).hexdigest()[:10] for k in MODELS}

# hour-of-day activity profiles (local time), 24 values
PROFILES = {
    "flat": [1.0] * 24,
    "human": [0.04, 0.03, 0.02, 0.02, 0.03, 0.06, 0.15, 0.35, 0.7, 0.95, 1.0, 1.0, 0.8, 0.9, 1.0,
              0.95, 0.9, 0.75, 0.55, 0.5, 0.45, 0.35, 0.2, 0.1],
    "consumer": [0.25, 0.15, 0.1, 0.07, 0.06, 0.08, 0.15, 0.3, 0.5, 0.65, 0.75, 0.8, 0.85, 0.8,
                 0.8, 0.8, 0.85, 0.9, 0.95, 1.0, 1.0, 0.9, 0.7, 0.45],
    "office": [0, 0, 0, 0, 0, 0, 0, 0.05, 0.5, 1.0, 1.0, 0.9, 0.55, 0.85, 1.0, 1.0, 0.85, 0.5,
               0.1, 0.03, 0.02, 0, 0, 0],
    "business": [0.15, 0.1, 0.08, 0.07, 0.08, 0.12, 0.25, 0.5, 0.8, 1.0, 1.0, 1.0, 0.9, 0.95, 1.0,
                 1.0, 0.9, 0.7, 0.5, 0.4, 0.35, 0.3, 0.25, 0.2],
}


# --------------------------------------------------------------------------------------------
# corpora
# --------------------------------------------------------------------------------------------

class Corpora:
    def __init__(self, root):
        self.root = root
        j = lambda *p: os.path.join(root, *p)
        # gsm8k test only
        self.gsm = []
        with open(j("gsm8k", "test.jsonl"), encoding="utf-8") as f:
            for line in f:
                o = json.loads(line)
                ans = re.sub(r"<<[^>]*>>", "", o["answer"])
                final = ans.split("####")[-1].strip() if "####" in ans else ""
                steps = [s.strip() for s in ans.split("####")[0].strip().split("\n") if s.strip()]
                self.gsm.append((o["question"].strip(), steps, final))
        # human-eval
        self.he = []
        with gzip.open(j("human-eval", "HumanEval.jsonl.gz"), "rt", encoding="utf-8") as f:
            for line in f:
                o = json.loads(line)
                self.he.append(o)
        # alpaca_eval (instruction, gpt4 output, davinci output)
        a = json.load(open(j("alpaca_eval", "results", "gpt4", "model_outputs.json"), encoding="utf-8"))
        b = json.load(open(j("alpaca_eval", "results", "text_davinci_003", "model_outputs.json"),
                           encoding="utf-8"))
        bmap = {x["instruction"]: x["output"] for x in b}
        self.alpaca = [(x["instruction"], x["output"], bmap.get(x["instruction"], "")) for x in a]
        cfg = j("alpaca_eval", "src", "alpaca_eval", "evaluators_configs")
        self.judge_clf = open(os.path.join(cfg, "alpaca_eval_clf_gpt4_turbo", "alpaca_eval_clf.txt"),
                              encoding="utf-8").read()
        self.judge_rank = open(os.path.join(cfg, "alpaca_eval_gpt4", "alpaca_eval.txt"),
                               encoding="utf-8").read()
        # koala
        self.koala = [json.loads(l)["prompt"].strip()
                      for l in open(j("koala-test-set", "koala_test_set.jsonl"), encoding="utf-8")]
        # self-instruct seeds and user-oriented tasks
        self.seed = []
        for name in ("seed_tasks.jsonl", "user_oriented_instructions.jsonl"):
            for l in open(j("self-instruct", name), encoding="utf-8"):
                o = json.loads(l)
                inst = o["instances"][0] if o.get("instances") else {"input": "", "output": ""}
                text = o["instruction"].strip()
                if inst.get("input", "").strip():
                    text += "\n\n" + inst["input"].strip()
                self.seed.append((text, inst.get("output", "").strip(), name.startswith("seed")))
        # t0 templates
        self.t0 = {}
        tdir = j("self-instruct", "t0_train_50k_data_per_template")
        for fn in sorted(os.listdir(tdir)):
            if fn.endswith(".jsonl"):
                rows = []
                for l in open(os.path.join(tdir, fn), encoding="utf-8"):
                    o = json.loads(l)
                    rows.append((o["prompt"], o["completion"].replace("<|endoftext|>", "").strip()))
                self.t0[fn[:-6]] = rows
        self.adv = []
        for p, c in self.t0.get("adversarial_qa_dbert_based_on", []):
            m = re.search(r"Question: (.*?)\nContext: (.*)", p, re.S)
            if m:
                self.adv.append((m.group(1).strip(), m.group(2).strip(), c))
        self.bios = []
        for p, c in self.t0.get("wiki_bio_key_content", []):
            m = re.search(r"Bio: (.*)", p, re.S)
            if m:
                self.bios.append((m.group(1).strip(), c))
        # awesome-chatgpt-prompts
        self.awesome = []
        with open(j("awesome-chatgpt-prompts", "prompts.csv"), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                p = re.sub(r"\$\{[^}:]*:([^}]*)\}", r"\1", row.get("prompt", "")).strip()
                if p:
                    self.awesome.append((row.get("act", "").strip(), p))
        # hh-rlhf dialogues
        self.hh = []
        with gzip.open(j("hh-rlhf", "harmless-base_test.jsonl.gz"), "rt", encoding="utf-8") as f:
            for line in f:
                c = json.loads(line)["chosen"]
                turns = []
                for part in re.split(r"\n\nHuman: ", c):
                    if not part.strip():
                        continue
                    hs = part.split("\n\nAssistant: ")
                    turns.append(("user", hs[0].strip()))
                    for a_ in hs[1:]:
                        turns.append(("assistant", a_.strip()))
                # keep well-formed alternations user/assistant
                clean = []
                for r_, t_ in turns:
                    if not t_:
                        continue
                    if clean and clean[-1][0] == r_:
                        break
                    clean.append((r_, t_))
                if len(clean) >= 2 and clean[0][0] == "user":
                    self.hh.append(clean)
        self.hh_human = [t for d in self.hh for r_, t in d if r_ == "user" and len(t) > 12]
        # sentence bank for synthesized answers
        bank = []
        for _, o1, o2 in self.alpaca:
            for src in (o1, o2):
                for para in src.split("\n"):
                    para = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", para).strip()
                    for s in re.split(r"(?<=[.!?])\s+", para):
                        s = s.strip()
                        if 40 <= len(s) <= 240 and s[0].isupper() and s[-1] in ".!?":
                            bank.append(s)
        for text, out, _ in self.seed:
            for s in re.split(r"(?<=[.!?])\s+", out):
                if 40 <= len(s) <= 240:
                    bank.append(s.strip())
        self.bank = bank
        # instruction pool for harvesters: (text, core answer or "")
        pool = [(i, o, "alpaca") for i, o, _ in self.alpaca]
        pool += [(k, "", "koala") for k in self.koala]
        pool += [(t, o, "seed") for t, o, _ in self.seed]
        pool += [(p, "", "awesome") for _, p in self.awesome]
        self.instr = pool
        self.alpaca_core = {i: o for i, o, _ in self.alpaca}


# --------------------------------------------------------------------------------------------
# text synthesis
# --------------------------------------------------------------------------------------------

REASON_FILLERS = [
    "Let me restate what is being asked before doing any arithmetic.",
    "First I will list the quantities that are given in the problem.",
    "It helps to write down each intermediate quantity explicitly.",
    "Now I need to combine these two results.",
    "Let me double-check this step by recomputing it a different way.",
    "This matches the condition stated in the problem, so the step is consistent.",
    "Before moving on, note that the units here are the same, so they can be added directly.",
    "An alternative approach would be to work backwards from the total, which gives the same value.",
    "I should be careful not to count the same item twice.",
    "Substituting the value found above into the relationship gives the next quantity.",
    "At this point the remaining unknown can be isolated.",
    "A quick sanity check: the result is positive and smaller than the total, as expected.",
    "Therefore the intermediate result carries forward to the next step.",
    "We can verify by plugging the answer back into the original statement.",
    "Breaking the problem into smaller parts makes every operation easy to check.",
    "The key observation is that each part scales proportionally.",
    "So far every value is an integer, which is a good sign for a word problem like this.",
    "Reading the question again, it asks for the final amount, not the difference.",
]

CODE_FILLERS = [
    "The function first handles the edge case of an empty input.",
    "We iterate over the input exactly once, so the time complexity is linear.",
    "Using a dictionary here gives constant-time lookups.",
    "Each branch of the condition corresponds to one of the cases described in the docstring.",
    "The doctest examples in the docstring are a good way to verify the behaviour.",
    "An alternative implementation could use a list comprehension, but the loop is clearer.",
    "Note that the comparison must be strict to match the expected output.",
    "We return early as soon as the answer is known, which avoids unnecessary work.",
    "Sorting the values first simplifies the rest of the logic.",
    "This keeps memory usage constant apart from the output itself.",
]


class TextGen:
    def __init__(self, corp):
        self.bank = corp.bank

    def paragraph(self, rng, k=None):
        k = k or rng.randint(2, 5)
        return " ".join(rng.choice(self.bank) for _ in range(k))

    def compose(self, rng, core, target_tokens, max_tokens=None, style="prose", cap=6000,
                intro=None, outro=None):
        """Return (text, completion_tokens, finish_reason)."""
        finish = "stop"
        if max_tokens and target_tokens >= max_tokens:
            target_tokens = max_tokens
            finish = "length"
        want = min(target_tokens * 4, cap)
        parts = []
        if intro:
            parts.append(intro)
        if core:
            parts.append(core)
        size = sum(len(p) + 2 for p in parts)
        reserve = (len(outro) + 2) if (outro and finish == "stop") else 0
        step = 1
        while size < want - reserve:
            if style == "steps":
                p = "Step %d: %s %s" % (step, rng.choice(REASON_FILLERS), self.paragraph(rng, rng.randint(1, 3)))
                step += 1
            elif style == "code":
                p = rng.choice(CODE_FILLERS) + " " + self.paragraph(rng, rng.randint(1, 2))
            elif style == "essay":
                if rng.random() < 0.18:
                    p = "## " + clip_words(rng.choice(self.bank), 60).rstrip(".!?") + "\n\n" + self.paragraph(rng)
                else:
                    p = self.paragraph(rng, rng.randint(3, 6))
            else:
                p = self.paragraph(rng)
            parts.append(p)
            size += len(p) + 2
        text = "\n\n".join(parts)
        if finish == "stop":
            if len(text) > want - reserve and want < len(text):
                text = clip_words(text, max(40, want - reserve))
            if outro:
                text += "\n\n" + outro
        else:
            text = clip_words(text, want)
        if finish == "length":
            ctoks = max_tokens
        elif target_tokens * 4 > cap:
            ctoks = max(target_tokens, tok(text))
        else:
            ctoks = tok(text)
        return text, ctoks, finish


# --------------------------------------------------------------------------------------------
# accounts and the record writer
# --------------------------------------------------------------------------------------------

class Key:
    __slots__ = ("hash", "alias", "spend", "user_id", "email")

    def __init__(self, rng, alias=None, user_id="default_user_id", email=None):
        fake = "sk-" + b62(rng, 22)
        self.hash = hashlib.sha256(fake.encode()).hexdigest()
        self.alias = alias
        self.spend = 0.0
        self.user_id = user_id
        self.email = email


class Acct:
    def __init__(self, persona, label, keys, team_id=None, team_alias=None, org_id=None, ip=None,
                 ua=None, route="/v1/chat/completions", host="llm-gw.internal:4000"):
        self.persona = persona
        self.label = label
        self.keys = keys
        self.team_id = team_id
        self.team_alias = team_alias
        self.org_id = org_id
        self.ip = ip
        self.ua = ua
        self.route = route
        self.host = host
        self.lines = 0

    @property
    def id(self):
        return self.team_id or self.keys[0].hash


FAILS = {
    "429": ("RateLimitError",
            "litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached for requests. "
            "Limit: {lim} / min. Please try again in {s}s."),
    "500": ("InternalServerError",
            "litellm.InternalServerError: InternalServerError: OpenAIException - The server had an error "
            "while processing your request. Sorry about that!"),
    "408": ("Timeout", "litellm.Timeout: Connection timed out. Timeout passed=600.0, time taken=600.0 seconds"),
    "400": ("ContextWindowExceededError",
            "litellm.ContextWindowExceededError: litellm.BadRequestError: OpenAIException - This model's "
            "maximum context length is 128000 tokens. However, your messages resulted in {n} tokens."),
    "503": ("ServiceUnavailableError",
            "litellm.ServiceUnavailableError: ServiceUnavailableError: OpenAIException - The server is "
            "overloaded or not ready yet."),
}


class Ctx:
    def __init__(self, corp, seed, hours, scale, t0):
        self.corp = corp
        self.text = TextGen(corp)
        self.seed = seed
        self.hours = hours
        self.scale = scale
        self.t0 = t0
        self.t1 = t0 + hours * 3600.0
        self.H = hours * 3600.0
        self.release = t0 + 0.45 * self.H  # the new model name appears here
        self.f = scale * hours / 30.0       # volume factor for rate-driven personas
        self.accounts = []
        self.rows = []  # (startTime, seq, bytes)
        self.seq = 0
        self.mal_rng = random.Random("%s/malformed" % seed)
        self.noacct = []
        self.notes = {}
        self.reserved_24 = set()

    def R(self, name):
        return random.Random("%s/%s" % (self.seed, name))

    def n(self, base, lo=1):
        return max(lo, int(round(base * self.f)))

    def add(self, acct):
        self.accounts.append(acct)
        return acct

    def ip(self, rng):
        while True:
            ip = "%d.%d.%d.%d" % (rng.choice(PUBLIC_FIRST_OCTETS), rng.randint(0, 255),
                                  rng.randint(0, 255), rng.randint(1, 254))
            if ip.rsplit(".", 1)[0] not in self.reserved_24:
                return ip

    # ---- time helpers -------------------------------------------------------------------
    def local_hour(self, t, tz):
        return ((t + tz * 3600.0) % 86400.0) / 3600.0

    def weekday(self, t, tz):
        return _dt.datetime.fromtimestamp(t + tz * 3600.0, _dt.timezone.utc).weekday()

    def weight(self, t, tz, profile):
        h = self.local_hour(t, tz)
        p = PROFILES[profile]
        i = int(h) % 24
        w = p[i] + (p[(i + 1) % 24] - p[i]) * (h - int(h))
        if profile in ("office", "human") and self.weekday(t, tz) >= 5:
            w *= 0.08
        return w

    def diurnal_times(self, rng, n, tz, profile, t0=None, t1=None):
        t0 = self.t0 if t0 is None else t0
        t1 = self.t1 if t1 is None else t1
        out = []
        tries = 0
        while len(out) < n and tries < n * 400:
            tries += 1
            t = rng.uniform(t0, t1)
            if rng.random() < self.weight(t, tz, profile):
                out.append(t)
        out.sort()
        return out

    def machine_times(self, rng, n, jitter=0.04, t0=None, t1=None):
        t0 = self.t0 if t0 is None else t0
        t1 = self.t1 if t1 is None else t1
        if n <= 0:
            return []
        period = (t1 - t0) / n
        start = t0 + rng.random() * period
        out = []
        for i in range(n):
            t = start + i * period + rng.gauss(0, jitter * period)
            out.append(min(max(t, t0), t1 - 0.001))
        out.sort()
        return out

    # ---- the record ---------------------------------------------------------------------
    def emit(self, rng, acct, t, model, messages, params, outs=None, *, end_user=None, ip=None,
             ua=None, key=None, fail=None, cached=0, logprobs=None, extra_ptoks=0, latency=None):
        """Write one StandardLoggingPayload; return the request's endTime."""
        if t < self.t0 or t >= self.t1:
            return t
        provider, lmodel, api_base, rmodel, cin, cout, tps = MODELS[model]
        key = key or acct.keys[0]
        ip = ip or acct.ip
        ua = ua or acct.ua
        stream = bool(params.get("stream"))
        n_choices = int(params.get("n") or 1)
        ptoks = msg_tokens(messages) + extra_ptoks
        if params.get("tools"):
            ptoks += tok(json.dumps(params["tools"])) + 10
        rid = ("chatcmpl-" + b62(rng, 29)) if provider == "openai" else ("chatcmpl-" + uuid4(rng))
        if fail:
            code = fail
            cls, tmpl = FAILS[code]
            err = tmpl.format(lim=rng.choice([500, 1000, 5000, 10000]), s=round(rng.uniform(0.2, 9.0), 2),
                              n=ptoks)
            dur = 600.0 if code == "408" else rng.uniform(0.03, 1.2)
            end = t + dur
            cst = end
            ctoks = 0
            ptoks_logged = 0
            status = "failure"
            cost = 0.0
            response = {}
        else:
            status = "success"
            ctoks = sum(o["tokens"] for o in outs)
            longest = max(o["tokens"] for o in outs)
            ttft = rng.uniform(0.18, 0.9) + ptoks / 25000.0
            if latency is not None:
                dur = latency
            else:
                dur = ttft + longest / rng.uniform(*tps)
            end = t + dur
            cst = t + min(ttft, dur) if stream else end
            ptoks_logged = ptoks
            cost = ptoks * cin + ctoks * cout
            if cached:
                cost -= cached * cin * 0.5
            choices = []
            for i, o in enumerate(outs):
                msg = {"content": o.get("text"), "role": "assistant", "tool_calls": o.get("tool_calls"),
                       "function_call": None}
                if provider == "openai":
                    msg["provider_specific_fields"] = {"refusal": None}
                ch = {"finish_reason": o["finish"], "index": i, "message": msg}
                if logprobs is not None:
                    ch["logprobs"] = logprobs[i] if isinstance(logprobs, list) else logprobs
                ch["provider_specific_fields"] = {}
                choices.append(ch)
            usage = {"completion_tokens": ctoks, "prompt_tokens": ptoks, "total_tokens": ptoks + ctoks,
                     "completion_tokens_details": {"accepted_prediction_tokens": 0, "audio_tokens": 0,
                                                   "reasoning_tokens": 0, "rejected_prediction_tokens": 0,
                                                   "text_tokens": None},
                     "prompt_tokens_details": {"audio_tokens": 0, "cached_tokens": cached,
                                               "text_tokens": None, "image_tokens": None}}
            response = {"id": rid, "created": int(t), "model": rmodel, "object": "chat.completion",
                        "system_fingerprint": FINGERPRINTS[model] if provider == "openai" else None,
                        "choices": choices, "usage": usage, "service_tier": "default" if provider == "openai" else None}
        key.spend += cost
        mp = {}
        for k_ in ("temperature", "top_p", "n", "max_tokens", "stream", "stream_options", "logprobs",
                   "top_logprobs", "tools", "tool_choice", "stop", "response_format", "seed",
                   "presence_penalty", "frequency_penalty"):
            if k_ in params:
                mp[k_] = params[k_]
        if end_user:
            mp["user"] = end_user
        usage_obj = None if fail else response["usage"]
        body_len = len(json.dumps(messages)) + 60 + len(json.dumps(mp))
        hdrs = {"x-forwarded-for": ip, "host": acct.host, "connection": "keep-alive",
                "content-length": str(body_len), "accept-encoding": "gzip, deflate",
                "accept": "application/json", "content-type": "application/json", "user-agent": ua}
        ua_head = ua.split("/")[0].split(" ")[0]
        meta = {
            "user_api_key_hash": key.hash,
            "user_api_key_alias": key.alias,
            "user_api_key_spend": round(key.spend, 6),
            "user_api_key_max_budget": None,
            "user_api_key_budget_reset_at": None,
            "user_api_key_team_id": acct.team_id,
            "user_api_key_org_id": acct.org_id,
            "user_api_key_project_id": None,
            "user_api_key_user_id": key.user_id,
            "user_api_key_team_alias": acct.team_alias,
            "user_api_key_user_email": key.email,
            "user_api_key_end_user_id": end_user,
            "user_api_key_request_route": acct.route,
            "spend_logs_metadata": None,
            "requester_ip_address": ip,
            "user_agent": ua,
            "requester_metadata": {"user_api_key_user_id": key.user_id, "headers": hdrs},
            "prompt_management_metadata": None,
            "applied_guardrails": [],
            "mcp_tool_call_metadata": None,
            "vector_store_request_metadata": None,
            "usage_object": usage_obj,
            "requester_custom_headers": {"x-forwarded-for": ip},
            "cold_storage_object_key": None,
            "user_api_key_auth_metadata": {},
            "team_alias": None,
            "team_id": None,
        }
        rec = {
            "id": rid,
            "trace_id": uuid4(rng),
            "call_type": "acompletion",
            "cache_hit": None if not stream else False,
            "stream": True if stream else None,
            "status": status,
            "status_fields": {"llm_api_status": status, "guardrail_status": "not_run"},
            "custom_llm_provider": provider,
            "saved_cache_cost": 0.0,
            "startTime": round(t, 6),
            "endTime": round(end, 6),
            "completionStartTime": round(cst, 6),
            "response_time": round(end - t, 6),
            "model": lmodel,
            "metadata": meta,
            "cache_key": None,
            "response_cost": round(cost, 8),
            "cost_breakdown": {"input_cost": round(ptoks_logged * cin, 8), "output_cost": round(ctoks * cout, 8),
                               "total_cost": round(cost, 8), "tool_usage_cost": 0.0,
                               "original_cost": round(cost, 8), "discount_percent": 0.0,
                               "discount_amount": 0.0, "margin_percent": 0.0, "margin_fixed_amount": 0.0,
                               "margin_total_amount": 0.0},
            "total_tokens": ptoks_logged + ctoks,
            "prompt_tokens": ptoks_logged,
            "completion_tokens": ctoks,
            "request_tags": ["User-Agent: " + ua_head, "User-Agent: " + ua],
            "end_user": end_user or "",
            "api_base": api_base,
            "model_group": model,
            "model_id": MODEL_IDS[model],
            "requester_ip_address": ip,
            "user_agent": ua,
            "messages": messages,
            "response": response,
            "model_parameters": mp,
            "hidden_params": {"model_id": MODEL_IDS[model], "cache_key": None, "api_base": api_base,
                              "response_cost": None if fail else round(cost, 8), "additional_headers": {},
                              "litellm_overhead_time_ms": round(rng.uniform(0.6, 9.0), 3),
                              "batch_models": None, "litellm_model_name": lmodel, "usage_object": None},
            "model_map_information": {"model_map_key": model, "model_map_value": None},
            "error_str": None,
            "error_information": {"error_code": "", "error_class": "", "llm_provider": "", "traceback": "",
                                  "error_message": ""},
            "response_cost_failure_debug_info": None,
            "guardrail_information": None,
            "standard_built_in_tools_params": {"web_search_options": None, "file_search": None},
        }
        if fail:
            rec["error_str"] = err
            rec["error_information"] = {
                "error_code": fail, "error_class": cls, "llm_provider": provider,
                "traceback": "Traceback (most recent call last):\n  File \"/usr/lib/python3.13/site-packages/"
                             "litellm/main.py\", line 535, in acompletion\n    response = await init_response\n"
                             "litellm.exceptions.%s: %s\n" % (cls, err[:120]),
                "error_message": err}
        line = dumps(rec)
        self.rows.append((t, self.seq, line))
        self.seq += 1
        acct.lines += 1
        # rare: the same event logged without any account field (must be skipped by a reader)
        if self.mal_rng.random() < 0.001:
            rec2 = dict(rec)
            m2 = dict(meta)
            m2["user_api_key_hash"] = None
            m2["user_api_key_team_id"] = None
            m2["user_api_key_end_user_id"] = None
            m2["user_api_key_alias"] = None
            m2["user_api_key_user_id"] = None
            m2["requester_metadata"] = {"user_api_key_user_id": None, "headers": hdrs}
            rec2["metadata"] = m2
            rec2["end_user"] = ""
            mp2 = dict(mp)
            mp2.pop("user", None)
            rec2["model_parameters"] = mp2
            self.noacct.append((t + 0.0001, dumps(rec2)))
        return end

    # chat outcome helper
    def outs1(self, text, tokens, finish="stop"):
        return [{"text": text, "tokens": tokens, "finish": finish}]


# --------------------------------------------------------------------------------------------
# shared prompt machinery
# --------------------------------------------------------------------------------------------

NUM_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d{1,6})(?![\w]|,\d)")


def perturb_numbers(rng, q):
    """A new problem with the same shape: most integers replaced by nearby ones."""
    def rep(m):
        raw = m.group(1)
        v = int(raw.replace(",", ""))
        if rng.random() < 0.25:
            return raw
        if v <= 2:
            nv = v + rng.randint(1, 4)
        else:
            lo, hi = max(1, v // 2), v * 2
            nv = rng.randint(lo, hi)
            if nv == v:
                nv = v + 1
        return "{:,}".format(nv) if "," in raw else str(nv)
    return NUM_RE.sub(rep, q)


class UniquePrompts:
    """Draws prompts that this account has never sent before."""

    def __init__(self, rng):
        self.rng = rng
        self.seen = set()

    def take(self, make, tries=50):
        for _ in range(tries):
            p = make()
            if p and p not in self.seen:
                self.seen.add(p)
                return p
        return None


COT_WRAPPERS = [
    "{q}\n\nWalk me through your reasoning one step at a time before you give the final answer.",
    "Solve the following. Lay out every intermediate step and justify each one.\n\n{q}",
    "Problem: {q}\nReason carefully and show all of your work, then write the final answer on its own line after 'Answer:'.",
    "Think out loud. I want the full chain of reasoning, not only the result: {q}",
    "Before answering, write a detailed derivation with numbered steps.\n\nQuestion: {q}",
    "Give a rigorous, exhaustive explanation of how to arrive at the answer. Do not skip any step.\n\n{q}",
    "I'm preparing worked solutions for students. For the problem below produce a complete solution, explaining the reasoning behind every step, then state the final answer.\n\n{q}",
    "{q}\n\nExplain your thought process in detail, including any checks you make along the way.",
    "{q}\n\nPlease reason it through slowly and explicitly; list your assumptions first.",
    "Question:\n{q}\n\nFormat: <reasoning> full step-by-step reasoning </reasoning> <answer> final answer </answer>",
    "{q}\n\nExplica tu razonamiento paso a paso y luego da la respuesta final.",
    "{q}\n\nErkläre deinen Lösungsweg Schritt für Schritt, bevor du die endgültige Antwort nennst.",
    "{q}\n\nDétaille ton raisonnement étape par étape, puis donne la réponse finale.",
    "{q}\n\n请一步一步地解释你的推理过程，然后给出最终答案。",
    "{q}\n\nExplique seu raciocínio passo a passo e depois dê a resposta final.",
    "{q}\n\n段階的に考え、推論の過程をすべて示してから最終的な答えを書いてください。",
    "{q}\n\nSpiega il tuo ragionamento passo dopo passo prima di dare la risposta finale.",
    "{q}\n\nЛогически рассуждай шаг за шагом и покажи все промежуточные выводы, затем дай окончательный ответ.",
    "Here is a task. First analyse it, then reason through it in as many steps as needed, then answer.\n\n{q}",
    "{q}\n\nShow your work. Every calculation or inference should be written out.",
    "Respond with a long, careful explanation of your reasoning followed by a concise final answer.\n\nTask: {q}",
    "{q}\n\nTake a deep breath and work through this methodically, explaining why each step follows from the previous one.",
]

COT_SYSTEMS = [
    "You are a meticulous expert problem solver. Always reason step by step and explain each step before giving the final answer.",
    "You are a helpful assistant that thinks carefully. Provide detailed reasoning and then a clearly marked final answer.",
    "You are an expert tutor. Give complete, rigorous worked solutions.",
    None, None,
]

HYDRA_SYSTEMS = [
    "You are a highly knowledgeable assistant. Give thorough, complete and well-structured answers, explaining your reasoning in detail.",
    "You are a very knowledgeable assistant. Provide thorough, complete, well-organised answers and explain your reasoning fully.",
    "You're an extremely knowledgeable AI assistant. Always give complete, thorough and structured answers with a detailed explanation of your reasoning.",
    "As a highly knowledgeable assistant, answer thoroughly and completely, in a well-structured way, explaining your reasoning in depth.",
    "You are a knowledgeable and careful assistant. Your answers must be thorough, complete and well structured, with the reasoning explained in detail.",
    "You are an expert assistant with broad knowledge. Respond with comprehensive, well-structured answers and explain your reasoning step by step.",
    "Act as a highly knowledgeable assistant: be thorough, be complete, structure the answer well and lay out your reasoning in detail.",
    "You are a highly capable assistant. Provide detailed, complete and clearly structured responses that show your full reasoning.",
    "You are a highly knowledgeable helper. Answer every question thoroughly and completely, with clear structure and detailed reasoning.",
    "You are a well-informed assistant. Give exhaustive, well-structured answers and explain the reasoning behind them in detail.",
]

EVOL_TEMPLATES = [
    "Rewrite the following task so that it includes one additional constraint or requirement, then solve the rewritten task in full.\n\n#Given Task#:\n{q}",
    "Answer the following twice: first for a complete beginner, then for an expert in the field.\n\n{q}",
    "Make the following instruction more complex so that it requires multiple steps of reasoning. Show the new instruction, then answer it thoroughly.\n\n{q}",
    "Create a brand-new task in the same domain as the one below but rarer and more specialised. Write the task, then a complete answer.\n\nOriginal: {q}",
    "Replace the general concepts in this prompt with more specific ones, then answer the more specific prompt in depth.\n\n{q}",
    "Deepen the following request by adding a concrete real-world scenario with specific details, then respond to it at length.\n\n{q}",
    "Give three different answers to the task below, each using a different approach, then explain which one is best and why.\n\n{q}",
    "Answer in Spanish, then give the same answer in English.\n\n{q}",
    "Add a requirement that the answer must include a worked example and a short table, then answer.\n\nTask: {q}",
    "I will give you a prompt. Rewrite it so that it is harder for an AI system to answer (keep it reasonable and understandable by humans), then answer your rewritten version.\n\n#The Given Prompt#:\n{q}",
    "Broaden the following question so that it covers edge cases, then answer it comprehensively.\n\n{q}",
    "Respond to the task below as a Socratic dialogue between a teacher and a student, then summarise the final answer.\n\n{q}",
    "Turn this into an interview question for a senior candidate and write a model answer.\n\n{q}",
    "Solve the following, then critique your own solution and give an improved final version.\n\n{q}",
]

FOLLOWUPS = [
    "Can you make that shorter?", "Thanks! Can you give me an example?", "What do you mean by that?",
    "Could you put that in a table?", "ok and what about the second point?", "Can you explain that more simply?",
    "That's not quite what I meant, I need something more casual.", "Great, thanks! One more thing - how long would that take?",
    "Can you rewrite it in a more formal tone?", "Why is that?", "hmm, are you sure?", "Give me 3 alternatives.",
    "Could you translate that to German?", "Perfect. Now summarise it in two sentences.",
    "What would you recommend for someone just starting out?", "and if I don't have much budget?",
]


def instr_answer_core(corp, text):
    return corp.alpaca_core.get(text, "")


# --------------------------------------------------------------------------------------------
# ATTACK personas
# --------------------------------------------------------------------------------------------

def gsm_cot_answer(ctx, rng, item, target, max_tokens, cap=6000):
    q, steps, final = item
    core = "Let's work through this carefully.\n\n" + "\n".join(
        "%d. %s %s" % (i + 1, s, rng.choice(REASON_FILLERS)) for i, s in enumerate(steps))
    return ctx.text.compose(rng, core, target, max_tokens, style="steps", cap=cap,
                            outro="**Final answer:** %s" % (final or "see above"))


def he_answer(ctx, rng, item, target, max_tokens, cap=6000, explain=True):
    code = "```python\n" + item["prompt"] + item["canonical_solution"] + "```"
    return ctx.text.compose(rng, "Here is a complete implementation.\n\n" + code if explain else code, target,
                            max_tokens, style="code", cap=cap)


def harvest_prompt(ctx, rng, up, kinds=("gsm", "instr", "he"), weights=(0.5, 0.4, 0.1), wrap=True):
    """Returns (prompt text, kind, item) that the account has not sent before."""
    corp = ctx.corp
    for _ in range(60):
        kind = rng.choices(kinds, weights)[0]
        if kind == "gsm":
            item = rng.choice(corp.gsm)
            q = item[0] if rng.random() < 0.3 else perturb_numbers(rng, item[0])
        elif kind == "he":
            item = rng.choice(corp.he)
            q = "Complete the following Python function and explain how it works.\n\n```python\n" + item["prompt"] + "```"
        else:
            item = rng.choice(corp.instr)
            q = item[0]
        p = rng.choice(COT_WRAPPERS).format(q=q) if wrap else q
        if p not in up.seen:
            up.seen.add(p)
            return p, kind, item
    return None, None, None


def harvest_answer(ctx, rng, kind, item, target, max_tokens, cap=6000):
    if kind == "gsm":
        return gsm_cot_answer(ctx, rng, item, target, max_tokens, cap)
    if kind == "he":
        return he_answer(ctx, rng, item, target, max_tokens, cap)
    core = item[1] if isinstance(item, tuple) and len(item) > 1 else ""
    return ctx.text.compose(rng, core, target, max_tokens, style="essay", cap=cap,
                            intro=rng.choice(["Let's think this through step by step.", "Here's a detailed answer.",
                                              "Great question. Let me reason through it carefully.", None]))


def p_cot_harvester(ctx):
    rng = ctx.R("cot")
    P = "cot_harvester"
    # (a) team account, three keys rotated after 429s, riding the rate limit 24/7
    team = uuid4(rng)
    keys = [Key(rng, alias="svc-%d" % (i + 1)) for i in range(3)]
    a = ctx.add(Acct(P, "attack", keys, team_id=team, team_alias="applied-research",
                     ip=ctx.ip(rng), ua="python-httpx/0.27.2"))
    # (b) key-only, instruction-heavy, multilingual wrappers
    b = ctx.add(Acct(P, "attack", [Key(rng)], ip=ctx.ip(rng), ua="OpenAI/Python 1.52.0"))
    # (c) key-only, math + code, streamed
    c = ctx.add(Acct(P, "attack", [Key(rng, alias="batch")], ip=ctx.ip(rng), ua="OpenAI/NodeJS 4.67.3"))
    specs = [
        (a, ctx.n(3400), ("gsm", "instr", "he"), (0.55, 0.35, 0.10), 4096, 0.7, False),
        (b, ctx.n(2300), ("gsm", "instr"), (0.25, 0.75), 2048, 0.8, False),
        (c, ctx.n(1800), ("gsm", "he"), (0.8, 0.2), 1536, 0.6, True),
    ]
    for acct, n, kinds, w, mt, temp, stream in specs:
        up = UniquePrompts(rng)
        ki = 0
        times = ctx.machine_times(rng, n, jitter=0.35)
        sysp = rng.choice(COT_SYSTEMS)
        for t in times:
            p, kind, item = harvest_prompt(ctx, rng, up, kinds, w)
            if p is None:
                continue
            msgs = ([{"role": "system", "content": sysp}] if sysp else []) + [{"role": "user", "content": p}]
            params = {"temperature": temp, "max_tokens": mt, "stream": stream}
            if stream:
                params["stream_options"] = {"include_usage": True}
            key = acct.keys[ki % len(acct.keys)]
            if acct is a and rng.random() < 0.045:
                ctx.emit(rng, acct, t, "gpt-4o", msgs, params, fail="429", key=key)
                ki += 1  # move to the next key and retry at once
                key = acct.keys[ki % len(acct.keys)]
                t += rng.uniform(0.2, 2.0)
            elif rng.random() < 0.004:
                ctx.emit(rng, acct, t, "gpt-4o", msgs, params, fail=rng.choice(["500", "503"]), key=key)
                t += rng.uniform(1, 5)
            target = lognorm_int(rng, 950, 0.45, 400, 2600)
            text, ct, fin = harvest_answer(ctx, rng, kind, item, target, mt)
            ctx.emit(rng, acct, t, "gpt-4o", msgs, params, ctx.outs1(text, ct, fin), key=key)


def p_hydra(ctx):
    rng = ctx.R("hydra")
    P = "hydra"
    corp = ctx.corp
    n_acc = rng.randint(15, 25)
    n_nets = rng.randint(2, 3)
    nets = []
    while len(nets) < n_nets:
        pre = "%d.%d.%d" % (rng.choice([45, 91, 103, 146, 185, 193, 194, 195]), rng.randint(0, 255),
                            rng.randint(0, 255))
        if pre not in nets:
            nets.append(pre)
    ctx.reserved_24.update(nets)
    ua = "AsyncOpenAI/Python 1.47.0"
    counts = [max(8, int(round(rng.randint(40, 120) * ctx.scale))) for _ in range(n_acc)]
    # one prompt set, split between the accounts without overlap
    pool = [(t, o, "instr") for t, o, _ in corp.instr]
    pool += [(q, (q, st, fi), "gsm") for q, st, fi in corp.gsm]
    seen = set()
    uniq = []
    for p_ in pool:
        if p_[0] not in seen:
            seen.add(p_[0])
            uniq.append(p_)
    pool = uniq
    rng.shuffle(pool)
    need = sum(counts)
    while len(pool) < need:  # extend with fresh problem variants if the set is too small
        q, st, fi = rng.choice(corp.gsm)
        v = perturb_numbers(rng, q)
        if v not in seen:
            seen.add(v)
            pool.append((v, (v, st, fi), "gsm"))
    off = 0
    accts = []
    for i in range(n_acc):
        net = nets[i % n_nets]
        ip = "%s.%d" % (net, rng.randint(2, 250))
        acct = ctx.add(Acct(P, "attack", [Key(rng)], ip=ip, ua=ua))
        accts.append(acct)
        sysp = HYDRA_SYSTEMS[i % len(HYDRA_SYSTEMS)]
        mine = pool[off:off + counts[i]]
        off += counts[i]
        times = ctx.machine_times(rng, len(mine), jitter=0.02)
        for t, (text, core, kind) in zip(times, mine):
            msgs = [{"role": "system", "content": sysp}, {"role": "user", "content": text}]
            params = {"temperature": 0.7, "max_tokens": 4096, "top_p": 1}
            target = lognorm_int(rng, 1000, 0.4, 450, 2400)
            if kind == "gsm":
                out = gsm_cot_answer(ctx, rng, core, target, 4096)
            else:
                out = ctx.text.compose(rng, core, target, 4096, style="essay")
            ctx.emit(rng, acct, t, "gpt-4o", msgs, params, ctx.outs1(*out))
    ctx.notes["hydra_networks"] = [n + ".0/24" for n in nets]


def chat_session(ctx, rng, acct, t, model, *, end_user=None, ip=None, ua=None, key=None, stream=True,
                 system=None, max_turns=5, params_extra=None, think=(15, 140), answer_tokens=(60, 500)):
    """A multi-turn human conversation (hh-rlhf or koala/awesome openers with follow-ups)."""
    corp = ctx.corp
    msgs = [{"role": "system", "content": system}] if system else []
    r = rng.random()
    if r < 0.55:
        d = rng.choice(corp.hh)
        turns = []
        for i in range(0, len(d) - 1, 2):
            if d[i][0] == "user" and d[i + 1][0] == "assistant":
                turns.append((d[i][1], d[i + 1][1]))
        turns = turns[:max_turns]
    else:
        opener = rng.choice(corp.koala) if r < 0.8 else rng.choice(corp.awesome)[1]
        k = rng.randint(1, max_turns)
        turns = [(opener, None)] + [(rng.choice(FOLLOWUPS), None) for _ in range(k - 1)]
    params = {"stream": stream}
    if stream:
        params["stream_options"] = {"include_usage": True}
    if params_extra:
        params.update(params_extra)
    for u, a in turns:
        msgs = msgs + [{"role": "user", "content": u}]
        if a is not None and rng.random() < 0.8:
            text = a
            ct = tok(text)
            fin = "stop"
        else:
            tgt = lognorm_int(rng, (answer_tokens[0] + answer_tokens[1]) // 3, 0.5, answer_tokens[0], answer_tokens[1])
            text, ct, fin = ctx.text.compose(rng, a or "", tgt, params.get("max_tokens"), style="prose")
        if rng.random() < 0.004:
            end = ctx.emit(rng, acct, t, model, list(msgs), params, fail=rng.choice(["500", "503"]),
                           end_user=end_user, ip=ip, ua=ua, key=key)
            t = end + rng.uniform(2, 20)
        end = ctx.emit(rng, acct, t, model, list(msgs), params, ctx.outs1(text, ct, fin), end_user=end_user,
                       ip=ip, ua=ua, key=key)
        msgs = msgs + [{"role": "assistant", "content": text}]
        t = end + rng.uniform(*think) + len(u) / 6.0
    return t


def p_slow_low(ctx):
    rng = ctx.R("slowlow")
    P = "slow_low"
    corp = ctx.corp
    for i in range(3):
        tz = rng.choice([-5, 1, 3, 8])
        ips = [ctx.ip(rng) for _ in range(rng.randint(2, 4))]
        ua = rng.choice(BROWSER_UAS[:6])
        acct = ctx.add(Acct(P, "attack", [Key(rng)], ip=ips[0], ua=ua))
        total = max(30, int(round(rng.randint(220, 420) * ctx.scale * ctx.hours / 30.0)))
        up = UniquePrompts(rng)
        # human-like: sample activity moments from a diurnal profile, cluster some into bursts
        anchors = ctx.diurnal_times(rng, int(total * 0.7), tz, "human")
        made = 0
        model = "gpt-4o"
        for t in anchors:
            if made >= total:
                break
            ip = ips[int((t - ctx.t0) / (6 * 3600)) % len(ips)]
            if rng.random() < 0.22:  # decoy chat
                before = acct.lines
                chat_session(ctx, rng, acct, t, model, ip=ip, stream=True, max_turns=4,
                             think=(20, 200), answer_tokens=(40, 350))
                made += acct.lines - before
                continue
            burst = 1 if rng.random() < 0.6 else rng.randint(2, 3)
            for _ in range(burst):
                def mk():
                    src = rng.random()
                    if src < 0.45:
                        it = rng.choice(corp.alpaca)
                        return it[0]
                    if src < 0.7:
                        return rng.choice(corp.seed)[0]
                    if src < 0.85:
                        return rng.choice(corp.koala)
                    return perturb_numbers(rng, rng.choice(corp.gsm)[0])
                p = up.take(mk)
                if p is None:
                    break
                if rng.random() < 0.3:
                    p += rng.choice(["\n\nPlease be as detailed and complete as possible.",
                                     "\n\nBe thorough.", "\n\nExplain fully.", " Please give a complete answer."])
                msgs = [{"role": "user", "content": p}]
                params = {"stream": True, "stream_options": {"include_usage": True}}
                if rng.random() < 0.5:
                    params["temperature"] = 0.7
                target = lognorm_int(rng, 1100, 0.35, 650, 2200)
                core = instr_answer_core(corp, p.split("\n\n")[0])
                text, ct, fin = ctx.text.compose(rng, core, target, None, style="essay")
                end = ctx.emit(rng, acct, t, model, msgs, params, ctx.outs1(text, ct, fin), ip=ip)
                made += 1
                t = end + rng.lognormvariate(math.log(90), 0.8)


def p_rejection_sampler(ctx):
    rng = ctx.R("rejsamp")
    P = "rejection_sampler"
    corp = ctx.corp
    a = ctx.add(Acct(P, "attack", [Key(rng)], ip=ctx.ip(rng), ua="OpenAI/Python 1.40.6"))
    team = uuid4(rng)
    b = ctx.add(Acct(P, "attack", [Key(rng, alias="sampler-1"), Key(rng, alias="sampler-2")], team_id=team,
                     team_alias="rl-data", ip=ctx.ip(rng), ua="python-requests/2.32.3"))
    for acct, n, model in ((a, ctx.n(1300), "gpt-4o"), (b, ctx.n(1000), "claude-3-5-sonnet")):
        up = UniquePrompts(rng)
        # waves of concurrent requests every few minutes, 24/7
        times = []
        spacing = ctx.H * 26.0 / max(1, n)  # mean wave size 26, waves spread over the whole window
        t = ctx.t0 + rng.uniform(0, spacing)
        while len(times) < n and t < ctx.t1:
            w = rng.randint(12, 40)
            for _ in range(w):
                times.append(t + rng.uniform(0, 25))
            t += spacing * rng.uniform(0.5, 1.5)
        times = sorted(times[:n])
        for t in times:
            if rng.random() < 0.8:
                it = rng.choice(corp.gsm)
                q = up.take(lambda: perturb_numbers(rng, it[0]))
                if q is None:
                    continue
                prompt = rng.choice([
                    "Solve the following math problem. Put your final answer in \\boxed{{}}.\n\n{q}",
                    "{q}\nPlease reason step by step, and put your final answer within \\boxed{{}}.",
                    "Problem:\n{q}\n\nSolution:"]).format(q=q)
                kind = "gsm"
            else:
                it = rng.choice(corp.he)
                prompt = up.take(lambda: rng.choice([
                    "Complete the following Python function. Return only code.\n\n```python\n{p}```",
                    "Write a correct and efficient implementation:\n\n{p}",
                    "{p}"]).format(p=it["prompt"]))
                if prompt is None:
                    continue
                kind = "he"
            k = rng.randint(4, 8)
            temp = round(rng.choice([0.8, 0.85, 0.9, 0.95, 1.0]), 2)
            mt = rng.choice([2048, 2048, 4096])
            params = {"temperature": temp, "n": k, "max_tokens": mt, "top_p": 0.95}
            outs = []
            per_cap = max(1400, 15000 // k)
            for _ in range(k):
                tg = lognorm_int(rng, 480, 0.45, 180, 2300)
                if kind == "gsm":
                    text, ct, fin = gsm_cot_answer(ctx, rng, it, tg, mt, cap=per_cap)
                else:
                    text, ct, fin = he_answer(ctx, rng, it, tg, mt, cap=per_cap, explain=rng.random() < 0.5)
                outs.append({"text": text, "tokens": ct, "finish": fin})
            if rng.random() < 0.02:
                ctx.emit(rng, acct, t, model, [{"role": "user", "content": prompt}], params, fail="429")
                t += rng.uniform(5, 30)
            ctx.emit(rng, acct, t, model, [{"role": "user", "content": prompt}], params, outs,
                     key=rng.choice(acct.keys))


def p_reseller(ctx):
    rng = ctx.R("reseller")
    P = "reseller"
    corp = ctx.corp
    team = uuid4(rng)
    keys = [Key(rng, alias="prod-backend"), Key(rng, alias="prod-backend-2")]
    srv = [ctx.ip(rng), ctx.ip(rng)]
    acct = ctx.add(Acct(P, "attack", keys, team_id=team, team_alias="chatnest-prod", ip=srv[0],
                        ua="OpenAI/NodeJS 4.56.0"))
    n_norm = max(20, int(round(230 * ctx.scale)))
    users = ["cn_" + hexs(rng, 10) for _ in range(n_norm)]
    n_h = rng.randint(3, 5)
    harv = ["cn_" + hexs(rng, 10) for _ in range(n_h)]
    # ordinary chat end users
    for u in users:
        tz = rng.choice([-7, -5, -4, 0, 1, 2, 5.5, 8])
        nsess = rng.choice([1, 1, 2, 2, 3, 4, 6])
        for t in ctx.diurnal_times(rng, nsess, tz, "consumer"):
            chat_session(ctx, rng, acct, t, rng.choice(["gpt-4o-mini", "gpt-4o-mini", "gpt-4o"]), end_user=u,
                         ip=rng.choice(srv), key=rng.choice(keys), max_turns=6)
    # harvesting end users: single-shot, new prompts, long answers, steady rate
    for u in harv:
        up = UniquePrompts(rng)
        n = max(20, int(round(rng.randint(280, 420) * ctx.f)))
        for t in ctx.machine_times(rng, n, jitter=0.3):
            p, kind, item = harvest_prompt(ctx, rng, up, ("gsm", "instr", "he"), (0.35, 0.55, 0.1),
                                           wrap=rng.random() < 0.5)
            if p is None:
                continue
            params = {"temperature": 0.7, "max_tokens": 4096, "stream": True,
                      "stream_options": {"include_usage": True}}
            target = lognorm_int(rng, 1000, 0.4, 450, 2400)
            text, ct, fin = harvest_answer(ctx, rng, kind, item, target, 4096)
            ctx.emit(rng, acct, t, "gpt-4o", [{"role": "user", "content": p}], params, ctx.outs1(text, ct, fin),
                     end_user=u, ip=rng.choice(srv), key=rng.choice(keys))
    ctx.notes["reseller_harvesting_end_users"] = {team: harv}


def p_evol(ctx):
    rng = ctx.R("evol")
    P = "evol_instruct"
    corp = ctx.corp
    seeds = [t for t, _, _ in corp.instr] + [g[0] for g in corp.gsm[:500]]
    a = ctx.add(Acct(P, "attack", [Key(rng, alias="gen-pipeline")], ip=ctx.ip(rng), ua="litellm/1.50.1"))
    b = ctx.add(Acct(P, "attack", [Key(rng)], ip=ctx.ip(rng), ua="python-httpx/0.27.0"))
    for acct, n, mode in ((a, ctx.n(2200), "waves"), (b, ctx.n(1600), "flat")):
        up = UniquePrompts(rng)
        if mode == "flat":
            times = ctx.machine_times(rng, n, jitter=0.3)
        else:
            times = []
            nw = max(1, int(round(5 * ctx.hours / 30.0)))
            per = n // nw + 1
            for w in range(nw):
                s = ctx.t0 + (w + rng.uniform(0.05, 0.6)) * ctx.H / nw
                dur = rng.uniform(40, 90) * 60
                times += [s + rng.uniform(0, dur) for _ in range(per)]
            times = sorted(times)[:n]
        for t in times:
            p = up.take(lambda: rng.choice(EVOL_TEMPLATES).format(q=rng.choice(seeds)))
            if p is None:
                continue
            params = {"temperature": 1.0 if rng.random() < 0.5 else 0.7, "max_tokens": 2048}
            target = lognorm_int(rng, 1050, 0.4, 450, 2500)
            seed_text = p.split("\n\n")[-1]
            core = instr_answer_core(corp, seed_text.replace("#Given Task#:\n", "").replace("Original: ", ""))
            intro = rng.choice(["**Rewritten task:** " + clip_words(seed_text, 300) + " Additionally, the answer must "
                                + rng.choice(["cite at least two examples.", "fit in a single table.",
                                              "consider a limited budget.", "be suitable for a 10-year-old.",
                                              "address possible counter-arguments."]),
                                "**For a beginner:**", "**Approach 1:**", None])
            text, ct, fin = ctx.text.compose(rng, core, target, 2048, style="essay", intro=intro)
            ctx.emit(rng, acct, t, "gpt-4o", [{"role": "user", "content": p}], params, ctx.outs1(text, ct, fin))


def p_model_pivot(ctx):
    rng = ctx.R("pivot")
    P = "model_pivot"
    a = ctx.add(Acct(P, "attack", [Key(rng)], ip=ctx.ip(rng), ua="OpenAI/Python 1.55.0"))
    team = uuid4(rng)
    b = ctx.add(Acct(P, "attack", [Key(rng, alias="main")], team_id=team, team_alias="nlp-lab",
                     ip=ctx.ip(rng), ua="python-httpx/0.27.2"))
    for acct, n, mode in ((a, ctx.n(1700), "abrupt"), (b, ctx.n(1300), "gradual")):
        up = UniquePrompts(rng)
        sw = ctx.release + rng.uniform(600, 3000)
        for t in ctx.machine_times(rng, n, jitter=0.3):
            if mode == "abrupt":
                frac = 0.03 if t < sw else 0.96
            else:
                frac = 0.02 if t < sw else min(0.92, 0.1 + (t - sw) / (3 * 3600.0) * 0.82)
            model = "gpt-5.5-preview" if (t >= ctx.release and rng.random() < frac) else "gpt-4o"
            p, kind, item = harvest_prompt(ctx, rng, up, ("gsm", "instr", "he"), (0.4, 0.5, 0.1),
                                           wrap=rng.random() < 0.7)
            if p is None:
                continue
            params = {"temperature": 0.8, "max_tokens": 3000}
            target = lognorm_int(rng, 1000, 0.45, 420, 3300)
            text, ct, fin = harvest_answer(ctx, rng, kind, item, target, 3000)
            ctx.emit(rng, acct, t, model, [{"role": "user", "content": p}], params, ctx.outs1(text, ct, fin))
    ctx.notes["new_model_release"] = {"model": "gpt-5.5-preview", "first_allowed_startTime": round(ctx.release, 3)}


# --------------------------------------------------------------------------------------------
# BENIGN personas
# --------------------------------------------------------------------------------------------

def pool_run(ctx, rng, start, items, conc, fn):
    """Run items through `conc` workers starting at `start`; fn(item, t) -> endTime."""
    heap = [start + rng.uniform(0, 1.0) for _ in range(conc)]
    heapq.heapify(heap)
    for it in items:
        t = heapq.heappop(heap)
        end = fn(it, t)
        heapq.heappush(heap, max(end, t) + rng.uniform(0.01, 0.3))
    return max(heap)


def p_eval_harness(ctx):
    rng = ctx.R("eval")
    P = "eval_harness"
    corp = ctx.corp
    # (a) gsm8k 8-shot CoT, n=5 at temperature 0, fixed subset, several runs
    a = ctx.add(Acct(P, "benign", [Key(rng, alias="ci-evals")], ip=ctx.ip(rng), ua="lm-eval-harness/0.4.5"))
    idx = list(range(len(corp.gsm)))
    rng.shuffle(idx)
    shots = [corp.gsm[i] for i in idx[:8]]
    fewshot = "".join("Question: %s\nAnswer: %s The answer is %s.\n\n" % (q, " ".join(s), f) for q, s, f in shots)
    subset = [corp.gsm[i] for i in idx[8:8 + max(30, int(round(250 * ctx.scale)))]]
    runs = max(1, int(round(4 * ctx.hours / 30.0)))
    models = ["gpt-4o", "gpt-4o-mini", "gpt-4o", "gpt-5.5-preview", "claude-3-5-sonnet"]
    for r in range(runs):
        start = ctx.t0 + (r + 0.15 + rng.uniform(0, 0.3)) * ctx.H / runs
        model = models[r % len(models)]
        if model == "gpt-5.5-preview" and start < ctx.release:
            model = "gpt-4o-mini"

        def fn(item, t, model=model):
            q, steps, final = item
            msgs = [{"role": "user", "content": fewshot + "Question: %s\nAnswer:" % q}]
            text = " ".join(steps) + " The answer is %s." % final
            ct = tok(text)
            params = {"temperature": 0, "n": 5, "max_tokens": 512, "stop": ["Question:", "</s>", "<|im_end|>"], "seed": 1234}
            outs = [{"text": text, "tokens": ct, "finish": "stop"} for _ in range(5)]
            return ctx.emit(rng, a, t, model, msgs, params, outs)
        pool_run(ctx, rng, start, subset, 8, fn)
    # (b) HumanEval, n=5 at temperature 0, every run the same 164 problems
    b = ctx.add(Acct(P, "benign", [Key(rng)], ip=ctx.ip(rng), ua="OpenAI/Python 1.35.3"))
    he = corp.he[:max(20, int(round(164 * ctx.scale)))]
    runs = max(1, int(round(6 * ctx.hours / 30.0)))
    for r in range(runs):
        start = ctx.t0 + (r + rng.uniform(0.1, 0.7)) * ctx.H / runs
        model = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet"][r % 3]

        def fn(item, t, model=model):
            msgs = [{"role": "system", "content": "You are an expert Python programmer. Complete the function."},
                    {"role": "user", "content": "Complete the following Python code:\n```python\n%s```" % item["prompt"]}]
            text = "```python\n" + item["prompt"] + item["canonical_solution"] + "```"
            ct = tok(text)
            params = {"temperature": 0, "n": 5, "max_tokens": 768, "top_p": 1}
            outs = [{"text": text, "tokens": ct, "finish": "stop"} for _ in range(5)]
            return ctx.emit(rng, b, t, model, msgs, params, outs)
        pool_run(ctx, rng, start, he, 4, fn)
    # (c) gsm8k zero-shot CoT sweep over the full test set, model comparison (incl. the new model)
    c = ctx.add(Acct(P, "benign", [Key(rng, alias="model-eval")], team_id=uuid4(rng), team_alias="eval-platform",
                     ip=ctx.ip(rng), ua="lm-eval-harness/0.4.5"))
    full = corp.gsm[:max(50, int(round(len(corp.gsm) * ctx.scale)))]
    runs = max(1, int(round(3 * ctx.hours / 30.0)))
    for r in range(runs):
        start = ctx.t0 + (r + rng.uniform(0.1, 0.5)) * ctx.H / runs
        model = "gpt-5.5-preview" if start > ctx.release + 1800 and r == runs - 1 else ["gpt-4o-mini", "gpt-4o"][r % 2]

        def fn(item, t, model=model):
            q, steps, final = item
            msgs = [{"role": "user", "content": "Q: %s\nA: Let's think step by step." % q}]
            text = "\n".join(steps) + "\nTherefore, the answer is %s." % final
            ct = tok(text)
            params = {"temperature": 0, "max_tokens": 400}
            return ctx.emit(rng, c, t, model, msgs, params, ctx.outs1(text, ct, "stop"))
        pool_run(ctx, rng, start, full, 12, fn)


def judge_logprobs(rng, pick):
    other = "M" if pick == "m" else "m"
    lp = -rng.uniform(0.001, 0.6)
    tops = [{"token": pick, "bytes": list(pick.encode()), "logprob": round(lp, 5)},
            {"token": other, "bytes": list(other.encode()), "logprob": round(math.log(max(1e-9, 1 - math.exp(lp))), 5)}]
    for tkn in ["Model", "The", " m", "model"][:3]:
        tops.append({"token": tkn, "bytes": list(tkn.encode()), "logprob": round(-rng.uniform(6, 14), 5)})
    return {"content": [{"token": pick, "bytes": list(pick.encode()), "logprob": round(lp, 5), "top_logprobs": tops}],
            "refusal": None}


def p_llm_judge(ctx):
    rng = ctx.R("judge")
    P = "llm_judge"
    corp = ctx.corp
    pairs = corp.alpaca[:max(40, int(round(len(corp.alpaca) * ctx.scale)))]
    tmpl = corp.judge_clf
    sys_c = tmpl.split("<|im_start|>system\n")[1].split("<|im_end|>")[0].strip()
    usr_c = tmpl.split("<|im_start|>user\n")[1].split("<|im_end|>")[0]
    a = ctx.add(Acct(P, "benign", [Key(rng, alias="alpaca-eval")], ip=ctx.ip(rng), ua="alpaca_eval/0.6.5"))
    runs = max(1, int(round(3 * ctx.hours / 30.0)))
    for r in range(runs):
        start = ctx.t0 + (r + rng.uniform(0.1, 0.6)) * ctx.H / runs
        swap = r % 2 == 1

        def fn(item, t, swap=swap):
            ins, o1, o2 = item
            x1, x2 = (o2, o1) if swap else (o1, o2)
            u = usr_c.replace("{instruction}", ins).replace("{output_1}", x1).replace("{output_2}", x2)
            msgs = [{"role": "system", "content": sys_c}, {"role": "user", "content": u}]
            pick = "m" if (rng.random() < 0.7) != swap else "M"
            params = {"temperature": 1, "max_tokens": 1, "logprobs": True, "top_logprobs": 5}
            return ctx.emit(rng, a, t, "gpt-4o", msgs, params, [{"text": pick, "tokens": 1, "finish": "length"}],
                            logprobs=judge_logprobs(rng, pick))
        pool_run(ctx, rng, start, pairs, 16, fn)
    # (b) ranking judge: max_tokens 100, temperature 0, no logprobs
    tmpl = corp.judge_rank
    sys_r = tmpl.split("<|im_start|>system\n")[1].split("<|im_end|>")[0].strip()
    usr_r = tmpl.split("<|im_start|>user\n")[1].split("<|im_end|>")[0]
    b = ctx.add(Acct(P, "benign", [Key(rng)], ip=ctx.ip(rng), ua="OpenAI/Python 1.30.1"))
    runs = max(1, int(round(2 * ctx.hours / 30.0)))
    for r in range(runs):
        start = ctx.t0 + (r + rng.uniform(0.2, 0.7)) * ctx.H / runs

        def fn(item, t):
            ins, o1, o2 = item
            u = usr_r.replace("{instruction}", ins).replace("{output_1}", o1).replace("{output_2}", o2)
            msgs = [{"role": "system", "content": sys_r}, {"role": "user", "content": u}]
            first = 1 if rng.random() < 0.7 else 2
            text = "[\n    {'model': 'model_%d', 'rank': 1},\n    {'model': 'model_%d', 'rank': 2}\n]" % (first, 3 - first)
            params = {"temperature": 0, "max_tokens": 100}
            return ctx.emit(rng, b, t, "gpt-4o", msgs, params, ctx.outs1(text, tok(text)))
        pool_run(ctx, rng, start, pairs, 6, fn)
    # (c) a small local judge with logprobs and a couple of tokens on koala prompts (bounded, repeated)
    c = ctx.add(Acct(P, "benign", [Key(rng)], ip=ctx.ip(rng), ua="python-httpx/0.27.0"))
    items = corp.koala
    for r in range(max(1, int(round(4 * ctx.hours / 30.0)))):
        start = ctx.t0 + (r + rng.uniform(0.1, 0.8)) * ctx.H / 4

        def fn(q, t):
            msgs = [{"role": "user", "content": "Rate how difficult the following user request is on a scale of 1-5. "
                                                "Reply with a single digit.\n\n" + q}]
            d = str(rng.randint(1, 5))
            params = {"temperature": 0, "max_tokens": 2, "logprobs": True, "top_logprobs": 3}
            lp = {"content": [{"token": d, "bytes": [ord(d)], "logprob": -0.2,
                               "top_logprobs": [{"token": str(k), "bytes": [ord(str(k))], "logprob": -0.2 - k}
                                                for k in range(1, 4)]}], "refusal": None}
            return ctx.emit(rng, c, t, "gpt-4o-mini", msgs, params, ctx.outs1(d, 1), logprobs=lp)
        pool_run(ctx, rng, start, items, 4, fn)


T0_SPLIT = {
    "ag_news_classify_with_choices": ("", "\nIs this a piece of news regarding world politics, sports, business, or science and technology?\n",
                                      ["World politics", "Sports", "Business", "Science and technology"], 5),
    "amazon_polarity_Is_this_review": ("", "\nIs the review positive or negative?\n", ["Positive", "Negative"], 3),
    "app_reviews_convert_to_star_rating": ("What would be the ★-rating of this review (★ being the lowest and ★★★★★ being the highest)? ",
                                           "\n", ["★", "★★", "★★★", "★★★★", "★★★★★"], 10),
    "trec_fine_grained_open": ("What is this question asking for?\n\n", "\n",
                               ["Description", "Individual", "Date", "Other location", "Definition", "Manner",
                                "Reason", "Count", "City", "Country"], 6),
}


def mixed_doc(rng, rows, pre, suf):
    """A fresh document for a classifier template: sentences from two different source documents."""
    a, b = rng.choice(rows)[0], rng.choice(rows)[0]
    da = a[len(pre):len(a) - len(suf)] if a.startswith(pre) and a.endswith(suf) else a
    db = b[len(pre):len(b) - len(suf)] if b.startswith(pre) and b.endswith(suf) else b
    sa = re.split(r"(?<=[.!?])\s+", da)
    sb = re.split(r"(?<=[.!?])\s+", db)
    k = rng.randint(1, max(1, len(sa)))
    return pre + " ".join(sa[:k] + sb[rng.randint(0, max(0, len(sb) - 1)):]) + suf


def p_batch_classifier(ctx):
    rng = ctx.R("classifier")
    P = "batch_classifier"
    corp = ctx.corp
    specs = [(["ag_news_classify_with_choices", "amazon_polarity_Is_this_review"], ctx.n(5200), "gpt-4o-mini", "python-requests/2.31.0"),
             (["app_reviews_convert_to_star_rating", "trec_fine_grained_open"], ctx.n(3800), "gpt-4o-mini", "Go-http-client/2.0")]
    for temps, n, model, ua in specs:
        acct = ctx.add(Acct(P, "benign", [Key(rng, alias="batch-" + temps[0][:6])], ip=ctx.ip(rng), ua=ua))
        for t in ctx.machine_times(rng, n, jitter=0.6):
            name = rng.choice(temps)
            pre, suf, labels, mt = T0_SPLIT[name]
            rows = corp.t0[name]
            if rng.random() < 0.35:
                prompt, label = rng.choice(rows)
                label = label or rng.choice(labels)
            else:
                prompt, label = mixed_doc(rng, rows, pre, suf), rng.choice(labels)
            msgs = [{"role": "system", "content": "You are a text classifier. Reply with the label only."},
                    {"role": "user", "content": prompt}]
            params = {"temperature": 0, "max_tokens": mt}
            if rng.random() < 0.003:
                ctx.emit(rng, acct, t, model, msgs, params, fail="500")
                t += 2
            ctx.emit(rng, acct, t, model, msgs, params, ctx.outs1(label, max(1, tok(label))), latency=rng.uniform(0.2, 0.9))


def p_rag_app(ctx):
    rng = ctx.R("rag")
    P = "rag_app"
    corp = ctx.corp
    team = uuid4(rng)
    srv = [ctx.ip(rng), ctx.ip(rng)]
    acct = ctx.add(Acct(P, "benign", [Key(rng, alias="kb-assistant-prod")], team_id=team, team_alias="helpcenter",
                        ip=srv[0], ua="python-httpx/0.27.2"))
    system = ("You are the Northwind knowledge-base assistant. Answer the user's question using ONLY the numbered "
              "context passages below. Cite passages as [1], [2], ... If the answer is not in the context, say you "
              "don't know and suggest contacting support. Keep answers under 200 words unless asked otherwise.")
    n_users = max(30, int(round(320 * ctx.scale)))
    users = ["kb-" + hexs(rng, 8) for _ in range(n_users)]
    total = ctx.n(4800)
    per = [max(1, int(rng.paretovariate(1.6))) for _ in users]
    sc = total / float(sum(per))
    for u, k in zip(users, per):
        k = max(1, int(round(k * sc)))
        tz = rng.choice([-8, -5, -4, 0, 1, 2])
        for t in ctx.diurnal_times(rng, max(1, k // 2 + k % 2), tz, "business"):
            hist = []
            for turn in range(rng.choice([1, 1, 1, 2, 2, 3])):
                if rng.random() < 0.6:
                    q, ctxp, ans = rng.choice(corp.adv)
                    passages = [ctxp] + [rng.choice(corp.adv)[1] for _ in range(rng.randint(2, 4))]
                else:
                    q = rng.choice(corp.koala + [s[0] for s in corp.seed[:175]])
                    ans = ""
                    passages = [rng.choice(corp.adv)[1] for _ in range(rng.randint(3, 5))]
                    if rng.random() < 0.4:
                        passages.append(rng.choice(corp.bios)[0])
                rng.shuffle(passages)
                ctxtext = "\n\n".join("[%d] %s" % (i + 1, clip_words(p, 900)) for i, p in enumerate(passages))
                msgs = [{"role": "system", "content": system}] + hist + [
                    {"role": "user", "content": "Context:\n%s\n\nQuestion: %s" % (ctxtext, q)}]
                target = lognorm_int(rng, 180, 0.5, 40, 450)
                if ans:
                    parts = ["%s [%d]." % (ans[:1].upper() + ans[1:], rng.randint(1, len(passages)))]
                else:
                    parts = ["The knowledge base doesn't answer this directly, but here is what the passages say."]
                sents = [(i, x) for i, p_ in enumerate(passages) for x in re.split(r"(?<=[.!?])\s+", p_) if len(x) > 30]
                while sents and sum(len(x) for x in parts) < target * 4:
                    i, x = rng.choice(sents)
                    parts.append("%s [%d]" % (x, i + 1))
                if not ans and rng.random() < 0.5:
                    parts.append("If this doesn't help, please contact support.")
                text = clip_words(" ".join(parts), target * 4)
                ct, fin = tok(text), "stop"
                params = {"temperature": 0.2, "max_tokens": 512, "stream": True,
                          "stream_options": {"include_usage": True}}
                end = ctx.emit(rng, acct, t, "gpt-4o-mini", msgs, params, ctx.outs1(text, ct, fin), end_user=u,
                               ip=rng.choice(srv))
                hist = hist + [{"role": "user", "content": q}, {"role": "assistant", "content": text}]
                t = end + rng.uniform(20, 240)


AGENT_TOOLS = [
    {"type": "function", "function": {"name": "read_file", "description": "Read a file in the workspace.",
                                      "parameters": {"type": "object", "properties": {"path": {"type": "string"}},
                                                     "required": ["path"]}}},
    {"type": "function", "function": {"name": "write_file", "description": "Create or overwrite a file.",
                                      "parameters": {"type": "object", "properties": {"path": {"type": "string"},
                                                                                      "content": {"type": "string"}},
                                                     "required": ["path", "content"]}}},
    {"type": "function", "function": {"name": "run_tests", "description": "Run the test suite (pytest) and return the output.",
                                      "parameters": {"type": "object", "properties": {"selector": {"type": "string"}}}}},
    {"type": "function", "function": {"name": "search_code", "description": "Search the repository with ripgrep.",
                                      "parameters": {"type": "object", "properties": {"query": {"type": "string"}},
                                                     "required": ["query"]}}},
    {"type": "function", "function": {"name": "list_dir", "description": "List a directory.",
                                      "parameters": {"type": "object", "properties": {"path": {"type": "string"}},
                                                     "required": ["path"]}}},
    {"type": "function", "function": {"name": "run_shell", "description": "Run a shell command in the sandbox.",
                                      "parameters": {"type": "object", "properties": {"cmd": {"type": "string"}},
                                                     "required": ["cmd"]}}},
]

AGENT_SYSTEM = ("You are an autonomous software engineering agent working in the user's repository. Use the tools to "
                "inspect files, make minimal focused edits and run the tests. Never invent file contents: read them "
                "first. When the task is complete, reply with a short summary of what you changed and why.")


def p_coding_agent(ctx):
    rng = ctx.R("agent")
    P = "coding_agent"
    corp = ctx.corp
    specs = [("Cline/3.8.4", ctx.n(75), "claude-3-5-sonnet", -5), ("aider/0.72.1", ctx.n(60), "gpt-4o", 1),
             ("OpenAI/Python 1.58.1", ctx.n(70), "gpt-4o", -8)]
    for ua, nsess, model, tz in specs:
        team = uuid4(rng) if rng.random() < 0.5 else None
        acct = ctx.add(Acct(P, "benign", [Key(rng, alias="dev-laptop")], team_id=team,
                            team_alias="platform-eng" if team else None, ip=ctx.ip(rng), ua=ua))
        for t in ctx.diurnal_times(rng, nsess, tz, "human"):
            item = rng.choice(corp.he)
            mod = item["entry_point"]
            task = rng.choice([
                "The function `{e}` in `src/{e}.py` is not implemented yet and `tests/test_{e}.py` fails. Implement it and make the tests pass.",
                "Please fix the failing tests in tests/test_{e}.py. The implementation lives in src/{e}.py.",
                "Add an implementation for {e} (see the docstring in src/{e}.py), keep the style consistent, and run the tests.",
            ]).format(e=mod)
            msgs = [{"role": "system", "content": AGENT_SYSTEM}, {"role": "user", "content": task}]
            plan = [("list_dir", {"path": "."}), ("read_file", {"path": "src/%s.py" % mod}),
                    ("read_file", {"path": "tests/test_%s.py" % mod})]
            if rng.random() < 0.5:
                plan.insert(1, ("search_code", {"query": mod}))
            fails = rng.choice([0, 0, 1, 1, 2, 3])
            for f_ in range(fails):
                plan += [("write_file", {"path": "src/%s.py" % mod, "content": item["prompt"] + "    pass  # draft %d\n" % f_}),
                         ("run_tests", {"selector": "tests/test_%s.py" % mod})]
                if rng.random() < 0.5:
                    plan.append(("run_shell", {"cmd": "python -c 'import src.%s'" % mod}))
            plan += [("write_file", {"path": "src/%s.py" % mod, "content": item["prompt"] + item["canonical_solution"]}),
                     ("run_tests", {"selector": "tests/test_%s.py" % mod})]
            if rng.random() < 0.3:
                plan.append(("run_tests", {"selector": ""}))
            params = {"temperature": 0, "max_tokens": 8192, "tools": AGENT_TOOLS, "tool_choice": "auto"}
            if ua.startswith("Cline"):
                params["stream"] = True
                params["stream_options"] = {"include_usage": True}
            prev_ptoks = 0
            for step, (name, args) in enumerate(plan + [(None, None)]):
                ptoks_now = msg_tokens(msgs)
                cached = int(prev_ptoks * 0.9) if prev_ptoks and rng.random() < 0.8 else 0
                if ptoks_now > 120000:
                    ctx.emit(rng, acct, t, model, list(msgs), params, fail="400")
                    break
                if name is None:
                    text = ("I implemented `%s` in `src/%s.py` following the docstring. %s All tests in "
                            "`tests/test_%s.py` now pass." % (mod, mod, rng.choice(CODE_FILLERS), mod))
                    end = ctx.emit(rng, acct, t, model, list(msgs), params, ctx.outs1(text, tok(text)), cached=cached)
                    break
                cid = "call_" + b62(rng, 24)
                argj = json.dumps(args)
                thought = None
                if rng.random() < 0.45:
                    thought = {"list_dir": "Let me look at the repository layout first.",
                               "search_code": "I'll find where `%s` is defined." % mod,
                               "read_file": "Let me read %s." % args.get("path", "the file"),
                               "write_file": "I'll update the implementation now.",
                               "run_tests": "Now I'll run the tests to verify.",
                               "run_shell": "Let me check that the module imports cleanly."}[name]
                tc = [{"id": cid, "type": "function", "function": {"name": name, "arguments": argj}}]
                outs = [{"text": thought, "tool_calls": tc, "tokens": tok(argj) + tok(thought or "") + 12,
                         "finish": "tool_calls"}]
                if rng.random() < 0.003:
                    end = ctx.emit(rng, acct, t, model, list(msgs), params, fail="503")
                    t = end + rng.uniform(2, 10)
                end = ctx.emit(rng, acct, t, model, list(msgs), params, outs, cached=cached)
                prev_ptoks = ptoks_now
                # tool execution
                if name == "list_dir":
                    res = "README.md\npyproject.toml\nsrc/\ntests/\n.github/\n"
                elif name == "read_file":
                    res = item["prompt"] if args["path"].startswith("src/") else clip_words(item["test"], 900)
                elif name == "search_code":
                    res = "src/%s.py:3:def %s(" % (mod, mod)
                elif name == "write_file":
                    res = "Wrote %d bytes to %s" % (len(args["content"]), args["path"])
                elif name == "run_tests":
                    last = step >= len(plan) - 2
                    res = ("============================= test session starts ==============================\n"
                           "collected 1 item\n\ntests/test_%s.py %s\n\n%s" % (
                               mod, "." if last else "F",
                               "============================== 1 passed in 0.%02ds ===============================" % rng.randint(3, 99)
                               if last else "E       AssertionError: assert None == %s\n=========================== 1 failed in 0.%02ds ============================" % (
                                   rng.randint(0, 9), rng.randint(3, 99))))
                else:
                    res = "Traceback (most recent call last):\n  File \"<string>\", line 1\nModuleNotFoundError: No module named 'src'" \
                        if rng.random() < 0.5 else ""
                msgs = msgs + [{"role": "assistant", "content": thought, "tool_calls": tc},
                               {"role": "tool", "tool_call_id": cid, "content": res}]
                t = end + rng.uniform(0.3, 6.0)


def p_office_chat(ctx):
    rng = ctx.R("office")
    P = "office_chat"
    # office A: individual keys behind one NAT address (US East, UTC-4 in March after DST)
    nat = ctx.ip(rng)
    names = ["amara", "ben", "chloe", "dev", "elena", "farid", "grace", "hiro", "ines", "jonas", "kofi", "lena",
             "marco", "nadia"]
    k = rng.randint(10, 14)
    for nm in names[:k]:
        key = Key(rng, alias="%s-laptop" % nm, user_id="u-" + hexs(rng, 8), email="%s@harborlaw.example" % nm)
        acct = ctx.add(Acct(P, "benign", [key], ip=nat, ua=rng.choice(BROWSER_UAS[:6])))
        nsess = max(1, int(round(rng.randint(6, 16) * ctx.f)))
        for t in ctx.diurnal_times(rng, nsess, -4, "office"):
            chat_session(ctx, rng, acct, t, rng.choice(["gpt-4o", "gpt-4o", "claude-3-5-sonnet"]), max_turns=6)
    # office B: a team account whose members each have a key (Central Europe, UTC+1)
    team = uuid4(rng)
    nat2 = ctx.ip(rng)
    keys = [Key(rng, alias="m-%d" % i, user_id="u-" + hexs(rng, 8)) for i in range(8)]
    acct = ctx.add(Acct(P, "benign", keys, team_id=team, team_alias="marketing-berlin", ip=nat2,
                        ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"))
    for key in keys:
        ua = rng.choice(BROWSER_UAS[:6])
        for t in ctx.diurnal_times(rng, max(1, int(round(rng.randint(6, 14) * ctx.f))), 1, "office"):
            chat_session(ctx, rng, acct, t, "gpt-4o", key=key, ua=ua, max_turns=5)


SUPPORT_OPENERS = [
    "Hi, my order #{n} still hasn't arrived and it's been {d} days. Can you check?",
    "How do I reset my password? The reset email never comes.",
    "I was charged twice for my subscription this month (invoice {n}).",
    "Can I change the shipping address on order {n}?",
    "The app keeps logging me out on my {dev}.",
    "I want to return the {item} I bought last week. How does that work?",
    "Do you ship to {country}?",
    "My discount code {code} isn't working at checkout.",
    "How do I cancel my plan?",
    "The {item} arrived damaged. What should I do?",
    "Is there a way to export my data as CSV?",
    "I can't find the invoice for my last payment.",
    "What's the difference between the Basic and Pro plans?",
    "hi i need help with my account",
    "Your tracking page says delivered but I never got package {n}",
]
SUPPORT_FOLLOW = [
    "ok, the email is {email}", "It's order {n}.", "I already tried that.", "Thanks, that worked!",
    "How long will the refund take?", "Can I talk to a human?", "I'm using the latest version.",
    "It says error {code}.", "Great, thank you.", "What if it happens again?", "Yes please.",
]
SUPPORT_REPLIES = [
    "I'm sorry for the trouble. I've looked up your order and can see it is currently with the carrier.",
    "Thanks for your patience. I can help you with that right away.",
    "Refunds are processed within 5-7 business days to the original payment method.",
    "You can change this under Settings > Account > Security.",
    "I've escalated this to our billing team, who will email you within 24 hours.",
    "For your security, please don't share your full card number in this chat.",
    "Could you confirm the email address associated with your account?",
    "I've applied a replacement order at no extra cost.",
    "Our returns window is 30 days from delivery; items must be unused and in the original packaging.",
    "If the problem continues after updating the app, please try clearing the cache and signing in again.",
]


def p_support_bot(ctx):
    rng = ctx.R("support")
    P = "support_bot"
    for brand, n_sess, ua, tz in (("Lumen Home", ctx.n(420), "axios/1.7.7", -5), ("Parcelly", ctx.n(300), "python-requests/2.31.0", 1)):
        system = ("You are the customer support assistant for %s. Be friendly, concise and accurate. Policies: returns "
                  "within 30 days of delivery; refunds in 5-7 business days; we ship to the US, Canada, the UK and the EU; "
                  "never ask for full card numbers; escalate billing disputes to billing@%s.example; offer a human agent "
                  "when the customer asks or is frustrated. Use the customer's order number when given. Do not discuss "
                  "competitors or unrelated topics." % (brand, brand.lower().replace(" ", "")))
        acct = ctx.add(Acct(P, "benign", [Key(rng, alias="support-widget")], team_id=uuid4(rng),
                            team_alias=brand.lower().replace(" ", "-") + "-support", ip=ctx.ip(rng), ua=ua))
        fill = lambda s: s.format(n=rng.randint(100000, 999999), d=rng.randint(3, 20),
                                  dev=rng.choice(["iPhone", "Android phone", "iPad", "laptop"]),
                                  item=rng.choice(["lamp", "kettle", "chair", "jacket", "blender", "rug"]),
                                  country=rng.choice(["Norway", "Mexico", "Japan", "Ireland", "Brazil"]),
                                  code=b62(rng, 6).upper(), email="user%d@mail.example" % rng.randint(1, 99999))
        for t in ctx.diurnal_times(rng, n_sess, tz, "consumer"):
            cust = "cust_" + hexs(rng, 8) if rng.random() < 0.7 else None
            msgs = [{"role": "system", "content": system}]
            turns = [fill(rng.choice(SUPPORT_OPENERS))] + [fill(rng.choice(SUPPORT_FOLLOW)) for _ in range(rng.randint(1, 6))]
            for u in turns:
                msgs = msgs + [{"role": "user", "content": u}]
                text = " ".join(rng.sample(SUPPORT_REPLIES, rng.randint(1, 3)))
                if rng.random() < 0.4:
                    text += " " + ctx.text.paragraph(rng, 1)
                params = {"temperature": 0.3, "max_tokens": 400}
                end = ctx.emit(rng, acct, t, "gpt-4o-mini", msgs, params, ctx.outs1(text, tok(text)), end_user=cust)
                msgs = msgs + [{"role": "assistant", "content": text}]
                t = end + rng.uniform(8, 120)


WRITING_KINDS = ["a blog post", "a LinkedIn post", "a newsletter section", "an SEO article", "a product description",
                 "a short essay", "a landing-page copy", "a press release", "an email campaign", "a how-to guide"]


def p_content_writer(ctx):
    rng = ctx.R("writer")
    P = "content_writer"
    corp = ctx.corp
    team = uuid4(rng)
    acct = ctx.add(Acct(P, "benign", [Key(rng, alias="writeflow-prod")], team_id=team, team_alias="writeflow",
                        ip=ctx.ip(rng), ua="WriteFlow-Backend/2.14 (+https://writeflow.example)"))
    srv2 = ctx.ip(rng)
    n_users = max(40, int(round(rng.randint(320, 380) * ctx.scale)))
    up = UniquePrompts(rng)
    topics = [t for t, _, src in corp.instr if src != "awesome"] + [act for act, _ in corp.awesome]
    for i in range(n_users):
        u = "wf_" + hexs(rng, 12)
        tz = rng.choice([-8, -5, -4, 0, 1, 2, 10])
        tone = rng.choice(["friendly", "professional", "witty", "persuasive", "neutral", "inspirational"])
        aud = rng.choice(["small business owners", "developers", "parents", "students", "marketers", "general readers"])
        k = max(1, int(round(rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 8]) * ctx.hours / 30.0)))
        for t in ctx.diurnal_times(rng, k, tz, "human"):
            words = rng.choice([600, 800, 1000, 1200, 1500])
            p = up.take(lambda: "Write %s about the following topic for %s, about %d words, in a %s tone.\n\nTopic: %s" % (
                rng.choice(WRITING_KINDS), aud, words, tone, rng.choice(topics)))
            if p is None:
                continue
            sysm = "You are WriteFlow, an AI writing assistant. Produce polished, original, well-structured content with headings where appropriate."
            msgs = [{"role": "system", "content": sysm}, {"role": "user", "content": p}]
            mt = rng.choice([2048, 2048, 3000])
            model = "gpt-4o"
            if t > ctx.release + 7200 and rng.random() < 0.15:
                model = "gpt-5.5-preview"
            elif rng.random() < 0.1:
                model = "claude-3-5-sonnet"
            params = {"temperature": 0.8, "max_tokens": mt, "stream": True, "stream_options": {"include_usage": True},
                      "presence_penalty": 0.3}
            target = lognorm_int(rng, int(words * 1.35), 0.25, 400, 2600)
            text, ct, fin = ctx.text.compose(rng, "", target, mt, style="essay")
            end = ctx.emit(rng, acct, t, model, msgs, params, ctx.outs1(text, ct, fin), end_user=u,
                           ip=rng.choice([acct.ip, srv2]))
            if rng.random() < 0.2:  # "make it shorter" / "change the tone" follow-up on the same draft
                msgs2 = msgs + [{"role": "assistant", "content": text},
                                {"role": "user", "content": rng.choice(["Make it shorter.", "Make the tone more casual.",
                                                                        "Add a catchy title and a call to action.",
                                                                        "Rewrite the intro, it's too generic."])}]
                tg = lognorm_int(rng, 500, 0.4, 120, 1500)
                text2, ct2, fin2 = ctx.text.compose(rng, "", tg, mt, style="essay")
                ctx.emit(rng, acct, end + rng.uniform(30, 300), model, msgs2, params, ctx.outs1(text2, ct2, fin2),
                         end_user=u, ip=rng.choice([acct.ip, srv2]))


def p_data_labelling(ctx):
    rng = ctx.R("labelling")
    P = "data_labelling"
    corp = ctx.corp
    a = ctx.add(Acct(P, "benign", [Key(rng, alias="labeler-a")], ip=ctx.ip(rng), ua="python-httpx/0.26.0"))
    b = ctx.add(Acct(P, "benign", [Key(rng, alias="labeler-b")], team_id=uuid4(rng), team_alias="trust-safety",
                     ip=ctx.ip(rng), ua="OpenAI/Python 1.44.0"))
    for acct, n, kind in ((a, ctx.n(3000), "extract"), (b, ctx.n(2500), "moderate")):
        for t in ctx.machine_times(rng, n, jitter=0.7):
            if kind == "extract":
                if rng.random() < 0.5:
                    bio, facts = rng.choice(corp.bios)
                    if rng.random() < 0.7:  # a fresh record: sentences from two source biographies
                        other = re.split(r"(?<=[.!?]) ", rng.choice(corp.bios)[0])
                        bio = " ".join(re.split(r"(?<=[.!?]) ", bio)[:rng.randint(1, 3)] + other[1:])
                    prompt = ("Extract the following fields from the biography as JSON with keys name, birth_date, "
                              "nationality, occupation (null when absent).\n\nBiography:\n" + bio)
                    kv = {}
                    for line in facts.split("\n"):
                        m = re.match(r"- (\w[\w ]*?) is (.*)", line.strip())
                        if m:
                            kv[m.group(1)] = m.group(2)
                    out = json.dumps({"name": kv.get("name"), "birth_date": kv.get("birth date"),
                                      "nationality": kv.get("nationality"), "occupation": kv.get("occupation")})
                else:
                    q, c, ans = rng.choice(corp.adv)
                    if rng.random() < 0.6:  # same question against a different retrieved passage
                        c = rng.choice(corp.adv)[1]
                        ans = None
                    prompt = ("Answer with a JSON object {\"answer\": <span copied from the context>, \"confidence\": "
                              "<0-1>}.\n\nContext: %s\nQuestion: %s" % (c, q))
                    out = json.dumps({"answer": ans, "confidence": round(rng.uniform(0.55, 0.99), 2)})
                mt = 150
            else:
                txt = rng.choice(corp.hh_human + corp.koala)
                prompt = ("Label the user message. Return JSON with keys intent (one of question, request, chit_chat, "
                          "complaint, other), toxicity (0-3), self_harm (bool), language (ISO code).\n\nMessage: " + txt)
                out = json.dumps({"intent": rng.choice(["question", "request", "chit_chat", "complaint", "other"]),
                                  "toxicity": rng.choice([0, 0, 0, 1, 1, 2, 3]), "self_harm": False, "language": "en"})
                mt = 64
            msgs = [{"role": "system", "content": "You are a precise data-labelling engine. Output valid JSON only."},
                    {"role": "user", "content": prompt}]
            params = {"temperature": 0, "max_tokens": mt, "response_format": {"type": "json_object"}}
            ctx.emit(rng, acct, t, "gpt-4o-mini", msgs, params, ctx.outs1(out, tok(out)))


def p_casual(ctx):
    rng = ctx.R("casual")
    P = "casual"
    corp = ctx.corp
    n_acc = rng.randint(16, 24)
    for i in range(n_acc):
        ua = rng.choice(BROWSER_UAS + ["OpenAI/Python 1.51.0", "python-requests/2.31.0", "curl/8.5.0"])
        acct = ctx.add(Acct(P, "benign", [Key(rng)], ip=ctx.ip(rng), ua=ua))
        target = max(3, int(round(rng.randint(10, 40) * ctx.f)))
        tz = rng.choice([-8, -5, -3, 0, 1, 2, 3, 5.5, 8, 9])
        made = 0
        tries = 0
        while made < target and tries < 40:
            tries += 1
            t = ctx.diurnal_times(rng, 1, tz, "human")[0]
            model = rng.choice(["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet"])
            if t > ctx.release and rng.random() < 0.25:
                model = "gpt-5.5-preview"
            before = acct.lines
            if rng.random() < 0.6:
                chat_session(ctx, rng, acct, t, model, stream=not ua.startswith(("curl", "python")), max_turns=4)
            else:
                q = rng.choice(corp.koala + [p for _, p in corp.awesome])
                tg = lognorm_int(rng, 300, 0.6, 30, 1200)
                text, ct, fin = ctx.text.compose(rng, "", tg, None, style="prose")
                ctx.emit(rng, acct, t, model, [{"role": "user", "content": q}], {"temperature": 0.7}, ctx.outs1(text, ct, fin))
            made += acct.lines - before


PERSONAS = [p_cot_harvester, p_hydra, p_slow_low, p_rejection_sampler, p_reseller, p_evol, p_model_pivot,
            p_eval_harness, p_llm_judge, p_batch_classifier, p_rag_app, p_coding_agent, p_office_chat,
            p_support_bot, p_content_writer, p_data_labelling, p_casual]


# --------------------------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------------------------

NONJSON = [
    'INFO:     10.0.3.17:51422 - "POST /v1/chat/completions HTTP/1.1" 200 OK',
    "Traceback (most recent call last):",
    '  File "/usr/lib/python3.13/site-packages/litellm/proxy/proxy_server.py", line 3712, in chat_completion',
    "litellm.proxy.proxy_server.chat_completion(): Exception occured - Connection reset by peer",
    "--- log rotated ---",
    "null",
    "[1, 2, 3]",
    '"standard_logging_object"',
    "\x00\x00\x00",
    "{}",
]


def write_out(ctx, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    rows = ctx.rows
    rows.sort(key=lambda r: (r[0], r[1]))
    mr = ctx.mal_rng
    n = len(rows)
    times = [r[0] for r in rows]
    extra = []  # (t, bytes)
    for t, line in ctx.noacct:
        extra.append((t, line))
    k_trunc = max(2, int(round(n * 0.001)))
    k_text = max(2, int(round(n * 0.001)))
    for _ in range(k_trunc):
        t, _, line = rows[mr.randrange(n)]
        cut = mr.randint(20, max(21, len(line) - 5))
        extra.append((t + 0.0002, line[:cut]))
    for _ in range(k_text):
        t = times[mr.randrange(n)]
        extra.append((t + 0.0003, mr.choice(NONJSON).encode("utf-8")))
    extra.sort(key=lambda x: x[0])
    path = os.path.join(out_dir, "traffic.jsonl")
    wrapped = 0
    lines = 0
    with open(path, "wb") as f:
        ei = 0
        buf = []
        for t, _, line in rows:
            while ei < len(extra) and extra[ei][0] <= t:
                buf.append(extra[ei][1])
                ei += 1
            r = mr.random()
            if r < 0.015:
                st = b"failure" if b'"status":"failure"' in line[:400] or b'"status": "failure"' in line[:400] else b"success"
                line = b'{"_event": "' + st + b'", "standard_logging_object": ' + line + b"}"
                wrapped += 1
            elif r < 0.03:
                line = b'{"standard_logging_object": ' + line + b"}"
                wrapped += 1
            buf.append(line)
            if len(buf) >= 2000:
                f.write(b"\n".join(buf) + b"\n")
                lines += len(buf)
                buf = []
        while ei < len(extra):
            buf.append(extra[ei][1])
            ei += 1
        if buf:
            f.write(b"\n".join(buf) + b"\n")
            lines += len(buf)
    labels = {"attack": [], "benign": [], "personas": {}}
    seen = set()
    for a in ctx.accounts:
        if a.lines == 0 or a.id in seen:
            continue
        seen.add(a.id)
        labels[a.label].append(a.id)
        labels["personas"][a.id] = a.persona
    labels["notes"] = dict(ctx.notes)
    labels["notes"]["account_rule"] = "user_api_key_team_id, else user_api_key_hash, else end_user"
    labels["notes"]["window"] = {"start": ctx.t0, "end": ctx.t1,
                                 "start_iso": _dt.datetime.fromtimestamp(ctx.t0, _dt.timezone.utc).isoformat()}
    with open(os.path.join(out_dir, "labels.json"), "w", encoding="utf-8") as f:
        json.dump(labels, f, indent=1, sort_keys=False)
    return path, lines, n, len(extra), wrapped, labels


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--hours", type=float, default=30.0)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--data", default="/work/shared/data")
    args = ap.parse_args(argv)
    t_start = time.time()
    corp = Corpora(args.data)
    # a Wednesday (2026-03-11), starting between 03:00 and 05:59 UTC depending on the seed
    srng = random.Random("%s/start" % args.seed)
    t0 = _dt.datetime(2026, 3, 11, 3, 0, tzinfo=_dt.timezone.utc).timestamp() + srng.randint(0, 3 * 3600 - 1)
    ctx = Ctx(corp, args.seed, args.hours, args.scale, t0)
    for p in PERSONAS:
        p(ctx)
    path, lines, good, bad, wrapped, labels = write_out(ctx, args.out)
    per = {}
    per_lines = {}
    for a in ctx.accounts:
        if a.lines:
            key = (a.label, a.persona)
            per[key] = per.get(key, 0) + 1
            per_lines[key] = per_lines.get(key, 0) + a.lines
    size = os.path.getsize(path)
    w = sys.stderr.write
    w("heldout_litellm: %d lines (%d records, %d malformed, %d wrapped), %.1f MB, %d accounts "
      "(%d attack, %d benign), %.1fs\n" % (lines, good, bad, wrapped, size / 1e6, len(labels["personas"]),
                                         len(labels["attack"]), len(labels["benign"]), time.time() - t_start))
    for (lab, pers) in sorted(per):
        w("  %-6s %-18s accounts=%-3d lines=%d\n" % (lab, pers, per[(lab, pers)], per_lines[(lab, pers)]))


if __name__ == "__main__":
    main()
