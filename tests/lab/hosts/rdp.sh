# rdp.sh - the lab's RDP host, Network Level Authentication enforced on
# its main port, and the other security settings the RDP probe tells
# apart (sourced by tests/lab/lab.sh).
#
#   ${P}-h14  198.51.100.140/24  remote-consultation server of the GHT de
#             Démo, host name teleconsult.ght-demo.test:
#             3389  FreeRDP's shadow server with NLA enforced (/sec:nla):
#                   a client offering Standard RDP Security or TLS alone
#                   gets HYBRID_REQUIRED_BY_SERVER.  The hardened setting.
#             3390  xrdp with security_layer=tls: TLS without CredSSP,
#                   Standard RDP Security refused (SSL_REQUIRED_BY_SERVER);
#                   a self-signed certificate naming an internal host,
#                   srv-dpi-02.chu-demo.local.
#             3391  FreeRDP, TLS or CredSSP (-sec-rdp): CredSSP chosen
#                   when offered, yet TLS alone accepted, so NLA is not
#                   enforced (Windows' "SSL" security layer without NLA).
#             3392  FreeRDP, Standard RDP Security only (/sec:rdp).
#             443   the 3391 server again, behind a port-forward: h14's
#                   iptables redirects (nat PREROUTING, REDIRECT) TCP 443
#                   to 3391, as a hospital's firewall forwards RDP on the
#                   HTTPS port.  No listener of its own: the self-check
#                   asks it the 3391 questions.
#
# The shadow servers share one X display of TigerVNC's (:0), which has no
# TCP, no file socket and no VNC port, only the abstract socket of h14's
# network namespace, so labs side by side never collide.  Each runs in a
# UTS namespace of its own whose host name is the one above: their NTLM
# CHALLENGE names the host from it, and the machine's own name never
# shows.  Their NTLM accounts come from a SAM file whose one account is
# never used: no client ever logs in.  Their certificate is issued by the
# lab's own authority ($LAB_DIR/h14/ca.pem), which a scenario may trust
# (SSL_CERT_FILE) to stand for a recognised one.  iptables counts the
# SYNs each port receives (tests/integration/test_rdp.sh reads them), in
# the mangle table's PREROUTING, before the redirect: a SYN to 443 counts
# for 443, never for 3391.

H14=198.51.100.140
RDP_HOSTNAME=teleconsult.ght-demo.test

NAMESPACES+=(${P}-h14)
LISTENERS+=(
	"rdp-nla-h14 ${P}-h14 $H14 3389"
	"xrdp-h14 ${P}-h14 $H14 3390"
	"rdp-tls-h14 ${P}-h14 $H14 3391"
	"rdp-std-h14 ${P}-h14 $H14 3392"
)
HOSTS+=(rdp)

rdp_topology() {
	local port
	plug ${P}-h14 p-h14 "$H14/24"
	# One counting rule (no target) per RDP port: the SYNs it got, for
	# the scenario that checks how many connections a scan opens.  They
	# come before the nat table, so they see the port asked for.
	for port in 443 3389 3390 3391 3392; do
		ip netns exec ${P}-h14 iptables -w -t mangle -A PREROUTING \
		    -p tcp --syn -d "$H14" --dport "$port"
	done
	# The firewall's port-forward: RDP on the HTTPS port.
	ip netns exec ${P}-h14 iptables -w -t nat -A PREROUTING -p tcp \
	    -d "$H14" --dport 443 -j REDIRECT --to-ports 3391
}

rdp_configure() {
	local d=$LAB_DIR/h14

	mkdir -p "$d"/{ca,xrdp,config/freerdp/shadow,home}
	# The lab's authority and the shadow server's certificate.
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -days 365 -sha256 -subj '/O=GHT de Demo/CN=AC GHT de Demo' \
	    -keyout "$d/ca/key.pem" -out "$d/ca.pem" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=$RDP_HOSTNAME" \
	    -keyout "$d/config/freerdp/shadow/shadow.key" \
	    -out "$d/ca/req.pem" 2>/dev/null
	openssl x509 -req -in "$d/ca/req.pem" -CA "$d/ca.pem" \
	    -CAkey "$d/ca/key.pem" -CAcreateserial -days 365 -sha256 \
	    -extfile <(printf 'subjectAltName=DNS:%s\n' "$RDP_HOSTNAME") \
	    -out "$d/config/freerdp/shadow/shadow.crt" 2>/dev/null
	chmod 600 "$d/ca/key.pem" "$d/config/freerdp/shadow/shadow.key"

	# NTLM's SAM file: user:domain:LM hash:NT hash.  The NT hash is the
	# well-known one of "password"; no client ever logs in.
	printf 'soignant:::8846f7eaee8fb117ad06bdd830b7586c:::\n' >"$d/sam"
	chmod 600 "$d/sam"

	openssl req -x509 -newkey rsa:2048 -nodes -days 365 -sha256 \
	    -subj /CN=srv-dpi-02.chu-demo.local \
	    -keyout "$d/xrdp/key.pem" -out "$d/xrdp/cert.pem" 2>/dev/null
	chmod 600 "$d/xrdp/key.pem"
	render rdp-xrdp.ini.in "$d/xrdp/xrdp.ini" ADDR="$H14" DIR="$d/xrdp" \
	    LOG="$LAB_DIR/log/xrdp-h14.log"
}

rdp_servers() {
	local d=$LAB_DIR/h14

	start display-h14 ${P}-h14 Xtigervnc :0 -nolock -nolisten tcp \
	    -nolisten unix -rfbport -1 -SecurityTypes None \
	    -geometry 800x600 -depth 24 -desktop Teleconsultation
	rdp_shadow rdp-nla-h14 3389 /sec:nla
	rdp_shadow rdp-tls-h14 3391 -sec-rdp +sec-tls +sec-nla
	rdp_shadow rdp-std-h14 3392 /sec:rdp
	start xrdp-h14 ${P}-h14 xrdp -n -c "$LAB_DIR/h14/xrdp/xrdp.ini"
}

# rdp_shadow NAME PORT SECURITY... starts a shadow server on h14's
# display.  It wants the display up: it waits for its abstract socket
# (10 s at most) in its own UTS namespace, then becomes the server.
rdp_shadow() {
	local name=$1 port=$2
	shift 2
	start "$name" ${P}-h14 unshare --uts bash -c 'hostname "$0" &&
	    for i in $(seq 200); do
		ss -Hxl | grep -q "@/tmp/.X11-unix/X0 " && break
		sleep 0.05
	    done &&
	    HOME="$1/home" XDG_CONFIG_HOME="$1/config" DISPLAY=:0 \
	    exec freerdp-shadow-cli /bind-address:"$2" /port:"$3" \
	    /sam-file:"$1/sam" "${@:4}"' \
	    "$RDP_HOSTNAME" "$LAB_DIR/h14" "$H14" "$port" "$@"
}

# rdp_answer PORT OFFER prints, in hex, the negotiation block of h14's
# Connection Confirm to an offer (a requestedProtocols byte, in hex).
rdp_answer() {
	in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" &&
	    printf "\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00\x01\x00\x08\x00\x$2\x00\x00\x00" >&3 &&
	    head -c 19 <&3' "$H14" "$1" "$2" 2>/dev/null |
	    od -An -tx1 -j 11 | tr -s ' \n' ' ' || true
}

rdp_check() {
	local want port offer out
	# port, offer, the answer's type, flags, length and value.
	for want in "3389 00 03 00 08 00 05 00 00 00" \
	    "3389 0b 02 03 08 00 02 00 00 00" \
	    "3390 00 03 00 08 00 01 00 00 00" \
	    "3390 0b 02 01 08 00 01 00 00 00" \
	    "3391 01 02 03 08 00 01 00 00 00" \
	    "3391 0b 02 03 08 00 02 00 00 00" \
	    "443 01 02 03 08 00 01 00 00 00" \
	    "443 0b 02 03 08 00 02 00 00 00" \
	    "3392 0b 03 00 08 00 02 00 00 00"; do
		read -r port offer want <<<"$want"
		out=$(rdp_answer "$port" "$offer")
		if [ "$out" = " $want " ]; then
			ok "$H14:$port rdp: offer 0x$offer answered$out"
		else
			bad "$H14:$port rdp: offer 0x$offer: '$out'"
		fi
	done
}
