#!/bin/sh
# npm_ci.sh NPM WEB_DIR - install web/'s packages exactly as package-lock.json
# says, but only when node_modules does not already hold that lock's install
# (a copy of the lock in node_modules marks a finished install), so builds
# in several build directories do not reinstall each time.
set -eu
NPM=$1
cd "$2"
if cmp -s package-lock.json node_modules/.gutskin-installed-lock 2>/dev/null; then
    exit 0
fi
if [ -z "$NPM" ] || ! command -v "$NPM" >/dev/null 2>&1; then
    echo "web/: npm is missing, so uPlot cannot be fetched: run scripts/install-deps.sh" >&2
    exit 1
fi
"$NPM" ci --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.gutskin-installed-lock
