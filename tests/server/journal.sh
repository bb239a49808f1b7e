#!/bin/sh
# The journal over HTTP end to end: start `gutskin serve` on a fresh
# journal and run journal_test.py against it over loopback (every journal
# endpoint, the security checks on them, results compared with the
# command line on the same journal file), with the default connections
# (readers and a writer) and again with a single mutex-protected one
# (--db-connections 1), which must give the same answers.
# usage: journal.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
. tests/server/serve_lib.sh

for conns in default 1; do
    mkdir -p "$T/$conns"
    if [ $conns = default ]; then start_server --quiet --db "$T/$conns/j.db"
    else start_server --quiet --db "$T/$conns/j.db" --db-connections $conns; fi
    "$PY" tests/server/journal_test.py "$GS" "$PORT" "$T/$conns/serve.token" "$T/$conns/j.db" \
        || fail "journal API checks with $conns connection(s)"
    stop_server
done

# the statistics endpoints on a synthetic journal with a planted trigger and effect
mkdir -p "$T/synth"
"$GS" synth --days 150 --seed 11 --trigger dairy:1:2 --effect zinc:75:-2 >"$T/synth.csv" 2>"$T/err" \
    || fail "synth"
"$GS" import "$T/synth.csv" --db "$T/synth/j.db" 2>"$T/err" || fail "import the synthetic journal"
start_server --quiet --db "$T/synth/j.db"
"$PY" tests/server/analyze_test.py "$GS" "$PORT" "$T/synth/serve.token" "$T/synth/j.db" \
    || fail "analyze API checks"
stop_server

# a file that is not a journal: serve refuses to start, naming it
echo "not a database" > "$T/bad.db"
"$GS" serve --port 0 --db "$T/bad.db" >/dev/null 2>"$T/err"
[ $? -ne 0 ] || fail "serve on a file that is not a journal must fail"
grep -q "bad.db" "$T/err" || fail "the refusal names the file"
"$GS" serve --db-connections 0 >/dev/null 2>&1; [ $? -eq 2 ] || fail "--db-connections 0: exit 2"
echo "journal.sh: all checks passed"
