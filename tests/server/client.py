"""What the server tests share (api_test.py, journal_test.py): an HTTP/1.1
client for `gutskin serve` on loopback that sends exactly the headers it is
given (no implicit Host or Accept-Encoding, so Host and Origin checks can be
tested), and a counter of failed checks.
"""
import http.client
import json
import sys

_DEFAULT = object()  # "the client's own token"


class Client:
    def __init__(self, port, token):
        self.port = port
        self.token = token
        self.host = "127.0.0.1:%d" % port
        self.failures = 0

    def check(self, cond, what):
        """Count and print a failed check; return cond."""
        if not cond:
            self.failures += 1
            print("FAIL:", what, file=sys.stderr)
        return cond

    def request(self, method, path, body=None, headers=None, token=_DEFAULT, host=None):
        """(status, headers with lower-case names, JSON document or None, raw bytes).
        token=None sends no Authorization; a dict or list body is sent as JSON;
        headers {"Transfer-Encoding": "chunked"} sends the body in chunks."""
        token = self.token if token is _DEFAULT else token
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = {"Host": host or self.host}
        if token is not None:
            h["Authorization"] = "Bearer " + token
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        h.update(headers or {})
        c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in h.items():
            c.putheader(k, v)
        chunked = h.get("Transfer-Encoding") == "chunked"
        if body is not None and not chunked:
            c.putheader("Content-Length", str(len(body)))
        c.endheaders()
        try:
            if body is not None and chunked:
                step = 65536
                for i in range(0, len(body), step):
                    part = body[i:i + step]
                    c.send(b"%x\r\n%s\r\n" % (len(part), part))
                c.send(b"0\r\n\r\n")
            elif body is not None:
                c.send(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered (413) before reading the whole body
        r = c.getresponse()
        data = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        doc = None
        if hdrs.get("content-type", "").startswith("application/json"):
            doc = json.loads(data)
        return r.status, hdrs, doc, data

    def api(self, method, path, body=None, **kw):
        return self.request(method, "/api/v1" + path, body, **kw)
