#!/usr/bin/env python3
"""written.py - make the MSSQL transcripts (all WRITTEN: see ../README).

No SQL Server runs on Debian, so these are built byte by byte from
[MS-TDS] 2.2.3.1 (packet header: type 0x04 for the server's answer,
status 0x01 end of message, big-endian length) and 2.2.6.5 (PRELOGIN:
option tokens with big-endian offsets, counted from the payload, and
lengths, a 0xFF terminator, then the data; VERSION is major, minor,
big-endian build, sub-build).  Version numbers are public RTM and CU
builds.  Run from this directory: python3 written.py
"""
import struct

VERSION, ENCRYPTION, INSTOPT, THREADID, MARS = 0, 1, 2, 3, 4
TRACEID, FEDAUTH, NONCE = 5, 6, 7


def prelogin(options, ptype=0x04, status=0x01, length=None):
    """options: list of (token, data bytes), in order."""
    table = len(options) * 5 + 1
    head, data = b"", b""
    for token, value in options:
        head += struct.pack(">BHH", token, table + len(data), len(value))
        data += value
    payload = head + b"\xff" + data
    n = 8 + len(payload) if length is None else length
    return struct.pack(">BBHHBB", ptype, status, n, 0, 1, 0) + payload


def version(major, minor, build, sub=0):
    return struct.pack(">BBHH", major, minor, build, sub)


def write(name, data):
    open(name, "wb").write(data)


def usual(major, minor, build, enc, sub=0, extra=()):
    return prelogin([(VERSION, version(major, minor, build, sub)),
                     (ENCRYPTION, bytes([enc])), (INSTOPT, b"\x00"),
                     (THREADID, b""), (MARS, b"\x00")] + list(extra))


sql2019 = usual(15, 0, 2000, 0)
write("sql2019-rtm-encrypt-off.bin", sql2019)
write("sql2008r2-encrypt-on.bin", usual(10, 50, 1600, 1))
write("sql2022-encrypt-req.bin", usual(16, 0, 4135, 3, sub=0))
write("sql2017-fedauth.bin",
      usual(14, 0, 3451, 0, extra=[(FEDAUTH, b"\x01")]))
write("sql2000-not-sup.bin",
      prelogin([(VERSION, version(8, 0, 2039)), (ENCRYPTION, b"\x02")]))
write("future-major-client-cert.bin", usual(20, 0, 100, 0x81, sub=7))
write("truncated.bin", sql2019[:20])
write("truncated-header.bin", sql2019[:5])
bad = bytearray(sql2019)
bad[8 + 1:8 + 3] = struct.pack(">H", 0x200)	# VERSION's offset
write("malformed-offset.bin", bytes(bad))
write("malformed-no-terminator.bin",
      struct.pack(">BBHHBB", 4, 1, 18, 0, 1, 0) +
      struct.pack(">BHH", 0, 5, 0) + b"\x00" * 5)
write("malformed-no-version.bin",
      prelogin([(ENCRYPTION, b"\x00"), (INSTOPT, b"\x00")]))
write("malformed-short-version.bin",
      prelogin([(VERSION, b"\x0f\x00\x07\xd0"), (ENCRYPTION, b"\x00")]))
write("oversized-length.bin", prelogin([(VERSION, version(15, 0, 1))],
                                       length=0xffff))
write("not-mssql-http.bin",
      b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
# [MS-TDS] 4.1's example PRELOGIN request, byte for byte: what a client
# sends (the probe's own differs in ENCRYPTION, THREADID and MARS).
write("spec-4.1-prelogin-request.bin", bytes.fromhex(
    "1201002F0000010000001A000601002000010200210001030022000404002600"
    "01FF0900000000000100B80D000001"))
