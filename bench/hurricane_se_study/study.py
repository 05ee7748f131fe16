#!/usr/bin/env python3
"""What an SE variant of a HURRICANE operator costs on a VPU, and where.

For every device given, builds HURRICANE's table twice with `vpucost lut
--format json` (compute mode: activations in CMX; ddr mode: plus the DMA of
every layer's weights, input and output), then for one stride-1 position per
stage and each operator prints:
  - se/plain: the SE variant's latency over the plain operator's (compute);
  - shave: the share of the SE variant's compute cycles spent on SHAVE
    (its h-swish activations, the SE gate's h-sigmoid and the SE multiply);
  - se dpu: the share spent on the SE module's DPU layers (pool, two 1x1);
  - dma: the share of the SE variant's ddr-mode latency that is DMA.
Markdown on stdout (nas/README.md section 2 holds the result).

usage: study.py VPUCOST_EXE MODELS_DIR DEVICE_STEM [DEVICE_STEM ...]
"""
import json
import os
import subprocess
import sys
import tempfile

OPS = ["sep_k3", "k3_e3", "k3_e6", "choice_k3", "choicex"]


def table(exe, models, stem, mode, out):
    subprocess.run(
        [exe, "lut", "--space", "hurricane", "--format", "json", "--quiet", "--mode", mode,
         "--model", f"{models}/{stem}.h5", "--shave-model", f"{models}/shave_{stem}.h5",
         "--dma-model", f"{models}/dma_{stem}.h5", "--out", out],
        check=True)
    with open(out) as f:
        doc = json.load(f)
    entries = {}
    for e in doc["tables"][0]["entries"]:
        if e["kind"] == "block":
            entries[(e["position"], e["candidate_name"])] = e
    return entries


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    exe, models, stems = sys.argv[1], sys.argv[2], sys.argv[3:]
    positions = {1: "56x56x64", 5: "28x28x160", 9: "14x14x320", 17: "7x7x640"}
    with tempfile.TemporaryDirectory() as tmp:
        for stem in stems:
            compute = table(exe, models, stem, "compute", os.path.join(tmp, "c.json"))
            ddr = table(exe, models, stem, "ddr", os.path.join(tmp, "d.json"))
            print(f"\n{stem}: se/plain, shave share, SE-module DPU share, DMA share (ddr)\n")
            print("| layer | " + " | ".join(OPS) + " |")
            print("|---" * (len(OPS) + 1) + "|")
            for p, shape in positions.items():
                cells = []
                for op in OPS:
                    plain, se = compute[(p, op)], compute[(p, op + "_se")]
                    shave = sum(s["cycles"] for s in se.get("shave", []))
                    se_dpu = sum(l["cycles"] for l in se["layers"] if ".se." in l["name"] or
                                 l["name"].startswith("se."))
                    dma = 1 - se["cycles"] / ddr[(p, op + "_se")]["cycles"]
                    cells.append(f"{se['ms'] / plain['ms']:.2f}×, {shave / se['cycles']:.0%}, "
                                 f"{se_dpu / se['cycles']:.0%}, {dma:.0%}")
                print(f"| {shape} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
