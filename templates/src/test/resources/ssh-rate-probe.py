"""Counts how many TCP connections to PORT get through from each source address, in a row, inside a network
namespace that has the bastion's nftables rules loaded. A listener on every address stands in for sshd: the rule
under test acts on the SYN, before any program sees it. Prints one JSON object: {source: connections accepted}."""
import json
import socket
import sys

port, attempts = int(sys.argv[1]), int(sys.argv[2])
sources = sys.argv[3:]

listener = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("::", port))
listener.listen(1024)

accepted = {}
for source in sources:
    family = socket.AF_INET6 if ":" in source else socket.AF_INET
    target = "::1" if family == socket.AF_INET6 else "127.0.0.1"
    ok = 0
    for _ in range(attempts):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(0.3)  # a dropped SYN is retried by the kernel after 1 s: well after this
        try:
            s.bind((source, 0))
            s.connect((target, port))
            ok += 1
        except OSError:
            pass
        finally:
            s.close()
    accepted[source] = ok
print(json.dumps(accepted))
