# hardened.sh - the lab's hardened host and its tarpit (sourced by
# tests/lab/lab.sh).
#
#   ${P}-h13  198.51.100.130/24  the hardened twin of h2, h5 and h7: what
#             an establishment that must keep these services reachable
#             should run.
#             21    vsftpd, no anonymous login (named accounts only)
#             445   Samba, SMB 2.1 and later only, signing required, no
#                   guest, no NetBIOS session service on 139
#             5900  TigerVNC with a VNC password (-SecurityTypes VncAuth)
#   ${P}-tp   198.51.100.135/24  a tarpit, as an ACKing firewall or a
#             port-spoofing decoy looks from outside: iptables REDIRECTs
#             every TCP port to one sshd, so every port answers with the
#             same SSH banner.  The scanner's honeypot guard must mark it
#             suspect (fingerprints/host.c).

H13=198.51.100.130
TARPIT=198.51.100.135

NAMESPACES+=(${P}-h13 ${P}-tp)
LISTENERS+=(
	"vsftpd-h13 ${P}-h13 $H13 21"
	"smbd-h13 ${P}-h13 $H13 445"
	"vnc-h13 ${P}-h13 $H13 5900"
	"sshd-tp ${P}-tp $TARPIT 22"
)
HOSTS+=(hardened)

hardened_configure() {
	local d=$LAB_DIR/h13

	mkdir -p "$d"/{ftp/empty,vnc} \
	    "$d"/samba/{lock,state,cache,private,ncalrpc,bind-dns,share} \
	    "$LAB_DIR"/tp/ssh
	chmod 700 "$d/samba/private"
	# vsftpd wants its secure_chroot_dir owned by root, not writable.
	chmod 555 "$d/ftp/empty"

	render hardened-vsftpd.conf.in "$d/ftp/vsftpd.conf" ADDR="$H13" \
	    DIR="$d/ftp" LOG="$LAB_DIR/log/vsftpd-h13.log"
	render hardened-smb.conf.in "$d/samba/smb.conf" ADDR="$H13" \
	    DIR="$d/samba" LOG="$LAB_DIR/log/smbd-h13.log"
	printf 'Durci-2026\n' | vncpasswd -f >"$d/vnc/passwd"
	chmod 600 "$d/vnc/passwd"

	# The tarpit's sshd: one host key is enough to send a banner.
	ssh-keygen -q -t ed25519 -N '' -C '' \
	    -f "$LAB_DIR/tp/ssh/ssh_host_ed25519_key"
	render sshd_config.in "$LAB_DIR/tp/ssh/sshd_config" ADDR="$TARPIT" \
	    PORT=22 DIR="$LAB_DIR/tp/ssh" PASSWORD_AUTH=no
	sed -i '/ssh_host_\(ecdsa\|rsa\)_key/d' "$LAB_DIR/tp/ssh/sshd_config"
}

hardened_topology() {
	plug ${P}-h13 p-h13 "$H13/24"
	plug ${P}-tp p-tp "$TARPIT/24"
	# Every TCP port of the tarpit leads to its sshd: the kernel answers
	# the SYN of any port and hands the connection to port 22.
	ip netns exec ${P}-tp iptables -w -t nat -A PREROUTING -p tcp \
	    -j REDIRECT --to-ports 22
	ip netns exec ${P}-tp iptables -w -t nat -S PREROUTING |
	    grep -q -- '-j REDIRECT --to-ports 22' ||
	    die "${P}-tp: the REDIRECT rule did not take"
}

hardened_servers() {
	local d=$LAB_DIR/h13
	start vsftpd-h13 ${P}-h13 vsftpd "$d/ftp/vsftpd.conf"
	start smbd-h13 ${P}-h13 smbd -F --no-process-group \
	    -s "$d/samba/smb.conf"
	# As on h7: -nolock and no listening X11 socket, so that displays of
	# labs side by side never collide.
	start vnc-h13 ${P}-h13 Xtigervnc :0 -nolock -nolisten tcp \
	    -nolisten unix -rfbport 5900 -interface "$H13" -localhost=0 \
	    -SecurityTypes VncAuth -PasswordFile="$d/vnc/passwd" \
	    -geometry 800x600 -depth 16 -desktop 'Poste durci'
	start sshd-tp ${P}-tp /usr/sbin/sshd -D \
	    -f "$LAB_DIR/tp/ssh/sshd_config" -E "$LAB_DIR/log/sshd-tp.log"
}

hardened_check() {
	local out port
	out=$(in_scan timeout 8 bash -c 'exec 3<>"/dev/tcp/$0/21" &&
	    read -r l <&3 && printf "USER anonymous\r\n" >&3 && read -r l <&3 &&
	    printf "PASS vigie@\r\n" >&3 && read -r l <&3 &&
	    printf "QUIT\r\n" >&3 && echo "$l"' "$H13" 2>/dev/null |
	    tr -d '\r' || true)
	case $out in
	530*) ok "$H13:21 ftp: anonymous login refused: $out" ;;
	*) bad "$H13:21 ftp: anonymous login: '$out'" ;;
	esac
	out=$(first_line "$H13" 5900)
	case $out in "RFB 003.008") ok "$H13:5900 vnc: $out" ;;
	*) bad "$H13:5900 vnc: '$out'" ;; esac
	# An SMB1 NEGOTIATE offering "NT LM 0.12" alone: Samba answers an SMB1
	# response whose DialectIndex (after the 4-byte NetBIOS header, the
	# 32-byte SMB header and the word count) is 0xffff, no dialect.
	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/445" &&
	    printf "\x00\x00\x00\x2f\xffSMB\x72\x00\x00\x00\x00\x18\x01\xc0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xfe\x00\x00\x00\x00\x00\x0c\x00\x02NT LM 0.12\x00" >&3 &&
	    head -c 39 <&3' "$H13" 2>/dev/null | od -An -tx1 -v | tr -d ' \n' || true)
	case ${out:8:10}/${out:74:4} in
	ff534d4272/ffff) ok "$H13:445 smb: SMB1 refused (no dialect)" ;;
	*) bad "$H13:445 smb: SMB1 negotiate answered '$out'" ;;
	esac
	for port in 22 23 8081 40000; do
		out=$(first_line "$TARPIT" "$port")
		case $out in SSH-2.0-*) ;;
		*) bad "$TARPIT:$port tarpit: '$out'"; return ;; esac
	done
	ok "$TARPIT: the same SSH banner on every port"
}
