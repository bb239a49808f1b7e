#!/bin/sh
# `gutskin synth` -> `gutskin import` -> `gutskin analyze` end to end: the
# planted trigger is found at its lag with an interval covering it, the
# planted intervention effect is recovered, power answers in days; text,
# CSV and JSON shapes; the minimum-data gate on a short journal; exit
# codes 0/1/2 and messages that name what is wrong.
# usage: analyze.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

for c in "analyze" "analyze triggers" "analyze effect" "analyze power" "synth"; do
    $GS $c --help >"$T/help" 2>&1 || fail "$c --help exits 0"
    grep -q 'not a diagnosis\|Not a diagnosis' "$T/help" || fail "$c --help carries the disclaimer"
done
"$GS" --help | grep -q '^  analyze ' || fail "gutskin --help lists analyze"
"$GS" --help | grep -q '^  synth ' || fail "gutskin --help lists synth"

# --- a year and a half with a planted trigger and an intervention ---------
"$GS" synth --days 540 --seed 4 --trigger fried:1:1.5 --effect zinc:300:-2 --out "$T/j.csv" \
    2>"$T/err" || { cat "$T/err"; fail "synth"; }
head -1 "$T/j.csv" | grep -q '^timestamp,kind,name,value,unit,note$' || fail "synth header"
grep -q ',start,zinc,' "$T/j.csv" || fail "synth writes the start of zinc"
"$GS" synth --days 540 --seed 4 --trigger fried:1:1.5 --effect zinc:300:-2 >"$T/again.csv" \
    || fail "synth to stdout"
cmp -s "$T/j.csv" "$T/again.csv" || fail "synth: same seed, different journal"
"$GS" import --db "$T/j.db" "$T/j.csv" 2>"$T/err" || { cat "$T/err"; fail "import of synth output"; }

"$GS" analyze triggers --db "$T/j.db" --outcome skin.itch --format json >"$T/t.json" \
    2>"$T/err" || { cat "$T/err"; fail "analyze triggers"; }
grep -q 'Not a diagnosis' "$T/err" || fail "triggers --format json: disclaimer on stderr"
$PY - "$T/t.json" <<'PYEOF' || fail "the planted trigger (fried, lag 1, +1.5) is found"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["days"] == 540 and d["permutations"] == 1000, d["days"]
rows = [r for r in d["rows"] if r["tag"] == "fried" and r["lag"] == 1]
assert len(rows) == 1, rows
r = rows[0]
assert r["tested"] and r["q"] < 0.1, r
assert r["low"] <= 1.5 <= r["high"], r
# q is BH over the tested rows: never below p, NaN (null) when not tested
for r in d["rows"]:
    if r["tested"]:
        assert r["q"] >= r["p"] - 1e-12 and r["days_with"] >= 10 and r["days_without"] >= 10
    else:
        assert r["q"] is None and r["effect"] is None
PYEOF
"$GS" analyze triggers --db "$T/j.db" --outcome itch --lags 1 --permutations 200 >"$T/t.txt" \
    || fail "analyze triggers text"
grep -q '^Possible triggers' "$T/t.txt" || fail "text: possible triggers section"
grep -q '^  fried  *1  skin.itch' "$T/t.txt" || fail "text: fried at lag 1 listed"
grep -q 'Not a diagnosis' "$T/t.txt" || fail "text: disclaimer"
"$GS" analyze triggers --db "$T/j.db" --outcome skin.itch --format csv --permutations 50 >"$T/t.csv" \
    2>/dev/null || fail "analyze triggers csv"
head -1 "$T/t.csv" | grep -q '^tag,outcome,lag,tested,days,days_with,days_without,effect,low,high,p,q,more_days,together_with$' \
    || fail "CSV header"
# same seed, same answer; threads do not matter
"$GS" analyze triggers --db "$T/j.db" --format json --permutations 300 --threads 1 >"$T/a1" 2>/dev/null
"$GS" analyze triggers --db "$T/j.db" --format json --permutations 300 --threads 2 >"$T/a2" 2>/dev/null
cmp -s "$T/a1" "$T/a2" || fail "triggers differ between 1 and 2 threads"

# --- the intervention -------------------------------------------------------
"$GS" analyze effect zinc --db "$T/j.db" --outcome skin.itch --format json >"$T/e.json" \
    2>/dev/null || fail "analyze effect"
$PY - "$T/e.json" <<'PYEOF' || fail "the planted effect of zinc (-2) is recovered"
import json, sys
d = json.load(open(sys.argv[1]))
lv = d["coefficients"]["level"]
assert lv["low"] <= -2 <= lv["high"] and lv["high"] < 0, lv
assert d["days_before"] > 250 and d["days_after"] > 200, d
assert -1 < d["phi"] < 1 and d["sigma"] > 0
assert "fell by" in d["reading"], d["reading"]
PYEOF
"$GS" analyze effect zinc --db "$T/j.db" --washin 14 >"$T/e.txt" || fail "effect --washin"
grep -q 'skin.itch fell by' "$T/e.txt" || fail "effect: plain reading"
grep -q 'wash-in 14 days' "$T/e.txt" || fail "effect: wash-in reported"

# two days after the start: no estimate, but how many more days (exit 0)
"$GS" synth --days 60 --seed 3 --effect zinc:58:-2 --out "$T/late.csv" || fail "synth late start"
"$GS" import --db "$T/late.db" "$T/late.csv" 2>/dev/null || fail "import late start"
"$GS" analyze effect zinc --db "$T/late.db" --format json >"$T/late.json" 2>/dev/null \
    || fail "effect two days after the start exits 0"
$PY - "$T/late.json" <<'PYEOF' || fail "effect two days after the start: too few, and the days needed"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["coefficients"] == {} and d["phi"] is None, d
assert "too few to estimate a change" in d["reading"], d["reading"]
assert "not enough data yet" in d["more_days_reading"], d
PYEOF

# --- two runs of zinc: stopped on day 380, started again on day 440 --------
# synth plants -2 from day 300 on and keeps it, so run 1 (days 300-379)
# changed itch by -2 and run 2 changed nothing against the days between
# the runs, which are its only baseline
cp "$T/j.csv" "$T/runs.csv"
printf '2026-01-21T08:00:00,stop,zinc,,,\n2026-03-22T08:00:00,start,zinc,,,\n' >>"$T/runs.csv"
"$GS" import --db "$T/runs.db" "$T/runs.csv" 2>/dev/null || fail "import two runs"
for r in 1 2 default; do
    opt="--run $r"; [ $r = default ] && opt=""
    "$GS" analyze effect zinc --db "$T/runs.db" --outcome skin.itch $opt --format json \
        >"$T/run$r.json" 2>/dev/null || fail "effect run $r"
done
$PY - "$T/run1.json" "$T/run2.json" "$T/rundefault.json" "$T/e.json" <<'PYEOF' || fail "effect of each run"
import json, sys
r1, r2, rd, one = (json.load(open(f)) for f in sys.argv[1:])
assert r1["run"] == 1 and r2["run"] == 2 and r1["runs"] == r2["runs"] == 2, (r1, r2)
assert rd == r2, "the default is the most recent run"
assert r1["run_start"] == "2025-11-02" and r1["run_last_day"] == "2026-01-20" and r1["run_stopped"]
assert r1["before_from"] == one["before_from"] and r1["days_before"] == one["days_before"]
assert r2["run_start"] == "2026-03-22" and not r2["run_stopped"], r2
assert r2["before_from"] == "2026-01-21", r2   # the previous run's stop
assert r2["days_before"] <= 60 and r2["days_after"] > 60, r2
l1, l2 = r1["coefficients"]["level"], r2["coefficients"]["level"]
assert l1["low"] <= -2 <= l1["high"] and l1["high"] < 0, l1
assert l2["low"] <= 0 <= l2["high"], l2
assert "includes no change" in r2["reading"] and "more_days_reading" in r2, r2
assert one["run"] == 1 and one["runs"] == 1 and not one["run_stopped"], one
PYEOF
"$GS" analyze effect zinc --db "$T/runs.db" --run 1 >"$T/run1.txt" || fail "effect --run 1 text"
grep -q '^  run 1 of 2: from 2025-11-02 to 2026-01-20; before it from' "$T/run1.txt" \
    || fail "effect text names the run and its days"
"$GS" analyze effect zinc --db "$T/runs.db" --run 0 >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "--run 0: exit 2"
grep -q -- "--run '0' must be a whole number from 1 to 1000" "$T/err" || fail "--run 0 names the range"
"$GS" analyze effect zinc --db "$T/runs.db" --run 3 >"$T/out" 2>"$T/err"; [ $? -eq 2 ] || fail "--run 3: exit 2"
grep -q -- '--run 3: zinc was run 2 times in this journal (runs 1-2)' "$T/err" || fail "--run 3 names the runs"
[ ! -s "$T/out" ] || fail "--run 3 writes nothing to stdout"

# --- power ------------------------------------------------------------------
"$GS" analyze power --sd 1 --phi 0.3 --before 90 --change 1 --reps 200 --format json \
    >"$T/p.json" 2>/dev/null || fail "analyze power"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["more_days"] > 3 and d["power"] >= 0.8, d' \
    "$T/p.json" || fail "power: days and power"
"$GS" analyze power --sd 1 --phi 0.3 --before 90 --change 2 --reps 200 --format json \
    >"$T/p2.json" 2>/dev/null || fail "analyze power, bigger change"
$PY -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert b["more_days"] < a["more_days"], (a, b)' \
    "$T/p.json" "$T/p2.json" || fail "power: a bigger change needs fewer days"
"$GS" analyze power --db "$T/j.db" --outcome gut.bloating --change 1 --reps 100 >"$T/p.txt" \
    || fail "power from the journal"
grep -q 'estimated from the journal' "$T/p.txt" || fail "power: sd and phi from the journal"

# --- the minimum-data gate: six weeks, a trigger eaten rarely ---------------
"$GS" synth --days 45 --seed 2 --out "$T/short.csv" || fail "synth short"
"$GS" import --db "$T/short.db" "$T/short.csv" 2>/dev/null || fail "import short"
"$GS" analyze triggers --db "$T/short.db" --outcome skin.itch >"$T/s.txt" 2>&1 \
    || fail "triggers on a short journal"
grep -q 'not enough data yet: about [0-9]* more days' "$T/s.txt" || fail "gate: about N more days"
"$GS" synth --days 20 --seed 2 --out "$T/tiny.csv" || fail "synth tiny"
"$GS" import --db "$T/tiny.db" "$T/tiny.csv" 2>/dev/null || fail "import tiny"
"$GS" analyze triggers --db "$T/tiny.db" >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "20 days: exit 2"
grep -q 'not enough data yet: about 1[01] more days (the journal spans' "$T/err" || fail "20 days: about 10 more days"

# --- errors -----------------------------------------------------------------
"$GS" analyze >/dev/null 2>&1; [ $? -eq 2 ] || fail "analyze alone: exit 2"
"$GS" analyze trigger --db "$T/j.db" >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown subcommand: exit 2"
"$GS" analyze triggers --db "$T/j.db" --lags 0-5 >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "--lags 0-5: exit 2"
grep -q '0 <= A <= B <= 3' "$T/err" || fail "--lags names the range"
"$GS" analyze triggers --db "$T/j.db" --outcome skin.itchy >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "bad outcome: exit 2"
grep -q 'skin.itch' "$T/err" || fail "bad outcome lists those logged"
"$GS" analyze triggers --db "$T/j.db" --permutations 0 >/dev/null 2>&1; [ $? -eq 2 ] || fail "--permutations 0: exit 2"
"$GS" analyze effect magnesium --db "$T/j.db" >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "unknown intervention: exit 2"
grep -q 'started: zinc' "$T/err" || fail "unknown intervention lists those started"
"$GS" analyze power --change 1 --sd 1 >/dev/null 2>&1; [ $? -eq 2 ] || fail "--sd without --phi: exit 2"
"$GS" analyze power --sd 1 --phi 0.3 >/dev/null 2>&1; [ $? -eq 2 ] || fail "no --change: exit 2"
"$GS" synth >/dev/null 2>&1; [ $? -eq 2 ] || fail "synth without --days: exit 2"
"$GS" synth --days 10 --trigger dairy:7:1 >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "synth bad lag: exit 2"
grep -q '0 to 3' "$T/err" || fail "synth bad lag names the range"
"$GS" synth --days 10 --trigger moonbeams:1:1 --out "$T/no.csv" >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "synth unknown tag: exit 2"
[ ! -e "$T/no.csv" ] && [ ! -e "$T/no.csv.tmp" ] || fail "synth leaves nothing behind on an error"
"$GS" analyze triggers --db "$T/nowhere/j.db" >/dev/null 2>&1; [ $? -ne 0 ] || fail "missing journal directory fails"
echo "analyze.sh: all passed"
