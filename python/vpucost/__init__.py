"""vpucost: latency of neural-network layers on Intel VPU/NPU generations.

The C++ library (extension module ``vpucost._vpucost``) with a Python face
for numpy, pandas and PyTorch:

- :func:`load_model` / :func:`roofline` and :func:`predict` (``Model.predict``):
  DPU workload cycles for a DataFrame or column arrays, one call for a million
  rows, GIL released;
- :class:`Costing`: a layer, a Python layer list, a net config or an ONNX
  model (:func:`network_from_onnx`) on the whole device
  (``Costing.network``), per-layer rows as a DataFrame;
- :func:`build_lut`: latency look-up tables that ProxylessNAS / once-for-all
  read (``LatencyTable.write``);
- :func:`read_dataset`: a dataset (.h5) or recording CSV as a DataFrame;
- :func:`expected_latency`: E[latency] of a differentiable search and its
  gradient (a ``torch.autograd.Function`` for torch tensors);
- :func:`evolutionary_search`: the constrained search with a Python callable
  as evaluator.

Errors are :class:`vpucost.Error` (a ``ValueError``) with the C++ message.
See python/README.md for a NAS training-loop example.
"""
from ._vpucost import (  # noqa: F401  (re-exported)
    Costing,
    Error,
    LatencyTable,
    Layer,
    Model,
    OnnxNetwork,
    ShaveStep,
    __version__,
    cpu_path,
    evolutionary_search,
    load_model,
    network_from_onnx,
    roofline,
    space_names,
    write_tables,
)
# Shown as vpucost.X in messages and reprs, not vpucost._vpucost.X.
for _class in (Costing, Error, LatencyTable, Layer, Model, OnnxNetwork, ShaveStep):
    _class.__module__ = "vpucost"
del _class

from .networks import NetworkLatency, build_lut, network_latency  # noqa: F401
from .nas import expected_latency  # noqa: F401
from .workloads import predict, read_dataset, workload_columns  # noqa: F401

__all__ = [
    "Costing",
    "Error",
    "LatencyTable",
    "Layer",
    "Model",
    "NetworkLatency",
    "OnnxNetwork",
    "ShaveStep",
    "build_lut",
    "cpu_path",
    "evolutionary_search",
    "expected_latency",
    "load_model",
    "network_from_onnx",
    "network_latency",
    "predict",
    "read_dataset",
    "roofline",
    "space_names",
    "workload_columns",
    "write_tables",
]
