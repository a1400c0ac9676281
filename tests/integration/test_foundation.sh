#!/usr/bin/env bash
# test_foundation - a connect scan of the lab's real servers, end to end:
# the exact open ports, services and findings, the silent and closed
# hosts, the reports, and the errors of bad input.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REGISTRY=$ROOT/tests/lab/demo-registry.csv
# The engine under test: run-all runs every scenario once per engine.
MODE=${VIGIE_MODE:-connect}
echo "  engine: $MODE"
PORTS=21,22,23,25,80,443,2222,3306,3389,5432,5900,6379,8443

# Bad input first: file:line errors, exit status 1, nothing written.
cat >"$WORK/bad.csv" <<'CSV'
id;name;category;region;ranges;hostnames;contact
750000010;CHU;ES;IDF;198.51.100.10;;
750000011;Autre;ES;IDF;10.0.0/33;;
CSV
set +e
out=$("$VIGIE" registry check "$WORK/bad.csv" 2>&1)
rc=$?
set -e
expect_eq "registry check: bad line exits 1" 1 "$rc"
case $out in
*"bad.csv:3: ranges: '10.0.0/33' is not a CIDR"*) ok "registry check: names file:line and field" ;;
*) not_ok "registry check message: $out" ;;
esac
set +e
"$VIGIE" scan --registry "$WORK/bad.csv" --db "$WORK/bad.db" --quiet \
    --allow "$LAB_ALLOW" 2>/dev/null
rc=$?
set -e
expect_eq "scan with a bad registry exits 1" 1 "$rc"
[ ! -e "$WORK/bad.db" ] && ok "scan with a bad registry writes no database" ||
    not_ok "a database was written"
set +e
"$VIGIE" scan --target 10.1.2.0/24 --ports 22 --db "$WORK/r.db" --quiet \
    2>"$WORK/refused.err"
rc=$?
set -e
expect_eq "reserved range refused without --allow" 1 "$rc"
grep -q "reserved: private (RFC 1918)" "$WORK/refused.err" &&
    ok "refusal names the reserved range" || not_ok "refusal message"

lab_up
start=$(date +%s)
vigie_lab scan --registry "$REGISTRY" --ports "$PORTS" --mode "$MODE" \
    --db "$WORK/vigie.db" --out "$WORK/scan.jsonl" --allow "$LAB_ALLOW" \
    --timeout 1000 --retries 1 >"$WORK/summary.txt" 2>"$WORK/scan.err" || {
	cat "$WORK/scan.err" >&2
	not_ok "scan exit status"
}
echo "  scan took $(($(date +%s) - start)) s"
J=$WORK/scan.jsonl

expect_set "open ports" "
198.51.100.10:22
198.51.100.10:80
198.51.100.10:443
198.51.100.10:3389
198.51.100.20:21
198.51.100.20:2222
198.51.100.20:6379" \
    "$(jq -r 'select(.type=="port" and .state=="open") | "\(.ip):\(.port)"' "$J")"

expect_set "services" "
198.51.100.10:22 ssh OpenSSH 9.2p1
198.51.100.10:80 http nginx 1.22.1
198.51.100.10:443 https nginx 1.22.1 tls
198.51.100.10:3389 rdp xrdp - tls
198.51.100.20:21 ftp vsFTPd 3.0.3
198.51.100.20:2222 ssh OpenSSH 9.2p1
198.51.100.20:6379 redis Redis 7.0.15" \
    "$(jq -r 'select(.type=="service") | "\(.ip):\(.port) \(.service) \(.product // "-") \(.version // "-")\(if .tls then " tls" else "" end)"' "$J")"

# Distribution builds whose package revision the banner hides (nginx
# "1.22.1", Redis 7.0.15) are outdated-software with confidence to-verify:
# a version alone never says vulnerable.
expect_eq "outdated-software from a Debian build is only to-verify" \
    "to-verify to-verify to-verify" \
    "$(jq -r 'select(.type=="finding" and .rule=="outdated-software") | .confidence' "$J" | sort | xargs)"
expect_set "findings" "
750000010 198.51.100.10:22 ssh-exposed
750000010 198.51.100.10:80 http-cleartext
750000010 198.51.100.10:443 tls-self-signed
750000010 198.51.100.10:3389 rdp-exposed
750000010 198.51.100.10:3389 rdp-no-nla
750000010 198.51.100.10:3389 rdp-standard-security
750000010 198.51.100.10:3389 tls-self-signed
750000010 198.51.100.10:80 outdated-software
750000010 198.51.100.10:443 outdated-software
750000020 198.51.100.20:6379 outdated-software
750000020 198.51.100.20:21 ftp-cleartext
750000020 198.51.100.20:21 ftp-anonymous
750000020 198.51.100.20:2222 ssh-exposed
750000020 198.51.100.20:6379 database-exposed
750000020 198.51.100.20:6379 redis-no-auth" \
    "$(jq -r 'select(.type=="finding") | "\(.establishment) \(.ip):\(.port) \(.rule)"' "$J")"

expect_set "hosts" "
198.51.100.10 up
198.51.100.20 up
203.0.113.30 silent
203.0.113.40 closed" \
    "$(jq -r 'select(.type=="host") | "\(.ip) \(.state)"' "$J")"

expect_eq "closed host: every port refused" 13 \
    "$(jq -r 'select(.type=="host" and .ip=="203.0.113.40") | .closed' "$J")"
expect_eq "silent host: every port filtered" 13 \
    "$(jq -r 'select(.type=="host" and .ip=="203.0.113.30") | .filtered' "$J")"
expect_eq "scan recorded complete" complete \
    "$(jq -r 'select(.type=="scan") | .status' "$J")"
expect_eq "every finding has a French title and remediation" 0 \
    "$(jq -r 'select(.type=="finding" and ((.title // "") == "" or (.remediation // "") == ""))' "$J" | wc -l)"
expect_eq "store agrees with the event stream" 15 \
    "$(sqlite3 "$WORK/vigie.db" 'SELECT count(*) FROM findings')"
grep -q "750000020  EHPAD Les Tilleuls" "$WORK/summary.txt" &&
    ok "summary table lists establishments" || not_ok "summary table"

# Reports from the database alone.
"$VIGIE" report --db "$WORK/vigie.db" --format html --out "$WORK/html" >/dev/null
"$VIGIE" report --db "$WORK/vigie.db" --format json --out "$WORK/json" >/dev/null
for id in 750000010 750000020 690000030 130000040; do
	[ -s "$WORK/html/$id.html" ] && [ -s "$WORK/json/$id.json" ] ||
	    not_ok "report files for $id"
done
[ -s "$WORK/html/index.html" ] && ok "HTML reports and index written" ||
    not_ok "index.html"
grep -q "rdp-exposed\|RDP" "$WORK/html/750000010.html" &&
    ok "CHU report mentions its RDP exposure" || not_ok "CHU report content"
expect_eq "JSON report of the EHPAD has its 6 findings" 6 \
    "$(jq '.findings | length' "$WORK/json/750000020.json")"

# A scan killed mid-way leaves a readable database, and --resume finishes
# it with nothing lost and nothing counted twice.
KILLED=(--registry "$REGISTRY" --ports 1-600 --mode "$MODE" --timeout 300
    --retries 0 --db "$WORK/killed.db" --out "$WORK/killed.jsonl"
    --allow "$LAB_ALLOW" --quiet)
"$LAB" exec "$VIGIE" scan "${KILLED[@]}" >/dev/null 2>&1 &
# lab.sh exec ends in exec, and so does ip netns exec: $! becomes vigie
# itself.  Only this pid is signalled, never a name other scans share.
pid=$!
sleep 3
# Meanwhile: the scanner runs without privileges (it started as root,
# opened what needed root, then dropped).
status=$(cat "/proc/$pid/status" 2>/dev/null || true)
expect_eq "privileges dropped: uid nobody" "65534 65534 65534 65534" \
    "$(echo "$status" | awk '/^Uid:/ { print $2, $3, $4, $5 }')"
expect_eq "privileges dropped: no capability left" 0000000000000000 \
    "$(echo "$status" | awk '/^CapEff:/ { print $2 }')"
expect_eq "privileges dropped: no new privileges" 1 \
    "$(echo "$status" | awk '/^NoNewPrivs:/ { print $2 }')"
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
expect_eq "killed scan: database passes integrity_check" ok \
    "$(sqlite3 "$WORK/killed.db" 'PRAGMA integrity_check')"
expect_eq "killed scan: recorded as running, not complete" running \
    "$(sqlite3 "$WORK/killed.db" 'SELECT status FROM scans')"
[ "$(sqlite3 "$WORK/killed.db" 'SELECT count(*) FROM ports')" -gt 0 ] &&
    ok "killed scan: what was found before the kill is kept" ||
    not_ok "killed scan kept no port"
set +e
vigie_lab scan "${KILLED[@]/1-600/1-700}" --resume >/dev/null 2>"$WORK/resume.err"
rc=$?
set -e
expect_eq "resume with other ports is refused" 1 "$rc"
grep -q "ports" "$WORK/resume.err" && ok "refusal names the option" ||
    not_ok "resume refusal: $(cat "$WORK/resume.err")"
vigie_lab scan "${KILLED[@]}" --resume >/dev/null 2>"$WORK/resume.err" ||
    not_ok "resume: $(cat "$WORK/resume.err")"
expect_eq "resumed scan complete" complete \
    "$(sqlite3 "$WORK/killed.db" 'SELECT status FROM scans')"
expect_eq "resumed scan: one scan in the store" 1 \
    "$(sqlite3 "$WORK/killed.db" 'SELECT count(*) FROM scans')"
expect_set "resumed scan: the open ports of an uninterrupted scan" "
198.51.100.10:22
198.51.100.10:80
198.51.100.10:443
198.51.100.20:21" \
    "$(sqlite3 "$WORK/killed.db" "SELECT ip||':'||port FROM ports WHERE state='open'")"
expect_eq "resumed scan: every open port probed" 4 \
    "$(sqlite3 "$WORK/killed.db" 'SELECT count(*) FROM services')"
# 600 ports on each of .10, .20 (open or refused) and .40 (refused);
# the silent .30 has no row.
expect_eq "resumed scan: every answered port recorded once" 1800 \
    "$(sqlite3 "$WORK/killed.db" 'SELECT count(*) FROM ports')"
expect_eq "resumed scan: no port event twice in the JSON lines" 0 \
    "$(jq -r 'select(.type=="port") | "\(.ip):\(.port)"' "$WORK/killed.jsonl" | sort | uniq -d | wc -l)"
expect_eq "resumed scan: no finding event twice" 0 \
    "$(jq -r 'select(.type=="finding") | "\(.establishment) \(.id)"' "$WORK/killed.jsonl" | sort | uniq -d | wc -l)"
expect_eq "resumed scan: JSON lines agree with the store" \
    "$(sqlite3 "$WORK/killed.db" 'SELECT count(*) FROM ports')" \
    "$(jq -r 'select(.type=="port")' "$WORK/killed.jsonl" | grep -c '"type"')"

finish
