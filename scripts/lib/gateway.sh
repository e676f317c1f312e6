# Shared by scripts/grokstream-{submit,ls,watch,compare,export}: talking to the gateway's REST API (gateway/API.md).
#   GROKSTREAM_URL  the gateway (default http://localhost:8080)
#   GROKSTREAM_KEY  the team's API key (default demo-key, the local team)
# JSON is read with python3 (no jq needed).

GROKSTREAM_URL="${GROKSTREAM_URL:-http://localhost:8080}"
GROKSTREAM_URL="${GROKSTREAM_URL%/}"
GROKSTREAM_KEY="${GROKSTREAM_KEY:-demo-key}"

die() { printf 'grokstream: %s\n' "$*" >&2; exit 1; }

command -v curl >/dev/null || die "curl is required"
command -v python3 >/dev/null || die "python3 is required"

# api METHOD PATH [JSON-BODY]: prints the response body; on an HTTP error prints the gateway's
# {"error", "field"} and exits 1; exits 2 when the gateway cannot be reached.
api() {
  local method=$1 path=$2 body=${3:-} out code
  out=$(mktemp)
  local args=(-sS -o "$out" -w '%{http_code}' -X "$method" -H "X-API-Key: $GROKSTREAM_KEY" -H 'Accept: application/json')
  [[ -n $body ]] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  if ! code=$(curl "${args[@]}" "$GROKSTREAM_URL$path" 2>/dev/null); then
    rm -f "$out"
    printf 'grokstream: cannot reach the gateway at %s (is it running? ./grokstream up)\n' "$GROKSTREAM_URL" >&2
    exit 2
  fi
  if [[ $code -ge 400 ]]; then
    python3 - "$code" "$out" <<'PY' >&2
import json, sys
code, path = sys.argv[1], sys.argv[2]
text = open(path, encoding='utf-8', errors='replace').read()
try:
    body = json.loads(text)
    msg = body.get('error', text)
    field = body.get('field')
    print(f"grokstream: HTTP {code}: {msg}" + (f" (field: {field})" if field else ""))
except Exception:
    print(f"grokstream: HTTP {code}: {text.strip()[:500]}")
PY
    rm -f "$out"
    exit 1
  fi
  cat "$out"
  rm -f "$out"
}

# urlencode STRING
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
