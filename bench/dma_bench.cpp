// Prediction speed of the DMA model (issue #15): single and batched queries
// over transfers of 1 KiB .. 4 MiB, for a model of the size a fitted device
// model has (89 knots per direction, 8 per octave over 1 KiB .. 2 MiB). The
// knot values are arbitrary: the time does not depend on them. Results:
// bench/README.md.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "vpucost/dma_model.hpp"

namespace {

using namespace vpucost;

DmaModel fitted_size_model() {
  DmaModelParts p;
  p.device = Device::VPU_4_0;
  for (DmaCurve& c : p.curves) {
    for (int k = 80; k <= 168; ++k) {
      c.knot_bytes.push_back(std::exp2(k / 8.0));
      c.knot_cycles.push_back(400 + std::exp2(k / 8.0) / 30);
    }
  }
  return DmaModel(std::move(p));
}

std::vector<DmaTransfer> transfers(std::size_t n) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> log_bytes(10, 22);
  std::vector<DmaTransfer> out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto channels = static_cast<std::int64_t>(std::exp2(log_bytes(rng)) / 64) + 1;
    out.push_back({Device::VPU_4_0,
                   rng() % 2 ? DmaDirection::DDR_TO_CMX : DmaDirection::CMX_TO_DDR,
                   {8, 8, channels, DType::UINT8}});
  }
  return out;
}

void BM_DmaSingleQuery(benchmark::State& state) {
  const DmaModel model = fitted_size_model();
  const auto ts = transfers(1024);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.predict_cycles(ts[i]));
    i = (i + 1) % ts.size();
  }
}
BENCHMARK(BM_DmaSingleQuery);

void BM_DmaBatchedQuery(benchmark::State& state) {
  const DmaModel model = fitted_size_model();
  const auto ts = transfers(static_cast<std::size_t>(state.range(0)));
  std::vector<double> out(ts.size());
  for (auto _ : state) {
    model.predict_cycles(ts, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DmaBatchedQuery)->Arg(1024);

}  // namespace

BENCHMARK_MAIN();
