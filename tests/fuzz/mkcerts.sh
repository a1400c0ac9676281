#!/usr/bin/env bash
# mkcerts.sh - (re)make the seeds of tests/fuzz/corpus/tls_cert/: a plain
# certificate from `openssl req`, and hostile ones (an 8 KB CN, escape
# and NUL bytes in names, many SANs, a 5-byte IP SAN, odd dates) encoded
# by tests/hostile/certgen.py.  Run by hand; the seeds are committed.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/tests/fuzz/corpus/tls_cert
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
python3 - "$ROOT/tests/hostile" "$TMP" "$OUT" <<'PY'
import os, sys
sys.path.insert(0, sys.argv[1])
import certgen
key, plain = certgen.make_key(sys.argv[2])
for n, der in certgen.corpus(key, plain).items():
    with open(os.path.join(sys.argv[3], n), "wb") as f:
        f.write(der)
PY
# A certificate cut short, and one with a trailing byte.
head -c 300 "$OUT/plain-req.der" >"$OUT/truncated.der"
{ cat "$OUT/plain-req.der"; printf '\0'; } >"$OUT/trailing-byte.der"
ls -l "$OUT"
