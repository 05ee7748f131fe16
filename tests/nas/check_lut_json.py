#!/usr/bin/env python3
"""Reads `vpucost nas-export` JSON the way a PyTorch training loop would (pure
Python here, so the test needs no torch) and checks E[lat] and its gradient
against the architecture parameters: exit 0 when they agree."""
import json
import math
import sys

lut = json.load(open(sys.argv[1]))
alphas = json.load(open(sys.argv[2]))["alphas"]
assert lut["format"] == "vpucost-nas-lut" and lut["unit"] == "ms"
assert len(lut["positions"]) == len(alphas)

expected = lut["fixed_ms"]
grads = []
for position, alpha in zip(lut["positions"], alphas):
    ms = position["ms"]
    assert len(ms) == len(alpha) == len(position["candidates"])
    top = max(alpha)
    weights = [math.exp(a - top) for a in alpha]
    probs = [w / sum(weights) for w in weights]
    mean = sum(p * l for p, l in zip(probs, ms))
    expected += mean
    grads.append([p * (l - mean) for p, l in zip(probs, ms)])

got = lut["expected"]
assert abs(got["latency_ms"] - expected) <= 1e-9 * expected, (got["latency_ms"], expected)
for row_got, row_want in zip(got["grad_alpha"], grads):
    for g, w in zip(row_got, row_want):
        assert abs(g - w) <= 1e-12 + 1e-9 * abs(w), (g, w)
print("ok: E[lat] = %.6f ms" % expected)
