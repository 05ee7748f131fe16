"""DPU workloads as columns: prediction over a DataFrame or arrays, datasets
read into pandas.

Columns are the recording CSV's (datasets/README.md): ``device, operation,
input_width, input_height, input_channels, output_width, output_height,
output_channels, kernel_width, kernel_height, stride_width, stride_height,
pad_top, pad_bottom, pad_left, pad_right, input_dtype, output_dtype,
execution_mode, activation_function, output_write_tiles, isi_strategy,
input_sparsity, weight_sparsity``. Only the operation and the six shape
columns are required; the others default as in a CSV (kernel and stride 1,
no padding, UINT8, CUBOID_16x16, the compiler fields at their defaults,
output_dtype = input_dtype, device = the model's).
"""
import numpy as np

from . import _vpucost

# Defaults of the optional columns (a missing column in a recording CSV).
_DEFAULTS = {
    "kernel_width": 1,
    "kernel_height": 1,
    "stride_width": 1,
    "stride_height": 1,
    "pad_top": 0,
    "pad_bottom": 0,
    "pad_left": 0,
    "pad_right": 0,
    "input_dtype": "UINT8",
    "execution_mode": "CUBOID_16x16",
    "activation_function": "NONE",
    "output_write_tiles": 1,
    "isi_strategy": "CLUSTERING",
    "input_sparsity": 0.0,
    "weight_sparsity": 0.0,
}
_RATES = ("input_sparsity", "weight_sparsity")


def _enum_codes(name, values, rows):
    """Names (str array, list or pandas column) -> int64 codes of the C++ enum."""
    names = _vpucost._enum_names(name)
    index = {n: i for i, n in enumerate(names)}
    if isinstance(values, str):
        if values not in index:
            raise _vpucost.Error(f"{name} '{values}' is not one of {', '.join(names)}")
        return np.full(rows, index[values], dtype=np.int64)
    # Names held as str objects (a DataFrame's column, a list): coded in C++,
    # which knows a repeated object by its address. Anything else, and any
    # name that is missing or not one of them, takes the path below, which
    # names the row.
    codes = _vpucost._enum_codes_of_strings(
        name, np.ascontiguousarray(np.asarray(values, dtype=object)))
    if codes is not None:
        return codes
    # Factorise: a million rows hold a handful of distinct names (pandas
    # hashes them, numpy sorts them).
    try:
        import pandas as pd

        inverse, uniques = pd.factorize(np.asarray(values, dtype=object))
        uniques = [str(u) for u in uniques]
    except ImportError:
        uniques, inverse = np.unique(np.asarray(values, dtype=object).astype(str),
                                     return_inverse=True)
    if len(inverse) and inverse.min() < 0:  # pandas' code for None / NaN
        raise _vpucost.Error(f"row {int(np.argmax(inverse < 0))}: {name} is empty")
    lookup = np.empty(len(uniques), dtype=np.int64)
    for i, u in enumerate(uniques):
        if u not in index:
            row = int(np.argmax(inverse == i))
            raise _vpucost.Error(
                f"row {row}: {name} '{u}' is not one of {', '.join(names)}")
        lookup[i] = index[u]
    return lookup[inverse]


def _column(data, name):
    try:
        return data[name]
    except (KeyError, IndexError):
        return None


def workload_columns(data, device=None):
    """The 24 descriptor columns of ``data`` (a DataFrame, a dict of arrays or
    a list of row dicts) as numpy arrays with enum codes, defaults filled."""
    if isinstance(data, (list, tuple)):
        # A key some rows leave out takes its default in those rows.
        def fallback(row, key):
            if key == "output_dtype":
                return row.get("input_dtype", _DEFAULTS["input_dtype"])
            return device if key == "device" else _DEFAULTS.get(key)

        keys = sorted({k for row in data for k in row})
        data = {k: [row[k] if k in row else fallback(row, k) for row in data] for k in keys}
    required = ["operation", "input_width", "input_height", "input_channels",
                "output_width", "output_height", "output_channels"]
    for name in required:
        if _column(data, name) is None:
            raise _vpucost.Error(f"column '{name}' is missing")
    operations = _column(data, "operation")
    if isinstance(operations, str):
        raise _vpucost.Error("columns hold one value per row: give a list or array, not a string")
    rows = len(operations)
    out = {}
    for name in _vpucost._descriptor_columns():
        values = _column(data, name)
        if values is None:
            if name == "device":
                if device is None:
                    raise _vpucost.Error(
                        "column 'device' is missing and the model has no device (roofline)")
                values = device
            elif name == "output_dtype":
                out[name] = out["input_dtype"]
                continue
            else:
                values = _DEFAULTS[name]
        if _vpucost._enum_names(name):
            out[name] = _enum_codes(name, values, rows)
        elif name in _RATES:
            out[name] = np.broadcast_to(np.asarray(values, dtype=np.float64), (rows,)).copy()
        else:
            array = np.asarray(values)
            if array.dtype.kind not in "iu" and not (
                    array.dtype.kind == "f" and np.all(np.mod(array, 1) == 0)):
                raise _vpucost.Error(f"column '{name}' holds non-integer values")
            out[name] = np.broadcast_to(array.astype(np.int64), (rows,)).copy()
    return out


def predict(model, workloads, invalid="raise", threads=0):
    """Predicted DPU cycles of every workload, as a float64 numpy array.

    ``workloads``: a pandas DataFrame or a dict of arrays with the recording
    CSV's columns (module docstring), or a list of row dicts. ``invalid``:
    ``"raise"`` (default) raises :class:`vpucost.Error` naming the first
    invalid row and why; ``"nan"`` gives NaN for it. ``threads``: 0 = every
    core (only for large batches). The GIL is released while predicting.
    """
    if invalid not in ("raise", "nan"):
        raise _vpucost.Error(f"invalid='{invalid}' is not 'raise' or 'nan'")
    columns = workload_columns(workloads, device=model.device)
    cycles, problems = _vpucost._predict_columns(model, columns, threads)
    if problems and invalid == "raise":
        row, why = min(problems)
        more = f" ({len(problems) - 1} more invalid rows)" if len(problems) > 1 else ""
        raise _vpucost.Error(f"row {row}: {why}{more}")
    return cycles


_vpucost.Model.predict = predict


def read_dataset(path):
    """A dataset file (.h5) or a recording CSV (rejected rows left out, with a
    warning) as a pandas DataFrame, enum columns as categoricals."""
    import pandas as pd

    columns = _vpucost._read_dataset(str(path))
    frame = {}
    for name, values in columns.items():
        names = _vpucost._enum_names(name) if name in _vpucost._descriptor_columns() else []
        if names:
            frame[name] = pd.Categorical.from_codes(values, categories=names)
        else:
            frame[name] = values
    return pd.DataFrame(frame)
