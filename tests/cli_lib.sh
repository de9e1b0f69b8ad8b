# What the command-line test scripts share (examples_cli.sh, toolkit_cli.sh,
# outputs_cli.sh): a temporary directory, failures counted, a program run
# with its status and output kept, the check of a one-line error, and the
# final verdict. Sourced, never run: `. "$(dirname "$0")/cli_lib.sh" NAME`.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nn-$1-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run PROGRAM ARGS...: status in $rc, stdout in $tmp/out, stderr in $tmp/err
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect_error WANT-STATUS WORD PROGRAM ARGS...: exits WANT-STATUS with one
# line on stderr that contains WORD, no file left in $tmp/outdir, and for a
# usage error nothing on stdout.
expect_error() {
	local want=$1 word=$2
	shift 2
	rm -rf "$tmp/outdir"
	mkdir "$tmp/outdir"
	run "$@"
	local what="$(basename "$1") ${*:2}"
	[ "$rc" -eq "$want" ] || fail "$what: exit status $rc, want $want"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$what: stderr is not one line: $(cat "$tmp/err")"
	grep -qF -- "$word" "$tmp/err" || fail "$what: error does not name '$word': $(cat "$tmp/err")"
	[ -z "$(ls -A "$tmp/outdir")" ] || fail "$what: left files: $(ls -A "$tmp/outdir")"
	if [ "$want" -eq 2 ] && [ -s "$tmp/out" ]; then
		fail "$what: printed to stdout on a usage error"
	fi
}

# png_ok FILE: FILE starts with the PNG signature
png_ok() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

# finish: the verdict and the exit status
finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures failures" >&2
		exit 1
	fi
	echo "all passed"
	exit 0
}
