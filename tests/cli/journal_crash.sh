#!/bin/sh
# Crash safety of `gutskin import`: a process killed (SIGKILL) in the
# middle of its transaction leaves the journal exactly as it was, readable
# and writable.  Deterministic: GS_TEST_IMPORT_PAUSE_AFTER=N makes the
# import stop inside its transaction after N rows written and say so; the
# test waits for that line, then kills it.
# usage: journal_crash.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
J="--db $T/j.db"

"$GS" log gut bloating 4 --at 2026-03-01T08:00 $J 2>/dev/null || fail "log"
"$GS" start zinc --dose "15 mg" --at 2026-03-01T09:00 $J 2>/dev/null || fail "start"
"$GS" export $J >"$T/before.csv" || fail "export"

# 3000 good rows, enough that SQLite spills pages to the WAL before COMMIT
python3 -c '
import sys
print("timestamp,kind,name,value,unit,note")
for i in range(3000):
    d, h = divmod(i, 24)
    print("2026-04-%02dT%02d:00,gut,pain,%d,,row %d with some text to fill pages" % (1 + d % 28, h, i % 11, i))
print("2026-05-01T08:00,stop,zinc,,,")
' >"$T/big.csv"

GS_TEST_IMPORT_PAUSE_AFTER=2000 "$GS" import "$T/big.csv" $J 2>"$T/err" &
PID=$!
i=0
until grep -q 'paused after 2000 rows' "$T/err" 2>/dev/null; do
    i=$((i + 1))
    [ $i -le 600 ] || fail "the import never reached its pause (stderr: $(cat "$T/err"))"
    kill -0 "$PID" 2>/dev/null || fail "the import ended before its pause: $(cat "$T/err")"
    sleep 0.1
done
# while it is paused with 2000 rows written, others still read the old journal
"$GS" export $J >"$T/during.csv" || fail "export while an import is in its transaction"
cmp -s "$T/before.csv" "$T/during.csv" || fail "an unfinished import is visible to readers"
kill -9 "$PID"
wait "$PID" 2>/dev/null
PID=

"$GS" export $J >"$T/after.csv" || fail "the journal opens after the kill"
cmp -s "$T/before.csv" "$T/after.csv" || { diff "$T/before.csv" "$T/after.csv" | head >&2;
    fail "the killed import changed the journal"; }
python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
assert c.execute("PRAGMA foreign_key_check").fetchall() == []
' "$T/j.db" || fail "integrity check after the kill"

# and the same import, left to finish, writes everything
"$GS" import "$T/big.csv" $J 2>"$T/err" || { cat "$T/err" >&2; fail "import after the kill"; }
grep -q '3001 entries' "$T/err" || fail "all 3001 rows imported"
"$GS" show $J | grep -q '^running:' && fail "the imported stop closed zinc"
echo ok
