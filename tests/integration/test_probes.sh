#!/usr/bin/env bash
# test_probes - the service probes against the lab's real servers: what
# each one records, field by field, for Samba with and without SMB1
# (445 and 139), MariaDB, PostgreSQL, TigerVNC with and without a
# password, inetutils telnetd and exim4 in clear (25) and through
# STARTTLS (587).  (SSH, HTTP, HTTPS, RDP, FTP and
# Redis are covered by test_foundation.)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE=${VIGIE_MODE:-connect}
echo "  engine: $MODE"
H5=198.51.100.50	# legacy server: SMB1 on, telnet, exim (25, 587 STARTTLS)
H6=198.51.100.60	# file and database server: SMB1 off, signing required
H7=198.51.100.70	# radiology workstation: two VNC displays
PORTS=21,22,23,25,80,139,443,445,587,3306,3389,5432,5900,5901,6379

lab_up
start=$(date +%s)
vigie_lab scan --target "$H5,$H6,$H7" --ports "$PORTS" --mode "$MODE" \
    --db "$WORK/vigie.db" --out "$WORK/scan.jsonl" --allow "$LAB_ALLOW" \
    --timeout 2000 --retries 1 --quiet 2>"$WORK/scan.err" || {
	cat "$WORK/scan.err" >&2
	not_ok "scan exit status"
}
echo "  scan took $(($(date +%s) - start)) s"
J=$WORK/scan.jsonl

# field IP PORT KEY prints one observed field ("-" when absent).
field() {
	jq -r --arg ip "$1" --argjson port "$2" --arg k "$3" \
	    'select(.type=="service" and .ip==$ip and .port==$port) |
	    .fields[$k] // "-"' "$J"
}

# over_tls IP PORT: the service event's "tls" (true when the session ran
# over TLS).
over_tls() {
	jq -r --arg ip "$1" --argjson port "$2" \
	    'select(.type=="service" and .ip==$ip and .port==$port) | .tls' "$J"
}

expect_set "open ports" "
$H5:23
$H5:25
$H5:139
$H5:445
$H5:587
$H6:139
$H6:445
$H6:3306
$H6:5432
$H7:5900
$H7:5901" \
    "$(jq -r 'select(.type=="port" and .state=="open") | "\(.ip):\(.port)"' "$J")"

expect_set "services, products, versions" "
$H5:23 telnet - - telnet ok
$H5:25 smtp Exim 4.96 smtp ok
$H5:139 smb Samba 4.17.12 smb ok
$H5:445 smb Samba 4.17.12 smb ok
$H5:587 smtp Exim 4.96 smtp ok
$H6:139 smb Samba - smb ok
$H6:445 smb Samba - smb ok
$H6:3306 mysql MariaDB 10.11.19 mysql ok
$H6:5432 pgsql PostgreSQL - pgsql ok
$H7:5900 vnc - - vnc ok
$H7:5901 vnc - - vnc ok" \
    "$(jq -r 'select(.type=="service") | "\(.ip):\(.port) \(.service) \(.product // "-") \(.version // "-") \(.probe) \(.status)"' "$J")"

# SMB: the negotiation and the NTLM challenge on one connection, SMB1
# (and Samba's version, in SMB1's session setup) on a second one.
for port in 445 139; do
	expect_eq "smb $H5:$port: SMB1 accepted" yes "$(field $H5 $port smb.smb1)"
	expect_eq "smb $H5:$port: dialect" 3.1.1 "$(field $H5 $port smb.dialect)"
	expect_eq "smb $H5:$port: signing not required" enabled \
	    "$(field $H5 $port smb.signing)"
	expect_eq "smb $H5:$port: SMB1 signing" disabled \
	    "$(field $H5 $port smb.smb1_signing)"
	expect_eq "smb $H5:$port: names" "LAB SRV-ANCIEN" \
	    "$(field $H5 $port smb.domain) $(field $H5 $port smb.netbios_computer)"
	expect_eq "smb $H5:$port: NativeLanMan" "Samba 4.17.12-Debian" \
	    "$(field $H5 $port smb.native_lanman)"
	expect_eq "smb $H6:$port: SMB1 refused" no "$(field $H6 $port smb.smb1)"
	expect_eq "smb $H6:$port: dialect" 3.1.1 "$(field $H6 $port smb.dialect)"
	expect_eq "smb $H6:$port: signing required" required \
	    "$(field $H6 $port smb.signing)"
	expect_eq "smb $H6:$port: NTLM names" "SRV-FICHIERS 6.1.0" \
	    "$(field $H6 $port smb.netbios_computer) $(field $H6 $port smb.ntlm_version)"
	expect_eq "smb $H6:$port: no SMB1 details" "- -" \
	    "$(field $H6 $port smb.smb1_signing) $(field $H6 $port smb.native_lanman)"
	expect_eq "smb $H6:$port: no OS claimed for Samba" - \
	    "$(field $H6 $port os)"
done
expect_eq "smb: Samba's GUID is its NetBIOS name" \
    2d767273-6966-6863-6965-727300000000 "$(field $H6 445 smb.server_guid)"

# MariaDB: the greeting's version, split.
expect_eq "mysql: server version" 5.5.5-10.11.19-MariaDB-0+deb12u1 \
    "$(field $H6 3306 mysql.version)"
expect_eq "mysql: distribution revision" "debian 0+deb12u1" \
    "$(field $H6 3306 mysql.distro) $(field $H6 3306 mysql.distro_rev)"
expect_eq "mysql: protocol, TLS, plugin" "10 no mysql_native_password" \
    "$(field $H6 3306 mysql.protocol) $(field $H6 3306 mysql.ssl) $(field $H6 3306 mysql.auth_plugin)"

# PostgreSQL: no TLS, then the pg_hba.conf refusal; no password asked.
expect_eq "pgsql: SSLRequest answered N" no "$(field $H6 5432 pgsql.ssl)"
expect_eq "pgsql: startup refused (28000)" "FATAL 28000" \
    "$(field $H6 5432 pgsql.error_severity) $(field $H6 5432 pgsql.error_code)"
expect_eq "pgsql: refusal message" \
    'no pg_hba.conf entry for host "198.51.100.2", user "vigie", database "vigie", no encryption' \
    "$(field $H6 5432 pgsql.error)"
expect_eq "pgsql: where the backend refused" "auth.c ClientAuthentication" \
    "$(field $H6 5432 pgsql.error_file) $(field $H6 5432 pgsql.error_routine)"
expect_eq "pgsql: no authentication method reached" - \
    "$(field $H6 5432 pgsql.auth)"

# VNC: None offered on one display, VNC authentication on the other.
expect_eq "vnc $H7:5900: RFB 3.8, None offered" "3.8 none yes" \
    "$(field $H7 5900 vnc.version) $(field $H7 5900 vnc.security_types) $(field $H7 5900 vnc.no_auth)"
expect_eq "vnc $H7:5901: RFB 3.8, password" "3.8 vnc_auth no" \
    "$(field $H7 5901 vnc.version) $(field $H7 5901 vnc.security_types) $(field $H7 5901 vnc.no_auth)"

# Telnet: every option refused, up to the login prompt.
case $(field $H5 23 telnet.banner) in
*" login:") ok "telnet: reached the login prompt" ;;
*) not_ok "telnet banner: '$(field $H5 23 telnet.banner)'" ;;
esac
case $(field $H5 23 telnet.options) in
"WILL AUTHENTICATION, WILL ENCRYPT, DO TTYPE"*) ok "telnet: inetutils' negotiation" ;;
*) not_ok "telnet options: '$(field $H5 23 telnet.options)'" ;;
esac

# exim4: greeting and EHLO, no STARTTLS.
case $(field $H5 25 smtp.banner) in
"mail.clinique-demo.test ESMTP Exim 4.96 "*) ok "smtp: exim greeting" ;;
*) not_ok "smtp banner: '$(field $H5 25 smtp.banner)'" ;;
esac
expect_eq "smtp: EHLO keywords" "SIZE 8BITMIME PIPELINING PIPECONNECT CHUNKING SMTPUTF8 HELP" \
    "$(field $H5 25 smtp.ehlo)"
expect_eq "smtp: no STARTTLS" no "$(field $H5 25 smtp.starttls)"
expect_eq "smtp: no upgrade, no TLS facts, no AUTH" "- - - false" \
    "$(field $H5 25 smtp.starttls_result) $(field $H5 25 tls.version) $(field $H5 25 smtp.auth) $(over_tls $H5 25)"

# exim4 on the submission port: STARTTLS offered and accepted, the TLS
# facts of the upgraded connection (the lab's self-signed certificate),
# then EHLO again over TLS, where AUTH appears.
case $(field $H5 587 smtp.banner) in
"mail.clinique-demo.test ESMTP Exim 4.96 "*) ok "smtp 587: exim greeting" ;;
*) not_ok "smtp 587 banner: '$(field $H5 587 smtp.banner)'" ;;
esac
expect_eq "smtp 587: EHLO keywords in clear" \
    "SIZE 8BITMIME PIPELINING PIPECONNECT CHUNKING STARTTLS SMTPUTF8 HELP" \
    "$(field $H5 587 smtp.ehlo)"
expect_eq "smtp 587: STARTTLS offered and accepted" "yes accepted -" \
    "$(field $H5 587 smtp.starttls) $(field $H5 587 smtp.starttls_result) $(field $H5 587 smtp.starttls_reply)"
expect_eq "smtp 587: the session ran over TLS" true "$(over_tls $H5 587)"
expect_eq "smtp 587: TLS version" TLSv1.3 "$(field $H5 587 tls.version)"
expect_eq "smtp 587: self-signed certificate" \
    "yes CN=mail.clinique-demo.test CN=mail.clinique-demo.test" \
    "$(field $H5 587 tls.self_signed) $(field $H5 587 tls.subject) $(field $H5 587 tls.issuer)"
expect_eq "smtp 587: certificate names and validity" \
    "DNS:mail.clinique-demo.test no RSA 2048" \
    "$(field $H5 587 tls.san) $(field $H5 587 tls.expired) $(field $H5 587 tls.key_type) $(field $H5 587 tls.key_bits)"
expect_eq "smtp 587: chain verification" "self-signed certificate" \
    "$(field $H5 587 tls.verify)"
expect_eq "smtp 587: EHLO keywords over TLS" \
    "SIZE 8BITMIME PIPELINING PIPECONNECT AUTH CHUNKING SMTPUTF8 HELP" \
    "$(field $H5 587 smtp.ehlo_tls)"
expect_eq "smtp 587: AUTH offered over TLS only" "- PLAIN" \
    "$(field $H5 587 smtp.auth) $(field $H5 587 smtp.auth_tls)"

# Then the TLS measurements, each on a connection of its own through
# STARTTLS (smtp_tls_legacy...): exim with GnuTLS, at Debian 12's default
# priorities, still accepts TLS 1.1 and TLS 1.0 (checked with openssl
# s_client -starttls smtp -tls1_1 / -tls1), and no weak suite (an alert,
# handshake_failure).  TLS 1.1, weak suites, TLS 1.0, TLS 1.2 alone: the
# four follow-ups PROBE_THEN_MAX allows, so SSL 3.0 is not asked.
expect_eq "smtp 587: legacy protocols measured through STARTTLS" \
    "yes yes yes ECDHE-RSA-AES128-SHA" \
    "$(field $H5 587 tls.tls1_1) $(field $H5 587 tls.tls1_0) $(field $H5 587 tls.tls1_2) $(field $H5 587 tls.legacy_cipher)"
expect_eq "smtp 587: no weak suite accepted, SSL 3.0 not asked" "none -" \
    "$(field $H5 587 tls.weak_cipher) $(field $H5 587 tls.ssl3)"
expect_eq "smtp 25: no STARTTLS, nothing measured" "- -" \
    "$(field $H5 25 tls.tls1_1) $(field $H5 25 tls.weak_cipher)"

expect_eq "store agrees: 11 services" 11 \
    "$(sqlite3 "$WORK/vigie.db" 'SELECT count(*) FROM services' 2>/dev/null || echo '?')"
finish
