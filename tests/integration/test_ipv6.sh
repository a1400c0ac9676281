#!/usr/bin/env bash
# test_ipv6 - IPv6 targets in both engines.  The lab's addresses are IPv4
# only (documentation ranges), so this scenario makes a namespace of its
# own, ${VIGIE_LAB_PREFIX}-v6, with nothing but its loopback, IPv6 turned
# on there alone, and a real server on [::1]: Python's http.server
# (Debian's python3, as nobody).  The scanner runs inside that namespace
# and scans ::1, which never leaves it.
# A SYN scan must find what a connect scan finds: 8080 open, 8081 closed,
# and the HTTP probe must name the server over IPv6.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE=${VIGIE_MODE:-connect}
echo "  engine: $MODE"
NS=${VIGIE_LAB_PREFIX}-v6

v6_cleanup() {
	if ip netns pids "$NS" >/dev/null 2>&1; then
		ip netns pids "$NS" | xargs -r kill 2>/dev/null || true
	fi
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$WORK"
}
trap v6_cleanup EXIT

ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" sysctl -q -w net.ipv6.conf.all.disable_ipv6=0 \
    net.ipv6.conf.lo.disable_ipv6=0 >/dev/null
if [ -n "$(ip -n "$NS" route show default)" ] ||
    [ -n "$(ip -n "$NS" -6 route show default)" ] ||
    [ "$(ip -n "$NS" -br link | wc -l)" -ne 1 ]; then
	echo "FAIL: $NS is not a closed namespace" >&2
	exit 1
fi
mkdir -p "$WORK/www"
chmod 755 "$WORK" "$WORK/www"
echo '<title>ipv6</title>' >"$WORK/www/index.html"
ip netns exec "$NS" setpriv --reuid=nobody --regid=nogroup --clear-groups \
    /usr/bin/python3 -m http.server 8080 --bind ::1 --directory "$WORK/www" \
    >"$WORK/http.log" 2>&1 &
for _ in $(seq 1 50); do
	ip netns exec "$NS" ss -Hltn | grep -q '\[::1\]:8080' && break
	sleep 0.1
done

ip netns exec "$NS" "$VIGIE" scan --mode "$MODE" --target ::1 \
    --ports 8080,8081 --allow ::1/128 --db "$WORK/v6.db" \
    --out "$WORK/v6.jsonl" --cooldown 500 --quiet 2>"$WORK/scan.err" || {
	cat "$WORK/scan.err" >&2
	not_ok "scan exit status"
}
J=$WORK/v6.jsonl

expect_set "ports" "
::1:8080 open
::1:8081 closed" \
    "$(jq -r 'select(.type=="port") | "\(.ip):\(.port) \(.state)"' "$J")"
expect_set "service" "::1:8080 http SimpleHTTP" \
    "$(jq -r 'select(.type=="service") | "\(.ip):\(.port) \(.service) \(.product // "-")"' "$J")"
expect_eq "host line" "::1 up 1 1" \
    "$(jq -r 'select(.type=="host") | "\(.ip) \(.state) \(.open) \(.closed)"' "$J")"
finish
