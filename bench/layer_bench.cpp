// Speed of a layer on the whole device (issue #16, item 7): every tiling
// strategy, each tile's part split into DPU workloads, each workload at its
// fastest mode, for layers of the ProxylessNAS space on VPU_2_7 (2 tiles),
// VPU_4_0 (6 tiles) and NPU_5_0 (3 tiles) with the shipped DPU models.
// Target: <= 20 us a layer.
// Results: bench/README.md.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "vpucost/device.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/model_file.hpp"

namespace {

using namespace vpucost;

Workload conv(Device d, Operation op, std::int64_t size, std::int64_t in, std::int64_t out,
              std::int64_t k, std::int64_t stride) {
  Workload w;
  w.device = d;
  w.operation = op;
  w.input = {size, size, in, DType::UINT8};
  w.kernel_w = w.kernel_h = k;
  w.stride_w = w.stride_h = stride;
  w.padding = {k / 2, k / 2, k / 2, k / 2};
  const std::int64_t o = (size + 2 * (k / 2) - k) / stride + 1;
  w.output = {o, o, out, DType::UINT8};
  w.mode = operation_modes(d, op).front();
  return w;
}

// Expand, depthwise and project layers of MBConv blocks at four resolutions.
std::vector<Workload> proxyless_layers(Device d) {
  std::vector<Workload> out;
  const std::int64_t sizes[] = {112, 56, 28, 14, 7};
  const std::int64_t channels[] = {32, 48, 80, 160, 320};
  for (int i = 0; i < 5; ++i) {
    const std::int64_t s = sizes[i], c = channels[i], mid = c * 6;
    out.push_back(conv(d, Operation::CONVOLUTION, s, c, mid, 1, 1));
    for (std::int64_t k : {3, 5, 7})
      out.push_back(conv(d, Operation::DW_CONVOLUTION, s, mid, mid, k, 1));
    out.push_back(conv(d, Operation::CONVOLUTION, s, mid, c, 1, 1));
  }
  return out;
}

std::string model_path(Device device) {
  const std::string name = device == Device::VPU_2_7   ? "vpu_2_7.h5"
                           : device == Device::VPU_4_0 ? "vpu_4_0.h5"
                                                       : "npu_5_0.h5";
  return std::string(VPUCOST_MODELS_DIR) + "/" + name;
}

// The layers some strategy fits. Layers no strategy fits (112x112 expand
// layers: streamed by the compiler, in slices) are left out.
std::vector<Workload> costable_layers(const CostModel& model, Device device) {
  std::vector<Workload> layers;
  for (const Workload& w : proxyless_layers(device)) {
    if (!cost_strategies(model, w).valid.empty()) layers.push_back(w);
  }
  return layers;
}

// Cycles through the costable layers of a device, costing each with `cost`.
template <typename Cost>
void cycle_layers(benchmark::State& state, Cost cost) {
  const Device device = static_cast<Device>(state.range(0));
  const CostModel model = load_model(model_path(device));
  const std::vector<Workload> layers = costable_layers(model, device);
  state.counters["layers"] = static_cast<double>(layers.size());
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cost(model, layers[i]).best().cycles);
    i = (i + 1) % layers.size();
  }
  state.SetItemsProcessed(state.iterations());
}

// Every strategy costed and listed with its tiles' workloads: what `vpucost
// layer` shows.
void BM_LayerAllStrategies(benchmark::State& state) {
  cycle_layers(state, [](const CostModel& m, const Workload& w) { return cost_strategies(m, w); });
}
BENCHMARK(BM_LayerAllStrategies)
    ->Arg(static_cast<int>(Device::VPU_2_7))
    ->Arg(static_cast<int>(Device::VPU_4_0))
    ->Arg(static_cast<int>(Device::NPU_5_0))
    ->Unit(benchmark::kMicrosecond);

// Every strategy costed, the best one listed: what a network, a LUT and
// cost_on_device ask of a layer (issue #16 item 7's "best-strategy
// latency").
void BM_LayerBestStrategy(benchmark::State& state) {
  cycle_layers(state,
               [](const CostModel& m, const Workload& w) { return cost_best_strategy(m, w); });
}
BENCHMARK(BM_LayerBestStrategy)
    ->Arg(static_cast<int>(Device::VPU_2_7))
    ->Arg(static_cast<int>(Device::VPU_4_0))
    ->Arg(static_cast<int>(Device::NPU_5_0))
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
