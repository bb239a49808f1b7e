#!/bin/sh
# The journal's commands end to end: log of every kind with its checks,
# day grouping at the day start, start/stop, undo, edit, config, tags,
# the default path and file modes, export/import round trip, a newer
# journal refused.
# usage: journal.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
J="--db $T/j.db"
# count of entries in the journal (CSV rows of show)
count() { "$GS" show --db "$1" --format csv | tail -n +2 | wc -l; }

# --- help on every command, listed by gutskin --help --------------------
for c in log start stop show undo edit config tag import export; do
    "$GS" $c --help >"$T/help" || fail "$c --help exits 0"
    grep -q "usage: gutskin $c" "$T/help" || fail "$c --help shows its usage"
    "$GS" --help | grep -q "^  $c " || fail "gutskin --help lists $c"
done
"$GS" log --help | grep -q 'not a diagnosis' || fail "log --help carries the disclaimer"

# --- the default path: $XDG_DATA_HOME/gutskin/journal.db, 0700 / 0600 ------
(umask 0; XDG_DATA_HOME="$T/xdg" "$GS" log sleep 7 --at 2026-03-01T07:00 2>/dev/null) \
    || fail "log to the default journal"
[ -f "$T/xdg/gutskin/journal.db" ] || fail "default journal at \$XDG_DATA_HOME/gutskin/journal.db"
[ "$(stat -c %a "$T/xdg/gutskin")" = 700 ] || fail "journal directory is 0700"
[ "$(stat -c %a "$T/xdg/gutskin/journal.db")" = 600 ] || fail "journal file is 0600 (umask 0)"
(HOME="$T/home"; unset XDG_DATA_HOME; export HOME; "$GS" log stress 3 2>/dev/null) \
    || fail "log to ~/.local/share"
[ -f "$T/home/.local/share/gutskin/journal.db" ] || fail "default journal under HOME"

# --- log every kind; what was written is said back ---------------------------
"$GS" log food "oat porridge with milk" --portion "1 bowl" --at 2026-03-01T08:00 $J 2>"$T/err" \
    || fail "log food"
grep -q "entry 1: food 'oat porridge with milk' (1 bowl) at 2026-03-01T08:00:00" "$T/err" \
    || fail "log food says what it wrote"
"$GS" log gut bloating 6 --at "2026-03-01 21:30" --note "after dinner" $J 2>/dev/null || fail "log gut"
"$GS" log stool 2 --at 2026-03-02T01:30+01:00 $J 2>"$T/err" || fail "log stool"
grep -q "stool type 2 (lumpy and sausage-shaped)" "$T/err" || fail "stool shows its wording"
grep -q "(day 2026-03-01)" "$T/err" || fail "01:30 belongs to the day before (day start 04:00)"
"$GS" log skin lesions 12 --at 2026-03-02T09:00 $J 2>/dev/null || fail "log skin lesions"
"$GS" log body brain_fog 4 --at 2026-03-02T15:00 $J 2>/dev/null || fail "log body"
"$GS" log sleep 6.5 --at 2026-03-02T07:00 $J 2>/dev/null || fail "log sleep"
"$GS" log stress 4 --at 2026-03-02T20:00 $J 2>/dev/null || fail "log stress"
"$GS" log food "200 g lentil soup" --portion 200g --at 2026-03-02T12:00 $J 2>/dev/null \
    || fail "log food 200g"
[ "$(count "$T/j.db")" -eq 8 ] || fail "8 entries written"

# --- bad input: exit 2, the allowed range or set named, nothing written --------
expect_refusal() { # expected-text command...
    want=$1; shift
    "$@" >/dev/null 2>"$T/err"; rc=$?
    [ $rc -eq 2 ] || fail "'$*' exits 2 (got $rc)"
    grep -q -- "$want" "$T/err" || { cat "$T/err" >&2; fail "'$*' says '$want'"; }
}
expect_refusal "outside 0-10" "$GS" log gut pain 11 $J
expect_refusal "outside 1-7" "$GS" log stool 8 $J
expect_refusal "whole number" "$GS" log stool 3.5 $J
expect_refusal "did you mean 'bloating'" "$GS" log gut bloatin 3 $J
expect_refusal "is a body measure" "$GS" log fatigue 3 $J
expect_refusal "not a number" "$GS" log sleep seven $J
expect_refusal "no such date" "$GS" log sleep 7 --at 2026-02-30T07:00 $J
expect_refusal "--portion is for" "$GS" log gut gas 2 --portion 1 $J
expect_refusal "unknown option '--bogus'" "$GS" show --bogus 1 $J
expect_refusal "text|csv|json" "$GS" show --format xml $J
[ "$(count "$T/j.db")" -eq 8 ] || fail "refused entries were not written"

# --- show: grouped by journal day, --from/--to, csv/json -----------------------
"$GS" show $J >"$T/show" || fail "show"
grep -q '^2026-03-01$' "$T/show" && grep -q '^2026-03-02$' "$T/show" || fail "show groups by day"
# the 01:30 stool is under 2026-03-01, marked +1d
awk '/^2026-03-01$/{d=1} /^2026-03-02$/{d=2} /stool/{print d}' "$T/show" | grep -qx 1 \
    || fail "01:30 shows under the day before"
grep -q '01:30 +1d' "$T/show" || fail "after-midnight entries are marked +1d"
"$GS" show $J --from 2026-03-02 --format csv >"$T/d2.csv" || fail "show --from"
head -1 "$T/d2.csv" | grep -qx 'id,day,timestamp,kind,name,value,unit,note' || fail "show csv header"
[ "$(tail -n +2 "$T/d2.csv" | wc -l)" -eq 5 ] || fail "show --from 2026-03-02 has 5 entries"
"$GS" show $J --to 2026-03-01 --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [e["kind"] for e in d] == ["food", "gut", "stool"], d
assert d[1]["note"] == "after dinner" and d[1]["value"] == 6
assert d[2]["day"] == "2026-03-01" and d[2]["timestamp"] == "2026-03-02T01:30:00+01:00"
' || fail "show --to --format json"

# --- config day-start regroups the days ----------------------------------------
"$GS" config $J | grep -qx 'day-start 04:00' || fail "default day start 04:00"
"$GS" config day-start 00:00 $J >/dev/null || fail "config day-start"
"$GS" show $J --from 2026-03-02 --to 2026-03-02 --format csv | grep -q ',stool,' \
    || fail "with a 00:00 day start the 01:30 stool is on 2026-03-02"
expect_refusal "HH:MM from 00:00 to 23:59" "$GS" config day-start 24:00 $J
"$GS" config $J | grep -qx 'day-start 00:00' || fail "the day start is stored in the journal"
"$GS" config day-start 04:00 $J >/dev/null

# --- interventions ---------------------------------------------------------------
"$GS" start zinc --dose "30 mg" --at 2026-03-01T09:00 $J 2>/dev/null || fail "start"
"$GS" start "fibre supplement" --at 2026-03-01T09:00 $J 2>/dev/null || fail "start 2"
expect_refusal "already running" "$GS" start zinc $J
expect_refusal "it is not running (running: zinc, fibre supplement)" "$GS" stop magnesium $J
expect_refusal "before it started" "$GS" stop zinc --at 2026-02-01T09:00 $J
"$GS" stop zinc --at 2026-03-05T09:00 $J 2>/dev/null || fail "stop"
"$GS" show $J | grep -q '^running: fibre supplement since 2026-03-01T09:00:00$' \
    || fail "show lists what is running"

# --- undo and edit -----------------------------------------------------------------
"$GS" undo $J 2>"$T/err" || fail "undo"
grep -q "removed entry 11: stop 'zinc'" "$T/err" || fail "undo says what it removed"
"$GS" show $J | grep -q '^running: zinc since' || fail "undoing a stop makes it run again"
"$GS" edit 2 --value 3 --note "smaller dinner" $J 2>"$T/err" || fail "edit"
grep -q "entry 2 is now: gut bloating 3" "$T/err" || fail "edit says the new entry"
"$GS" show $J --format csv | grep -q '^2,2026-03-01,2026-03-01T21:30:00,gut,bloating,3,,smaller dinner$' \
    || fail "edit changed the entry"
expect_refusal "outside 0-10" "$GS" edit 2 --value 12 $J
expect_refusal "no entry 999" "$GS" edit 999 --value 1 $J
expect_refusal "say what to change" "$GS" edit 2 $J

# --- tags: the lexicon finds foods; the person adds their own --------------------
"$GS" log food "glass of milk" --at 2026-03-03T08:00 $J 2>"$T/err" || fail "log milk"
grep -q "tags:.*dairy" "$T/err" || { cat "$T/err" >&2; fail "log food shows the lexicon's tags"; }
"$GS" log food "grandma's zzyzx stew" --at 2026-03-03T12:00 $J 2>"$T/err" || fail "log untagged"
grep -q "kept untagged" "$T/err" && grep -q "gutskin tag add" "$T/err" \
    || fail "an untagged food says how to tag it"
"$GS" tag untagged $J --format csv | grep -q "^grandma's zzyzx stew,1," || fail "tag untagged lists it"
"$GS" tag add "zzyzx stew" high_histamine $J 2>/dev/null || fail "tag add"
"$GS" tag add "zzyzx stew" high_histamine $J 2>/dev/null || fail "tag add twice is fine"
expect_refusal "tag 'High Histamine'" "$GS" tag add "zzyzx stew" "High Histamine" $J
"$GS" tag list $J --format csv | grep -qx 'zzyzx stew,high_histamine' || fail "tag list"
[ "$("$GS" tag list $J --format csv | wc -l)" -eq 2 ] || fail "a pair added twice is kept once"
"$GS" tag untagged $J --format csv | grep -q "zzyzx" && fail "a tagged food is no longer untagged"
"$GS" log food "zzyzx stew again" --at 2026-03-04T12:00 $J 2>"$T/err" || fail "log tagged"
grep -q "tags:.*high_histamine" "$T/err" || fail "the person's own tag is found in later logs"

# --- export / import: the same journal -----------------------------------------------
"$GS" export $J >"$T/a.csv" || fail "export csv"
"$GS" import "$T/a.csv" --db "$T/b.db" 2>"$T/err" || { cat "$T/err" >&2; fail "import the export"; }
grep -q "entries" "$T/err" || fail "import says what it imported"
"$GS" export --db "$T/b.db" >"$T/b.csv" || fail "export again"
cmp -s "$T/a.csv" "$T/b.csv" || { diff "$T/a.csv" "$T/b.csv" >&2; fail "export, import, export differ"; }
"$GS" show --db "$T/b.db" | grep -q '^running: zinc since' || fail "interventions survive the round trip"
"$GS" config --db "$T/b.db" | grep -qx 'day-start 04:00' || fail "the day start survives"
"$GS" tag list --db "$T/b.db" --format csv | grep -qx 'zzyzx stew,high_histamine' \
    || fail "the person's tags survive"
for f in json fhir; do
    "$GS" export --format $f $J >"$T/x.$f" || fail "export $f"
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/x.$f" || fail "$f is JSON"
done
grep -q '"resourceType": "Bundle"' "$T/x.fhir" || fail "fhir is a Bundle"
"$GS" export --format fhir --out "$T/out.json" $J || fail "export --out"
[ "$(stat -c %a "$T/out.json")" = 600 ] || fail "an export file is 0600"
ls "$T" | grep -q 'tmp-' && fail "export leaves no temporary file"
expect_refusal "csv|json|fhir" "$GS" export --format xml $J

# --- a bad import changes nothing and names every bad row --------------------------
cat >"$T/bad.csv" <<'EOF'
timestamp,kind,name,value,unit,note
2026-03-05T08:00,gut,pain,3,,fine row
2026-03-05T08:00,gut,pain,30,,
2026-03-05T08:00,skin,itchy,3,,
yesterday,sleep,hours,7,,
EOF
"$GS" import "$T/bad.csv" $J 2>"$T/err"; [ $? -eq 2 ] || fail "a bad import exits 2"
grep -q "bad.csv:3: value: gut pain value 30 is outside 0-10" "$T/err" || fail "line 3 named"
grep -q "bad.csv:4: name: skin name 'itchy' is not one of" "$T/err" || fail "line 4 named"
grep -q "bad.csv:5: timestamp:" "$T/err" || fail "line 5 named"
grep -q "3 bad rows; nothing was imported" "$T/err" || fail "import says nothing was imported"
"$GS" export $J >"$T/a2.csv"
cmp -s "$T/a.csv" "$T/a2.csv" || fail "a refused import left the journal as it was"

# --- a journal from a newer gutskin is refused, and left alone ---------------------
cp "$T/b.db" "$T/new.db"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version=99"); c.commit()' "$T/new.db"
expect_refusal "newer gutskin" "$GS" show --db "$T/new.db"
printf 'not a database at all, just some text that is long enough\n' >"$T/text.db"
expect_refusal "not a gutskin journal" "$GS" show --db "$T/text.db"
"$GS" show --db "$T/no/such/dir/j.db" >/dev/null 2>&1; [ $? -eq 1 ] || fail "missing directory exits 1"
echo ok
