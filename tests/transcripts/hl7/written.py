#!/usr/bin/env python3
"""written.py - remake the WRITTEN HL7 transcripts (see ../README).

Built byte by byte from HL7 v2.5 chapter 2 (2.14.9 MSH, 2.14.8 MSA,
2.14.5 ERR) and the MLLP framing of HL7 v2.5 appendix C (release 1;
release 2's commit acknowledgements <VT><ACK|NAK><FS><CR>).  Names and
facilities are made up.  Run from this directory: python3 written.py
"""
SB, EB, CR = b"\x0b", b"\x1c", b"\x0d"


def frame(content):
    return SB + content + EB + CR


def write(name, data):
    open(name, "wb").write(data)


# An engine's NAK with an error segment, HL7 2.3.1 with a version
# component, segments ended by CR LF (some engines add the LF).
write("engine-nak-ae-crlf.bin", frame(
    b"MSH|^~\\&|INTERFACE-ENGINE|HOPITAL-NORD|VIGIE||20240611093000+0200||"
    b"ACK^A01^ACK|NAK0001|P|2.3.1^FRA&&ISO\r\n"
    b"MSA|AE||Segment MSH manquant\r\n"
    b"ERR|^^^207&Application internal error&HL70357\r\n"))
# Other separators: the field separator is MSH-1, whatever it is.
write("custom-separators.bin", frame(
    b"MSH#$~\\&#LABO#CLINIQUE#####ACK#42#P#2.4\rMSA#AR#\r"))
write("mllp2-commit-nak.bin", frame(b"\x15"))
write("mllp2-commit-ack.bin", frame(b"\x06"))
write("echo-empty-block.bin", frame(b""))
write("no-msh-block.bin", frame(b"Bad request: use MLLP\r"))
# A 300-byte sending application with escape bytes: bounded, sanitised.
write("hostile-fields.bin", frame(
    b"MSH|^~\\&|" + b"\x1b[2J" + b"A" * 300 + b"|FAC|||||ACK|1|P|2.5\r"
    b"MSA|AR|1|" + b"B" * 300 + b"\r"))
standin = open("standin-empty-block-ar.bin", "rb").read()
write("truncated-msh.bin", standin[:60])
write("truncated-before-msh.bin", standin[:2])
write("bad-end-block.bin", standin[:-1] + b"X")
write("too-long.bin", SB + b"A" * 8191)
write("not-hl7-http.bin",
      b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
write("raw-msh-unframed.bin", standin[1:])
