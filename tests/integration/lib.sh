# lib.sh - shared by the integration scenarios: the lab's life cycle,
# running Vigie inside the scanner namespace, and assertions on its JSON
# lines.  Sourced, not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VIGIE=${VIGIE:-$ROOT/build/vigie}
LAB=$ROOT/tests/lab/lab.sh
# The tests' lab has namespaces of its own (vt-*), apart from the demo's.
export VIGIE_LAB_PREFIX=${VIGIE_LAB_PREFIX:-vt}
WORK=$(mktemp -d /tmp/vigie-it.XXXXXX)
LAB_ALLOW=198.51.100.0/24,203.0.113.0/24
nfail=0

lab_up() {
	trap lab_cleanup EXIT
	"$LAB" up >"$WORK/lab.log" 2>&1 || {
		cat "$WORK/lab.log" >&2
		echo "FAIL: the lab did not come up" >&2
		exit 1
	}
}

lab_cleanup() {
	"$LAB" down >/dev/null 2>&1 || true
	rm -rf "$WORK"
}

# Run vigie inside the scanner namespace.
vigie_lab() {
	"$LAB" exec "$VIGIE" "$@"
}

ok() {
	printf '  ok   %s\n' "$1"
}

not_ok() {
	printf '  FAIL %s\n' "$1" >&2
	nfail=$((nfail + 1))
}

# expect_set NAME EXPECTED ACTUAL: two newline-separated lists, compared
# as sorted sets; the difference is printed.
expect_set() {
	local name=$1 want got
	want=$(printf '%s\n' "$2" | sed '/^$/d' | sort -u)
	got=$(printf '%s\n' "$3" | sed '/^$/d' | sort -u)
	if [ "$want" = "$got" ]; then
		ok "$name"
	else
		not_ok "$name"
		diff <(echo "$want") <(echo "$got") | sed 's/^/       /' >&2 ||
		    true	# diff says 1: the scenario goes on to its end
	fi
}

expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1: expected '$2', got '$3'"
	fi
}

finish() {
	if [ "$nfail" -gt 0 ]; then
		echo "  $nfail assertion(s) failed" >&2
		exit 1
	fi
}
