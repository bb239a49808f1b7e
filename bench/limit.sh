#!/bin/sh
# bench/limit.sh - "how close to the limit" (issue 3, bench/): builds
# bench/limit.c against the libgutskin.a of a build directory, runs it on
# bench/full-model-trial.yaml (the full composed model) and prints a
# Markdown section for bench/RESULTS.md on stdout: the trial's time on one
# thread against CVODE's right-hand-side and Jacobian evaluation counts
# times their measured cost per call (goal: total within 3x).
#
# Environment: BUILD (build dir, default build), N (patients, default 2000),
# REPEAT (runs, the one with the least CPU time is reported, default 3),
# CC (default cc).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${BUILD:-build}
N=${N:-2000}
REPEAT=${REPEAT:-3}
CC=${CC:-cc}
case $BUILD in /*) lib=$BUILD/libgutskin.a ;; *) lib=$root/$BUILD/libgutskin.a ;; esac
if [ ! -f "$lib" ]; then
    echo "limit: $lib not found; run 'make build' first (or set BUILD)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The same optimisation as the default RelWithDebInfo build of libgutskin.
build_cmd="$CC -std=c11 -O2 -g -Wall -Wextra -Werror -I$root/include bench/limit.c $lib $(pkg-config --libs libfyaml jansson gsl cairo) -lsundials_cvode -lsundials_nvecserial -fopenmp -lm"
# shellcheck disable=SC2086
(cd "$root" && $build_cmd -o "$tmp/limit")

load0=$(cut -d' ' -f1-3 /proc/loadavg)
best=""
i=0
while [ "$i" -lt "$REPEAT" ]; do
    echo "limit: $N patients, run $((i + 1)) of $REPEAT ..." >&2
    out=$(cd "$root" && "$tmp/limit" bench/full-model-trial.yaml "$N" 2>"$tmp/stderr")
    best=$(printf '%s\n%s\n' "$best" "$out" | /usr/bin/python3 -c '
import json, sys
runs = [json.loads(l) for l in sys.stdin if l.strip()]
print(json.dumps(min(runs, key=lambda r: r["cpu_s"])))')
    i=$((i + 1))
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
why=$(cat "$tmp/stderr")

echo "## How close to the limit: time in the model against total time"
echo
echo "Written by \`bench/limit.sh\` (run by \`bench/run.sh\`). \`bench/limit.c\` runs the"
echo "patients of \`bench/full-model-trial.yaml\` one after another on one thread"
echo "through libgutskin's API as \`gutskin trial\` does (draw, burn-in to steady"
echo "state, the arm's 84 days sampled daily, every output on every day), then"
echo "times gs_model_rhs and gs_model_jacobian per call in CPU time, cycling over the daily"
echo "states of the last 64 completed patients (each with its own parameters and arm"
echo "doses). Least CPU time of $REPEAT runs; load average $load0 before, $load1 after."
echo
echo '```'
echo "$build_cmd -o limit" | sed "s|$root/||g"
echo "./limit bench/full-model-trial.yaml $N"
echo '```'
echo
cat >"$tmp/table.py" <<'PY'
import json, sys
r = json.loads(sys.stdin.read())
n = r['patients']
fd = not r['analytic_jacobian']
fdtext = 'finite differences, counted above' if fd else 'analytic'
print("| quantity | value |")
print("|---|---:|")
print(f"| patients (completed / failed) | {n} ({r['included']} / {r['failed']}) |")
print(f"| states of the composed model | {r['states']} |")
print(f"| total CPU time, one thread | {r['cpu_s']:.3f} s ({1000 * r['cpu_s'] / n:.3f} ms/patient) |")
print(f"| CVODE steps | {r['steps']} ({r['steps'] / n:.0f}/patient) |")
print(f"| right-hand-side evaluations | {r['rhs_evals']} ({r['rhs_evals'] / n:.0f}/patient) |")
if fd:
    print(f"| of which for finite-difference Jacobians | {r['jac_evals'] * r['states']} ({r['jac_evals']} Jacobians x {r['states']} states) |")
print(f"| Jacobian evaluations | {r['jac_evals']} ({fdtext}) |")
print(f"| linear solver setups (LU factorisations) | {r['lin_setups']} |")
print(f"| restarts (dose changes, burn-in checks) | {r['restarts']} |")
print(f"| gs_model_rhs, per call | {r['rhs_ns_per_call']:.0f} ns |")
if not fd:
    print(f"| gs_model_jacobian, per call | {r['jac_ns_per_call']:.0f} ns |")
print(f"| time in the model (evaluations x cost) | {r['floor_s']:.3f} s |")
print(f"| **total / time in the model** | **{r['ratio_cpu']:.2f}x** |")
print()
goal = "met" if r['ratio_cpu'] <= 3 else "NOT met"
print(f"- goal (total within 3x of the time in right-hand side and Jacobian): {goal}")
per_step = 1e6 * r['cpu_s'] / r['steps']
print(f"- {per_step:.2f} us per CVODE step of which {1e6 * r['floor_s'] / r['steps']:.2f} us in the model")
PY
printf '%s\n' "$best" | /usr/bin/python3 "$tmp/table.py"
[ -z "$why" ] || echo "- ${why#limit: } (so CVODE builds the Jacobian by finite differences, from right-hand-side evaluations)"
