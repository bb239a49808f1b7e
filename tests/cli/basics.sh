#!/bin/sh
# The command's contract: help on every command, exit codes, suggestions.
# usage: basics.sh PATH/TO/gutskin
set -u
GS=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

"$GS" version | grep -q '^gutskin [0-9]' || fail "version"
"$GS" --help | grep -q 'not a diagnosis' || fail "--help carries the disclaimer"
for c in blocks params interventions links version; do
    "$GS" "$c" --help >/dev/null || fail "$c --help"
done
"$GS" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no command exits 2"
"$GS" blokcs 2>err.tmp; [ $? -eq 2 ] || fail "unknown command exits 2"
grep -q "did you mean 'blocks'" err.tmp || fail "unknown command suggests"
"$GS" params systemc 2>err.tmp; [ $? -eq 2 ] || fail "unknown block exits 2"
grep -q "did you mean 'systemic'" err.tmp || fail "unknown block suggests"
"$GS" params --format xml 2>err.tmp; [ $? -eq 2 ] || fail "bad format exits 2"
grep -q "text|csv|json" err.tmp || fail "bad format names the allowed set"
rm -f err.tmp
"$GS" params systemic --format csv | head -1 | grep -q '^name,unit,value,min,max,grade,source,about$' \
    || fail "params csv header"
"$GS" params systemic --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert any(p["name"]=="systemic.k_pn" and abs(p["value"]-43.2)<1e-9 for p in d)' \
    || fail "params json carries converted Reynolds rates"
"$GS" blocks --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d and all(b["citation"] for b in d)' \
    || fail "blocks json"
# every command words a missing value and an unknown option the same way
for pair in params:--format reproduce:--patients foods:--tag simulate:--format \
            trial:--seed calibrate:--format check:--format synth:--seed serve:--port \
            "analyze triggers:--lags"; do
    c=${pair%%:*} opt=${pair#*:}
    # shellcheck disable=SC2086
    "$GS" $c "$opt" 2>err.tmp; [ $? -eq 2 ] || fail "$c $opt without a value exits 2"
    grep -q "option '$opt' needs a value; see --help" err.tmp || fail "$c: missing value named"
    # shellcheck disable=SC2086
    "$GS" $c --no-such-option 2>err.tmp; [ $? -eq 2 ] || fail "$c unknown option exits 2"
    grep -q "unknown option '--no-such-option'; see --help" err.tmp || fail "$c: unknown option named"
done
rm -f err.tmp
echo ok
