"""ONNX import on real models: torchvision's networks (weights=None) exported
to ONNX at test time, imported, costed, and compared with the same networks
given node by node (the v2 teacher's node lists) and with the teacher's
totals."""
import collections
import csv

import pytest

import vpucost

torch = pytest.importorskip("torch")
torchvision = pytest.importorskip("torchvision")
onnx = pytest.importorskip("onnx")

NETWORKS = ["mobilenet_v2", "mobilenet_v3_large", "resnet18", "resnet50",
            "shufflenet_v2_x1_0", "efficientnet_b0", "mnasnet1_0"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """name -> path of the network exported to ONNX (opset 13, batch 1, 224)."""
    folder = tmp_path_factory.mktemp("onnx")
    paths = {}
    with torch.no_grad():
        for name in NETWORKS:
            model = getattr(torchvision.models, name)(weights=None).eval()
            path = folder / f"{name}.onnx"
            torch.onnx.export(model, torch.zeros(1, 3, 224, 224), str(path), opset_version=13)
            paths[name] = path
    return paths


@pytest.fixture(scope="module")
def costings(source):
    def make(device, dtype="UINT8", mode="compute", model=None):
        d = device.lower()
        return vpucost.Costing(model=str(source / "models" / (model or f"{d}.h5")),
                               shave_model=str(source / "models" / f"shave_{d}.h5"),
                               dtype=dtype, mode=mode)
    return make


@pytest.mark.parametrize("name", NETWORKS)
def test_every_network_imports_and_maps_every_operator(exported, costings, name):
    graph = onnx.load(str(exported[name])).graph
    ops = collections.Counter(n.op_type for n in graph.node)
    net = vpucost.network_from_onnx(str(exported[name]))
    assert net.input_shape == [1, 3, 224, 224]
    engines = collections.Counter(n["engine"] for n in net.nodes)
    # Every Conv and Gemm is a DPU layer of its own (BatchNorm and ReLU fold in).
    dpu_layers = [n for n in net.nodes if n["engine"] == "DPU"]
    assert sum(n["onnx_ops"].startswith(("Conv", "Gemm")) for n in dpu_layers) == \
        ops["Conv"] + ops["Gemm"]
    assert not any("Relu" == n["onnx_ops"] for n in net.nodes)  # all ReLUs fused
    latency = costings("VPU_4_0").network(net)
    assert latency.total_ms > 0 and len(latency.rows) == len(net.nodes) == sum(engines.values())
    params = sum(p.numel() for p in getattr(torchvision.models, name)(weights=None).parameters())
    assert net.parameters >= params * 0.99  # folded BN leaves conv weights and biases


def test_swish_and_hswish_are_one_shave_node(exported):
    effnet = vpucost.network_from_onnx(str(exported["efficientnet_b0"]))
    kinds = collections.Counter(n["onnx_ops"] for n in effnet.nodes if n["engine"] == "SHAVE")
    assert kinds["Sigmoid+Mul"] == 49  # SiLU after each conv but the SE's, exported as x*sigmoid(x)
    assert kinds["Sigmoid"] == 16 and kinds["Mul"] == 16  # the SE gates and scales
    mbv3 = vpucost.network_from_onnx(str(exported["mobilenet_v3_large"]))
    kinds = collections.Counter(n["onnx_ops"] for n in mbv3.nodes if n["engine"] == "SHAVE")
    assert kinds["HardSigmoid+Mul"] == 21 and kinds["HardSigmoid"] == 8


def _nodes_total(cli, source, device, dtype, name):
    path = source / "data" / "samples" / "v2" / "networks" / f"{device.lower()}_{name}.csv"
    out = cli("net", "--model", source / "models" / f"{device.lower()}.h5", "--shave-model",
              source / "models" / f"shave_{device.lower()}.h5", "--nodes", path, "--dtype", dtype,
              "--mode", "compute", "--json")
    import json
    return json.loads(out)["total_cycles"]


@pytest.mark.parametrize("dtype", ["UINT8", "FLOAT16"])
@pytest.mark.parametrize("name", ["mobilenet_v2", "mobilenet_v3_large", "resnet18"])
def test_onnx_equals_the_same_network_node_by_node(exported, costings, cli, source, name, dtype):
    """The teacher's node list of the same torchvision network (traced from
    PyTorch, not ONNX) costs exactly what the ONNX import costs."""
    ours = costings("VPU_4_0", dtype).network(str(exported[name]))
    assert ours.total_cycles == _nodes_total(cli, source, "VPU_4_0", dtype, name)


@pytest.mark.parametrize("name", NETWORKS)
def test_onnx_equals_the_same_network_as_python_layers(exported, costings, name):
    """The imported nodes written out as a Python layer list (Layer with its
    fused activation, ShaveStep) cost exactly what the import costs."""
    net = vpucost.network_from_onnx(str(exported[name]))
    items = [n["layer"] if n["engine"] == "DPU" else n["shave"]
             for n in net.nodes if n["engine"] != "layout"]
    costing = costings("VPU_4_0")
    as_layers = costing.network(items)
    onnx_rows = [r for r in costing.network(net).rows if r["engine"] != "layout"]
    assert [r["operation"] for r in as_layers.rows] == [r["operation"] for r in onnx_rows]
    assert [r["cycles"] for r in as_layers.rows] == [r["cycles"] for r in onnx_rows]
    assert as_layers.total_cycles == pytest.approx(costing.network(net).total_cycles, rel=1e-12)


def _teacher_totals(source):
    totals = {}
    for device in ("vpu_2_7", "vpu_4_0", "npu_5_0"):
        with open(source / "data" / "samples" / "v2" / "networks" / f"{device}_totals.csv") as f:
            for row in csv.DictReader(f):
                totals[row["device"], row["dtype"], row["network"]] = float(row["total_cycles"])
    return totals


# Beyond the ±5 % target with the default models, from the DPU model's layer costs (issue #16);
# within it with the accuracy-first VPU_4_0 model (the test below):
KNOWN_BEYOND = {("VPU_4_0", "UINT8", "resnet18"): "+5.6 %"}


@pytest.mark.parametrize("device", ["VPU_2_7", "VPU_4_0", "NPU_5_0"])
@pytest.mark.parametrize("dtype", ["UINT8", "FLOAT16"])
@pytest.mark.parametrize("name", ["mobilenet_v2", "mobilenet_v3_large", "resnet18"])
def test_within_five_percent_of_the_teacher_totals(exported, costings, source, request, device,
                                                   dtype, name):
    if (device, dtype, name) in KNOWN_BEYOND:
        request.applymarker(pytest.mark.xfail(
            strict=True, reason=f"issue #16: {KNOWN_BEYOND[device, dtype, name]}"))
    teacher = _teacher_totals(source)[device, dtype, name]
    ours = costings(device, dtype).network(str(exported[name])).total_cycles
    assert abs(ours / teacher - 1) <= 0.05, f"{ours / teacher - 1:+.2%}"


@pytest.mark.parametrize("dtype", ["UINT8", "FLOAT16"])
@pytest.mark.parametrize("name", ["mobilenet_v2", "mobilenet_v3_large", "resnet18"])
def test_the_accuracy_first_vpu_4_0_model_brings_every_total_within_five_percent(
        exported, costings, source, dtype, name):
    # models/README.md, "Accuracy-first models": the one total KNOWN_BEYOND lists.
    costing = costings("VPU_4_0", dtype, model="vpu_4_0_large.h5")
    teacher = _teacher_totals(source)["VPU_4_0", dtype, name]
    ours = costing.network(str(exported[name])).total_cycles
    assert abs(ours / teacher - 1) <= 0.05, f"{ours / teacher - 1:+.2%}"


def test_onnx_bad_inputs_are_one_clear_error(source, tmp_path):
    data = source / "tests" / "network" / "data" / "onnx"
    with pytest.raises(vpucost.Error, match="dynamic dimension 0 \\('batch'\\)"):
        vpucost.network_from_onnx(str(data / "dynamic_input.onnx"))
    assert vpucost.network_from_onnx(str(data / "dynamic_input.onnx"),
                                     input_shape=(1, 3, 32, 32)).input_shape == [1, 3, 32, 32]
    with pytest.raises(vpucost.Error, match="not an ONNX model"):
        vpucost.network_from_onnx(str(data / "truncated.onnx"))
    with pytest.raises(vpucost.Error, match="node 'hs' \\(Sin\\): operator 'Sin' has no mapping"):
        vpucost.network_from_onnx(str(data / "unknown_op.onnx"))
    generic = vpucost.network_from_onnx(str(data / "unknown_op.onnx"), unknown_ops="shave-generic")
    assert [n["name"] for n in generic.nodes if n["generic"]] == ["hs"]
    rows = vpucost.Costing(model=str(source / "models" / "vpu_4_0.h5"),
                           shave_model=str(source / "models" / "shave_vpu_4_0.h5")).network(
                               generic).rows
    assert [r["operation"] for r in rows if r["generic"]] == ["SHAVE sigmoid (generic)"]
    with pytest.raises(vpucost.Error, match="cycle"):
        vpucost.network_from_onnx(str(data / "cycle.onnx"))
    with pytest.raises(vpucost.Error, match="cannot open"):
        vpucost.network_from_onnx(str(tmp_path / "missing.onnx"))
