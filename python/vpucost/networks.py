"""Layers and networks on the whole device, and latency look-up tables."""
import json
import os
import warnings

from . import _vpucost


class NetworkLatency:
    """A network's latency: ``total_ms``, ``total_cycles``, ``shave_cycles``,
    ``dma_cycles`` and ``rows`` (one dict per DPU layer, SHAVE step or DMA
    copy, in order, as ``vpucost net --json`` prints them); ``table()`` is
    the rows as a pandas DataFrame."""

    def __init__(self, report):
        self.report = report
        self.rows = report["rows"]
        for key in ("total_ms", "total_cycles", "shave_cycles", "dma_cycles", "device",
                    "dtype", "mode"):
            setattr(self, key, report[key])
        self.network = report.get("network")
        self.resolution = report.get("resolution")

    def table(self):
        import pandas as pd

        return pd.DataFrame(self.rows)

    def __repr__(self):
        name = self.network or "layer list"
        return (f"<vpucost.NetworkLatency {name}: {self.total_ms:.4f} ms on {self.device} "
                f"{self.dtype}, {self.mode} mode, {len(self.rows)} rows>")


def _network(costing, config, resolution=None):
    """Latency of a network on this costing's device.

    ``config``: a net-config JSON file (ProxylessNAS, once-for-all,
    MobileNetV3 or super-resolution; nets/), the same as a dict, a list of
    :class:`vpucost.Layer` and :class:`vpucost.ShaveStep` run in order, an
    ONNX file (``.onnx``) or a :func:`vpucost.network_from_onnx` network.
    ``resolution``: the input resolution of a net config (default 224; a
    super-resolution config has its own); for an ONNX file, 1x3xRxR.
    """
    if isinstance(config, _vpucost.OnnxNetwork):
        if resolution is not None:
            raise _vpucost.Error("resolution= does not apply to an ONNX network: "
                                 "vpucost.network_from_onnx(path, input_shape=...)")
        return NetworkLatency(costing._onnx(config))
    if isinstance(config, (str, os.PathLike)) and os.fspath(config).endswith(".onnx"):
        shape = None if resolution is None else (1, 3, resolution, resolution)
        return NetworkLatency(costing._onnx(_vpucost.network_from_onnx(os.fspath(config), shape)))
    if isinstance(config, (list, tuple)):
        if resolution is not None:
            raise _vpucost.Error("resolution= does not apply to a layer list")
        return NetworkLatency(costing._layers(list(config)))
    if isinstance(config, dict):
        return NetworkLatency(costing._net_config_text(json.dumps(config), resolution))
    if isinstance(config, (str, os.PathLike)):
        return NetworkLatency(costing._net_config_file(os.fspath(config), resolution))
    raise _vpucost.Error("config must be a net-config path, a dict or a list of vpucost.Layer")


def _layer(costing, layer):
    """One layer (or SHAVE step) on this costing's device: its row as a dict."""
    return costing._layers([layer])["rows"][0]


_vpucost.Costing.network = _network
_vpucost.Costing.layer = _layer


def _costing(costing, kwargs):
    if costing is not None:
        if kwargs:
            raise _vpucost.Error(f"give costing= or {', '.join(kwargs)}, not both")
        return costing
    return _vpucost.Costing(**kwargs)


def network_latency(config, resolution=None, costing=None, **costing_kwargs):
    """``Costing(**costing_kwargs).network(config, resolution)``: e.g.
    ``network_latency("nets/proxylessnas_mobile.json", model="models/vpu_4_0.h5")``."""
    return _costing(costing, costing_kwargs).network(config, resolution)


def build_lut(space="proxyless", resolution=None, costing=None, **costing_kwargs):
    """Latency table(s) of a search space.

    ``space``: a built-in name (:func:`vpucost.space_names`) or a
    search-space JSON file. ``resolution``: an int (one table) or a list (a
    list of tables); None: 224, or a super-resolution space's own input size.
    Candidates the device's SHAVE model cannot run are left out, with a
    warning each (as ``vpucost lut`` notes them).
    """
    costing = _costing(costing, costing_kwargs)
    several = isinstance(resolution, (list, tuple))
    resolutions = list(resolution) if several else ([] if resolution is None else [resolution])
    tables, notes = _vpucost._build_tables(costing, os.fspath(space), resolutions)
    for note in notes:
        warnings.warn(f"vpucost: {note}", stacklevel=2)
    return tables if several else tables[0]
