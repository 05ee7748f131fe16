#!/usr/bin/python3
"""Issue #15, item 3: which model family for SHAVE and DMA costs.

Fits, per device, an MLP (scikit-learn, log-cycles target) on the v2 teacher
training file and scores it on the test file, next to the figures of the
families vpucost ships (closed forms for SHAVE, piecewise-linear curves for
DMA; those come from `vpucost eval`, see models/README.md). Run from the
repository root with Debian's python3-sklearn:
    /usr/bin/python3 bench/kind_family_study/study.py [../shared/datasets/vpunn-teacher-v2]
Deterministic (fixed seeds). About 4 minutes on one core.
"""
import csv
import sys
import time

import numpy as np
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

ROOT = sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/vpunn-teacher-v2"
DEVICES = ["vpu_2_7", "vpu_4_0", "npu_5_0"]
HIDDEN = (64, 64)


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def shave_features(rs, ops):
    x = []
    for r in rs:
        onehot = [1.0 if r["operation"] == o else 0.0 for o in ops]
        w, h, c = (float(r[k]) for k in ("input_width", "input_height", "input_channels"))
        x.append(onehot + [r["input_dtype"] == "FLOAT16", float(r["params"] or 0),
                           np.log2(w), np.log2(h), np.log2(c), np.log2(w * h * c)])
    return np.array(x, dtype=float)


def dma_features(rs):
    return np.array([[r["direction"] == "DDR_TO_CMX", np.log2(float(r["bytes"]))] for r in rs])


def score(pred, y):
    ape = np.abs(pred / y - 1)
    return 100 * ape.mean(), 100 * (ape <= 0.10).mean()


def mlp_study(name, xtr, ytr, xte, yte):
    scaler = StandardScaler().fit(xtr)
    m = MLPRegressor(HIDDEN, max_iter=1000, random_state=0, tol=1e-7, early_stopping=False)
    m.fit(scaler.transform(xtr), np.log(ytr))
    start = time.perf_counter()
    pred = np.exp(m.predict(scaler.transform(xte)))
    us = 1e6 * (time.perf_counter() - start) / len(xte)
    params = sum(w.size for w in m.coefs_) + sum(b.size for b in m.intercepts_)
    mape, within = score(pred, yte)
    print(f"{name:20s} MLP {HIDDEN}  MAPE {mape:5.2f} %  within 10 % {within:5.1f} %  "
          f"params {params}  sklearn batched {us:.2f} us/query")


for dev in DEVICES:
    tr = rows(f"{ROOT}/shave/{dev}_train.csv")
    te = rows(f"{ROOT}/shave/{dev}_test.csv")
    ops = sorted({r["operation"] for r in tr})
    mlp_study(f"SHAVE {dev}", shave_features(tr, ops), np.array([float(r["cycles"]) for r in tr]),
              shave_features(te, ops), np.array([float(r["cycles"]) for r in te]))
for dev in DEVICES:
    tr = rows(f"{ROOT}/dma/{dev}_train.csv")
    te = rows(f"{ROOT}/dma/{dev}_test.csv")
    mlp_study(f"DMA {dev}", dma_features(tr), np.array([float(r["cycles"]) for r in tr]),
              dma_features(te), np.array([float(r["cycles"]) for r in te]))
