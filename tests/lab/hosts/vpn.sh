# vpn.sh - the lab's VPN gateways, sourced by lab.sh (see hosts/README).
#
#   ${P}-h8  198.51.100.80/24  an IPsec and OpenVPN gateway kept badly:
#            strongSwan's charon on UDP 500 and 4500 (IKEv2 and IKEv1, a
#            pre-shared key, aggressive mode answered, SHA-1 and MODP-1024
#            still accepted: conf/vpn-swanctl.conf.in), OpenVPN on UDP 1194
#            and TCP 1194 without tls-auth: it answers anyone's reset
#   ${P}-h9  198.51.100.90/24  an OpenVPN gateway kept well: tls-auth on
#            UDP 1194 and TCP 1194, tls-crypt on TCP 443; an unauthenticated
#            reset gets no answer at all (over TCP the server closes)
#
# OpenVPN runs in multi-client mode, which wants a tun device: each server
# creates its own inside its namespace and never configures it
# (ifconfig-noexec, route-noexec).  charon writes its pid to the fixed
# path /run/charon.pid, so it runs in a mount namespace of its own where
# /run is a private tmpfs (the lab's state directory is bound back in):
# labs side by side each have their charon.

# The inner `bash -c` scripts take their arguments as $0 and $1, in single
# quotes on purpose.
# shellcheck disable=SC2016

VPN_H8=198.51.100.80
VPN_H9=198.51.100.90
VPN_CHARON=/usr/lib/ipsec/charon

NAMESPACES+=("${P}-h8" "${P}-h9")
HOSTS+=(vpn)
LISTENERS+=(
	"charon-h8 ${P}-h8 $VPN_H8 500 udp"
	"charon-h8 ${P}-h8 $VPN_H8 4500 udp"
	"openvpn-udp-h8 ${P}-h8 $VPN_H8 1194 udp"
	"openvpn-tcp-h8 ${P}-h8 $VPN_H8 1194"
	"openvpn-udp-h9 ${P}-h9 $VPN_H9 1194 udp"
	"openvpn-tcp-h9 ${P}-h9 $VPN_H9 1194"
	"openvpn-tls-h9 ${P}-h9 $VPN_H9 443"
)

vpn_configure() {
	local d=$LAB_DIR/vpn t missing=""

	for t in "$VPN_CHARON:strongswan-charon" swanctl:strongswan-swanctl \
	    openvpn:openvpn; do
		command -v "${t%%:*}" >/dev/null 2>&1 ||
		    missing="$missing ${t%%:*} (${t#*:})"
	done
	[ -z "$missing" ] || die "missing programs:$missing; run scripts/install-deps"
	[ -c /dev/net/tun ] || die "no /dev/net/tun: OpenVPN's server mode needs the tun driver"

	mkdir -p "$d"/{h8/openvpn,h9/openvpn}

	# One self-signed ECDSA certificate serves every OpenVPN server (as
	# its own CA: a server never checks its own chain), and one static
	# key both tls-auth and tls-crypt on h9.
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -days 365 -sha256 -subj /CN=vpn.chu-demo.test \
	    -keyout "$d/key.pem" -out "$d/cert.pem" 2>/dev/null
	chmod 600 "$d/key.pem"
	openvpn --genkey secret "$d/static.key" >/dev/null
	chmod 600 "$d/static.key"

	render vpn-openvpn.conf.in "$d/h8/openvpn/udp.conf" PROTO=udp4 \
	    ADDR="$VPN_H8" PORT=1194 DIR="$d" EXTRA=
	render vpn-openvpn.conf.in "$d/h8/openvpn/tcp.conf" PROTO=tcp4-server \
	    ADDR="$VPN_H8" PORT=1194 DIR="$d" EXTRA=
	render vpn-openvpn.conf.in "$d/h9/openvpn/udp.conf" PROTO=udp4 \
	    ADDR="$VPN_H9" PORT=1194 DIR="$d" EXTRA="tls-auth $d/static.key 0"
	render vpn-openvpn.conf.in "$d/h9/openvpn/tcp.conf" PROTO=tcp4-server \
	    ADDR="$VPN_H9" PORT=1194 DIR="$d" EXTRA="tls-auth $d/static.key 0"
	render vpn-openvpn.conf.in "$d/h9/openvpn/tls.conf" PROTO=tcp4-server \
	    ADDR="$VPN_H9" PORT=443 DIR="$d" EXTRA="tls-crypt $d/static.key"

	render vpn-strongswan.conf.in "$d/h8/strongswan.conf" DIR="$d/h8" \
	    LOG="$LAB_DIR/log/charon-h8.log"
	render vpn-swanctl.conf.in "$d/h8/swanctl.conf" ADDR="$VPN_H8" \
	    ID=vpn.chu-demo.test PSK=lab-psk-not-a-secret
	chmod 600 "$d/h8/swanctl.conf"
}

vpn_topology() {
	plug "${P}-h8" p-h8 "$VPN_H8/24"
	plug "${P}-h9" p-h9 "$VPN_H9/24"
}

vpn_servers() {
	local d=$LAB_DIR/vpn i

	# charon: /run becomes a private tmpfs in its own mount namespace
	# (ip netns exec made one; its mounts do not propagate back), with
	# the lab's state directory bound back at its path through /mnt.
	start charon-h8 "${P}-h8" env STRONGSWAN_CONF="$d/h8/strongswan.conf" \
	    bash -c 'mount --bind "$0" /mnt &&
	    mount -t tmpfs -o size=1m,mode=755 vigie-lab-run /run &&
	    mkdir -p "$0" && mount --bind /mnt "$0" && umount /mnt &&
	    exec "$1"' \
	    "$LAB_DIR" "$VPN_CHARON"

	start openvpn-udp-h8 "${P}-h8" openvpn --config "$d/h8/openvpn/udp.conf"
	start openvpn-tcp-h8 "${P}-h8" openvpn --config "$d/h8/openvpn/tcp.conf"
	start openvpn-udp-h9 "${P}-h9" openvpn --config "$d/h9/openvpn/udp.conf"
	start openvpn-tcp-h9 "${P}-h9" openvpn --config "$d/h9/openvpn/tcp.conf"
	start openvpn-tls-h9 "${P}-h9" openvpn --config "$d/h9/openvpn/tls.conf"

	# The connections go in once charon's control socket is there, before
	# `up` reports the lab ready: without them charon answers every
	# proposal with NO_PROPOSAL_CHOSEN.
	for ((i = 0; i < START_TIMEOUT * 20; i++)); do
		[ -S "$d/h8/charon.vici" ] && break
		alive "$(cat "$LAB_DIR/pid/charon-h8.pid")" ||
		    service_failed charon-h8 "exited before opening its socket" ||
		    return 1
		sleep 0.05
	done
	STRONGSWAN_CONF=$d/h8/strongswan.conf ip netns exec "${P}-h8" \
	    timeout "$START_TIMEOUT" swanctl --load-all --noprompt \
	    --file "$d/h8/swanctl.conf" --uri "unix://$d/h8/charon.vici" \
	    >>"$LAB_DIR/log/charon-h8.log" 2>&1 ||
	    service_failed charon-h8 "did not take the lab's connections" ||
	    return 1
}

vpn_check() {
	local out
	# An IKEv1 Main Mode opening (RFC 2409), one datagram: one AES-128,
	# SHA-1, PSK, MODP-1024 transform; charon answers with its SA payload.
	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/udp/$0/500" &&
	    p="labcheck\0\0\0\0\0\0\0\0\x01\x10\x02\0\0\0\0\0\0\0\0\x4c" &&
	    p="$p\0\0\0\x30\0\0\0\x01\0\0\0\x01\0\0\0\x24\x01\x01\0\x01" &&
	    p="$p\0\0\0\x1c\x01\x01\0\0\x80\x01\0\x07\x80\x0e\0\x80" &&
	    p="$p\x80\x02\0\x02\x80\x03\0\x01\x80\x04\0\x02" &&
	    printf "$p" >&3 &&
	    head -c 19 <&3' "$VPN_H8" 2>/dev/null | od -An -tx1 | tr -s ' \n' ' ' || true)
	case $out in
	" 6c 61 62 63 68 65 63 6b "*" 01 10 02 ") ok "$VPN_H8:500 ike: IKEv1 main mode answered" ;;
	*) bad "$VPN_H8:500 ike: '$out'" ;;
	esac

	# An OpenVPN P_CONTROL_HARD_RESET_CLIENT_V2: h8 answers with the
	# server's reset (opcode 8, key 0: 0x40), h9 (tls-auth) with nothing.
	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/udp/$0/1194" &&
	    printf "\x38labcheck\0\0\0\0\0" >&3 && head -c 1 <&3' "$VPN_H8" \
	    2>/dev/null | od -An -tx1 | tr -d ' \n' || true)
	if [ "$out" = 40 ]; then
		ok "$VPN_H8:1194/udp openvpn: hard reset answered"
	else
		bad "$VPN_H8:1194/udp openvpn: '$out'"
	fi
	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/1194" &&
	    printf "\0\x0e\x38labcheck\0\0\0\0\0" >&3 && head -c 3 <&3' "$VPN_H8" \
	    2>/dev/null | od -An -tx1 | tr -s ' \n' ' ' || true)
	case $out in
	" 00 "??" 40 ") ok "$VPN_H8:1194/tcp openvpn: hard reset answered" ;;
	*) bad "$VPN_H8:1194/tcp openvpn: '$out'" ;;
	esac
	out=$(in_scan timeout 2 bash -c 'exec 3<>"/dev/udp/$0/1194" &&
	    printf "\x38labcheck\0\0\0\0\0" >&3 && head -c 1 <&3' "$VPN_H9" \
	    2>/dev/null | od -An -tx1 | tr -d ' \n' || true)
	if [ -z "$out" ]; then
		ok "$VPN_H9:1194/udp openvpn (tls-auth): no answer to a bare reset"
	else
		bad "$VPN_H9:1194/udp openvpn (tls-auth): answered '$out'"
	fi
	for port in 1194:tls-auth 443:tls-crypt; do
		out=$(in_scan timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1" &&
		    printf "\0\x0e\x38labcheck\0\0\0\0\0" >&3 && head -c 1 <&3' \
		    "$VPN_H9" "${port%%:*}" 2>/dev/null | od -An -tx1 | tr -d ' \n' || true)
		if [ -z "$out" ]; then
			ok "$VPN_H9:${port%%:*}/tcp openvpn (${port#*:}): no answer to a bare reset"
		else
			bad "$VPN_H9:${port%%:*}/tcp openvpn (${port#*:}): answered '$out'"
		fi
	done
}
