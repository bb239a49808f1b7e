#!/usr/bin/python3
"""Run a command with its stdout sent to a file and print its wall-clock
time and the CPU time (user + system) it and its children used, in seconds:
"WALL CPU".  CPU time is the steadier measure on a shared machine (other
processes delay a run but do not add to its CPU time); wall time is what a
user waits and what extra threads shorten.

Usage: timecmd.py OUTFILE COMMAND [ARG...]   (exits with the command's status)
"""
import resource
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(sys.argv[1], "w") as out:
        status = subprocess.run(sys.argv[2:], stdout=out).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"{wall:.3f} {cpu:.3f}")
    return status


if __name__ == "__main__":
    sys.exit(main())
