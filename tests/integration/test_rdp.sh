#!/usr/bin/env bash
# test_rdp - the RDP security recipe against the lab's real servers: what
# the probe records, field by field, and the findings, for
#   h1:3389   xrdp, security_layer=negotiate (TLS, Standard RDP Security)
#   h14:3389  FreeRDP's shadow server with NLA enforced: the hardened
#             host, whose only finding is the exposure itself
#   h14:3390  xrdp, security_layer=tls, a certificate naming an internal
#             host (srv-dpi-02.chu-demo.local)
#   h14:3391  FreeRDP, TLS or CredSSP, NLA not enforced: only the third
#             offer (TLS alone) proves it
#   h14:3392  FreeRDP, Standard RDP Security only
# and how many connections each port took (three at most), counted by
# h14's iptables (tests/lab/hosts/rdp.sh).  Then h14:443, the 3391 server
# behind a port-forward, in a scan of its own with every probe: the
# usual probe of 443 (HTTPS) fails, the generic sequence reaches RDP, and
# the port comes out as RDP with the same recipe as 3391.  In the first
# scan only the RDP probes run, so
# that the ports other than 3389 do not go through the generic sequence
# (banner, HTTPS, HTTP) first.  The hardened host's
# certificate comes from the lab's authority, which this scan trusts
# (SSL_CERT_FILE) as it would a recognised one.
#
# What the engine discovers is test_foundation's business: this scenario
# is about what the probe records.
# modes: connect
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE=${VIGIE_MODE:-connect}
echo "  engine: $MODE"
H1=198.51.100.10
H14=198.51.100.140
if [ "$VIGIE_LAB_PREFIX" = vg ]; then
	LAB_DIR=${VIGIE_LAB_DIR:-/run/vigie-lab}
else
	LAB_DIR=${VIGIE_LAB_DIR:-/run/vigie-lab-$VIGIE_LAB_PREFIX}
fi

# syns PORT: the SYNs h14 has received on PORT, counted before the
# port-forward of 443 to 3391 (tests/lab/hosts/rdp.sh).
syns() {
	ip netns exec "$VIGIE_LAB_PREFIX-h14" iptables -w -t mangle \
	    -L PREROUTING -n -v -x |
	    awk -v p="dpt:$1" '$0 ~ p"$" || $0 ~ p" " { print $1 }'
}

lab_up
declare -A before
for port in 3389 3390 3391 3392; do
	before[$port]=$(syns $port)
done
start=$(date +%s.%N)
"$LAB" exec env SSL_CERT_FILE="$LAB_DIR/h14/ca.pem" "$VIGIE" scan \
    --target "$H1,$H14" --ports 3389-3392 --probes rdp,rdp_std,rdp_tls \
    --mode "$MODE" \
    --db "$WORK/vigie.db" --out "$WORK/scan.jsonl" --allow "$LAB_ALLOW" \
    --timeout 2000 --retries 1 --quiet 2>"$WORK/scan.err" || {
	cat "$WORK/scan.err" >&2
	not_ok "scan exit status"
}
printf '  scan took %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
J=$WORK/scan.jsonl

# field IP PORT KEY prints one observed field ("-" when absent).
field() {
	jq -r --arg ip "$1" --argjson port "$2" --arg k "$3" \
	    'select(.type=="service" and .ip==$ip and .port==$port) |
	    .fields[$k] // "-"' "$J"
}

# fields IP PORT KEY...: the values, space-separated.
fields() {
	local ip=$1 port=$2 k out=""
	shift 2
	for k in "$@"; do
		out="$out $(field "$ip" "$port" "$k")"
	done
	echo "${out# }"
}

expect_set "services" "
$H1:3389 rdp tls ok
$H14:3389 rdp tls ok
$H14:3390 rdp tls ok
$H14:3391 rdp tls ok
$H14:3392 rdp plain ok" \
    "$(jq -r 'select(.type=="service") | "\(.ip):\(.port) \(.service) \(if .tls then "tls" else "plain" end) \(.status)"' "$J")"

# The three answers and what they prove.  Per port: the X.224 SRC-REF,
# the answer to TLS or CredSSP, to Standard RDP Security alone, to TLS
# alone; then Standard RDP Security, NLA, TLS.
K=(rdp.x224_src_ref rdp.selected_protocol rdp.neg_failure rdp.rdp_only
    rdp.ssl_only)
V=(rdp.standard_security rdp.nla rdp.tls)
expect_eq "$H1:3389 xrdp negotiate: answers" \
    "0x1234 ssl - standard_rdp -" "$(fields $H1 3389 "${K[@]}")"
expect_eq "$H1:3389 xrdp negotiate: verdicts" \
    "allowed not_supported supported" "$(fields $H1 3389 "${V[@]}")"
expect_eq "$H14:3389 FreeRDP NLA: answers" \
    "0x0000 hybrid - hybrid_required_by_server -" "$(fields $H14 3389 "${K[@]}")"
expect_eq "$H14:3389 FreeRDP NLA: verdicts" \
    "refused required supported" "$(fields $H14 3389 "${V[@]}")"
expect_eq "$H14:3390 xrdp tls: answers" \
    "0x1234 ssl - ssl_required_by_server -" "$(fields $H14 3390 "${K[@]}")"
expect_eq "$H14:3390 xrdp tls: verdicts" \
    "refused not_supported supported" "$(fields $H14 3390 "${V[@]}")"
expect_eq "$H14:3391 FreeRDP TLS or NLA: answers" \
    "0x0000 hybrid - ssl_required_by_server ssl" "$(fields $H14 3391 "${K[@]}")"
expect_eq "$H14:3391 FreeRDP TLS or NLA: verdicts" \
    "refused supported supported" "$(fields $H14 3391 "${V[@]}")"
expect_eq "$H14:3392 FreeRDP Standard only: answers" \
    "0x0000 - ssl_not_allowed_by_server - -" "$(fields $H14 3392 "${K[@]}")"
expect_eq "$H14:3392 FreeRDP Standard only: verdicts" \
    "allowed not_supported not_supported" "$(fields $H14 3392 "${V[@]}")"
expect_eq "RSP flags: xrdp 0x01, FreeRDP 0x03" "0x01 0x03 0x01 0x03 -" \
    "$(field $H1 3389 rdp.neg_flags) $(field $H14 3389 rdp.neg_flags) $(field $H14 3390 rdp.neg_flags) $(field $H14 3391 rdp.neg_flags) $(field $H14 3392 rdp.neg_flags)"

# The certificates, read after the upgrade to TLS.
expect_eq "$H14:3389 certificate from the lab's authority" \
    "CN=teleconsult.ght-demo.test|CN=AC GHT de Demo,O=GHT de Demo|DNS:teleconsult.ght-demo.test|no|ok" \
    "$(field $H14 3389 tls.subject)|$(field $H14 3389 tls.issuer)|$(field $H14 3389 tls.san)|$(field $H14 3389 tls.self_signed)|$(field $H14 3389 tls.verify)"
expect_eq "$H14:3390 self-signed, internal name" \
    "CN=srv-dpi-02.chu-demo.local|yes" \
    "$(field $H14 3390 tls.subject)|$(field $H14 3390 tls.self_signed)"
expect_eq "$H1:3389 self-signed" "CN=srv-rdp.chu-demo.test|yes" \
    "$(field $H1 3389 tls.subject)|$(field $H1 3389 tls.self_signed)"
expect_eq "$H14:3392 Standard only: no TLS" "- -" \
    "$(field $H14 3392 tls.subject) $(field $H14 3392 tls.version)"

# NTLM over CredSSP: FreeRDP names its host from the UTS namespace
# (teleconsult) and claims WinPR's Windows 7 SP1.  xrdp has no CredSSP.
N=(rdp.credssp_version rdp.ntlm.netbios_computer rdp.ntlm.netbios_domain
    rdp.ntlm.dns_computer rdp.ntlm.dns_domain rdp.ntlm.dns_tree
    rdp.ntlm.version)
for port in 3389 3391; do
	expect_eq "$H14:$port NTLM challenge" \
	    "6 TELECONSULT TELECONSULT teleconsult teleconsult - 6.1.7601" \
	    "$(fields $H14 $port "${N[@]}")"
done
expect_eq "no NTLM from xrdp nor Standard RDP Security" "- - -" \
    "$(field $H1 3389 rdp.ntlm.version) $(field $H14 3390 rdp.ntlm.version) $(field $H14 3392 rdp.ntlm.version)"

# The findings: the hardened host raises the exposure only.  FreeRDP's
# made-up Windows 7 is not taken for an end-of-life Windows.
expect_set "findings" "
$H1:3389 rdp-exposed high
$H1:3389 rdp-no-nla high
$H1:3389 rdp-standard-security high
$H1:3389 tls-self-signed medium
$H14:3389 rdp-exposed high
$H14:3390 rdp-exposed high
$H14:3390 rdp-no-nla high
$H14:3390 rdp-internal-name-leak low
$H14:3390 tls-self-signed medium
$H14:3391 rdp-exposed high
$H14:3391 rdp-no-nla high
$H14:3392 rdp-exposed high
$H14:3392 rdp-no-nla high
$H14:3392 rdp-standard-security high" \
    "$(jq -r 'select(.type=="finding") | "\(.ip):\(.port) \(.rule) \(.severity)"' "$J")"
expect_eq "rdp-no-nla on $H14:3391 rests on the TLS-only answer" \
    "rdp.nla=supported; rdp.standard_security=refused; rdp.selected_protocol=hybrid; rdp.rdp_only=ssl_required_by_server; rdp.ssl_only=ssl" \
    "$(jq -r --arg ip $H14 'select(.type=="finding" and .ip==$ip and .port==3391 and .rule=="rdp-no-nla") | .evidence' "$J")"
expect_eq "the leak names the certificate" \
    "tls.subject=CN=srv-dpi-02.chu-demo.local" \
    "$(jq -r --arg ip $H14 'select(.type=="finding" and .ip==$ip and .port==3390 and .rule=="rdp-internal-name-leak") | .evidence' "$J")"

# Connections per port: the discovery's one, then one per offer the
# answers before it left worth making.
for want in 3389:2 3390:2 3391:3 3392:1; do
	port=${want%:*}
	expect_eq "$H14:$port: ${want#*:} probe connection(s)" "${want#*:}" \
	    "$(($(syns "$port") - ${before[$port]} - 1))"
done

# RDP on the HTTPS port, as a hospital's firewall forwards it: h14's
# iptables redirects 443 to the 3391 server.  Every probe may run: the
# plan is 443's usual probe (https), then the generic sequence (banner,
# http, rdp...).  The port must come out as RDP with 3391's recipe,
# nothing of the failed HTTPS attempt left in it.
J3391=$J
J=$WORK/scan443.jsonl
before[443]=$(syns 443)
start=$(date +%s.%N)
"$LAB" exec env SSL_CERT_FILE="$LAB_DIR/h14/ca.pem" "$VIGIE" scan \
    --target "$H14" --ports 443 --mode "$MODE" \
    --db "$WORK/vigie443.db" --out "$J" --allow "$LAB_ALLOW" \
    --timeout 2000 --retries 1 --quiet 2>"$WORK/scan443.err" || {
	cat "$WORK/scan443.err" >&2
	not_ok "scan of 443: exit status"
}
printf '  scan of %s:443 took %.1f s\n' "$H14" \
    "$(echo "$(date +%s.%N) - $start" | bc)"
expect_eq "$H14:443 forwarded to 3391: service" "rdp rdp tls ok" \
    "$(jq -r 'select(.type=="service") | "\(.service) \(.probe) \(if .tls then "tls" else "plain" end) \(.status)"' "$J")"
expect_eq "$H14:443 forwarded to 3391: answers" \
    "0x0000 hybrid - ssl_required_by_server ssl" "$(fields $H14 443 "${K[@]}")"
expect_eq "$H14:443 forwarded to 3391: verdicts" \
    "refused supported supported" "$(fields $H14 443 "${V[@]}")"
expect_eq "$H14:443 forwarded to 3391: RSP flags, certificate" \
    "0x03|CN=teleconsult.ght-demo.test|ok" \
    "$(field $H14 443 rdp.neg_flags)|$(field $H14 443 tls.subject)|$(field $H14 443 tls.verify)"
expect_eq "$H14:443 forwarded to 3391: NTLM challenge" \
    "6 TELECONSULT TELECONSULT teleconsult teleconsult - 6.1.7601" \
    "$(fields $H14 443 "${N[@]}")"
expect_eq "$H14:443 records what 3391 records, field for field" \
    "$(jq -cS --arg ip $H14 'select(.type=="service" and .ip==$ip and .port==3391) | .fields' "$J3391")" \
    "$(jq -cS --arg ip $H14 'select(.type=="service" and .ip==$ip and .port==443) | .fields' "$J")"
expect_set "$H14:443 findings" "
$H14:443 rdp-exposed high
$H14:443 rdp-no-nla high" \
    "$(jq -r 'select(.type=="finding") | "\(.ip):\(.port) \(.rule) \(.severity)"' "$J")"
expect_eq "rdp-no-nla on $H14:443 rests on the TLS-only answer" \
    "rdp.nla=supported; rdp.standard_security=refused; rdp.selected_protocol=hybrid; rdp.rdp_only=ssl_required_by_server; rdp.ssl_only=ssl" \
    "$(jq -r 'select(.type=="finding" and .port==443 and .rule=="rdp-no-nla") | .evidence' "$J")"
# Its cost: the discovery's connection, one for https (the handshake
# fails), one for the banner (silent until the probe timeout), one for
# http, then rdp's three offers.
expect_eq "$H14:443: 6 probe connection(s)" 6 \
    "$(($(syns 443) - ${before[443]} - 1))"
finish
