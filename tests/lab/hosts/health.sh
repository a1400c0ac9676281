# hosts/health.sh - h10, a hospital's imaging and interface server
# (sourced by lab.sh; see hosts/README).
#
#   ${P}-h10  198.51.100.100/24  PACS and interface engine:
#     dicom 104    DCMTK storescp: no called AE title check, so any
#                  caller's association is accepted (A-ASSOCIATE-AC)
#     dicom 11112  DCMTK dcmqrscp with one archive, AE title PACS_CHU
#                  (conf/health-dcmqrscp.cfg.in): any other called AE
#                  title is refused (A-ASSOCIATE-RJ, reason 7)
#     hl7 2575     hl7-mllp.py, a STAND-IN MLLP listener (Debian has no
#                  HL7 engine): an empty block is answered MSA|AR
#
# storescp's option list has no called AE title check at all (unlike
# dcmqrscp's AETable, or storescp's own --config-file profiles, which
# restrict SOP classes, not titles), so its default is the open PACS the
# rule dicom-open-association describes.  dcmqrscp and the stand-in run
# as unprivileged users; storescp as root with no capability but binding
# port 104.
# All three start in well under a second.

# shellcheck disable=SC2034	# H10 is the tests' as much as ours
H10=198.51.100.100
NAMESPACES+=(${P}-h10)
LISTENERS+=(
	"storescp-h10 ${P}-h10 $H10 104"
	"dcmqrscp-h10 ${P}-h10 $H10 11112"
	"hl7-h10 ${P}-h10 $H10 2575"
)
HOSTS+=(health)

health_configure() {
	local d=$LAB_DIR/h10

	mkdir -p "$d/storescp" "$d/dcmqrscp/db/PACS_CHU"
	render health-dcmqrscp.cfg.in "$d/dcmqrscp/dcmqrscp.cfg" \
	    DIR="$d/dcmqrscp"
	chown -R dcmtk:dcmtk "$d/dcmqrscp/db"
	# The stand-in runs as nobody, from a copy in the state directory.
	install -m 755 "$HERE/hl7-mllp.py" "$d/hl7-mllp.py"
}

health_topology() {
	plug ${P}-h10 p-h10 "$H10/24"
}

health_servers() {
	local d=$LAB_DIR/h10

	# storescp in the foreground, one association at a time; --ignore
	# receives a C-STORE's data but never writes it (none is sent).  Both
	# DICOM servers log each association (--verbose): the integration
	# test reads there what the probe did and did not send.  storescp
	# refuses a port under 1024 unless its effective uid is 0, so it
	# runs as root stripped of every capability but binding the port.
	start storescp-h10 ${P}-h10 setpriv --bounding-set=-all,+net_bind_service \
	    --inh-caps=-all --no-new-privs \
	    storescp --verbose --ignore --output-directory "$d/storescp" 104
	# dcmqrscp opens its port as root, then becomes dcmtk (UserName and
	# GroupName in its configuration).  It forks a child per association,
	# its default: with --single-process it exits after the first release.
	start dcmqrscp-h10 ${P}-h10 dcmqrscp --verbose \
	    --config "$d/dcmqrscp/dcmqrscp.cfg" 11112
	start hl7-h10 ${P}-h10 setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups /usr/bin/python3 "$d/hl7-mllp.py" --bind "$H10" --port 2575
}

health_check() {
	local out

	# A Verification association with a title no server is set up for
	# (DCMTK's echoscu also sends the C-ECHO: this is the lab's own
	# server, unlike the probe, which never does).
	if out=$(in_scan timeout 5 echoscu -aec VIGIE-CHECK "$H10" 104 2>&1); then
		ok "$H10:104 dicom: any called AE title accepted"
	else
		bad "$H10:104 dicom: '$out'"
	fi
	out=$(in_scan timeout 5 echoscu -aec VIGIE-CHECK "$H10" 11112 2>&1 || true)
	case $out in
	*"Called AE Title Not Recognized"*)
		ok "$H10:11112 dicom: unknown called AE title rejected" ;;
	*) bad "$H10:11112 dicom: '$out'" ;;
	esac
	if out=$(in_scan timeout 5 echoscu -aec PACS_CHU "$H10" 11112 2>&1); then
		ok "$H10:11112 dicom: PACS_CHU accepted"
	else
		bad "$H10:11112 dicom: PACS_CHU: '$out'"
	fi

	# An empty MLLP block; the answer's MSA segment says AR.
	out=$(in_scan timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/2575" &&
	    printf "\x0b\x1c\x0d" >&3 && IFS= read -r -d $'"'"'\x1c'"'"' l <&3 &&
	    printf "%s" "$l"' "$H10" 2>/dev/null | tr '\r\013' '\n\n' || true)
	case $out in
	*"MSA|AR|"*) ok "$H10:2575 hl7: empty MLLP block answered MSA|AR" ;;
	*) bad "$H10:2575 hl7: '$out'" ;;
	esac
}
