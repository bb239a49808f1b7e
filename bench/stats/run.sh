#!/bin/sh
# bench/stats/run.sh - issue 4's trigger-scan benchmark: 3 years (1095
# days), 300 exposures, lags 0-3, 3 outcomes, 1000 circular shifts (3600
# tests), gutskin (bench/stats/triggers_bench.c against libgutskin.a) side
# by side with the same method in R (bench/stats/triggers.R) on the same
# data and shifts; checks that both give the same effects, p and q; then
# writes its section of bench/RESULTS.md (between the "stats:begin" and
# "stats:end" markers, replacing an earlier one, leaving the rest as is).
# Goal: under 2 s and at least 50x the R version.
#
# Builds nothing but the bench program: run `make build` first.
# Environment: BUILD (default build), REPEAT (gutskin runs per thread
# count, the fastest wall time is reported, default 5), RSCRIPT (default
# Rscript), CC (default cc), NO_WRITE=1 prints the section instead of
# writing RESULTS.md.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
REPEAT=${REPEAT:-5}
RSCRIPT=${RSCRIPT:-Rscript}
CC=${CC:-cc}
case $BUILD in /*) lib=$BUILD/libgutskin.a ;; *) lib=$root/$BUILD/libgutskin.a ;; esac
[ -f "$lib" ] || { echo "stats bench: $lib not found; run 'make build' first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

build_cmd="$CC -std=c11 -O2 -g -Wall -Wextra -Werror -I$root/include bench/stats/triggers_bench.c $lib $(pkg-config --libs libfyaml jansson gsl cairo sqlite3) -lsundials_cvode -lsundials_nvecserial -fopenmp -lm"
# shellcheck disable=SC2086
(cd "$root" && $build_cmd -o "$tmp/triggers_bench")

load0=$(cut -d' ' -f1-3 /proc/loadavg)
best() { # threads -> the JSON line of the fastest of REPEAT runs
    b=""
    i=0
    while [ "$i" -lt "$REPEAT" ]; do
        out=$("$tmp/triggers_bench" "$tmp" "$1")
        b=$(printf '%s\n%s\n' "$b" "$out" | /usr/bin/python3 -c '
import json, sys
runs = [json.loads(l) for l in sys.stdin if l.strip()]
print(json.dumps(min(runs, key=lambda r: r["wall_s"])))')
        i=$((i + 1))
    done
    echo "$b"
}
echo "stats bench: gutskin, $REPEAT runs on 1 and 2 threads ..." >&2
c1=$(best 1)
c2=$(best 2)
load1=$(cut -d' ' -f1-3 /proc/loadavg)
echo "stats bench: R (one run; about 2 minutes) ..." >&2
r=$("$RSCRIPT" "$root/bench/stats/triggers.R" "$tmp")
load2=$(cut -d' ' -f1-3 /proc/loadavg)
rversion=$("$RSCRIPT" -e 'cat(R.version.string)')
commit=$(cd "$root" && git rev-parse --short HEAD)

section=$(/usr/bin/python3 - "$tmp" "$c1" "$c2" "$r" "$load0" "$load1" "$load2" "$rversion" \
    "$commit" "$BUILD" "$REPEAT" <<'PYEOF1'
import csv, json, sys, datetime, os
d, c1, c2, r = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
load0, load1, load2, rver, commit, build, repeat = sys.argv[5:12]
C = {(x["tag"], x["outcome"], x["lag"]): x for x in csv.DictReader(open(d + "/c_rows.csv"))}
R = {(x["tag"], x["outcome"], x["lag"]): x for x in csv.DictReader(open(d + "/r_rows.csv"))}
assert C.keys() == R.keys(), "different tests"
de = dp = dq = 0.0
for k, x in R.items():
    y = C[k]
    assert int(x["tested"]) == int(y["tested"]), k
    if x["tested"] == "1":
        de = max(de, abs(float(x["effect"]) - float(y["effect"])))
        dp = max(dp, abs(float(x["p"]) - float(y["p"])) / float(x["p"]))
        dq = max(dq, abs(float(x["q"]) - float(y["q"])) / float(x["q"]))
assert de < 1e-6 and dp < 1e-6 and dq < 1e-6, (de, dp, dq)
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")
fast = min(c1["wall_s"], c2["wall_s"])
million = c1["tests"] * c1["shifts"] / 1e6
print(f"""<!-- stats:begin (written by bench/stats/run.sh) -->
## Trigger scan (issue 4): gutskin against the same method in R

- date: {now}; machine: {os.cpu_count()} CPUs; load average (1, 5, 15 min) {load0} at
  the start, {load1} after the gutskin runs, {load2} after R (the machine is
  shared: other work slows both sides; re-run for clean figures)
- gutskin: {build}/libgutskin.a at commit {commit} (bench/stats/triggers_bench.c); {rver}
- the scan: {c1['days']} days, {c1['exposures']} exposures, lags 0-3, {c1['outcomes']} outcomes,
  {c1['shifts']} circular shifts: {c1['tests']} tests, {million:.1f} million shifted regressions
- same answers: every test; effects within {de:.1e}, p and q within {max(dp, dq):.1e}
  relative; {c1['discoveries']} discoveries at q < 0.1 (3 planted) in gutskin, {r['discoveries']} in R

```
bench/stats/run.sh   (REPEAT={repeat}: fastest of {repeat} gutskin runs per thread count; R once)
                      wall s    CPU s
gutskin 1 thread    {c1['wall_s']:8.3f} {c1['cpu_s']:8.3f}
gutskin 2 threads   {c2['wall_s']:8.3f} {c2['cpu_s']:8.3f}
R (triggers.R)      {r['wall_s']:8.3f} {r['cpu_s']:8.3f}
speed-up, 1 thread:  {r['wall_s'] / c1['wall_s']:.0f}x wall, {r['cpu_s'] / c1['cpu_s']:.0f}x CPU
speed-up, 2 threads: {r['wall_s'] / c2['wall_s']:.0f}x wall
goal under 2 s: {'met' if fast < 2 else 'NOT met'}; goal at least 50x R: {'met' if r['wall_s'] / fast >= 50 else 'NOT met'}
```

Both run the same method (docs/statistics.md) on the same data and shifts.
gutskin gets the statistic at every shift and lag from ten FFT
cross-correlations per exposure and outcome (GSL, O(T log T)); the R
version is vectorised the usual way - for each exposure and lag the
exposure at every shift is one T x T matrix, and the ten sums for all
shifts and outcomes are one matrix product (R's BLAS) - which is O(T^2)
per exposure and lag.  Times are of the scan only (reading and writing
data excluded on both sides); CPU time covers all threads.
<!-- stats:end -->""")
PYEOF1
)
if [ "${NO_WRITE:-0}" = 1 ]; then
    printf '%s\n' "$section"
    exit 0
fi
res=$root/bench/RESULTS.md
/usr/bin/python3 - "$res" "$section" <<'PYEOF2'
import sys, re
path, section = sys.argv[1], sys.argv[2]
try:
    text = open(path).read()
except FileNotFoundError:
    text = ""
pat = re.compile(r"<!-- stats:begin.*?<!-- stats:end -->\n?", re.S)
if pat.search(text):
    text = pat.sub(lambda m: section + "\n", text)
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PYEOF2
echo "stats bench: wrote its section of $res" >&2
