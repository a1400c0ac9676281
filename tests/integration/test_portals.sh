#!/usr/bin/env bash
# test_portals - VPN portals, TLS facts and SNMP against the lab's real
# servers (tests/lab/hosts/portal.sh): what the HTTPS probe's portal
# follow-ups and TLS measurements record, field by field, and the
# findings they make, the MFA verdict in the evidence.
#
#   h11:443    ocserv, password only, two tunnel groups   mfa-unknown
#   h11:4443   ocserv, password then OTP (asked after it)  mfa-unknown
#   h11:8443   nginx, Ivanti-shaped page, second password  mfa-indicated
#              TLS 1.0-1.2, expired self-signed RSA-1024
#   h11:10443  nginx, FortiGate-shaped portal, SAML IdP    mfa-probable
#   h12:U161   snmpd, community "public"
#
# What probes record does not depend on the discovery engine.
# modes: connect
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE=${VIGIE_MODE:-connect}
echo "  engine: $MODE"
H11=198.51.100.110	# VPN gateways and portals
H12=198.51.100.120	# networked UPS
PORTS=T:443,4443,8443,10443,U:161

lab_up
start=$(date +%s)
vigie_lab scan --target "$H11,$H12" --ports "$PORTS" --mode "$MODE" \
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

# evidence IP PORT RULE prints a finding's evidence ("-" when absent).
evidence() {
	jq -r --arg ip "$1" --argjson port "$2" --arg r "$3" \
	    'select(.type=="finding" and .ip==$ip and .port==$port and
	    .rule==$r) | .evidence // "-"' "$J"
}

expect_set "open ports" "
$H11:443 tcp
$H11:4443 tcp
$H11:8443 tcp
$H11:10443 tcp
$H12:161 udp" \
    "$(jq -r 'select(.type=="port" and .state=="open") | "\(.ip):\(.port) \(.proto)"' "$J")"

expect_set "services, products, versions" "
$H11:443 https ocserv - https ok
$H11:4443 https ocserv - https ok
$H11:8443 https nginx 1.22.1 https ok
$H11:10443 https nginx 1.22.1 https ok
$H12:161 snmp - - snmp ok" \
    "$(jq -r 'select(.type=="service") | "\(.ip):\(.port) \(.service) \(.product // "-") \(.version // "-") \(.probe) \(.status)"' "$J")"

# ocserv: "GET /" already shows its first form; the AnyConnect init
# follows on the same connection, and asks the same: a username, and the
# tunnel groups on 443.  The OTP of 4443 comes after the password.
for port in 443 4443; do
	expect_eq "ocserv $port: product" "ocserv (OpenConnect server)" \
	    "$(field $H11 $port vpn.product)"
	expect_eq "ocserv $port: the AnyConnect init answered" "POST / 200" \
	    "$(field $H11 $port vpn.requests)"
	expect_eq "ocserv $port: form" "username:text" \
	    "$(field $H11 $port vpn.auth_fields)"
	expect_eq "ocserv $port: message" "Please enter your username." \
	    "$(field $H11 $port vpn.message)"
	expect_eq "ocserv $port: no SSO" - "$(field $H11 $port vpn.saml)"
done
expect_eq "ocserv 443: tunnel groups" "Soignants, Prestataires" \
    "$(field $H11 443 vpn.groups)"
expect_eq "ocserv 4443: no group" - "$(field $H11 4443 vpn.groups)"

# The Ivanti-shaped portal: its "GET /" redirects to the sign-in page,
# which has a second password field.
expect_eq "8443: product" "Ivanti Connect Secure (Pulse Secure)" \
    "$(field $H11 8443 vpn.product)"
expect_eq "8443: one follow-up" \
    "GET /dana-na/auth/url_default/welcome.cgi 200" \
    "$(field $H11 8443 vpn.requests)"
expect_eq "8443: two secrets" \
    "username:text password:password password#2:password" \
    "$(field $H11 8443 vpn.auth_fields)"

# The FortiGate-shaped portal: login page, then the SAML start, which
# redirects to the IdP (recorded, never visited).
expect_eq "10443: product" "Fortinet FortiGate SSL-VPN" \
    "$(field $H11 10443 vpn.product)"
expect_eq "10443: follow-ups" \
    "GET /remote/login?lang=en 200, GET /remote/saml/start?redirect=1 302" \
    "$(field $H11 10443 vpn.requests)"
expect_eq "10443: SAML, IdP" "yes idp.clinique-demo.test" \
    "$(field $H11 10443 vpn.saml) $(field $H11 10443 vpn.idp)"

# TLS: the main handshake, then TLS 1.1 offered alone (tls_legacy, the
# `then` of probe_https), and the measurements chained to it (weak suites
# alone; TLS 1.0 alone after TLS 1.1; TLS 1.2 alone after TLS 1.3; SSL 3.0
# last: the runtime counts only the follow-ups that run against
# PROBE_THEN_MAX, and the skipped ones leave room for it).  They run where the runtime follows a follow-up's own `then`
# (probes/probe.c), and are checked then.
chained=no
[ "$(field $H11 8443 tls.weak_cipher)" != - ] && chained=yes
echo "  TLS measurements chained: $chained"
expect_eq "ocserv 443: TLS 1.3, P-256" "TLSv1.3 yes EC 256" \
    "$(field $H11 443 tls.version) $(field $H11 443 tls.tls1_3) $(field $H11 443 tls.key_type) $(field $H11 443 tls.key_bits)"
expect_eq "ocserv 443: nothing below TLS 1.2" "no no no" \
    "$(field $H11 443 tls.tls1_1) $(field $H11 443 tls.tls1_0) $(field $H11 443 tls.ssl3)"
expect_eq "8443: TLS 1.2, then TLS 1.1 accepted" "TLSv1.2 yes yes" \
    "$(field $H11 8443 tls.version) $(field $H11 8443 tls.tls1_2) $(field $H11 8443 tls.tls1_1)"
expect_eq "8443: the legacy suite" ECDHE-RSA-AES128-SHA \
    "$(field $H11 8443 tls.legacy_cipher)"
expect_eq "8443: expired, self-signed, RSA-1024" \
    "yes yes RSA 1024 2024-01-01T00:00:00Z" \
    "$(field $H11 8443 tls.expired) $(field $H11 8443 tls.self_signed) $(field $H11 8443 tls.key_type) $(field $H11 8443 tls.key_bits) $(field $H11 8443 tls.not_after)"
expect_eq "8443: the verification says why" "certificate has expired" \
    "$(field $H11 8443 tls.verify)"
if [ "$chained" = yes ]; then
	expect_eq "8443: TLS 1.0 yes, SSL 3.0 refused, an anonymous suite" \
	    "yes no AECDH-AES128-SHA" \
	    "$(field $H11 8443 tls.tls1_0) $(field $H11 8443 tls.ssl3) $(field $H11 8443 tls.weak_cipher)"
	expect_eq "ocserv 443: TLS 1.2 too, no weak suite" "yes none" \
	    "$(field $H11 443 tls.tls1_2) $(field $H11 443 tls.weak_cipher)"
	expect_eq "10443: TLS 1.2 too, nothing legacy" "yes no no no none" \
	    "$(field $H11 10443 tls.tls1_2) $(field $H11 10443 tls.tls1_1) $(field $H11 10443 tls.tls1_0) $(field $H11 10443 tls.ssl3) $(field $H11 10443 tls.weak_cipher)"
	weak="$H11:8443 tls-weak-cipher"
	versions="TLSv1 TLSv1.1 TLSv1.2"
else
	weak=
	versions="TLSv1.1 TLSv1.2"
fi

# SNMP: the UPS describes itself to anyone with "public".
expect_eq "snmp: public accepted" "v2c public yes" \
    "$(field $H12 161 snmp.version) $(field $H12 161 snmp.community) $(field $H12 161 snmp.community_accepted)"
case $(field $H12 161 snmp.sysdescr) in
"APC Web/SNMP Management Card (MB:v4.1.0 "*) ok "snmp: sysDescr" ;;
*) not_ok "snmp sysDescr: '$(field $H12 161 snmp.sysdescr)'" ;;
esac

expect_set "findings" "
$H11:443 tls-self-signed
$H11:443 vpn-gateway-exposed
$H11:443 vpn-mfa-not-evident
$H11:4443 tls-self-signed
$H11:4443 vpn-gateway-exposed
$H11:4443 vpn-mfa-not-evident
$H11:8443 tls-self-signed
$H11:8443 tls-expired
$H11:8443 tls-legacy-protocol
$H11:8443 tls-short-key
$weak
$H11:8443 outdated-software
$H11:8443 vpn-gateway-exposed
$H11:8443 vpn-mfa-not-evident
$H11:10443 tls-self-signed
$H11:10443 outdated-software
$H11:10443 vpn-gateway-exposed
$H12:161 snmp-default-community" \
    "$(jq -r 'select(.type=="finding") | "\(.ip):\(.port) \(.rule)"' "$J")"

# The MFA verdict and its basis, in the evidence.
for port in 443 4443; do
	case $(evidence $H11 $port vpn-mfa-not-evident) in
	"vpn=ocserv (OpenConnect server); mfa=mfa-unknown; vpn.auth_fields=username:text; mfa_basis="*)
		ok "vpn-mfa-not-evident $port: mfa-unknown" ;;
	*) not_ok "vpn-mfa-not-evident $port: '$(evidence $H11 $port vpn-mfa-not-evident)'" ;;
	esac
done
case $(evidence $H11 443 vpn-mfa-not-evident) in
*"; vpn.groups=Soignants, Prestataires") ok "vpn-mfa-not-evident 443: groups in the evidence" ;;
*) not_ok "vpn-mfa-not-evident 443 groups: '$(evidence $H11 443 vpn-mfa-not-evident)'" ;;
esac
case $(evidence $H11 8443 vpn-mfa-not-evident) in
"vpn=Ivanti Connect Secure (Pulse Secure); mfa=mfa-indicated; vpn.auth_fields=username:text password:password password#2:password; "*)
	ok "vpn-mfa-not-evident 8443: mfa-indicated" ;;
*) not_ok "vpn-mfa-not-evident 8443: '$(evidence $H11 8443 vpn-mfa-not-evident)'" ;;
esac
case $(evidence $H11 10443 vpn-gateway-exposed) in
"vpn=Fortinet FortiGate SSL-VPN; mfa=mfa-probable; vpn.idp=idp.clinique-demo.test; "*)
	ok "vpn-gateway-exposed 10443: mfa-probable, IdP named" ;;
*) not_ok "vpn-gateway-exposed 10443: '$(evidence $H11 10443 vpn-gateway-exposed)'" ;;
esac
expect_eq "tls-legacy-protocol 8443: evidence" \
    "tls.versions=$versions; tls.legacy_cipher=ECDHE-RSA-AES128-SHA" \
    "$(evidence $H11 8443 tls-legacy-protocol)"
expect_eq "tls-short-key 8443: evidence" \
    "tls.key_type=RSA; tls.key_bits=1024; tls.subject=CN=portail.clinique-demo.test" \
    "$(evidence $H11 8443 tls-short-key)"
expect_eq "MFA findings ask for confirmation" "to-verify to-verify to-verify" \
    "$(jq -r 'select(.type=="finding" and .rule=="vpn-mfa-not-evident") | .confidence' "$J" | xargs)"

expect_eq "store agrees: 5 services" 5 \
    "$(sqlite3 "$WORK/vigie.db" 'SELECT count(*) FROM services' 2>/dev/null || echo '?')"
finish
