#!/usr/bin/env python3
"""Writes the DMA transfers hidden in a v2 teacher layers file as a DMA recording CSV.

VPUNN's layer model adds, for input fetching and output spilling, one DMA of the whole input
and output tensor (checked: those terms equal VPUNN's DMA network on the tensor's bytes to
0.1 % between 1 KiB and 2 MiB). The dma/ files sample 1 KiB .. 2 MiB only; the layers' tiny
tensors give the curve its part below 1 KiB. Only train files should be given.
    scripts/layer_dma_transfers.py layers/vpu_2_7_train.csv > layer_dma_vpu_2_7.csv
ELTWISE inputs are left out (their input term is one operand; the shape is the same, but we
keep the rule simple), and so are terms of 0 cycles.
"""
import csv
import sys

BYTES = {"UINT8": 1, "FLOAT16": 2, "HF8": 1}


def main(path):
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["device", "direction", "width", "height", "channels", "dtype", "bytes", "cycles"])
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            for side, direction, term in (("input", "DDR_TO_CMX", "dma_input_cycles"),
                                          ("output", "CMX_TO_DDR", "dma_output_cycles")):
                if side == "input" and r["operation"] == "ELTWISE":
                    continue
                cycles = r.get(term, "")
                if not cycles or float(cycles) <= 0:
                    continue
                ch = r[side + "_channels"]
                w, h, dt = r[side + "_width"], r[side + "_height"], r[side + "_dtype"]
                out.writerow([r["device"], direction, w, h, ch, dt,
                              int(w) * int(h) * int(ch) * BYTES[dt], cycles])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: layer_dma_transfers.py LAYERS_TRAIN.csv > transfers.csv")
    main(sys.argv[1])
