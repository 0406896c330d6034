#!/usr/bin/env python3
"""Rewrites held-out LiteLLM traffic as the nginx access log in front of it would have it.

    python3 Tests/heldout2/to_nginx.py --in DIR --out DIR2 [--key-secret SECRET]

nginx sees what crosses it: the client address, the `Authorization` header, the user agent, the
request body (model, messages, parameters, `user`), the status and the bytes it sent back. It sees
no token counts and no teams: the account is the API key, as Sluice's `nginx` format maps it
(`key:` + a keyed hash of the raw key). Each key inherits its LiteLLM account's label. The log
format is that of shared/data/sample_logs/nginx-1.22.1/nginx.conf. Standard library only.
"""
import hashlib
import hmac
import json
import os

from rewrite import account_of, arguments


def key_id(secret, raw_key):
    return "key:" + hmac.new(secret.encode(), raw_key.encode(), hashlib.sha256).digest()[:16].hex()


def main():
    args, labels = arguments(__doc__, lambda parser: parser.add_argument(
        "--key-secret", default="sluice-default-key-secret",
        help="Sluice's auth.key_secret (its built-in default unless you set one)"))
    persona = labels["personas"]
    label = {a: "attack" for a in labels["attack"]} | {a: "benign" for a in labels["benign"]}
    keys = {}
    lines = 0
    with open(os.path.join(args.source, "traffic.jsonl"), "rb") as source, \
            open(os.path.join(args.out, "traffic.jsonl"), "w") as out:
        for raw in source:
            try:
                record = json.loads(raw)
            except ValueError:
                out.write(raw.decode("utf-8", "replace").rstrip("\n") + "\n")  # keep the bad line bad
                continue
            if not isinstance(record, dict):
                continue
            record = record.get("standard_logging_object", record)
            if not isinstance(record, dict):
                continue
            account = account_of(record)
            if not account:
                continue
            metadata = record.get("metadata") or {}
            key_hash = metadata.get("user_api_key_hash")
            if not account or not key_hash or account not in label:
                continue
            raw_key = "sk-" + key_hash[:40]
            keys[key_id(args.key_secret, raw_key)] = account
            parameters = dict(record.get("model_parameters") or {})
            body = {"model": record.get("model"), "messages": record.get("messages") or []} | parameters
            if record.get("end_user"):
                body["user"] = record["end_user"]
            failed = record.get("status") != "success"
            response = record.get("response") or {}
            if failed:
                status, sent = (429 if "429" in (record.get("error_str") or "") else 500), 180
            else:
                # Sizes on the wire as the real nginx -> LiteLLM sample shows them: ~370 bytes of a
                # response's envelope around the answer's JSON-escaped text; streamed, ~177 bytes an
                # SSE event a token plus ~450 for the first and last events.
                answer = "".join(((c.get("message") or {}).get("content") or "") for c in response.get("choices") or [])
                tokens = int(record.get("completion_tokens") or 0)
                status = 200
                sent = 450 + 177 * tokens if parameters.get("stream") else 370 + len(json.dumps(answer)) - 2
            start = float(record["startTime"])
            out.write(json.dumps({
                "time_iso8601": "", "msec": "%.3f" % start, "request_id": record.get("id", ""),
                "remote_addr": record.get("requester_ip_address") or "", "http_x_forwarded_for": "",
                "http_authorization": "Bearer " + raw_key,
                "http_user_agent": metadata.get("user_agent") or record.get("user_agent") or "",
                "request_method": "POST", "request_uri": "/v1/chat/completions", "server_protocol": "HTTP/1.1",
                "status": str(status), "request_length": str(len(json.dumps(body))), "bytes_sent": str(sent + 250),
                "body_bytes_sent": str(sent), "request_time": "%.3f" % max(0.0, float(record.get("endTime", start)) - start),
                "upstream_addr": "127.0.0.1:4000", "upstream_status": str(status),
                "request_body": json.dumps(body),
            }) + "\n")
            lines += 1
    accounts = {k: {"label": label[a], "persona": persona[a]} for k, a in keys.items()}
    json.dump({"accounts": accounts}, open(os.path.join(args.out, "labels.json"), "w"), indent=1)
    print("%d nginx lines, %d keys" % (lines, len(accounts)))


if __name__ == "__main__":
    main()
