# lib.sh - the SYN throughput lab for bench/syn: two network namespaces
# joined by one veth pair, a target that answers for a whole /16, counters,
# and the parsers that turn a scanner's output into a found set.  Sourced,
# not run.  Needs root.
#
# Topology (nothing of it lives in the root namespace; no default route):
#
#   vb-scan   vbs0 198.18.0.2/24 ---- veth ---- vbt0 198.18.0.1/24   vb-target
#             route 198.19.0.0/16 via 198.18.0.1        local 198.19.0.0/16 dev lo
#
# Every address is in 198.18.0.0/15, the benchmarking range (RFC 2544).
# The link is 198.18.0.0/24; the targets are 198.19.0.0/16, which the
# target namespace takes as its own with the AnyIP trick, so one listener on
# 0.0.0.0 answers SYN-ACK for every address of it, and every other port
# answers RST.  The scanners only ever probe inside 198.19.0.0/16
# (bench_check_range refuses anything else), except the --rss check, which
# scans 198.18.0.0/15 on purpose (see bench/README.md).
# shellcheck shell=bash

BENCH_NET=198.18.0.0/15
SCAN_NS=vb-scan
TGT_NS=vb-target
SCAN_IF=vbs0
TGT_IF=vbt0
SCAN_IP=198.18.0.2
TGT_IP=198.18.0.1
LINK_PREFIX=24
TARGET_NET=198.19.0.0/16
# Fixed MACs (locally administered), so the scanners' --router-mac and the
# static neighbour entries never need ARP.
SCAN_MAC=02:76:62:00:00:02
TGT_MAC=02:76:62:00:00:01

BENCH_LISTENER_PID=

bench_die() {
	printf 'bench: %s\n' "$*" >&2
	exit 1
}

bench_note() {
	printf 'bench: %s\n' "$*" >&2
}

# ip2int A.B.C.D
ip2int() {
	local a b c d
	IFS=. read -r a b c d <<<"$1"
	echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

# cidr_inside INNER OUTER: true when the CIDR INNER lies inside OUTER.
cidr_inside() {
	local in_ip=${1%/*} in_len=${1#*/} out_ip=${2%/*} out_len=${2#*/}
	[[ $1 == */* ]] || in_len=32
	[[ $in_ip =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || return 1
	[[ $in_len =~ ^[0-9]+$ ]] && [ "$in_len" -le 32 ] || return 1
	[ "$in_len" -ge "$out_len" ] || return 1
	local mask=$(((0xffffffff << (32 - out_len)) & 0xffffffff))
	[ $(($(ip2int "$in_ip") & mask)) -eq $(($(ip2int "$out_ip") & mask)) ]
}

# bench_check_range CIDR [OUTER]: refuse any range outside the lab's targets.
bench_check_range() {
	local outer=${2:-$TARGET_NET}
	cidr_inside "$1" "$BENCH_NET" ||
		bench_die "range $1 is outside $BENCH_NET: refused"
	cidr_inside "$1" "$outer" ||
		bench_die "range $1 is outside the lab's targets $outer: refused"
}

# cidr_size CIDR: the number of addresses.
cidr_size() {
	echo $((1 << (32 - ${1#*/})))
}

in_scan() {
	ip netns exec "$SCAN_NS" "$@"
}

in_target() {
	ip netns exec "$TGT_NS" "$@"
}

bench_lab_down() {
	if [ -n "$BENCH_LISTENER_PID" ]; then
		kill "$BENCH_LISTENER_PID" 2>/dev/null || true
		wait "$BENCH_LISTENER_PID" 2>/dev/null || true
		BENCH_LISTENER_PID=
	fi
	local ns
	for ns in "$SCAN_NS" "$TGT_NS"; do
		if ip netns list | grep -qw "^$ns"; then
			ip netns delete "$ns" 2>/dev/null || true
		fi
	done
}

# bench_lab_up LISTEN_PORTS...: build the two namespaces and start the
# listener on the given ports.
bench_lab_up() {
	local ns
	for ns in "$SCAN_NS" "$TGT_NS"; do
		if ip netns list | grep -qw "^$ns"; then
			bench_note "namespace $ns left by an earlier run: deleting it"
			ip netns delete "$ns"
		fi
	done
	ip netns add "$SCAN_NS"
	ip netns add "$TGT_NS"
	# Both ends are created inside the namespaces: no end ever exists in
	# the root namespace.
	ip -n "$SCAN_NS" link add "$SCAN_IF" address "$SCAN_MAC" type veth \
		peer name "$TGT_IF" address "$TGT_MAC" netns "$TGT_NS"
	# No IPv6 on the lab link: nothing but the scan crosses it.
	in_scan sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	in_scan sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	in_target sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	in_target sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip -n "$SCAN_NS" link set lo up
	ip -n "$TGT_NS" link set lo up
	ip -n "$SCAN_NS" addr add "$SCAN_IP/$LINK_PREFIX" dev "$SCAN_IF"
	ip -n "$TGT_NS" addr add "$TGT_IP/$LINK_PREFIX" dev "$TGT_IF"
	ip -n "$SCAN_NS" link set "$SCAN_IF" up
	ip -n "$TGT_NS" link set "$TGT_IF" up
	ip -n "$SCAN_NS" neigh replace "$TGT_IP" lladdr "$TGT_MAC" \
		dev "$SCAN_IF" nud permanent
	ip -n "$TGT_NS" neigh replace "$SCAN_IP" lladdr "$SCAN_MAC" \
		dev "$TGT_IF" nud permanent
	ip -n "$SCAN_NS" route add "$TARGET_NET" via "$TGT_IP" dev "$SCAN_IF"
	# AnyIP: the target namespace owns every address of TARGET_NET.
	ip -n "$TGT_NS" route add local "$TARGET_NET" dev lo
	# The target answers every SYN to a listening port with a SYN-ACK,
	# whatever its SYN queue holds (SYN cookies always), and keeps no
	# state: the truth does not depend on load.
	in_target sysctl -qw net.ipv4.tcp_syncookies=2
	in_target sysctl -qw net.core.somaxconn=65535
	in_target sysctl -qw net.ipv4.tcp_max_syn_backlog=65535
	# A sanity check of the isolation: no default route anywhere.
	for ns in "$SCAN_NS" "$TGT_NS"; do
		if [ -n "$(ip -n "$ns" route show default)" ]; then
			bench_die "$ns has a default route"
		fi
	done

	ip netns exec "$TGT_NS" python3 - "$@" <<'EOF' &
import signal, socket, sys
socks = []
for p in sys.argv[1:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(p)))
    s.listen(65535)
    socks.append(s)
signal.pause()
EOF
	BENCH_LISTENER_PID=$!
	# Wait until the listener answers, from the scanner's kernel.
	local _ port1=$1 probe_ip
	probe_ip=$(int2ip $(($(ip2int "${TARGET_NET%/*}") + 7)))
	for _ in $(seq 50); do
		if in_scan python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1)
' "$probe_ip" "$port1" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	bench_die "the listener in $TGT_NS does not answer on $probe_ip:$port1"
}

int2ip() {
	local n=$1
	echo "$(((n >> 24) & 255)).$(((n >> 16) & 255)).$(((n >> 8) & 255)).$((n & 255))"
}

# bench_offloads on|off: on = a veth's defaults, TCP and generic
# segmentation offloads on (GRO stays off, as it comes: on, it would switch
# veth to its NAPI receive path); off = TSO, GSO and GRO off.  libpcap
# sizes its capture ring's frames for 64 KiB packets as soon as one of them
# is on, which leaves a tool that keeps the default 2 MB buffer ~32 frames.
bench_offloads() {
	local v=$1 ns dev
	for ns in "$SCAN_NS:$SCAN_IF" "$TGT_NS:$TGT_IF"; do
		dev=${ns#*:}
		ns=${ns%:*}
		ip netns exec "$ns" ethtool -K "$dev" tso "$v" gso "$v" gro off ||
			bench_die "ethtool -K $dev failed in $ns"
	done
}

# bench_offload_state: one line, what ethtool -k says on the scanner's end.
bench_offload_state() {
	in_scan ethtool -k "$SCAN_IF" 2>/dev/null |
		awk -F': ' '/^(tcp-segmentation-offload|generic-segmentation-offload|generic-receive-offload):/ {
			printf "%s%s=%s", sep, $1, $2; sep=" " }'
}

# bench_counters: "scan_tx scan_tx_drop tgt_tx tgt_tx_drop" of the veth ends.
bench_counters() {
	local a b c d
	a=$(in_scan cat /sys/class/net/$SCAN_IF/statistics/tx_packets)
	b=$(in_scan cat /sys/class/net/$SCAN_IF/statistics/tx_dropped)
	c=$(in_target cat /sys/class/net/$TGT_IF/statistics/tx_packets)
	d=$(in_target cat /sys/class/net/$TGT_IF/statistics/tx_dropped)
	echo "$a $b $c $d"
}

# bench_sampler_start FILE: sample the scanner end's tx_packets every 2 ms,
# from inside the scanner namespace, until killed; writes "time count" lines
# at each change.  Sets BENCH_SAMPLER_PID.
bench_sampler_start() {
	ip netns exec "$SCAN_NS" python3 - "/sys/class/net/$SCAN_IF/statistics/tx_packets" \
		"$1" <<'EOF' &
import signal, sys, time
path, out = sys.argv[1], sys.argv[2]
rows = []
stop = False
def on_term(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
last = None
with open(path) as f:
    first = True
    while not stop:
        f.seek(0)
        v = int(f.read())
        if v != last:
            rows.append((time.monotonic(), v))
            last = v
        if first:
            open(out + ".ready", "w").close()
            first = False
        time.sleep(0.002)
with open(out, "w") as o:
    for t, v in rows:
        o.write("%.6f %d\n" % (t, v))
EOF
	BENCH_SAMPLER_PID=$!
	local _
	for _ in $(seq 500); do
		[ -e "$1.ready" ] && return 0
		sleep 0.01
	done
	bench_die "the send-time sampler did not start"
}

bench_sampler_stop() {
	kill -TERM "$BENCH_SAMPLER_PID" 2>/dev/null || true
	wait "$BENCH_SAMPLER_PID" 2>/dev/null || true
}

# send_seconds SAMPLES: how long the sender took: from the first sample
# past the baseline to the last change of the counter.  The counter also
# counts the scanner kernel's RSTs to the targets' SYN-ACKs, which trail the
# last probe by a round trip; nothing else is sent (static neighbours).
send_seconds() {
	awk 'NR == 1 { next }
		NR == 2 { t0 = $1 }
		{ last = $1 }
		END {
			if (t0 == "") { print 0; exit }
			printf "%.3f\n", last - t0 + 0.002
		}' "$1"
}

# time_field FILE KEY: a value from /usr/bin/time -v's report.
time_field() {
	local v
	v=$(grep -F "$2" "$1" | tail -1 | sed 's/.*: //')
	case $2 in
	Elapsed*)
		# h:mm:ss or m:ss.cc
		echo "$v" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f\n", s }'
		;;
	Percent*) echo "${v%\%}" ;;
	*) echo "$v" ;;
	esac
}

# truth_set CIDR PORTS(comma) LISTEN(space): "ip port" lines that are open.
truth_set() {
	python3 - "$1" "$2" "$3" <<'EOF'
import ipaddress, sys
net = ipaddress.ip_network(sys.argv[1])
scanned = {int(p) for p in sys.argv[2].split(",")}
listen = {int(p) for p in sys.argv[3].split()}
open_ = sorted(scanned & listen)
for a in net:
    for p in open_:
        print(a, p)
EOF
}

# found_set TOOL FILE...: "ip port" lines that a scanner's output says open.
found_set() {
	local tool=$1
	shift
	case $tool in
	masscan)
		# -oL: "open tcp 80 198.19.0.5 1690000000"
		awk '$1 == "open" && $2 == "tcp" { print $4, $3 }' "$@"
		;;
	zmap)
		# csv: saddr,sport,classification,success
		awk -F, '$4 == "1" && $3 == "synack" { print $1, $2 }' "$@"
		;;
	vigie)
		# JSON lines: {"type":"port","ip":...,"port":...,"state":"open"}
		jq -r 'select(.type == "port" and .state == "open")
			| "\(.ip) \(.port)"' "$@" 2>/dev/null
		;;
	esac | sort -u
}
