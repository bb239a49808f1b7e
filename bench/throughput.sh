#!/bin/sh
# bench/throughput.sh - throughput of the full composed model (issue 3,
# bench/): `gutskin trial bench/full-model-trial.yaml` (every non-reference
# block: gut, systemic and all four skin blocks; 12 weeks; daily samples;
# two arms, no inclusion criteria) at 1 and 2 threads and several patient
# counts.  Prints a Markdown section for bench/RESULTS.md on stdout
# (progress on stderr): patients per second per core, the speed-up of 2
# threads over 1 (goal: at least 1.8x) and the time per patient across
# patient counts (linear scaling keeps it flat).
#
# Environment: BUILD (build dir, default build), NS (patient counts,
# default "1000 2000 4000 8000"), SEED (default 1), REPEAT (runs per point,
# the least wall time is reported, default 3), PYTHON (default
# /usr/bin/python3, for bench/timecmd.py).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${BUILD:-build}
NS=${NS:-1000 2000 4000 8000}
SEED=${SEED:-1}
REPEAT=${REPEAT:-3}
PYTHON=${PYTHON:-/usr/bin/python3}
case $BUILD in /*) bin=$BUILD/gutskin ;; *) bin=$root/$BUILD/gutskin ;; esac
if [ ! -x "$bin" ]; then
    echo "throughput: $bin not found; run 'make build' first (or set BUILD)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

trial=bench/full-model-trial.yaml
# least wall and least CPU time of REPEAT runs of: trial N THREADS
best_of() {
    best=""
    i=0
    while [ "$i" -lt "$REPEAT" ]; do
        t=$(cd "$root" && "$PYTHON" "$here/timecmd.py" "$tmp/out-$1-$2.json" \
            "$bin" trial "$trial" --patients "$1" --seed "$SEED" --threads "$2" 2>>"$tmp/stderr")
        best=$(echo "$best $t" | awk '{ if (NF == 2) print $1, $2;
            else print ($3 < $1 ? $3 : $1), ($4 < $2 ? $4 : $2) }')
        i=$((i + 1))
    done
    echo "$best"
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
rows=""
same="identical"
for n in $NS; do
    echo "throughput: $n patients, 1 and 2 threads, best of $REPEAT ..." >&2
    t1=$(best_of "$n" 1)
    t2=$(best_of "$n" 2)
    cmp -s "$tmp/out-$n-1.json" "$tmp/out-$n-2.json" || same="DIFFERENT"
    failed=$("$PYTHON" -c 'import json,sys; s=json.load(open(sys.argv[1]))["screening"]; print(s["failed_at_screening"] + s["failed_in_arm"])' "$tmp/out-$n-1.json")
    rows="$rows$n $t1 $t2 $failed
"
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

table=$(printf '%s' "$rows" | awk '
    BEGIN { printf "| patients | 1 thread wall s | CPU s | patients/s/core | ms/patient | 2 threads wall s | patients/s (2 cores) | patients/s/core | speed-up 2 vs 1 | failed |\n"
            printf "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" }
    NF == 6 { n = $1; w1 = $2; c1 = $3; w2 = $4
        printf "| %d | %.3f | %.3f | %.0f | %.3f | %.3f | %.0f | %.0f | %.2fx | %d |\n",
            n, w1, c1, n / w1, 1000 * w1 / n, w2, n / w2, n / w2 / 2, w1 / w2, $6 }')
verdict=$(printf '%s' "$rows" | awk '
    NF == 6 { s = $2 / $4; if (min == "" || s < min) min = s; if (s > max) max = s
              pp = $2 / $1; if (lo == "" || pp < lo) lo = pp; if (pp > hi) hi = pp
              if (first == "") { first = $1; fw = $2 } last = $1; lw = $2 }
    END { printf "- speed-up of 2 threads over 1: %.2fx to %.2fx -> goal (at least 1.8x on 2 cores) %s\n",
              min, max, (min >= 1.8 ? "met at every size" : (max >= 1.8 ? "met only at some sizes" : "NOT met"))
          printf "- linearity: 1-thread time per patient from %.3f to %.3f ms (spread %.1f%% of the smallest); %d -> %d patients (%.0fx) took %.2fx the time\n",
              1000 * lo, 1000 * hi, 100 * (hi - lo) / lo, first, last, last / first, lw / fw }')

echo "## Throughput of the full composed model"
echo
echo "Written by \`bench/throughput.sh\` (run by \`bench/run.sh\`). Workload: \`$trial\`:"
echo "every non-reference block (microbiome, metabolites, barrier, systemic,"
echo "nutrients, hormones, oxidative; skin_ad, skin_acne, skin_rosacea, skin_ageing),"
echo "84 days sampled daily, two arms (usual diet, gut programme), every patient"
echo "drawn from all four variability files of data/populations/, burned in to its"
echo "steady state, then run (no inclusion criteria). Times are whole commands,"
echo "least of $REPEAT runs each; load average $load0 before, $load1 after."
echo
echo '```'
echo "$bin trial $trial --patients N --seed $SEED --threads 1" | sed "s|$root/||"
echo "$bin trial $trial --patients N --seed $SEED --threads 2" | sed "s|$root/||"
echo "N in: $NS"
echo '```'
echo
echo "$table"
echo
echo "$verdict"
echo "- output with 1 and 2 threads: $same at every size"
