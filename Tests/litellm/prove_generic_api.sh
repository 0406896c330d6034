#!/usr/bin/env bash
# Proves that the real LiteLLM proxy's `generic_api` callback delivers its logs into Sluice's
# POST /v1/ingest. Not run by CI: it installs LiteLLM from PyPI. Loopback only.
#
#   swift build && bash Tests/litellm/prove_generic_api.sh
#
# What it does: installs litellm[proxy]==1.82.6 (exactly that version) in a venv under /tmp,
# starts `sluice serve` with an ingest token, starts the LiteLLM proxy with a mock_response model
# and callbacks: ["generic_api"] pointed at Sluice, sends a few chat requests, and waits until the
# records show in Sluice's /v1/status. Exit 0 when they all arrived.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SLUICE="${SLUICE_BIN:-$ROOT/.build/debug/sluice}"
VENV="${LITELLM_VENV:-/tmp/sluice-litellm-1.82.6}"
WORK="$(mktemp -d /tmp/sluice-litellm-proof.XXXXXX)"
SLUICE_PORT="${SLUICE_PORT:-18780}"
LITELLM_PORT="${LITELLM_PORT:-14000}"
REQUESTS="${REQUESTS:-6}"
TOKEN="ingest-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
READER="reader-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

[ -x "$SLUICE" ] || { echo "prove_generic_api: build sluice first (swift build)" >&2; exit 1; }

if [ ! -x "$VENV/bin/litellm" ]; then
    python3 -m venv "$VENV"
    # Exactly 1.82.6: never 1.82.7 or 1.82.8.
    "$VENV/bin/pip" install --quiet 'litellm[proxy]==1.82.6'
fi
"$VENV/bin/python" -c 'import litellm, importlib.metadata as m; v = m.version("litellm"); assert v == "1.82.6", v; print("litellm", v)'

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

cat > "$WORK/sluice.yaml" <<EOF
store: { path: $WORK/sluice.db }
server: { port: $SLUICE_PORT }
scoring: { interval: 1h }
auth:
  tokens:
    - { name: litellm, role: ingest, sha256: "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" }
    - { name: proof,   role: reader, sha256: "$(printf %s "$READER" | sha256sum | cut -d' ' -f1)" }
EOF
"$SLUICE" serve --config "$WORK/sluice.yaml" > "$WORK/sluice.log" 2>&1 &
pids+=($!)

cat > "$WORK/litellm.yaml" <<'EOF'
model_list:
  - model_name: gpt-4o-mini            # answered by LiteLLM itself, no backend
    litellm_params:
      model: openai/gpt-4o-mini
      mock_response: "This is a mock response from LiteLLM."
litellm_settings:
  callbacks: ["generic_api"]
general_settings:
  master_key: sk-1234
EOF
# The callback posts a JSON array of StandardLoggingPayload every few seconds (or per 512 records).
GENERIC_LOGGER_ENDPOINT="http://127.0.0.1:$SLUICE_PORT/v1/ingest?source=litellm" \
GENERIC_LOGGER_HEADERS="Authorization=Bearer $TOKEN" \
DEFAULT_FLUSH_INTERVAL_SECONDS=2 \
    "$VENV/bin/litellm" --config "$WORK/litellm.yaml" --host 127.0.0.1 --port "$LITELLM_PORT" > "$WORK/litellm.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$LITELLM_PORT/health/liveliness" > /dev/null 2>&1 && break
    sleep 1
done

for i in $(seq 1 "$REQUESTS"); do
    user="acct-proof-$(( i % 3 ))"
    curl -fsS "http://127.0.0.1:$LITELLM_PORT/v1/chat/completions" \
        -H 'Authorization: Bearer sk-1234' -H 'Content-Type: application/json' \
        -d "{\"model\": \"gpt-4o-mini\", \"user\": \"$user\", \"max_tokens\": 64,
             \"messages\": [{\"role\": \"user\", \"content\": \"Think step by step: what is $i + $i?\"}]}" > /dev/null
done
echo "sent $REQUESTS requests through LiteLLM"

status=""
for _ in $(seq 1 60); do
    status="$(curl -fsS -H "Authorization: Bearer $READER" "http://127.0.0.1:$SLUICE_PORT/v1/status")"
    lines="$(printf %s "$status" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(next((x["lines"] for x in s["sources"] if x["name"]=="litellm"), 0))')"
    [ "$lines" -ge "$REQUESTS" ] && break
    sleep 1
done
printf %s "$status" | python3 -c '
import json, sys
s = json.load(sys.stdin)
src = next((x for x in s["sources"] if x["name"] == "litellm"), {})
print("sluice /v1/status: source litellm lines=%s bad_lines=%s; accounts=%s" % (src.get("lines"), src.get("bad_lines"), s["accounts"]))'
grep -h "ingest" "$WORK/sluice.log" | tail -n 3 || true
[ "${lines:-0}" -ge "$REQUESTS" ] || { echo "prove_generic_api: records did not arrive; see $WORK/litellm.log and $WORK/sluice.log" >&2; exit 1; }
echo "ok: all $REQUESTS LiteLLM records arrived in Sluice over generic_api"
