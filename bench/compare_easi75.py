#!/usr/bin/python3
"""Check that the SciPy port and gutskin give the same EASI-75 per arm of
the Miyano 2022 virtual trial within sampling error.

The two draw different virtual patients (numpy PCG64 against GSL's Mersenne
Twister, same distribution), so they can agree only statistically.  For each
arm and each reported week, a two-proportion z statistic compares the shares
of responders among included patients:
    z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)),  p the pooled share.
Agreement means |z| < 3 everywhere (about 1 in 370 per comparison by chance
under agreement; the arms share their patients, so the comparisons are not
independent).  The inclusion share is compared the same way.

Usage: compare_easi75.py GUTSKIN.json SCIPY.json [--weeks 4,8,12,16,24]
Prints both sides and exits 0 when they agree, 1 when they do not.
"""
import argparse
import json
import math
import sys

Z_LIMIT = 3.0


def z_two_proportions(p1, n1, p2, n2):
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if var == 0:
        return 0.0 if p1 == p2 else math.inf
    return (p1 - p2) / math.sqrt(var)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gutskin")
    ap.add_argument("scipy")
    ap.add_argument("--weeks", default="4,8,12,16,24")
    a = ap.parse_args()
    with open(a.gutskin) as f:
        g = json.load(f)
    with open(a.scipy) as f:
        s = json.load(f)
    weeks = [int(w) for w in a.weeks.split(",")]
    n1, n2 = g["included"], s["included"]
    if n1 == 0 or n2 == 0:
        print("compare: no included patients on one side", file=sys.stderr)
        return 1
    worst = 0.0
    zi = z_two_proportions(n1 / g["patients"], g["patients"], n2 / s["patients"], s["patients"])
    worst = max(worst, abs(zi))
    print(f"included: gutskin {n1}/{g['patients']}, scipy {n2}/{s['patients']}  (z {zi:+.2f})")
    print(f"EASI-75 (% of included patients); z = two-proportion statistic, |z| < {Z_LIMIT:g} agrees")
    print(f"{'arm':<14}{'week':>5}{'gutskin':>10}{'scipy':>10}{'diff':>8}{'z':>8}")
    for arm, series in g["easi75"].items():
        for w in weeks:
            p1, p2 = series[w] / 100.0, s["easi75"][arm][w] / 100.0
            z = z_two_proportions(p1, n1, p2, n2)
            worst = max(worst, abs(z))
            flag = "" if abs(z) < Z_LIMIT else "  <-- differs"
            print(f"{arm:<14}{w:>5}{100 * p1:>10.1f}{100 * p2:>10.1f}"
                  f"{100 * (p1 - p2):>+8.1f}{z:>+8.2f}{flag}")
    verdict = "agree" if worst < Z_LIMIT else "DIFFER"
    print(f"largest |z| = {worst:.2f}: the two implementations {verdict} within sampling error")
    return 0 if worst < Z_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
