"""vpucost.load_model, Model.predict over DataFrames, arrays and row lists,
vpucost.read_dataset: the same numbers as the CLI, invalid rows named."""
import numpy as np
import pandas as pd
import pytest

import vpucost


def test_model_properties(model_2_7):
    assert model_2_7.device == "VPU_2_7"
    assert model_2_7.feature_version == 4
    assert model_2_7.source == "model"
    assert model_2_7.metadata["rows"] > 0
    assert vpucost.roofline().device is None


def test_prediction_equals_the_cli_row_by_row(source, cli, model_2_7, tmp_path):
    csv = source / "data" / "samples" / "vpu_2_7_test.csv"
    out = tmp_path / "predictions.csv"
    cli("predict", "--model", source / "models" / "vpu_2_7.h5", "--csv", csv, "--out", out)
    expected = pd.read_csv(out)["predicted_cycles"].to_numpy()
    got = model_2_7.predict(pd.read_csv(csv))
    assert got.dtype == np.float64 and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_dict_of_arrays_rows_and_defaults_agree(model_4_0):
    row = dict(operation="CONVOLUTION", input_width=56, input_height=56, input_channels=64,
               output_width=56, output_height=56, output_channels=64, kernel_width=3,
               kernel_height=3, pad_top=1, pad_bottom=1, pad_left=1, pad_right=1)
    from_rows = model_4_0.predict([row, dict(row, activation_function="RELU")])
    from_arrays = model_4_0.predict({k: np.array([v, v]) for k, v in row.items()} |
                                    {"activation_function": np.array(["NONE", "RELU"])})
    np.testing.assert_array_equal(from_rows, from_arrays)
    # The defaults are the CSV's: the model's device, UINT8, CUBOID_16x16, dense.
    explicit = model_4_0.predict([dict(row, device="VPU_4_0", input_dtype="UINT8",
                                       output_dtype="UINT8", execution_mode="CUBOID_16x16",
                                       input_sparsity=0.0, output_write_tiles=1,
                                       isi_strategy="CLUSTERING")])
    assert explicit[0] == from_rows[0]
    assert from_rows[0] > 0 and from_rows[1] != from_rows[0]


def test_a_million_rows_in_one_call(source, model_2_7):
    sample = pd.read_csv(source / "data" / "samples" / "vpu_2_7_test.csv")
    big = pd.concat([sample] * 1000, ignore_index=True)
    cycles = model_2_7.predict(big)
    assert len(cycles) == len(big) == 1_000_000
    np.testing.assert_array_equal(cycles[:len(sample)], cycles[-len(sample):])


def test_invalid_rows_across_blocks_and_threads_land_where_they_are(source, model_2_7):
    # Rows are validated and predicted a block of 4,096 at a time, on one or
    # more threads: invalid rows on and next to the blocks' edges and the
    # threads' must come back as NaN in their own places, every other row as
    # its prediction alone.
    sample = pd.read_csv(source / "data" / "samples" / "vpu_2_7_test.csv")
    big = pd.concat([sample] * 200, ignore_index=True)
    bad = [0, 4095, 4096, 8191, 99_999, 100_000, len(big) - 1]
    big.loc[bad, "output_width"] = big.loc[bad, "output_width"] + 1
    expected = np.tile(model_2_7.predict(sample), 200)
    expected[bad] = np.nan
    for threads in (1, 2):
        got = model_2_7.predict(big, invalid="nan", threads=threads)
        np.testing.assert_array_equal(got, expected)
    with pytest.raises(vpucost.Error, match=r"^row 0: .*output width"):
        model_2_7.predict(big, threads=2)


def test_names_coded_by_address_or_by_text_agree(model_4_0):
    # A DataFrame's names are a few str objects shared by many rows (coded in
    # C++ by their address); a numpy str array makes a new object per row
    # (more than the address cache holds); a bad name anywhere takes the path
    # that names its row.
    row = dict(operation="CONVOLUTION", input_width=8, input_height=8, input_channels=16,
               output_width=8, output_height=8, output_channels=16)
    frame = pd.DataFrame([row] * 50 + [dict(row, operation="DW_CONVOLUTION")] * 50)
    from_frame = model_4_0.predict(frame)
    assert from_frame[0] != from_frame[99]
    codes = vpucost._vpucost._enum_codes_of_strings(
        "operation", np.asarray(frame["operation"], dtype=object))
    assert codes is not None and len(set(codes)) == 2  # the fast path took it
    from_text = model_4_0.predict({k: np.array(frame[k].tolist()) for k in frame.columns})
    np.testing.assert_array_equal(from_text, from_frame)
    bad = frame.astype({"operation": object})
    bad.loc[70, "operation"] = "CONV"
    with pytest.raises(vpucost.Error, match="row 70: operation 'CONV' is not one of"):
        model_4_0.predict(bad)
    bad.loc[70, "operation"] = 5
    with pytest.raises(vpucost.Error, match="row 70: operation '5' is not one of"):
        model_4_0.predict(bad)


def test_invalid_rows_are_named_or_nan(model_4_0):
    rows = [dict(operation="CONVOLUTION", input_width=8, input_height=8, input_channels=16,
                 output_width=8, output_height=8, output_channels=16),
            dict(operation="CONVOLUTION", input_width=8, input_height=8, input_channels=16,
                 output_width=9, output_height=8, output_channels=16)]
    with pytest.raises(vpucost.Error, match=r"^row 1: .*output"):
        model_4_0.predict(rows)
    cycles = model_4_0.predict(rows, invalid="nan")
    assert cycles[0] > 0 and np.isnan(cycles[1])
    with pytest.raises(vpucost.Error, match="row 0: operation 'CONV' is not one of"):
        model_4_0.predict([dict(rows[0], operation="CONV")])
    with pytest.raises(vpucost.Error, match="row 1: execution_mode is empty"):
        model_4_0.predict(pd.DataFrame([dict(rows[0], execution_mode="CUBOID_16x16"),
                                        dict(rows[0], execution_mode=None)]))
    with pytest.raises(vpucost.Error, match="column 'input_width' is missing"):
        model_4_0.predict({"operation": ["CONVOLUTION"]})
    with pytest.raises(ValueError):  # vpucost.Error is a ValueError
        model_4_0.predict([dict(rows[0], device="VPU_2_7")])


def test_roofline_needs_a_device_column():
    row = dict(operation="CONVOLUTION", input_width=8, input_height=8, input_channels=16,
               output_width=8, output_height=8, output_channels=16)
    with pytest.raises(vpucost.Error, match="column 'device' is missing"):
        vpucost.roofline().predict([row])
    assert vpucost.roofline().predict([dict(row, device="NPU_5_0")])[0] > 0


def test_load_model_errors_carry_the_cpp_message(tmp_path):
    bad = tmp_path / "bad.h5"
    bad.write_text("not hdf5")
    with pytest.raises(vpucost.Error, match="bad.h5"):
        vpucost.load_model(str(bad))


def test_read_dataset_as_dataframe(source, cli, tmp_path):
    csv = source / "data" / "samples" / "vpu_2_7_test.csv"
    h5 = tmp_path / "test.h5"
    cli("import", "--csv", csv, "--out", h5)
    frame = vpucost.read_dataset(h5)
    raw = pd.read_csv(csv)
    assert len(frame) == len(raw)
    assert list(frame["operation"].astype(str)) == list(raw["operation"])
    np.testing.assert_array_equal(frame["cycles"].to_numpy(), raw["cycles"].to_numpy())
    np.testing.assert_array_equal(frame["input_channels"].to_numpy(),
                                  raw["input_channels"].to_numpy())
    # A DataFrame read from a dataset predicts as its CSV does.
    model = vpucost.load_model(str(source / "models" / "vpu_2_7.h5"))
    np.testing.assert_array_equal(model.predict(frame), model.predict(raw))


def _in_subprocess(code, cpu):
    """Runs `code` in a fresh interpreter with VPUCOST_CPU=cpu (the path is
    chosen once per process); returns the finished subprocess (bytes out)."""
    import os
    import subprocess
    import sys
    env = dict(os.environ, VPUCOST_CPU=cpu)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, env=env)


def test_cpu_path_is_the_cli_one_and_vpucost_cpu_forces_it(cli, source, model_4_0):
    import io
    import re
    version = cli("--version")
    assert f"cpu path: {vpucost.cpu_path()} " in version
    widest = re.search(r"widest this CPU has: (\w+)", version).group(1)
    paths = ["generic", "avx2", "avx512"]
    csv = source / "data" / "samples" / "v2" / "vpu_4_0_test.csv"
    expected = model_4_0.predict(pd.read_csv(csv))
    code = ("import sys, numpy, pandas, vpucost\n"
            f"m = vpucost.load_model({str(source / 'models' / 'vpu_4_0.h5')!r})\n"
            f"numpy.save(sys.stdout.buffer, m.predict(pandas.read_csv({str(csv)!r})))\n"
            "print(vpucost.cpu_path(), file=sys.stderr)\n")
    for path in paths[:paths.index(widest) + 1]:
        done = _in_subprocess(code, path)
        assert done.returncode == 0, done.stderr.decode()
        assert done.stderr.decode().strip() == path
        np.testing.assert_allclose(np.load(io.BytesIO(done.stdout)), expected, rtol=2e-5)


def test_a_vpucost_cpu_naming_no_path_is_an_error_saying_so(source):
    code = ("import vpucost\n"
            "try:\n"
            f"    vpucost.load_model({str(source / 'models' / 'vpu_4_0.h5')!r})\n"
            "except vpucost.Error as e:\n"
            "    print(e)\n")
    done = _in_subprocess(code, "avx1024")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == ("VPUCOST_CPU: unknown CPU path 'avx1024' "
                                            "(expected generic, avx2, avx512 or auto)")
