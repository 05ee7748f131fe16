#!/usr/bin/env python3
"""A new generation from a profiling budget (issue #18 item 4), measured on NPU 5.0.

The pool is the v2 teacher's dpu/npu_5_0_train.csv. Its labels stand for
profiling results: `vpucost select` reads the pool with its cycles column
ignored and writes the rows it chose exactly as the pool has them, so the
only labels any model below is trained on are those of the selected rows --
the label hiding is the select command's code path, not a convention of
this script (which never opens the pool itself).

For budgets 500 / 1,000 / 2,000 / 5,000, selection `weighted` (random,
leaning to where the VPU_4_0 and VPU_2_7 models disagree) against `random`,
and a model fine-tuned from the shipped VPU_4_0 or VPU_2_7 model against one
trained from scratch: NPU_5_0 test MAPE and share within +-10 %
(dpu/npu_5_0_test.csv, never used for any choice). Then the LUT case: the
ProxylessNAS space at 224, its workloads (`lut --emit-workloads`, roofline,
UINT8 and FLOAT16) as `--target`, 2,000 selected rows, fine-tuned from
VPU_4_0, and every block of layers/npu_5_0_proxyless_224.csv costed in
compute mode (`vpucost layer --csv`) against the teacher's per-block sums.

Usage: bench/new_generation_study/study.py [--vpucost build/tools/vpucost]
       [--data ../shared/datasets/vpunn-teacher-v2] [--seeds 1,2] [--budgets ...]
"""
import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict

# Recipes, chosen on 10,000 held-out rows of the *training* file (models/README.md):
# fine-tuning; and from scratch, the shipped models' network and recipe.
FINE_TUNE = ["--epochs", "200", "--batch", "32", "--lr", "0.001", "--weight-decay", "0.03",
             "--patience", "1000", "--quiet"]
SCRATCH = ["--hidden", "128,128,48", "--activation", "silu", "--epochs", "800", "--batch", "128",
           "--lr", "0.002", "--weight-decay", "0.03", "--patience", "1000", "--quiet"]


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return r.stdout + r.stderr


def test_mape(args, model):
    out = run([args.vpucost, "eval", "--model", model, "--data",
               f"{args.data}/dpu/npu_5_0_test.csv"])
    m = re.search(r"^all\s+\d+\s+([\d.]+)%\s+([\d.]+)%\s+([\d.]+)%", out, re.M)
    return float(m.group(1)), float(m.group(3))


def select(args, tmp, budget, strategy, seed, target=None):
    out = f"{tmp}/sel_{budget}_{strategy}_{seed}{'_target' if target else ''}.csv"
    cmd = [args.vpucost, "select", "--models", "models/vpu_4_0.h5,models/vpu_2_7.h5", "--pool",
           f"{args.data}/dpu/npu_5_0_train.csv", "--budget", str(budget), "--strategy", strategy,
           "--seed", str(seed), "--out", out, "--quiet"]
    if target:
        cmd += ["--target", target]
    run(cmd)
    return out


def train(args, tmp, data, init, seed):
    out = f"{tmp}/model_{os.path.basename(data)}_{init}.h5"
    cmd = [args.vpucost, "train", "--data", data, "--out", out, "--seed", str(seed)]
    cmd += SCRATCH if init == "scratch" else FINE_TUNE + ["--init-from", f"models/{init}.h5"]
    run(cmd)
    return out


def block_errors(args, tmp, model):
    out = f"{tmp}/blocks.csv"
    run([args.vpucost, "layer", "--model", model, "--csv",
         f"{args.data}/layers/npu_5_0_proxyless_224.csv", "--out", out])
    ours, teacher = defaultdict(float), defaultdict(float)
    for r in csv.DictReader(open(out)):
        key = (r["block_id"], r["input_dtype"])
        ours[key] += float(r["vpucost_cycles"])
        teacher[key] += float(r["cycles_best"])
    errs = [abs(ours[k] / teacher[k] - 1) for k in teacher]
    return len(errs), sum(e <= 0.03 for e in errs), sum(errs) / len(errs), max(errs)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vpucost", default="build/tools/vpucost")
    p.add_argument("--data", default="../shared/datasets/vpunn-teacher-v2")
    p.add_argument("--seeds", default="1,2")
    p.add_argument("--budgets", default="500,1000,2000,5000")
    args = p.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    tmp = tempfile.mkdtemp(prefix="new_generation_")

    print("## NPU_5_0 test MAPE / within +-10 % (mean over seeds " + args.seeds + ")\n")
    print("| budget | selection | from VPU_4_0 | from VPU_2_7 | from scratch |")
    print("|---|---|---|---|---|")
    for budget in [int(b) for b in args.budgets.split(",")]:
        for strategy in ["weighted", "random"]:
            cells = []
            for init in ["vpu_4_0", "vpu_2_7", "scratch"]:
                results = [test_mape(args, train(args, tmp, select(args, tmp, budget, strategy, s),
                                                 init, s)) for s in seeds]
                mape = sum(r[0] for r in results) / len(results)
                within = sum(r[1] for r in results) / len(results)
                cells.append(f"{mape:.2f} % / {within:.1f} %")
            print(f"| {budget:,} | {strategy} | " + " | ".join(cells) + " |", flush=True)

    print("\n## ProxylessNAS blocks at 224 on NPU_5_0 (compute mode) against the teacher\n")
    target = f"{tmp}/lut_workloads.csv"
    parts = []
    for dtype in ["UINT8", "FLOAT16"]:
        part = f"{tmp}/lut_{dtype}.csv"
        run([args.vpucost, "lut", "--device", "NPU_5_0", "--dtype", dtype, "--space", "proxyless",
             "--resolution", "224", "--emit-workloads", part, "--quiet"])
        parts.append(open(part).read().splitlines())
    open(target, "w").write("\n".join(parts[0] + parts[1][1:]) + "\n")
    print(f"LUT workloads (roofline choice of modes and strategies): {len(parts[0]) + len(parts[1]) - 2}\n")
    print("| model | blocks | within 3 % | mean error | worst |")
    print("|---|---|---|---|---|")
    rows = [("shipped NPU_5_0 model (100,000 rows)", "models/npu_5_0.h5")]
    for strategy, tgt in [("weighted", target), ("weighted", None), ("random", None)]:
        data = select(args, tmp, 2000, strategy, seeds[0], tgt)
        name = f"2,000 {strategy}{' with --target' if tgt else ''}, from VPU_4_0"
        rows.append((name, train(args, tmp, data, "vpu_4_0", seeds[0])))
    for name, model in rows:
        n, ok, mean, worst = block_errors(args, tmp, model)
        print(f"| {name} | {n} | {100 * ok / n:.1f} % | {100 * mean:.2f} % | {100 * worst:.1f} % |",
              flush=True)


if __name__ == "__main__":
    main()
