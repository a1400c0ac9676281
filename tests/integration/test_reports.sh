#!/usr/bin/env bash
# test_reports - the reports as people and machines get them, from the
# fixed store of tests/data/reports/fixture.sql (five establishments,
# four weekly scans, hostile names and banners), enriched with MaxMind
# databases written at test time (tests/data/mmdb/make-test-mmdb.pl):
#
#   - the HTML report, the index and the national summary rendered by
#     headless Chromium: a screenshot that is not blank, no console error
#     or CSP violation, and not one request leaving the page (Chromium's
#     net log: no socket, no name resolved, nothing but file: URLs);
#   - --format pdf printed by the real Chromium (through a wrapper that
#     keeps its net log), read back with pdftotext: names, titles and
#     accents are there, the hostile name is plain text;
#   - hostile bytes inert everywhere: HTML text and attributes, CSV cells
#     (no formula), JSON (valid, the bytes kept);
#   - a missing Chromium is said plainly, exit status 1.
#
# No lab: reports do not depend on the engine, so under run-all this runs
# once (VIGIE_MODE=connect) and says so for the other engines.  Chromium
# runs in a network namespace of its own (unshare -n) when it can, on
# top of its flags, so nothing can leave whatever it tries.  Set
# VIGIE_KEEP_SHOTS=DIR to keep the screenshots and PDFs for a look.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE=${VIGIE_MODE:-connect}
if [ "$MODE" != connect ]; then
	echo "  reports do not depend on the engine: checked once, under connect"
	rm -rf "$WORK"
	exit 0
fi
trap 'rm -rf "$WORK"' EXIT

FIXTURE=$ROOT/tests/data/reports/fixture.sql
MMDB_SCRIPT=$ROOT/tests/data/mmdb/make-test-mmdb.pl
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { not_ok "chromium is not installed (scripts/install-deps)"; finish; }
command -v pdftotext >/dev/null || { not_ok "pdftotext is not installed (poppler-utils)"; finish; }
NETNS=()
if unshare -n true 2>/dev/null; then NETNS=(unshare -n); fi

sqlite3 "$WORK/fx.db" <"$FIXTURE" || { not_ok "fixture store"; finish; }
if perl "$MMDB_SCRIPT" "$WORK"; then
	ok "test MaxMind databases written by libmaxmind-db-writer-perl"
else
	not_ok "make-test-mmdb.pl (is libmaxmind-db-writer-perl installed?)"
	finish
fi
MMDB=(--mmdb "$WORK/test-asn.mmdb" --mmdb "$WORK/test-country.mmdb")
R=("$VIGIE" report --db "$WORK/fx.db")

"${R[@]}" --format html --out "$WORK/html" "${MMDB[@]}" >/dev/null &&
    "${R[@]}" --format json --out "$WORK/json" "${MMDB[@]}" >/dev/null &&
    "${R[@]}" --format csv --out "$WORK/csv" "${MMDB[@]}" >/dev/null &&
    "${R[@]}" --summary --format html --out "$WORK/html" >/dev/null &&
    "${R[@]}" --summary --format csv --out "$WORK/csv" >/dev/null &&
    ok "reports written: html, json, csv, summary html and csv" ||
    not_ok "a report command failed"

# A PNG's pixels, in python3 alone: how many colours in the top rows.
png_colours() {
	python3 - "$1" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
p, idat = 8, b''
while p < len(d):
    n, = struct.unpack('>I', d[p:p + 4])
    t, c = d[p + 4:p + 8], d[p + 8:p + 8 + n]
    p += 12 + n
    if t == b'IHDR':
        w, h, depth, ct = struct.unpack('>IIBB', c[:10])
    elif t == b'IDAT':
        idat += c
bpp = {2: 3, 6: 4}[ct]
raw, stride = zlib.decompress(idat), w * bpp
prev, colours, i = bytearray(stride), set(), 0
for y in range(min(h, 700)):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + ((a + b) >> 1)) & 255
        elif f == 4:
            q = a + b - c
            pa, pb, pc = abs(q - a), abs(q - b), abs(q - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 3 == 0:
        for x in range(0, stride, bpp * 3):
            colours.add(bytes(line[x:x + 3]))
print(len(colours))
PY
}

# Every URL and socket of a Chromium net log that is not a local file.
net_leaks() {
	python3 - "$@" <<'PY'
import json, sys
for path in sys.argv[1:]:
    d = json.load(open(path))
    names = {v: k for k, v in d['constants']['logEventTypes'].items()}
    for e in d['events']:
        n, p = names.get(e['type'], '?'), e.get('params', {})
        if n in ('SOCKET_CONNECT', 'UDP_CONNECT', 'TCP_CONNECT') or \
                n.startswith('HOST_RESOLVER_MANAGER_REQUEST'):
            print(path, n, p.get('address') or p.get('host') or '')
        url = p.get('url') or p.get('original_url')
        if url and not url.startswith(('file:', 'data:', 'about:', 'chrome:')):
            print(path, n, url[:100])
PY
}

# shoot NAME FILE: screenshot, console and net log of one page.
CHROME_FLAGS=(--headless --no-sandbox --disable-gpu
    --disable-background-networking --disable-component-update
    --disable-sync --no-first-run --no-default-browser-check
    --disable-extensions '--host-resolver-rules=MAP * ~NOTFOUND'
    --disable-features=NetworkTimeServiceQuerying
    --component-updater=url-source=file:///nonexistent/vigie-no-updates
    --enable-logging=stderr --v=0 --hide-scrollbars)
shoot() {
	local name=$1 file=$2 prof colours leaks
	prof=$(mktemp -d "$WORK/profile.XXXXXX")
	if ! "${NETNS[@]}" "$CHROMIUM" "${CHROME_FLAGS[@]}" \
	    --user-data-dir="$prof" --window-size=1100,1600 \
	    --log-net-log="$WORK/$name.net.json" \
	    --screenshot="$WORK/$name.png" "file://$file" \
	    >"$WORK/$name.console" 2>&1 || [ ! -s "$WORK/$name.png" ]; then
		not_ok "$name: no screenshot"
		tail -5 "$WORK/$name.console" >&2
		return
	fi
	colours=$(png_colours "$WORK/$name.png" || echo 0)
	[ "$colours" -ge 8 ] && ok "$name: rendered, not blank ($colours colours)" ||
	    not_ok "$name: blank screenshot ($colours colours)"
	if grep -E "Uncaught|Refused to|CONSOLE\([0-9]+\).*(rror|blocked)" \
	    "$WORK/$name.console" >&2; then
		not_ok "$name: console errors above"
	else
		ok "$name: no console error, no CSP violation"
	fi
	leaks=$(net_leaks "$WORK/$name.net.json")
	[ -z "$leaks" ] && ok "$name: no request leaves the page (net log)" ||
	    { not_ok "$name: network activity"; echo "$leaks" >&2; }
}

shoot report "$WORK/html/750000020.html"
shoot index "$WORK/html/index.html"
shoot summary "$WORK/html/summary.html"
shoot hostile "$WORK/html/130000040.html"

# PDF through vigie, the real Chromium behind a wrapper that keeps its
# net log (and its own network namespace).
cat >"$WORK/chromium-wrapper" <<EOF
#!/bin/sh
n=\$(date +%s%N)
exec ${NETNS[*]} "$CHROMIUM" --log-net-log="$WORK/pdf-\$n.net.json" "\$@"
EOF
chmod +x "$WORK/chromium-wrapper"
start=$(date +%s)
VIGIE_CHROMIUM=$WORK/chromium-wrapper "${R[@]}" --format pdf \
    --out "$WORK/pdf" "${MMDB[@]}" >"$WORK/pdf.out" 2>"$WORK/pdf.err" &&
    ok "PDF reports printed ($(($(date +%s) - start)) s)" ||
    { not_ok "PDF reports: $(cat "$WORK/pdf.err")"; }
expect_eq "one PDF per establishment, and the index" \
    "130000040.pdf 330000050.pdf 690000030.pdf 750000010.pdf 750000020.pdf index.pdf" \
    "$(cd "$WORK/pdf" 2>/dev/null && ls | tr '\n' ' ' | sed 's/ $//')"
leaks=$(net_leaks "$WORK"/pdf-*.net.json 2>&1)
[ -z "$leaks" ] && ok "PDF: the browser made no request (net log)" ||
    { not_ok "PDF: network activity"; echo "$leaks" >&2; }
# Text as one line: a title may wrap anywhere.
pdf_text() {
	pdftotext "$1" - 2>/dev/null | tr -s '[:space:]' ' ' || true
}
pdf_text "$WORK/pdf/750000020.pdf" >"$WORK/ehpad.txt"
for want in "EHPAD Les Tilleuls" "VNC accessible sans mot de passe" \
    "Synthèse pour la direction" "Établissements et services médico-sociaux" \
    "Réseau Santé Démo" "réapparu" "Île-de-France"; do
	grep -qF "$want" "$WORK/ehpad.txt" && ok "PDF text: $want" ||
	    not_ok "PDF text lacks '$want'"
done
pdf_text "$WORK/pdf/130000040.pdf" >"$WORK/hostile.txt"
grep -qF "SSIAD <img src=x onerror=alert(4)>" "$WORK/hostile.txt" &&
    ok "PDF: the hostile name is printed as text" ||
    not_ok "PDF: hostile name not found as text"
pages=$(pdfinfo "$WORK/pdf/750000020.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
[ "${pages:-0}" -ge 2 ] && ok "PDF: $pages A4 pages" || not_ok "PDF pages: $pages"
pdfinfo "$WORK/pdf/750000020.pdf" 2>/dev/null | grep -q "^Page size:.*(A4)" &&
    ok "PDF: A4" || not_ok "PDF: not A4"

# Hostile bytes inert in every format.
if grep -rEiq '<script|<img|<svg onload' "$WORK/html"; then
	not_ok "raw hostile markup in the HTML:"
	grep -rEio '.{30}(<script|<img|<svg onload).{20}' "$WORK/html" | head -5 >&2
else
	ok "HTML: no hostile markup survives as markup"
fi
grep -q '&lt;img src=x onerror=alert(4)&gt;' "$WORK/html/130000040.html" &&
    grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$WORK/html/130000040.html" &&
    grep -q 'Hostile &quot;Org&quot; &lt;script&gt;' "$WORK/html/130000040.html" &&
    grep -q '&lt;b&gt;9&lt;/b&gt;' "$WORK/html/130000040.html" &&
    ok "HTML: hostile name, banner and AS name shown as text" ||
    not_ok "HTML: hostile text missing"
# Attributes: every href is ours (a report, the incident portal, a rule's
# reference), and no attribute value holds a quote-breaking banner.
bad_href=$(grep -rhoE 'href="[^"]*"' "$WORK/html" | sort -u |
    grep -vE '^href="([0-9]{9}\.html|https://(signalement\.social-sante\.gouv\.fr|cyber\.gouv\.fr/[^"]*))"$' || true)
[ -z "$bad_href" ] && ok "HTML attributes: only our links" ||
    { not_ok "HTML: unexpected links"; echo "$bad_href" >&2; }
python3 - "$WORK"/csv/*.csv <<'PY' && ok "CSV: no cell can start a formula" || not_ok "CSV formula injection"
import csv, sys
bad = 0
for path in sys.argv[1:]:
    for row in csv.reader(open(path, newline='', encoding='utf-8')):
        for cell in row:
            if cell[:1] in ('=', '+', '-', '@', '\t', '\r'):
                print(path, repr(cell), file=sys.stderr)
                bad += 1
sys.exit(1 if bad else 0)
PY
grep -qF "\"'=cmd|' /C calc'!A0\"" "$WORK/csv/findings.csv" &&
    ok "CSV: the formula is kept, quoted and defused" || not_ok "CSV formula cell"
for f in "$WORK"/json/*.json; do jq -e . "$f" >/dev/null || not_ok "invalid JSON: $f"; done
expect_eq "JSON: hostile banner kept byte for byte" \
    'http.title=<script>alert(1)</script>' \
    "$(jq -r '.findings[] | select(.rule=="admin-panel-exposed") | .evidence' "$WORK/json/130000040.json")"
expect_eq "JSON: enrichment says which database build" \
    "Vigie-Test-ASN 1732492800" \
    "$(jq -r '.enrichment[0] | "\(.database_type) \(.build_epoch)"' "$WORK/json/750000010.json")"
expect_eq "JSON: a finding's AS and country" "64500 FR" \
    "$(jq -r '.findings[0].geo | "\(.asn) \(.country)"' "$WORK/json/750000010.json")"

# No Chromium: said plainly, exit status 1, no file.
set +e
VIGIE_CHROMIUM=/nonexistent/chromium "${R[@]}" --format pdf \
    --out "$WORK/nopdf" >/dev/null 2>"$WORK/nopdf.err"
rc=$?
set -e
expect_eq "no Chromium: exit status 1" 1 "$rc"
grep -q "Chromium is not installed" "$WORK/nopdf.err" &&
    ok "no Chromium: the message says so" || not_ok "no Chromium: $(cat "$WORK/nopdf.err")"
expect_eq "no Chromium: no PDF written" 0 "$(ls "$WORK/nopdf" 2>/dev/null | wc -l)"
set +e
"${R[@]}" --summary --format pdf --out "$WORK/x" >/dev/null 2>&1
expect_eq "--summary refuses pdf (usage, exit 1)" 1 "$?"
set -e

if [ -n "${VIGIE_KEEP_SHOTS:-}" ]; then
	mkdir -p "$VIGIE_KEEP_SHOTS"
	cp "$WORK"/*.png "$WORK"/pdf/*.pdf "$VIGIE_KEEP_SHOTS"/ 2>/dev/null || true
	echo "  screenshots and PDFs kept in $VIGIE_KEEP_SHOTS"
fi
finish
