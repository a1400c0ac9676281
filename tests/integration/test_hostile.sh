#!/usr/bin/env bash
# test_hostile - Vigie against pathological servers (tests/hostile/
# responders.py): NUL bytes, markup and terminal escapes, a 10 MB banner,
# a trickle, silence, resets, a TLS certificate of enormous and malformed
# fields, 100,000 HTTP headers, an endless chunked body, a 1 MB SSH line,
# lying length fields (RDP, SMB, DICOM, Redis), redirect loops, a
# STARTTLS answered with garbage.
#
# Everything runs in a network namespace of its own (vh-hostile-PID, with
# only its loopback up): the responders listen on 127.0.0.1 there and the
# scan runs there; nothing leaves it.  The namespace and the responders
# are removed on exit, whatever happens.
#
# Asserted: exit status 0; the scan ends within SCAN_BOUND_S (deadlines
# honoured: see below); peak RSS under RSS_BOUND_KB; no connection
# outlives the probe timeout (+ slack), as the responders measure it;
# every port has a service event with a status; the hostile bytes are in
# the JSON lines escaped (no raw ESC or NUL) and in the HTML report
# escaped (no raw `<script`); no redirect is followed; and one more scan
# under valgrind (or the ASan build) has no error and no leak.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The connect engine only: the responders are on the loopback, where the
# SYN engine has no route to send on, and what is under test (the probes,
# the store, the outputs) is the same whichever engine found the ports.
# run-all runs every scenario once per engine: the SYN pass is a no-op.
if [ "${VIGIE_MODE:-connect}" != connect ]; then
	echo "  engine: ${VIGIE_MODE} - not used here (loopback); see the connect run"
	rm -rf "$WORK"
	exit 0
fi
MODE=connect
NS=vh-hostile-$$
PROBE_TIMEOUT_MS=3000
# The bound on the scan's duration.  Each port is one job of at most
# 6 sessions (its own probe, then banner, https, http, rdp, redis), each
# cut at the probe timeout (3 s): 18 s for the slowest job (the silent
# port), and the jobs overlap.  Measured: 18 s.  A deadline not honoured
# shows first in the per-connection check below; this catches the rest.
SCAN_BOUND_S=60
# A connection lasts at most the probe timeout plus this slack (the
# responder sees the close a little after Vigie makes it).
SLACK_S=1.5
# Peak resident memory.  Per session Vigie holds at most its read budget
# (64 KB for HTTP) plus libevent's and OpenSSL's buffers.  Measured:
# 12.5 MB, most of it code, rules and SQLite.  The bound is low enough
# that the 10 MB banner, held whole, would break it.
RSS_BOUND_KB=$((20 * 1024))
# The instant reset (port 10005) races discovery: when the server's RST
# comes before the connect engine looks at the socket, SO_ERROR is
# ECONNRESET and scanner/connect.c (attempt_result) retries, then calls
# the port filtered, though a listener accepted it.  Seen under valgrind.
# TODO(#7): make this strict when the engine reports it open.
RACY_PORT=10005
PY=$(command -v /usr/bin/python3 || command -v python3)
RESPONDERS=$ROOT/tests/hostile/responders.py
echo "  engine: $MODE"

hostile_cleanup() {
	if [ -n "${RPID:-}" ]; then
		kill "$RPID" 2>/dev/null || true
		wait "$RPID" 2>/dev/null || true
	fi
	# Anything still in our namespace was started by this test.
	if ip netns list | grep -qw "$NS"; then
		for p in $(ip netns pids "$NS" 2>/dev/null); do
			kill -9 "$p" 2>/dev/null || true
		done
		ip netns del "$NS" 2>/dev/null || true
	fi
	if [ -n "${VIGIE_KEEP:-}" ]; then
		echo "  kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap hostile_cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$NS"
ip -n "$NS" link set lo up
in_ns() {
	ip netns exec "$NS" "$@"
}
# expect_ports NAME ACTUAL: ACTUAL (one port a line) is every responder
# port; RACY_PORT may be missing (noted, see above).
expect_ports() {
	local miss
	miss=$(comm -23 <(tr ',' '\n' <<<"$PORTS" | sort) \
	    <(printf '%s\n' "$2" | sed '/^$/d' | sort -u) | tr '\n' ' ')
	if [ -z "$miss" ]; then
		ok "$1"
	elif [ "$miss" = "$RACY_PORT " ]; then
		ok "$1 (but $RACY_PORT: the known reset race, see RACY_PORT)"
	else
		not_ok "$1: missing $miss"
	fi
}
lt() {	# lt A B: A < B, as decimal numbers
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'
}
# Safety: the namespace has nothing but its loopback.
[ "$(ip -n "$NS" -o link show | wc -l)" -eq 1 ] || {
	echo "FAIL: $NS has more than a loopback" >&2
	exit 1
}

# The responders, bounded: 600 s of life at most, 30 s per connection.
in_ns "$PY" "$RESPONDERS" --host 127.0.0.1 --ready "$WORK/ready" \
    --log "$WORK/conns.jsonl" --lifetime 600 --conn-max 30 \
    2>"$WORK/responders.err" &
RPID=$!
for _ in $(seq 100); do
	[ -s "$WORK/ready" ] && break
	kill -0 "$RPID" 2>/dev/null || break
	sleep 0.1
done
[ -s "$WORK/ready" ] || {
	cat "$WORK/responders.err" >&2
	echo "FAIL: the responders did not start" >&2
	exit 1
}
PORTS=$(cat "$WORK/ready")
echo "  responders on 127.0.0.1 ($NS): $PORTS"

scan() {	# scan DB OUT [wrapper...]
	local db=$1 out=$2
	shift 2
	in_ns "$@" "$VIGIE" scan --mode "$MODE" --target 127.0.0.1 \
	    --ports "$PORTS,U:161" --allow 127.0.0.0/8 --db "$db" --out "$out" \
	    --probe-timeout "$PROBE_TIMEOUT_MS" --timeout 1000 --retries 1
}

start=$(date +%s.%N)
set +e
scan "$WORK/h.db" "$WORK/h.jsonl" /usr/bin/time -v -o "$WORK/time.txt" \
    >"$WORK/scan.out" 2>"$WORK/scan.err"
rc=$?
set -e
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
J=$WORK/h.jsonl
expect_eq "scan exit status" 0 "$rc"
[ "$rc" -eq 0 ] || sed 's/^/       /' "$WORK/scan.err" >&2
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
printf '  scan took %.1f s (bound %d s), peak RSS %d KB (bound %d KB)\n' \
    "$elapsed" "$SCAN_BOUND_S" "${rss:-0}" "$RSS_BOUND_KB"
lt "$elapsed" "$SCAN_BOUND_S" &&
    ok "scan ended within ${SCAN_BOUND_S} s" ||
    not_ok "scan took $elapsed s (bound $SCAN_BOUND_S s)"
[ -n "$rss" ] && [ "$rss" -lt "$RSS_BOUND_KB" ] &&
    ok "peak RSS ${rss} KB < ${RSS_BOUND_KB} KB" ||
    not_ok "peak RSS '${rss}' KB (bound $RSS_BOUND_KB KB)"

# Deadlines, as the servers saw them: no connection was cut by the
# responders' own cap, and none outlived the probe timeout (+ slack).
expect_eq "no connection outlived the responders' 30 s cap" 0 \
    "$(jq -s '[.[] | select(.end == "cap")] | length' "$WORK/conns.jsonl")"
maxs=$(jq -s '[.[] | .seconds] | max // 0' "$WORK/conns.jsonl")
lim=$(awk -v t="$PROBE_TIMEOUT_MS" -v s="$SLACK_S" 'BEGIN { print t / 1000 + s }')
echo "  $(jq -s length "$WORK/conns.jsonl") connections, the longest" \
    "$maxs s (bound $lim s)"
! lt "$lim" "$maxs" &&
    ok "every connection closed within the probe timeout" || {
	not_ok "a connection lasted $maxs s (probe timeout $PROBE_TIMEOUT_MS ms)"
	jq -c "select(.seconds > $lim)" "$WORK/conns.jsonl" |
	    sed 's/^/       /' >&2
}

# What was recorded: every line is JSON, every port has its service
# event with a status, and nothing else was scanned.
jq -e . "$J" >/dev/null && ok "every output line is JSON" ||
    not_ok "the JSON lines do not parse"
expect_ports "every open port was found" \
    "$(jq -r 'select(.type=="port" and .state=="open") | .port' "$J")"
expect_ports "every port has a service event with a status" \
    "$(jq -r 'select(.type=="service" and (.status // "") != "") | .port' "$J")"
expect_eq "no port has two service events" 0 \
    "$(jq -r 'select(.type=="service") | .port' "$J" | sort | uniq -d | wc -l)"
expect_eq "only 127.0.0.1 appears in the events" 0 \
    "$(jq -r 'select(.ip != null and .ip != "127.0.0.1") | .ip' "$J" | wc -l)"
expect_eq "scan recorded complete" complete \
    "$(jq -r 'select(.type=="scan") | .status' "$J")"
jq -r 'select(.type=="service") | "    \(.port)\t\(.status)\t\(.service // "-")\t\(.probe)"' "$J" |
    sort -n

# The hostile bytes are kept, escaped.
grep -qP '[\x00\x1b]' "$J" && not_ok "raw ESC or NUL in the JSON lines" ||
    ok "no raw ESC or NUL in the JSON lines"
grep -qF '\\x1b[2J' "$J" && ok "the escape sequences were recorded, escaped" ||
    not_ok "no escaped ESC[2J recorded"
grep -qF '\\x00' "$J" && ok "the NUL bytes were recorded, escaped" ||
    not_ok "no escaped NUL recorded"
grep -qF '<script>alert(1)</script>' "$J" &&
    ok "the markup was recorded (JSON lines are data, not HTML)" ||
    not_ok "the markup was not recorded"
expect_eq "the HTTP redirect is recorded, not followed" \
    "http://127.0.0.1:8000/" \
    "$(jq -r 'select(.type=="service" and .port==8000) | .fields["http.location"] // "-"' "$J")"
# One request per HTTP session on the looping port: at most its plan.
n8000=$(jq -s '[.[] | select(.port == 8000)] | length' "$WORK/conns.jsonl")
[ "$n8000" -le 6 ] && ok "redirect loop: $n8000 connections (plan: <= 6)" ||
    not_ok "redirect loop: $n8000 connections to port 8000"
expect_eq "the TLS certificate's names were recorded" yes \
    "$(jq -r 'select(.type=="service" and .port==443) | if (.fields["tls.subject"] // "") != "" and (.fields["tls.san"] // "") != "" then "yes" else "no" end' "$J")"
# STARTTLS accepted, then hostile bytes for a ServerHello: the TLS error
# is recorded, and what the server said in clear stands.
expect_eq "a failed handshake after STARTTLS is recorded" \
    "ok|smtp|accepted, no TLS session|yes" \
    "$(jq -r 'select(.type=="service" and .port==587) | "\(.status)|\(.service)|\(.fields["smtp.starttls_result"] // "-")|\(if (.fields["tls.error"] // "") != "" then "yes" else "no" end)"' "$J")"
expect_eq "database integrity" ok \
    "$(sqlite3 "$WORK/h.db" 'PRAGMA integrity_check')"

# The reports: markup escaped in HTML, no raw control bytes anywhere.
"$VIGIE" report --db "$WORK/h.db" --format html --out "$WORK/html" \
    >/dev/null 2>"$WORK/report.err" || not_ok "HTML report"
"$VIGIE" report --db "$WORK/h.db" --format json --out "$WORK/json" \
    >/dev/null 2>>"$WORK/report.err" || not_ok "JSON report"
"$VIGIE" report --db "$WORK/h.db" --format csv --out "$WORK/csv" \
    >/dev/null 2>>"$WORK/report.err" || not_ok "CSV report"
ls "$WORK"/html/*.html >/dev/null 2>&1 && ok "HTML report written" ||
    not_ok "no HTML report"
grep -rqi '<script' "$WORK/html" && not_ok "raw <script in the HTML report" ||
    ok "no raw <script in the HTML report"
grep -rqP '[\x00\x1b]' "$WORK/html" "$WORK/json" "$WORK/csv" &&
    not_ok "raw ESC or NUL in a report" || ok "no raw ESC or NUL in the reports"
if grep -rqF '&lt;script' "$WORK/html"; then
	ok "the markup reached the HTML report, escaped"
else
	echo "  note: no hostile markup in the HTML report (no finding shows it)"
fi

# Once more under a memory checker: valgrind when present, else (or with
# VIGIE_MEMCHECK=asan) the ASan+UBSan build, `make SAN=1 build-san/vigie`.
MEMCHECK=${VIGIE_MEMCHECK:-valgrind}
command -v valgrind >/dev/null || MEMCHECK=asan
if [ "$MEMCHECK" = valgrind ]; then
	vstart=$(date +%s)
	set +e
	scan "$WORK/v.db" "$WORK/v.jsonl" valgrind -q --vgdb=no --leak-check=full \
	    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
	    --error-exitcode=99 --log-file="$WORK/valgrind.log" \
	    >/dev/null 2>"$WORK/vscan.err"
	rc=$?
	set -e
	echo "  valgrind scan took $(($(date +%s) - vstart)) s"
	expect_eq "valgrind: no error, no leak (exit status)" 0 "$rc"
	if [ -s "$WORK/valgrind.log" ]; then
		not_ok "valgrind reported:"
		head -60 "$WORK/valgrind.log" | sed 's/^/       /' >&2
	else
		ok "valgrind: empty report"
	fi
else
	SAN_VIGIE=$ROOT/build-san/vigie
	(cd "$ROOT" && make -s -j2 SAN=1 build-san/vigie) >/dev/null || {
		not_ok "cannot build build-san/vigie"
		finish
	}
	set +e
	VIGIE=$SAN_VIGIE scan "$WORK/v.db" "$WORK/v.jsonl" \
	    env ASAN_OPTIONS=detect_leaks=1:exitcode=99 \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    >/dev/null 2>"$WORK/vscan.err"
	rc=$?
	set -e
	expect_eq "ASan+UBSan build: no error, no leak (exit status)" 0 "$rc"
	if grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error' \
	    "$WORK/vscan.err"; then
		not_ok "the sanitizers reported:"
		head -60 "$WORK/vscan.err" | sed 's/^/       /' >&2
	else
		ok "ASan+UBSan: nothing reported"
	fi
fi
expect_ports "the checked scan recorded every port" \
    "$(jq -r 'select(.type=="service") | .port' "$WORK/v.jsonl" 2>/dev/null)"

finish
