#!/usr/bin/env python3
"""record.py - record an MLLP listener's answer to what probes/hl7.c sends.

Run it in the lab's scanner namespace only, against the lab's h10:

  VIGIE_LAB_PREFIX=v2 tests/lab/lab.sh exec \
      python3 tests/transcripts/hl7/record.py 198.51.100.100 2575 OUT.bin

It sends the probe's empty MLLP block, <VT><FS><CR>, and saves every byte
that comes back, unprocessed, up to the first <FS><CR> (the listener keeps
the connection open), or until it closes or 5 s pass.
"""
import socket
import sys


def main():
    host, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sock = socket.create_connection((host, port), timeout=5)
    sock.sendall(b"\x0b\x1c\x0d")
    got = b""
    try:
        while b"\x1c\x0d" not in got:
            data = sock.recv(65536)
            if not data:
                break
            got += data
    except socket.timeout:
        pass
    sock.close()
    open(out, "wb").write(got)
    print("%s:%d: %d bytes" % (host, port, len(got)))


if __name__ == "__main__":
    main()
