#!/usr/bin/env python3
"""responders.py - pathological servers for tests/integration/test_hostile.sh.

One hostile behaviour per port, on one address (127.0.0.1 inside the
test's own network namespace: the test refuses to run it elsewhere).
Python 3 standard library and the openssl command only.

Every responder is bounded in time: a connection is cut after --conn-max
seconds (a scanner still connected then has not honoured its deadline,
and the log says so: "end": "cap"), and the whole process exits after
--lifetime seconds whatever happens.

    responders.py --host 127.0.0.1 --ready FILE --log FILE [--lifetime S]

--ready FILE receives the comma-separated port list once every port
listens.  --log FILE receives one JSON object per connection: port, name,
seconds it lasted, bytes in and out, and how it ended (peer-closed: the
scanner left; server-closed: the responder finished; cap: cut by
--conn-max).  `responders.py --ports` prints the port list and exits.
"""
import argparse
import asyncio
import json
import os
import signal
import socket
import ssl
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import certgen  # noqa: E402

HOSTILE = (b"\x00\x00\x00<script>alert(1)</script>\x1b[2J\x1b]0;pwned\x07"
           b"\x00\"quote\\backslash\xff\xfe<img src=x onerror=alert(2)>"
           b"\xe2\x80\xa8\x1b[31mred\x1b[0m\x00")

RESPONDERS = {}


def responder(port, name, tls=False):
    def reg(fn):
        RESPONDERS[port] = (name, fn, tls)
        return fn
    return reg


class Conn:
    def __init__(self, reader, writer):
        self.r = reader
        self.w = writer
        self.rx = 0
        self.tx = 0
        self.end = "server-closed"

    async def send(self, data):
        self.w.write(data)
        self.tx += len(data)
        await self.w.drain()

    async def read_some(self, n=65536, timeout=None):
        """Bytes the peer sent (b"" at its EOF)."""
        data = await asyncio.wait_for(self.r.read(n), timeout)
        self.rx += len(data)
        if not data:
            self.end = "peer-closed"
        return data

    async def read_request(self, timeout=10):
        """What a client-first probe sends first: up to a blank line or
        the first read, whichever comes first."""
        buf = b""
        while b"\r\n\r\n" not in buf and len(buf) < 65536:
            data = await self.read_some(timeout=timeout)
            if not data:
                break
            buf += data
            if not buf.startswith((b"GET ", b"HEAD ", b"POST ")):
                break
        return buf

    async def until_eof(self):
        while await self.read_some():
            pass

    async def race(self, speaker):
        """Run `speaker` until the peer leaves (EOF or reset)."""
        eof = asyncio.ensure_future(self.until_eof())
        sp = asyncio.ensure_future(speaker)
        done, pending = await asyncio.wait(
            {eof, sp}, return_when=asyncio.FIRST_COMPLETED)
        for p in pending:
            p.cancel()
        for d in done:
            if d.cancelled():
                continue
            e = d.exception()
            if isinstance(e, (ConnectionError, OSError, ssl.SSLError)):
                self.end = "peer-closed"
            elif e is not None:
                raise e
        if eof in done:
            self.end = "peer-closed"


def http_head(status, headers, body=b""):
    h = b"HTTP/1.1 " + status + b"\r\n"
    for k, v in headers:
        h += k + b": " + v + b"\r\n"
    return h + b"\r\n" + body


# --- Server speaks first ----------------------------------------------------

@responder(10001, "nul-html-ansi-banner")
async def nul_banner(c):
    """A banner full of NUL bytes, markup and terminal escapes."""
    await c.send(HOSTILE * 4 + b"\r\n")
    await c.until_eof()


@responder(21, "ftp-escapes")
async def ftp_escapes(c):
    """An FTP greeting and replies made of escapes and markup."""
    await c.send(b"220-" + HOSTILE + b"\r\n220 Evil\x1b[2JFTPd <b>1.0</b>\r\n")
    while True:
        line = await c.read_some()
        if not line:
            return
        await c.send(b"230 " + HOSTILE + b"\r\n")


@responder(10002, "banner-10mb")
async def banner_10mb(c):
    """A 10 MB banner with no line end."""
    async def speak():
        chunk = b"A" * 65536
        for _ in range(160):
            await c.send(chunk)
    await c.race(speak())


@responder(10003, "trickle-1-byte-per-s")
async def trickle(c):
    """One byte a second, forever."""
    async def speak():
        i = 0
        while True:
            await c.send(b"220 slow and steady "[i % 20:i % 20 + 1])
            i += 1
            await asyncio.sleep(1)
    await c.race(speak())


@responder(10004, "silent")
async def silent(c):
    """Accepts, never speaks, never closes."""
    await c.until_eof()


@responder(10005, "instant-reset")
async def instant_reset(c):
    """Reset at once: SO_LINGER 0, then close."""
    sock = c.w.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack("ii", 1, 0))
    c.w.transport.abort()
    c.end = "server-reset"


@responder(22, "ssh-ident-1mb")
async def ssh_1mb(c):
    """An SSH identification line of 1 MB."""
    async def speak():
        await c.send(b"SSH-2.0-")
        for _ in range(16):
            await c.send(b"B" * 65536)
        await c.send(b"\r\n")
        await c.until_eof()
    await c.race(speak())


@responder(2222, "ssh-ident-escapes")
async def ssh_escapes(c):
    """An SSH identification line with escapes, NUL and markup."""
    await c.send(b"SSH-2.0-OpenSSH_9.2\x1b[2J<script>alert(1)</script>"
                 b"\x00 " + HOSTILE + b"\r\n")
    await c.until_eof()


@responder(23, "telnet-iac-storm")
async def telnet_storm(c):
    """Telnet negotiations without end: IAC DO/WILL every option."""
    async def speak():
        storm = b"".join(bytes([255, cmd, opt]) for cmd in (251, 253)
                         for opt in range(256))
        while True:
            await c.send(storm)
            await asyncio.sleep(0.01)
    await c.race(speak())


@responder(25, "smtp-endless-multiline")
async def smtp_endless(c):
    """An SMTP greeting whose continuation lines never end."""
    async def speak():
        i = 0
        while True:
            await c.send(b"220-line %d " % i + HOSTILE[:40] + b"\r\n")
            i += 1
            if i % 100 == 0:
                await asyncio.sleep(0.01)
    await c.race(speak())


@responder(587, "smtp-starttls-garbage")
async def smtp_starttls_garbage(c):
    """An SMTP server that offers STARTTLS, says 220 to it, then answers
    the ClientHello with hostile bytes instead of a ServerHello."""
    await c.send(b"220 mail.hostile.test ESMTP\r\n")
    buf = b""
    while b"STARTTLS" not in buf.upper():
        data = await c.read_some(timeout=10)
        if not data:
            return
        buf += data
        if b"EHLO" in buf.upper() and b"\n" in buf:
            await c.send(b"250-mail.hostile.test\r\n250-SIZE 1000\r\n"
                         b"250 STARTTLS\r\n")
            buf = b""
    await c.send(b"220 2.0.0 Ready to start TLS\r\n")
    await c.read_some(timeout=10)           # the ClientHello
    await c.send(HOSTILE * 64)
    await c.until_eof()


# --- Client speaks first ----------------------------------------------------

@responder(80, "http-100k-headers")
async def http_headers(c):
    """An HTTP reply with 100,000 headers."""
    await c.read_request()

    async def speak():
        await c.send(b"HTTP/1.1 200 OK\r\nServer: " + HOSTILE[3:30] + b"\r\n")
        for i in range(0, 100000, 1000):
            await c.send(b"".join(b"X-H%d: v\r\n" % j
                                  for j in range(i, i + 1000)))
        await c.send(b"Content-Length: 5\r\n\r\nhello")
        await c.until_eof()
    await c.race(speak())


@responder(8080, "http-endless-chunked")
async def http_chunked(c):
    """A chunked body that never ends."""
    await c.read_request()

    async def speak():
        await c.send(http_head(b"200 OK", [
            (b"Server", b"endless/1.0"),
            (b"Transfer-Encoding", b"chunked")]))
        chunk = b"1000\r\n" + b"<title>x</title>"[:16] * 256 + b"\r\n"
        while True:
            await c.send(chunk)
    await c.race(speak())


@responder(8000, "http-redirect-self")
async def http_redirect_self(c):
    """A redirect to itself, for ever (a loop, if followed)."""
    await c.read_request()
    await c.send(http_head(b"302 Found", [
        (b"Location", b"http://127.0.0.1:8000/"),
        (b"Server", b"loop\x1b[2J<script>"),
        (b"Content-Length", b"0")]))
    await c.until_eof()


@responder(8008, "http-redirect-outside")
async def http_redirect_outside(c):
    """A redirect to an address outside the scan."""
    await c.read_request()
    await c.send(http_head(b"301 Moved Permanently", [
        (b"Location", b"http://192.0.2.66/<script>alert(1)</script>"),
        (b"Content-Length", b"0")]))
    await c.until_eof()


@responder(443, "tls-hostile-cert", tls=True)
async def tls_cert(c):
    """TLS with a certificate of enormous and malformed fields, then an
    HTTP reply with markup in its headers and title."""
    await c.read_request()
    body = b"<title>\x1b[2J<script>alert(1)</script></title>"
    await c.send(http_head(b"200 OK", [
        (b"Server", b"<script>alert(1)</script>\x1b[2J/6.6.6"),
        (b"Content-Length", b"%d" % len(body))], body))
    await c.until_eof()


@responder(3389, "rdp-tpkt-65535")
async def rdp_lying(c):
    """A TPKT header announcing 65535 bytes, a few bytes, then close."""
    await c.read_some(timeout=10)
    await c.send(b"\x03\x00\xff\xff\x02\xf0\x80" + b"\x00" * 9)


@responder(445, "smb-netbios-16mb")
async def smb_lying(c):
    """A NetBIOS session header announcing 16 MB, an SMB magic, close."""
    await c.read_some(timeout=10)
    await c.send(b"\x00\xff\xff\xff\xfeSMB\x40\x00" + b"\x00" * 16)


@responder(104, "dicom-pdu-4gb")
async def dicom_lying(c):
    """A DICOM A-ASSOCIATE-AC whose PDU length says 4 GB, then close."""
    await c.read_some(timeout=10)
    await c.send(b"\x02\x00\xff\xff\xff\xff\x00\x01" + b"\x00" * 32)


@responder(6379, "redis-bulk-2g")
async def redis_bulk(c):
    """A bulk reply of 2^31 bytes announced, 1000 sent, then silence."""
    while True:
        data = await c.read_some()
        if not data:
            return
        await c.send(b"$2147483648\r\n" + b"A" * 1000)


# --- UDP -------------------------------------------------------------------

class SnmpLying(asyncio.DatagramProtocol):
    """SNMP (UDP 161): every request gets three answers: a BER message
    whose outer length says 2^32 - 1, one nested 40 levels deep, and one
    whose string length points past the datagram."""

    def connection_made(self, transport):
        self.t = transport

    def datagram_received(self, data, addr):
        self.t.sendto(b"\x30\x84\xff\xff\xff\xff\x02\x01\x01", addr)
        self.t.sendto(b"\x30\x02" * 40, addr)
        self.t.sendto(b"\x30\x10\x02\x01\x01\x04\x7fpublic\xa2\x03",
                      addr)


UDP_RESPONDERS = {161: ("snmp-lying-lengths", SnmpLying)}


# --- The process ------------------------------------------------------------

def log_conn(logf, port, name, t0, c):
    logf.write(json.dumps({
        "port": port, "name": name, "seconds": round(time.monotonic() - t0,
                                                     3),
        "rx": c.rx, "tx": c.tx, "end": c.end}) + "\n")
    logf.flush()


async def main(args):
    loop = asyncio.get_running_loop()
    # Handshake failures and resets are the point here: not news.
    loop.set_exception_handler(lambda lp, ctx: None)
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or
                                stop.set_result(None))
    logf = open(args.log, "a")

    tmp = tempfile.mkdtemp(prefix="vigie-hostile-")
    key, _ = certgen.make_key(tmp)
    der = certgen.hostile_cert(key)
    cert = os.path.join(tmp, "hostile.pem")
    with open(cert, "w") as f:
        f.write(ssl.DER_cert_to_PEM_cert(der))
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(cert, key)
    for p in (key, cert, os.path.join(tmp, "plain.pem")):
        os.unlink(p)
    os.rmdir(tmp)

    def handler_for(port, name, fn):
        async def handle(reader, writer):
            c = Conn(reader, writer)
            t0 = time.monotonic()
            try:
                await asyncio.wait_for(fn(c), args.conn_max)
            except asyncio.TimeoutError:
                c.end = "cap"
            except (ConnectionError, OSError, ssl.SSLError,
                    asyncio.IncompleteReadError):
                c.end = "peer-closed"
            finally:
                log_conn(logf, port, name, t0, c)
                try:
                    writer.close()
                except Exception:
                    pass
        return handle

    servers = []
    for port, (name, fn, tls) in sorted(RESPONDERS.items()):
        servers.append(await asyncio.start_server(
            handler_for(port, name, fn), args.host, port,
            ssl=sctx if tls else None, ssl_handshake_timeout=10 if tls
            else None, reuse_address=True))
    for port, (name, proto) in sorted(UDP_RESPONDERS.items()):
        t, _ = await loop.create_datagram_endpoint(
            proto, local_addr=(args.host, port))
        servers.append(t)
    with open(args.ready + ".tmp", "w") as f:
        f.write(",".join(str(p) for p in sorted(RESPONDERS)) + "\n")
    os.rename(args.ready + ".tmp", args.ready)
    try:
        await asyncio.wait_for(stop, args.lifetime)
    except asyncio.TimeoutError:
        pass
    for s in servers:
        s.close()
    logf.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--ready")
    ap.add_argument("--log")
    ap.add_argument("--lifetime", type=float, default=300)
    ap.add_argument("--conn-max", type=float, default=30)
    ap.add_argument("--ports", action="store_true")
    a = ap.parse_args()
    if a.ports:
        print(",".join(str(p) for p in sorted(RESPONDERS)))
        sys.exit(0)
    if a.ready is None or a.log is None:
        ap.error("--ready and --log are required")
    # The last bound: whatever happens, the process ends.
    signal.alarm(int(a.lifetime) + 15)
    try:
        asyncio.run(main(a))
    finally:
        # Whatever is left (a handler stuck in a write) dies with us.
        os._exit(0)
