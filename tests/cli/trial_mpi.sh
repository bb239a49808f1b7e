#!/bin/sh
# `gutskin trial --mpi` end to end (issue 3, items 3 and 4): under mpirun
# with 2 ranks talking TCP over the loopback interface, and with 3 ranks,
# the JSON, the CSV and --patients-out are byte-identical to one process
# with the same seed, failed patients' sentences included; only rank 0
# prints (and warns once when --threads exceeds the cores mpirun gave a
# rank); --mpi alone runs as 1 rank; a plain run never starts MPI; a bad
# file exits 2 with FILE:LINE:COLUMN once; a failure on rank 1 alone, or
# ranks that read different trials, reach the user naming the rank.
# usage: trial_mpi.sh PATH/TO/gutskin [PATH/TO/mpirun]   (from the source tree;
# as root, OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1)
set -u
GS=$1
MPIRUN=${2:-mpirun}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
N=40
[ "${GS_SANITIZED:-0}" = 1 ] && N=12
# byte transport TCP, on lo only (as between machines, without a network);
# the runtime's own channel also on lo; after a rank exits non-zero, kill the
# rest at once instead of a second later (same exit status, faster test)
TCP="--mca btl self,tcp --mca btl_tcp_if_include lo --mca oob_tcp_if_include lo
 --mca odls_base_sigkill_timeout 0"
# shellcheck disable=SC2086
ranks() { k=$1; shift; "$MPIRUN" -n "$k" --oversubscribe $TCP "$@"; }
F=data/trials/low-gl-diet-acne.yaml

# --- 2 ranks over TCP against one process: the same bytes ------------------
"$GS" trial $F --patients $N --threads 2 >"$T/one.json" 2>/dev/null || fail "plain run"
ranks 2 "$GS" trial $F --patients $N --mpi >"$T/two.json" 2>"$T/two.err" \
    || { cat "$T/two.err" >&2; fail "2 ranks do not run"; }
cmp -s "$T/one.json" "$T/two.json" || fail "JSON of 2 MPI ranks differs from one process"
grep -q "$N screened, .* on 2 MPI ranks" "$T/two.err" || fail "stderr names the ranks"
[ "$(grep -c 'not a diagnosis' "$T/two.err")" -eq 1 ] || fail "only rank 0 writes stderr"

# --- 3 ranks, CSV and one row per patient ----------------------------------
"$GS" trial $F --patients $N --seed 5 --format csv --patients-out "$T/p1.csv" \
    >"$T/one.csv" 2>/dev/null || fail "plain CSV run"
ranks 3 "$GS" trial $F --patients $N --seed 5 --format csv --mpi --patients-out "$T/p3.csv" \
    >"$T/three.csv" 2>"$T/err" || { cat "$T/err" >&2; fail "3 ranks do not run"; }
cmp -s "$T/one.csv" "$T/three.csv" || fail "CSV of 3 ranks differs from one process"
cmp -s "$T/p1.csv" "$T/p3.csv" || fail "--patients-out of 3 ranks differs from one process"

# --- every fate travels: failed (with sentences), excluded, completed -----
cat >"$T/wide.yaml" <<'YAML'
name: wide
vary:
  - {param: skin_ad.k6, sd_log: 1.5, source: "test: wider than its range"}
  - {param: skin_ad.k1, sd_log: 0.5, source: "test"}
YAML
cat >"$T/mixed.yaml" <<'YAML'
name: mixed fates
population:
  person: {skin: [skin_ad]}
  variability: wide.yaml
  include:
    - {score: skin_ad.easi, min: 14}
patients: 30
days: 14
arms:
  - {name: a, control: true}
  - name: b
    schedule: [{intervention: emollient, start: 0, stop: 14, dose: 1}]
endpoints:
  - {name: e, score: skin_ad.easi, day: 14, kind: change}
  - {name: ttr, score: skin_ad.easi, kind: time_to_response, threshold_percent: -20}
YAML
"$GS" trial "$T/mixed.yaml" --patients-out "$T/m1.csv" >"$T/m1.json" 2>/dev/null \
    || fail "mixed trial, plain"
ranks 2 "$GS" trial "$T/mixed.yaml" --mpi --patients-out "$T/m2.csv" >"$T/m2.json" \
    2>"$T/err" || { cat "$T/err" >&2; fail "mixed trial, 2 ranks"; }
cmp -s "$T/m1.json" "$T/m2.json" || fail "mixed trial: JSON differs"
cmp -s "$T/m1.csv" "$T/m2.csv" || fail "mixed trial: --patients-out differs"
grep -q '"failed_at_screening": 14' "$T/m2.json" || fail "mixed trial: 14 failed"
grep -q '"excluded": 2,' "$T/m2.json" || fail "mixed trial: 2 excluded"
# patient 28 (rank 1's block) failed: its sentence came across
grep -q '^28,a,failed,"patient 28, screening: 100 draws of skin_ad.k6' "$T/m2.csv" \
    || fail "mixed trial: rank 1's failure sentence"

# --- more ranks than patients; --mpi without mpirun is 1 rank --------------
"$GS" trial $F --patients 2 >"$T/p2a.json" 2>/dev/null || fail "2 patients, plain"
ranks 3 "$GS" trial $F --patients 2 --mpi >"$T/p2b.json" 2>"$T/err" \
    || { cat "$T/err" >&2; fail "3 ranks, 2 patients"; }
cmp -s "$T/p2a.json" "$T/p2b.json" || fail "3 ranks for 2 patients differ"
"$GS" trial $F --patients $N --mpi >"$T/alone.json" 2>"$T/err" \
    || { cat "$T/err" >&2; fail "--mpi without mpirun"; }
cmp -s "$T/one.json" "$T/alone.json" || fail "--mpi alone differs from a plain run"
grep -q "on 1 MPI rank " "$T/err" || fail "--mpi alone: 1 rank"

# threads beyond the core mpirun bound a rank to: said once, still the same run
ranks 2 "$GS" trial $F --patients 4 --threads 16 --mpi >/dev/null 2>"$T/err" \
    || { cat "$T/err" >&2; fail "--threads 16 under mpirun"; }
[ "$(grep -c -- '--threads 16, but mpirun lets rank 0 use' "$T/err")" -eq 1 ] \
    || { cat "$T/err" >&2; fail "the warning about threads and cores, once"; }

# --- a plain run never starts MPI: a broken MPI setting cannot hurt it ---
OMPI_MCA_pml=no_such_pml "$GS" trial $F --patients 4 >/dev/null 2>&1 \
    || fail "a plain run started MPI"
OMPI_MCA_pml=no_such_pml "$GS" trial $F --patients 4 --mpi >/dev/null 2>&1 \
    && fail "the broken-MPI check is void: --mpi ran with no_such_pml"

# --- errors: every rank fails alike, rank 0 tells once ---------------------
cat >"$T/bad.yaml" <<'YAML'
name: bad
population: {person: {skin: [skin_acne]}}
arms:
  - {name: a, control: true}
  - {name: b}
endpoints:
  - {name: e, score: skin_acne.total_lesions, day: 10, kind: change, thresold: 3}
YAML
ranks 2 "$GS" trial "$T/bad.yaml" --mpi >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || { cat "$T/err" >&2; fail "bad file under mpirun: exit 2, got $rc"; }
[ "$(grep -c "^gutskin trial: $T/bad.yaml:7:70: unknown key 'thresold'" "$T/err")" -eq 1 ] \
    || { cat "$T/err" >&2; fail "bad file: FILE:LINE:COLUMN once"; }
[ -s "$T/out" ] && fail "bad file: nothing on stdout"
ranks 2 "$GS" trial $F --mpi --bogus >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "unknown option under mpirun: exit 2, got $rc"
[ "$(grep -c "^gutskin trial: unknown option '--bogus'" "$T/err")" -eq 1 ] \
    || { cat "$T/err" >&2; fail "unknown option: reported once"; }

# only rank 1 cannot read its file (as on a machine without it)
# shellcheck disable=SC2086
"$MPIRUN" --oversubscribe $TCP -n 1 "$GS" trial $F --patients 4 --mpi \
    : -n 1 "$GS" trial "$T/missing.yaml" --patients 4 --mpi >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || { cat "$T/err" >&2; fail "rank 1's missing file: exit 2, got $rc"; }
grep -q "^gutskin trial: rank 1 of 2: .*missing.yaml" "$T/err" \
    || { cat "$T/err" >&2; fail "rank 1's failure names the rank"; }
[ -s "$T/out" ] && fail "rank 1's failure: nothing on stdout"

# ranks that disagree on the trial stop at once, naming the difference
# (rather than rank 0 waiting for patients rank 1 never runs)
# shellcheck disable=SC2086
"$MPIRUN" --oversubscribe $TCP -n 1 "$GS" trial $F --patients 4 --mpi \
    : -n 1 "$GS" trial $F --patients 6 --mpi >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || { cat "$T/err" >&2; fail "ranks with different --patients: exit 2, got $rc"; }
grep -q "^gutskin trial: rank 1 of 2: this rank's trial has 6 patients where rank 0's has 4" \
    "$T/err" || { cat "$T/err" >&2; fail "ranks with different --patients: the message"; }

# nobody meets the criterion: the summary, exit 1
sed 's/min: 20}/min: 1000000}/' $F | sed "s|\.\./populations|$(pwd)/data/populations|g" \
    >"$T/none.yaml"
ranks 2 "$GS" trial "$T/none.yaml" --patients 6 --mpi >"$T/none.json" 2>"$T/err"; rc=$?
[ $rc -eq 1 ] || fail "nobody included under mpirun: exit 1, got $rc"
grep -q '"included": 0' "$T/none.json" || fail "nobody included: summary printed"
echo "trial --mpi CLI: all checks passed"
