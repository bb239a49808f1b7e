# What the server's shell tests share (sourced by api.sh, journal.sh,
# gzip.sh): a temporary folder T removed at exit with any server still
# running, fail, and starting and stopping `gutskin serve` on a free port.
# Needs GS (the gutskin binary) set before it is sourced.
PY=/usr/bin/python3
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/err" ] && tail -5 "$T/err" >&2; exit 1; }

# start_server ARGS...: start `gutskin serve --port 0 ARGS` in the
# background and wait for its login link; sets PID, LINK and PORT.
start_server() {
    rm -f "$T/out"  # the background shell truncates it only after the fork
    "$GS" serve --port 0 "$@" >"$T/out" 2>"$T/err" &
    PID=$!
    i=0
    while [ ! -s "$T/out" ]; do
        i=$((i + 1))
        [ $i -gt 300 ] && fail "serve did not print its link within 30 s"
        kill -0 "$PID" 2>/dev/null || fail "serve exited at start"
        sleep 0.1
    done
    LINK=$(head -1 "$T/out")
    PORT=$(echo "$LINK" | sed -n 's|^http://127\.0\.0\.1:\([0-9]*\)/login?code=[0-9a-f]\{64\}$|\1|p')
    [ -n "$PORT" ] || fail "serve printed '$LINK', not http://127.0.0.1:PORT/login?code=HEX"
}

# stop_server: SIGTERM, and the server must exit 0.
stop_server() {
    kill -TERM "$PID"
    wait "$PID"
    rc=$?
    PID=
    [ $rc -eq 0 ] || fail "serve exits 0 on SIGTERM (got $rc)"
}
