#!/bin/sh
# `gutskin simulate` end to end: every example scenario runs; exit codes
# 0/1/2; CSV and JSON shapes; row counts; --out is atomic (a failed run
# leaves no file and keeps an existing one); --plot writes a real PNG;
# every bad-input fixture in tests/cli/data/ is reported as FILE:LINE:COL.
# usage: simulate.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$GS" simulate --help | grep -q 'not a diagnosis' || fail "--help carries the disclaimer"

# --- every example scenario runs (so they never rot) -------------------
n=0
for f in data/scenarios/*.yaml; do
    [ -e "$f" ] || fail "no example scenarios in data/scenarios/"
    "$GS" simulate "$f" --out "$T/example.csv" 2>"$T/err" \
        || { cat "$T/err" >&2; fail "example $f does not run"; }
    head -1 "$T/example.csv" | grep -q '^day,' || fail "example $f: CSV header"
    grep -q 'not a diagnosis' "$T/err" || fail "example $f: summary lacks the disclaimer"
    n=$((n + 1))
done
[ -f data/scenarios/seed-story.yaml ] || fail "the seed story scenario is missing"
[ "$n" -ge 5 ] || fail "expected the five example scenarios, found $n"

# --- a small scenario for the shape checks ------------------------------
cat >"$T/s.yaml" <<'EOF'
name: "shape check"
days: 30
person:
  usual: {fibre: 12}
schedule:
  - {intervention: fibre, start: 10, stop: 30, dose: 30}
EOF

# CSV: header then days/every + 1 rows
"$GS" simulate "$T/s.yaml" --days 20 --every 2 >"$T/out.csv" 2>"$T/err" || fail "csv run"
head -1 "$T/out.csv" | grep -q '^day,' || fail "CSV header starts with day,"
head -1 "$T/out.csv" | grep -q ',systemic\.crp' || fail "CSV has block.name columns"
rows=$(($(wc -l <"$T/out.csv") - 1))
[ "$rows" -eq 11 ] || fail "20 days every 2 gives 11 rows, got $rows"
tail -1 "$T/out.csv" | grep -q '^20,' || fail "last row is day 20"
grep -q 'burn-in' "$T/err" || fail "summary names the burn-in"
grep -q 'steps' "$T/err" || fail "summary gives solver statistics"

# JSON parses, with as many values per row as columns
"$GS" simulate "$T/s.yaml" --format json >"$T/out.json" 2>/dev/null || fail "json run"
python3 - "$T/out.json" <<'EOF' || fail "JSON shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["scenario"] == "shape check"
assert d["columns"][0] == "day" and "systemic.crp" in d["columns"]
assert len(d["units"]) == len(d["columns"])
assert len(d["rows"]) == 31, len(d["rows"])
assert all(len(r) == len(d["columns"]) for r in d["rows"])
assert d["rows"][-1][0] == 30
assert d["timeline"] == [], d["timeline"]  # no skin block, no skin timeline
EOF

# --- timeline: "how long until my skin improves?" -----------------------
# The seed story (diet switch on day 28, probiotic on day 84, 168 days):
# pinned days by which half and 90% of the improvement are reached (within
# +-1 day; the model gave 61.6/115.0 for total lesions and 57.5/106.9 for
# inflammatory lesions on 2026-11-25, after calibration).
"$GS" simulate data/scenarios/seed-story.yaml --format json >"$T/seed.json" 2>"$T/err" \
    || fail "seed story json run"
grep -q 'timeline: skin_acne.total_lesions (lower is better) .*: half of the improvement by day 6[123], 90% by day 11[567]$' "$T/err" \
    || { cat "$T/err" >&2; fail "seed story: the summary gives the total-lesion timeline"; }
grep -q 'timeline: skin_acne.inflammatory_count .*: half of the improvement by day' "$T/err" \
    || fail "seed story: the summary gives the inflammatory-lesion timeline"
python3 - "$T/seed.json" <<'EOF' || fail "seed story timeline days"
import json, sys
tl = {t["score"]: t for t in json.load(open(sys.argv[1]))["timeline"]}
assert sorted(tl) == ["skin_acne.inflammatory_count", "skin_acne.total_lesions"], sorted(tl)
for score, half, ninety in [("skin_acne.total_lesions", 61.6, 115.0),
                            ("skin_acne.inflammatory_count", 57.5, 106.9)]:
    t = tl[score]
    assert t["better"] == "lower" and t["improved"] is True, t
    assert t["last_day"] == 168 and t["final"] < t["day_0"], t
    assert abs(t["day_half"] - half) <= 1, (score, t["day_half"])
    assert abs(t["day_90_percent"] - ninety) <= 1, (score, t["day_90_percent"])
    # nothing changes before the diet switch on day 28
    assert 28 < t["day_half"] < t["day_90_percent"] <= 168, t
EOF
# every skin block, nothing changed: each main score, "no improvement"
cat >"$T/none.yaml" <<'EOF'
name: "no intervention"
days: 60
person:
  skin: [skin_acne, skin_ad, skin_rosacea, skin_ageing]
schedule: []
EOF
"$GS" simulate "$T/none.yaml" --format json >"$T/none.json" 2>"$T/err" || fail "no-intervention run"
[ "$(grep -c ': no improvement$' "$T/err")" -eq 7 ] \
    || { cat "$T/err" >&2; fail "no intervention: 7 scores say no improvement"; }
grep -q 'timeline: skin_ageing.collagen (higher is better)' "$T/err" \
    || fail "collagen's timeline: higher is better"
python3 - "$T/none.json" <<'EOF' || fail "no-intervention timeline JSON"
import json, sys
tl = json.load(open(sys.argv[1]))["timeline"]
assert [t["score"] for t in tl] == [
    "skin_acne.total_lesions", "skin_acne.inflammatory_count", "skin_ad.easi",
    "skin_ad.scorad", "skin_rosacea.papule_count", "skin_rosacea.erythema_score",
    "skin_ageing.collagen"], tl
for t in tl:
    assert t["improved"] is False and t["day_half"] is None, t
    assert t["day_90_percent"] is None, t
EOF
"$GS" simulate --help | grep -q '"timeline"' || fail "--help documents the timeline key"

# --out and --plot: written when the run succeeds
"$GS" simulate "$T/s.yaml" --out "$T/o.csv" --plot "$T/o.png" >"$T/stdout" 2>/dev/null \
    || fail "--out --plot run"
[ -s "$T/stdout" ] && fail "--out leaves stdout empty"
head -1 "$T/o.csv" | grep -q '^day,' || fail "--out content"
python3 - "$T/o.png" <<'EOF' || fail "--plot writes a 1200x900 PNG"
import struct, sys
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"\x89PNG\r\n\x1a\n", "signature"
w, h = struct.unpack(">II", b[16:24])
assert (w, h) == (1200, 900), (w, h)
assert len(b) > 20000, len(b)
EOF

# a span after the last day is allowed, and said
"$GS" simulate "$T/s.yaml" --days 5 >/dev/null 2>"$T/err" || fail "--days 5 run"
grep -q "note: fibre starts on day 10, at or after the last simulated day 5" "$T/err" \
    || fail "a span after the run is noted"

# --- runtime failure: exit 1, names block, state and day; nothing partial
echo "keep me" >"$T/existing.csv"
"$GS" simulate tests/cli/data/solver-fails.yaml --out "$T/existing.csv" \
    --plot "$T/new.png" >"$T/stdout" 2>"$T/err"
[ $? -eq 1 ] || fail "solver failure exits 1"
grep -q 'in block systemic, state systemic\.' "$T/err" || fail "solver failure names block and state"
grep -q 'at day' "$T/err" || fail "solver failure names the day"
[ "$(cat "$T/existing.csv")" = "keep me" ] || fail "a failed run clobbered --out"
[ -e "$T/new.png" ] && fail "a failed run left a plot"
ls "$T" | grep -q 'tmp-' && fail "a failed run left a temporary file"
[ -s "$T/stdout" ] && fail "a failed run printed partial output"
"$GS" simulate tests/cli/data/solver-fails.yaml --out "$T/none.csv" 2>/dev/null
[ -e "$T/none.csv" ] && fail "a failed run created --out"

# --- bad input files: exit 2 with FILE:LINE:COLUMN and what was expected
check_bad() {  # fixture, expected message after "FILE:"
    "$GS" simulate "tests/cli/data/$1" >"$T/stdout" 2>"$T/err"
    rc=$?
    [ $rc -eq 2 ] || fail "$1 exits 2, got $rc"
    [ -s "$T/stdout" ] && fail "$1 printed output"
    grep -qF "gutskin simulate: tests/cli/data/$1:$2" "$T/err" \
        || { cat "$T/err" >&2; fail "$1 message"; }
}
check_bad malformed.yaml "5:1: YAML syntax error: missing comma in flow mapping"
check_bad unknown-block.yaml "3:10: unknown skin block 'skin_acme' (did you mean"
check_bad unknown-param.yaml "4:5: unknown parameter 'systemic.crp_gian' (did you mean 'systemic.crp_gain'?)"
check_bad unknown-state.yaml "4:5: unknown state 'systemic.phagocyte' (did you mean 'systemic.phagocytes'?)"
check_bad unknown-intervention.yaml "3:20: unknown intervention 'fiber' (did you mean 'fibre'?)"
check_bad dose-range.yaml "6:11: dose of zinc = 500 is out of range: allowed 0 to 150 mg/day"
check_bad zero-duration.yaml "5:11: probiotic: a duration of 0 days is not positive"
check_bad negative-duration.yaml "3:48: probiotic: stop day 5 must be after start day 10"
check_bad wrong-type.yaml "2:7: expected a whole number for 'days' (1 to 3650 days), got the quoted text"
check_bad unknown-key.yaml "4:3: unknown key 'skn' in person (did you mean 'skin'?)"
check_bad missing-key.yaml "3:5: schedule entry 1 is missing the required key 'dose'"
check_bad missing-name.yaml "1:1: the scenario is missing the required key 'name'"
for f in tests/cli/data/*.yaml; do  # every fixture but the solver one is an input error
    case "$f" in *solver-fails.yaml) continue ;; esac
    "$GS" simulate "$f" >/dev/null 2>&1
    [ $? -eq 2 ] || fail "$f exits 2"
done

# --- bad options: exit 2 with the allowed range ---------------------------
bad_opt() {  # expected stderr text, args...
    want=$1
    shift
    "$GS" simulate "$@" >/dev/null 2>"$T/err"
    [ $? -eq 2 ] || fail "simulate $* exits 2"
    grep -qF -- "$want" "$T/err" || { cat "$T/err" >&2; fail "simulate $*: message"; }
}
bad_opt "--days '0' must be a whole number of days from 1 to 3650" "$T/s.yaml" --days 0
bad_opt "--days '3.5' must be a whole number" "$T/s.yaml" --days 3.5
bad_opt "--every 'abc' must be a number of days" "$T/s.yaml" --every abc
bad_opt "longer than the run" "$T/s.yaml" --days 5 --every 6
bad_opt "csv|json" "$T/s.yaml" --format xml
bad_opt "which scenario?" --days 3
bad_opt "cannot open the scenario file" "$T/missing.yaml"
bad_opt "unknown option '--dayz'" "$T/s.yaml" --dayz 3
# a scenario through a pipe (/dev/stdin): libfyaml once crashed on it
printf 'name: piped\ndays: 3\n' | "$GS" simulate /dev/stdin >"$T/piped" 2>/dev/null \
    || fail "a scenario on /dev/stdin"
[ "$(wc -l <"$T/piped")" -eq 5 ] || fail "piped scenario: header and 4 rows"
echo "ok ($n example scenarios)"
