#!/usr/bin/env python3
"""record.py - record what the lab's RDP servers send to the RDP probe.

Run inside the lab's scanner namespace, never elsewhere:

    VIGIE_LAB_PREFIX=v5 tests/lab/lab.sh exec \
        python3 tests/transcripts/rdp/record.py NAME IP PORT OUTDIR

For each of the probe's three offers (Standard RDP Security alone, TLS
alone, TLS or CredSSP) it opens one connection, sends the 19-byte X.224
Connection Request the probe sends and writes what the server sent back
until it closed or fell silent for a second, to OUTDIR/NAME-offer-OFFER.bin.
When the server selects TLS or CredSSP, the connection is upgraded to TLS
and the certificate written to NAME-cert.der; when it selects CredSSP, a
TSRequest carrying the probe's NTLM NEGOTIATE is sent and the server's
answer (the TLS payload, decrypted) written to NAME-credssp.bin.  Nothing
else is sent: no AUTHENTICATE message, no credential.
"""
import socket
import ssl
import struct
import sys

OFFERS = {"standard": 0x0, "tls": 0x1, "credssp": 0x1 | 0x2 | 0x8}

# MS-NLMP 2.2.1.1 NEGOTIATE_MESSAGE, as probes/ntlm.c builds it.
NTLM_NEGOTIATE = (b"NTLMSSP\0" + struct.pack("<II", 1, 0xE2088297) +
                  b"\0" * 24)


def cr(requested):
    return bytes([3, 0, 0, 19, 14, 0xE0, 0, 0, 0, 0, 0, 1, 0, 8, 0]) + \
        struct.pack("<I", requested)


def der(tag, body):
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    if n < 0x100:
        return bytes([tag, 0x81, n]) + body
    return bytes([tag, 0x82, n >> 8, n & 0xFF]) + body


def tsrequest(token):
    """MS-CSSP 2.2.1: version 6 and one negoToken."""
    version = der(0xA0, der(0x02, b"\x06"))
    nego = der(0xA1, der(0x30, der(0x30, der(0xA0, der(0x04, token)))))
    return der(0x30, version + nego)


def read_all(sock, limit=65536):
    out = b""
    sock.settimeout(1.0)
    try:
        while len(out) < limit:
            b = sock.recv(4096)
            if not b:
                break
            out += b
    except (socket.timeout, ConnectionResetError):
        pass
    return out


def read_tpkt(sock):
    sock.settimeout(3.0)
    out = b""
    while len(out) < 4 or len(out) < struct.unpack(">H", out[2:4])[0]:
        b = sock.recv(4096)
        if not b:
            break
        out += b
    return out


def read_der(sock):
    """One DER element (a TSRequest), or what came before a close."""
    out = b""
    sock.settimeout(3.0)
    while True:
        try:
            b = sock.recv(4096)
        except (socket.timeout, ConnectionResetError, ssl.SSLError):
            break
        if not b:
            break
        out += b
        if len(out) >= 2:
            n = out[1]
            if n < 0x80:
                need = 2 + n
            else:
                k = n & 0x7F
                if len(out) < 2 + k:
                    continue
                need = 2 + k + int.from_bytes(out[2:2 + k], "big")
            if len(out) >= need:
                break
    return out


def main():
    name, ip, port, outdir = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        sys.argv[4]
    for offer, requested in OFFERS.items():
        s = socket.create_connection((ip, port), timeout=3)
        s.sendall(cr(requested))
        cc = read_tpkt(s)
        selected = None
        if len(cc) >= 19 and cc[11] == 2:
            selected = struct.unpack("<I", cc[15:19])[0]
        if selected in (1, 2, 8):
            data = cc
        else:
            data = cc + read_all(s)
        with open(f"{outdir}/{name}-offer-{offer}.bin", "wb") as f:
            f.write(data)
        print(f"{name}-offer-{offer}.bin: {data.hex()}")
        if selected in (1, 2, 8):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.set_ciphers("ALL:@SECLEVEL=0")
            t = ctx.wrap_socket(s)
            with open(f"{outdir}/{name}-cert.der", "wb") as f:
                f.write(t.getpeercert(binary_form=True))
            if selected in (2, 8):
                t.sendall(tsrequest(NTLM_NEGOTIATE))
                answer = read_der(t)
                with open(f"{outdir}/{name}-credssp.bin", "wb") as f:
                    f.write(answer)
                print(f"{name}-credssp.bin: {answer.hex()}")
            t.close()
        else:
            s.close()


if __name__ == "__main__":
    main()
