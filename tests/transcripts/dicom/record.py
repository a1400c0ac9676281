#!/usr/bin/env python3
"""record.py - record a DICOM server's answer to what probes/dicom.c sends.

Run it in the lab's scanner namespace only, against the lab's h10:

  VIGIE_LAB_PREFIX=v2 tests/lab/lab.sh exec \
      python3 tests/transcripts/dicom/record.py 198.51.100.100 104 OUT.bin

It sends the probe's A-ASSOCIATE-RQ (called AE "VIGIE-PROBE", calling AE
"VIGIE", Verification with Implicit VR Little Endian, Vigie's
implementation class UID and version name), and after an A-ASSOCIATE-AC
the probe's A-RELEASE-RQ; it saves every byte the server sent, unprocessed,
until the server closes or the release is answered.  With --request FILE it
also writes the A-ASSOCIATE-RQ itself (tests/unit/test_dicom.c checks that
the probe writes exactly these bytes).
"""
import socket
import struct
import sys

CALLED, CALLING = b"VIGIE-PROBE", b"VIGIE"
IMPL_CLASS_UID = b"2.25.18451495095441243138843996326778368510"
IMPL_VERSION = b"VIGIE_0.1.0"
MAX_PDU = 16384


def item(t, value):
    return struct.pack(">BBH", t, 0, len(value)) + value


def associate_rq():
    pc = bytes([1, 0, 0, 0]) + item(0x30, b"1.2.840.10008.1.1") + \
        item(0x40, b"1.2.840.10008.1.2")
    ui = item(0x51, struct.pack(">I", MAX_PDU)) + \
        item(0x52, IMPL_CLASS_UID) + item(0x55, IMPL_VERSION)
    body = struct.pack(">HH", 1, 0) + CALLED.ljust(16) + CALLING.ljust(16) + \
        bytes(32) + item(0x10, b"1.2.840.10008.3.1.1.1") + item(0x20, pc) + \
        item(0x50, ui)
    return struct.pack(">BBI", 1, 0, len(body)) + body


def read_pdu(sock, got):
    """Read one PDU into `got`; return its type, or None at EOF."""
    while True:
        if len(got) >= 6:
            n = struct.unpack(">I", got[2:6])[0]
            if len(got) >= 6 + n:
                t = got[0]
                return t, got[6 + n:]
        data = sock.recv(65536)
        if not data:
            return None, got
        record.extend(data)
        got += data


record = bytearray()


def main():
    args = sys.argv[1:]
    req = None
    if len(args) >= 2 and args[0] == "--request":
        req, args = args[1], args[2:]
    host, port, out = args[0], int(args[1]), args[2]
    rq = associate_rq()
    if req:
        open(req, "wb").write(rq)
    sock = socket.create_connection((host, port), timeout=5)
    sock.sendall(rq)
    t, rest = read_pdu(sock, b"")
    if t == 0x02:
        sock.sendall(struct.pack(">BBI", 5, 0, 4) + bytes(4))
        read_pdu(sock, rest)
    else:
        try:
            while sock.recv(65536):
                pass
        except socket.timeout:
            pass
    sock.close()
    open(out, "wb").write(record)
    print("%s:%d: %d bytes, first PDU type %s" % (host, port, len(record), t))


if __name__ == "__main__":
    main()
