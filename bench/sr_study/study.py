#!/usr/bin/env python3
"""The super-resolution findings on the VPU (issue #17 item 4), in numbers.

Builds the sr-edsr latency tables with the shipped DPU, SHAVE and DMA models
(`vpucost lut --space sr-edsr --format csv`, compute mode: the whole device,
layers that do not fit the tiles' memory streamed through DDR) for each
device, data type and input size, and prints markdown tables:

  1. a residual block's latency per activation (ReLU / LeakyReLU fuse into
     the DPU layer; PReLU runs on SHAVE; none), also with WDSR-A's wide
     activation (expand 4: the activation runs on 4F channels);
  2. the tail's latency per upsampler (nearest = DMA copy, bilinear = DPU
     depthwise, align corners = SHAVE interpolate, depth-to-space = conv +
     SHAVE);
  3. a separable block (depthwise + pointwise, twice) against a normal one of
     the same kernel, at input heights 90..720, with how many of its layers
     are streamed.

Usage: bench/sr_study/study.py [--vpucost build/tools/vpucost] [--models models]
"""
import argparse
import csv
import io
import json
import subprocess
import sys

DEVICES = ["VPU_2_7", "VPU_4_0", "NPU_5_0"]


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return r


def models(args, device):
    d = device.lower()
    # compute mode, as the study's tables in nas/README.md were made (the
    # default is device mode since 2026-12-05).
    return ["--model", f"{args.models}/{d}.h5", "--shave-model", f"{args.models}/shave_{d}.h5",
            "--dma-model", f"{args.models}/dma_{d}.h5", "--mode", "compute"]


def table(args, device, dtype, height):
    """{candidate_name: ms} of position 0 (blocks), position 8 (tail), 'head'."""
    out = f"/tmp/sr_study_{device}_{dtype}_{height}.csv"
    run([args.vpucost, "lut", "--quiet", "--space", "sr-edsr", "--dtype", dtype, "--resolution",
         str(height), "--format", "csv", "--out", out] + models(args, device))
    rows = list(csv.DictReader(open(out)))
    blocks = {r["candidate_name"]: float(r["ms"]) for r in rows if r["position"] == "0"}
    tail = {r["candidate_name"]: float(r["ms"]) for r in rows if r["position"] == "8"}
    return blocks, tail


def streamed_layers(args, device, dtype, height, block):
    """How many of one block's layers are streamed, from `vpucost net --json`."""
    width = height * 16 // 9
    config = {"name": "probe", "input_size": [height, width], "n_feats": 32,
              "blocks": [block], "upsampler": "nearest"}
    path = f"/tmp/sr_study_probe.json"
    json.dump(config, open(path, "w"))
    r = run([args.vpucost, "net", "--config", path, "--dtype", dtype, "--json"] +
            models(args, device))
    layers = [l for l in json.loads(r.stdout)["layers"] if l["part"] == "blocks[0]"]
    return sum(1 for l in layers if l["split"].startswith(("rows:", "out_channels:"))), len(layers)


def pct(a, b):
    return f"{100.0 * (a / b - 1.0):+.1f} %"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vpucost", default="build/tools/vpucost")
    p.add_argument("--models", default="models")
    args = p.parse_args()

    print("## 1. Activation: one k3 normal block at 360x640x32 (ms)\n")
    print("| device | dtype | ReLU | LeakyReLU | none | PReLU (SHAVE) | PReLU vs ReLU | "
          "wide (e4): ReLU | wide (e4): PReLU vs ReLU |")
    print("|---|---|---|---|---|---|---|---|---|")
    tails = {}
    for device in DEVICES:
        for dtype in ["UINT8", "FLOAT16"]:
            blocks, tail = table(args, device, dtype, 360)
            tails[(device, dtype)] = tail
            prelu = blocks.get("k3_prelu")
            wide, wide_prelu = blocks["k3_e4_relu"], blocks.get("k3_e4_prelu")
            print(f"| {device} | {dtype} | {blocks['k3_relu']:.3f} | {blocks['k3_lrelu']:.3f} | "
                  f"{blocks['k3_none']:.3f} | "
                  + (f"{prelu:.3f} | {pct(prelu, blocks['k3_relu'])} |" if prelu else
                     "no kernel | - |")
                  + f" {wide:.3f} | "
                  + (f"{pct(wide_prelu, wide)} |" if wide_prelu else "no kernel |"))

    print("\n## 2. Upsampler: the tail (body-end conv, global add, upsampler, output conv) "
          "at 360x640x32 -> 720x1280x3 (ms)\n")
    print("| device | dtype | nearest (DMA) | bilinear (DPU dw) | align corners (SHAVE) | "
          "depth-to-space (conv + SHAVE) | fastest |")
    print("|---|---|---|---|---|---|---|")
    for (device, dtype), tail in tails.items():
        names = ["up_nearest", "up_bilinear", "up_bilinear_ac", "up_d2s"]
        cells = [f"{tail[n]:.3f}" if n in tail else "no kernel" for n in names]
        best = min((n for n in names if n in tail), key=lambda n: tail[n])
        print(f"| {device} | {dtype} | " + " | ".join(cells) + f" | {best[3:]} |")

    print("\n## 3. Separable (dw + pw, twice) vs normal conv block, ReLU, UINT8 (ms)\n")
    print("| device | input | k | normal | separable | separable vs normal | "
          "streamed layers normal / separable |")
    print("|---|---|---|---|---|---|---|")
    for device in DEVICES:
        for height in [90, 180, 360, 720]:
            blocks, _ = table(args, device, "UINT8", height)
            for k in [3, 5]:
                n, s = blocks[f"k{k}_relu"], blocks[f"sep_k{k}_relu"]
                sn, ln = streamed_layers(args, device, "UINT8", height,
                                         {"kernel_size": k, "conv": "normal", "act_func": "relu"})
                ss, ls = streamed_layers(args, device, "UINT8", height,
                                         {"kernel_size": k, "conv": "separable",
                                          "act_func": "relu"})
                print(f"| {device} | {height}x{height * 16 // 9} | {k} | {n:.4f} | {s:.4f} | "
                      f"{pct(s, n)} | {sn}/{ln} / {ss}/{ls} |")


if __name__ == "__main__":
    main()
