#!/usr/bin/python3
"""Deterministic check that the SciPy port (bench/miyano_scipy.py) and
gutskin integrate the same Miyano 2022 model: the median virtual patient
(every constant at exp(mu), which is also the skin_ad block's default), in
every arm of the trial, compared day by day.

gutskin side: `gutskin simulate` of a scenario with the skin_ad block, the
arm's drug and standard care (emollient = 1, Miyano's k3) from day 0 to 168.
The scenario engine burns the person in to a steady state (not exactly 1000
weeks; for the median patient both are the same steady state) and always
includes the gut and systemic blocks; at rest their coupling to skin_ad is
inactive, so skin_ad is exactly Miyano's model.  SciPy side: the port's
right-hand side with tight tolerances (rtol 1e-10, atol 1e-12), 1000-week
burn-in with k3 = 0, then the arm.

Agreement: EASI differs by less than 0.01 (on the 0-72 scale) on every day of
every arm.  gutskin runs at its default rtol 1e-6, so differences of about
1e-3 are expected; a wrong term in either implementation shows up as
differences of whole EASI points.

Usage: median_check.py GUTSKIN_BINARY    (exit 0 agree, 1 differ)
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy.integrate import solve_ivp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import miyano_scipy as port  # noqa: E402

LIMIT = 0.01
# arm name in the port -> (gutskin intervention, dose) or None for placebo
DRUGS = {
    "placebo": None, "dupilumab": ("dupilumab", 0.99), "nemolizumab": ("nemolizumab", 0.99),
    "tezepelumab": ("tezepelumab", 0.99), "gbr830": ("gbr830", 0.99),
    "fezakinumab": ("fezakinumab", 0.99), "secukinumab": ("secukinumab", 0.99),
    "rifng": ("rifng", 210), "tralokinumab": ("tralokinumab", 0.99),
    "lebrikizumab": ("lebrikizumab", 0.99),
}


def gutskin_easi(binary, arm, workdir):
    path = os.path.join(workdir, f"{arm}.yaml")
    lines = [f'name: "median Miyano patient, {arm}"', "days: 168", "every: 1",
             "person:", "  skin: [skin_ad]", "schedule:",
             "  - {intervention: emollient, start: 0, stop: 168, dose: 1}"]
    if DRUGS[arm]:
        drug, dose = DRUGS[arm]
        lines.append(f"  - {{intervention: {drug}, start: 0, stop: 168, dose: {dose}}}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    run = subprocess.run([binary, "simulate", path, "--format", "json"], capture_output=True,
                         text=True)
    if run.returncode != 0:
        sys.exit(f"median_check: gutskin simulate failed for {arm}: {run.stderr.strip()}")
    doc = json.loads(run.stdout)
    col = doc["columns"].index("skin_ad.easi")
    return np.array([row[col] for row in doc["rows"]], dtype=float)


def scipy_easi(k, arm):
    burn = solve_ivp(port.make_rhs(k, False, {}, 0.0, 1.0), (0.0, port.BURN_IN_WEEKS), port.Y0,
                     method="BDF", rtol=1e-10, atol=1e-12, t_eval=[port.BURN_IN_WEEKS])
    _, block, dose, a2 = next(a for a in port.ARMS if a[0] == arm)
    days = np.arange(port.TRIAL_DAYS + 1) / 7.0
    sol = solve_ivp(port.make_rhs(k, True, block, dose, a2), (0.0, days[-1]), burn.y[:, -1],
                    method="BDF", rtol=1e-10, atol=1e-12, t_eval=days)
    return port.easi(sol.y[port.SB], sol.y[port.IP])


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    binary = sys.argv[1]
    k = dict(zip(port.NAMES, np.exp(port.read_column("mu.csv")).tolist()))
    worst = 0.0
    print("median virtual patient, EASI day 0 / day 168 and the largest daily difference")
    print(f"{'arm':<14}{'gutskin':>16}{'scipy':>16}{'max |diff|':>12}")
    with tempfile.TemporaryDirectory() as workdir:
        for arm in DRUGS:
            g, s = gutskin_easi(binary, arm, workdir), scipy_easi(k, arm)
            if g.shape != s.shape:
                sys.exit(f"median_check: {arm}: {g.size} gutskin days, {s.size} SciPy days")
            diff = float(np.max(np.abs(g - s)))
            worst = max(worst, diff)
            print(f"{arm:<14}{g[0]:>7.3f} /{g[-1]:>7.3f}{s[0]:>7.3f} /{s[-1]:>7.3f}{diff:>12.2e}")
    verdict = "agree" if worst < LIMIT else "DIFFER"
    print(f"largest |diff| = {worst:.2e} EASI: gutskin and the SciPy port {verdict} "
          f"(limit {LIMIT})")
    return 0 if worst < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
