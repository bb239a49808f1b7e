#!/bin/sh
# bench/run.sh - time `gutskin reproduce miyano2022` against the SciPy port
# of the same virtual trial (bench/miyano_scipy.py), check that both give
# the same EASI-75 per arm within sampling error, check that both integrate
# the same model (bench/median_check.py: the median patient, every arm, day by
# day), and rewrite bench/RESULTS.md with the figures, the machine and the exact commands.
#
# Builds nothing: run `make build` first (`make bench` does both).
# Environment: BUILD (build dir, default build), N (patients for gutskin,
# default 1000), N_PY (patients for SciPy, default N), SEED (default 1),
# PYTHON (default /usr/bin/python3, Debian's, which has numpy and scipy),
# REPEAT (gutskin runs per thread count, the fastest is reported; default 3 -
# a run of a few seconds is easily disturbed by other processes, whereas the
# SciPy run of minutes averages such disturbances out and is run once).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${BUILD:-build}
N=${N:-1000}
N_PY=${N_PY:-$N}
SEED=${SEED:-1}
REPEAT=${REPEAT:-3}
PYTHON=${PYTHON:-/usr/bin/python3}
case $BUILD in /*) bin=$BUILD/gutskin ;; *) bin=$root/$BUILD/gutskin ;; esac

if [ ! -x "$bin" ]; then
    echo "bench: $bin not found; run 'make build' first (or set BUILD)" >&2
    exit 1
fi
if ! "$PYTHON" -c 'import numpy, scipy' 2>/dev/null; then
    echo "bench: $PYTHON lacks numpy or scipy; run scripts/install-deps.sh" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

cmd_gs1="$bin reproduce miyano2022 --patients $N --seed $SEED --threads 1"
cmd_gs2="$bin reproduce miyano2022 --patients $N --seed $SEED --threads 2"
cmd_py="$PYTHON bench/miyano_scipy.py --patients $N_PY --seed $SEED"

# fastest of REPEAT runs of a command, its output in $2
best_of() {
    best=""
    i=0
    while [ "$i" -lt "$REPEAT" ]; do
        t0=$(now); $1 >"$2"; t1=$(now)
        t=$(elapsed "$t0" "$t1")
        best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (a == "" || b < a) ? b : a }')
        i=$((i + 1))
    done
    echo "$best"
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: gutskin, $N patients, 1 thread, best of $REPEAT ..." >&2
gs1=$(best_of "$cmd_gs1" "$tmp/gs1.json")
echo "bench: gutskin, $N patients, 2 threads, best of $REPEAT ..." >&2
gs2=$(best_of "$cmd_gs2" "$tmp/gs2.json")
if cmp -s "$tmp/gs1.json" "$tmp/gs2.json"; then same="identical"; else same="DIFFERENT"; fi
echo "bench: SciPy port, $N_PY patients (one thread; this takes a while) ..." >&2
t0=$(now); (cd "$root" && $cmd_py >"$tmp/py.json"); t1=$(now)
py=$(elapsed "$t0" "$t1")
load1=$(cut -d' ' -f1-3 /proc/loadavg)

set +e
(cd "$root" && "$PYTHON" bench/compare_easi75.py "$tmp/gs1.json" "$tmp/py.json") >"$tmp/compare.txt"
agree=$?
(cd "$root" && "$PYTHON" bench/median_check.py "$bin") >"$tmp/median.txt"
median_ok=$?
set -e

figures=$(awk -v n="$N" -v npy="$N_PY" -v g1="$gs1" -v g2="$gs2" -v p="$py" -v r="$REPEAT" 'BEGIN {
    pg1 = g1 / n; pg2 = g2 / n; pp = p / npy
    printf "gutskin 1 thread : %8.3f s for %d patients = %8.3f ms/patient\n", g1, n, 1000 * pg1
    printf "gutskin 2 threads: %8.3f s for %d patients = %8.3f ms/patient\n", g2, n, 1000 * pg2
    printf "SciPy (1 process): %8.3f s for %d patients = %8.3f ms/patient\n", p, npy, 1000 * pp
    printf "speed-up per patient, gutskin 1 thread  vs SciPy: %.1fx\n", pp / pg1
    printf "speed-up per patient, gutskin 2 threads vs SciPy: %.1fx\n", pp / pg2
    printf "goal (issue): at least 100x per patient -> %s\n", ((pp / pg1 >= 100) ? "met" : "NOT met")
    printf "(gutskin: fastest of %d runs each; SciPy: one run; wall-clock times)\n", r
}')
scaled=""
if [ "$N_PY" != "$N" ]; then
    scaled="SciPy ran on a subset of $N_PY patients (not $N); its time per patient is that
subset's wall time divided by $N_PY, and the ratios compare times per patient."
fi
py_work=$("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.0f right-hand-side evaluations and %.1f Jacobians per patient; numpy %s, scipy %s, Python %s" % (d["rhs_evals_per_patient"], d["jacobians_per_patient"], d["numpy"], d["scipy"], d["python"]))' "$tmp/py.json")

echo "$figures"
[ -n "$scaled" ] && echo "$scaled"
echo "gutskin output with 1 and 2 threads: $same"
cat "$tmp/compare.txt"
cat "$tmp/median.txt"

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
commit=$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
{
    echo "# Benchmark: Miyano 2022 virtual trial, gutskin against a SciPy port"
    echo
    echo "Written by \`bench/run.sh\` (\`make bench\`); do not edit by hand. See README.md"
    echo "for what is compared and how fairly."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) CPUs, $cpu; load average (1, 5, 15 min) $load0 at the start, $load1 after the SciPy run (other work on the machine slows both sides)"
    echo "- gutskin: $BUILD/gutskin, working tree at commit $commit"
    echo "- SciPy port: $py_work"
    echo
    echo "## Commands"
    echo
    echo '```'
    echo "$cmd_gs1" | sed "s|$root/||"
    echo "$cmd_gs2" | sed "s|$root/||"
    echo "$cmd_py"
    echo "$PYTHON bench/compare_easi75.py GUTSKIN.json SCIPY.json"
    echo "$PYTHON bench/median_check.py $bin" | sed "s|$root/||"
    echo '```'
    echo
    echo "## Times"
    echo
    echo '```'
    echo "$figures"
    [ -n "$scaled" ] && echo "$scaled"
    echo "gutskin output with 1 and 2 threads: $same"
    echo '```'
    echo
    echo "## Agreement (EASI-75 per arm)"
    echo
    echo '```'
    cat "$tmp/compare.txt"
    echo '```'
    echo
    echo "## Same model (median patient, every arm, day by day)"
    echo
    echo '```'
    cat "$tmp/median.txt"
    echo '```'
} >"$here/RESULTS.md"
echo "bench: wrote bench/RESULTS.md" >&2
[ "$same" = "identical" ] || { echo "bench: gutskin's result depends on the thread count" >&2; exit 1; }
[ "$median_ok" -eq 0 ] || { echo "bench: the median-patient trajectories differ" >&2; exit 1; }
exit "$agree"
