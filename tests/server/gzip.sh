#!/bin/sh
# Compressed replies end to end: start `gutskin serve` on a journal of
# synthetic entries and run gzip_test.py against it over loopback (gzip
# replies inflate to exactly the identity bytes, for several endpoints;
# no header, gzip;q=0 and identity get identity; Vary on JSON replies),
# with the default connections and again with one (--db-connections 1).
# usage: gzip.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
PY=/usr/bin/python3
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/err" ] && tail -5 "$T/err" >&2; exit 1; }

start_server() {
    rm -f "$T/out"
    "$GS" serve --port 0 --quiet "$@" >"$T/out" 2>"$T/err" &
    PID=$!
    i=0
    while [ ! -s "$T/out" ]; do
        i=$((i + 1))
        [ $i -gt 300 ] && fail "serve did not print its link within 30 s"
        kill -0 "$PID" 2>/dev/null || fail "serve exited at start"
        sleep 0.1
    done
    PORT=$(head -1 "$T/out" | sed -n 's|^http://127\.0\.0\.1:\([0-9]*\)/login.*|\1|p')
    [ -n "$PORT" ] || fail "no port in the login link"
}
stop_server() {
    kill -TERM "$PID"
    wait "$PID" || fail "serve exits 0 on SIGTERM"
    PID=
}

# enough entries that the lists are well above the 1 KiB threshold
"$GS" synth --days 60 --seed 3 >"$T/synth.csv" 2>"$T/err" || fail "synth"
for conns in default 1; do
    mkdir -p "$T/$conns"
    "$GS" import "$T/synth.csv" --db "$T/$conns/j.db" >/dev/null 2>"$T/err" || fail "import"
    if [ $conns = default ]; then start_server --db "$T/$conns/j.db"
    else start_server --db "$T/$conns/j.db" --db-connections $conns; fi
    "$PY" tests/server/gzip_test.py "$PORT" "$T/$conns/serve.token" \
        || fail "compressed replies with $conns connection(s)"
    stop_server
done
echo "gzip.sh: all checks passed"
