"""Checks that a dataset written by `vpucost import` is readable with h5py
alone, exactly as datasets/README.md shows, and holds the CSV's values.

usage: h5py_check.py VPUCOST_EXE RECORDINGS.csv BAD_ROWS.csv [V2_RECORDINGS.csv]
Exit code 77 (skipped) when h5py or numpy is not installed.
"""
import csv
import math
import os
import subprocess
import sys
import tempfile
import zlib

try:
    import h5py
    import numpy as np
except ImportError as e:  # pragma: no cover
    print(f"skipped: {e}")
    sys.exit(77)

REQUIRED = ["device", "operation", "input_width", "input_height", "input_channels",
            "output_width", "output_height", "output_channels", "kernel_width", "kernel_height",
            "stride_width", "stride_height", "pad_top", "pad_bottom", "pad_left", "pad_right",
            "input_dtype", "output_dtype", "execution_mode", "cycles"]


def import_csv(exe, csv_path, out):
    subprocess.run([exe, "import", "--csv", csv_path, "--out", out], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def read_like_the_readme(path):
    # --- the snippet of datasets/README.md, verbatim ---
    def text(value):  # string attributes are fixed-length: h5py gives bytes
        return value.decode() if isinstance(value, bytes) else value

    with h5py.File(path, "r") as f:
        assert text(f.attrs["format"]) == "vpucost-dataset"
        g = f["dataset"]
        order = [text(name) for name in g.attrs["columns"]]
        columns = {name: g[name][...] for name in order}
        names = {name: [text(n) for n in g[name].attrs["enum_names"]]
                 for name in order if "enum_names" in g[name].attrs}
        ops = [names["operation"][v] for v in columns["operation"]]  # e.g. "CONVOLUTION"
        crc = 0
        for name in order:
            stored = columns[name].astype(columns[name].dtype.newbyteorder("<"))
            crc = zlib.crc32(stored.tobytes(), crc)
        assert text(g.attrs["checksum"]) == f"crc32:{crc:08x}"
        attrs = {key: text(value) for key, value in g.attrs.items()}
    # --- end of snippet ---
    return columns, names, ops, attrs


def check(exe, csv_path, tmp):
    out = os.path.join(tmp, "d.h5")
    import_csv(exe, csv_path, out)
    columns, names, ops, attrs = read_like_the_readme(out)
    with open(csv_path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert int(attrs["rows"]) == len(rows), (attrs["rows"], len(rows))
    assert attrs["source_file"] == os.path.basename(csv_path)
    assert attrs["devices"] == "VPU_2_7"
    assert int(attrs["rows_rejected"]) == 0
    for name in REQUIRED:
        assert name in columns, name
        assert columns[name].shape == (len(rows),), (name, columns[name].shape)
    for i, row in enumerate(rows):
        assert ops[i] == row["operation"]
        for name in REQUIRED:
            value = columns[name][i]
            if name in names:
                assert names[name][value] == row[name], (i, name)
            elif name == "cycles":
                assert value == float(row[name]), (i, name)
            else:
                assert int(value) == int(row[name]), (i, name, value, row[name])
        theo = columns["theoretical_cycles"][i]
        if row["theoretical_cycles"] == "":
            assert math.isnan(theo), i
        else:
            assert theo == float(row["theoretical_cycles"]), i
    # Smallest sensible integer types, float64 cycles.
    assert columns["input_width"].dtype == np.uint8
    assert columns["input_channels"].dtype == np.uint16
    assert columns["cycles"].dtype == np.float64
    print(f"h5py read {len(rows)} rows of {csv_path} correctly")


def check_rejects_recorded(exe, bad_csv, tmp):
    out = os.path.join(tmp, "bad.h5")
    import_csv(exe, bad_csv, out)
    columns, _, _, attrs = read_like_the_readme(out)
    assert int(attrs["rows"]) == 5
    assert int(attrs["rows_read"]) == 21
    assert int(attrs["rows_rejected"]) == 16
    assert int(attrs["duplicates"]) == 1
    assert list(columns["cycles"]) == [30746.0, 1234.5, 31000.0, 812.0, 96.0]


COMPILER = ["activation_function", "input_sparsity", "weight_sparsity", "output_write_tiles",
            "isi_strategy"]


def check_schema2(exe, csv_path, tmp):
    """A recording with the compiler's fields: schema 2, its five columns read by the same
    snippet (enum names for activation and ISI strategy, float64 rates)."""
    out = os.path.join(tmp, "v2.h5")
    import_csv(exe, csv_path, out)
    with h5py.File(out, "r") as f:
        assert int(f.attrs["schema_version"]) == 2
    columns, names, ops, attrs = read_like_the_readme(out)
    with open(csv_path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert int(attrs["rows"]) == len(rows)
    for name in COMPILER:
        assert columns[name].shape == (len(rows),), name
    assert columns["input_sparsity"].dtype == np.float64
    for i, row in enumerate(rows):
        assert ops[i] == row["operation"]
        for name in ("activation_function", "isi_strategy", "input_dtype", "device"):
            assert names[name][columns[name][i]] == row[name], (i, name)
        for name in ("input_sparsity", "weight_sparsity"):
            assert columns[name][i] == float(row[name]), (i, name)
        assert int(columns["output_write_tiles"][i]) == int(row["output_write_tiles"]), i
    print(f"h5py read {len(rows)} schema-2 rows of {csv_path} correctly")


def main():
    exe, csv_path, bad_csv = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        check(exe, csv_path, tmp)
        check_rejects_recorded(exe, bad_csv, tmp)
        if len(sys.argv) > 4:
            check_schema2(exe, sys.argv[4], tmp)


if __name__ == "__main__":
    main()
