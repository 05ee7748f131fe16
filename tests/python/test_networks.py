"""vpucost.Costing: networks from net configs, dicts and Python layer lists,
and latency tables -- the same numbers and files as the CLI."""
import json

import pytest

import vpucost


@pytest.fixture(scope="module")
def costing(source, model_4_0):
    # compute mode: a network is the sum of its layers wherever they stand
    # (device mode adds the network's input fetch and output spill at its ends).
    return vpucost.Costing(model=model_4_0,
                           shave_model=str(source / "models" / "shave_vpu_4_0.h5"), mode="compute")


def test_the_default_mode_is_device(source, model_4_0):
    costing = vpucost.Costing(model=model_4_0)
    assert costing.mode == "device"
    # It says which DMA model the weight fetches come from.
    assert costing.dma == "roofline DMA (no dma_model)"
    assert "device mode" in repr(costing) and "roofline DMA" in repr(costing)
    dma = source / "models" / "dma_vpu_4_0.h5"
    assert vpucost.Costing(model=model_4_0, dma_model=str(dma)).dma == f"DMA model {dma}"
    config = source / "nets" / "proxylessnas_mobile.json"
    by_default = costing.network(config)
    assert by_default.total_cycles == vpucost.Costing(model=model_4_0, mode="device").network(
        config).total_cycles
    # The weight fetches the layer before does not hide, the input and the output.
    assert by_default.total_cycles > vpucost.Costing(model=model_4_0, mode="compute").network(
        config).total_cycles


@pytest.mark.parametrize("mode", ["compute", "ddr", "dpu", "device"])
def test_network_equals_cli_net_json(source, cli, model_4_0, mode):
    config = source / "nets" / "mobilenet_v3_large.json"
    shave = source / "models" / "shave_vpu_4_0.h5"
    expected = json.loads(cli("net", "--model", source / "models" / "vpu_4_0.h5", "--config",
                              config, "--shave-model", shave, "--mode", mode, "--json"))
    got = vpucost.network_latency(config, model=model_4_0, shave_model=str(shave), mode=mode)
    assert got.total_cycles == expected["total_cycles"]
    assert got.shave_cycles == expected["shave_cycles"]
    assert len(got.rows) == len(expected["layers"])
    for ours, theirs in zip(got.rows, expected["layers"]):
        for key in ("part", "layer", "engine", "operation", "split", "cycles", "workloads"):
            assert ours[key] == theirs[key], key
    table = got.table()
    assert list(table["engine"].unique()) == ["DPU", "SHAVE"]
    assert table["cycles"].sum() == pytest.approx(got.total_cycles)


def test_config_as_dict_equals_config_file(source, costing):
    path = source / "nets" / "proxylessnas_mobile.json"
    from_file = costing.network(path, resolution=192)
    from_dict = costing.network(json.loads(path.read_text()), resolution=192)
    assert from_file.total_cycles == from_dict.total_cycles
    assert from_file.resolution == 192 and from_file.network == "ProxylessNASNets"


def test_layer_list_equals_the_same_layers_in_a_config(source, costing):
    # ProxylessNAS-mobile's first_conv (3x3 stride-2 conv 3 -> 32 at 224) and
    # blocks[0] (k3 e1: depthwise 3x3 on 112x112x32, pointwise 32 -> 16).
    config = costing.network(source / "nets" / "proxylessnas_mobile.json")
    rows = [r for r in config.rows if r["part"] in ("first_conv", "blocks[0]")]
    layers = [vpucost.Layer("conv", (224, 224, 3), 32, kernel=3, stride=2, name="first_conv"),
              vpucost.Layer("depthwise_conv", (112, 112, 32), kernel=3, name="depthwise"),
              vpucost.Layer("conv", (112, 112, 32), 16, name="pointwise")]
    listed = costing.network(layers)
    assert [r["operation"] for r in listed.rows] == [r["operation"] for r in rows]
    assert [r["cycles"] for r in listed.rows] == [r["cycles"] for r in rows]
    assert listed.total_cycles == pytest.approx(sum(r["cycles"] for r in rows))


def test_layer_and_shave_step_rows(costing):
    conv = costing.layer(vpucost.Layer("conv", (56, 56, 64), 64, kernel=3))
    assert conv["engine"] == "DPU" and conv["cycles"] > 0 and conv["output"] == [56, 56, 64]
    hswish = costing.layer(vpucost.ShaveStep("hswish", (56, 56, 64)))
    assert hswish["engine"] == "SHAVE" and hswish["cycles"] > 0
    both = costing.network([vpucost.Layer("conv", (56, 56, 64), 64, kernel=3),
                            vpucost.ShaveStep("hswish", (56, 56, 64))])
    assert both.total_cycles == pytest.approx(conv["cycles"] + hswish["cycles"])


def test_bad_layers_and_costings_are_one_clear_error(source, model_4_0):
    with pytest.raises(vpucost.Error, match="layer kind 'conv2d' is not conv"):
        vpucost.Layer("conv2d", (8, 8, 8), 8)
    with pytest.raises(vpucost.Error, match="keeps its channels"):
        vpucost.Layer("depthwise_conv", (8, 8, 8), 16)
    with pytest.raises(vpucost.Error, match="does not match the model"):
        vpucost.Costing(model=model_4_0, device="VPU_2_7")
    with pytest.raises(vpucost.Error, match="device= is required"):
        vpucost.Costing()
    with pytest.raises(vpucost.Error, match="HF8"):
        vpucost.Costing(model=model_4_0, dtype="HF8")
    with pytest.raises(vpucost.Error, match="first_conv: missing"):
        vpucost.Costing(model=model_4_0).network({"name": "x", "blocks": 3})


def test_lut_yaml_equals_cli_byte_for_byte(source, cli, costing, tmp_path):
    out = tmp_path / "cli.yaml"
    cli("lut", "--model", source / "models" / "vpu_4_0.h5", "--space", "proxyless",
        "--resolution", "224", "--mode", "compute", "--out", out, "--quiet")
    table = vpucost.build_lut("proxyless", 224, costing=costing)
    assert table.yaml() == out.read_text()
    mine = tmp_path / "python.yaml"
    table.write(str(mine))
    assert mine.read_text() == out.read_text()
    assert not list(tmp_path.glob("*.tmp*"))  # written through a renamed temporary file


def test_lut_tables_and_latency(costing, tmp_path):
    tables = vpucost.build_lut("proxyless", [160, 224], costing=costing)
    assert [t.resolution for t in tables] == [160, 224]
    t = tables[1]
    arch = [0] * len(t.block_ms)
    assert t.latency_ms(arch) == pytest.approx(
        t.fixed_ms + sum(ms[0] for ms in t.block_ms))
    assert t.candidate_names[0][0] and len(t.entries()) > len(t.block_ms)
    vpucost.write_tables(tables, str(tmp_path / "both.csv"), "csv")
    assert (tmp_path / "both.csv").read_text().count("\n") > 2 * len(t.block_ms)
    with pytest.raises(vpucost.Error, match="holds one resolution"):
        vpucost.write_tables(tables, str(tmp_path / "x.yaml"), "proxyless-yaml")


def test_super_resolution_space_drops_what_shave_cannot_run(source):
    costing = vpucost.Costing(model=str(source / "models" / "vpu_4_0.h5"),
                              shave_model=str(source / "models" / "shave_vpu_4_0.h5"))
    with pytest.warns(UserWarning, match="left out"):
        table = vpucost.build_lut("sr-edsr", costing=costing)
    assert table.resolution == 360


def test_device_mode_table_equals_cli(source, cli, model_4_0, tmp_path):
    """A table in device mode (each entry's first weight fetch behind its
    last layer) is the CLI's, and differs from the compute-mode table."""
    out = tmp_path / "device.yaml"
    cli("lut", "--model", source / "models" / "vpu_4_0.h5", "--space", "proxyless",
        "--resolution", "224", "--mode", "device", "--out", out, "--quiet")
    device = vpucost.build_lut("proxyless", 224,
                               costing=vpucost.Costing(model=model_4_0, mode="device"))
    assert device.yaml() == out.read_text()
    compute = vpucost.build_lut("proxyless", 224,
                                costing=vpucost.Costing(model=model_4_0, mode="compute"))
    assert device.yaml() != compute.yaml()
