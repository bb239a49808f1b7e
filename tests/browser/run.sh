#!/bin/sh
# Browser tests of the web app: start `gutskin serve` on a free port with a
# private token, open its one-time login link in headless Chromium driven by
# playwright-core (web/node_modules), and run one scenario script.
# usage: run.sh PATH/TO/gutskin NAME OUTDIR   (runs tests/browser/NAME.mjs;
# screenshots go to OUTDIR).  Exit 77 (ctest: skipped) only when Chromium or
# node is missing, and then it says so loudly.
set -u
GS=$1
NAME=$2
OUT=$3
CHROMIUM=${GS_CHROMIUM:-/usr/bin/chromium}
skip() {
    echo "################################################################" >&2
    echo "SKIPPED browser test $NAME: $*" >&2
    echo "install it with scripts/install-deps.sh" >&2
    echo "################################################################" >&2
    exit 77
}
[ -x "$CHROMIUM" ] || skip "no Chromium at $CHROMIUM"
command -v node >/dev/null 2>&1 || skip "no node"
[ -d web/node_modules/playwright-core ] || { echo "FAIL: web/node_modules/playwright-core is missing (the build runs npm ci)" >&2; exit 1; }
mkdir -p "$OUT"
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
"$GS" serve --port 0 --db "$T/journal.db" --quiet >"$T/out" 2>"$T/err" &
PID=$!
i=0
while [ ! -s "$T/out" ]; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 "$PID" 2>/dev/null; then
        cat "$T/err" >&2
        echo "FAIL: serve did not start" >&2
        exit 1
    fi
    sleep 0.1
done
GS_BIN=$GS GS_CHROMIUM=$CHROMIUM node "tests/browser/$NAME.mjs" "$(head -1 "$T/out")" "$OUT"
rc=$?
kill -TERM "$PID"
wait "$PID" || { echo "FAIL: serve did not stop cleanly" >&2; exit 1; }
PID=
exit $rc
