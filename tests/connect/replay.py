#!/usr/bin/env python3
"""replay.py - replays recorded SDMX answers (tests/data/connect) on 127.0.0.1 for the tests and
the demo of the connectors. Threaded; binds port 0 and writes the port to --port-file.

Routes: the recorded URLs' path + query (from each *.headers.json), answered with the recorded
body and headers; a route without its query matches any query. The recorded Istat answers carry
no ETag: the replay adds a strong ETag from the body's SHA-256 (so that conditional requests and
304 can be tested) unless the mode is "noetag".

The scenario switch is the file --mode-file (read at each request), one word and an optional
count, e.g. "429:2": normal | noetag | revised | 429:N (N answers 429 with Retry-After: 1, then
normal; "429date:N" gives Retry-After as an HTTP date) | 500:N | truncated (Content-Length
larger than what is sent) | oversized (5 MB without Content-Length) | redirect (302 to
"localhost" instead of "127.0.0.1") | malformed (the XML broken on line 3) | slow (10 s before
answering) | sdmxerror (404 with an SDMX error message) | file=PATH (that file's bytes for
every route but the catalogue's API, /api/...: a revised resource).
A headers file with "accept": "csv" or "json" answers the same URL when the request's Accept
header names that format (SDMX-CSV, SDMX-JSON); otherwise the route without it answers.
A route whose headers file says another status_code than 200 is answered with it (a portal's
recorded refusal). Bodies may name the replay itself as http://REPLAY (a catalogue's resource addresses).
--tls CERT KEY serves https with that certificate (the test of a certificate not trusted).
"""
import argparse, email.utils, hashlib, json, os, ssl, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "connect")
SKIP = {"transfer-encoding", "content-length", "set-cookie", "server-timing", "date",
        "strict-transport-security"}


def load_routes(data):
    routes = {}
    for name in sorted(os.listdir(data)):
        if not name.endswith(".headers.json"):
            continue
        meta = json.load(open(os.path.join(data, name), encoding="utf-8"))
        stem = os.path.join(data, name[: -len(".headers.json")])
        if "body_file" in meta:  # a file kept elsewhere in the repository
            stem_file = os.path.normpath(os.path.join(data, meta["body_file"]))
        else:
            stem_file = next(stem + e for e in (".xml", ".json", ".csv") if os.path.exists(stem + e))
        body = open(stem_file, "rb").read()
        u = urlsplit(meta["url"])
        key = u.path + ("?" + u.query if u.query else "")
        if "accept" in meta:  # another format of the same URL, for that Accept header
            key += "#" + meta["accept"]
        routes[key] = (meta, body)
    # the dataflow list: the recorded structure answer (it holds one dataflow, 47_850); the
    # recorded files have no list of every Istat dataflow
    for key, (meta, body) in list(routes.items()):
        if "/dataflow/" in key:
            base = key.split("/dataflow/")[0]
            routes[base + "/dataflow/all/all/latest"] = (meta, body)
    return routes


class State:
    lock = threading.Lock()
    count = {}


def mode(path):
    try:
        m = open(path).read().strip()
    except OSError:
        return "normal", 0
    if m.startswith("file="):
        return m, 0
    word, _, n = m.partition(":")
    return word or "normal", int(n or 0)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if self.server.log:
            self.server.log.write("%s %s\n" % (self.command, self.path))
            self.server.log.flush()

    def send_body(self, code, headers, body, length=None):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if length is not False:
            self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_GET(self):
        word, n = mode(self.server.mode_file)
        with State.lock:
            seen = State.count.get(word, 0)
            State.count[word] = seen + 1
        if word in ("429", "429date", "500") and seen < n:
            if word == "500":
                return self.send_body(500, [("Content-Type", "text/plain")],
                                      b"Internal Server Error\nthe database is restarting\n")
            ra = "1" if word == "429" else email.utils.formatdate(time.time() + 1, usegmt=True)
            return self.send_body(429, [("Retry-After", ra), ("Content-Type", "text/plain")],
                                  b"Too Many Requests\n")
        if self.server.features and self.path.startswith("/ogc"):
            return self.ogc(word)
        routes = self.server.routes
        accept = self.headers.get("Accept", "")
        kind = "csv" if "csv" in accept else "json" if "json" in accept else None
        hit = None
        if kind:
            hit = routes.get(self.path + "#" + kind) or routes.get(self.path.split("?")[0] + "#" + kind)
        hit = hit or routes.get(self.path) or routes.get(self.path.split("?")[0])
        if hit is None or word == "sdmxerror":
            body = (b'<?xml version="1.0" encoding="utf-8"?><message:Error xmlns:message='
                    b'"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:common='
                    b'"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">'
                    b'<message:ErrorMessage code="100"><common:Text>No Results Found'
                    b'</common:Text></message:ErrorMessage></message:Error>')
            return self.send_body(404, [("Content-Type", "application/xml")], body)
        meta, body = hit
        # addresses in the recorded bodies that point at the replay itself
        body = body.replace(b"http://REPLAY", ("http://127.0.0.1:%d" % self.server.server_address[1]).encode())
        if word.startswith("file=") and not self.path.startswith("/api/"):
            body = open(word[5:], "rb").read()
        if word == "revised" and "/data/" in self.path:
            body = open(os.path.join(DATA, "istat-47_850-data-revised.xml"), "rb").read()
        if word == "redirect":
            port = self.server.server_address[1]
            return self.send_body(302, [("Location", "http://localhost:%d%s" % (port, self.path))],
                                  b"")
        if word == "slow":
            time.sleep(10)
        if word == "malformed":
            body = body.replace(b"?>", b"?>\n", 1).replace(b"<message:Header>",
                                                             b"\n<message:Header>", 1)
            body = body.replace(b"<generic:Obs>", b"<generic:Obs><broken>", 1)
        headers = [(k, v) for k, v in meta["headers"].items() if k.lower() not in SKIP]
        if meta.get("status_code", 200) != 200:  # a recorded refusal: as recorded, no ETag
            return self.send_body(meta["status_code"], headers, body)
        etag = '"%s"' % hashlib.sha256(body).hexdigest()
        if word != "noetag":
            headers.append(("ETag", etag))
            if self.headers.get("If-None-Match") == etag:
                return self.send_body(304, [("ETag", etag)], b"", length=False)
        if word == "truncated":
            self.send_body(200, headers, body[: len(body) // 2], length=len(body))
            self.close_connection = True
            return
        if word == "oversized":
            self.send_response(200)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(80):
                    self.wfile.write(b"<!--" + b"x" * 65536 + b"-->")
            except OSError:
                pass
            self.close_connection = True
            return
        self.send_body(200, headers, body)


    def ogc(self, word):
        """OGC API Features (Part 1: core, GeoJSON) over --features ID=FILE: landing page,
        conformance, collections, the collection, and its items in pages of at most 100 with
        "next" links (limit, offset); mode file=PATH serves PATH's features instead."""
        cid, path = self.server.features
        if word.startswith("file="):
            path = word[5:]
        fc = json.load(open(path, encoding="utf-8"))
        base = "http://127.0.0.1:%d/ogc" % self.server.server_address[1]
        u = urlsplit(self.path)
        q = dict(p.split("=", 1) for p in u.query.split("&") if "=" in p)
        p = u.path.rstrip("/")
        js, geo = "application/json", "application/geo+json"
        coll = {"id": cid, "title": "Comuni del Lazio", "itemType": "feature",
                "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
                "links": [{"href": base + "/collections/" + cid + "/items", "rel": "items", "type": geo}]}
        if p == "/ogc":
            doc, ct = {"title": "replay", "links": [
                {"href": base, "rel": "self", "type": js},
                {"href": base + "/conformance", "rel": "conformance", "type": js},
                {"href": base + "/collections", "rel": "data", "type": js}]}, js
        elif p == "/ogc/conformance":
            doc, ct = {"conformsTo": [
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"]}, js
        elif p == "/ogc/collections":
            doc, ct = {"collections": [coll], "links": [{"href": base + "/collections", "rel": "self", "type": js}]}, js
        elif p == "/ogc/collections/" + cid:
            doc, ct = coll, js
        elif p == "/ogc/collections/" + cid + "/items":
            lim, off = min(int(q.get("limit", "10")), 100), int(q.get("offset", "0"))
            feats = fc["features"][off:off + lim]
            links = [{"href": base + "/collections/%s/items?limit=%d&offset=%d" % (cid, lim, off), "rel": "self", "type": geo}]
            if off + lim < len(fc["features"]):
                links.append({"href": base + "/collections/%s/items?limit=%d&offset=%d" % (cid, lim, off + lim),
                              "rel": "next", "type": geo})
            doc, ct = {"type": "FeatureCollection", "features": feats, "numberMatched": len(fc["features"]),
                       "numberReturned": len(feats), "links": links}, geo
        else:
            return self.send_body(404, [("Content-Type", js)], b'{"code": "NotFound", "description": "no such path"}')
        self.send_body(200, [("Content-Type", ct)], json.dumps(doc).encode())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--mode-file", required=True)
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--log")
    ap.add_argument("--features", metavar="ID=FILE", help="serve FILE (GeoJSON) as the OGC API "
                    "Features collection ID under /ogc")
    ap.add_argument("--exit-with", type=int, help="stop when this process is gone")
    a = ap.parse_args()
    srv = ThreadingHTTPServer((a.bind, 0), Handler)
    srv.daemon_threads = True
    srv.routes = load_routes(a.data)
    srv.features = tuple(a.features.split("=", 1)) if a.features else None
    srv.mode_file = a.mode_file
    srv.log = open(a.log, "a") if a.log else None
    if a.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    if a.exit_with:
        def watch():
            while True:
                time.sleep(1)
                try:
                    os.kill(a.exit_with, 0)
                except OSError:
                    os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
