#!/usr/bin/env python3
"""hl7-mllp.py - a STAND-IN for an HL7 v2 interface engine, for the lab only.

Debian packages no HL7 server, so the lab's host h10 runs this small MLLP
listener in its network namespace (tests/lab/hosts/health.sh).  It is not
an interface engine and not a model of one: it does just what the Vigie
probe needs to meet, the way engines such as Mirth Connect or Rhapsody
answer on their MLLP listeners:

  * MLLP framing (HL7 v2.5 appendix C, release 1): <VT> message <FS><CR>;
  * every block gets one acknowledgement, framed the same way: an ACK
    whose MSH names this application and facility and whose MSA carries
    AR (application reject) for an empty or unparsable block, and AA
    (accept) echoing the control id of a block that parses as a message;
  * nothing received is stored, forwarded or logged beyond one line per
    block (peer address and port, what was answered);
  * bytes that do not open with <VT>, a block over 64 KiB or 10 s of
    silence close the connection.

Usage: hl7-mllp.py --bind ADDR [--port 2575]
"""
import argparse
import datetime
import socket
import socketserver
import sys

SB, EB, CR = b"\x0b", b"\x1c", b"\x0d"
BLOCK_MAX = 64 * 1024
IDLE_TIMEOUT = 10.0

SENDING_APPLICATION = "HL7-STANDIN"
SENDING_FACILITY = "CHU-DEMO-LAB"
HL7_VERSION = "2.5.1"


def log(peer, what):
    print("hl7-mllp: %s:%d: %s" % (peer[0], peer[1], what), file=sys.stderr,
          flush=True)


def ack(code, control_id, text):
    """An ACK message (HL7 v2.5 2.14.9 MSH, 2.14.8 MSA), framed."""
    now = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    segments = [
        "MSH|^~\\&|%s|%s|||%s||ACK|%s|P|%s" % (
            SENDING_APPLICATION, SENDING_FACILITY, now,
            "ACK" + now, HL7_VERSION),
        "MSA|%s|%s|%s" % (code, control_id, text),
    ]
    return SB + "\r".join(segments).encode("ascii") + CR + EB + CR


def answer(block):
    """(code, control id, text) for one received block's content."""
    if not block.strip(b"\r\n"):
        return "AR", "", "Empty message"
    if len(block) < 8 or not block.startswith(b"MSH"):
        return "AR", "", "Message does not begin with an MSH segment"
    sep = block[3:4]
    fields = block.split(b"\r", 1)[0].split(sep)
    control_id = fields[9].decode("ascii", "replace") if len(fields) > 9 else ""
    return "AA", control_id, ""


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        peer = self.client_address
        sock = self.request
        sock.settimeout(IDLE_TIMEOUT)
        buf = b""
        while True:
            try:
                data = sock.recv(4096)
            except (socket.timeout, OSError):
                return
            if not data:
                return
            buf += data
            while buf:
                if not buf.startswith(SB):
                    log(peer, "not MLLP framing; closing")
                    return
                end = buf.find(EB + CR)
                if end < 0:
                    if len(buf) > BLOCK_MAX:
                        log(peer, "block over %d bytes; closing" % BLOCK_MAX)
                        return
                    break
                block, buf = buf[1:end], buf[end + 2:]
                code, control_id, text = answer(block)
                log(peer, "%d-byte block, answered %s" % (len(block), code))
                try:
                    sock.sendall(ack(code, control_id, text))
                except OSError:
                    return


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bind", required=True)
    ap.add_argument("--port", type=int, default=2575)
    args = ap.parse_args()
    with Server((args.bind, args.port), Handler) as srv:
        print("hl7-mllp: stand-in listening on %s:%d" % (args.bind, args.port),
              file=sys.stderr, flush=True)
        srv.serve_forever()


if __name__ == "__main__":
    main()
