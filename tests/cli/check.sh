#!/bin/sh
# `gutskin check` end to end: an answers file (YAML and JSON), text and JSON
# reports, a red flag ending the report with "see a clinician now" and no
# gut-skin suggestion, bad answers and instruments named at FILE:LINE, the
# question-and-answer path fed through a pipe (--interactive) and through a
# pseudo-terminal, exit codes 0/1/2, and storage in the journal.
# usage: check.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
DB=$T/journal.db
rows() { sqlite3 "$DB" "SELECT count(*) FROM response;"; }

"$GS" check --help | grep -q 'not a diagnosis and not treatment advice' || fail "--help disclaimer"
"$GS" --help | grep -q '^  check ' || fail "gutskin --help lists check"

# --- an answers file: groups, meaning, what to track ---------------------------
cat >"$T/ok.yaml" <<'YAML'
# red flags: none
rf_blood_stool: no
rf_black_stool: no
rf_weight_loss: no
rf_fever: no
rf_night_sweats: no
rf_pain_worst: 3
rf_pain_wakes: no
rf_swallowing: no
rf_rash: none
rf_skin_infection: no
# signs
acne_now: yes
acne_severity: 8
acne_duration: over_1_year
bloating_now: yes
bloating_severity: 5
fog_now: no
YAML
"$GS" check --answers "$T/ok.yaml" --db "$DB" --at 2026-03-01T09:00 >"$T/out" 2>"$T/err" \
    || { cat "$T/err" >&2; fail "answers file: exit 0"; }
grep -q '^This self-check is not a diagnosis and not treatment advice.$' "$T/out" || fail "disclaimer line"
grep -q '^No red flags' "$T/out" || fail "no red flags said"
grep -q 'Inflammatory acne .*marked (8/10), more than a year' "$T/out" || fail "acne marked 8/10"
grep -q 'Bloating .*moderate (5/10)' "$T/out" || fail "bloating moderate"
grep -q '"Leaky gut" is not an accepted diagnosis' "$T/out" || fail "leaky gut sentence"
grep -q '^Not present: Brain fog\.$' "$T/out" || fail "groups answered no"
grep -q '^Not answered: .*Rosacea-like redness.*Joint pain\.$' "$T/out" || fail "groups not answered"
grep -q 'track for 6 weeks' "$T/out" || fail "tracking weeks"
grep -q 'enough days with and without it for the statistics' "$T/out" || fail "why that many weeks"
grep -q 'gutskin log skin lesions N' "$T/out" || fail "names what to log (acne)"
grep -q 'gutskin log gut bloating N' "$T/out" || fail "names what to log (bloating)"
grep -q 'gutskin log body brain_fog' "$T/out" && fail "logs brain fog that was answered no"
grep -q 'see a clinician now' "$T/out" && fail "no red flag, no 'see a clinician now'"
grep -q 'stored as response 1' "$T/err" || fail "stored message"
[ "$(rows)" = 1 ] || fail "one response stored"
[ "$(stat -c %a "$DB")" = 600 ] || fail "journal mode 0600"
sqlite3 "$DB" "SELECT instrument, json_extract(answers, '$.acne_severity'),
               json_extract(report, '$.suggestion.weeks') FROM response;" >"$T/row"
[ "$(cat "$T/row")" = "signs|8|6" ] || fail "stored answers and report: $(cat "$T/row")"

# JSON report, and the same answers as a JSON file give the same report
"$GS" check --answers "$T/ok.yaml" --no-store --format json >"$T/a.json" || fail "json report"
python3 - "$T/ok.yaml" "$T/ok.json" <<'PY' || fail "YAML answers to JSON"
import sys, json
d = {}
for line in open(sys.argv[1]):
    line = line.split('#')[0].strip()
    if not line: continue
    k, v = [s.strip() for s in line.split(':', 1)]
    d[k] = {'yes': True, 'no': False}.get(v, int(v) if v.isdigit() else v)
json.dump(d, open(sys.argv[2], 'w'), indent=1)
PY
"$GS" check --answers "$T/ok.json" --no-store --format json >"$T/b.json" || fail "json answers"
cmp -s "$T/a.json" "$T/b.json" || fail "YAML and JSON answers give different reports"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["disclaimer"] == "This self-check is not a diagnosis and not treatment advice."
assert r["red_flags"] == [] and "action" not in r
present = [g["id"] for g in r["groups"] if g["present"]]
assert present == ["acne", "bloating"], present
assert r["suggestion"]["weeks"] == 6 and r["suggestion"]["days"] == 42
assert r["suggestion"]["log"][:3] == ["skin lesions", "skin overall", "gut bloating"]
' "$T/a.json" || fail "JSON report shape"
[ "$(rows)" = 1 ] || fail "--no-store stored something"

# --- a red flag ends the report ------------------------------------------------
sed 's/rf_black_stool: no/rf_black_stool: yes/' "$T/ok.yaml" >"$T/rf.yaml"
"$GS" check --answers "$T/rf.yaml" --db "$DB" >"$T/out" 2>"$T/err" || fail "red flag: exit 0"
grep -q '^RED FLAG: see a clinician now.$' "$T/out" || fail "red flag: see a clinician now"
grep -q '^  - black stool$' "$T/out" || fail "red flag: names the sign"
grep -q 'not a diagnosis and not treatment advice' "$T/out" || fail "red flag: disclaimer"
grep -qi 'gutskin log\|track\|leaky\|acne' "$T/out" && fail "red flag: no gut-skin discussion"
[ "$(rows)" = 2 ] || fail "red-flag response stored"
"$GS" check --answers "$T/rf.yaml" --no-store --format json >"$T/rf.json" || fail "red flag json"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["action"] == "see a clinician now"
assert [f["sign"] for f in r["red_flags"]] == ["black stool"]
assert "groups" not in r and "suggestion" not in r
' "$T/rf.json" || fail "red flag JSON shape"

# --- bad answers: FILE:LINE:COLUMN and the item id, nothing stored ------------
sed 's/acne_severity: 8/acne_severity: 11/' "$T/ok.yaml" >"$T/bad.yaml"
"$GS" check --answers "$T/bad.yaml" --db "$DB" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "bad answer: exit 2, got $rc"
grep -q "^gutskin check: $T/bad.yaml:14:16: item 'acne_severity': '11' is not an allowed answer; expected a whole number from 0 to 10$" "$T/err" \
    || { cat "$T/err" >&2; fail "bad answer message"; }
[ -s "$T/out" ] && fail "bad answer: nothing on stdout"
printf 'rf_blood_stool: no\nacne_sevrity: 3\n' >"$T/bad2.yaml"
"$GS" check --answers "$T/bad2.yaml" --no-store >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "unknown item: exit 2"
grep -q "bad2.yaml:2:1: 'acne_sevrity' is not an item of instrument 'signs' (did you mean 'acne_severity'?)" "$T/err" \
    || { cat "$T/err" >&2; fail "unknown item message"; }
grep -v rf_fever "$T/ok.yaml" >"$T/bad3.yaml"
"$GS" check --answers "$T/bad3.yaml" --no-store >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "missing red flag: exit 2"
grep -q "the red-flag item 'rf_fever' has no answer" "$T/err" || fail "missing red flag message"
[ "$(rows)" = 2 ] || fail "a rejected self-check was stored"

# --- usage errors ----------------------------------------------------------------
"$GS" check --no-store </dev/null >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "no terminal, no --answers: exit 2, got $rc"
grep -q 'stdin is not a terminal' "$T/err" || fail "no terminal message"
"$GS" check --answers "$T/ok.yaml" --interactive >/dev/null 2>&1; [ $? -eq 2 ] || fail "--answers with --interactive"
"$GS" check --answers "$T/ok.yaml" --format csv >/dev/null 2>&1; [ $? -eq 2 ] || fail "--format csv"
"$GS" check --bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option"
"$GS" check --answers "$T/ok.yaml" --at yesterday >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --at"
"$GS" check --answers "$T/ok.yaml" --instrument poem >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "unknown instrument"
grep -q "no instrument 'poem'; the instruments are: signs" "$T/err" || fail "unknown instrument names the set"
"$GS" check --answers "$T/missing.yaml" >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing answers file"
printf 'id: x\nversion: 1\ntitle: X\ngroups: []\nitems: []\n' >"$T/inst.yaml"
"$GS" check --answers "$T/ok.yaml" --instrument "$T/inst.yaml" >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "bad instrument: exit 2"
grep -q "^gutskin check: $T/inst.yaml:4:1: expected 'groups' as a list with at least one entry" "$T/err" \
    || { cat "$T/err" >&2; fail "bad instrument message"; }

# --- storage failure: the report is still shown, exit 1 -------------------------
echo 'not a journal' >"$T/notdb"
"$GS" check --answers "$T/ok.yaml" --db "$T/notdb" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -ne 0 ] || fail "a bad journal is not silently ignored"
grep -q 'the answers were not stored' "$T/err" || fail "store failure message"
grep -q 'No red flags' "$T/out" || fail "report shown even when storing fails"

# --- questions through a pipe (--interactive) ----------------------------------
# red flags no (with two invalid answers re-asked), pain 0 so its follow-up is
# skipped; acne yes -> its three follow-ups asked; every other sign no.
printf '%s\n' no no no no maybe no 0 no 1 no \
    yes 12 6 2 20 no no no no no no 4 no yes 9 2 no no no no >"$T/in"
"$GS" check --interactive --db "$DB" --at 2026-03-02T10:00 --format json <"$T/in" >"$T/out" 2>"$T/err" \
    || { cat "$T/err" >&2; fail "interactive: exit 0"; }
grep -q 'Please answer yes or no' "$T/err" || fail "interactive: invalid answer re-asked with the allowed set"
grep -q 'Please answer a whole number from 0 to 10' "$T/err" || fail "interactive: scale re-asked"
grep -q 'Does belly pain wake you up' "$T/err" && fail "interactive: condition not respected (pain 0)"
grep -q 'On a bad week, how troublesome are these spots' "$T/err" || fail "interactive: acne follow-up asked"
grep -q 'how troublesome is the redness' "$T/err" && fail "interactive: rosacea follow-up asked after no"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
g = {x["id"]: x for x in r["groups"]}
assert g["acne"]["present"] and g["acne"]["severity"] == 6, g["acne"]
assert g["acne"]["duration"] == "3 to 12 months"
assert g["diarrhoea"]["present"] and g["diarrhoea"]["severity"] == 9
assert not g["bloating"]["present"] and not g["fatigue"]["present"]
' "$T/out" || fail "interactive: report"
[ "$(rows)" = 3 ] || fail "interactive: stored"
sqlite3 "$DB" "SELECT json_extract(answers, '$.acne_spots'), json_extract(answers, '$.rf_pain_wakes')
               FROM response ORDER BY id DESC LIMIT 1;" >"$T/row"
[ "$(cat "$T/row")" = "20|" ] || fail "interactive: stored answers ($(cat "$T/row"))"

# a red flag at the first question: only red-flag questions follow
printf '%s\n' yes no no no no 0 no none no >"$T/in"
"$GS" check --interactive --no-store <"$T/in" >"$T/out" 2>"$T/err" || fail "interactive red flag"
grep -q 'see a clinician now' "$T/out" || fail "interactive red flag report"
grep -q 'blood in stool' "$T/out" || fail "interactive red flag sign"
grep -q 'red, sore spots' "$T/err" && fail "interactive: sign questions asked after a red flag"
grep -q 'swollen and increasingly painful' "$T/err" || fail "interactive: remaining red flags asked"

# the input ends early: exit 2, nothing stored
printf 'no\nno\n' | "$GS" check --interactive --db "$DB" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "interactive EOF: exit 2, got $rc"
grep -q "the input ended before question 3 (item 'rf_weight_loss')" "$T/err" || fail "EOF message"
[ "$(rows)" = 3 ] || fail "interactive EOF stored something"

# --- a real terminal (pseudo-terminal through script(1)), no --interactive --------
if command -v script >/dev/null 2>&1; then
    printf '%s\n' no no no no no 0 no none no no no no no no no no 3 no no no no no no >"$T/in"
    script -qec "'$GS' check --no-store" /dev/null <"$T/in" >"$T/tty" 2>&1 \
        || { cat "$T/tty" >&2; fail "terminal: exit 0"; }
    grep -q 'No red flags' "$T/tty" || fail "terminal: report"
    grep -q '1\. Have you seen blood' "$T/tty" || fail "terminal: questions asked"
fi
echo "check.sh: all passed"
