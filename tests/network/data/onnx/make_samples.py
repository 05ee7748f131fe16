"""Writes the small ONNX models the ONNX import tests, the bad-input table
and the fuzz corpus use (a few KB each; torchvision's networks are exported
at test time instead, tests/python/test_onnx.py).

    /usr/bin/python3 tests/network/data/onnx/make_samples.py   # Debian python3-onnx

tiny_net.onnx, 1x3x32x32, one of each mapping rule (network/NETWORK.md §13):
  stem     Conv 3->16 k3 s2 p1 + BatchNormalization + Relu   -> DPU CM_CONVOLUTION, RELU
  dw       Conv depthwise 16 k3 p1 + Clip(0, 6)               -> DPU DW_CONVOLUTION, RELU
  pw       Conv 16->16 k1                                     -> DPU CONVOLUTION
  add      Add(pw, stem)                                      -> DPU ELTWISE
  hs/mul   x * HardSigmoid(x) (alpha 1/6)                     -> SHAVE hswish
  gap      GlobalAveragePool 16x16 map                        -> DPU AVEPOOL pre-pool + AVEPOOL
  gate     Sigmoid on the pooled vector                       -> SHAVE sigmoid
  scale    Mul(map, gate)                                     -> SHAVE mul
  swish    x * Sigmoid(x)                                     -> SHAVE swish
  pool     MaxPool k2 s2                                      -> DPU MAXPOOL
  shuffle  Reshape / Transpose / Reshape (shapes as constants) -> layout
  head     GlobalAveragePool, Flatten, Gemm 16->10            -> DPU AVEPOOL, layout, CONVOLUTION

The bad and edge-case models (cycle, truncated, grouped_conv, ...) are variants of it (main()).
"""
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = pathlib.Path(__file__).resolve().parent
rng = np.random.default_rng(0)


def weight(name, *shape):
    return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32) * 0.1, name)


def tiny_net(input_dims=(1, 3, 32, 32)):
    init = [
        weight("w_stem", 16, 3, 3, 3),
        weight("bn_scale", 16), weight("bn_bias", 16), weight("bn_mean", 16),
        numpy_helper.from_array(np.ones(16, np.float32), "bn_var"),
        weight("w_dw", 16, 1, 3, 3),
        weight("w_pw", 16, 16, 1, 1),
        numpy_helper.from_array(np.array(0, np.float32), "clip_min"),
        numpy_helper.from_array(np.array(6, np.float32), "clip_max"),
        numpy_helper.from_array(np.array([1, 2, 8, 8, 8], np.int64), "shape5"),
        numpy_helper.from_array(np.array([1, 16, 8, 8], np.int64), "shape4"),
        weight("w_fc", 10, 16),
        weight("b_fc", 10),
    ]
    N = helper.make_node
    nodes = [
        N("Conv", ["x", "w_stem"], ["c0"], name="stem", kernel_shape=[3, 3], strides=[2, 2],
          pads=[1, 1, 1, 1]),
        N("BatchNormalization", ["c0", "bn_scale", "bn_bias", "bn_mean", "bn_var"], ["b0"],
          name="stem_bn"),
        N("Relu", ["b0"], ["r0"], name="stem_relu"),
        N("Conv", ["r0", "w_dw"], ["c1"], name="dw", kernel_shape=[3, 3], pads=[1, 1, 1, 1],
          group=16),
        N("Clip", ["c1", "clip_min", "clip_max"], ["r1"], name="dw_relu6"),
        N("Conv", ["r1", "w_pw"], ["c2"], name="pw", kernel_shape=[1, 1]),
        N("Add", ["c2", "r0"], ["a0"], name="add"),
        N("HardSigmoid", ["a0"], ["h0"], name="hs", alpha=1.0 / 6, beta=0.5),
        N("Mul", ["a0", "h0"], ["hs0"], name="hs_mul"),
        N("GlobalAveragePool", ["hs0"], ["g0"], name="gap"),
        N("Sigmoid", ["g0"], ["s0"], name="gate"),
        N("Mul", ["hs0", "s0"], ["m0"], name="scale"),
        N("Sigmoid", ["m0"], ["s1"], name="swish_sigmoid"),
        N("Mul", ["s1", "m0"], ["sw0"], name="swish_mul"),
        N("MaxPool", ["sw0"], ["p0"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        N("Reshape", ["p0", "shape5"], ["v0"], name="shuffle_view"),
        N("Transpose", ["v0"], ["t0"], name="shuffle_transpose", perm=[0, 2, 1, 3, 4]),
        N("Reshape", ["t0", "shape4"], ["v1"], name="shuffle_back"),
        N("GlobalAveragePool", ["v1"], ["g1"], name="head_pool"),
        N("Flatten", ["g1"], ["f0"], name="flatten", axis=1),
        N("Gemm", ["f0", "w_fc", "b_fc"], ["y"], name="classifier", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "tiny_net",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(input_dims))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [input_dims[0], 10])],
        initializer=init)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def write(model, name, check=True):
    if check:
        onnx.checker.check_model(model)
    (HERE / name).write_bytes(model.SerializeToString())


def main():
    tiny = tiny_net()
    write(tiny, "tiny_net.onnx")
    write(tiny_net(("batch", 3, 32, 32)), "dynamic_input.onnx")
    data = tiny.SerializeToString()
    (HERE / "truncated.onnx").write_bytes(data[: len(data) // 2])
    unknown = tiny_net()
    unknown.graph.node[7].op_type = "Sin"  # the HardSigmoid becomes an unmapped operator
    del unknown.graph.node[7].attribute[:]
    write(unknown, "unknown_op.onnx")
    cycle = tiny_net()
    # dw reads pw's output and pw reads dw's: a cycle (written unchecked).
    cycle.graph.node[3].input[0] = "c2"
    write(cycle, "cycle.onnx", check=False)
    grouped = tiny_net()
    for a in grouped.graph.node[3].attribute:
        if a.name == "group":
            a.i = 4
    grouped.graph.initializer[5].CopyFrom(weight("w_dw", 16, 4, 3, 3))
    write(grouped, "grouped_conv.onnx")
    # Conv's kernel_shape is optional: taken from the weight's dims.
    no_kernel = tiny_net()
    for node in no_kernel.graph.node:
        if node.op_type == "Conv":
            kept = [a for a in node.attribute if a.name != "kernel_shape"]
            del node.attribute[:]
            node.attribute.extend(kept)
    write(no_kernel, "no_kernel_shape.onnx")
    # ... but a 2-D weight (the classifier's) has no kernel dims: libonnx
    # 1.12's inference read past them (a SEGV found by fuzzing).
    weight_2d = onnx.ModelProto()
    weight_2d.CopyFrom(no_kernel)
    pw = next(n for n in weight_2d.graph.node if n.name == "pw")
    pw.input[1] = "w_fc"
    write(weight_2d, "conv_weight_2d.onnx", check=False)


if __name__ == "__main__":
    main()
