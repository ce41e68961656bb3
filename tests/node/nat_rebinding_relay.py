#!/usr/bin/env python3
"""A UDP relay on loopback that plays a NAT which rebinds mid-connection.

    nat_rebinding_relay.py SERVER_PORT REBIND_AFTER_SECONDS LIFETIME_SECONDS

Listens on 127.0.0.1:<free port> (printed as "RELAY <port>"), forwards what
its one client sends to 127.0.0.1:SERVER_PORT from an outbound socket, and
what comes back on that socket to the client. REBIND_AFTER_SECONDS after the
client's first datagram it closes the outbound socket (the old mapping is
gone: late answers to it are lost) and opens a new one on another port,
printing "REBOUND <old port> -> <new port>". It exits after LIFETIME_SECONDS
in any case (bounded), or when killed.
"""
import select
import socket
import sys
import time


def main() -> int:
    server = ("127.0.0.1", int(sys.argv[1]))
    rebind_after = float(sys.argv[2])
    lifetime = float(sys.argv[3])
    inside = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    inside.bind(("127.0.0.1", 0))
    outside = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    outside.bind(("127.0.0.1", 0))
    print(f"RELAY {inside.getsockname()[1]}", flush=True)
    client = None
    first_at = None
    rebound = False
    end = time.monotonic() + lifetime
    while time.monotonic() < end:
        if first_at is not None and not rebound and time.monotonic() >= first_at + rebind_after:
            old = outside.getsockname()[1]
            outside.close()
            outside = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            outside.bind(("127.0.0.1", 0))
            rebound = True
            print(f"REBOUND {old} -> {outside.getsockname()[1]}", flush=True)
        ready, _, _ = select.select([inside, outside], [], [], 0.05)
        for sock in ready:
            data, sender = sock.recvfrom(65535)
            if sock is inside:
                if client is None:
                    client, first_at = sender, time.monotonic()
                if sender == client:
                    outside.sendto(data, server)
            elif client is not None and sender == server:
                inside.sendto(data, client)
    return 0


if __name__ == "__main__":
    sys.exit(main())
