"""API tests of `gutskin serve` over loopback (run by tests/server/api.sh).

usage: api_test.py GUTSKIN PORT TOKEN_FILE LOGIN_URL

Every endpoint, and every check of the security model: 401 without or with
a wrong token, 403 for a foreign Host or Origin, 413 for an oversized body,
400 with a field for bad JSON or out-of-range values.  Results are compared
with what the command line computes for the same input, so a test fails
when the server's answer is wrong, not only when it is missing.
"""
import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse

from client import Client

GS, PORT, TOKEN_FILE, LOGIN = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
TOKEN = open(TOKEN_FILE).read().strip()
SMALL = os.environ.get("GS_SANITIZED") == "1"
CLIENT = Client(PORT, TOKEN)
check, request, api = CLIENT.check, CLIENT.request, CLIENT.api


def common_headers(hdrs, what):
    check("default-src 'self'" in hdrs.get("content-security-policy", ""), what + ": CSP")
    check(hdrs.get("x-content-type-options") == "nosniff", what + ": nosniff")
    check(not any(k.startswith("access-control-") for k in hdrs), what + ": no CORS header")


# ---- access -----------------------------------------------------------------
s, h, d, _ = api("GET", "/model/blocks", token=None)
check(s == 401 and "token" in d["error"], "no token: 401 naming the token (got %d)" % s)
check(h.get("www-authenticate", "").startswith("Bearer"), "401 says Bearer")
common_headers(h, "401")
s, _, _, _ = api("GET", "/model/blocks", token="0" * 64)
check(s == 401, "wrong token: 401 (got %d)" % s)
s, _, _, _ = api("GET", "/model/blocks", token=TOKEN[:-1])
check(s == 401, "token one digit short: 401 (got %d)" % s)
s, _, _, _ = api("GET", "/model/blocks", token=TOKEN + "0")
check(s == 401, "token one digit long: 401 (got %d)" % s)
s, h, d, _ = api("GET", "/model/blocks", host="evil.example:%d" % PORT)
check(s == 403 and "Host" in d["error"], "foreign Host: 403 (got %d)" % s)
s, _, _, _ = api("GET", "/model/blocks", host="127.0.0.1:%d" % (PORT + 1))
check(s == 403, "Host with another port: 403 (got %d)" % s)
s, _, _, _ = request("GET", "/", token=None, host="evil.example")
check(s == 403, "foreign Host on a page: 403 (got %d)" % s)
s, _, _, _ = api("GET", "/model/blocks", host="localhost:%d" % PORT)
check(s == 200, "Host localhost:PORT: 200 (got %d)" % s)
s, _, d, _ = api("GET", "/model/blocks", headers={"Origin": "http://evil.example"})
check(s == 403 and "Origin" in d["error"], "foreign Origin: 403 (got %d)" % s)
s, _, _, _ = api("GET", "/model/blocks", headers={"Origin": "null"})
check(s == 403, "Origin null: 403 (got %d)" % s)
s, _, _, _ = api("GET", "/model/blocks", headers={"Origin": "http://127.0.0.1:%d" % PORT})
check(s == 200, "own Origin: 200 (got %d)" % s)

# ---- body limits ---------------------------------------------------------------
big = b'{"name": "' + b"x" * (1024 * 1024 + 10) + b'"}'
s, h, d, _ = api("POST", "/simulate", big)
check(s == 413, "oversized body (Content-Length): 413 (got %d)" % s)
common_headers(h, "413")
s, _, _, _ = api("POST", "/simulate", big, headers={"Transfer-Encoding": "chunked"})
check(s == 413, "oversized chunked body: 413 (got %d)" % s)

# ---- the model -------------------------------------------------------------------
s, h, blocks, _ = api("GET", "/model/blocks")
common_headers(h, "blocks")
names = [b["name"] for b in blocks]
check(s == 200 and "barrier" in names and "skin_acne" in names, "blocks lists barrier, skin_acne")
cli = json.loads(subprocess.run([GS, "blocks", "--format", "json"], capture_output=True,
                                check=True).stdout)
check([b["name"] for b in cli] == names, "blocks: the same blocks as `gutskin blocks`")
check(all(len(a["states"]) == len(b["states"]) for a, b in zip(cli, blocks)), "blocks: states")
s, _, params, _ = api("GET", "/model/params?block=barrier")
check(s == 200 and params and all(p["name"].startswith("barrier.") for p in params),
      "params?block=barrier: only barrier's")
cli = json.loads(subprocess.run([GS, "params", "barrier", "--format", "json"],
                                capture_output=True, check=True).stdout)
check([(p["name"], p["value"]) for p in cli] == [(p["name"], p["value"]) for p in params],
      "params: the values of `gutskin params barrier`")
s, _, d, _ = api("GET", "/model/params?block=barier")
check(s == 400 and d.get("field") == "block", "params of an unknown block: 400 field block")
s, _, ivs, _ = api("GET", "/model/interventions")
fibre = [i for i in ivs if i["name"] == "fibre"]
check(s == 200 and fibre and fibre[0]["min"] <= fibre[0]["usual"] <= fibre[0]["max"],
      "interventions: fibre with its range")
s, _, links, _ = api("GET", "/model/links")
check(s == 200 and links and all(l["grade"] in ("measured", "fitted", "assumption")
                                 for l in links), "links: every one graded")
s, _, idx, _ = api("GET", "")
check(s == 200 and any(e["path"] == "/api/v1/simulate" for e in idx["endpoints"]),
      "GET /api/v1 lists the endpoints")
s, h, d, _ = api("GET", "/nope")
check(s == 404 and "error" in d, "unknown endpoint: 404")
s, h, d, _ = api("PUT", "/model/blocks")
check(s == 405 and h.get("allow") == "GET", "wrong method: 405 with Allow: GET (%d %s)"
      % (s, h.get("allow")))

# ---- scenarios and simulate -------------------------------------------------------------
s, _, scen, _ = api("GET", "/scenarios")
check(s == 200 and any(x["name"] == "seed-story" for x in scen), "scenarios lists seed-story")
s, _, seed, _ = api("GET", "/scenarios/seed-story")
check(s == 200 and seed["days"] == 168 and len(seed["schedule"]) == 4, "seed-story as JSON")
s, _, _, _ = api("GET", "/scenarios/..%2Fcalibration%2Ffit")
check(s == 404, "a scenario name with a path: 404 (got %d)" % s)
s, _, sim, _ = api("POST", "/simulate", seed)
check(s == 200 and sim["columns"][0] == "day" and len(sim["data"][0]) == 169,
      "simulate seed-story: 169 days")
check("not a diagnosis" in sim.get("disclaimer", ""), "simulate carries the disclaimer")
cli = json.loads(subprocess.run([GS, "simulate", "data/scenarios/seed-story.yaml", "--format",
                                 "json"], capture_output=True, check=True).stdout)
col = {c: i for i, c in enumerate(sim["columns"])}
ok = cli["columns"] == sim["columns"]
for c in ("barrier.integrity", "skin_acne.inflammatory_count", "systemic.crp"):
    j = cli["columns"].index(c)
    ok = ok and all(abs(r[j] - v) <= 1e-9 * max(1, abs(v))
                    for r, v in zip(cli["rows"], sim["data"][col[c]]))
check(ok, "simulate (JSON) equals `gutskin simulate` (YAML) on the seed story")
s, _, few, _ = api("POST", "/simulate?columns=barrier.integrity,skin_acne.inflammatory_count", seed)
check(s == 200 and few["columns"] == ["day", "barrier.integrity", "skin_acne.inflammatory_count"]
      and few["units"][0] == "day", "?columns= picks columns")
moved = json.loads(json.dumps(seed))
moved["schedule"] = [x for x in moved["schedule"] if x["intervention"] != "probiotic"]
s, _, nop, _ = api("POST", "/simulate?columns=barrier.integrity", moved)
check(s == 200 and abs(nop["data"][1][168] - few["data"][1][168]) > 1e-3,
      "removing the probiotic changes barrier integrity at day 168")
s, _, d, _ = api("POST", "/simulate?columns=barrier.integrty", seed)
check(s == 400 and d["field"] == "columns", "unknown column: 400 field columns")
s, _, d, _ = api("POST", "/simulate", '{"name": "x",')
check(s == 400 and "line 1" in d["error"], "bad JSON: 400 naming line and column")
s, _, d, _ = api("POST", "/simulate", "[1, 2]")
check(s == 400, "a JSON list: 400")
s, _, d, _ = api("POST", "/simulate", "")
check(s == 400, "no body: 400")
bad = [
    ({"name": "x", "schedule": [{"intervention": "probiotic", "start": 0, "stop": 10,
                                 "dose": 1e6}]}, "schedule[0].dose", "out of range"),
    ({"name": "x", "schedule": [{"intervention": "probiotc", "start": 0, "stop": 10,
                                 "dose": 1}]}, "schedule[0].intervention", "probiotic"),
    ({"name": "x", "schedule": [{"intervention": "fibre", "start": 10, "stop": 5,
                                 "dose": 20}]}, "schedule[0].stop", None),
    ({"name": "x", "schedule": [{"intervention": "fibre", "start": 0, "dose": 20}]},
     "schedule[0]", "stop"),
    ({"name": "x", "days": 0}, "days", "1 to 3650"),
    ({"name": "x", "days": "84"}, "days", "without quotes"),
    ({"name": "x", "dayz": 84}, "dayz", "did you mean 'days'"),
    ({"days": 84}, "name", "missing"),
    ({"name": "x", "person": {"skin": ["skin_akne"]}}, "person.skin[0]", "skin_acne"),
    ({"name": "x", "person": {"params": {"barrier.damage_base": -1}}},
     "person.params.barrier.damage_base", None),
    ({"name": "x", "person": {"usual": {"fibre": 1e9}}}, "person.usual.fibre", None),
    ({"name": "x", "burn_in": "sometimes"}, "burn_in", None),
]
for body, field, words in bad:
    s, _, d, _ = api("POST", "/simulate", body)
    check(s == 400 and d.get("field") == field and d["error"].startswith(field) and
          (words is None or words in d["error"]),
          "bad scenario %s: 400 field %s (got %d %s)" % (json.dumps(body), field, s, d))


# ---- trials as jobs ----------------------------------------------------------------------
def wait_job(jid, limit=120):
    t0 = time.time()
    while time.time() - t0 < limit:
        s, _, job, _ = api("GET", "/trials/%d" % jid)
        if job["state"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.1)
    return job


s, _, tl, _ = api("GET", "/trials")
check(s == 200 and any(e["name"] == "zinc-acne" for e in tl["examples"]), "trials lists examples")
s, _, ex, _ = api("GET", "/trials/examples/zinc-acne")
check(s == 200 and "arms:" in ex["yaml"], "an example trial's YAML")
N = 12 if SMALL else 40
s, h, job, _ = api("POST", "/trials", {"example": "zinc-acne", "patients": N, "seed": 7})
check(s == 202 and h.get("location") == "/api/v1/trials/%d" % job["id"] and
      job["total"] == N, "submit an example: 202 with Location")
done = wait_job(job["id"])
check(done["state"] == "done" and done["done"] == N, "the job finishes (%s)" % done["state"])
res = done.get("result", {})
cli = json.loads(subprocess.run([GS, "trial", "data/trials/zinc-acne.yaml", "--patients", str(N),
                                 "--seed", "7", "--threads", "1"], capture_output=True,
                                check=True).stdout)
check(res.get("arms") == cli["arms"] and res.get("comparisons") == cli["comparisons"] and
      res.get("screening") == cli["screening"],
      "the job's result equals `gutskin trial` with the same seed")
check("not a diagnosis" in res.get("disclaimer", ""), "trial result carries the disclaimer")
s, _, job, _ = api("POST", "/trials", {"example": "zinc-acne", "patients": 200000})
s, _, c, _ = api("DELETE", "/trials/%d" % job["id"])
check(s == 200, "DELETE a job: 200")
done = wait_job(job["id"])
check(done["state"] == "cancelled" and done["done"] < done["total"],
      "a cancelled job stops early (%s, %d of %d)" % (done["state"], done["done"], done["total"]))
s, _, lst, _ = api("GET", "/trials")
check(any(j["id"] == job["id"] and j["state"] == "cancelled" for j in lst["jobs"]),
      "the job list shows the cancelled job")
upload = open("data/trials/zinc-acne.yaml").read()
s, _, job, _ = api("POST", "/trials", {"yaml": upload, "name": "my-zinc.yaml", "patients": N,
                                       "seed": 7})
done = wait_job(job["id"]) if s == 202 else {}
check(s == 202 and done.get("state") == "done" and done["name"] == "my-zinc.yaml" and
      done["result"]["arms"] == cli["arms"], "an uploaded trial (relative variability "
      "paths) runs like the example")
s, _, d, _ = api("POST", "/trials", {"yaml": upload.replace("dose: 30", "dose: 3000"),
                                     "name": "my-zinc.yaml"})
check(s == 400 and d["error"].startswith("my-zinc.yaml:") and "/tmp" not in d["error"],
      "a bad upload: 400 naming the upload's line (%s)" % d)
for body, field in [({"example": "zinc-acne", "yaml": "x"}, "yaml"), ({}, "example"),
                    ({"example": "zinc-acne", "patients": 0}, "patients"),
                    ({"example": "zinc-acne", "patients": 200001}, "patients"),
                    ({"example": "zinc-acne", "seed": -1}, "seed"),
                    ({"example": "zinc-acne", "patience": 3}, "patience"),
                    ({"example": "no-such-trial"}, "example"),
                    ({"example": "../calibration/fit"}, "example")]:
    s, _, d, _ = api("POST", "/trials", body)
    check(s == 400 and d.get("field") == field, "bad trial request %s: 400 field %s (got %d %s)"
          % (json.dumps(body), field, s, d))
s, _, d, _ = api("GET", "/trials/999999")
check(s == 404, "an unknown job: 404")
s, _, d, _ = api("DELETE", "/trials/abc")
check(s == 404, "DELETE a non-number job: 404")

# ---- calibration ----------------------------------------------------------------------------
P = 10 if SMALL else 30
t0 = time.time()
while True:
    s, _, cal, _ = api("GET", "/calibration?patients=%d" % P)
    if s != 202 or time.time() - t0 > 300:
        break
    check(cal["state"] in ("queued", "running"), "calibration 202 while it runs")
    time.sleep(0.2)
check(s == 200 and cal["state"] == "done" and cal["result"]["total"] == 6 and
      len(cal["result"]["targets"]) == 6, "calibration report: 6 targets")
cli = json.loads(subprocess.run([GS, "calibrate", "--patients", str(P), "--format", "json",
                                 "--threads", "1"], capture_output=True, check=True).stdout)
check([t["model"] for t in cal["result"]["targets"]] == [t["model"] for t in cli["targets"]],
      "calibration equals `gutskin calibrate` with the same patients")
s, _, d, _ = api("GET", "/calibration?patients=1")
check(s == 400 and d["field"] == "patients", "calibration ?patients=1: 400 field patients")

# ---- pages and the one-time login link ---------------------------------------------------------
s, h, _, body = request("GET", "/", token=None)
check(s == 200 and h["content-type"].startswith("text/html") and b"not a diagnosis" in body,
      "GET / serves the app shell with the disclaimer")
common_headers(h, "page")
s, h, _, body = request("GET", "/vendor/uPlot.iife.min.js", token=None)
check(s == 200 and h["content-type"].startswith("text/javascript") and b"uPlot" in body,
      "uPlot is embedded")
s, _, _, _ = request("GET", "/no-such-page.html", token=None)
check(s == 404, "an unknown page: 404")
s, _, _, _ = request("POST", "/index.html", "x", token=None)
check(s == 405, "POST to a page: 405")
code = urllib.parse.parse_qs(urllib.parse.urlparse(LOGIN).query)["code"][0]
s, _, _, _ = request("POST", "/login?code=" + code, "", token=None)
check(s == 405, "POST /login: 405, and the code is not spent")
s, _, _, _ = request("GET", "/login?code=" + "0" * 64, token=None)
check(s == 403, "a wrong login code: 403")
s, h, _, _ = request("GET", "/login?code=" + code, token=None)
cookie = h.get("set-cookie", "")
check(s == 303 and h.get("location") == "/" and "HttpOnly" in cookie and
      "SameSite=Strict" in cookie, "the login link: 303 to / with an HttpOnly SameSite=Strict "
      "cookie (%d %s)" % (s, cookie))
pair = cookie.split(";")[0]
s, _, _, _ = api("GET", "/model/links", token=None, headers={"Cookie": pair})
check(s == 200, "the cookie opens the API (got %d)" % s)
s, _, _, _ = api("GET", "/model/links", token=None, headers={"Cookie": "gs_token=" + "1" * 64})
check(s == 401, "a wrong cookie: 401")
s, _, _, _ = request("GET", "/login?code=" + code, token=None)
check(s == 403, "the login link works once: 403 the second time")

failures = CLIENT.failures
if failures:
    print("%d check(s) failed" % failures, file=sys.stderr)
    sys.exit(1)
print("api_test: all checks passed")
