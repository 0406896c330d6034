"""What the scripts that rewrite held-out LiteLLM traffic share: the account rule and the
command line of a rewrite from one traffic folder to another."""
import argparse
import json
import os


def account_of(record):
    """The account as heldout_litellm.py labels it: team id, else key hash, else end user."""
    metadata = record.get("metadata") or {}
    if not isinstance(metadata, dict):
        return None  # a malformed line: whoever reads it must skip it
    return metadata.get("user_api_key_team_id") or metadata.get("user_api_key_hash") or record.get("end_user")


def arguments(doc, add_options):
    """Parses `--in DIR --out DIR2` and the script's own options; returns them and the labels of DIR."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--in", dest="source", required=True, help="folder with traffic.jsonl and labels.json")
    parser.add_argument("--out", required=True)
    add_options(parser)
    args = parser.parse_args()
    with open(os.path.join(args.source, "labels.json")) as f:
        labels = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    return args, labels
