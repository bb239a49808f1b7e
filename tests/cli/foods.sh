#!/bin/sh
# `gutskin foods` end to end: the list (text, csv, json, --tag), the tags,
# `foods match` on real phrases, a custom --lexicon, errors as FILE:LINE,
# exit codes 0/1/2.
# usage: foods.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
PY=/usr/bin/python3

"$GS" foods --help | grep -q 'not a diagnosis' || fail "--help carries the disclaimer"
"$GS" --help | grep -q '^  foods ' || fail "gutskin --help lists foods"

# --- the list --------------------------------------------------------------
"$GS" foods --format json >"$T/foods.json" || fail "foods --format json"
$PY - "$T/foods.json" <<'PY' || fail "foods json: 300+ foods, each tagged, names unique"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) >= 300, len(d)
names = [f["food"] for f in d]
assert len(set(names)) == len(names)
assert all(f["tags"] for f in d)
y = [f for f in d if f["food"] == "yogurt"][0]
assert "yoghurt" in y["aliases"] and "dairy" in y["tags"] and "fermented" in y["tags"]
PY
"$GS" foods --format csv >"$T/foods.csv" || fail "foods --format csv"
head -1 "$T/foods.csv" | grep -q '^food,tags,aliases$' || fail "foods csv header"
grep -q '^courgette,vegetable,zucchini$' "$T/foods.csv" || fail "courgette row with its alias"
n_csv=$(($(wc -l <"$T/foods.csv") - 1))
n_json=$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/foods.json")
[ "$n_csv" -eq "$n_json" ] || fail "csv ($n_csv) and json ($n_json) list the same foods"
"$GS" foods | grep -q '^ice cream  *dairy' || fail "text list"

# --tag keeps exactly the foods carrying the tag
"$GS" foods --tag whey --format json >"$T/whey.json" || fail "--tag whey"
$PY - "$T/whey.json" "$T/foods.json" <<'PY' || fail "--tag whey selects the whey foods"
import json, sys
got = json.load(open(sys.argv[1]))
every = json.load(open(sys.argv[2]))
want = [f["food"] for f in every if "whey" in f["tags"]]
assert [f["food"] for f in got] == want and "ricotta" in want and "protein shake" not in want
PY

# --- the tags ----------------------------------------------------------------
"$GS" foods tags --format csv >"$T/tags.csv" || fail "foods tags"
head -1 "$T/tags.csv" | grep -q '^tag,foods,about$' || fail "tags csv header"
for t in dairy gluten high_glycaemic added_sugar alcohol fried processed_meat fermented \
         high_fibre high_histamine caffeine chocolate spicy whey oily_fish nuts eggs soy; do
    grep -q "^$t,[1-9]" "$T/tags.csv" || fail "tag $t listed with foods"
done

# --- match ------------------------------------------------------------------
m() { "$GS" foods match "$1" --format csv 2>/dev/null | tail -n +2 | cut -d, -f1 | paste -sd';' -; }
check() {
    got=$(m "$1")
    [ "$got" = "$2" ] || fail "match '$1': got '$got', want '$2'"
}
check "oat porridge with milk" "oat porridge;milk"
check "Two fried eggs, bacon and toast" "fried egg;bacon;toast"
check "ICE-CREAM and strawberries" "ice cream;strawberry"
check "chicken tikka masala with basmati rice and a naan" "chicken;tikka masala;basmati rice;naan"
check "a pint of lager then two glasses of red wine" "beer;red wine"
check "buttermilk pancakes with maple syrup" "buttermilk;pancakes;maple syrup"
check "greek yoghurt, blueberries, granola" "greek yogurt;blueberry;granola"
check "zucchini fritters" "courgette"
check "tomatoes on sourdough" "tomato;sourdough"
check "loaves" "loaf"
check "shepherd's pie" "shepherd's pie"
check "milk, chocolate" "milk;chocolate"
check "milk chocolate" "milk chocolate"
check "Fish & Chips, then a G&T" "fish and chips;gin and tonic"
check "a teapot" ""
"$GS" foods match "pizza and cola" --format json >"$T/m.json" || fail "match json"
$PY - "$T/m.json" <<'PY' || fail "match json carries foods, offsets and the union of tags"
import json, sys
d = json.load(open(sys.argv[1]))
assert [f["food"] for f in d["foods"]] == ["pizza", "cola"]
assert d["foods"][1]["offset"] == 10 and d["foods"][1]["matched"] == "cola"
assert {"gluten", "dairy", "caffeine", "added_sugar"} <= set(d["tags"])
assert set(d["tags"]) == set(d["foods"][0]["tags"]) | set(d["foods"][1]["tags"])
PY
"$GS" foods match "caf$(printf '\303\251') cr$(printf '\303\250')me br$(printf '\303\273')l$(printf '\303\251')e" \
    | grep -q "^crème brûlée  *\"crème brûlée\"  dairy" || fail "UTF-8 passes through"
"$GS" foods match "nothing I know" >"$T/out" 2>"$T/err" || fail "no food: exit 0"
[ -s "$T/out" ] && fail "no food: nothing on stdout"
grep -q "untagged" "$T/err" || fail "no food: says it is kept as untagged"

# --- a custom table, and its errors as FILE:LINE ------------------------------
mkdir "$T/lex"
printf 'tag,about\nsweet,has sugar\n' >"$T/lex/tags.csv"
printf '# mine\nfood,tags\nflapjack|oat bar,sweet\n' >"$T/lex/lexicon.csv"
"$GS" foods match "two oat bars" --lexicon "$T/lex/lexicon.csv" | grep -q '^flapjack  *"oat bars"  sweet$' \
    || fail "--lexicon"
printf 'food,tags\nflapjack,sweet\nFlapjacks,sweet\n' >"$T/lex/lexicon.csv"
"$GS" foods --lexicon "$T/lex/lexicon.csv" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "duplicate food: exit 2, got $rc"
grep -q "^gutskin foods: $T/lex/lexicon.csv:3: field 'food': 'Flapjacks' is the same name as 'flapjack' on line 2" "$T/err" \
    || { cat "$T/err" >&2; fail "duplicate food named with FILE:LINE"; }
[ -s "$T/out" ] && fail "bad table: nothing on stdout"
printf 'food,tags\nflapjack,swet\n' >"$T/lex/lexicon.csv"
"$GS" foods --lexicon "$T/lex/lexicon.csv" 2>"$T/err"; [ $? -eq 2 ] || fail "unknown tag: exit 2"
grep -q "lexicon.csv:2: field 'tags': unknown tag 'swet'.*did you mean 'sweet'" "$T/err" \
    || fail "unknown tag named with FILE:LINE and a suggestion"
"$GS" foods --lexicon "$T/missing.csv" 2>"$T/err"; [ $? -eq 1 ] || fail "missing table: exit 1"
grep -q "cannot open $T/missing.csv" "$T/err" || fail "missing table named"

# --- usage errors --------------------------------------------------------------
"$GS" foods --tag dary 2>"$T/err"; [ $? -eq 2 ] || fail "unknown --tag: exit 2"
grep -q "did you mean 'dairy'" "$T/err" || fail "unknown --tag suggests"
"$GS" foods --format xml 2>/dev/null; [ $? -eq 2 ] || fail "--format xml: exit 2"
"$GS" foods match 2>/dev/null; [ $? -eq 2 ] || fail "match without TEXT: exit 2"
"$GS" foods match a b 2>/dev/null; [ $? -eq 2 ] || fail "match with two TEXTs: exit 2"
"$GS" foods matc x 2>"$T/err"; [ $? -eq 2 ] || fail "unknown action: exit 2"
grep -q "did you mean 'match'" "$T/err" || fail "unknown action suggests"
"$GS" foods --bogus 2>/dev/null; [ $? -eq 2 ] || fail "unknown option: exit 2"
echo ok
