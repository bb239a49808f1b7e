"""API tests of GET /api/v1/analyze/{triggers,effect,power} (run by journal.sh).

usage: analyze_test.py GUTSKIN PORT TOKEN_FILE DB_PATH

The journal holds a synthetic journal with a planted trigger and effect.
Each endpoint must answer exactly what `gutskin analyze ... --format json`
prints for the same options on the same file; bad options are 400 naming
the query parameter; the token is required.
"""
import http.client
import json
import subprocess
import sys
import urllib.parse

GS, PORT, TOKEN_FILE, DB = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
TOKEN = open(TOKEN_FILE).read().strip()
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what, file=sys.stderr)


def get(path, token=TOKEN):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    h = {"Host": "127.0.0.1:%d" % PORT}
    if token:
        h["Authorization"] = "Bearer " + token
    c.request("GET", "/api/v1" + path, headers=h)
    r = c.getresponse()
    doc = json.loads(r.read())
    c.close()
    return r.status, doc


def cli(*args):
    r = subprocess.run([GS, "analyze"] + list(args) + ["--format", "json", "--db", DB],
                       capture_output=True, text=True)
    check(r.returncode == 0, "gutskin analyze %s: %s" % (" ".join(args), r.stderr))
    return json.loads(r.stdout) if r.returncode == 0 else None


s, doc = get("/analyze/triggers", token=None)
check(s == 401, "triggers without a token: 401 (got %d)" % s)

s, doc = get("/analyze/triggers?permutations=200&lags=0-2")
want = cli("triggers", "--permutations", "200", "--lags", "0-2")
check(s == 200 and doc == want, "triggers equal the CLI's")
hits = [r for r in doc["rows"] if r["tested"] and r["q"] < 0.1 and r["tag"] == "dairy" and r["lag"] == 1]
check(hits, "the planted dairy trigger at lag 1 is found (q < 0.1)")
check("not a diagnosis" in doc["disclaimer"].lower(), "triggers carry the disclaimer")
s, doc = get("/analyze/triggers?lags=0-9")
check(s == 400 and doc.get("field") == "lags", "lags 0-9: 400 field lags (%s)" % doc)
s, doc = get("/analyze/triggers?permutations=abc")
check(s == 400 and doc.get("field") == "permutations", "permutations abc: 400 (%s)" % doc)
s, doc = get("/analyze/triggers?outcome=" + urllib.parse.quote("skin.nosuch"))
check(s == 400 and doc.get("field") == "outcome", "an unknown outcome: 400 (%s)" % doc)

s, doc = get("/analyze/effect?name=zinc&washin=7")
want = cli("effect", "zinc", "--washin", "7")
check(s == 200 and doc == want, "effect equals the CLI's")
check(doc["coefficients"]["level"]["estimate"] < 0 and doc["reading"], "the level falls after zinc (planted -2; seed 11 is fixed): %s" % doc.get("reading"))
s, doc = get("/analyze/effect")
check(s == 400 and doc.get("field") == "name", "effect without name: 400 (%s)" % doc)
s, doc = get("/analyze/effect?name=--db=/etc/passwd")
check(s == 400 and doc.get("field") == "name", "a name that looks like an option: 400 (%s)" % doc)
s, doc = get("/analyze/effect?name=magnesium")
check(s == 400 and doc.get("field") == "name" and "zinc" in doc["error"], "an unknown intervention: 400 (%s)" % doc)

s, doc = get("/analyze/power?outcome=skin.itch&change=1&reps=100")
want = cli("power", "--outcome", "skin.itch", "--change", "1", "--reps", "100")
check(s == 200 and doc == want, "power equals the CLI's")
check(isinstance(doc.get("more_days"), int) or doc.get("more_days") is None, "power says how many more days")
s, doc = get("/analyze/power?outcome=skin.itch&change=-5x")
check(s == 400 and doc.get("field") == "change", "a bad change: 400 (%s)" % doc)

# ---- a tag added with the command line while the server runs (issue 5) ----
# The server keeps the lexicon in memory; it must notice the journal's new
# tag on the next request that uses the lexicon, without an import or a
# restart: in the suggestions, in a food's tags and in the trigger scan.
def suggest(q):
    s, doc = get("/foods/suggest?q=" + urllib.parse.quote(q))
    check(s == 200, "suggest %r: 200 (got %d %s)" % (q, s, doc))
    return doc


def tag_rows(doc, tag):
    return [r for r in doc.get("rows", []) if r["tag"] == tag]


TRIG = "/analyze/triggers?permutations=100&lags=0-1"
before = suggest("zzcli")
check(before["suggestions"] == [], "no food starts with zzcli yet: %s" % before)
check("cli_yeast" not in suggest("marmite on toast")["tags"], "marmite is not cli_yeast yet")
s, doc = get(TRIG)
check(s == 200 and not tag_rows(doc, "cli_yeast"), "no cli_yeast rows before the tag")
for food in ["marmite", "zzcli loaf"]:
    r = subprocess.run([GS, "tag", "add", food, "cli_yeast", "--db", DB], capture_output=True, text=True)
    check(r.returncode == 0, "gutskin tag add %s cli_yeast: %s" % (food, r.stderr))
doc = suggest("marmite on toast")
check("cli_yeast" in doc["tags"], "the CLI's tag reaches the suggestions' tags: %s" % doc["tags"])
check(any("cli_yeast" in m["tags"] for m in doc["matches"]), "and marmite's own tags: %s" % doc["matches"])
doc = suggest("zzcli")
check([x["food"] for x in doc["suggestions"]] == ["zzcli loaf"] and
      doc["suggestions"][0]["tags"] == ["cli_yeast"], "the CLI's new food is suggested: %s" % doc)
s, doc = get(TRIG)
want = cli("triggers", "--permutations", "100", "--lags", "0-1")
check(s == 200 and tag_rows(doc, "cli_yeast"), "the trigger scan has cli_yeast rows after the tag")
check(doc == want, "and equals the CLI's scan of the same file")
s, tags = get("/tags")
check({"food": "zzcli loaf", "tag": "cli_yeast"} in tags["user"], "GET /tags lists it: %s" % tags["user"])
check(any(t["name"] == "cli_yeast" and t["foods"] == 2 for t in tags["tags"]), "with its 2 foods")

if failures:
    print("analyze_test.py: %d failure(s)" % failures, file=sys.stderr)
    sys.exit(1)
print("analyze_test.py: all checks passed")
