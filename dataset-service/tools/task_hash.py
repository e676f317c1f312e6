#!/usr/bin/env python3
"""Independent check of dataset-service's determinism contract, with nothing but the Python standard library.

  task_hash.py data.json           recompute the sha256 of a downloaded GET /tasks/{id}/data.json
  task_hash.py --modular P FRAC SEED [OP]
                                   regenerate modular arithmetic (default op add) from scratch, including the
                                   SplittableRandom Fisher-Yates split, and print its sha256

The canonical encoding (DataHash.java): b"grokstream-task-data-v1\\n", then big-endian int32 rows, seqLen, targets,
inputs row-major, labels row-major, train count, training rows ascending.
"""
import hashlib
import json
import struct
import sys

GOLDEN_GAMMA = 0x9E3779B97F4A7C15
MASK64 = (1 << 64) - 1


class SplittableRandom:
    """java.util.SplittableRandom(seed): nextInt() and nextInt(bound) exactly as OpenJDK 8-21 compute them."""

    def __init__(self, seed):
        self.seed = seed & MASK64

    def _next_seed(self):
        self.seed = (self.seed + GOLDEN_GAMMA) & MASK64
        return self.seed

    @staticmethod
    def _mix32(z):
        z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & MASK64
        z = ((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & MASK64
        r = z >> 32
        return r - (1 << 32) if r >= (1 << 31) else r  # to a signed int32

    def next_int(self, bound):
        r = self._mix32(self._next_seed())
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = (r & 0xFFFFFFFF) >> 1
        while True:
            r = u % bound
            if -(1 << 31) <= u + m - r < (1 << 31):  # Java's int overflow test: u + m - r < 0
                return r
            u = (self._mix32(self._next_seed()) & 0xFFFFFFFF) >> 1


def train_rows(rows, fraction, seed):
    order = list(range(rows))
    rng = SplittableRandom(seed)
    for i in range(rows - 1, 0, -1):
        j = rng.next_int(i + 1)
        order[i], order[j] = order[j], order[i]
    import math
    return sorted(order[: math.floor(fraction * rows)])


def sha256(inputs, labels, train):
    h = hashlib.sha256(b"grokstream-task-data-v1\n")
    seq_len = len(inputs[0]) if inputs else 0
    targets = len(labels[0]) if labels else 0
    h.update(struct.pack(">3i", len(inputs), seq_len, targets))
    for row in inputs:
        h.update(struct.pack(">%di" % len(row), *row))
    for row in labels:
        h.update(struct.pack(">%di" % len(row), *row))
    h.update(struct.pack(">i", len(train)))
    h.update(struct.pack(">%di" % len(train), *train))
    return h.hexdigest()


def modular(p, fraction, seed, op="add"):
    ops = {"add": lambda x, y: x + y, "subtract": lambda x, y: x - y, "multiply": lambda x, y: x * y,
           "divide": lambda x, y: x * pow(y, p - 2, p), "quadratic": lambda x, y: x * x + x * y + y * y}
    inputs, labels = [], []
    for x in range(p):
        for y in range(1 if op == "divide" else 0, p):
            inputs.append([x, y, p])
            labels.append([ops[op](x, y) % p])
    return sha256(inputs, labels, train_rows(len(inputs), fraction, seed))


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "--modular":
        print(modular(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), *(sys.argv[5:6])))
    elif len(sys.argv) == 2:
        with open(sys.argv[1]) as f:
            d = json.load(f)
        got = sha256(d["inputs"], d["labels"], d["trainRows"])
        print(got, "OK" if got == d.get("sha256") else "MISMATCH (definition says %s)" % d.get("sha256"))
        sys.exit(0 if got == d.get("sha256") else 1)
    else:
        print(__doc__)
        sys.exit(2)
