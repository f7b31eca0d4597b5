#!/usr/bin/env python3
"""Adversarial HTTP server for promvet's fetcher tests (python3 stdlib only).

    python3 http_fixture_server.py [--max-seconds 60] [--tls-cert PEM --tls-key PEM]

Binds 127.0.0.1 on a free port and prints that port as the first line of
stdout. Exits by itself after --max-seconds, and as soon as stdin reaches EOF,
so a test that dies (closing its end of the pipe) never leaves it behind.
With --tls-cert and --tls-key it speaks HTTPS instead.
Every handler, including the endless ones, stops by that deadline.

Paths:
  /metrics            text format 0.0.4 body
  /om                 OpenMetrics 1.0.0 body
  /file?path=P&ct=T   the bytes of file P, Content-Type T (default text/plain)
  /gzip               /metrics gzip-encoded; 406 if the client does not accept gzip
  /gzip-bomb?gb=N     small gzip stream inflating to N GiB (default 1.1) of zeros, chunked
  /slow?delay=S       /metrics body, one byte every S seconds (default 0.2)
  /delay?seconds=S    /metrics after S seconds of silence before the headers
  /stall              headers and a few body bytes, then silence
  /endless            a valid exposition that never ends (chunked)
  /huge?bytes=N       Content-Length N (default 8 GiB), then a stream of samples
  /status/NNN         that status, short text body
  /redirect?to=U      302 to U
  /redirect-chain/N   N redirects in a row, then /metrics
  /html               an HTML page (text/html)
  /require?header=N:V /metrics body if every such header came (repeatable), else 403
  /echo-headers       the request headers as the body
  /empty              200 with an empty body
  /api-dir/D/api/v1/E canned Prometheus HTTP API answers: the file D/E.json (D url-encoded, "/" in E
                      replaced by "_"), application/json; 404 if absent. The query string is ignored.
"""

import argparse
import gzip
import http.server
import os
import ssl
import sys
import threading
import time
import urllib.parse
import zlib

METRICS = (
    b"# HELP http_requests_total Requests handled.\n"
    b"# TYPE http_requests_total counter\n"
    b'http_requests_total{code="200",method="get"} 1027\n'
    b'http_requests_total{code="500",method="get"} 3\n'
    b"# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
    b"# TYPE process_resident_memory_bytes gauge\n"
    b"process_resident_memory_bytes 2.4576e+07\n"
)

OPENMETRICS = (
    b"# TYPE http_requests counter\n"
    b"# HELP http_requests Requests handled.\n"
    b'http_requests_total{code="200"} 1027\n'
    b'http_requests_created{code="200"} 1.7e+09\n'
    b"# TYPE build info\n"
    b"# HELP build Build information.\n"
    b'build_info{version="1.2.3"} 1\n'
    b"# EOF\n"
)

TEXT_CT = "text/plain; version=0.0.4; charset=utf-8"
OM_CT = "application/openmetrics-text; version=1.0.0; charset=utf-8"

DEADLINE = None  # monotonic time at which everything stops


def remaining():
    return DEADLINE - time.monotonic()


class BombParts:
    """A gzip stream of zeros built from one repeated deflate block.

    After Z_FULL_FLUSH the compressor keeps no history, so compressing the
    same 1 MiB of zeros again yields the same bytes: the server sends ~1 KiB
    per MiB inflated without compressing gigabytes.
    """

    BLOCK = 1 << 20

    def __init__(self):
        comp = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = bytes(self.BLOCK)
        self.first = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
        self.repeat = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
        again = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
        assert again == self.repeat, "deflate output not periodic"

    def trailer(self, blocks):
        # Final empty stored block, then CRC32 and ISIZE of all the zeros.
        crc = 0
        zeros = bytes(self.BLOCK)
        for _ in range(blocks):
            crc = zlib.crc32(zeros, crc)
        end = zlib.compressobj(9, zlib.DEFLATED, -15)
        tail = end.flush(zlib.Z_FINISH)  # an empty final block
        size = (blocks * self.BLOCK) & 0xFFFFFFFF
        return tail + crc.to_bytes(4, "little") + size.to_bytes(4, "little")


BOMB = None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "promvet-fixture/1"

    def log_message(self, *args):  # keep test output clean
        pass

    # --- helpers -----------------------------------------------------------

    def body(self, data, ct, status=200, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ct)
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def start_chunked(self, ct, extra=()):
        self.send_response(200)
        self.send_header("Content-Type", ct)
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()

    def chunk(self, data):
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    def end_chunks(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def hold(self):
        """Keep the connection open, silent, until the deadline."""
        self.close_connection = True
        while remaining() > 0:
            time.sleep(min(0.1, max(remaining(), 0)))

    # --- dispatch ----------------------------------------------------------

    def do_GET(self):
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        p = url.path
        if p == "/metrics":
            self.body(METRICS, TEXT_CT)
        elif p == "/om":
            self.body(OPENMETRICS, OM_CT)
        elif p == "/file":
            try:
                with open(q.get("path", ""), "rb") as f:
                    data = f.read()
            except OSError as e:
                self.body(str(e).encode() + b"\n", "text/plain", 404)
                return
            self.body(data, q.get("ct", "text/plain"))
        elif p.startswith("/api-dir/"):
            rest = p[len("/api-dir/"):]
            directory, sep, endpoint = rest.partition("/api/v1/")
            name = urllib.parse.unquote(directory) + "/" + endpoint.replace("/", "_") + ".json"
            try:
                with open(name, "rb") as f:
                    data = f.read()
            except OSError as e:
                self.body(str(e).encode() + b"\n", "text/plain", 404)
                return
            self.body(data, "application/json")
        elif p == "/gzip":
            if "gzip" not in self.headers.get("Accept-Encoding", ""):
                self.body(b"client does not accept gzip\n", "text/plain", 406)
                return
            self.body(gzip.compress(METRICS), TEXT_CT, extra=[("Content-Encoding", "gzip")])
        elif p == "/gzip-bomb":
            self.gzip_bomb(float(q.get("gb", "1.1")))
        elif p == "/slow":
            self.slow(float(q.get("delay", "0.2")))
        elif p == "/delay":
            time.sleep(max(0.0, min(float(q.get("seconds", "2")), remaining())))
            self.body(METRICS, TEXT_CT)
        elif p == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", TEXT_CT)
            self.send_header("Content-Length", str(len(METRICS)))
            self.end_headers()
            self.wfile.write(METRICS[:20])
            self.wfile.flush()
            self.hold()
        elif p == "/endless":
            self.endless()
        elif p == "/huge":
            self.huge(int(q.get("bytes", str(8 << 30))))
        elif p.startswith("/status/"):
            code = int(p[len("/status/"):])
            self.body(b"status %d\n" % code, "text/plain", code)
        elif p == "/redirect":
            self.redirect(q.get("to", "/metrics"))
        elif p.startswith("/redirect-chain/"):
            n = int(p[len("/redirect-chain/"):])
            self.redirect("/redirect-chain/%d" % (n - 1) if n > 1 else "/metrics")
        elif p == "/html":
            self.body(b"<!doctype html>\n<html><body><h1>Metrics</h1></body></html>\n",
                      "text/html; charset=utf-8")
        elif p == "/require":
            missing = []
            for want in urllib.parse.parse_qs(url.query).get("header", []):
                name, _, value = want.partition(":")
                if self.headers.get(name.strip()) != value.strip():
                    missing.append(want)
            if missing:
                self.body(("missing header %s\n" % missing).encode(), "text/plain", 403)
            else:
                self.body(METRICS, TEXT_CT)
        elif p == "/echo-headers":
            self.body(str(self.headers).encode("latin-1"), "text/plain")
        elif p == "/empty":
            self.body(b"", TEXT_CT)
        else:
            self.body(b"not found\n", "text/plain", 404)

    # --- adversarial bodies ------------------------------------------------

    def redirect(self, to):
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def gzip_bomb(self, gib):
        blocks = int(gib * 1024)
        self.start_chunked(TEXT_CT, [("Content-Encoding", "gzip")])
        self.chunk(BOMB.first)
        for _ in range(blocks - 1):
            if remaining() <= 0:
                self.close_connection = True
                return
            self.chunk(BOMB.repeat)
        self.chunk(BOMB.trailer(blocks))
        self.end_chunks()

    def slow(self, delay):
        self.send_response(200)
        self.send_header("Content-Type", TEXT_CT)
        self.send_header("Content-Length", str(len(METRICS)))
        self.end_headers()
        for i in range(len(METRICS)):
            if remaining() <= 0:
                self.close_connection = True
                return
            self.wfile.write(METRICS[i:i + 1])
            self.wfile.flush()
            time.sleep(delay)

    def endless(self):
        self.start_chunked(TEXT_CT)
        self.chunk(b"# TYPE endless_series gauge\n")
        i = 0
        while remaining() > 0:
            self.chunk(b"".join(b'endless_series{n="%d"} 1\n' % (i + k) for k in range(1000)))
            i += 1000
        self.close_connection = True

    def huge(self, size):
        self.send_response(200)
        self.send_header("Content-Type", TEXT_CT)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        line = b"huge_series 1\n" * 4096
        sent = 0
        while sent < size and remaining() > 0:
            part = line[: size - sent]
            self.wfile.write(part)
            sent += len(part)
        self.close_connection = True


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global DEADLINE, BOMB
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-seconds", type=float, default=60)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    args = ap.parse_args()
    DEADLINE = time.monotonic() + args.max_seconds
    BOMB = BombParts()

    srv = Server(("127.0.0.1", 0), Handler)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print(srv.server_address[1], flush=True)

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except OSError:
            pass
        os._exit(0)

    def watch_clock():
        time.sleep(max(args.max_seconds, 0))
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Thread(target=watch_clock, daemon=True).start()
    srv.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
