"""certgen.py - X.509 certificates with hostile fields, for the hostile
responders (tests/hostile/responders.py) and the seeds of the TLS
certificate fuzz target (tests/fuzz/corpus/tls_cert/).

`openssl req` makes the key (and a plain self-signed certificate, kept as
a seed); the hostile certificates are then encoded here in DER by hand,
because `openssl req` refuses what we want: a common name of 8 KB (the
X.520 upper bound is 64), escape bytes in a name, SANs by the thousand,
an IP SAN of 5 bytes, dates from 1950 and 9999.  They are signed by
`openssl dgst -sign`, so a TLS server can use them.  Python's standard
library only, plus the openssl command.
"""
import os
import subprocess

# Object identifiers (RFC 5280, RFC 4519, PKCS #1).
OID_CN = "2.5.4.3"
OID_O = "2.5.4.10"
OID_OU = "2.5.4.11"
OID_SAN = "2.5.29.17"
OID_BASIC = "2.5.29.19"
OID_SHA256_RSA = "1.2.840.113549.1.1.11"
OID_UNKNOWN = "1.3.6.1.4.1.99999.1"


def _len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + _len(len(body)) + body


def seq(*items):
    return tlv(0x30, b"".join(items))


def set_of(*items):
    return tlv(0x31, b"".join(items))


def oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, body)


def integer(n):
    b = n.to_bytes((n.bit_length() + 8) // 8 or 1, "big")
    return tlv(0x02, b)


def utf8(s):
    return tlv(0x0C, s if isinstance(s, bytes) else s.encode())


def name(*rdns):
    """rdns: (oid, bytes-or-str) pairs, one RDN each."""
    return seq(*(set_of(seq(oid(o), utf8(v))) for o, v in rdns))


def utctime(s):
    return tlv(0x17, s.encode())


def gentime(s):
    return tlv(0x18, s.encode())


def extension(o, value, critical=False):
    items = [oid(o)]
    if critical:
        items.append(tlv(0x01, b"\xff"))
    items.append(tlv(0x04, value))
    return seq(*items)


def san(dns=(), ips=()):
    """GeneralNames: dNSName [2] IA5String, iPAddress [7] OCTET STRING,
    taken as raw bytes (so they can be malformed)."""
    gn = [tlv(0x82, d if isinstance(d, bytes) else d.encode()) for d in dns]
    gn += [tlv(0x87, ip) for ip in ips]
    return seq(*gn)


def _run(args, data=None):
    return subprocess.run(args, input=data, check=True,
                          stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL).stdout


def make_key(tmpdir):
    """An RSA key and a plain self-signed certificate, by `openssl req`.
    Returns (key.pem path, plain cert DER)."""
    key = os.path.join(tmpdir, "key.pem")
    crt = os.path.join(tmpdir, "plain.pem")
    _run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
          "-keyout", key, "-out", crt, "-days", "2",
          "-subj", "/CN=vigie-hostile.test/O=Vigie tests"])
    return key, _run(["openssl", "x509", "-in", crt, "-outform", "DER"])


def build(key, subject, issuer=None, ext=(), not_before=None,
          not_after=None, serial=0x5649474945):
    """A certificate signed with `key` (self-issued: issuer = subject
    unless given).  Returns DER."""
    spki = _run(["openssl", "pkey", "-in", key, "-pubout", "-outform",
                 "DER"])
    alg = seq(oid(OID_SHA256_RSA), tlv(0x05, b""))
    tbs = seq(
        tlv(0xA0, integer(2)),                      # v3
        integer(serial),
        alg,
        issuer if issuer is not None else subject,
        seq(not_before or utctime("240101000000Z"),
            not_after or gentime("99991231235959Z")),
        subject,
        spki,
        tlv(0xA3, seq(*ext)) if ext else b"",
    )
    sig = _run(["openssl", "dgst", "-sha256", "-sign", key], tbs)
    return seq(tbs, alg, tlv(0x03, b"\x00" + sig))


def hostile_cert(key, cn_len=8192, nsans=1000):
    """The hostile responder's certificate: an 8 KB CN with markup and a
    terminal escape inside, an organisation of NUL bytes and ANSI
    sequences, `nsans` DNS SANs (some with control bytes and markup), a
    malformed 5-byte IP SAN, an IPv6 SAN, an unknown extension, and a
    validity from 1950 to 9999."""
    cn = (b"<script>alert(1)</script>\x1b[2J" +
          b"A" * cn_len)[:cn_len]
    org = b"\x00\x00Evil\x1b[31mCorp\x1b]0;pwned\x07<b>\x00"
    dns = [b"h%04d.vigie-hostile.test" % i for i in range(nsans)]
    dns[1:1] = [b"<script>alert(1)</script>.test", b"esc\x1b[2J.test",
                b"nul\x00byte.test", b"*." + b"x" * 300]
    exts = [
        extension(OID_BASIC, seq(tlv(0x01, b"\xff")), critical=True),
        extension(OID_SAN, san(dns, [b"\xc6\x33\x64\x01\x99",
                                     b"\x20\x01\x0d\xb8" + b"\x00" * 12])),
        extension(OID_UNKNOWN, tlv(0x04, b"\x1b[2J" * 64)),
    ]
    subj = name((OID_CN, cn), (OID_O, org), (OID_OU, "x" * 3000))
    return build(key, subj, ext=exts, not_before=utctime("500101000000Z"))


def corpus(key, plain_der):
    """Seeds for the certificate fuzz target: name -> DER."""
    out = {"plain-req.der": plain_der}
    out["hostile-8k-cn.der"] = hostile_cert(key, 8192, 200)
    out["hostile-small.der"] = hostile_cert(key, 100, 8)
    out["expired-utctime.der"] = build(
        key, name((OID_CN, "expired.test")),
        not_before=utctime("100101000000Z"),
        not_after=utctime("110101000000Z"))
    out["issuer-differs.der"] = build(
        key, name((OID_CN, "leaf.test")), issuer=name((OID_CN, "ca.test")),
        ext=[extension(OID_SAN, san(["leaf.test"], [b"\xc6\x33\x64\x07"]))])
    out["empty-names.der"] = build(key, seq(), issuer=seq())
    out["bad-time.der"] = build(
        key, name((OID_CN, "t")), not_before=utctime("991399999999Z"),
        not_after=gentime("notatime"))
    return out
