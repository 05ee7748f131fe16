#!/usr/bin/env python3
"""Compares net configs (ProxylessNAS / once-for-all JSON) stage by stage:
depth, depthwise kernel and expand ratio of every block, feature-map size.

    nas/examples/compare_nets.py nets/mobilenetv2.json nets/proxylessnas_mobile.json best.json

A stage is a run of blocks with the same output width (the first block of a
stage changes the width or the stride). Zero (skipped) blocks are not counted
in the depth but shown as '-'."""
import json
import sys


def blocks(config):
    for block in config["blocks"]:
        conv = block.get("mobile_inverted_conv") or block.get("conv")
        if conv is None or conv.get("name") == "ZeroLayer":
            yield None
        else:
            yield conv


def stages(config, resolution=224):
    size = (resolution + 1) // 2
    out, current, width = [], None, None
    for conv in blocks(config):
        if conv is None:
            if current is not None:
                current["ops"].append("-")
            continue
        if current is None or conv["out_channels"] != width or conv["stride"] != 1:
            size = (size - 1) // conv["stride"] + 1
            width = conv["out_channels"]
            current = {"width": width, "size": size, "ops": []}
            out.append(current)
        current["ops"].append("k%de%d" % (conv["kernel_size"], conv["expand_ratio"]))
    return out


def main(paths):
    nets = [(p, json.load(open(p))) for p in paths]
    for path, config in nets:
        st = stages(config)
        ops = [op for s in st for op in s["ops"] if op != "-"]
        k7 = sum(op.startswith("k7") for op in ops)
        e6 = sum(op.endswith("e6") for op in ops)
        print("%s: depth %d blocks, kernel 7: %d, expand 6: %d" % (path, len(ops), k7, e6))
        for s in st:
            print("  %3dx%-3d width %4d: %s" % (s["size"], s["size"], s["width"], " ".join(s["ops"])))


if __name__ == "__main__":
    main(sys.argv[1:])
