#!/usr/bin/env bash
# lab.sh - the Vigie lab: real Debian servers in network namespaces, for the
# demo and the integration tests.
#
#   lab.sh up          build the topology, start the servers, wait for them
#   lab.sh down        stop the servers, delete the namespaces and the state
#   lab.sh exec CMD... run CMD in the scanner's namespace (vg-scan)
#   lab.sh status      namespaces, addresses and listening sockets
#   lab.sh check       probe every service from vg-scan and say what answers
#
# Topology.  Every namespace is joined to a bridge br0 in the namespace
# vg-net by a veth pair; nothing of the lab exists in the root namespace, no
# namespace has a default route, and every address is documentation space
# (198.51.100.0/24, 203.0.113.0/24), so no packet can leave the lab.
#
#   vg-scan  198.51.100.2/24 203.0.113.2/24   the scanner
#   vg-h1    198.51.100.10/24   CHU de Démo: ssh 22, http 80, https 443
#                               (self-signed), rdp 3389
#   vg-h2    198.51.100.20/24   EHPAD Les Tilleuls: ftp 21 (anonymous),
#                               redis 6379 (no auth), ssh 2222
#   vg-h3    203.0.113.30/24    silent: its firewall drops every packet
#   vg-h4    203.0.113.40/24    closed: no listener, every port answers RST
#   vg-h5    198.51.100.50/24   legacy server: smb 445 and 139 (Samba, SMB1
#                               accepted, signing not required), telnet 23
#                               (inetutils telnetd under inetd), smtp 25
#                               (exim4, no TLS) and submission 587 (the
#                               same exim4, STARTTLS with a self-signed
#                               certificate, AUTH offered only over TLS)
#   vg-h6    198.51.100.60/24   file and database server: smb 445 and 139
#                               (Samba, SMB2 and later only, signing
#                               required), mysql 3306 (MariaDB), pgsql 5432
#                               (PostgreSQL, no TCP client allowed, no TLS)
#   vg-h7    198.51.100.70/24   radiology workstation: vnc 5900 (no
#                               password), vnc 5901 (VNC password)
#   (h5 to h7 are in no establishment of demo-registry.csv: the probe
#   scenario, tests/integration/test_probes.sh, scans them by address.)
#   vg-dns   198.51.100.53/24   dnsmasq: portail.ehpad-tilleuls.test and
#                               www.chu-demo.test
#
# More hosts live in hosts/*.sh, each described at its top:
#   hosts/vpn.sh       h8 198.51.100.80, h9 .90   strongSwan IKE, OpenVPN
#                                                 with and without tls-auth
#   hosts/health.sh    h10 198.51.100.100        PACS (DCMTK 104, 11112),
#                                                 HL7 MLLP stand-in 2575
#   hosts/portal.sh    h11 .110, h12 .120        ocserv, portal-shaped
#                                                 nginx (legacy TLS), snmpd
#   hosts/hardened.sh  h13 .130, tarpit .135     hardened FTP/SMB/VNC; a
#                                                 host answering every port
#   hosts/rdp.sh       h14 198.51.100.140        FreeRDP with NLA enforced,
#                                                 xrdp TLS-only, and others
#
# State (configurations, keys, certificates, pid files, logs) lives in
# ${VIGIE_LAB_DIR:-/run/vigie-lab} and is generated at `up`.  Templates are
# in conf/ next to this script.  Needs root.

# The self-check passes addresses to inner `bash -c` scripts as $0 and $1,
# in single quotes on purpose.
# shellcheck disable=SC2016
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CONF=$HERE/conf
# VIGIE_LAB_PREFIX names every namespace, so that two labs (a developer's
# and a test's, say) can be up at once: addresses are the same, but each
# lab is its own closed world.
P=${VIGIE_LAB_PREFIX:-vg}
case $P in
[a-z][a-z0-9]|[a-z][a-z0-9][a-z0-9]) ;;
*) echo "lab: VIGIE_LAB_PREFIX must be 2 or 3 lowercase letters or digits" >&2; exit 1 ;;
esac
if [ "$P" = vg ]; then
	LAB_DIR=${VIGIE_LAB_DIR:-/run/vigie-lab}
else
	LAB_DIR=${VIGIE_LAB_DIR:-/run/vigie-lab-$P}
fi
MARKER=.vigie-lab

# PostgreSQL's programs are not on PATH: Debian keeps them per major
# version.  The newest installed one is used.
PG_BIN=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null |
    sort -V | tail -n 1)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# Seconds a server gets to start listening, and to exit after SIGTERM.
START_TIMEOUT=10
STOP_TIMEOUT=3

BRIDGE_NS=${P}-net
SCAN_NS=${P}-scan
# Every namespace the lab owns.  `down` deletes exactly these.
NAMESPACES=(${P}-net ${P}-scan ${P}-h1 ${P}-h2 ${P}-h3 ${P}-h4 ${P}-h5 ${P}-h6
    ${P}-h7 ${P}-dns)

# Addresses, one place.  The tests and tests/lab/demo-registry.csv rely on
# them.
SCAN_ADDRS=(198.51.100.2/24 203.0.113.2/24)
H1=198.51.100.10
H2=198.51.100.20
H3=203.0.113.30
H4=203.0.113.40
H5=198.51.100.50
H6=198.51.100.60
H7=198.51.100.70
DNS=198.51.100.53

# The listening sockets `up` waits for: "service namespace address port".
# The service name is also the name of its pid file and its log.
LISTENERS=(
	"sshd-h1 ${P}-h1 $H1 22"
	"nginx-h1 ${P}-h1 $H1 80"
	"nginx-h1 ${P}-h1 $H1 443"
	"xrdp-h1 ${P}-h1 $H1 3389"
	"vsftpd-h2 ${P}-h2 $H2 21"
	"redis-h2 ${P}-h2 $H2 6379"
	"sshd-h2 ${P}-h2 $H2 2222"
	"smbd-h5 ${P}-h5 $H5 445"
	"smbd-h5 ${P}-h5 $H5 139"
	"inetd-h5 ${P}-h5 $H5 23"
	"exim-h5 ${P}-h5 $H5 25"
	"exim-h5 ${P}-h5 $H5 587"
	"smbd-h6 ${P}-h6 $H6 445"
	"smbd-h6 ${P}-h6 $H6 139"
	"mariadb-h6 ${P}-h6 $H6 3306"
	"postgres-h6 ${P}-h6 $H6 5432"
	"vnc-h7 ${P}-h7 $H7 5900"
	"vncauth-h7 ${P}-h7 $H7 5901"
	"dnsmasq ${P}-dns $DNS 53"
)

# Hosts beyond these live in hosts/*.sh, one file a host (or a few): each
# is sourced here and may append to NAMESPACES and LISTENERS (a listener's
# fifth word "udp" waits for a UDP socket instead of a TCP one), and names
# itself in HOSTS, which makes `up` call its functions <name>_topology
# (plug its namespaces), <name>_configure (state files, in $LAB_DIR),
# <name>_servers (start them) and, when defined, `check` call
# <name>_check.  The lab's helpers (start, render, plug, ok, bad, in_scan,
# first_line) are theirs to use.
HOSTS=()
for f in "$HERE"/hosts/*.sh; do
	[ -e "$f" ] || continue
	# shellcheck source=/dev/null
	. "$f"
done

# hook NAME-SUFFIX runs every host file's function of that suffix.
hook() {
	local h
	for h in "${HOSTS[@]+"${HOSTS[@]}"}"; do
		if declare -F "${h}_$1" >/dev/null; then
			"${h}_$1"
		fi
	done
}

die() {
	printf 'lab: %s\n' "$*" >&2
	exit 1
}

note() {
	printf 'lab: %s\n' "$*"
}

need_root() {
	[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces)"
}

# The lab needs these programs; the message names the Debian package.
need_tools() {
	local t pkg missing=""
	for t in ip:iproute2 ss:iproute2 iptables:iptables openssl:openssl \
	    ssh-keygen:openssh-client /usr/sbin/sshd:openssh-server \
	    nginx:nginx-light xrdp:xrdp vsftpd:vsftpd \
	    redis-server:redis-server dnsmasq:dnsmasq-base \
	    smbd:samba mariadbd:mariadb-server \
	    mariadb-install-db:mariadb-server \
	    $PG_BIN/postgres:postgresql $PG_BIN/initdb:postgresql \
	    Xtigervnc:tigervnc-standalone-server vncpasswd:tigervnc-tools \
	    /usr/sbin/telnetd:inetutils-telnetd \
	    inetutils-inetd:inetutils-inetd exim4:exim4-daemon-light \
	    setsid:util-linux setpriv:util-linux; do
		pkg=${t#*:}
		t=${t%%:*}
		command -v "$t" >/dev/null 2>&1 || missing="$missing $t ($pkg)"
	done
	[ -z "$missing" ] || die "missing programs:$missing; run scripts/install-deps"
}

ns_exists() {
	[ -e "/run/netns/$1" ]
}

# alive PID succeeds when PID runs: a zombie waiting to be reaped has exited.
alive() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $st in Z*) return 1 ;; esac
}

# The state directory is removed with rm -rf at `down`, so `up` refuses a
# directory it did not create, and `down` removes only a directory that
# carries the lab's marker file.
check_lab_dir() {
	case $LAB_DIR in
	/?*) ;;
	*) die "VIGIE_LAB_DIR must be an absolute path other than /: '$LAB_DIR'" ;;
	esac
}

# Root-namespace link names, to prove the lab added none.
root_links() {
	ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort
}

# render TEMPLATE OUTPUT KEY=VALUE... replaces each @KEY@ in conf/TEMPLATE.
render() {
	local in=$CONF/$1 out=$2 kv
	local args=()
	shift 2
	for kv in "$@"; do
		args+=(-e "s|@${kv%%=*}@|${kv#*=}|g")
	done
	sed "${args[@]}" "$in" >"$out"
	if grep -q '@[A-Z_]*@' "$out"; then
		die "placeholder left in $out"
	fi
}

# --- topology -------------------------------------------------------------

# add_ns NS creates a namespace with its loopback up and IPv6 off.  IPv6 is
# off so that the lab is IPv4 only and quiet (no router solicitations or
# duplicate-address probes on the bridge).
add_ns() {
	ip netns add "$1"
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -q -w net.ipv6.conf.default.disable_ipv6=1 \
	    net.ipv6.conf.all.disable_ipv6=1 >/dev/null
}

# plug NS PORT ADDR... joins NS to the bridge.  The veth pair is created
# inside vg-net with its peer created directly inside NS, so no end of it
# ever exists in the root namespace.  In NS the interface is eth0.
plug() {
	local ns=$1 port=$2 a
	shift 2
	ip -n "$BRIDGE_NS" link add "$port" type veth peer name eth0 netns "$ns"
	ip -n "$BRIDGE_NS" link set "$port" master br0 up
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
	    >/dev/null
	for a in "$@"; do
		ip -n "$ns" addr add "$a" dev eth0
	done
	ip -n "$ns" link set eth0 up
}

topology() {
	local ns
	for ns in "${NAMESPACES[@]}"; do
		add_ns "$ns"
	done

	# The bridge has no address: vg-net only switches frames.  STP is off
	# (the default), so ports forward as soon as they are up.
	ip -n "$BRIDGE_NS" link add br0 type bridge
	ip -n "$BRIDGE_NS" link set br0 up

	plug ${P}-scan p-scan "${SCAN_ADDRS[@]}"
	plug ${P}-h1 p-h1 "$H1/24"
	plug ${P}-h2 p-h2 "$H2/24"
	plug ${P}-h3 p-h3 "$H3/24"
	plug ${P}-h4 p-h4 "$H4/24"
	plug ${P}-h5 p-h5 "$H5/24"
	plug ${P}-h6 p-h6 "$H6/24"
	plug ${P}-h7 p-h7 "$H7/24"
	plug ${P}-dns p-dns "$DNS/24"
	hook topology

	# The silent host drops everything it receives, so a SYN to any of its
	# ports times out.  It still answers ARP (ARP is below iptables), which
	# is what a firewalled host on the same link does.
	ip netns exec ${P}-h3 iptables -w -A INPUT -j DROP
	ip netns exec ${P}-h3 iptables -w -S INPUT | grep -q -- '-A INPUT -j DROP' ||
	    die "${P}-h3: the DROP rule did not take; the silent host would answer"

	# The scanner's resolver is the lab's dnsmasq.  ip netns exec bind-mounts
	# /etc/netns/vg-scan/resolv.conf over /etc/resolv.conf.  If /etc/netns
	# itself is new, `down` removes it too.
	if [ ! -d /etc/netns ]; then
		mkdir -m 755 /etc/netns
		touch "$LAB_DIR/created-etc-netns"
	fi
	mkdir -p "/etc/netns/$SCAN_NS"
	printf 'nameserver %s\n' "$DNS" >"/etc/netns/$SCAN_NS/resolv.conf"
}

# --- servers --------------------------------------------------------------

# start NAME NS CMD... runs CMD in NS as the leader of a new session, so
# that `down` can signal it with everything it forked (nginx workers, xrdp
# and vsftpd session processes) as one process group.  A background job of a
# script without job control is never a group leader, so setsid does not
# fork and $! is the server's own pid.
start() {
	local name=$1 ns=$2
	shift 2
	ip netns exec "$ns" setsid "$@" </dev/null >>"$LAB_DIR/log/$name.log" 2>&1 &
	echo $! >"$LAB_DIR/pid/$name.pid"
}

# Keys and certificates.  The HTTPS certificate is self-signed for
# chu-demo.test; xrdp gets its own, as a default install does; so does
# h5's exim4 for STARTTLS on its submission port.
gen_keys() {
	local d t
	for d in "$LAB_DIR/h1/ssh" "$LAB_DIR/h2/ssh"; do
		for t in ed25519 ecdsa rsa; do
			ssh-keygen -q -t "$t" -N '' -C '' -f "$d/ssh_host_${t}_key"
		done
	done
	openssl req -x509 -newkey rsa:2048 -nodes -days 365 -sha256 \
	    -subj /CN=chu-demo.test \
	    -addext 'subjectAltName=DNS:chu-demo.test,DNS:www.chu-demo.test' \
	    -keyout "$LAB_DIR/h1/nginx/tls/key.pem" \
	    -out "$LAB_DIR/h1/nginx/tls/cert.pem" 2>/dev/null
	openssl req -x509 -newkey rsa:2048 -nodes -days 365 -sha256 \
	    -subj /CN=srv-rdp.chu-demo.test \
	    -keyout "$LAB_DIR/h1/xrdp/key.pem" \
	    -out "$LAB_DIR/h1/xrdp/cert.pem" 2>/dev/null
	openssl req -x509 -newkey rsa:2048 -nodes -days 365 -sha256 \
	    -subj /CN=mail.clinique-demo.test \
	    -addext 'subjectAltName=DNS:mail.clinique-demo.test' \
	    -keyout "$LAB_DIR/h5/exim/tls/key.pem" \
	    -out "$LAB_DIR/h5/exim/tls/cert.pem" 2>/dev/null
	chmod 600 "$LAB_DIR/h1/nginx/tls/key.pem" "$LAB_DIR/h1/xrdp/key.pem"
}

configure() {
	local d=$LAB_DIR

	# The layout: one directory per server, pid/ and log/ for the lab's own
	# bookkeeping.  Everything is root-owned and world-readable except keys,
	# so that nginx workers (nobody) can read the site.
	umask 022
	mkdir -p "$d"/{pid,log} "$d"/h1/{ssh,nginx/html,nginx/tls,nginx/tmp,xrdp} \
	    "$d"/h2/{ssh,ftp/anon,ftp/empty,redis} "$d"/dns \
	    "$d"/h5/{samba,exim/spool,exim/tls,inetd} \
	    "$d"/h6/{samba,mariadb,pgsql} "$d"/h7/vnc
	touch "$d/$MARKER"

	gen_keys

	render sshd_config.in "$d/h1/ssh/sshd_config" \
	    ADDR="$H1" PORT=22 DIR="$d/h1/ssh" PASSWORD_AUTH=yes
	render sshd_config.in "$d/h2/ssh/sshd_config" \
	    ADDR="$H2" PORT=2222 DIR="$d/h2/ssh" PASSWORD_AUTH=no
	render nginx.conf.in "$d/h1/nginx/nginx.conf" ADDR="$H1" \
	    DIR="$d/h1/nginx" LOG="$d/log/nginx-h1.log"
	cp "$CONF/index.html" "$d/h1/nginx/html/index.html"
	render xrdp.ini.in "$d/h1/xrdp/xrdp.ini" ADDR="$H1" DIR="$d/h1/xrdp" \
	    LOG="$d/log/xrdp-h1.log"
	render vsftpd.conf.in "$d/h2/ftp/vsftpd.conf" ADDR="$H2" DIR="$d/h2/ftp" \
	    LOG="$d/log/vsftpd-h2.log"

	# vsftpd refuses an anonymous root writable by the ftp user, and wants
	# its secure_chroot_dir owned by root and not writable by others.
	chmod 555 "$d/h2/ftp/anon" "$d/h2/ftp/empty"

	# Redis runs as the redis user and needs to own its working directory.
	chown redis:redis "$d/h2/redis"

	# Samba: SMB1 on h5 (the legacy server), SMB2 and later with signing
	# required on h6.  Each instance has its own state directories.
	render smb.conf.in "$d/h5/samba/smb.conf" ADDR="$H5" NAME=SRV-ANCIEN \
	    DIR="$d/h5/samba" LOG="$d/log/smbd-h5.log" MIN_PROTOCOL=NT1 \
	    SIGNING=default
	render smb.conf.in "$d/h6/samba/smb.conf" ADDR="$H6" NAME=SRV-FICHIERS \
	    DIR="$d/h6/samba" LOG="$d/log/smbd-h6.log" MIN_PROTOCOL=SMB2_02 \
	    SIGNING=mandatory
	mkdir -p "$d"/h5/samba/{lock,state,cache,private,ncalrpc,bind-dns,share} \
	    "$d"/h6/samba/{lock,state,cache,private,ncalrpc,bind-dns,share}
	chmod 700 "$d"/h5/samba/private "$d"/h6/samba/private

	# exim4 as the mail relay of h5: its spool belongs to its user, and it
	# refuses a configuration file that others can write.  Its TLS key is
	# read by the receiving process, which runs as that user.
	mkdir -p "$d/h5/exim/log"
	render exim.conf.in "$d/h5/exim/exim.conf" ADDR="$H5" DIR="$d/h5/exim" \
	    LOGDIR="$d/h5/exim/log"
	chown -R Debian-exim:Debian-exim "$d/h5/exim/spool" "$d/h5/exim/log"
	chown root:Debian-exim "$d/h5/exim/tls/key.pem"
	chmod 640 "$d/h5/exim/tls/key.pem"
	chmod 644 "$d/h5/exim/exim.conf"

	render inetd.conf.in "$d/h5/inetd/inetd.conf" ADDR="$H5"

	# MariaDB and PostgreSQL get their data directories at start (see
	# servers()), owned by their own users.
	chown mysql:mysql "$d/h6/mariadb"
	chown postgres:postgres "$d/h6/pgsql"
	chmod 700 "$d/h6/pgsql"
	cp "$CONF/pg_hba.conf.in" "$d/h6/pg_hba.conf"
	chmod 644 "$d/h6/pg_hba.conf"
	render mariadb-init.sql.in "$d/h6/mariadb-init.sql" NET=198.51.100.%
	chmod 644 "$d/h6/mariadb-init.sql"

	# VNC: one display without authentication, one with a VNC password
	# (DES challenge-response, RFC 6143 7.2.2).
	printf 'radiolog\n' | vncpasswd -f >"$d/h7/vnc/passwd"
	chmod 600 "$d/h7/vnc/passwd"

	# sshd's privilege-separation directory is fixed at build time.  Create
	# it if absent and remember it, so that `down` removes only what the
	# lab created.
	hook configure

	if [ ! -d /run/sshd ]; then
		mkdir -m 755 /run/sshd
		touch "$d/created-run-sshd"
	fi
}

# Whether a lab of another prefix is up on this machine.
other_labs_up() {
	local dir
	for dir in /run/vigie-lab /run/vigie-lab-*; do
		[ -d "$dir" ] && [ "$dir" != "$LAB_DIR" ] && return 0
	done
	return 1
}

servers() {
	local d=$LAB_DIR

	# sshd needs an absolute path to re-execute itself; -D keeps it in the
	# foreground, -E sends its log to a file.
	start sshd-h1 ${P}-h1 /usr/sbin/sshd -D -f "$d/h1/ssh/sshd_config" \
	    -E "$d/log/sshd-h1.log"
	start sshd-h2 ${P}-h2 /usr/sbin/sshd -D -f "$d/h2/ssh/sshd_config" \
	    -E "$d/log/sshd-h2.log"

	# nginx: prefix and configuration in the state directory, -e so that
	# not even the early error log goes elsewhere.
	start nginx-h1 ${P}-h1 nginx -p "$d/h1/nginx" -c "$d/h1/nginx/nginx.conf" \
	    -e "$d/log/nginx-h1.log"

	# xrdp: -n keeps it in the foreground (and then it writes no pid file
	# of its own), -c points it at our xrdp.ini.  No xrdp-sesman: the
	# X.224/TLS handshake does not need it.
	start xrdp-h1 ${P}-h1 xrdp -n -c "$d/h1/xrdp/xrdp.ini"

	# vsftpd reads its configuration file as its only argument.
	start vsftpd-h2 ${P}-h2 vsftpd "$d/h2/ftp/vsftpd.conf"

	# Redis as an exposed cache with neither password nor persistence.
	start redis-h2 ${P}-h2 setpriv --reuid=redis --regid=redis --init-groups \
	    redis-server --bind "$H2" --port 6379 --protected-mode no \
	    --save '' --appendonly no --daemonize no --dir "$d/h2/redis" \
	    --pidfile "$d/h2/redis/redis.pid" --logfile ''

	# Samba's smbd in the foreground, its log in the file smb.conf names.
	start smbd-h5 ${P}-h5 smbd -F --no-process-group -s "$d/h5/samba/smb.conf"
	start smbd-h6 ${P}-h6 smbd -F --no-process-group -s "$d/h6/samba/smb.conf"

	# inetd (-d: in the foreground) runs telnetd for each connection.
	start inetd-h5 ${P}-h5 inetutils-inetd -d --pidfile="$d/h5/inetd/inetd.pid" \
	    "$d/h5/inetd/inetd.conf"

	# exim4 as a daemon in the foreground (-bdf) with our configuration;
	# run by root, it keeps the privilege to bind ports 25 and 587.
	start exim-h5 ${P}-h5 exim4 -bdf -C "$d/h5/exim/exim.conf"

	# MariaDB and PostgreSQL create their data directories first, in
	# their namespace and under their own users, then replace the shell.
	# Both initialisations run at once, while the other servers start.
	start mariadb-h6 ${P}-h6 bash -c 'mariadb-install-db --no-defaults \
	    --user=mysql --datadir="$0/data" --skip-test-db \
	    --auth-root-authentication-method=socket >/dev/null &&
	    exec mariadbd --no-defaults --user=mysql --datadir="$0/data" \
	    --socket="$0/mysqld.sock" --pid-file="$0/mysqld.pid" \
	    --bind-address="$1" --port=3306 --skip-name-resolve \
	    --init-file="$0/../mariadb-init.sql" --innodb-buffer-pool-size=8M \
	    --innodb-log-file-size=4M' "$d/h6/mariadb" "$H6"
	start postgres-h6 ${P}-h6 setpriv --reuid=postgres --regid=postgres \
	    --init-groups bash -c '"$0/initdb" -D "$1/data" -U postgres \
	    --auth=peer --no-sync --no-instructions -E UTF8 --locale=C \
	    >/dev/null && exec "$0/postgres" -D "$1/data" \
	    -c listen_addresses="$2" -c port=5432 \
	    -c unix_socket_directories="$1" -c hba_file="$1/../pg_hba.conf" \
	    -c ssl=off -c fsync=off -c shared_buffers=16MB \
	    -c max_connections=20' "$PG_BIN" "$d/h6/pgsql" "$H6"

	# TigerVNC's X server with its VNC listener, on two displays of h7.
	# Root, for -nolock: no lock file in /tmp, and no X11 socket but the
	# namespace's own abstract one, so labs side by side do not collide.
	start vnc-h7 ${P}-h7 Xtigervnc :0 -nolock -nolisten tcp -nolisten unix \
	    -rfbport 5900 -interface "$H7" -localhost=0 -SecurityTypes None -UseBlacklist=0 \
	    -geometry 800x600 -depth 16 -desktop 'Console radiologie'
	start vncauth-h7 ${P}-h7 Xtigervnc :1 -nolock -nolisten tcp \
	    -nolisten unix -rfbport 5901 -interface "$H7" -localhost=0 \
	    -SecurityTypes VncAuth -PasswordFile="$d/h7/vnc/passwd" -UseBlacklist=0 \
	    -geometry 800x600 -depth 16 -desktop 'Poste interprétation'

	# dnsmasq: in the foreground, no upstream, no /etc/hosts, bound to its
	# address only; it answers the two lab names and NXDOMAIN for the rest
	# of .test.
	start dnsmasq ${P}-dns dnsmasq --keep-in-foreground --conf-file=/dev/null \
	    --no-resolv --no-hosts --bind-interfaces --listen-address="$DNS" \
	    --port=53 --pid-file="$d/dns/dnsmasq.pid" --log-facility=- \
	    --log-queries --local=/test/ \
	    --host-record=portail.ehpad-tilleuls.test,"$H2" \
	    --host-record=www.chu-demo.test,"$H1"

	hook servers
}

# listening NS ADDR PORT [udp] succeeds when a TCP (or UDP) socket listens
# on ADDR:PORT, or on the wildcard address at PORT.
listening() {
	local flags=-Hltn
	[ "${4:-tcp}" = udp ] && flags=-Hlun
	ip netns exec "$1" ss $flags 2>/dev/null |
	    awk -v want="$2:$3" -v any="0.0.0.0:$3" -v star="*:$3" \
	    '$4 == want || $4 == any || $4 == star { found = 1 } END { exit !found }'
}

# Fail naming the service, with the end of its log.
service_failed() {
	local name=$1 why=$2
	printf 'lab: %s %s\n' "$name" "$why" >&2
	if [ -s "$LAB_DIR/log/$name.log" ]; then
		printf 'lab: --- %s ---\n' "$LAB_DIR/log/$name.log" >&2
		tail -n 20 "$LAB_DIR/log/$name.log" >&2
	fi
	return 1
}

# Wait until every listener is up, all against one deadline.  A server that
# exits is reported at once rather than at the deadline.
wait_listeners() {
	local deadline=$((SECONDS + START_TIMEOUT)) l name ns addr port pid
	local pending=("${LISTENERS[@]}") left
	while [ "${#pending[@]}" -gt 0 ]; do
		left=()
		for l in "${pending[@]}"; do
			read -r name ns addr port proto <<<"$l"
			if listening "$ns" "$addr" "$port" "${proto:-tcp}"; then
				continue
			fi
			pid=$(cat "$LAB_DIR/pid/$name.pid")
			if ! alive "$pid"; then
				service_failed "$name" "exited before listening on $addr:$port (in $ns)"
				return 1
			fi
			left+=("$l")
		done
		pending=("${left[@]+"${left[@]}"}")
		[ "${#pending[@]}" -gt 0 ] || break
		if [ "$SECONDS" -ge "$deadline" ]; then
			read -r name ns addr port <<<"${pending[0]}"
			service_failed "$name" "not listening on $addr:$port (in $ns) after ${START_TIMEOUT}s"
			return 1
		fi
		sleep 0.05
	done
}

up() {
	local before after
	need_root
	need_tools
	check_lab_dir

	# Start from nothing, whatever a previous run left.
	down >/dev/null
	if [ -e "$LAB_DIR" ]; then
		die "$LAB_DIR exists and is not a lab state directory; set VIGIE_LAB_DIR"
	fi

	# From here on, a failure tears the lab down again, so that no server is
	# left running from a half-built lab.
	trap 'rc=$?; trap - EXIT; if [ $rc -ne 0 ]; then echo "lab: up failed; tearing down" >&2; down >/dev/null 2>&1 || true; fi; exit $rc' EXIT

	before=$(root_links)
	configure
	topology
	after=$(root_links)
	if [ "$before" != "$after" ]; then
		die "the root namespace's links changed; refusing to go on"
	fi

	servers
	wait_listeners
	trap - EXIT
	note "up: scanner ${P}-scan (${SCAN_ADDRS[*]}), hosts $H1 $H2 $H3 $H4 $H5 $H6 $H7${HOSTS[*]+ and ${HOSTS[*]}}, dns $DNS; state in $LAB_DIR"
}

# --- teardown -------------------------------------------------------------

# The network-namespace inodes of the lab namespaces that exist.
lab_ns_inodes() {
	local ns
	for ns in "${NAMESPACES[@]}"; do
		if ns_exists "$ns"; then
			stat -L -c %i "/run/netns/$ns" 2>/dev/null || true
		fi
	done
}

# in_lab PID succeeds when PID lives in one of the lab namespaces, so that a
# stale pid file can never make `down` signal an unrelated process.
in_lab() {
	local link ino
	link=$(readlink "/proc/$1/ns/net" 2>/dev/null) || return 1
	ino=${link#net:[}
	ino=${ino%]}
	grep -qx "$ino" <<<"$LAB_INODES"
}

# The processes to stop: the pid-file processes with their process groups,
# and anything else still inside a lab namespace (a forked child, a command
# left running by `lab.sh exec`).
lab_pids() {
	local f pid ns
	if [ -d "$LAB_DIR/pid" ]; then
		for f in "$LAB_DIR"/pid/*.pid; do
			[ -e "$f" ] || continue
			pid=$(cat "$f")
			case $pid in '' | *[!0-9]*) continue ;; esac
			if in_lab "$pid"; then
				echo "$pid"
				pgrep -g "$pid" 2>/dev/null || true
			fi
		done
	fi
	for ns in "${NAMESPACES[@]}"; do
		if ns_exists "$ns"; then
			ip netns pids "$ns" 2>/dev/null || true
		fi
	done
}

stop_processes() {
	local pids pid i
	LAB_INODES=$(lab_ns_inodes)
	[ -n "$LAB_INODES" ] || return 0
	pids=$(lab_pids | sort -un)
	[ -n "$pids" ] || return 0
	for pid in $pids; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for ((i = 0; i < STOP_TIMEOUT * 20; i++)); do
		pids=$(lab_pids | sort -un)
		[ -n "$pids" ] || return 0
		sleep 0.05
	done
	for pid in $pids; do
		note "pid $pid did not exit on SIGTERM; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
	done
	sleep 0.1
}

down() {
	local ns
	need_root
	check_lab_dir

	stop_processes

	# Deleting a namespace deletes its end of each veth pair, and with it the
	# pair.
	for ns in "${NAMESPACES[@]}"; do
		if ns_exists "$ns"; then
			ip netns del "$ns"
		fi
	done
	rm -rf "/etc/netns/$SCAN_NS"

	if [ -d "$LAB_DIR" ]; then
		if [ -e "$LAB_DIR/created-etc-netns" ]; then
			rmdir /etc/netns 2>/dev/null || true
		fi
		# /run/sshd serves every lab on the machine: leave it while
		# another one is up (its sshd needs it).
		if [ -e "$LAB_DIR/created-run-sshd" ] && ! other_labs_up; then
			rmdir /run/sshd 2>/dev/null || true
		fi
		if [ -e "$LAB_DIR/$MARKER" ]; then
			rm -rf "$LAB_DIR"
		else
			note "$LAB_DIR has no $MARKER file; left in place"
		fi
	fi
	note "down"
}

# --- use ------------------------------------------------------------------

exec_scan() {
	need_root
	[ "$#" -gt 0 ] || die "usage: lab.sh exec CMD [ARG...]"
	ns_exists "$SCAN_NS" || die "the lab is not up (no namespace $SCAN_NS)"
	exec ip netns exec "$SCAN_NS" "$@"
}

status() {
	local ns any=0 f name pid
	need_root
	for ns in "${NAMESPACES[@]}"; do
		ns_exists "$ns" || continue
		any=1
		printf '== %s\n' "$ns"
		ip -n "$ns" -br addr show | sed 's/^/   /'
		ip netns exec "$ns" ss -Hltnu | awk '{ printf "   listen %-4s %s\n", $1, $5 }'
	done
	if [ "$any" -eq 0 ]; then
		echo "lab: down (no lab namespace)"
		return 0
	fi
	if [ -d "$LAB_DIR/pid" ]; then
		printf '== processes\n'
		for f in "$LAB_DIR"/pid/*.pid; do
			[ -e "$f" ] || continue
			name=${f##*/}
			name=${name%.pid}
			pid=$(cat "$f")
			if alive "$pid"; then
				printf '   %-10s pid %s running\n' "$name" "$pid"
			else
				printf '   %-10s pid %s NOT RUNNING\n' "$name" "$pid"
			fi
		done
	fi
}

# --- self-check -----------------------------------------------------------

CHECK_FAILS=0

ok() {
	printf '  ok    %s\n' "$*"
}

bad() {
	printf '  FAIL  %s\n' "$*"
	CHECK_FAILS=$((CHECK_FAILS + 1))
}

# in_scan CMD... runs CMD in the scanner's namespace.
in_scan() {
	ip netns exec "$SCAN_NS" "$@"
}

# first_line ADDR PORT prints the first line a server sends on connect.
first_line() {
	in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && head -n 1 <&3' \
	    "$1" "$2" 2>/dev/null | tr -d '\r'
}

check() {
	local out rc t0 ms ns a port
	need_root
	ns_exists "$SCAN_NS" || die "the lab is not up (no namespace $SCAN_NS)"
	echo "lab: checking from $SCAN_NS"

	out=$(first_line "$H1" 22)
	case $out in SSH-2.0-OpenSSH*) ok "$H1:22 ssh: $out" ;;
	*) bad "$H1:22 ssh: '$out'" ;; esac
	out=$(first_line "$H2" 2222)
	case $out in SSH-2.0-OpenSSH*) ok "$H2:2222 ssh: $out" ;;
	*) bad "$H2:2222 ssh: '$out'" ;; esac

	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/80" &&
	    printf "GET / HTTP/1.0\r\nHost: www.chu-demo.test\r\n\r\n" >&3 &&
	    cat <&3' "$H1" 2>/dev/null || true)
	if grep -q '<title>CHU de Démo' <<<"$out"; then
		ok "$H1:80 http: $(grep -i '^server:' <<<"$out" | tr -d '\r'), $(grep -o '<title>.*</title>' <<<"$out")"
	else
		bad "$H1:80 http: no CHU de Démo title"
	fi

	out=$(in_scan openssl s_client -connect "$H1:443" \
	    -servername www.chu-demo.test </dev/null 2>/dev/null |
	    openssl x509 -noout -subject -issuer 2>/dev/null || true)
	if grep -q '^subject=CN = chu-demo.test$' <<<"$out" &&
	    grep -q '^issuer=CN = chu-demo.test$' <<<"$out"; then
		ok "$H1:443 https: self-signed CN=chu-demo.test"
	else
		bad "$H1:443 https: '$out'"
	fi

	# An X.224 Connection Request asking for TLS or CredSSP; xrdp answers a
	# Connection Confirm (0xd0) whose negotiation response selects TLS.
	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/3389" &&
	    printf "\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00\x01\x00\x08\x00\x03\x00\x00\x00" >&3 &&
	    head -c 19 <&3' "$H1" 2>/dev/null | od -An -tx1 | tr -s ' \n' ' ' || true)
	case $out in
	" 03 00 00 13 0e d0 "*) ok "$H1:3389 rdp: X.224 connection confirm:$out" ;;
	*) bad "$H1:3389 rdp: '$out'" ;;
	esac

	out=$(first_line "$H2" 21)
	case $out in 220*) ok "$H2:21 ftp: $out" ;;
	*) bad "$H2:21 ftp: '$out'" ;; esac
	# Anonymous login: USER anonymous must be answered 230, possibly after
	# a 331 asking for any password.
	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/21" &&
	    read -r l <&3 && printf "USER anonymous\r\n" >&3 && read -r l <&3 &&
	    case $l in 331*) printf "PASS vigie@\r\n" >&3 && read -r l <&3 ;; esac &&
	    printf "QUIT\r\n" >&3 && echo "$l"' "$H2" 2>/dev/null | tr -d '\r' || true)
	case $out in
	230*) ok "$H2:21 ftp: anonymous login: $out" ;;
	*) bad "$H2:21 ftp: anonymous login: '$out'" ;;
	esac

	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/6379" &&
	    printf "PING\r\n" >&3 && head -n 1 <&3' "$H2" 2>/dev/null | tr -d '\r' || true)
	if [ "$out" = "+PONG" ]; then
		ok "$H2:6379 redis: PING answered without AUTH"
	else
		bad "$H2:6379 redis: '$out'"
	fi

	# Samba: an SMB1 NEGOTIATE offering "SMB 2.???" too; both servers
	# answer with an SMB2 NEGOTIATE response (0xfe 'SMB').
	for a in "$H5" "$H6"; do
		out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/445" &&
		    printf "\x00\x00\x00\x45\xffSMB\x72\x00\x00\x00\x00\x18\x01\xc0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xfe\x00\x00\x00\x00\x00\x22\x00\x02NT LM 0.12\x00\x02SMB 2.002\x00\x02SMB 2.???\x00" >&3 &&
		    head -c 8 <&3' "$a" 2>/dev/null | od -An -tx1 | tr -s ' \n' ' ' || true)
		case $out in
		" 00 00 "*" fe 53 4d 42 ") ok "$a:445 smb: SMB2 negotiate response" ;;
		*) bad "$a:445 smb: '$out'" ;;
		esac
	done

	out=$(first_line "$H5" 25)
	case $out in "220 "*"ESMTP Exim "*) ok "$H5:25 smtp: $out" ;;
	*) bad "$H5:25 smtp: '$out'" ;; esac
	# Submission: STARTTLS, then exim's self-signed certificate.
	out=$(in_scan timeout 5 openssl s_client -starttls smtp \
	    -connect "$H5:587" </dev/null 2>/dev/null |
	    openssl x509 -noout -subject -issuer 2>/dev/null || true)
	if grep -q '^subject=CN = mail.clinique-demo.test$' <<<"$out" &&
	    grep -q '^issuer=CN = mail.clinique-demo.test$' <<<"$out"; then
		ok "$H5:587 smtp: STARTTLS, self-signed CN=mail.clinique-demo.test"
	else
		bad "$H5:587 smtp: STARTTLS: '$out'"
	fi
	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/23" && head -c 1 <&3' \
	    "$H5" 2>/dev/null | od -An -tx1 | tr -d ' \n' || true)
	if [ "$out" = ff ]; then
		ok "$H5:23 telnet: option negotiation (IAC)"
	else
		bad "$H5:23 telnet: '$out'"
	fi

	# MariaDB's greeting is HandshakeV10: sequence 0, protocol 10.
	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/3306" && head -c 5 <&3' \
	    "$H6" 2>/dev/null | od -An -tx1 | tr -s ' \n' ' ' || true)
	case $out in
	*" 00 0a ") ok "$H6:3306 mysql: HandshakeV10 greeting" ;;
	*) bad "$H6:3306 mysql: '$out'" ;;
	esac
	# PostgreSQL answers an SSLRequest with 'N': no TLS.
	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/5432" &&
	    printf "\x00\x00\x00\x08\x04\xd2\x16\x2f" >&3 && head -c 1 <&3' \
	    "$H6" 2>/dev/null || true)
	if [ "$out" = N ]; then
		ok "$H6:5432 pgsql: SSLRequest answered N"
	else
		bad "$H6:5432 pgsql: '$out'"
	fi

	for port in 5900 5901; do
		out=$(first_line "$H7" "$port")
		case $out in "RFB 003.008") ok "$H7:$port vnc: $out" ;;
		*) bad "$H7:$port vnc: '$out'" ;; esac
	done

	out=$(in_scan getent ahostsv4 portail.ehpad-tilleuls.test | awk 'NR == 1 { print $1 }' || true)
	if [ "$out" = "$H2" ]; then
		ok "dns: portail.ehpad-tilleuls.test -> $out"
	else
		bad "dns: portail.ehpad-tilleuls.test -> '$out'"
	fi
	out=$(in_scan getent ahostsv4 www.chu-demo.test | awk 'NR == 1 { print $1 }' || true)
	if [ "$out" = "$H1" ]; then
		ok "dns: www.chu-demo.test -> $out"
	else
		bad "dns: www.chu-demo.test -> '$out'"
	fi

	# The silent host: the connect must still be pending when timeout fires.
	rc=0
	in_scan timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/22"' "$H3" 2>/dev/null || rc=$?
	if [ "$rc" -eq 124 ]; then
		ok "$H3:22 silent: connect timed out"
	else
		bad "$H3:22 silent: connect ended with status $rc instead of timing out"
	fi

	# The closed host: refused at once.
	t0=$(date +%s%N)
	out=$(in_scan timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/22"' "$H4" 2>&1 || true)
	ms=$((($(date +%s%N) - t0) / 1000000))
	case $out in
	*refused*) ok "$H4:22 closed: connection refused in ${ms} ms" ;;
	*) bad "$H4:22 closed: '$out'" ;;
	esac

	hook check

	# No way out: no default route anywhere in the lab.
	for ns in "${NAMESPACES[@]}"; do
		if [ -n "$(ip -n "$ns" route show default)" ]; then
			bad "$ns has a default route"
		fi
	done
	ok "no lab namespace has a default route"

	if [ "$CHECK_FAILS" -ne 0 ]; then
		die "check: $CHECK_FAILS failure(s)"
	fi
	echo "lab: check passed"
}

case ${1:-} in
up) up ;;
down) down ;;
exec)
	shift
	exec_scan "$@"
	;;
status) status ;;
check) check ;;
*)
	echo "usage: lab.sh up|down|status|check|exec CMD..." >&2
	exit 1
	;;
esac
