#!/bin/sh
# Install the Debian packages gutskin needs to build, test and benchmark,
# but only those that are missing, so a second run costs one dpkg query.
# Runs apt-get as root directly, or through sudo when not root.
set -eu

# build and test: compiler, CMake, the libraries libgutskin links, cmocka;
# Python with SciPy and R with deSolve and nlme for the reference
# implementations the tests and benchmarks compare against; sqlite3 for the
# journal tests; Open MPI for distributed trials
PACKAGES="build-essential cmake pkg-config
libsundials-dev libfyaml-dev libjansson-dev libcmocka-dev libgsl-dev
libcairo2-dev libsqlite3-dev sqlite3
python3 python3-numpy python3-scipy
libopenmpi-dev openmpi-bin
r-base-core r-cran-desolve r-cran-nlme"
# the local web app: libmicrohttpd for `gutskin serve`, Chromium for the
# browser tests, node/npm (uPlot and playwright-core from npm; playwright-core
# 1.65 needs node 20 or newer) only when no npm is installed
PACKAGES="$PACKAGES libmicrohttpd-dev chromium"
# gzip for the server's JSON replies
PACKAGES="$PACKAGES zlib1g-dev"
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"
# the server benchmark (bench/server/): wrk, and nginx serving the same bytes
PACKAGES="$PACKAGES wrk nginx-light curl"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: missing packages:$missing; run as root or install sudo" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >&2
