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
# REPEAT (gutskin runs per thread count, the least disturbed is reported;
# default 3 - a run of a second or two is easily disturbed by other
# processes; the SciPy run of minutes is run once).
#
# Times: wall clock and CPU time (user + system, bench/timecmd.py) of each
# whole command.  The per-patient speed-up on one thread is judged on CPU
# time, which other processes on a shared machine do not inflate; wall time
# is reported beside it, and is what the 2-thread run shortens.
#
# Issue 3 adds, side by side in the same run: the R deSolve (lsoda) port
# bench/miyano_desolve.R (N_R patients, default N; R is slow, so set it
# lower and the ratio is per patient; RSCRIPT, default Rscript), the
# throughput of the full composed model (bench/throughput.sh, NS patient
# counts) and how close to the limit (bench/limit.sh, N_LIMIT patients);
# their sections are appended to RESULTS.md.  SKIP_ISSUE3=1 runs only the
# issue-2 comparison.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${BUILD:-build}
N=${N:-1000}
N_PY=${N_PY:-$N}
SEED=${SEED:-1}
REPEAT=${REPEAT:-3}
PYTHON=${PYTHON:-/usr/bin/python3}
N_R=${N_R:-$N}
RSCRIPT=${RSCRIPT:-Rscript}
SKIP_ISSUE3=${SKIP_ISSUE3:-0}
case $BUILD in /*) bin=$BUILD/gutskin ;; *) bin=$root/$BUILD/gutskin ;; esac

if [ ! -x "$bin" ]; then
    echo "bench: $bin not found; run 'make build' first (or set BUILD)" >&2
    exit 1
fi
if ! "$PYTHON" -c 'import numpy, scipy' 2>/dev/null; then
    echo "bench: $PYTHON lacks numpy or scipy; run scripts/install-deps.sh" >&2
    exit 1
fi
if [ "$SKIP_ISSUE3" != 1 ] && ! "$RSCRIPT" -e 'library(deSolve)' >/dev/null 2>&1; then
    echo "bench: $RSCRIPT or the R package deSolve is missing; run scripts/install-deps.sh" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

timed() { "$PYTHON" "$here/timecmd.py" "$@"; }   # OUT CMD... -> "WALL CPU"

cmd_gs1="$bin reproduce miyano2022 --patients $N --seed $SEED --threads 1"
cmd_gs2="$bin reproduce miyano2022 --patients $N --seed $SEED --threads 2"
cmd_py="$PYTHON bench/miyano_scipy.py --patients $N_PY --seed $SEED"
cmd_r="$RSCRIPT bench/miyano_desolve.R --patients $N_R --seed $SEED"

# REPEAT runs of a command, its output in $2: "least wall, least CPU"
best_of() {
    best=""
    i=0
    while [ "$i" -lt "$REPEAT" ]; do
        # shellcheck disable=SC2086
        t=$(timed "$2" $1)
        best=$(echo "$best $t" | awk '{ if (NF == 2) print $1, $2;
            else print ($3 < $1 ? $3 : $1), ($4 < $2 ? $4 : $2) }')
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
# shellcheck disable=SC2086
py=$(cd "$root" && timed "$tmp/py.json" $cmd_py)
if [ "$SKIP_ISSUE3" != 1 ]; then
    echo "bench: R deSolve port, $N_R patients (one thread; this takes a while) ..." >&2
    # shellcheck disable=SC2086
    rr=$(cd "$root" && timed "$tmp/r.json" $cmd_r)
fi
load1=$(cut -d' ' -f1-3 /proc/loadavg)

set +e
(cd "$root" && "$PYTHON" bench/compare_easi75.py "$tmp/gs1.json" "$tmp/py.json") >"$tmp/compare.txt"
agree=$?
(cd "$root" && "$PYTHON" bench/median_check.py "$bin") >"$tmp/median.txt"
median_ok=$?
r_agree=0
if [ "$SKIP_ISSUE3" != 1 ]; then
    # the same check, the deSolve run in the second column (relabelled)
    (cd "$root" && "$PYTHON" bench/compare_easi75.py "$tmp/gs1.json" "$tmp/r.json") |
        sed 's/     scipy/   deSolve/; s/, scipy /, deSolve /' >"$tmp/compare_r.txt"
    r_agree=$(cd "$root" && "$PYTHON" bench/compare_easi75.py "$tmp/gs1.json" "$tmp/r.json" >/dev/null; echo $?)
fi
set -e
if [ "$SKIP_ISSUE3" != 1 ]; then
    echo "bench: throughput of the full composed model (bench/throughput.sh) ..." >&2
    BUILD=$BUILD SEED=$SEED REPEAT=$REPEAT PYTHON=$PYTHON "$here/throughput.sh" >"$tmp/throughput.md"
    echo "bench: how close to the limit (bench/limit.sh) ..." >&2
    BUILD=$BUILD N=${N_LIMIT:-2000} REPEAT=$REPEAT "$here/limit.sh" >"$tmp/limit.md"
fi
load2=$(cut -d' ' -f1-3 /proc/loadavg)

figures=$(echo "$gs1 $gs2 $py" | awk -v n="$N" -v npy="$N_PY" -v r="$REPEAT" '{
    w1 = $1 / n; c1 = $2 / n; w2 = $3 / n; c2 = $4 / n; wp = $5 / npy; cp = $6 / npy
    printf "                   wall s  CPU s  patients  wall ms/patient  CPU ms/patient\n"
    printf "gutskin 1 thread  %7.3f %7.3f %8d %14.3f %15.3f\n", $1, $2, n, 1000 * w1, 1000 * c1
    printf "gutskin 2 threads %7.3f %7.3f %8d %14.3f %15.3f\n", $3, $4, n, 1000 * w2, 1000 * c2
    printf "SciPy (1 process) %7.3f %7.3f %8d %14.3f %15.3f\n", $5, $6, npy, 1000 * wp, 1000 * cp
    printf "speed-up per patient, gutskin 1 thread vs SciPy:  %.1fx CPU time, %.1fx wall\n", cp / c1, wp / w1
    printf "speed-up per patient, gutskin 2 threads vs SciPy: %.1fx wall against SciPy CPU, %.1fx wall against wall\n", cp / w2, wp / w2
    printf "goal (issue): at least 100x per patient on one thread (CPU time) -> %s\n", ((cp / c1 >= 100) ? "met" : "NOT met")
    printf "(gutskin: least of %d runs each; SciPy: one run)\n", r
}')
scaled=""
if [ "$N_PY" != "$N" ]; then
    scaled="SciPy ran on a subset of $N_PY patients (not $N); its time per patient is that
subset's times divided by $N_PY, and the ratios compare times per patient."
fi
r_figures=""
if [ "$SKIP_ISSUE3" != 1 ]; then
    r_figures=$(echo "$gs1 $gs2 $rr" | awk -v n="$N" -v nr="$N_R" '{
        c1 = $2 / n; w2 = $3 / n; wr = $5 / nr; cr = $6 / nr
        printf "                   wall s  CPU s  patients  wall ms/patient  CPU ms/patient\n"
        printf "gutskin 1 thread  %7.3f %7.3f %8d %14.3f %15.3f\n", $1, $2, n, 1000 * $1 / n, 1000 * c1
        printf "gutskin 2 threads %7.3f %7.3f %8d %14.3f %15.3f\n", $3, $4, n, 1000 * w2, 1000 * $4 / n
        printf "R deSolve lsoda   %7.3f %7.3f %8d %14.3f %15.3f\n", $5, $6, nr, 1000 * wr, 1000 * cr
        printf "speed-up per patient, gutskin 1 thread vs deSolve:  %.1fx CPU time\n", cr / c1
        printf "speed-up per patient, gutskin 2 threads vs deSolve: %.1fx wall against deSolve CPU\n", cr / w2
        printf "goal (issue): at least 20x per patient on one thread (CPU time) -> %s\n", ((cr / c1 >= 20) ? "met" : "NOT met")
    }')
    if [ "$N_R" != "$N" ]; then
        r_figures="$r_figures
deSolve ran on a subset of $N_R patients (not $N): at its speed $N patients would
take about $(echo "$rr" | awk -v n="$N" -v nr="$N_R" '{ printf "%.0f", $2 * n / nr / 60 }') minutes. Its time per patient is the subset's time divided
by $N_R, and the ratios compare times per patient."
    fi
    r_work=$("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.0f right-hand-side evaluations, %.0f steps and %.1f Jacobians per patient; deSolve %s, R %s" % (d["rhs_evals_per_patient"], d["steps_per_patient"], d["jacobians_per_patient"], d["desolve"], d["r"]))' "$tmp/r.json")
fi
py_work=$("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.0f right-hand-side evaluations and %.1f Jacobians per patient; numpy %s, scipy %s, Python %s" % (d["rhs_evals_per_patient"], d["jacobians_per_patient"], d["numpy"], d["scipy"], d["python"]))' "$tmp/py.json")

echo "$figures"
[ -n "$scaled" ] && echo "$scaled"
echo "gutskin output with 1 and 2 threads: $same"
cat "$tmp/compare.txt"
cat "$tmp/median.txt"
if [ "$SKIP_ISSUE3" != 1 ]; then
    echo "$r_figures"
    cat "$tmp/compare_r.txt" "$tmp/throughput.md" "$tmp/limit.md"
fi

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
commit=$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
{
    echo "# Benchmark: Miyano 2022 virtual trial, gutskin against a SciPy port (and, below, an R deSolve port, throughput and the limit)"
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
    echo "(the three timed commands run as $PYTHON bench/timecmd.py OUTFILE COMMAND...)"
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
    if [ "$SKIP_ISSUE3" != 1 ]; then
        echo
        echo "## Miyano 2022 virtual trial: gutskin against an R deSolve (lsoda) port"
        echo
        echo "- R port: $r_work"
        echo "- load average at the end of the whole run: $load2"
        echo
        echo '```'
        echo "$cmd_gs1" | sed "s|$root/||"
        echo "$cmd_gs2" | sed "s|$root/||"
        echo "$cmd_r"
        echo "$PYTHON bench/compare_easi75.py GUTSKIN.json DESOLVE.json"
        echo '```'
        echo
        echo '```'
        echo "$r_figures"
        echo "(gutskin: the same runs as above)"
        echo '```'
        echo
        echo "Agreement of EASI-75 per arm, gutskin against deSolve:"
        echo
        echo '```'
        cat "$tmp/compare_r.txt"
        echo '```'
        echo
        cat "$tmp/throughput.md"
        echo
        cat "$tmp/limit.md"
    fi
} >"$tmp/RESULTS.md"
# The other benchmarks' sections (bench/stats/run.sh, bench/server/run.sh)
# sit between their own markers; keep them as they are.
if [ -f "$here/RESULTS.md" ]; then
    for name in stats server; do
        sed -n "/<!-- $name:begin/,/<!-- $name:end -->/p" "$here/RESULTS.md" >"$tmp/keep.md"
        [ -s "$tmp/keep.md" ] && { echo; cat "$tmp/keep.md"; } >>"$tmp/RESULTS.md"
    done
fi
mv "$tmp/RESULTS.md" "$here/RESULTS.md"
echo "bench: wrote bench/RESULTS.md" >&2
[ "$same" = "identical" ] || { echo "bench: gutskin's result depends on the thread count" >&2; exit 1; }
[ "$median_ok" -eq 0 ] || { echo "bench: the median-patient trajectories differ" >&2; exit 1; }
[ "$r_agree" -eq 0 ] || { echo "bench: gutskin and the deSolve port disagree" >&2; exit 1; }
exit "$agree"
