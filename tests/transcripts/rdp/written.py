#!/usr/bin/env python3
"""written.py - write the WRITTEN RDP transcripts of this folder.

    python3 tests/transcripts/rdp/written.py tests/transcripts/rdp

Servers that are not in the lab (Windows) are built byte by byte from
MS-RDPBCGR 2.2.1.2 (Connection Confirm), MS-CSSP 2.2.1 (TSRequest, DER)
and MS-NLMP 2.2.1.2 (CHALLENGE_MESSAGE), with documentation names; the
truncated and malformed CredSSP answers are cut from, or variations of,
the captured FreeRDP one.  Runs nothing on the network.
"""
import struct
import sys


def cc(src_ref, neg_type, flags, value):
    """A Connection Confirm with a negotiation block."""
    return bytes([3, 0, 0, 19, 14, 0xD0, 0, 0]) + \
        struct.pack(">H", src_ref) + bytes([0, neg_type, flags]) + \
        struct.pack("<HI", 8, value)


def der(tag, body):
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    if n < 0x100:
        return bytes([tag, 0x81, n]) + body
    return bytes([tag, 0x82, n >> 8, n & 0xFF]) + body


def tsrequest(version, token=None, error=None, extra=b""):
    body = der(0xA0, der(0x02, bytes([version])))
    if token is not None:
        body += der(0xA1, der(0x30, der(0x30, der(0xA0, der(0x04, token)))))
    if error is not None:
        body += der(0xA4, der(0x02, b"\0" + struct.pack(">I", error)))
    return der(0x30, body + extra)


def utf16(s):
    return s.encode("utf-16-le")


def challenge(target, pairs, version):
    """CHALLENGE_MESSAGE with a target name, AV pairs and a version."""
    info = b""
    for av_id, value in pairs:
        info += struct.pack("<HH", av_id, len(value)) + value
    info += struct.pack("<HH", 0, 0)
    name = utf16(target)
    head = 56
    flags = 0xE28A8215  # unicode, target info, version, 128, 56, ...
    msg = b"NTLMSSP\0" + struct.pack("<I", 2)
    msg += struct.pack("<HHI", len(name), len(name), head)
    msg += struct.pack("<I", flags) + bytes(range(1, 9)) + b"\0" * 8
    msg += struct.pack("<HHI", len(info), len(info), head + len(name))
    major, minor, build = version
    msg += struct.pack("<BBH", major, minor, build) + b"\0\0\0\x0f"
    return msg + name + info


def windows_challenge(version, computer, domain, dns_domain):
    stamp = struct.pack("<Q", 0x01DD7CA13A5A6580)
    fqdn = f"{computer.lower()}.{dns_domain}"
    return challenge(domain, [
        (2, utf16(domain)), (1, utf16(computer)), (4, utf16(dns_domain)),
        (3, utf16(fqdn)), (5, utf16(dns_domain)), (7, stamp)], version)


def main():
    out = sys.argv[1]
    files = {}
    # Windows Server 2008 R2, NLA not required, security layer
    # "negotiate": CredSSP when offered, Standard RDP Security accepted.
    files["windows-2008r2-offer-credssp.bin"] = cc(0x1234, 2, 0x01, 2)
    files["windows-2008r2-offer-standard.bin"] = cc(0x1234, 2, 0x01, 0)
    files["windows-2008r2-credssp.bin"] = tsrequest(3, windows_challenge(
        (6, 1, 7601), "SRV-TSE", "HOPITAL", "hopital.local"))
    # Windows Server 2022, security layer "SSL", NLA not required: the
    # third offer (TLS alone) is what proves NLA is not enforced.
    files["windows-2022-offer-credssp.bin"] = cc(0x1234, 2, 0x1F, 8)
    files["windows-2022-offer-standard.bin"] = cc(0x1234, 3, 0, 1)
    files["windows-2022-offer-tls.bin"] = cc(0x1234, 2, 0x1F, 1)
    files["windows-2022-credssp.bin"] = tsrequest(6, windows_challenge(
        (10, 0, 20348), "SRV-RDS01", "CHU-DEMO", "chu-demo.fr"))
    # Windows Server 2019, NLA required: every offer without CredSSP
    # refused with HYBRID_REQUIRED_BY_SERVER.  An Active Directory domain
    # of the internal namespace.
    files["windows-2019-offer-credssp.bin"] = cc(0x1234, 2, 0x1F, 8)
    files["windows-2019-credssp.bin"] = tsrequest(6, windows_challenge(
        (10, 0, 17763), "SRV-RDS02", "GHT", "ght.lan"))
    files["windows-2019-offer-standard.bin"] = cc(0x1234, 3, 0, 5)
    files["windows-2019-offer-tls.bin"] = cc(0x1234, 3, 0, 5)
    # CredSSP answers the parser must survive.
    files["credssp-error.bin"] = tsrequest(6, error=0xC000006D)
    files["credssp-no-version.bin"] = der(0x30, der(0xA4, der(
        0x02, b"\x01")))
    files["credssp-indefinite.bin"] = b"\x30\x80\xa0\x03\x02\x01\x06\0\0"
    files["credssp-too-long.bin"] = b"\x30\x82\x40\x00" + b"\0" * 16
    files["credssp-bad-token.bin"] = der(0x30, der(0xA0, der(
        0x02, b"\x06")) + der(0xA1, der(0x30, der(0x31, b"\0\0"))))
    files["credssp-inner-overrun.bin"] = der(0x30, der(0xA0, b"\x02\x05\x06"))
    with open(f"{out}/freerdp-2.11-nla-credssp.bin", "rb") as f:
        files["credssp-truncated.bin"] = f.read()[:100]
    for name, data in files.items():
        with open(f"{out}/{name}", "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
