#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""
Compute the AES-256-GCM (TLS_AES_256_GCM_SHA384) multipath vector that
kernel/core/selftest.c checks, with an implementation independent of both
of ours (OpenSSL, through python3-cryptography). RFC 9001 gives no vector
for this suite; this one makes the kernel crypto API and nettle agree with a
third party on it, and on the Path ID in the nonce.

Packet: QUIC v1, 1-RTT, DCID 0001020304050607, packet number 0x2a0b1c
sent in 3 bytes on Path ID 3, payload PING then 36 bytes of PADDING,
traffic secret 00 01 .. 2f (48 bytes).
"""
import struct
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def expand_label(secret, label, length):
    full = b"tls13 " + label
    info = struct.pack("!HB", length, len(full)) + full + b"\x00"
    out, t, i = b"", b"", 1
    while len(out) < length:
        h = hmac.HMAC(secret, hashes.SHA384())
        h.update(t + info + bytes([i]))
        t = h.finalize()
        out += t
        i += 1
    return out[:length]


secret = bytes(range(48))
key = expand_label(secret, b"quic key", 32)
iv = expand_label(secret, b"quic iv", 12)
hp = expand_label(secret, b"quic hp", 32)

path_id, pn, pn_len = 3, 0x2A0B1C, 3
header = bytes([0x40 | (pn_len - 1)]) + bytes(range(8)) + pn.to_bytes(pn_len, "big")
payload = b"\x01" + bytes(36)

# multipath nonce: Path ID (32 bits) || 2 zero bits || packet number (62 bits)
nonce = bytes(a ^ b for a, b in zip(iv, path_id.to_bytes(4, "big") + pn.to_bytes(8, "big")))
sealed = AESGCM(key).encrypt(nonce, payload, header)

pn_offset = 1 + 8
sample = sealed[4 - pn_len:4 - pn_len + 16]
enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
mask = enc.update(sample) + enc.finalize()
first = header[0] ^ (mask[0] & 0x1F)
pn_bytes = bytes(b ^ m for b, m in zip(header[pn_offset:], mask[1:1 + pn_len]))
packet = bytes([first]) + header[1:pn_offset] + pn_bytes + sealed
print(packet.hex())
