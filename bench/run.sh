#!/bin/sh
# bench/run.sh - time `gutskin reproduce miyano2022` against the SciPy port
# of the same virtual trial (bench/miyano_scipy.py), check that both give
# the same EASI-75 per arm within sampling error, and rewrite
# bench/RESULTS.md with the figures, the machine and the exact commands.
#
# Builds nothing: run `make build` first (`make bench` does both).
# Environment: BUILD (build dir, default build), N (patients for gutskin,
# default 1000), N_PY (patients for SciPy, default N), SEED (default 1),
# PYTHON (default /usr/bin/python3, Debian's, which has numpy and scipy).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${BUILD:-build}
N=${N:-1000}
N_PY=${N_PY:-$N}
SEED=${SEED:-1}
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

echo "bench: gutskin, $N patients, 1 thread ..." >&2
t0=$(now); $cmd_gs1 >"$tmp/gs1.json"; t1=$(now)
gs1=$(elapsed "$t0" "$t1")
echo "bench: gutskin, $N patients, 2 threads ..." >&2
t0=$(now); $cmd_gs2 >"$tmp/gs2.json"; t1=$(now)
gs2=$(elapsed "$t0" "$t1")
if cmp -s "$tmp/gs1.json" "$tmp/gs2.json"; then same="identical"; else same="DIFFERENT"; fi
echo "bench: SciPy port, $N_PY patients (one thread; this takes a while) ..." >&2
t0=$(now); (cd "$root" && $cmd_py >"$tmp/py.json"); t1=$(now)
py=$(elapsed "$t0" "$t1")
load=$(cut -d' ' -f1-3 /proc/loadavg)

set +e
(cd "$root" && "$PYTHON" bench/compare_easi75.py "$tmp/gs1.json" "$tmp/py.json") >"$tmp/compare.txt"
agree=$?
set -e

figures=$(awk -v n="$N" -v npy="$N_PY" -v g1="$gs1" -v g2="$gs2" -v p="$py" 'BEGIN {
    pg1 = g1 / n; pg2 = g2 / n; pp = p / npy
    printf "gutskin 1 thread : %8.3f s for %d patients = %8.3f ms/patient\n", g1, n, 1000 * pg1
    printf "gutskin 2 threads: %8.3f s for %d patients = %8.3f ms/patient\n", g2, n, 1000 * pg2
    printf "SciPy (1 process): %8.3f s for %d patients = %8.3f ms/patient\n", p, npy, 1000 * pp
    printf "speed-up per patient, gutskin 1 thread  vs SciPy: %.1fx\n", pp / pg1
    printf "speed-up per patient, gutskin 2 threads vs SciPy: %.1fx\n", pp / pg2
    printf "goal (issue): at least 100x per patient -> %s\n", ((pp / pg1 >= 100) ? "met" : "NOT met")
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

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
commit=$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
{
    echo "# Benchmark: Miyano 2022 virtual trial, gutskin against a SciPy port"
    echo
    echo "Written by \`bench/run.sh\` (\`make bench\`); do not edit by hand. See README.md"
    echo "for what is compared and how fairly."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) CPUs, $cpu; load average before the comparison $load"
    echo "- gutskin commit: $commit (build directory $BUILD)"
    echo "- SciPy port: $py_work"
    echo
    echo "## Commands"
    echo
    echo '```'
    echo "$cmd_gs1" | sed "s|$root/||"
    echo "$cmd_gs2" | sed "s|$root/||"
    echo "$cmd_py"
    echo "$PYTHON bench/compare_easi75.py GUTSKIN.json SCIPY.json"
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
} >"$here/RESULTS.md"
echo "bench: wrote bench/RESULTS.md" >&2
[ "$same" = "identical" ] || { echo "bench: gutskin's result depends on the thread count" >&2; exit 1; }
exit "$agree"
