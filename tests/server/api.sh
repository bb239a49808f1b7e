#!/bin/sh
# `gutskin serve` end to end: start it on a free port with a fresh token
# beside a temporary journal path, run the API checks (api_test.py) over
# loopback, then the command's own behaviour: the token file's mode and
# reuse, a token file others can read refused, bad options, the warning for
# a non-loopback address, and a clean stop on SIGTERM.
# usage: api.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
. tests/server/serve_lib.sh

"$GS" serve --help | grep -q 'not a diagnosis' || fail "--help carries the disclaimer"
"$GS" --help | grep -q '^  serve ' || fail "gutskin --help lists serve"

start_server --db "$T/journal/j.db" --quiet
TOKEN="$T/journal/serve.token"
[ -f "$TOKEN" ] || fail "the token is created beside --db"
[ "$(stat -c %a "$TOKEN")" = 600 ] || fail "the token file has mode 600"
[ "$(stat -c %a "$T/journal")" = 700 ] || fail "a new journal directory has mode 700"
grep -qx '[0-9a-f]\{64\}' "$TOKEN" || fail "the token is 64 hex digits (32 random bytes)"
"$PY" tests/server/api_test.py "$GS" "$PORT" "$TOKEN" "$LINK" || fail "API checks"
stop_server
grep -q 'stopping (SIGTERM)' "$T/err" || fail "serve says it stops"

# the same token on the next start; a new one-time code
first=$(cat "$TOKEN")
old_link=$LINK
start_server --db "$T/journal/j.db"
[ "$(cat "$TOKEN")" = "$first" ] || fail "a second start reuses the token"
[ "$LINK" != "$old_link" ] || fail "every start prints a new login code"
grep -q 'using the access token' "$T/err" || fail "serve names the token file it uses"
stop_server

# XDG_DATA_HOME decides the default place
XDG_DATA_HOME="$T/xdg" start_server
[ -f "$T/xdg/gutskin/serve.token" ] || fail "default token under \$XDG_DATA_HOME/gutskin"
stop_server

# a token file others can read is refused, not used
chmod 644 "$TOKEN"
"$GS" serve --port 0 --db "$T/journal/j.db" >/dev/null 2>"$T/err"
[ $? -eq 2 ] || fail "a world-readable token file: exit 2"
grep -q 'chmod 600' "$T/err" || fail "the refusal says how to fix it"
chmod 600 "$TOKEN"
echo nothex > "$T/bad.token"; chmod 600 "$T/bad.token"
"$GS" serve --port 0 --token-file "$T/bad.token" >/dev/null 2>"$T/err"
[ $? -eq 2 ] || fail "a malformed token file: exit 2"

# options
"$GS" serve --port 70000 >/dev/null 2>&1; [ $? -eq 2 ] || fail "--port 70000: exit 2"
"$GS" serve --bind localhost >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "--bind name: exit 2"
grep -q 'numeric IPv4' "$T/err" || fail "--bind error names what is expected"
"$GS" serve --bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option: exit 2"
"$GS" serve --port 0 --bind 192.0.2.1 --db "$T/journal/j.db" >/dev/null 2>"$T/err"
[ $? -eq 1 ] || fail "an address not on this machine: exit 1"
grep -q 'cannot listen' "$T/err" || fail "the bind failure is named"

# a non-loopback address needs --bind and warns (0.0.0.0: every interface)
rm -f "$T/out"
"$GS" serve --port 0 --bind 0.0.0.0 --db "$T/journal/j.db" >"$T/out" 2>"$T/err" &
PID=$!
i=0
while [ ! -s "$T/out" ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
grep -q 'WARNING: listening on 0.0.0.0, not on loopback' "$T/err" || fail "non-loopback warning"
stop_server
echo "api.sh: all checks passed"
