#!/usr/bin/env bash
# test_health - the health-sector probes against the lab's h10
# (tests/lab/hosts/health.sh): DCMTK's storescp on 104 accepts any called
# AE title, DCMTK's dcmqrscp on 11112 rejects an unknown one, and the HL7
# stand-in on 2575 answers an empty MLLP block with a NAK.  Asserts what
# each probe records, field by field, the findings raised, and, from the
# servers' own logs, what the probes did and did not send: a release
# after the accepted association, no DIMSE message, no HL7 message.
# The MSSQL probe has no lab server (no SQL Server in Debian): its tests
# are tests/unit/test_mssql.c.
# modes: connect
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE=${VIGIE_MODE:-connect}
echo "  engine: $MODE"
H10=198.51.100.100	# PACS and interface engine
PORTS=104,2575,11112
if [ "$VIGIE_LAB_PREFIX" = vg ]; then
	LAB_DIR=${VIGIE_LAB_DIR:-/run/vigie-lab}
else
	LAB_DIR=${VIGIE_LAB_DIR:-/run/vigie-lab-$VIGIE_LAB_PREFIX}
fi

lab_up
start=$(date +%s%N)
vigie_lab scan --target "$H10" --ports "$PORTS" --mode "$MODE" \
    --db "$WORK/vigie.db" --out "$WORK/scan.jsonl" --allow "$LAB_ALLOW" \
    --timeout 2000 --retries 1 --quiet 2>"$WORK/scan.err" || {
	cat "$WORK/scan.err" >&2
	not_ok "scan exit status"
}
echo "  scan took $((($(date +%s%N) - start) / 1000000)) ms"
J=$WORK/scan.jsonl

# field PORT KEY prints one observed field of h10 ("-" when absent).
field() {
	jq -r --arg ip "$H10" --argjson port "$1" --arg k "$2" \
	    'select(.type=="service" and .ip==$ip and .port==$port) |
	    .fields[$k] // "-"' "$J"
}

expect_set "open ports" "
$H10:104
$H10:2575
$H10:11112" \
    "$(jq -r 'select(.type=="port" and .state=="open") | "\(.ip):\(.port)"' "$J")"

expect_set "services, products, versions" "
$H10:104 dicom DCMTK 3.6.7 dicom ok
$H10:2575 hl7 - - hl7 ok
$H10:11112 dicom - - dicom ok" \
    "$(jq -r 'select(.type=="service") | "\(.ip):\(.port) \(.service) \(.product // "-") \(.version // "-") \(.probe) \(.status)"' "$J")"

# storescp: our made-up called AE title accepted, DCMTK named, released.
expect_eq "dicom 104: association accepted" accepted \
    "$(field 104 dicom.association)"
expect_eq "dicom 104: Verification accepted" acceptance \
    "$(field 104 dicom.verification)"
expect_eq "dicom 104: implementation class UID" 1.2.276.0.7230010.3.0.3.6.7 \
    "$(field 104 dicom.implementation_class_uid)"
expect_eq "dicom 104: implementation version name" OFFIS_DCMTK_367 \
    "$(field 104 dicom.implementation_version)"
expect_eq "dicom 104: max PDU" 16384 "$(field 104 dicom.max_pdu)"
expect_eq "dicom 104: A-RELEASE-RP received" yes "$(field 104 dicom.release)"
expect_eq "dicom 104: no rejection recorded" "- -" \
    "$(field 104 dicom.reject_reason) $(field 104 dicom.error)"

# dcmqrscp: rejected, called AE title not recognized; nothing else told.
expect_eq "dicom 11112: association rejected" rejected \
    "$(field 11112 dicom.association)"
expect_eq "dicom 11112: result, source, reason" \
    "permanent service-user called-ae-title-not-recognized" \
    "$(field 11112 dicom.reject_result) $(field 11112 dicom.reject_source) $(field 11112 dicom.reject_reason)"
expect_eq "dicom 11112: no implementation fields" "- - -" \
    "$(field 11112 dicom.implementation_version) $(field 11112 dicom.implementation_class_uid) $(field 11112 dicom.release)"

# The HL7 stand-in: MLLP framing, its MSH and MSA.
expect_eq "hl7: MLLP framing" mllp "$(field 2575 hl7.framing)"
expect_eq "hl7: sending application and facility" "HL7-STANDIN CHU-DEMO-LAB" \
    "$(field 2575 hl7.sending_application) $(field 2575 hl7.sending_facility)"
expect_eq "hl7: message type and version" "ACK 2.5.1" \
    "$(field 2575 hl7.message_type) $(field 2575 hl7.version)"
expect_eq "hl7: NAK (application reject)" "AR" "$(field 2575 hl7.ack_code)"
expect_eq "hl7: NAK text" "Empty message" "$(field 2575 hl7.ack_text)"
expect_eq "hl7: no error, no commit" "- -" \
    "$(field 2575 hl7.error) $(field 2575 hl7.commit)"

expect_set "findings" "
$H10:104 dicom-exposed high Exposition
$H10:104 dicom-open-association critical Comptes
$H10:11112 dicom-exposed high Exposition
$H10:2575 hl7-exposed high Exposition" \
    "$(jq -r 'select(.type=="finding") | "\(.ip):\(.port) \(.rule) \(.severity) \(.theme)"' "$J")"
expect_eq "open association: evidence" \
    "dicom.association=accepted; dicom.verification=acceptance; dicom.implementation_version=OFFIS_DCMTK_367; product=DCMTK; version=3.6.7" \
    "$(jq -r 'select(.type=="finding" and .rule=="dicom-open-association") | .evidence' "$J")"
expect_eq "every finding has a French title and remediation" 0 \
    "$(jq -r 'select(.type=="finding" and ((.title // "") == "" or (.remediation // "") == ""))' "$J" | wc -l)"

# The servers' side.  storescp saw one association, acknowledged and
# released, and no DIMSE message (no C-ECHO, no C-STORE).
S=$LAB_DIR/log/storescp-h10.log
expect_eq "storescp: one association acknowledged, then released" "1 1" \
    "$(grep -c 'Association Acknowledged' "$S") $(grep -c 'Association Release' "$S")"
expect_eq "storescp: no DIMSE message received" 0 \
    "$(grep -ciE 'echo|store|C-[A-Z]+ ' "$S" || true)"
expect_eq "dcmqrscp: refused our called AE title" 1 \
    "$(grep -c 'Refusing Association (BadAEService)' "$LAB_DIR/log/dcmqrscp-h10.log")"
# The stand-in logs one line per block: ours was empty, and the only one.
expect_eq "hl7 stand-in: one empty block, no message" \
    "0-byte block, answered AR" \
    "$(sed -n 's/^hl7-mllp: [0-9.]*:[0-9]*: \(.*block.*\)$/\1/p' "$LAB_DIR/log/hl7-h10.log")"

expect_eq "store agrees: 3 services" 3 \
    "$(sqlite3 "$WORK/vigie.db" 'SELECT count(*) FROM services' 2>/dev/null || echo '?')"
finish
