"""Compressed replies of `gutskin serve` over loopback (run by tests/server/gzip.sh).

usage: gzip_test.py PORT TOKEN_FILE

For several endpoints (the cached entries list, the same list with tags,
a model table, a simulation, the JSON and FHIR exports) a request that
accepts gzip gets Content-Encoding: gzip and bytes that inflate, with
Python's own gzip module, to exactly the identity reply; no header,
gzip;q=0 and a preference for identity get the identity bytes; every JSON
reply says Vary: Accept-Encoding; small bodies and errors are correct
whichever way they are sent.  A write between two compressed reads shows
the new entry (the cache's compressed bytes follow the journal), and
threads reading the same cached reply at once, some with gzip and some
without, all get the right bytes.
"""
import gzip
import http.client
import json
import sys
import threading

PORT, TOKEN = int(sys.argv[1]), open(sys.argv[2]).read().strip()
HOST = "127.0.0.1:%d" % PORT
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what, file=sys.stderr)
    return cond


def request(method, path, encoding=None, body=None, token=TOKEN):
    """(status, headers with lower-case names, raw body bytes as sent)."""
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    c.putheader("Host", HOST)
    if token:
        c.putheader("Authorization", "Bearer " + token)
    if encoding is not None:
        c.putheader("Accept-Encoding", encoding)
    if body is not None:
        body = json.dumps(body).encode()
        c.putheader("Content-Type", "application/json")
        c.putheader("Content-Length", str(len(body)))
    c.endheaders()
    if body is not None:
        c.send(body)
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def decoded(hdrs, data):
    """The body as the client sees it after undoing Content-Encoding."""
    enc = hdrs.get("content-encoding")
    if enc is None:
        return data
    check(enc == "gzip", "the only coding sent is gzip (got %r)" % enc)
    return gzip.decompress(data)


BROWSER = "gzip, deflate, br, zstd"
IDENTITY_ASKS = [None, "gzip;q=0", "identity", "br, deflate", "identity;q=1, gzip;q=0.5",
                 "gzip;q=0, *"]
GZIP_ASKS = [BROWSER, "gzip", "x-gzip", "*", "GZIP;q=0.5", "br;q=1.0, gzip;q=0.8"]


def compare(method, path, what, body=None, large=True, same=lambda a, b: a == b):
    """Identity and gzip answers for path agree byte for byte (or by same(),
    for a document that carries the time it was made)."""
    s, h, plain = request(method, path, None, body)
    check(s == 200, "%s: 200 without Accept-Encoding (got %d %s)" % (what, s, plain[:200]))
    check("content-encoding" not in h, "%s: no Content-Encoding without Accept-Encoding" % what)
    check(h.get("vary", "").lower() == "accept-encoding", "%s: Vary: Accept-Encoding" % what)
    check(int(h.get("content-length", -1)) == len(plain), "%s: Content-Length" % what)
    if large:
        check(len(plain) >= 1024, "%s is above the 1 KiB threshold (%d bytes)" % (what, len(plain)))
    for enc in GZIP_ASKS:
        s, h, data = request(method, path, enc, body)
        check(s == 200, "%s with %r: 200" % (what, enc))
        check(h.get("vary", "").lower() == "accept-encoding", "%s with %r: Vary" % (what, enc))
        check(int(h.get("content-length", -1)) == len(data), "%s with %r: Content-Length" % (what, enc))
        if large:
            check(h.get("content-encoding") == "gzip", "%s with %r: gzip" % (what, enc))
            check(len(data) < len(plain) / 2, "%s with %r: smaller (%d of %d bytes)"
                  % (what, enc, len(data), len(plain)))
        check(same(decoded(h, data), plain),
              "%s with %r: inflates to the identity bytes" % (what, enc))
    for enc in IDENTITY_ASKS[1:]:
        s, h, data = request(method, path, enc, body)
        check(s == 200 and "content-encoding" not in h and same(data, plain),
              "%s with %r: the identity bytes" % (what, enc))
    return plain


# ---- endpoints, each read several times (the entries list is then cached) ----
days = request("GET", "/api/v1/entries", None)
doc = json.loads(days[2])
first, last = doc["entries"][0]["day"], doc["entries"][-1]["day"]
rng = "/api/v1/entries?from=%s&to=%s" % (first, last)
plain = compare("GET", rng, "GET /entries (a range)")
check(json.loads(plain)["count"] == doc["count"], "the range holds every entry")
compare("GET", rng + "&tags=1", "GET /entries?tags=1")
compare("GET", "/api/v1/entries", "GET /entries (all)")
compare("GET", "/api/v1/model/params", "GET /model/params")
s, _, seed = request("GET", "/api/v1/scenarios/seed-story")
compare("POST", "/api/v1/simulate?columns=barrier.integrity", "POST /simulate",
        body=json.loads(seed))
compare("GET", "/api/v1/export?format=json", "GET /export?format=json")


def same_but_time(a, b):
    """The FHIR bundle's "timestamp" is the time of the export (seconds)."""
    a, b = json.loads(a), json.loads(b)
    a.pop("timestamp", None)
    b.pop("timestamp", None)
    return a == b


compare("GET", "/api/v1/export?format=fhir", "GET /export?format=fhir", same=same_but_time)

# ---- the embedded pages: compressed once per server, same bytes inflated ----
for page in ["/", "/app.css", "/vendor/uPlot.iife.min.js"]:
    s, h, plain = request("GET", page, None, token=None)
    check(s == 200 and "content-encoding" not in h and len(plain) >= 1024,
          "%s: the page as it is without Accept-Encoding" % page)
    for k in range(2):  # the second answer comes from the kept gzip form
        s, h, data = request("GET", page, BROWSER, token=None)
        check(s == 200 and h.get("content-encoding") == "gzip" and len(data) < len(plain),
              "%s (%d): gzip when asked" % (page, k))
        check(h.get("vary", "").lower() == "accept-encoding", "%s (%d): Vary" % (page, k))
        check(decoded(h, data) == plain, "%s (%d): inflates to the page's bytes" % (page, k))
    s, h, data = request("GET", page, "gzip;q=0", token=None)
    check("content-encoding" not in h and data == plain, "%s with gzip;q=0: as it is" % page)
s, h, icon = request("GET", "/favicon.svg", BROWSER, token=None)
check(s == 200 and "content-encoding" not in h and icon.startswith(b"<svg"),
      "a page under 1 KiB is sent as it is")

# ---- the CSV export is not JSON: identity whatever is asked ----
s, h, csv_plain = request("GET", "/api/v1/export?format=csv")
s, h, csv_gz = request("GET", "/api/v1/export?format=csv", BROWSER)
check(s == 200 and "content-encoding" not in h and csv_gz == csv_plain,
      "the CSV export is sent as it is")

# ---- small replies and errors: correct either way ----
for path, status in [("/api/v1/config", 200), ("/api/v1/entries/999999", 404),
                     ("/api/v1/nothing", 404), ("/api/v1/entries?from=bad", 400)]:
    for enc in [None, BROWSER]:
        s, h, data = request("GET", path, enc)
        check(s == status, "%s with %r: %d (got %d)" % (path, enc, status, s))
        body = json.loads(decoded(h, data))
        check(isinstance(body, dict), "%s with %r: a JSON object" % (path, enc))
        check(h.get("vary", "").lower() == "accept-encoding", "%s with %r: Vary" % (path, enc))
        if status != 200:
            check("error" in body, "%s with %r: an error sentence" % (path, enc))
s, h, data = request("GET", "/api/v1/config", BROWSER, token="0" * 64)
check(s == 401 and "error" in json.loads(decoded(h, data)), "401 with gzip asked: a JSON error")

# ---- a write changes the journal: the compressed cached list follows ----
s, h, before = request("GET", rng, BROWSER)
n_before = json.loads(decoded(h, before))["count"]
s, _, made = request("POST", "/api/v1/entries", None,
                     {"kind": "stress", "value": 3, "timestamp": last + "T12:00:00",
                      "note": "gzip test"})
check(s == 201, "log one entry (got %d %s)" % (s, made[:200]))
s, h, after = request("GET", rng, BROWSER)
listed = json.loads(decoded(h, after))
check(h.get("content-encoding") == "gzip" and listed["count"] == n_before + 1 and
      any(e["note"] == "gzip test" for e in listed["entries"]),
      "after a write the compressed list holds the new entry")
after = decoded(h, after)
s, h, after_plain = request("GET", rng)
check("content-encoding" not in h and after == after_plain,
      "after a write gzip and identity still agree")

# ---- the list's direct writer (numbers and times without printf) against the
# same entries as documents built by jansson (tags=1), offsets and fractions included ----
for body in [{"kind": "stress", "value": 0, "timestamp": last + "T09:00:00Z"},
             {"kind": "sleep", "value": 7.25, "timestamp": last + "T09:01:00+05:30"},
             {"kind": "sleep", "value": 6.1, "timestamp": last + "T09:02:00-03:45"},
             {"kind": "stress", "value": 10},  # now, with the local offset
             {"kind": "food", "name": "oats", "timestamp": last + "T23:59:59"}]:
    s, _, made = request("POST", "/api/v1/entries", None, body)
    check(s == 201, "log %r (got %d %s)" % (body, s, made[:200]))
for path in ["/api/v1/entries", rng]:
    s, h, direct = request("GET", path, BROWSER)
    s2, h2, built = request("GET", path + ("&" if "?" in path else "?") + "tags=1", BROWSER)
    direct, built = json.loads(decoded(h, direct)), json.loads(decoded(h2, built))
    for e in built["entries"]:
        e.pop("tags", None)
        e.pop("found", None)
    check(direct == built, "%s: the direct writer gives the document jansson builds" % path)
    check(any(e["timestamp"].endswith("+05:30") for e in direct["entries"]) or path == rng,
          "%s: an offset time is listed" % path)
s, h, after = request("GET", rng, BROWSER)
s, _, after_plain = request("GET", rng)
after = decoded(h, after)

# ---- many readers of one cached reply at once, with and without gzip ----
errors = []


def reader(k):
    for i in range(12):
        enc = BROWSER if (k + i) % 2 else None
        try:
            s, h, data = request("GET", rng, enc)
            if s != 200 or decoded(h, data) != after_plain:
                errors.append("reader %d request %d (%r): status %d" % (k, i, enc, s))
        except Exception as e:  # noqa: BLE001 - any failure is a test failure
            errors.append("reader %d request %d: %s" % (k, i, e))


threads = [threading.Thread(target=reader, args=(k,)) for k in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
check(not errors, "concurrent readers all got the right bytes: " + "; ".join(errors[:3]))

if failures:
    print("gzip_test.py: %d checks failed" % failures, file=sys.stderr)
    sys.exit(1)
print("gzip_test.py: all checks passed")
