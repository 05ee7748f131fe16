"""vpucost from Python: predict workloads, cost a network on the whole
device, build a latency table and take one step of a latency-aware
differentiable search (run from the repository root: models/, nets/, data/)."""
import numpy as np
import pandas as pd

import vpucost

# 1. DPU workloads from a recording CSV (any DataFrame with its columns).
model = vpucost.load_model("models/vpu_2_7.h5")
workloads = pd.read_csv("data/samples/vpu_2_7_test.csv")
cycles = model.predict(workloads)
error = np.abs(cycles - workloads["cycles"]) / workloads["cycles"]
print(f"{len(cycles)} workloads on {model.device}: MAPE {100 * error.mean():.2f} %")

# 2. A network on the whole VPU_4_0, SHAVE activations included; device mode
#    (the default): weight fetches the node before does not hide, by the DMA model.
costing = vpucost.Costing(model="models/vpu_4_0.h5", shave_model="models/shave_vpu_4_0.h5",
                          dma_model="models/dma_vpu_4_0.h5")
net = costing.network("nets/mobilenet_v3_large.json")
print(net)
table = net.table()
print(table.groupby("engine")["ms"].sum().round(4).to_string())

# 3. A ProxylessNAS latency table and the expected latency of a search.
lut = vpucost.build_lut("proxyless", 224, costing=costing)
try:
    import torch

    alphas = [torch.zeros(len(ms), requires_grad=True) for ms in lut.block_ms]
    expected = vpucost.expected_latency(lut, alphas)
    expected.backward()
    print(f"E[latency] at uniform alphas: {expected.item():.4f} ms; "
          f"d/d alpha at position 0: {alphas[0].grad.numpy().round(5)}")
except ImportError:
    ms, grads = vpucost.expected_latency(lut, [np.zeros(len(ms)) for ms in lut.block_ms])
    print(f"E[latency] at uniform alphas: {ms:.4f} ms (torch not installed)")
