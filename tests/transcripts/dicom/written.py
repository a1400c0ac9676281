#!/usr/bin/env python3
"""written.py - remake the WRITTEN DICOM transcripts (see ../README).

Built byte by byte from DICOM PS3.8 section 9.3 (A-ASSOCIATE-AC, -RJ,
A-ABORT, A-RELEASE-RP) and PS3.7 annex D.3.3.2 (user information), with
implementation names as the named toolkits announce them.  Run from this
directory: python3 written.py
"""
import struct

RP = struct.pack(">BBI", 6, 0, 4) + bytes(4)


def item(t, value):
    return struct.pack(">BBH", t, 0, len(value)) + value


def ac(uid, version, pc_result=0, ts=b"1.2.840.10008.1.2", maxlen=16384,
       called=b"VIGIE-PROBE", calling=b"VIGIE", extra=b""):
    pc = bytes([1, 0, pc_result, 0]) + item(0x40, ts)
    ui = item(0x51, struct.pack(">I", maxlen))
    if uid is not None:
        ui += item(0x52, uid)
    if version is not None:
        ui += item(0x55, version)
    body = struct.pack(">HH", 1, 0) + called.ljust(16) + calling.ljust(16) + \
        bytes(32) + item(0x10, b"1.2.840.10008.3.1.1.1") + extra + \
        item(0x21, pc) + item(0x50, ui)
    return struct.pack(">BBI", 2, 0, len(body)) + body


def rj(result, source, reason):
    return struct.pack(">BBIBBBB", 3, 0, 4, 0, result, source, reason)


def abort(source, reason):
    return struct.pack(">BBIBBBB", 7, 0, 4, 0, 0, source, reason)


def write(name, data):
    open(name, "wb").write(data)


write("dcm4che-5-accepted.bin",
      ac(b"1.2.40.0.13.1.3", b"dcm4che-5.29.2") + RP)
write("pynetdicom-accepted.bin",
      ac(b"1.2.826.0.1.3680043.9.3811.2.0.2", b"PYNETDICOM_202") + RP)
# An unknown vendor that accepts the association but not Verification,
# with an unknown item before the presentation context (skipped).
write("unknown-vendor-no-verification.bin",
      ac(b"1.2.3.4.5.6.7", b"ACME_PACS_4", pc_result=3,
         extra=item(0x60, b"future")) + RP)
# DCMTK's UID only, padded with a NUL (some stacks pad to even length).
write("uid-only-padded.bin",
      ac(b"1.2.276.0.7230010.3.0.3.6.4\x00", None) + RP)
# A server that never answers the release.
write("accepted-no-release.bin",
      ac(b"1.2.276.0.7230010.3.0.3.6.7", b"OFFIS_DCMTK_367"))
# A 200-byte version name and UID: recorded cut to 16 and 64 bytes.
write("huge-names.bin", ac(b"1." * 100, b"V" * 200) + RP)
write("rejected-calling-ae.bin", rj(1, 1, 3))
write("rejected-transient-congestion.bin", rj(2, 3, 1))
write("rejected-unknown-reason.bin", rj(1, 1, 9))
write("abort-provider.bin", abort(2, 2))
write("abort-user.bin", abort(0, 0))
storescp = open("dcmtk-3.6.7-storescp-accepted.bin", "rb").read()
write("truncated-ac.bin", storescp[:100])
write("truncated-header.bin", storescp[:4])
# An item whose length runs past the PDU.
bad = bytearray(ac(b"1.2.3", b"X"))
bad[74 + 2:74 + 4] = struct.pack(">H", 0x400)
write("malformed-ac-item.bin", bytes(bad))
write("malformed-rj-length.bin", struct.pack(">BBI", 3, 0, 8) + bytes(8))
write("oversized-pdu.bin", struct.pack(">BBI", 2, 0, 0x7FFFFFFF) + bytes(64))
write("not-dicom-http.bin",
      b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
write("echo-rq.bin", open("client-associate-rq.bin", "rb").read())
