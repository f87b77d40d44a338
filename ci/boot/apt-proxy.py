#!/usr/bin/env python3
"""The booted machines' only way out: an HTTP proxy that passes GET and HEAD to the Debian package registry
hosts it is given (--allow) and refuses everything else with 403, logging each request. apt inside the machine
uses it through Acquire::http::Proxy; nothing else in the machine has a route anywhere.

    apt-proxy.py --listen 198.19.200.1:3142 --allow deb.debian.org [--allow ...]
"""
import argparse
import http.client
import http.server
import socketserver
import sys
import urllib.parse

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate",
              "te", "trailer", "transfer-encoding", "upgrade"}


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    allowed = frozenset()

    def log_message(self, fmt, *args):
        sys.stderr.write("apt-proxy: %s %s\n" % (self.client_address[0], fmt % args))
        sys.stderr.flush()

    def refuse(self, why):
        body = ("lifeline CI apt proxy: %s\n" % why).encode()
        self.send_response(403, why)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_CONNECT(self):
        self.close_connection = True
        self.refuse("CONNECT is not allowed")

    def do_POST(self):
        self.close_connection = True
        self.refuse("only GET and HEAD are allowed")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.scheme != "http" or url.hostname not in self.allowed or url.port not in (None, 80):
            self.refuse("%s is not a Debian package registry this proxy allows" % (url.hostname or self.path))
            return
        path = url.path + ("?" + url.query if url.query else "")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            upstream = http.client.HTTPConnection(url.hostname, 80, timeout=60)
            upstream.request(self.command, path, headers=headers)
            resp = upstream.getresponse()
        except OSError as e:
            self.send_error(502, "upstream %s: %s" % (url.hostname, e))
            return
        length = resp.getheader("Content-Length")
        self.send_response(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP_BY_HOP:
                self.send_header(k, v)
        if length is None and self.command != "HEAD" and resp.status not in (204, 304):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        try:
            while self.command != "HEAD":
                chunk = resp.read(65536)
                if not chunk:
                    break
                self.wfile.write(chunk)
        finally:
            upstream.close()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen", required=True)
    p.add_argument("--allow", action="append", required=True)
    a = p.parse_args()
    host, port = a.listen.rsplit(":", 1)
    Proxy.allowed = frozenset(a.allow)
    Server((host, int(port)), Proxy).serve_forever()


if __name__ == "__main__":
    main()
