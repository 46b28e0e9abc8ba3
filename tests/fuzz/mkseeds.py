#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the hand-made seed inputs of tests/fuzz/corpus/{elf,guest_pt,evtchn}/
# (the config seeds are plain .cfg files copied from tests/data/cfg and
# configs/). Seeds are committed; rerun this only when an input format
# of a harness changes: python3 tests/fuzz/mkseeds.py
# Each builder spells out the layout its harness decodes (see the comment
# at the top of tests/fuzz/fuzz_<name>.c), so seeds reach deep states
# (valid ELFs, page tables in every paging mode, connected channels)
# that random bytes would take the fuzzer long to find.
import os
import shutil
import struct
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def write(name, sub, data):
    d = os.path.join(CORPUS, sub)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# --- elf: 8-byte prefix (ram_size, min_paddr / 64 KiB, errlen, flags) + image ---

PT_LOAD, PT_NOTE = 1, 4
PHYS32_ENTRY = 18


def elf_prefix(ram=4 << 20, min_paddr=1 << 20, errlen=200, flags=0):
    return struct.pack("<IBBBB", ram, min_paddr >> 16, errlen, flags, 0)


def note(entry, descsz=4, align=4):
    desc = struct.pack("<I" if descsz == 4 else "<Q", entry)
    name = b"Xen\0"
    hdr = struct.pack("<III", len(name), descsz, PHYS32_ENTRY)
    body = hdr + name
    body += b"\0" * (-len(body) % align)
    body += desc
    return body + b"\0" * (-len(body) % align)


def elf64(segs, entry=0x100000):
    """segs: list of (type, paddr, data, memsz, align); data placed after headers."""
    phoff, phent = 64, 56
    off = phoff + phent * len(segs)
    phdrs, blobs = b"", b""
    for typ, paddr, data, memsz, align in segs:
        phdrs += struct.pack("<IIQQQQQQ", typ, 5, off + len(blobs), paddr, paddr,
                             len(data), memsz, align)
        blobs += data
    ident = b"\x7fELF" + bytes([2, 1, 1]) + b"\0" * 9
    ehdr = ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, phoff, 0, 0, 64,
                               phent, len(segs), 0, 0, 0)
    return ehdr + phdrs + blobs


def elf32(segs, entry=0x100000):
    phoff, phent = 52, 32
    off = phoff + phent * len(segs)
    phdrs, blobs = b"", b""
    for typ, paddr, data, memsz, align in segs:
        phdrs += struct.pack("<IIIIIIII", typ, off + len(blobs), paddr, paddr,
                             len(data), memsz, 5, align)
        blobs += data
    ident = b"\x7fELF" + bytes([1, 1, 1]) + b"\0" * 9
    ehdr = ident + struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, entry, phoff, 0, 0, 52,
                               phent, len(segs), 0, 0, 0)
    return ehdr + phdrs + blobs


def elf_seeds():
    code = b"\xf4" * 32  # hlt
    write("min64", "elf", elf_prefix() + elf64([
        (PT_LOAD, 0x100000, code, 0x1000, 0x1000),
        (PT_NOTE, 0x101000, note(0x100000), 0, 4)]))
    write("min32", "elf", elf_prefix() + elf32([
        (PT_LOAD, 0x100000, code, 0x40, 4),
        (PT_NOTE, 0, note(0x100010), 0, 4)], entry=0))
    write("note8", "elf", elf_prefix(errlen=6) + elf64([
        (PT_NOTE, 0, note(0x200004, 8, 8), 0, 8),
        (PT_LOAD, 0x200000, code, 0x20, 8),
        (PT_LOAD, 0x180000, b"data", 0x10000, 8)]))
    write("small-ram", "elf", elf_prefix(ram=2 << 20, min_paddr=0, flags=1) + elf64([
        (PT_LOAD, 0x1ff000, code, 0x1000, 0x1000),
        (PT_NOTE, 0, note(0x1ff000), 0, 4)]))
    # A real guest, stripped (symbols only make the seed big).
    guest = os.path.join(ROOT, "build", "guests", "hello.elf")
    if os.path.exists(guest):
        tmp = os.path.join(CORPUS, "elf", ".hello.tmp")
        subprocess.run(["strip", "-o", tmp, guest], check=True)
        with open(tmp, "rb") as f:
            img = f.read()
        os.unlink(tmp)
        write("hello", "elf", elf_prefix() + img)
    else:
        print("mkseeds: no build/guests/hello.elf; run make guests first", file=sys.stderr)


# --- guest_pt: 48-byte header + RAM image ---------------------------------------

CR0_PE, CR0_WP, CR0_PG = 1, 1 << 16, 1 << 31
CR4_PSE, CR4_PAE, CR4_LA57, CR4_SMEP = 1 << 4, 1 << 5, 1 << 12, 1 << 20
EFER_LME, EFER_LMA, EFER_NXE = 1 << 8, 1 << 10, 1 << 11
P, RW, US, PS, XD = 1, 2, 4, 0x80, 1 << 63


def pt_seed(cr0, cr3, cr4, efer, gva, ram, length, access, entries, width=8,
            mpa=0, fill=0x00):
    """entries: {gpa: value}; RAM bytes beyond the last entry are left out."""
    top = max(entries) + width if entries else 64
    mem = bytearray([fill]) * max(top, 64)
    for gpa, val in entries.items():
        mem[gpa:gpa + width] = val.to_bytes(width, "little")
    hdr = struct.pack("<QQQQQIHBB", cr0, cr3, cr4, efer, gva, ram - 1, length, access,
                      0 if mpa == 0 else mpa - 31)
    return hdr + bytes(mem)


def guest_pt_seeds():
    pg = CR0_PE | CR0_WP | CR0_PG
    write("off", "guest_pt", pt_seed(CR0_PE, 0, 0, 0, 0xff0, 0x2000, 64, 1, {}, fill=0x5a))
    # 32-bit: PD at 0x1000, PT at 0x2000; gva 0xff0 crosses into a supervisor page.
    e32 = {0x1000: 0x2000 | P | RW | US, 0x2000: 0x3000 | P | RW | US, 0x2004: 0x0 | P | RW}
    write("32", "guest_pt", pt_seed(pg, 0x1000, 0, 0, 0xff0, 0x4000, 0x20, 0, e32, width=4))
    write("32-user", "guest_pt", pt_seed(pg, 0x1000, 0, 0, 0xff0, 0x4000, 0x20, 2, e32,
                                         width=4))
    write("32-pse", "guest_pt", pt_seed(pg, 0x1000, CR4_PSE, 0, 0x3ff8, 0x4000, 8, 1,
                                        {0x1000: P | RW | US | PS}, width=4))
    # PAE: PDPT at 0x1000 (4 entries), PD 0x2000, PT 0x3000 with an XD page.
    pae = {0x1000: 0x2000 | P, 0x2000: 0x3000 | P | RW | US,
           0x3000: 0x0 | P | RW | US, 0x3008: 0x1000 | P | RW | XD}
    write("pae", "guest_pt", pt_seed(pg, 0x1000, CR4_PAE, EFER_NXE, 0xffc, 0x4000, 8, 0, pae))
    # 4-level: PML4 0x0, PDPT 0x1000, PD 0x2000 (entry 1: a 2 MiB page), PT 0x3000.
    lm = {0x0: 0x1000 | P | RW | US, 0x1000: 0x2000 | P | RW | US,
          0x2000: 0x3000 | P | RW | US, 0x2008: 0x0 | P | RW | PS,
          0x3000: 0x2000 | P | RW | US, 0x3008: 0x3000 | P | US}
    efer = EFER_LME | EFER_LMA | EFER_NXE
    write("4level", "guest_pt", pt_seed(pg, 0, CR4_PAE, efer, 0xf00, 0x4000, 0x200, 2, lm))
    write("4level-2m", "guest_pt", pt_seed(pg, 0, CR4_PAE | CR4_SMEP, efer, 0x200ff0,
                                           0x4000, 0x40, 4, lm, mpa=36))
    # 5-level: PML5 at 0x4000 -> the 4-level tables above.
    l5 = dict(lm)
    l5[0x4000] = 0x0 | P | RW | US
    write("5level", "guest_pt", pt_seed(pg, 0x4000, CR4_PAE | CR4_LA57, efer,
                                        0x1ff8, 0x5000, 8, 0, l5))
    # Recursive: one page is every level at once, so tiny inputs walk 4 levels.
    write("recursive", "guest_pt", pt_seed(pg, 0, CR4_PAE, efer, 0x10, 0x1000, 8, 2,
                                           {0x0: P | RW | US}))


# --- evtchn: steps (see fuzz_evtchn.c) -------------------------------------------

SELF = 0x7ff0
BIND_INTERDOMAIN, BIND_VIRQ, BIND_PIRQ, CLOSE, SEND, STATUS, ALLOC_UNBOUND, \
    BIND_IPI, BIND_VCPU, UNMASK, RESET, INIT_CONTROL = range(12)


def op(dom, cmd, arg, fold=False, null=False):
    return bytes([dom | (8 if fold else 0) | (4 if null else 0), cmd]) + arg


def world(action, dom, flags=0, extra=b""):
    return bytes([0, action | ((dom - 1) << 3) | (flags << 6)]) + extra


def alloc_unbound(dom, remote, fold=False):
    return op(dom, ALLOC_UNBOUND, struct.pack("<HHI", SELF, remote, 0), fold)


def bind_interdomain(dom, remote, rport):
    return op(dom, BIND_INTERDOMAIN, struct.pack("<HHII", remote, 0, rport, 0))


def port_op(dom, cmd, port):
    return op(dom, cmd, struct.pack("<I", port))


def status(dom, port):
    return op(dom, STATUS, struct.pack("<HHIIIQ", SELF, 0, port, 0, 0, 0))


def evtchn_seeds():
    write("pair", "evtchn",
          alloc_unbound(2, 1) + bind_interdomain(1, 2, 1) + port_op(1, SEND, 1) +
          port_op(2, SEND, 1) + world(0, 2) + status(2, 1) + status(1, 1) +
          port_op(1, CLOSE, 1) + status(2, 1) + port_op(2, CLOSE, 1))
    write("virq-static", "evtchn",
          op(1, BIND_VIRQ, struct.pack("<III", 0, 0, 0)) + world(3, 1, extra=b"\0") +
          op(2, BIND_VIRQ, struct.pack("<III", 3, 0, 0)) +
          world(4, 1, extra=bytes([1]) + struct.pack("<HH", 5, 7)) +
          port_op(2, SEND, 7) + world(5, 1) + status(2, 7) +
          world(4, 1, extra=bytes([1]) + struct.pack("<HH", 5, 7)))
    write("ipi-mask", "evtchn",
          op(3, BIND_IPI, struct.pack("<II", 0, 0)) + world(1, 3, extra=struct.pack("<H", 1)) +
          port_op(3, SEND, 1) + world(7, 3, extra=struct.pack("<H", 1)) +
          port_op(3, UNMASK, 1) + world(2, 3, extra=struct.pack("<H", 1)) +
          op(3, BIND_VCPU, struct.pack("<II", 1, 0)) + op(3, RESET, struct.pack("<H", SELF)))
    write("acl-loopback", "evtchn",
          alloc_unbound(3, 1) + alloc_unbound(1, SELF) + bind_interdomain(1, SELF, 1) +
          port_op(1, SEND, 2) + world(6, 1, 1, struct.pack("<H", 2)) + port_op(1, SEND, 1) +
          bind_interdomain(3, 1, 1) + port_op(1, CLOSE, 2))
    write("folded", "evtchn",
          op(2, ALLOC_UNBOUND, struct.pack("<HHI", 5, 1, 0), fold=True) +
          op(1, BIND_INTERDOMAIN, struct.pack("<HHII", 2, 0, 9, 0), fold=True) +
          op(1, SEND, struct.pack("<I", 17), fold=True) + world(5, 2))
    write("bad", "evtchn",
          op(1, 14, b"\0" * 4) + op(2, 0xf3, b"\0" * 4) + op(1, SEND, b"", null=True) +
          op(2, INIT_CONTROL, b"\0" * 24) + op(3, BIND_PIRQ, b"\0" * 12) +
          port_op(1, CLOSE, 0) + port_op(1, SEND, 4096) + status(1, 0xffffffff))


def config_seeds():
    """Copy the shipped and test configs that cover most keys."""
    srcs = ["configs/demo.cfg", "configs/hello.cfg", "tests/integration/evtchn-acl.cfg",
            "tests/integration/evtchn-doorbell.cfg", "tests/integration/hostile-flood.cfg"]
    srcs += ["tests/data/cfg/%s.cfg" % n for n in (
        "good-demo", "good-events", "good-full", "good-minimal", "bad-shm-overlap",
        "bad-channel-port-reused", "bad-doorbell-dup-ioport", "bad-mem-overflow",
        "bad-unterminated", "bad-section-unclosed", "bad-after-quote", "bad-allow-dup")]
    os.makedirs(os.path.join(CORPUS, "config"), exist_ok=True)
    # Channel budgets in every unit, next to a doorbell and an allow line.
    chans = "".join("\n[channel c%d]\na = a:%d\nb = b:%d\nbudget = %s\n" % (i, i, i, b)
                    for i, b in enumerate(("1000/10ms", "5/2s", "none", "7/10us"), 1))
    write("budgets.cfg", "config", (
        "[bolt]\nconsole = e9\nallow = a, b\n\n[guest a]\nimage = a.elf\nmemory = 2M\ncpu = 0\n"
        "\n[guest b]\nimage = b.elf\nmemory = 4M\ncpu = 1\ndelivery = lazy\n" +
        chans +
        "\n[doorbell d]\nguest = a\nport = 0x510\nchannel = a:1\n").encode())
    for s in srcs:
        p = os.path.join(ROOT, s)
        if os.path.exists(p):
            shutil.copy(p, os.path.join(CORPUS, "config", os.path.basename(s)))


if __name__ == "__main__":
    config_seeds()
    elf_seeds()
    guest_pt_seeds()
    evtchn_seeds()
