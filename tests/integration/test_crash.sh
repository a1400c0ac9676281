#!/usr/bin/env bash
# test_crash - crash safety and bad input, in a lab of its own (vc-*).
#
# 1. Bad input: a malformed exclusion list, a broken rule file, a bad
#    registry, an unknown option: exit status 1, a message naming the
#    file:line (or the option), and no database written.  A database that
#    is not Vigie's, read-only, or on a full disk: a clear error naming
#    it, and nothing half-written.
# 2. kill -9 at CRASH_KILLS random moments of a scan (each a new run on
#    the same database): after each, the database passes integrity_check,
#    and every row seen after the previous kill is still there (what was
#    committed is never lost: the rows only grow).
# 3. --resume, once it exists: killed runs resumed until one completes;
#    then the scan is complete, no row is counted twice, and the open
#    ports and findings are those of an uninterrupted scan.
#
# Every scan runs inside the lab's scanner namespace, the failing ones
# too: if a check regressed, packets would still stay in the lab.

# The unshare scripts take their arguments as $1..., in single quotes.
# shellcheck disable=SC2016
export VIGIE_LAB_PREFIX=${VIGIE_LAB_PREFIX:-vc}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE=${VIGIE_MODE:-connect}
echo "  engine: $MODE"
CRASH_KILLS=${CRASH_KILLS:-22}
CRASH_SEED=${CRASH_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$CRASH_SEED
echo "  random seed: $CRASH_SEED (CRASH_SEED=$CRASH_SEED to replay)"

# The lab's answering hosts (the silent one would only add waiting).
REG=$WORK/crash-registry.csv
cat >"$REG" <<'CSV'
id;name;category;region;ranges;hostnames;contact
750000010;CHU de Démo;ES;IDF;198.51.100.10;;
750000020;EHPAD Les Tilleuls;ESMS;IDF;198.51.100.20;;
750000050;Clinique du Lac;ES;ARA;198.51.100.50 198.51.100.60;;
750000070;Centre de Radiologie du Port;ES;PACA;198.51.100.70;;
130000040;SSIAD Porte Close;ESMS;PACA;203.0.113.40;;
CSV
# 6 hosts, 6000 probes at 1200 probes/s, then the probes of 18 open
# ports and their findings: 5 to 15 s uninterrupted, measured below.
CRASH_PORTS=1-1000,2222,3306,3389,5432,5900,5901,6379
SCAN_ARGS=(--registry "$REG" --ports "$CRASH_PORTS" --mode "$MODE"
    --allow "$LAB_ALLOW" --timeout 500 --retries 0 --probe-timeout 2000
    --rate 1500 --max-rate-per-host 300 --quiet)

lab_up

# run_scan CMD...: vigie in the lab's scanner namespace; its status in rc,
# its stderr in $WORK/err.
run_scan() {
	set +e
	"$LAB" exec "$VIGIE" "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	set -e
}

# expect_refused NAME WANT-RC WANT-MESSAGE DB CMD...: the command fails
# with WANT-RC, says WANT-MESSAGE, and leaves no file at DB.
expect_refused() {
	local name=$1 want_rc=$2 want_msg=$3 db=$4
	shift 4
	run_scan "$@"
	expect_eq "$name: exit status" "$want_rc" "$rc"
	if grep -qF -- "$want_msg" "$WORK/err"; then
		ok "$name: says '$want_msg'"
	else
		not_ok "$name: expected '$want_msg' in: $(head -3 "$WORK/err")"
	fi
	if [ -e "$db" ]; then
		not_ok "$name: a database was written at $db"
	else
		ok "$name: no database written"
	fi
}

# --- 1. Bad input -----------------------------------------------------------

printf '# exclusions\n198.51.100.128/25\n198.51.100.0/33\n' >"$WORK/bad-exclude.txt"
expect_refused "malformed exclusion list" 1 "$WORK/bad-exclude.txt:3:" \
    "$WORK/x1.db" scan "${SCAN_ARGS[@]}" --exclude "$WORK/bad-exclude.txt" \
    --db "$WORK/x1.db"

mkdir -p "$WORK/rules"
cp "$ROOT"/fingerprints/rules/*.yaml "$WORK/rules/"
printf -- '- id: broken-rule\n  severity: high\n  when: [\n' \
    >"$WORK/rules/zz-broken.yaml"
expect_refused "broken rule file" 1 "$WORK/rules/zz-broken.yaml:4:" \
    "$WORK/x2.db" scan "${SCAN_ARGS[@]}" --rules "$WORK/rules" \
    --db "$WORK/x2.db"
printf -- '- id: bad-severity\n  severity: bogus\n' >"$WORK/rules/zz-broken.yaml"
expect_refused "rule with a bad field" 1 "$WORK/rules/zz-broken.yaml:2:" \
    "$WORK/x3.db" scan "${SCAN_ARGS[@]}" --rules "$WORK/rules" \
    --db "$WORK/x3.db"

printf '[{"id": "750000010", "ranges": "198.51.100.10"},\n {"id": 7}\n' \
    >"$WORK/bad.json"
expect_refused "malformed registry (JSON)" 1 "$WORK/bad.json:" \
    "$WORK/x4.db" scan --registry "$WORK/bad.json" --db "$WORK/x4.db" \
    --allow "$LAB_ALLOW" --mode "$MODE" --quiet

expect_refused "unknown option" 1 "unrecognized option '--no-such-option'" \
    "$WORK/x5.db" scan "${SCAN_ARGS[@]}" --db "$WORK/x5.db" \
    --no-such-option
expect_refused "option of another command" 1 "does not apply to 'scan'" \
    "$WORK/x6.db" scan "${SCAN_ARGS[@]}" --db "$WORK/x6.db" --format html

# A database that is not Vigie's is refused and left as it was.
sqlite3 "$WORK/other.db" 'CREATE TABLE payroll(name TEXT, salary INT);
    INSERT INTO payroll VALUES ("alice", 1);'
printf 'not a database at all\n' >"$WORK/text.db"
sum_before=$(md5sum "$WORK/other.db" "$WORK/text.db")
run_scan scan "${SCAN_ARGS[@]}" --db "$WORK/other.db"
expect_eq "another program's database: exit status" 1 "$rc"
grep -qF "$WORK/other.db: not a Vigie database" "$WORK/err" &&
    ok "another program's database: named and refused" ||
    not_ok "another program's database: $(head -2 "$WORK/err")"
run_scan scan "${SCAN_ARGS[@]}" --db "$WORK/text.db"
expect_eq "a text file as database: exit status" 1 "$rc"
grep -qF "$WORK/text.db: not a Vigie database" "$WORK/err" &&
    ok "a text file as database: named and refused" ||
    not_ok "a text file as database: $(head -2 "$WORK/err")"
expect_eq "refused databases are unchanged" "$sum_before" \
    "$(md5sum "$WORK/other.db" "$WORK/text.db")"
[ ! -e "$WORK/other.db-wal" ] && [ ! -e "$WORK/text.db-wal" ] &&
    ok "refused databases: no journal left beside them" ||
    not_ok "a -wal file was left beside a refused database"

# A read-only database (a read-only bind mount: root ignores modes) and a
# full disk (a 160 KB tmpfs), each in a private mount namespace.  The
# inner scripts take their paths as arguments, in single quotes on purpose
# (shellcheck's SC2016, disabled at the top).
mkdir -p "$WORK/ro" "$WORK/full"
run_scan scan --target 203.0.113.40 --ports 22 --mode "$MODE" \
    --allow "$LAB_ALLOW" --db "$WORK/ro/ro.db" --quiet
md5_ro=$(md5sum <"$WORK/ro/ro.db")
set +e
unshare -m --propagation private bash -c '
	mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99
	shift
	"$@"' _ "$WORK/ro" "$LAB" exec "$VIGIE" scan "${SCAN_ARGS[@]}" \
    --db "$WORK/ro/ro.db" >/dev/null 2>"$WORK/err"
rc=$?
set -e
if [ "$rc" -eq 99 ]; then
	not_ok "read-only database: cannot make a read-only mount here"
else
	[ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] &&
	    ok "read-only database: exit status $rc" ||
	    not_ok "read-only database: exit status $rc"
	grep -qF "$WORK/ro/ro.db" "$WORK/err" &&
	    ok "read-only database: the error names it ($(head -1 "$WORK/err"))" ||
	    not_ok "read-only database: $(head -2 "$WORK/err")"
	expect_eq "read-only database: unchanged" "$md5_ro" \
	    "$(md5sum <"$WORK/ro/ro.db")"
fi
set +e
unshare -m --propagation private bash -c '
	mount -t tmpfs -o size=160k vigie-full "$1" || exit 99
	db=$1/full.db out=$2
	shift 2
	"$@" --db "$db" >/dev/null 2>"$out/err"
	echo $? >"$out/full.rc"
	sqlite3 "$db" "PRAGMA integrity_check" >"$out/full.ic" 2>&1
	sqlite3 "$db" "SELECT count(*) FROM ports" >"$out/full.rows" 2>&1
	' _ "$WORK/full" "$WORK" "$LAB" exec "$VIGIE" scan "${SCAN_ARGS[@]}"
rc=$?
set -e
if [ "$rc" -eq 99 ]; then
	not_ok "full disk: cannot mount a small tmpfs here"
else
	rc=$(cat "$WORK/full.rc")
	[ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] &&
	    ok "full disk: exit status $rc" ||
	    not_ok "full disk: exit status $rc"
	grep -qF "$WORK/full/full.db" "$WORK/err" &&
	    ok "full disk: the error names the database ($(grep -F full.db "$WORK/err" | head -1))" ||
	    not_ok "full disk: $(head -2 "$WORK/err")"
	expect_eq "full disk: what was committed is consistent" ok \
	    "$(cat "$WORK/full.ic")"
	echo "  full disk: $(cat "$WORK/full.rows") port rows kept"
fi

# --- 2. kill -9 at random moments -------------------------------------------

DB=$WORK/crash.db
REF=$WORK/reference.db
# An uninterrupted scan: the reference for --resume, and the length of a
# scan, over which the kills are spread.
t0=$(date +%s%N)
run_scan scan "${SCAN_ARGS[@]}" --db "$REF"
SCAN_MS=$((($(date +%s%N) - t0) / 1000000))
expect_eq "uninterrupted scan: exit status" 0 "$rc"
echo "  an uninterrupted scan takes $SCAN_MS ms"
# Every row that must survive: ports, services, findings, establishments.
snapshot() {
	sqlite3 -separator ' ' "$DB" "
	    SELECT 'port', scan, ip, port, proto, state FROM ports
	    UNION ALL SELECT 'service', scan, ip, port, proto, '' FROM services
	    UNION ALL SELECT 'finding', scan, fid, establishment, '', '' FROM findings
	    UNION ALL SELECT 'est', scan, id, '', '', '' FROM establishments" |
	    sort
}

# start_scan DB [ARGS...]: a scan in the background; its pid in SPID once
# it is vigie itself (lab.sh exec ends in exec).
start_scan() {
	local db=$1
	shift
	"$LAB" exec "$VIGIE" scan "${SCAN_ARGS[@]}" --db "$db" "$@" \
	    >/dev/null 2>>"$WORK/crash.err" &
	SPID=$!
	for _ in $(seq 200); do
		[ "$(readlink "/proc/$SPID/exe" 2>/dev/null)" = "$VIGIE" ] &&
		    return 0
		kill -0 "$SPID" 2>/dev/null || return 0
		sleep 0.01
	done
}

# kill_at PID MS: SIGKILL after MS milliseconds; true if it was still
# running then (the kill landed mid-scan: not exited, not a zombie).  Its
# exit status in KILL_RC.
kill_at() {
	local alive=0 state
	sleep "$(printf '%d.%03d' $(($2 / 1000)) $(($2 % 1000)))"
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	if [ -n "$state" ] && [ "$state" != Z ]; then
		kill -KILL "$1" 2>/dev/null && alive=1
	fi
	set +e
	wait "$1" 2>/dev/null
	KILL_RC=$?
	set -e
	[ "$alive" -eq 1 ]
}

: >"$WORK/snap.prev"
landed=0
tries=0
lost=0
bad=0
moments=""
while [ "$landed" -lt "$CRASH_KILLS" ] && [ "$tries" -lt $((CRASH_KILLS * 2)) ]; do
	tries=$((tries + 1))
	# A quarter in the first 150 ms (the store being created), the
	# rest over discovery, the probes and the closing writes.
	case $((RANDOM % 4)) in
	0) ms=$((RANDOM % 150)) ;;
	*) ms=$((150 + (RANDOM * 32768 + RANDOM) % (SCAN_MS > 300 ?
	    SCAN_MS - 150 : 150))) ;;
	esac
	start_scan "$DB"
	if kill_at "$SPID" "$ms"; then
		landed=$((landed + 1))
		moments="$moments $ms"
	fi
	[ -e "$DB" ] || continue
	ic=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
	if [ "$ic" != ok ]; then
		bad=$((bad + 1))
		echo "  kill at $ms ms: integrity_check: $ic" >&2
		cp "$DB" "$WORK/corrupt-$tries.db"
	fi
	snapshot >"$WORK/snap.now"
	missing=$(comm -23 "$WORK/snap.prev" "$WORK/snap.now" | wc -l)
	if [ "$missing" -gt 0 ]; then
		lost=$((lost + missing))
		echo "  kill at $ms ms: $missing committed rows lost:" >&2
		comm -23 "$WORK/snap.prev" "$WORK/snap.now" | head -5 >&2
	fi
	mv "$WORK/snap.now" "$WORK/snap.prev"
done
echo "  $landed kills landed mid-scan (of $tries runs), at ms:$moments"
[ "$landed" -ge "$CRASH_KILLS" ] && ok "$landed kill -9 mid-scan" ||
    not_ok "only $landed kills landed mid-scan"
expect_eq "integrity_check after every kill" 0 "$bad"
expect_eq "committed rows lost across kills" 0 "$lost"
echo "  the killed runs kept $(wc -l <"$WORK/snap.prev") rows in $(sqlite3 "$DB" 'SELECT count(*) FROM scans') scans"
[ "$(grep -c 'port ' "$WORK/snap.prev")" -gt 0 ] &&
    ok "killed runs kept the ports they had found" ||
    not_ok "no port row survived the kills"
# Complete: only the runs that ended before their kill (a kill can land
# after the last commit, hence <=).
ncomplete=$(sqlite3 "$DB" "SELECT count(*) FROM scans WHERE status = 'complete'")
[ "$ncomplete" -le $((tries - landed)) ] &&
    ok "no killed run is recorded complete ($ncomplete ended first)" ||
    not_ok "$ncomplete scans complete, but only $((tries - landed)) runs ended before their kill"
# The killed database still makes reports.
"$VIGIE" report --db "$DB" --format json --out "$WORK/crash-json" \
    >/dev/null 2>"$WORK/err" && ok "reports from the killed database" ||
    not_ok "report from the killed database: $(head -2 "$WORK/err")"
{ grep -v '^$' "$WORK/crash.err" || true; } | sort | uniq -c | sort -rn |
    head -3 | sed 's/^/  stderr of killed runs: /'

# --- 3. --resume ------------------------------------------------------------

help=$("$VIGIE" scan --help 2>&1 || true)
if grep -q -- --resume <<<"$help"; then
	RDB=$WORK/resume.db
	start_scan "$RDB"
	kill_at "$SPID" $((300 + RANDOM % (SCAN_MS / 2 + 1))) || true
	n=0
	# Resume, killing some of the resumed runs too, until one finishes.
	while [ "$n" -lt 10 ]; do
		n=$((n + 1))
		start_scan "$RDB" --resume
		if [ "$n" -le 4 ]; then
			if kill_at "$SPID" $((200 + RANDOM % (SCAN_MS / 2 + 1)))
			then
				expect_eq "resume $n killed: integrity" ok \
				    "$(sqlite3 "$RDB" 'PRAGMA integrity_check')"
				continue
			fi
			rc=$KILL_RC
			break
		fi
		set +e
		wait "$SPID"
		rc=$?
		set -e
		break
	done
	expect_eq "resumed scan: exit status" 0 "$rc"
	expect_eq "resumed scan: complete" complete \
	    "$(sqlite3 "$RDB" 'SELECT status FROM scans ORDER BY id DESC LIMIT 1')"
	expect_eq "resumed scan: no port counted twice" \
	    "$(sqlite3 "$RDB" 'SELECT count(*) FROM (SELECT DISTINCT ip, port, proto FROM ports)')" \
	    "$(sqlite3 "$RDB" 'SELECT count(*) FROM ports')"
	expect_eq "resumed scan: no finding counted twice" \
	    "$(sqlite3 "$RDB" 'SELECT count(*) FROM (SELECT DISTINCT fid, establishment FROM findings)')" \
	    "$(sqlite3 "$RDB" 'SELECT count(*) FROM findings')"
	q_open="SELECT ip || ':' || port FROM ports WHERE state = 'open'"
	expect_set "resumed scan: the open ports of an uninterrupted scan" \
	    "$(sqlite3 "$REF" "$q_open")" "$(sqlite3 "$RDB" "$q_open")"
	q_find="SELECT establishment || ' ' || ip || ':' || port || ' ' || rule FROM findings"
	expect_set "resumed scan: the findings of an uninterrupted scan" \
	    "$(sqlite3 "$REF" "$q_find")" "$(sqlite3 "$RDB" "$q_find")"
else
	echo "  --resume: not in 'vigie scan --help' yet; its checks wait for it"
fi

finish
