#!/usr/bin/env python3
"""Rewrites held-out LiteLLM traffic as an adaptive harvester would dress it, to check that
cheap evasions do not work. Written with the detector in view: a regression check, not held-out.

    python3 Tests/heldout2/evasions.py --in DIR --out DIR2 --evasion end-users|returning-end-users|history [--seed 3]

- `end-users`: every request of the single-account harvesters carries a made-up `end_user`, as if
  the account were an application serving a crowd (an application's end users earn it credit).
- `returning-end-users`: the same, but made up so that they come back, as people do: each request
  reuses one of the last 50 ids two times in three, else makes up a new one (about three requests an
  id, the busiest with a dozen or more).
- `history`: every request of those harvesters puts a made-up greeting and reply in front of its
  question, so that no request looks single-shot.

The hydra and the reseller are left as they are; labels are copied. Standard library only.
"""
import json
import os
import random

from rewrite import account_of, arguments

HARVESTERS = {"cot_harvester", "evol_instruct", "model_pivot", "rejection_sampler", "slow_low"}
GREETINGS = ["Hi there, can you help me with something?", "Good morning! I have a question.",
             "Hey, quick one for you.", "Hello, I was wondering about something.",
             "Thanks for the last answer, next question.", "Can I ask you something?"]
REPLIES = ["Of course, what would you like to know?", "Sure, go ahead.", "Happy to help. What is it?"]


def main():
    def options(parser):
        parser.add_argument("--evasion", required=True, choices=["end-users", "returning-end-users", "history"])
        parser.add_argument("--seed", type=int, default=3)

    args, labels = arguments(__doc__, options)
    rng = random.Random(args.seed)
    targets = {a for a in labels["attack"] if labels["personas"][a] in HARVESTERS}
    rewritten = 0
    recent = []  # returning-end-users: the ids that may come back
    with open(os.path.join(args.source, "traffic.jsonl"), "rb") as source, \
            open(os.path.join(args.out, "traffic.jsonl"), "wb") as out:
        for raw in source:
            try:
                line = json.loads(raw)
            except ValueError:
                out.write(raw)  # bad lines stay bad
                continue
            record = line.get("standard_logging_object", line) if isinstance(line, dict) else None
            if record is None or account_of(record) not in targets:
                out.write(raw)
                continue
            if args.evasion == "end-users":
                record["end_user"] = "u%08x" % rng.getrandbits(32)
            elif args.evasion == "returning-end-users":
                if recent and rng.random() < 2 / 3:
                    record["end_user"] = rng.choice(recent)
                else:
                    recent = (recent + ["u%08x" % rng.getrandbits(32)])[-50:]
                    record["end_user"] = recent[-1]
            else:
                messages = record.get("messages")
                if not isinstance(messages, list) or not messages:
                    out.write(raw)
                    continue
                fake = [{"role": "user", "content": "%s (%d)" % (rng.choice(GREETINGS), rng.randrange(10 ** 6))},
                        {"role": "assistant", "content": rng.choice(REPLIES)}]
                record["messages"] = messages[:-1] + fake + messages[-1:]
            rewritten += 1
            out.write(json.dumps(line).encode() + b"\n")
    json.dump(labels, open(os.path.join(args.out, "labels.json"), "w"))
    print("%d requests of %d accounts rewritten (%s)" % (rewritten, len(targets), args.evasion))


if __name__ == "__main__":
    main()
