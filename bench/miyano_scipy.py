#!/usr/bin/python3
"""A SciPy port of the Miyano 2022 atopic dermatitis virtual trial, the
reference implementation `gutskin reproduce miyano2022` is benchmarked
against (bench/run.sh).

Follows the equations and protocol of data/reference/miyano2022 (Miyano,
Irvine & Tanaka, Allergy 2022;77:582, doi:10.1111/all.14870) as written in
the shared reference README, in the paper's time unit (weeks):

  1. each virtual patient draws ln k_n ~ Normal(mu_n, |sigma_n|) for the 51
     sampled constants (k4 = d8);
  2. burn-in: 1000 weeks from the paper's initial state with k3 = 0; the end
     state is the baseline;
  3. ten arms of 24 weeks from the baseline with k3 on and a 99% block of
     the arm's target (rIFN-gamma adds 210 to IFN-gamma; tralokinumab blocks
     IL-13 with a2 = 0.4396);
  4. EASI = 72 (2 IP + 2 (1 - SB)) / 4, sampled daily (t = d/7 weeks,
     d = 0..168) as gutskin does; a patient whose EASI reaches 72 at any
     sample of any arm is excluded (and, as in gutskin, its remaining arms
     are not run); EASI-75 at week w is the share of included patients
     whose improvement 100 (EASI_0 - EASI(w)) / EASI_0 exceeds 75.

Solver: scipy.integrate.solve_ivp(method="BDF", rtol=1e-6, atol=1e-9), a
finite-difference Jacobian (as gutskin's CVODE dense solver uses), the same
tolerances as gutskin.  Time is in weeks here and in days in gutskin;
error control is relative to the solution, so the choice of unit does not
change what either solver is asked to resolve.

Random draws: numpy's PCG64 (one stream per patient from SeedSequence
[seed, patient]) with the same distribution as gutskin, which uses GSL's
Mersenne Twister; the two draw different patients, so results agree only
statistically (bench/compare_easi75.py).

Usage: miyano_scipy.py [--patients N] [--seed S] [--json OUT]
Prints a JSON document shaped like gutskin's (easi75 per arm per week,
included, excluded, failed) plus the wall time.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "reference", "miyano2022")

NAMES = ("k1 k2 k3 b1 b2 b3 b4 b5 d1 d2 d3 b6 d4 d5 d6 d7 b7 b8 d8 k5 k9 d9 b9 k6 k10 "
         "k7 k8 k11 k12 d10 k13 k14 d11 k15 k16 d12 k17 k18 d13 k19 k20 d14 k21 k22 d15 "
         "k23 k24 d16 k25 k26 d17").split()
assert len(NAMES) == 51

Y0 = [0.5931, 0.4069, 3.1, 8.7, 2.0, 21.0, 38.0, 40.5, 5.4, 3.0, 2.0, 1.5, 4.4, 9.7]
SB, IP = 0, 1
BURN_IN_WEEKS = 1000.0
TRIAL_DAYS = 168
N_WEEKS = 25
RTOL, ATOL = 1e-6, 1e-9
EXCLUSION_EASI = 72.0
A2_TRALOKINUMAB = 0.4396

# arm: (name, blocked fractions {cytokine: e}, IFN-gamma dose, a2)
ARMS = [
    ("placebo", {}, 0.0, 1.0),
    ("dupilumab", {"il4": 0.99, "il13": 0.99}, 0.0, 1.0),
    ("nemolizumab", {"il31": 0.99}, 0.0, 1.0),
    ("tezepelumab", {"tslp": 0.99}, 0.0, 1.0),
    ("gbr830", {"ox40l": 0.99}, 0.0, 1.0),
    ("fezakinumab", {"il22": 0.99}, 0.0, 1.0),
    ("secukinumab", {"il17": 0.99}, 0.0, 1.0),
    ("rifng", {}, 210.0, 1.0),
    ("tralokinumab", {"il13": 0.99}, 0.0, A2_TRALOKINUMAB),
    ("lebrikizumab", {"il13": 0.99}, 0.0, 1.0),
]


def read_column(name):
    with open(os.path.join(DATA, name)) as f:
        values = [float(line) for line in f if line.strip()]
    if len(values) != 51:
        sys.exit(f"{name}: expected 51 values, found {len(values)}")
    return np.array(values)


def make_rhs(k, k3_on, block, ifng_dose, a2):
    """The right-hand side in weeks for one patient and one arm."""
    p = dict(k)
    p["k4"] = p["d8"]
    k3 = p["k3"] if k3_on else 0.0
    f4 = 1.0 - block.get("il4", 0.0)
    f13 = 1.0 - block.get("il13", 0.0) * a2
    f17 = 1.0 - block.get("il17", 0.0)
    f22 = 1.0 - block.get("il22", 0.0)
    f31 = 1.0 - block.get("il31", 0.0)
    ftslp = 1.0 - block.get("tslp", 0.0)
    fox = 1.0 - block.get("ox40l", 0.0)
    (k1, k2, b1, b2, b3, b4, b5, d1, d2, d3, k4, b6, d4, d5, d6, d7, b7, b8, d8, k5, k6,
     k7, k8, k9, k10, d9, b9) = (p[n] for n in (
        "k1 k2 b1 b2 b3 b4 b5 d1 d2 d3 k4 b6 d4 d5 d6 d7 b7 b8 d8 k5 k6 k7 k8 k9 k10 "
        "d9 b9").split())
    (k11, k12, d10, k13, k14, d11, k15, k16, d12, k17, k18, d13, k19, k20, d14, k21, k22,
     d15, k23, k24, d16, k25, k26, d17) = (p[n] for n in (
        "k11 k12 d10 k13 k14 d11 k15 k16 d12 k17 k18 d13 k19 k20 d14 k21 k22 d15 k23 k24 "
        "d16 k25 k26 d17").split())

    def rhs(t, y):
        (sb, ip, th1, th2, th17, th22, il4, il13, il17, il22, il31, ifng, tslp,
         ox40l) = y.tolist()
        il4e, il13e, il17e, il22e = f4 * il4, f13 * il13, f17 * il17, f22 * il22
        il31e, tslpe, ox40le, ifnge = f31 * il31, ftslp * tslp, fox * ox40l, ifng + ifng_dose
        dsb = ((1 - sb) * (k1 + k2 * il22e + k3)
               / ((1 + b1 * il4e) * (1 + b2 * il13e) * (1 + b3 * il17e) * (1 + b4 * il22e)
                  * (1 + b5 * il31e))
               - sb * (d1 * (1 + d3 * ip) + d2 * il31e))
        dip = (k4 / (1 + b6 * sb)
               - ip * ((1 + d4 * ip) * (1 + d5 * il17e) * (1 + d6 * il22e) * (1 + d7 * ifnge)
                       / ((1 + b7 * il4e) * (1 + b8 * il13e)) + d8))
        q = 4 + k9 * ifnge + k10 * il4e
        r = d9 / (1 + b9 * ox40le)
        return [
            dsb, dip,
            k5 * ip * (1 + k9 * ifnge) / q - r * th1,
            k6 * ip * (1 + k10 * il4e) / q - r * th2,
            k7 * ip / q - r * th17,
            k8 * ip / q - r * th22,
            k11 * th2 + k12 - d10 * il4,
            k13 * th2 + k14 - d11 * il13,
            k15 * th17 + k16 - d12 * il17,
            k17 * th22 + k18 - d13 * il22,
            k19 * th2 + k20 - d14 * il31,
            k21 * th1 + k22 - d15 * ifng,
            k23 * ip + k24 - d16 * tslp,
            k25 * tslpe + k26 - d17 * ox40l,
        ]
    return rhs


def easi(sb, ip):
    return 72.0 * (2.0 * ip + 2.0 * (1.0 - sb)) / 4.0


def simulate_patient(mu, sigma, seed, patient, work):
    """Returns ("included", responders[arm][week]) or ("excluded"/"failed", reason).
    Adds the right-hand-side and Jacobian evaluations to work."""
    rng = np.random.default_rng([seed, patient])
    z = rng.standard_normal(51)
    k = dict(zip(NAMES, np.exp(mu + np.abs(sigma) * z).tolist()))
    burn = solve_ivp(make_rhs(k, False, {}, 0.0, 1.0), (0.0, BURN_IN_WEEKS), Y0,
                     method="BDF", rtol=RTOL, atol=ATOL, t_eval=[BURN_IN_WEEKS])
    work["nfev"] += burn.nfev
    work["njev"] += burn.njev
    if not burn.success:
        return "failed", f"patient {patient}, burn-in: {burn.message}"
    base = burn.y[:, -1]
    easi0 = easi(base[SB], base[IP])
    if not easi0 > 0:
        return "failed", f"patient {patient}: baseline EASI {easi0}"
    days = np.arange(TRIAL_DAYS + 1) / 7.0
    responders = []
    for name, block, dose, a2 in ARMS:
        sol = solve_ivp(make_rhs(k, True, block, dose, a2), (0.0, TRIAL_DAYS / 7.0), base,
                        method="BDF", rtol=RTOL, atol=ATOL, t_eval=days)
        work["nfev"] += sol.nfev
        work["njev"] += sol.njev
        if not sol.success:
            return "failed", f"patient {patient}, arm {name}: {sol.message}"
        e = easi(sol.y[SB], sol.y[IP])
        if np.any(e >= EXCLUSION_EASI):
            return "excluded", None
        improvement = 100.0 * (easi0 - e[::7]) / easi0
        responders.append((improvement > 75.0).astype(int).tolist())
    return "included", responders


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patients", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="also write the JSON result to this file")
    a = ap.parse_args()
    if a.patients < 1:
        ap.error("--patients must be at least 1")
    mu, sigma = read_column("mu.csv"), read_column("sigma.csv")
    start = time.perf_counter()
    counts = np.zeros((len(ARMS), N_WEEKS))
    included = excluded = 0
    failures = []
    work = {"nfev": 0, "njev": 0}
    for i in range(a.patients):
        fate, what = simulate_patient(mu, sigma, a.seed, i, work)
        if fate == "included":
            included += 1
            counts += np.array(what)
        elif fate == "excluded":
            excluded += 1
        else:
            failures.append(what)
    seconds = time.perf_counter() - start
    share = counts / max(included, 1) * 100.0
    out = {
        "model": "miyano2022", "implementation": "scipy", "patients": a.patients,
        "seed": a.seed, "included": included, "excluded": excluded,
        "failed": len(failures), "failures": failures[:20],
        "weeks": list(range(N_WEEKS)),
        "easi75": {name: (share[j].tolist() if included else [None] * N_WEEKS)
                   for j, (name, _, _, _) in enumerate(ARMS)},
        "rhs_evals_per_patient": work["nfev"] / a.patients,
        "jacobians_per_patient": work["njev"] / a.patients,
        "seconds": seconds, "seconds_per_patient": seconds / a.patients,
        "solver": f"scipy.integrate.solve_ivp BDF rtol={RTOL} atol={ATOL}, "
                  "finite-difference Jacobian",
        "numpy": np.__version__, "scipy": __import__("scipy").__version__,
        "python": sys.version.split()[0],
    }
    text = json.dumps(out)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
