#!/usr/bin/env python3
"""record.py - record what the lab's VPN servers answer, for the unit tests.

Run inside the lab's scanner namespace (tests/lab/lab.sh exec python3 ...):

  record.py pcap FILE.pcap SPORT OUT     the payloads of the UDP datagrams
                                         from port SPORT in a capture, in
                                         order, one after the other
  record.py ike-refused HOST OUTDIR      an IKEv2 IKE_SA_INIT and an IKEv1
                                         Main Mode offering DES only; the
                                         answers (refusals) to OUTDIR
  record.py openvpn HOST PORT udp|tcp OUT
                                         the OpenVPN probe's hard reset;
                                         what comes back within 2 s
  record.py written IKEDIR OPENVPNDIR    the WRITTEN transcripts (see the
                                         READMEs), built from the RFCs

The requests are the probe's own (probes/ike.c, probes/openvpn.c) where
they matter: the initiator SPI or session id the answer echoes.
"""
import socket
import struct
import sys


def pcap_payloads(path, sport):
    out = b""
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        linktype = struct.unpack(endian + "I", hdr[20:24])[0]
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            incl = struct.unpack(endian + "IIII", rec)[2]
            pkt = f.read(incl)
            if linktype == 1:           # Ethernet
                pkt = pkt[14:]
            elif linktype == 113:       # Linux cooked
                pkt = pkt[16:]
            if len(pkt) < 20 or pkt[0] >> 4 != 4 or pkt[9] != 17:
                continue
            ihl = (pkt[0] & 15) * 4
            udp = pkt[ihl:]
            sp, dp, ulen = struct.unpack(">HHH", udp[:6])
            if sp == sport:
                out += udp[8:ulen]
    return out


def ike_v2_des_only(spi):
    def transform(last, ttype, tid):
        return struct.pack(">BBHBBH", 0 if last else 3, 0, 8, ttype, 0, tid)
    xf = (transform(False, 1, 2) + transform(False, 2, 2) +
          transform(False, 3, 2) + transform(True, 4, 2))
    prop = struct.pack(">BBHBBBB", 0, 0, 8 + len(xf), 1, 1, 0, 4) + xf
    sa = struct.pack(">BBH", 34, 0, 4 + len(prop)) + prop
    ke = struct.pack(">BBHHH", 40, 0, 8 + 128, 2, 0) + bytes(127) + b"\x02"
    nonce = struct.pack(">BBH", 0, 0, 4 + 32) + b"Vigie exposure audit, no secret\0"
    body = sa + ke + nonce
    return spi + bytes(8) + struct.pack(">BBBBII", 33, 0x20, 34, 0x08, 0,
                                        28 + len(body)) + body


def ike_v1_des_only(cookie):
    attrs = b"".join(struct.pack(">HH", 0x8000 | t, v) for t, v in
                     ((1, 1), (2, 1), (3, 1), (4, 1)))
    xf = struct.pack(">BBHBBH", 0, 0, 8 + len(attrs), 1, 1, 0) + attrs
    prop = struct.pack(">BBHBBBB", 0, 0, 8 + len(xf), 1, 1, 0, 1) + xf
    sa = struct.pack(">BBHII", 0, 0, 12 + len(prop), 1, 1) + prop
    return cookie + bytes(8) + struct.pack(">BBBBII", 1, 0x10, 2, 0, 0,
                                           28 + len(sa)) + sa


def udp_exchange(host, port, data, wait=2.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(wait)
    s.connect((host, port))
    s.send(data)
    out = b""
    try:
        while True:
            out += s.recv(65536)
    except (socket.timeout, ConnectionRefusedError):
        pass
    s.close()
    return out


def tcp_exchange(host, port, data, wait=2.0):
    s = socket.create_connection((host, port), timeout=wait)
    s.sendall(data)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return out


def v1_msg(cookie, exch, payloads, flags=0, rcookie=b"\x11" * 8, msgid=0):
    """An IKEv1 message: payloads is a list of (type, body)."""
    body = b""
    for i, (ptype, pbody) in enumerate(payloads):
        nxt = payloads[i + 1][0] if i + 1 < len(payloads) else 0
        body += struct.pack(">BBH", nxt, 0, 4 + len(pbody)) + pbody
    first = payloads[0][0] if payloads else 0
    return cookie + rcookie + struct.pack(">BBBBII", first, 0x10, exch,
                                          flags, msgid, 28 + len(body)) + body


def v2_msg(spi, payloads, exch=34, rspi=b"\x22" * 8):
    body = b""
    for i, (ptype, pbody) in enumerate(payloads):
        nxt = payloads[i + 1][0] if i + 1 < len(payloads) else 0
        body += struct.pack(">BBH", nxt, 0, 4 + len(pbody)) + pbody
    first = payloads[0][0] if payloads else 0
    return spi + rspi + struct.pack(">BBBBII", first, 0x20, exch, 0x20, 0,
                                    28 + len(body)) + body


def v1_sa(enc, keylen, hsh, auth, group):
    attrs = [(1, enc)] + ([(14, keylen)] if keylen else []) + \
        [(2, hsh), (3, auth), (4, group), (11, 1)]
    a = b"".join(struct.pack(">HH", 0x8000 | t, v) for t, v in attrs)
    a += struct.pack(">HHI", 12, 4, 28800)         # life, TLV form
    xf = struct.pack(">BBHBBH", 0, 0, 8 + len(a), 1, 1, 0) + a
    prop = struct.pack(">BBHBBBB", 0, 0, 8 + len(xf), 1, 1, 0, 1) + xf
    return struct.pack(">II", 1, 1) + prop


def v1_notify(ntype):
    return struct.pack(">IBBH", 1, 1, 0, ntype)


def v2_sa(transforms, num=1):
    xf = b""
    for i, (ttype, tid, keylen) in enumerate(transforms):
        attr = struct.pack(">HH", 0x800e, keylen) if keylen else b""
        xf += struct.pack(">BBHBBH", 3 if i + 1 < len(transforms) else 0,
                          0, 8 + len(attr), ttype, 0, tid) + attr
    return struct.pack(">BBHBBBB", 0, 0, 8 + len(xf), num, 1, 0,
                       len(transforms)) + xf


def v2_notify(ntype, data=b""):
    return struct.pack(">BBH", 0, 0, ntype) + data


def h(x):
    return bytes.fromhex(x)


def written(ike, ovpn):
    V1, W1, A1 = b"Vigie-v1", b"Vigie-w1", b"Vigie-a1"
    V2, W2 = b"Vigie-v2", b"Vigie-w2"
    files = {}
    # A Cisco ASA as widely recorded: IKEv1 only, XAUTH with a group
    # pre-shared key, 3DES/SHA1/MODP-1024, aggressive mode disabled.
    files[ike + "/cisco-asa-v1.bin"] = (
        v1_msg(V1, 2, [(1, v1_sa(5, 0, 2, 65001, 2)),
                       (13, h("12f5f28c457168a9702d9fe274cc0100")),
                       (13, h("09002689dfd6b712")),
                       (13, h("afcad71368a1f1c96b8696fc77570100")),
                       (13, h("4048b7d56ebce88525e7de7f00d6c2d380000000")),
                       (13, h("1f07f70eaa6514d3b0fa96542a500101")),
                       (13, h("d4e1b2c3a5968778695a4b3c2d1e0f00"))]) +
        v1_msg(W1, 2, [(1, v1_sa(5, 0, 2, 1, 2)),
                       (13, h("12f5f28c457168a9702d9fe274cc0100"))]))
    # Windows Server (RRAS): IKEv1 with certificates, weak suites and
    # aggressive mode refused in words, IKEv2 silent.
    files[ike + "/windows-v1.bin"] = (
        v1_msg(V1, 2, [(1, v1_sa(7, 256, 4, 3, 14)),
                       (13, h("1e2b516905991c7d7c96fcbfb587e46100000009")),
                       (13, h("fb1de3cdf341b7ea16b7e5be0855f120")),
                       (13, h("26244d38eddb61b3172a36e3d0cfb819")),
                       (13, h("e3a5966a76379fe707228231e5ce8652"))]) +
        v1_msg(W1, 5, [(11, v1_notify(14))], msgid=0x1234) +
        v1_msg(A1, 5, [(11, v1_notify(14))], msgid=0x5678))
    # Aggressive mode answered with signatures: no pre-shared key hash.
    files[ike + "/aggressive-sig.bin"] = v1_msg(A1, 4, [
        (1, v1_sa(7, 128, 2, 3, 2)), (4, bytes(127) + b"\x05"),
        (10, b"N" * 20), (5, struct.pack(">BBH", 1, 17, 500) + h("cb007109")),
        (9, b"S" * 64)])
    # An encrypted IKEv1 message (E flag): nothing to read in it.
    files[ike + "/v1-encrypted.bin"] = v1_msg(V1, 5, [(8, b"\xaa" * 20)],
                                              flags=1, msgid=7)
    # IKEv2 with AEAD and more vendor IDs than the probe keeps; Cisco IOS
    # sends its VIDs as text.
    vids = [(43, b"CISCO(COPYRIGHT)&Copyright (c) 2009 Cisco Systems, Inc."),
            (43, b"FLEXVPN-SUPPORTED"), (43, bytes(range(40)))]
    vids += [(43, bytes([i]) * 16) for i in range(1, 18)]
    files[ike + "/many-vids.bin"] = v2_msg(V2, [
        (33, v2_sa([(1, 20, 256), (2, 6, 0), (4, 19, 0)])),
        (34, struct.pack(">HH", 19, 0) + b"K" * 64), (40, b"n" * 32)] + vids)
    # INVALID_KE_PAYLOAD: a group we cannot send (MODP_8192), and for the
    # weak offer a weak one (MODP_1536).
    files[ike + "/invalid-ke.bin"] = (
        v2_msg(V2, [(41, v2_notify(17, struct.pack(">H", 18)))],
               rspi=bytes(8)) +
        v2_msg(W2, [(41, v2_notify(17, struct.pack(">H", 5)))],
               rspi=bytes(8)))
    # Malformed: the proposal says it runs past its SA payload.
    bad = bytearray(v2_msg(V2, [(33, v2_sa([(1, 12, 128), (2, 5, 0),
                                              (3, 12, 0), (4, 14, 0)]))]))
    bad[28 + 4 + 2:28 + 4 + 4] = struct.pack(">H", 0x0400)
    files[ike + "/bad-proposal-length.bin"] = bytes(bad)
    # An answer to somebody else's SPI, and bytes that are not IKE.
    files[ike + "/not-ours.bin"] = v2_msg(b"Somebody", [(41, v2_notify(14))],
                                          rspi=bytes(8))
    files[ike + "/not-ike.bin"] = h("1d2a8180000100010000000003777777"
                                    "076578616d706c65036f726700000100"
                                    "01c00c0001000100000e10000404")
    # OpenVPN.
    sid = h("4026a0f1c2d3e4f5")[1:] + b"\x01"
    ours = b"VigieOVP"
    files[ovpn + "/openvpn-v1-server-reset.bin"] = (
        b"\x10" + sid + b"\x01" + bytes(4) + ours + bytes(4))
    files[ovpn + "/openvpn-other-session.bin"] = (
        b"\x40" + sid + b"\x01" + bytes(4) + b"Someone!" + bytes(4))
    files[ovpn + "/openvpn-data-v2.bin"] = b"\x48\x00\x00\x01" + b"D" * 40
    files[ovpn + "/openvpn-ack-overflow.bin"] = (
        b"\x40" + sid + b"\x09" + bytes(36) + ours + bytes(4))
    files[ovpn + "/openvpn-reset-with-payload.bin"] = (
        b"\x40" + sid + b"\x01" + bytes(4) + ours + bytes(4) +
        h("1603010000"))
    files[ovpn + "/openvpn-tcp-bad-length.bin"] = b"\x00\x05\x40" + sid
    files[ovpn + "/http-400.bin"] = (b"HTTP/1.1 400 Bad Request\r\n"
                                     b"Content-Length: 0\r\n\r\n")
    for path, data in files.items():
        open(path, "wb").write(data)


def main():
    cmd = sys.argv[1]
    if cmd == "pcap":
        data = pcap_payloads(sys.argv[2], int(sys.argv[3]))
        open(sys.argv[4], "wb").write(data)
    elif cmd == "ike-refused":
        host, outdir = sys.argv[2], sys.argv[3]
        open(outdir + "/strongswan-v2-no-proposal.bin", "wb").write(
            udp_exchange(host, 500, ike_v2_des_only(b"Vigie-v2")))
        open(outdir + "/strongswan-v1-no-proposal.bin", "wb").write(
            udp_exchange(host, 500, ike_v1_des_only(b"Vigie-v1")))
    elif cmd == "openvpn":
        host, port, proto, out = sys.argv[2], int(sys.argv[3]), \
            sys.argv[4], sys.argv[5]
        reset = b"\x38VigieOVP\x00\x00\x00\x00\x00"
        if proto == "tcp":
            data = tcp_exchange(host, port, struct.pack(">H", 14) + reset)
        else:
            data = udp_exchange(host, port, reset)
        open(out, "wb").write(data)
    elif cmd == "written":
        written(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: see the comment at the top")


if __name__ == "__main__":
    main()
