# portal.sh - the lab's remote-access hosts (sourced by tests/lab/lab.sh).
#
#   ${P}-h11  198.51.100.110/24  clinique's VPN gateways and portals:
#             443   ocserv, password only, two tunnel groups (the AnyConnect
#                   form asks a username, then a password): mfa-unknown
#             4443  ocserv, password then a one-time code (plain with an
#                   oath users file).  ocserv asks the code only after a
#                   right password (its plain module), so nothing of it
#                   shows before login: mfa-unknown too, as research 3.2
#                   says of ocserv; the lab keeps it to prove that an
#                   invisible second factor is reported as unknown
#             8443  nginx, a sign-in page in the shape of an Ivanti (Pulse)
#                   Connect Secure one with a second password field
#                   (mfa-indicated), on TLS 1.0 to 1.2 with every cipher
#                   OpenSSL 3 still has (3DES, anonymous), behind an
#                   expired, self-signed certificate on a 1024-bit RSA key
#             10443 nginx, a portal in the shape of a FortiGate SSL-VPN
#                   delegating its login to a SAML IdP (mfa-probable)
#   ${P}-h12  198.51.100.120/24  networked UPS: snmpd on UDP 161 with the
#             read-only community "public" and a management card's sysDescr
#
# No client ever authenticates, so ocserv never opens a tun device: the
# namespace needs none.  Start-up stays fast: two P-256 keys, one RSA-1024
# key, no DH parameters.

H11=198.51.100.110
H12=198.51.100.120

NAMESPACES+=(${P}-h11 ${P}-h12)
LISTENERS+=(
	"ocserv-h11 ${P}-h11 $H11 443"
	"ocserv-otp-h11 ${P}-h11 $H11 4443"
	"nginx-h11 ${P}-h11 $H11 8443"
	"nginx-h11 ${P}-h11 $H11 10443"
	"snmpd-h12 ${P}-h12 $H12 161 udp"
)
HOSTS+=(portal)

# The lab's one VPN account, on both gateways; the second also wants the
# code of an RFC 6238 token (oath users file, mod-authn-otp's format).
PORTAL_USER=infirmier
PORTAL_OTP_SECRET=3132333435363738393031323334353637383930

portal_topology() {
	plug ${P}-h11 p-h11 "$H11/24"
	plug ${P}-h12 p-h12 "$H12/24"
}

# portal_expired_cert KEY CERT CN: a self-signed certificate on a new
# RSA-1024 key, valid in 2023 only.  `openssl ca` is the one OpenSSL 3.0
# tool that takes explicit dates.
portal_expired_cert() {
	local key=$1 cert=$2 cn=$3 ca
	ca=$(dirname "$cert")/ca
	mkdir -p "$ca"
	: >"$ca/index.txt"
	printf '[ca]\ndefault_ca = lab\n[lab]\ndatabase = %s\nnew_certs_dir = %s\nserial = %s\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n' \
	    "$ca/index.txt" "$ca" "$ca/serial" >"$ca/ca.cnf"
	echo 01 >"$ca/serial"
	openssl req -new -newkey rsa:1024 -nodes -subj "/CN=$cn" \
	    -keyout "$key" -out "$ca/req.pem" 2>/dev/null
	openssl ca -batch -config "$ca/ca.cnf" -selfsign -keyfile "$key" \
	    -in "$ca/req.pem" -out "$cert" -notext \
	    -startdate 20230101000000Z -enddate 20240101000000Z \
	    >/dev/null 2>&1
	chmod 600 "$key"
}

portal_configure() {
	local d=$LAB_DIR/h11 hash
	mkdir -p "$d"/{tls,ocserv,ocserv-otp,nginx/html,nginx/tls,nginx/tmp} \
	    "$LAB_DIR"/h12/snmp

	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -days 365 -sha256 -subj /CN=vpn.clinique-demo.test \
	    -addext 'subjectAltName=DNS:vpn.clinique-demo.test' \
	    -keyout "$d/tls/ocserv-key.pem" -out "$d/tls/ocserv-cert.pem" \
	    2>/dev/null
	chmod 600 "$d/tls/ocserv-key.pem"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -days 365 -sha256 -subj /CN=vpn-sso.clinique-demo.test \
	    -keyout "$d/nginx/tls/sso-key.pem" -out "$d/nginx/tls/sso-cert.pem" \
	    2>/dev/null
	chmod 600 "$d/nginx/tls/sso-key.pem"
	portal_expired_cert "$d/nginx/tls/key.pem" "$d/nginx/tls/cert.pem" \
	    portail.clinique-demo.test

	hash=$(openssl passwd -6 -salt vigielab 'Lab-only-2026')
	printf '%s:*:%s\n' "$PORTAL_USER" "$hash" >"$d/ocpasswd"
	printf 'HOTP/T30 %s - %s\n' "$PORTAL_USER" "$PORTAL_OTP_SECRET" \
	    >"$d/users.oath"
	chmod 600 "$d/ocpasswd" "$d/users.oath"

	render portal-ocserv.conf.in "$d/ocserv/ocserv.conf" ADDR="$H11" \
	    PORT=443 DIR="$d/ocserv" NET=203.0.113.192/27 \
	    AUTH="plain[passwd=$d/ocpasswd]"
	# Tunnel groups offered in the first form (its group list).
	printf 'select-group = Soignants\nselect-group = Prestataires[Prestataires externes]\nauto-select-group = false\n' \
	    >>"$d/ocserv/ocserv.conf"
	render portal-ocserv.conf.in "$d/ocserv-otp/ocserv.conf" ADDR="$H11" \
	    PORT=4443 DIR="$d/ocserv-otp" NET=203.0.113.224/27 \
	    AUTH="plain[passwd=$d/ocpasswd,otp=$d/users.oath]"

	render portal-nginx.conf.in "$d/nginx/nginx.conf" ADDR="$H11" \
	    DIR="$d/nginx" LOG="$LAB_DIR/log/nginx-h11.log"
	cp "$CONF/portal-pulse-welcome.html" "$d/nginx/html/pulse-welcome.html"
	cp "$CONF/portal-forti-root.html" "$d/nginx/html/forti-root.html"
	cp "$CONF/portal-forti-login.html" "$d/nginx/html/forti-login.html"
	# The 1024-bit key must load: OpenSSL's system-wide security level
	# (2 on Debian) would refuse it before nginx's ssl_ciphers applies.
	printf 'openssl_conf = lab\n[lab]\nssl_conf = lab_ssl\n[lab_ssl]\nsystem_default = lab_sys\n[lab_sys]\nCipherString = ALL:@SECLEVEL=0\nMinProtocol = TLSv1\n' \
	    >"$d/nginx/openssl.cnf"

	render portal-snmpd.conf.in "$LAB_DIR/h12/snmp/snmpd.conf" ADDR="$H12"
}

portal_servers() {
	local d=$LAB_DIR/h11
	# -f: in the foreground; ocserv forks its security module and one
	# worker per connection, all in its process group.
	start ocserv-h11 ${P}-h11 ocserv -f -c "$d/ocserv/ocserv.conf"
	start ocserv-otp-h11 ${P}-h11 ocserv -f -c "$d/ocserv-otp/ocserv.conf"
	start nginx-h11 ${P}-h11 env OPENSSL_CONF="$d/nginx/openssl.cnf" \
	    nginx -p "$d/nginx" -c "$d/nginx/nginx.conf" \
	    -e "$LAB_DIR/log/nginx-h11.log"
	# snmpd: -f foreground, -C no other configuration file, -Lo log to
	# stdout, -m '' no MIB loaded (it needs none to answer, and loading
	# Debian's takes time and fills the log); its persistent state in the
	# lab directory.  The address is snmpd.conf's agentAddress.
	start snmpd-h12 ${P}-h12 env SNMP_PERSISTENT_DIR="$LAB_DIR/h12/snmp" \
	    snmpd -f -C -Lo -m '' -c "$LAB_DIR/h12/snmp/snmpd.conf" \
	    -p "$LAB_DIR/h12/snmp/snmpd.pid"
}

portal_check() {
	local out port
	for port in 443 4443; do
		out=$(in_scan timeout 3 curl -sk -m 2 -X POST \
		    -H 'X-Aggregate-Auth: 1' -H 'X-Transcend-Version: 1' \
		    --data '<?xml version="1.0" encoding="UTF-8"?><config-auth client="vpn" type="init"><version who="vpn">5.0</version></config-auth>' \
		    "https://$H11:$port/" 2>/dev/null || true)
		case $out in
		*'<config-auth'*'type="auth-request"'*) ok "$H11:$port ocserv: config-auth auth-request" ;;
		*) bad "$H11:$port ocserv: '$(head -c 200 <<<"$out")'" ;;
		esac
	done
	out=$(in_scan timeout 3 curl -sk -m 2 \
	    "https://$H11:8443/dana-na/auth/url_default/welcome.cgi" 2>/dev/null || true)
	case $out in
	*'name="frmLogin"'*'name="password#2"'*) ok "$H11:8443 https: sign-in page with a second password" ;;
	*) bad "$H11:8443 https: '$(head -c 200 <<<"$out")'" ;;
	esac
	out=$(in_scan timeout 3 curl -sk -m 2 -o /dev/null -w '%{http_code} %{redirect_url}' \
	    "https://$H11:10443/remote/saml/start?redirect=1" 2>/dev/null || true)
	case $out in
	"302 https://idp.clinique-demo.test/"*) ok "$H11:10443 https: SAML start redirects to the IdP" ;;
	*) bad "$H11:10443 https: '$out'" ;;
	esac
	out=$(in_scan openssl s_client -connect "$H11:8443" -tls1 \
	    -cipher 'ALL:@SECLEVEL=0' </dev/null 2>/dev/null |
	    openssl x509 -noout -enddate 2>/dev/null || true)
	case $out in
	"notAfter=Jan  1 00:00:00 2024 GMT") ok "$H11:8443 https: TLS 1.0 accepted, certificate expired ($out)" ;;
	*) bad "$H11:8443 https: TLS 1.0 and expiry: '$out'" ;;
	esac
	# An SNMPv2c GetRequest for sysDescr.0 with the community "public"
	# (what probes/snmp.c sends); the answer carries the description.
	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/udp/$0/161" &&
	    printf "\x30\x29\x02\x01\x01\x04\x06public\xa0\x1c\x02\x04\x00\x00\x00\x01\x02\x01\x00\x02\x01\x00\x30\x0e\x30\x0c\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00\x05\x00" >&3 &&
	    dd bs=1500 count=1 status=none <&3' "$H12" 2>/dev/null | tr -c '[:print:]' . || true)
	case $out in
	*"APC Web/SNMP Management Card"*) ok "$H12:161 snmp: public answers sysDescr" ;;
	*) bad "$H12:161 snmp: '$out'" ;;
	esac
}
