"""The lab's small servers, one per role, each run by ci/lab.sh inside a namespace:

  twilio     Twilio's Messages API stand-in: 201 + {"sid","status"} and one JSON line per Body in a log;
             answers 500 while the switch file exists.
  identity   the ISP-identity endpoint (Cloudflare /meta shape, ISP chosen by the caller's source subnet; a
             switch file makes the backup's answer wrong) and the speed endpoint (/__down?bytes=N).
  ec2proxy   a counting proxy in front of moto: logs every EC2 Action (StartInstances, StopInstances, …) it forwards.
  controller the bastion VM's power: polls moto; when the instance turns running, runs a start command after a boot
             delay, when it turns stopped, a stop command (ci/lab.sh: sshd and nginx in the booted machine).
  linkem     the backup line's delay, rate and loss where the kernel has no sch_netem (a tun device).
  home       the home web service.
  client     requests through the bastion's nginx at a steady pace; counts ok and failed.

Python 3 standard library only, except the controller, which uses boto3 from moto's venv.
"""
import http.server
import json
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def append_line(path, record):
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
        f.flush()


def serve(host, port, handler):
    Server((host, int(port)), handler).serve_forever()


# --- twilio -------------------------------------------------------------------------------------------------
def twilio(host, port, log, fail_switch, cert="", key=""):
    """Twilio's Messages API; with cert and key over TLS (the bastion's own SMS reach api.twilio.com on 443)."""
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        counter = [0]

        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8", "replace")
            form = urllib.parse.parse_qs(body)
            if os.path.exists(fail_switch):
                append_line(log + ".refused", {"t": time.time(), "body": form.get("Body", [""])[0]})
                self.answer(500, {"code": 20500, "message": "lab: internal server error", "status": 500})
                return
            if not self.path.startswith("/2010-04-01/Accounts/") or not self.path.endswith("/Messages.json"):
                self.answer(404, {"code": 20404, "message": "not found", "status": 404})
                return
            H.counter[0] += 1
            sid = "SM%032x" % (int(time.time() * 1000) * 1000 + H.counter[0])
            append_line(log, {"t": time.time(), "to": form.get("To", [""])[0], "body": form.get("Body", [""])[0]})
            self.answer(201, {"sid": sid, "status": "queued", "to": form.get("To", [""])[0], "body": form.get("Body", [""])[0]})

        def answer(self, code, doc):
            data = json.dumps(doc).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    if not cert:
        serve(host, port, H)
        return
    import ssl
    server = Server((host, int(port)), H)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


# --- identity + speed -----------------------------------------------------------------------------------------
ISPS = {  # source subnet prefix -> (asOrganization, asn)
    "198.18.1.": ("Lab Fiber GmbH", 64501),
    "198.18.2.": ("Lab Mobile Networks", 64502),
}


def identity(host, port, wrong_switch):
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            ip = self.client_address[0]
            url = urllib.parse.urlparse(self.path)
            if url.path == "/meta":
                org, asn = next((v for k, v in ISPS.items() if ip.startswith(k)), ("Unknown Lab ISP", 64999))
                if os.path.exists(wrong_switch) and ip.startswith("198.18.2."):
                    org, asn = ("Wrong Roaming Partner", 64666)
                data = json.dumps({"asOrganization": org, "asn": asn, "clientIp": ip, "colo": "LAB"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            elif url.path == "/__down":
                n = int(urllib.parse.parse_qs(url.query).get("bytes", ["1000000"])[0])
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(n))
                self.end_headers()
                chunk = os.urandom(65536)
                try:
                    while n > 0:
                        k = min(n, len(chunk))
                        self.wfile.write(chunk[:k])
                        n -= k
                except (BrokenPipeError, ConnectionResetError):
                    pass
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

    serve(host, port, H)


# --- the backup line's emulator -------------------------------------------------------------------------------
def linkem(tun, delay_ms, rate_bps, loss_pct, limit="1000"):
    """`tc netem delay D rate R loss L limit N` in user space, for kernels without sch_netem (Firecracker guests):
    every packet the router sends into the tun device comes back out of it `delay_ms` later, after waiting its
    turn on a line of `rate_bps` bit/s; `loss_pct` percent are dropped at random, and a packet that finds `limit`
    packets queued is dropped (netem's defaults). The router's policy rules decide which packets take this path,
    so switching the emulation on or off is an `ip rule`, not a restart."""
    import collections
    import fcntl
    import random
    import select
    import struct
    tunsetiff, iff_tun, iff_no_pi = 0x400454CA, 0x0001, 0x1000
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, tunsetiff, struct.pack("16sH", tun.encode(), iff_tun | iff_no_pi))
    os.set_blocking(fd, False)
    delay, rate, loss, limit = float(delay_ms) / 1000.0, float(rate_bps), float(loss_pct) / 100.0, int(limit)
    queue = collections.deque()  # (due, packet); due never decreases, so the head is always the next to leave
    line_free_at = 0.0
    counts = {"passed": 0, "lost": 0, "overflow": 0}
    reported, last = time.monotonic(), dict(counts)
    print("linkem on %s: delay %s ms, rate %s bit/s, loss %s %%, limit %d" % (tun, delay_ms, rate_bps, loss_pct, limit),
          flush=True)
    while True:
        wait = max(0.0, queue[0][0] - time.monotonic()) if queue else 5.0
        readable, _, _ = select.select([fd], [], [], wait)
        if readable:
            for _ in range(256):  # a burst at a time; bounded so the departures below are not starved
                try:
                    packet = os.read(fd, 65536)
                except BlockingIOError:
                    break
                now = time.monotonic()
                if loss > 0 and random.random() < loss:
                    counts["lost"] += 1
                elif len(queue) >= limit:
                    counts["overflow"] += 1
                else:
                    start = max(now, line_free_at)
                    line_free_at = start + (len(packet) * 8 / rate if rate > 0 else 0.0)
                    queue.append((line_free_at + delay, packet))
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            os.write(fd, queue.popleft()[1])
            counts["passed"] += 1
        if now - reported >= 10 and counts != last:
            print("linkem: passed %(passed)d, lost %(lost)d, dropped on a full queue %(overflow)d" % counts, flush=True)
            reported, last = now, dict(counts)


# --- counting EC2 proxy ---------------------------------------------------------------------------------------
def ec2proxy(host, port, upstream, log):
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", ["?"])[0]
            append_line(log, {"t": time.time(), "action": action})
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "expect", "connection")}
            req = urllib.request.Request(upstream + self.path, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    code, data, ctype = r.status, r.read(), r.headers.get("Content-Type", "text/xml")
            except urllib.error.HTTPError as e:
                code, data, ctype = e.code, e.read(), e.headers.get("Content-Type", "text/xml")
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    serve(host, port, H)


# --- the bastion VM -------------------------------------------------------------------------------------------
def controller(endpoint, instance_id, boot_delay, start_cmd, stop_cmd, log):
    """The bastion VM's power, driven by moto's instance state: START_CMD runs boot_delay s after the instance turns
    running, STOP_CMD when it turns stopped. The machine is up when this starts (it was just booted)."""
    import boto3
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="eu-central-1")
    up = [True]

    def note(msg):
        append_line(log, {"t": time.time(), "event": msg})

    def run(cmd, what):
        try:
            r = subprocess.run(["/bin/sh", "-c", cmd], capture_output=True, text=True, timeout=60)
            note(what + ("" if r.returncode == 0 else " FAILED (exit %d): %s" % (r.returncode, (r.stdout + r.stderr).strip()[-500:])))
        except subprocess.TimeoutExpired:
            note(what + " FAILED: no answer in 60 s")

    def on_term(*_):
        sys.exit(0)   # the machine itself is the lab's to stop (ci/bastion-boot.sh stop)

    signal.signal(signal.SIGTERM, on_term)
    last = None
    boot_at = None
    deadline = time.time() + 3600  # bounded: the lab never runs an hour
    while time.time() < deadline:
        try:
            r = ec2.describe_instances(InstanceIds=[instance_id])
            state = r["Reservations"][0]["Instances"][0]["State"]["Name"]
        except Exception as e:  # moto not up yet, or going away
            state = "unknown"
        if state != last:
            note("instance " + state)
            if state in ("running", "pending"):
                boot_at = time.time() + float(boot_delay)
            elif state in ("stopping", "stopped", "terminated"):
                boot_at = None
                if up[0]:
                    run(stop_cmd, "bastion services stopped")
                    up[0] = False
            last = state
        if boot_at is not None and time.time() >= boot_at and not up[0]:
            run(start_cmd, "bastion services started")
            up[0] = True
            boot_at = None
        time.sleep(0.3)


def ec2(endpoint, command, instance_id=""):
    """Set-up and reset, straight to moto (not through the counting proxy): make the instance, stop it, read it."""
    import boto3
    c = boto3.client("ec2", endpoint_url=endpoint, region_name="eu-central-1")
    if command == "create":
        image = c.describe_images()["Images"][0]["ImageId"]
        i = c.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t4g.nano")["Instances"][0]["InstanceId"]
        c.stop_instances(InstanceIds=[i])
        print(i)
    elif command == "stop":
        c.stop_instances(InstanceIds=[instance_id])
    elif command == "state":
        print(c.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["State"]["Name"])


# --- home service and web client ------------------------------------------------------------------------------
def home(host, port):
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            data = b"hello from home\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    serve(host, port, H)


def client(url, seconds, pace, timeout, out):
    """Requests during `seconds`, one every `pace` s, each on its own thread so a stalled one does not hold up
    the next; a request counts failed unless it gets 200 with the home's page within `timeout`."""
    import ssl
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    results = []
    lock = threading.Lock()

    def one():
        start = time.time()
        ok = False
        try:
            with urllib.request.urlopen(url, timeout=float(timeout), context=ctx) as r:
                ok = r.status == 200 and b"hello from home" in r.read()
        except Exception:
            ok = False
        with lock:
            results.append((ok, time.time() - start))

    threads = []
    end = time.time() + float(seconds)
    while time.time() < end:
        t = threading.Thread(target=one, daemon=True)
        t.start()
        threads.append(t)
        time.sleep(float(pace))
    for t in threads:
        t.join(float(timeout) + 5)
    ok = sum(1 for r in results if r[0])
    slowest = max((r[1] for r in results), default=0)
    with open(out, "w") as f:
        json.dump({"sent": len(threads), "ok": ok, "failed": len(threads) - ok, "slowest": round(slowest, 2)}, f)


# --- command line: one subcommand per role, its positional arguments those of the role's function -------------
ROLES = {
    "twilio": (twilio, "Twilio's Messages API stand-in"),
    "identity": (identity, "the ISP-identity and speed endpoint"),
    "ec2proxy": (ec2proxy, "a counting proxy in front of moto"),
    "controller": (controller, "the bastion VM's power, following moto's instance state"),
    "linkem": (linkem, "delay, rate and loss in user space through a tun device"),
    "home": (home, "the home web service"),
    "client": (client, "requests through the bastion at a steady pace"),
    "ec2": (ec2, "set-up straight at moto: create | stop ID | state ID"),
}


def main(argv):
    import argparse
    import inspect
    parser = argparse.ArgumentParser(prog="labnet.py", description=__doc__.split("\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    roles = parser.add_subparsers(dest="role", required=True, metavar="ROLE")
    for name, (fn, summary) in ROLES.items():
        sub = roles.add_parser(name, help=summary, description=summary)
        for p in inspect.signature(fn).parameters.values():
            if p.default is inspect.Parameter.empty:
                sub.add_argument(p.name)
            else:
                sub.add_argument(p.name, nargs="?", default=p.default)
    args = vars(parser.parse_args(argv))
    fn = ROLES[args.pop("role")][0]
    fn(**args)


if __name__ == "__main__":
    main(sys.argv[1:])
