#!/usr/bin/env bash
# test_politeness - the per-host cap holds on the wire: a capture in the
# target's own namespace counts the SYNs it receives in every one-second
# window of the scan.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE=${VIGIE_MODE:-connect}
CAP=20		# probes per second to one address
echo "  engine: $MODE, cap $CAP/s per host"
lab_up
ns_h1=${VIGIE_LAB_PREFIX}-h1

ip netns exec "$ns_h1" tcpdump -i eth0 -nn -tt -w "$WORK/h1.pcap" \
    'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn' >/dev/null 2>&1 &
dump=$!
sleep 1
vigie_lab scan --target 198.51.100.10 --ports 1000-1119 --mode "$MODE" \
    --rate 100000 --max-rate-per-host "$CAP" --db "$WORK/p.db" \
    --allow "$LAB_ALLOW" --quiet 2>"$WORK/scan.err" ||
    not_ok "scan: $(cat "$WORK/scan.err")"
sleep 1
kill "$dump"
wait "$dump" 2>/dev/null || true

tcpdump -nn -tt -r "$WORK/h1.pcap" 2>/dev/null | awk '{print $1}' \
    >"$WORK/times"
expect_eq "every probe reached the host once" 120 "$(wc -l <"$WORK/times")"
# The busiest one-second window, sliding over every packet.
max=$(awk '{ t[NR] = $1 } END {
	best = 0; j = 1
	for (i = 1; i <= NR; i++) {
		while (t[i] - t[j] >= 1.0) j++
		if (i - j + 1 > best) best = i - j + 1
	}
	print best }' "$WORK/times")
echo "  busiest second: $max SYNs (cap $CAP)"
[ "$max" -le $((CAP + CAP / 10 + 1)) ] &&
    ok "per-host cap held within 10% in every second" ||
    not_ok "per-host cap: $max SYNs in one second"
span=$(awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%d", b - a }' \
    "$WORK/times")
[ "$span" -ge 4 ] && ok "the scan was spread over ${span}s, not bursted" ||
    not_ok "span ${span}s"

finish
