"""API tests of the journal endpoints of `gutskin serve` (run by journal.sh).

usage: journal_test.py GUTSKIN PORT TOKEN_FILE DB_PATH

Every journal endpoint over loopback: the security checks (401 without or
with a wrong token, 403 for a foreign Origin or Host, 413 for an oversized
body, 400 with a field for bad JSON or out-of-range values), and what each
one writes or reads, checked against the command line reading the same
journal file (`gutskin show|export|tag`), so a wrong answer fails, not only
a missing one.
"""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading

from client import Client

GS, PORT, TOKEN_FILE, DB = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
TOKEN = open(TOKEN_FILE).read().strip()
CLIENT = Client(PORT, TOKEN)
check, request, api = CLIENT.check, CLIENT.request, CLIENT.api


def cli(*args):
    r = subprocess.run([GS] + list(args) + ["--db", DB], capture_output=True, text=True)
    check(r.returncode == 0, "gutskin %s: exit %d: %s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def bad(status, doc, field, what, code=400):
    ok = check(status == code, "%s: %d (got %d %s)" % (what, code, status, doc))
    if ok and field is not None:
        check(doc.get("field") == field, "%s: field %r (got %r: %s)" % (what, field, doc.get("field"), doc.get("error")))
    return ok


def count():
    s, _, doc, _ = api("GET", "/entries")
    return doc["count"]


# ---- security on the journal's endpoints ------------------------------------
for method, path in [("GET", "/entries"), ("POST", "/entries"), ("GET", "/export"),
                     ("POST", "/import"), ("GET", "/check/responses"), ("GET", "/tags")]:
    s, h, doc, _ = api(method, path, body="{}" if method == "POST" else None, token=None)
    check(s == 401, "%s %s without a token: 401 (got %d)" % (method, path, s))
    s, h, doc, _ = api(method, path, body="{}" if method == "POST" else None, token="0" * 64)
    check(s == 401, "%s %s with a wrong token: 401 (got %d)" % (method, path, s))
s, _, _, _ = api("POST", "/entries", {"kind": "stress", "value": 3},
                 headers={"Origin": "http://evil.example"})
check(s == 403, "a foreign Origin: 403 (got %d)" % s)
s, _, _, _ = api("GET", "/entries", host="evil.example:%d" % PORT)
check(s == 403, "a foreign Host: 403 (got %d)" % s)
s, _, _, _ = api("POST", "/import", "x" * (1024 * 1024 + 1), headers={"Content-Type": "text/csv"})
check(s == 413, "an import over 1 MiB: 413 (got %d)" % s)
check(count() == 0, "nothing was written by the refused requests")

# ---- create: one, checked, named fields --------------------------------------
s, _, doc, _ = api("POST", "/entries", {"kind": "food", "name": "oat porridge with milk",
                                        "value": 1, "unit": "bowl",
                                        "timestamp": "2026-03-01T08:00"})
check(s == 201, "log food: 201 (got %d %s)" % (s, doc))
food_id = doc["id"]
check(doc["day"] == "2026-03-01" and doc["kind"] == "food", "the entry comes back: %s" % doc)
check("dairy" in doc["tags"] and "milk" in doc["found"], "the food's tags: %s" % doc)
s, _, doc, _ = api("POST", "/entries", "{\"kind\": \"gut\",")
bad(s, doc, None, "bad JSON")
check("line 1" in doc.get("error", ""), "bad JSON names line and column: %s" % doc)
s, _, doc, _ = api("POST", "/entries", {"kind": "gut", "name": "pain", "value": 12})
bad(s, doc, "value", "gut pain 12")
check("0-10" in doc["error"], "the range is named: %s" % doc)
s, _, doc, _ = api("POST", "/entries", {"kind": "gut", "name": "bloatin", "value": 3})
bad(s, doc, "name", "a misspelt name")
check("bloating" in doc["error"], "the nearest name is suggested: %s" % doc)
s, _, doc, _ = api("POST", "/entries", {"kind": "guts", "name": "pain", "value": 3})
bad(s, doc, "kind", "an unknown kind")
s, _, doc, _ = api("POST", "/entries", {"kind": "stool", "value": "4"})
bad(s, doc, "value", "a value as a string")
s, _, doc, _ = api("POST", "/entries", {"kind": "stool", "value": 4, "colour": "brown"})
bad(s, doc, "colour", "an unknown key")
s, _, doc, _ = api("POST", "/entries", {"kind": "sleep", "value": 7, "timestamp": "2026-13-01"})
bad(s, doc, "timestamp", "a bad timestamp")
s, _, doc, _ = api("POST", "/entries", {"kind": "stress", "value": 4, "note": "n" * 501})
bad(s, doc, "note", "a note over 500 bytes")
check(count() == 1, "only the good entry was written")

# ---- a batch is all or nothing -------------------------------------------------
day = [{"kind": "stool", "value": 4, "timestamp": "2026-03-01T09:00"},
       {"kind": "skin", "name": "itch", "value": 6, "timestamp": "2026-03-01T20:00"},
       {"kind": "sleep", "value": 6.5, "timestamp": "2026-03-02T01:30"},
       {"kind": "body", "name": "fatigue", "value": 11, "timestamp": "2026-03-01T21:00"}]
s, _, doc, _ = api("POST", "/entries", {"entries": day})
bad(s, doc, "entries[3].value", "a batch with one bad entry")
check(count() == 1, "a refused batch writes nothing")
day[3]["value"] = 5
s, _, doc, _ = api("POST", "/entries", {"entries": day})
check(s == 201 and doc["count"] == 4, "a good batch: 201, 4 entries (got %d %s)" % (s, doc))
check(doc["entries"][2]["day"] == "2026-03-01", "01:30 counts to the day before (day start 04:00)")

# ---- read by range, compared with `gutskin show` -------------------------------
s, _, doc, _ = api("GET", "/entries?from=2026-03-01&to=2026-03-01")
check(s == 200 and doc["count"] == 5, "the day holds 5 entries (got %s)" % doc.get("count"))
shown = json.loads(cli("show", "--from", "2026-03-01", "--to", "2026-03-01", "--format", "json"))
check([e["id"] for e in shown] == [e["id"] for e in doc["entries"]],
      "the API's day is show's day: %s vs %s" % ([e["id"] for e in shown], [e["id"] for e in doc["entries"]]))
s, _, doc, _ = api("GET", "/entries?from=2026-03-02")
check(doc["count"] == 0, "nothing on the next journal day (01:30 belongs to the 1st)")
s, _, doc, _ = api("GET", "/entries?from=2026-03-01T08:30&to=2026-03-01T20:00")
check(doc["count"] == 2, "a range of times: 2 entries (got %d)" % doc["count"])
s, _, doc, _ = api("GET", "/entries?from=2026-03-05&to=2026-03-01")
bad(s, doc, "to", "to before from")
s, _, doc, _ = api("GET", "/entries?from=March")
bad(s, doc, "from", "a bad from")

# ---- one entry, update, delete --------------------------------------------------
s, _, doc, _ = api("GET", "/entries/%d" % food_id)
check(s == 200 and doc["name"] == "oat porridge with milk", "get one entry")
s, _, doc, _ = api("GET", "/entries/99999")
check(s == 404, "an unknown id: 404 (got %d)" % s)
s, _, doc, _ = api("GET", "/entries/abc")
check(s == 404, "a non-numeric id: 404 (got %d)" % s)
s, _, doc, _ = api("PUT", "/entries/%d" % food_id, {"value": 2, "note": "big bowl"})
check(s == 200 and doc["value"] == 2 and doc["note"] == "big bowl", "update: %s" % doc)
s, _, doc, _ = api("PUT", "/entries/%d" % (food_id + 1), {"value": 9})
bad(s, doc, "value", "update stool to type 9")
s, _, doc, _ = api("PUT", "/entries/%d" % food_id, {"kind": "gut"})
bad(s, doc, "kind", "update may not change the kind")
show = cli("show", "--format", "json")
check('"big bowl"' in show, "the update is in the journal file")
s, _, doc, _ = api("DELETE", "/entries/%d" % (food_id + 1))
check(s == 200 and doc["deleted"]["kind"] == "stool", "delete: %s" % doc)
check(count() == 4, "4 entries after the delete")

# ---- interventions: start, stop, list; deletes that would break a course ---------
s, _, doc, _ = api("POST", "/interventions/start", {"name": "zinc", "value": 30, "unit": "mg",
                                                   "timestamp": "2026-03-01T10:00"})
check(s == 201 and doc["kind"] == "start", "start zinc: %s" % doc)
start_id = doc["id"]
s, _, doc, _ = api("POST", "/interventions/start", {"name": "zinc"})
bad(s, doc, "name", "starting zinc twice")
check("zinc" in doc.get("error", ""), "the refusal names what runs")
s, _, doc, _ = api("POST", "/interventions/stop", {"name": "magnesium"})
bad(s, doc, "name", "stopping what does not run")
s, _, doc, _ = api("POST", "/interventions/stop", {})
bad(s, doc, "name", "a stop without a name")
s, _, doc, _ = api("GET", "/interventions")
check([i["name"] for i in doc["running"]] == ["zinc"] and doc["past"] == [], "zinc runs: %s" % doc)
check(doc["running"][0]["dose"] == 30 and doc["running"][0]["unit"] == "mg", "its dose")
s, _, doc, _ = api("POST", "/interventions/stop", {"name": "zinc", "timestamp": "2026-03-08T10:00"})
check(s == 201, "stop zinc: %d %s" % (s, doc))
stop_id = doc["id"]
s, _, doc, _ = api("GET", "/interventions")
check(doc["running"] == [] and doc["past"][0]["stop_day"] == "2026-03-08", "zinc is past: %s" % doc)
s, _, doc, _ = api("DELETE", "/entries/%d" % start_id)
check(s == 409 and "stop" in doc["error"], "deleting a stopped start: 409 (got %d %s)" % (s, doc))
api("POST", "/interventions/start", {"name": "zinc", "timestamp": "2026-03-10T10:00"})
s, _, doc, _ = api("DELETE", "/entries/%d" % stop_id)
check(s == 409 and "overlap" in doc["error"], "deleting a stop before a later course: 409 (%s)" % doc)
cli_running = cli("show", "--format", "json")
check(cli_running.count('"kind": "start"') == 2 or cli_running.count('"kind":"start"') == 2,
      "the CLI sees both courses")

# ---- settings ----------------------------------------------------------------------
s, _, doc, _ = api("GET", "/config")
check(doc["day_start"] == "04:00" and "not a diagnosis" in doc["disclaimer"], "config: %s" % doc)
for v in ["25:00", "5", 300, "05:00x"]:
    s, _, doc, _ = api("PUT", "/config/day-start", {"day_start": v})
    bad(s, doc, "day_start", "day start %r" % v)
s, _, doc, _ = api("PUT", "/config/day-start", {"day_start": "01:00"})
check(s == 200 and doc["day_start_minutes"] == 60, "day start 01:00: %s" % doc)
# every connection sees it: ask several times (the pool hands out different ones)
days = set()
for _ in range(8):
    s, _, doc, _ = api("GET", "/entries?from=2026-03-02&to=2026-03-02")
    days.add(doc["count"])
check(days == {1}, "with the day starting 01:00, the 01:30 sleep is on the 2nd, on every connection: %s" % days)
check("01:00" in subprocess.run([GS, "config", "--db", DB], capture_output=True, text=True).stdout
      + subprocess.run([GS, "config", "--db", DB], capture_output=True, text=True).stderr,
      "the CLI sees the new day start")
api("PUT", "/config/day-start", {"day_start": "04:00"})

# ---- foods and tags --------------------------------------------------------------------
s, _, doc, _ = api("GET", "/foods/suggest?q=" + "greek%20yogurt%20with%20ch")
check(s == 200 and any(m["food"] in ("greek yogurt", "yogurt") for m in doc["matches"]),
      "yogurt is found in the text: %s" % doc.get("matches"))
check("dairy" in doc["tags"], "its tags: %s" % doc["tags"])
check(len(doc["suggestions"]) > 0 and all(x["food"].lower().startswith("ch") for x in doc["suggestions"]),
      "suggestions complete 'ch': %s" % doc["suggestions"])
s, _, doc, _ = api("GET", "/foods/suggest")
bad(s, doc, "q", "suggest without q")
api("POST", "/entries", {"kind": "food", "name": "zzquark bake", "timestamp": "2026-03-02T12:00"})
s, _, doc, _ = api("GET", "/foods/untagged")
check([u["food"] for u in doc] == ["zzquark bake"], "untagged foods: %s" % doc)
cli_untagged = json.loads(cli("tag", "untagged", "--format", "json"))
check([u["food"] for u in cli_untagged] == ["zzquark bake"], "the CLI agrees: %s" % cli_untagged)
s, _, doc, _ = api("POST", "/tags", {"food": "zzquark bake", "tag": "Dairy Stuff"})
bad(s, doc, "tag", "a bad tag name")
s, _, doc, _ = api("POST", "/tags", {"food": "zzquark bake"})
bad(s, doc, "tag", "a tag add without tag")
s, _, doc, _ = api("POST", "/tags", {"food": "zzquark bake", "tag": "dairy"})
check(s == 201, "tag add: %d %s" % (s, doc))
s, _, doc, _ = api("GET", "/foods/untagged")
check(doc == [], "no untagged foods after tagging: %s" % doc)
s, _, doc, _ = api("GET", "/foods/suggest?q=zzquark%20bake")
check(doc["tags"] == ["dairy"], "the new tag is used at once: %s" % doc)
s, _, doc, _ = api("GET", "/tags")
check({"food": "zzquark bake", "tag": "dairy"} in doc["user"], "the user's tags: %s" % doc["user"])
check(any(t["name"] == "dairy" and t["foods"] > 5 for t in doc["tags"]), "the lexicon's tags")
check("zzquark bake" in cli("tag", "list"), "the CLI lists the tag")
# a tag added by the command line while the server runs: used by the next
# request, on every connection (readers, and the writer's answer to a POST)
def zzquark_tags():
    s, _, doc, _ = api("GET", "/entries?tags=1")
    return [e["tags"] for e in doc["entries"] if e["name"] == "zzquark bake"]


check(zzquark_tags() == [["dairy"]], "zzquark bake's tags before: %s" % zzquark_tags())
cli("tag", "add", "zzquark bake", "cli_quark")
for i in range(4):  # a request on each reader connection
    check(zzquark_tags() == [["dairy", "cli_quark"]], "the CLI's tag in GET /entries?tags=1: %s" % zzquark_tags())
s, _, doc, _ = api("POST", "/entries", {"kind": "food", "name": "zzquark bake", "timestamp": "2026-03-02T13:00"})
check(s == 201 and doc["tags"] == ["dairy", "cli_quark"], "and in a logged food's tags: %s" % doc)
s, _, _, _ = api("DELETE", "/entries/%d" % doc["id"])
check(s == 200, "the extra entry removed: %d" % s)

# ---- the self-check ------------------------------------------------------------------------
s, _, inst, _ = api("GET", "/check/instrument")
check(s == 200 and inst["id"] == "signs", "the instrument")
items = {i["id"]: i for i in inst["items"]}
check(inst["items"][0]["section"] == "red_flags", "red-flag questions come first")
check(items["rf_rash"]["choices"][1]["id"] == "spreading", "choices have ids")
check(items["rf_pain_wakes"]["when"][0]["item"] == "rf_pain_worst", "conditions are given")
check(items["rf_black_stool"]["flag"]["test"] == "is", "red-flag rules are given")
s, _, doc, _ = api("GET", "/check/instrument?id=../../etc/passwd")
bad(s, doc, "id", "an instrument id that is a path")
s, _, doc, _ = api("GET", "/check/instrument?id=nosuch")
bad(s, doc, "id", "an unknown instrument")
calm = {"rf_blood_stool": False, "rf_black_stool": False, "rf_weight_loss": False,
        "rf_fever": False, "rf_night_sweats": False, "rf_pain_worst": 3, "rf_pain_wakes": False,
        "rf_swallowing": False, "rf_rash": "none", "rf_skin_infection": False,
        "acne_now": True, "acne_severity": 8, "acne_duration": "over_1_year"}
s, _, doc, _ = api("POST", "/check", {"answers": calm, "timestamp": "2026-03-01T09:00"})
check(s == 201 and doc["red_flag"] is False, "a self-check: %d %s" % (s, doc))
rep = doc["report"]
check([g["id"] for g in rep["groups"] if g["present"]] == ["acne"], "acne is present")
check("not a diagnosis" in rep["disclaimer"], "the report's disclaimer")
with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
    json.dump(calm, f)
    f.flush()
    cli_rep = subprocess.run([GS, "check", "--answers", f.name, "--no-store", "--format", "json"],
                             capture_output=True, text=True)
check(cli_rep.returncode == 0 and json.loads(cli_rep.stdout) == rep,
      "the same report as `gutskin check --answers` (%s)" % cli_rep.stderr)
red = dict(calm, rf_black_stool=True)
s, _, doc, _ = api("POST", "/check", {"answers": red})
check(s == 201 and doc["red_flag"] is True, "a red flag: %s" % doc)
check(doc["report"].get("action") == "see a clinician now", "red flag: see a clinician now")
check([f["sign"] for f in doc["report"]["red_flags"]] == ["black stool"], "the sign is named")
check("groups" not in doc["report"], "a red flag says nothing else")
s, _, doc, _ = api("POST", "/check", {"answers": dict(calm, acne_severity=11)})
bad(s, doc, "answers", "a severity of 11")
check("acne_severity" in doc.get("error", ""), "the item id is named: %s" % doc)
s, _, doc, _ = api("POST", "/check", {"answers": {"acne_now": True}})
bad(s, doc, "answers", "red flags unanswered")
s, _, doc, _ = api("POST", "/check", {"answers": calm, "extra": 1})
bad(s, doc, "extra", "an unknown key")
s, _, doc, _ = api("GET", "/check/responses")
check(len(doc) == 2 and doc[0]["report"].get("action") == "see a clinician now",
      "two stored responses, newest first: %s" % [d["id"] for d in doc])

# ---- export: the bytes of `gutskin export` ----------------------------------------------------
for fmt in ["csv", "json", "fhir"]:
    s, h, _, data = api("GET", "/export?format=" + fmt)
    check(s == 200, "export %s: 200" % fmt)
    check(data.decode() == cli("export", "--format", fmt), "export %s equals gutskin export" % fmt)
s, h, _, data = api("GET", "/export?format=fhir")
check(json.loads(data)["resourceType"] == "Bundle", "FHIR is a Bundle")
check(h["content-type"].startswith("application/fhir+json"), "FHIR content type")
s, _, doc, _ = api("GET", "/export?format=xml")
bad(s, doc, "format", "export xml")

# ---- import: all or nothing, problems by line and field ------------------------------------------
before = count()
csv_bad = ("timestamp,kind,name,value,unit,note\n"
           "2026-03-03T08:00,gut,pain,3,,\n"
           "2026-03-03T09:00,gut,pain,14,,\n"
           "2026-03-03T10:00,skin,itchy,2,,\n")
s, _, doc, _ = api("POST", "/import", csv_bad, headers={"Content-Type": "text/csv"})
bad(s, doc, "line 3: value", "an import with bad rows")
check([p["line"] for p in doc.get("problems", [])] == [3, 4], "both bad rows are named: %s" % doc)
check("/tmp/" not in json.dumps(doc), "no temporary path leaks into the reply")
check(count() == before, "a refused import writes nothing")
s, _, doc, _ = api("POST", "/import", "time,kind\n1,2\n")
bad(s, doc, "line 1", "a CSV without the header")
s, _, doc, _ = api("POST", "/import", "")
bad(s, doc, None, "an empty import")
good = csv_bad.replace(",14,", ",4,").replace("itchy", "itch") + ",tag,kefir drink,,,fermented\n"
s, _, doc, _ = api("POST", "/import", good)
check(s == 200 and doc["entries"] == 3 and doc["tags"] == 1, "a good import: %s" % doc)
check(count() == before + 3, "3 more entries")
s, _, doc, _ = api("GET", "/foods/suggest?q=kefir%20drink")
check("fermented" in doc["tags"], "an imported tag is used at once: %s" % doc)

# round trip: the export imported into an empty journal through the API of
# this server would duplicate; through the CLI into a new file gives it back
s, _, _, csv_all = api("GET", "/export?format=csv")
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "all.csv")
    open(path, "wb").write(csv_all)
    r = subprocess.run([GS, "import", path, "--db", os.path.join(d, "copy.db")], capture_output=True, text=True)
    check(r.returncode == 0, "the export imports into an empty journal: %s" % r.stderr)
    r = subprocess.run([GS, "export", "--format", "csv", "--db", os.path.join(d, "copy.db")],
                       capture_output=True)
    check(r.stdout == csv_all, "export, import, export gives the same bytes")

# ---- concurrency: 8 clients logging at once lose nothing ---------------------------------------
before = count()
errors = []


def logger(k):
    for i in range(25):
        s, _, doc, _ = api("POST", "/entries", {"kind": "stress", "value": (k + i) % 11,
                                                "timestamp": "2026-04-01T%02d:%02d" % (8 + k, i)})
        if s != 201:
            errors.append((s, doc))


threads = [threading.Thread(target=logger, args=(k,)) for k in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
check(errors == [], "concurrent logging: every POST 201 (%s)" % errors[:3])
check(count() == before + 200, "200 concurrent entries, none lost (got %d)" % (count() - before))
ids = json.loads(cli("show", "--from", "2026-04-01", "--to", "2026-04-01", "--format", "json"))
check(len(ids) == 200, "the CLI counts 200 on that day (got %d)" % len(ids))

# ---- cached reads follow writes from other processes (the CLI) -------------------
for _ in range(8):  # warm the cache of every connection
    before = count()
r = subprocess.run([GS, "log", "stress", "2", "--at", "2026-04-02T09:00", "--db", DB], capture_output=True, text=True)
check(r.returncode == 0, "gutskin log while the server runs: %s" % r.stderr)
seen = {count() for _ in range(8)}
check(seen == {before + 1}, "every connection sees the CLI's entry at once: %s (before %d)" % (seen, before))

# ---- the list is written directly as text: it must equal the document path ----------
odd = (b'timestamp,kind,name,value,unit,note\n'
       b'2026-04-03T08:00,food,"caf\xe9 ""au"" lait \\ x",,,"tab\there"\n'
       b'2026-04-03T09:00,food,\xc3\xa9clair \xe2\x9c\x93 \xf0\x9f\x98\x80,2.5,pieces,\n')
s, _, doc, _ = api("POST", "/import", odd)
check(s == 200 and doc["entries"] == 2, "import odd bytes: %s" % doc)
s, _, plain, raw = api("GET", "/entries?from=2026-04-03&to=2026-04-03")
check(s == 200, "the list with odd bytes is valid JSON")
names = [e["name"] for e in plain["entries"]]
check(names == ['caf\ufffd "au" lait \\ x', '\u00e9clair \u2713 \U0001f600'], "odd bytes: %r" % names)
check(plain["entries"][0]["note"] == "tab\there" and plain["entries"][1]["value"] == 2.5, "note and value")
s, _, whole, _ = api("GET", "/entries")
s, _, tagged, _ = api("GET", "/entries?tags=1")
for e in tagged["entries"]:
    e.pop("tags", None)
    e.pop("found", None)
check(whole == tagged, "the direct text equals the document (jansson) path for the whole journal")

# ---- the index lists the new endpoints -----------------------------------------------------------
s, _, doc, _ = api("GET", "")
paths = {(e["method"], e["path"]) for e in doc["endpoints"]}
for m, p in [("POST", "/api/v1/entries"), ("GET", "/api/v1/export"), ("POST", "/api/v1/check"),
             ("DELETE", "/api/v1/entries/:id"), ("POST", "/api/v1/import")]:
    check((m, p) in paths, "GET /api/v1 lists %s %s" % (m, p))
s, h, doc, _ = api("PATCH", "/entries/1")
check(s == 405 and "PUT" in h.get("allow", ""), "PATCH an entry: 405 with Allow (got %d)" % s)

failures = CLIENT.failures
if failures:
    print("journal_test.py: %d failure(s)" % failures, file=sys.stderr)
    sys.exit(1)
print("journal_test.py: all checks passed")
