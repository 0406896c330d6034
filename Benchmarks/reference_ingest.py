#!/usr/bin/env python3
"""The reference a user would write first: parse every LiteLLM line with orjson and sum
requests and tokens per account. `sluice bench` compares Sluice's full ingest against it."""
import sys
import time

import orjson


def account_of(record):
    record = record.get("standard_logging_object", record)
    metadata = record.get("metadata") or {}
    return (metadata.get("user_api_key_team_id") or metadata.get("user_api_key_hash")
            or record.get("end_user")), record


def main(paths):
    totals = {}
    lines = 0
    size = 0
    started = time.perf_counter()
    for path in paths:
        with open(path, "rb") as f:
            for line in f:
                lines += 1
                size += len(line)
                try:
                    account, record = account_of(orjson.loads(line))
                except (orjson.JSONDecodeError, AttributeError):
                    continue
                if not account:
                    continue
                t = totals.setdefault(account, [0, 0, 0])
                t[0] += 1
                t[1] += record.get("prompt_tokens") or 0
                t[2] += record.get("completion_tokens") or 0
    elapsed = time.perf_counter() - started
    print(orjson.dumps({"lines": lines, "bytes": size, "seconds": elapsed, "accounts": len(totals),
                        "lines_per_second": lines / elapsed, "mb_per_second": size / elapsed / 1e6}).decode())


if __name__ == "__main__":
    main(sys.argv[1:])
