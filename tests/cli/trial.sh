#!/bin/sh
# `gutskin trial` end to end: every example trial in data/trials/ runs;
# JSON is byte-identical for 1 and 2 threads and changes with the seed;
# CSV and --patients-out shapes; exit codes 0/1/2; a bad trial file is
# reported as FILE:LINE:COLUMN.
# usage: trial.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
N=30
[ "${GS_SANITIZED:-0}" = 1 ] && N=12

"$GS" trial --help | grep -q 'not a diagnosis' || fail "--help carries the disclaimer"
"$GS" --help | grep -q '^  trial ' || fail "gutskin --help lists trial"

# --- every example trial runs (so they never rot) ------------------------
n=0
for f in data/trials/*.yaml; do
    [ -e "$f" ] || fail "no example trials in data/trials/"
    "$GS" trial "$f" --patients $N --threads 2 >"$T/out.json" 2>"$T/err" \
        || { cat "$T/err" >&2; fail "example $f does not run"; }
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["screening"]["screened"] == int(sys.argv[2]), "screened"
assert len(d["arms"]) >= 2 and len(d["comparisons"]) == len(d["arms"]) - 1, "arms"
assert d["screening"]["included"] > 0, "nobody included"
for a in d["arms"]:
    assert a["allocated"] == a["excluded"] + a["failed"] + a["completed"], "arm counts"
' "$T/out.json" $N || fail "example $f: summary shape"
    grep -q 'not a diagnosis' "$T/err" || fail "example $f: no disclaimer on stderr"
    n=$((n + 1))
done
[ "$n" -ge 5 ] || fail "expected the five example trials, found $n"

F=data/trials/low-gl-diet-acne.yaml
# --- determinism: same seed, 1 or 2 threads: the same bytes --------------
"$GS" trial $F --patients $N --threads 1 >"$T/t1.json" 2>/dev/null || fail "1 thread"
"$GS" trial $F --patients $N --threads 2 >"$T/t2.json" 2>/dev/null || fail "2 threads"
cmp -s "$T/t1.json" "$T/t2.json" || fail "JSON differs between 1 and 2 threads"
"$GS" trial $F --patients $N --seed 99 >"$T/s99.json" 2>/dev/null || fail "--seed"
cmp -s "$T/t1.json" "$T/s99.json" && fail "--seed 99 gives the same output as the file's seed"
grep -q '"seed": 99' "$T/s99.json" || fail "--seed is reported"

# --- CSV and one row per patient ----------------------------------------
"$GS" trial $F --patients $N --format csv --patients-out "$T/p.csv" >"$T/s.csv" 2>/dev/null \
    || fail "csv run"
head -1 "$T/s.csv" | grep -q '^section,arm,endpoint,statistic,n,estimate,low,high$' \
    || fail "CSV header"
grep -q '^comparison,low_gl,lesions_change,mean_difference,' "$T/s.csv" || fail "CSV comparison row"
[ "$(wc -l <"$T/p.csv")" -eq $((N + 1)) ] || fail "--patients-out has a row per patient"
head -1 "$T/p.csv" | grep -q '^patient,arm,fate,reason,' || fail "--patients-out header"

# --- exit codes ------------------------------------------------------------
"$GS" trial >/dev/null 2>&1; [ $? -eq 2 ] || fail "no file: exit 2"
"$GS" trial $F --patients 0 >/dev/null 2>&1; [ $? -eq 2 ] || fail "--patients 0: exit 2"
"$GS" trial $F --format xml >/dev/null 2>&1; [ $? -eq 2 ] || fail "--format xml: exit 2"
"$GS" trial $F --bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option: exit 2"
"$GS" trial "$T/missing.yaml" >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing file: exit 2"

cat >"$T/bad.yaml" <<'YAML'
name: bad
population: {person: {skin: [skin_acne]}}
arms:
  - {name: a, control: true}
  - {name: b}
endpoints:
  - {name: e, score: skin_acne.total_lesions, day: 10, kind: change, thresold: 3}
YAML
"$GS" trial "$T/bad.yaml" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "bad trial file: exit 2, got $rc"
grep -q "^gutskin trial: $T/bad.yaml:7:70: unknown key 'thresold'" "$T/err" \
    || { cat "$T/err" >&2; fail "bad trial file: FILE:LINE:COLUMN message"; }
[ -s "$T/out" ] && fail "bad trial file: nothing on stdout"

# --- visits: time to response is read at visit days ----------------------
"$GS" trial $F --patients $N >"$T/v.json" 2>/dev/null || fail "visits run"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
v = d["visits"]
assert v["every"] == 14 and v["days"] == [14, 28, 42, 56, 70, 84], v
for a in d["arms"]:
    for e in a["endpoints"]:
        if e["kind"] == "time_to_response" and e["median_day"] != "not reached":
            assert e["median_day"] % 14 == 0, e
' "$T/v.json" || fail "visits in the summary, medians on visit days"
bad_visits() {  # $1: the visits line, $2: the expected message
    { printf 'name: bad\npopulation: {person: {skin: [skin_acne]}}\ndays: 20\n%s\n' "$1"
      printf 'arms:\n  - {name: a, control: true}\n  - {name: b}\n'
      printf 'endpoints:\n  - {name: e, score: skin_acne.total_lesions, kind: time_to_response, threshold_percent: -20}\n'
    } >"$T/badv.yaml"
    "$GS" trial "$T/badv.yaml" >"$T/out" 2>"$T/err"; rc=$?
    [ $rc -eq 2 ] || fail "visits '$1': exit 2, got $rc"
    grep -q "^gutskin trial: $T/badv.yaml:$2" "$T/err" \
        || { cat "$T/err" >&2; fail "visits '$1': expected $2"; }
    [ -s "$T/out" ] && fail "visits '$1': nothing on stdout"
}
bad_visits 'visits: {every: 7, start: 3}' "4:20: unknown key 'start' in visits"
bad_visits 'visits: {every: 0}' "4:17: 'every' is 0"
bad_visits 'visits: [7, 21]' "4:13: 'visit' is 21; expected a whole number for 'visit' (1 to 20"
bad_visits 'visits: [14, 7]' "4:14: visit day 7 comes after day 14"
bad_visits 'visits: []' "4:1: expected 'visits' as a list of days"

# nobody meets the criterion: the summary is printed, exit 1, a message
sed 's/min: 20}/min: 1000000}/' $F | sed "s|\.\./populations|$(pwd)/data/populations|g" \
    >"$T/none.yaml"
"$GS" trial "$T/none.yaml" --patients 8 >"$T/none.json" 2>"$T/err"; rc=$?
[ $rc -eq 1 ] || fail "nobody included: exit 1, got $rc"
grep -q 'no patient met the inclusion criteria' "$T/err" || fail "nobody included: message"
grep -q '"included": 0' "$T/none.json" || fail "nobody included: summary still printed"

# --progress on a short run prints no bar (it appears after a second)
"$GS" trial $F --patients 4 --progress >/dev/null 2>"$T/err" || fail "--progress run"
grep -q 'patients/s ' "$T/err" && grep -q '\[#' "$T/err" && fail "bar on a short run"
echo "trial CLI: all checks passed"
