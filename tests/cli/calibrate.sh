#!/bin/sh
# `gutskin calibrate` end to end: the text report has one row per target
# and the evidence caveat; JSON has every target with published and model
# effects and `met`; --target picks one; the same numbers on 1 and 2
# threads; exit 2 with FILE:LINE:COLUMN on a bad calibration file and on
# bad options.
# usage: calibrate.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
N=24
[ "${GS_SANITIZED:-0}" = 1 ] && N=10

"$GS" calibrate --help | grep -q 'not a diagnosis' || fail "--help carries the disclaimer"
"$GS" --help | grep -q '^  calibrate ' || fail "gutskin --help lists calibrate"

"$GS" calibrate --patients $N --threads 2 >"$T/text" 2>"$T/err" || { cat "$T/err"; fail "text run"; }
for id in ad-probiotic acne-low-gl acne-zinc barrier-probiotic-zonulin barrier-probiotic-lps rosacea-sibo; do
    grep -q "^$id " "$T/text" || fail "text report lacks $id"
done
grep -q "targets met" "$T/text" || fail "text report lacks the count"
grep -q "Leaky gut syndrome" "$T/text" || fail "text report lacks the evidence caveat"

"$GS" calibrate --patients $N --threads 1 --format json --target acne-zinc >"$T/one.json" || fail "json run"
"$GS" calibrate --patients $N --threads 2 --format json --target acne-zinc >"$T/two.json" || fail "json run"
cmp -s "$T/one.json" "$T/two.json" || fail "1 and 2 threads differ"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["total"] == 1 and len(d["targets"]) == 1, "one target"
t = d["targets"][0]
assert t["id"] == "acne-zinc" and t["statistic"] == "smd"
assert t["published"] == {"estimate": 0.73, "lo": 0.34, "hi": 1.12}, t["published"]
m = t["model"]["estimate"]
assert t["met"] == (0.34 <= m <= 1.12), "met follows the published CI"
assert "evidence" in d and "disclaimer" in d
' "$T/one.json" || fail "json shape"

# a bad calibration file: FILE:LINE:COLUMN, exit 2
mkdir "$T/cal"
ln -s "$(pwd)/data/populations" "$T/populations"   # the files name ../populations/
cp data/calibration/acne-zinc.yaml "$T/cal/"
sed -i 's/statistic: smd/statistic: odds_ratio/' "$T/cal/acne-zinc.yaml"
"$GS" calibrate --dir "$T/cal" 2>"$T/err" >/dev/null; rc=$?
[ $rc = 2 ] || fail "bad file exits $rc, not 2"
grep -q "acne-zinc.yaml:[0-9]*:[0-9]*: unknown statistic 'odds_ratio'" "$T/err" || { cat "$T/err"; fail "bad file message"; }

"$GS" calibrate --patients 1 2>/dev/null; [ $? = 2 ] || fail "--patients 1 is a usage error"
"$GS" calibrate --bogus 2>/dev/null; [ $? = 2 ] || fail "unknown option is a usage error"
"$GS" calibrate --target nope 2>"$T/err"; [ $? = 2 ] || fail "unknown target is a usage error"
echo ok
