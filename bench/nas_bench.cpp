// NAS module (issue #6): architecture latency evaluations per second through
// the flat latency table (target >= 1,000,000/s on one core), E[lat] with its
// gradient, HURRICANE scoring, and a full default evolutionary search
// (proxyless space, proxy evaluator, limit = MobileNetV2's latency).
// Results: bench/README.md.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "vpucost/evolution.hpp"
#include "vpucost/expected_latency.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/roofline.hpp"
#include "vpucost/space_reduction.hpp"

namespace {

using namespace vpucost;
using namespace vpucost::nas;

// The shipped VPU_2_7 model when present, else the roofline: the table's
// numbers differ, the NAS loops do not.
struct Predictor {
  std::unique_ptr<CyclePredictor> p;
  Predictor() {
    const auto shipped = std::filesystem::path(VPUCOST_SOURCE_DIR) / "models/vpu_2_7.h5";
    if (std::filesystem::exists(shipped)) {
      p = std::make_unique<CostModel>(load_model(shipped));
    } else {
      p = std::make_unique<RooflineModel>();
    }
  }
};

const LatencyTable& proxyless_table() {
  static const Predictor predictor;
  static const NetworkCoster coster(*predictor.p, Device::VPU_2_7, DType::UINT8);
  static const LatencyTable table = build_latency_table(proxyless_space(), 224, coster);
  return table;
}

std::vector<Architecture> random_architectures(std::size_t n) {
  const SearchSpace space = proxyless_space();
  std::mt19937_64 rng(3);
  std::vector<Architecture> archs(n, Architecture(space.positions.size()));
  for (auto& a : archs) {
    for (std::size_t p = 0; p < a.size(); ++p) {
      a[p] = int(rng() % space.positions[p].candidates.size());
    }
  }
  return archs;
}

void BM_FlatLatencyPerArchitecture(benchmark::State& state) {
  const FlatLatencyTable flat(proxyless_table());
  const auto archs = random_architectures(1024);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(flat.latency_ms(archs[i++ & 1023]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FlatLatencyPerArchitecture);

// costmodel's LatencyTable::latency_ms (validates every call), for comparison.
void BM_TableLatencyPerArchitecture(benchmark::State& state) {
  const LatencyTable& table = proxyless_table();
  const auto archs = random_architectures(1024);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(table.latency_ms(archs[i++ & 1023]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TableLatencyPerArchitecture);

void BM_ExpectedLatencyWithGradient(benchmark::State& state) {
  const FlatLatencyTable flat(proxyless_table());
  ArchParams alpha(flat.positions());
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (std::size_t p = 0; p < flat.positions(); ++p) {
    for (std::size_t c = 0; c < flat.candidates(p); ++c) alpha[p].push_back(normal(rng));
  }
  for (auto _ : state) benchmark::DoNotOptimize(expected_latency(flat, alpha).ms);
}
BENCHMARK(BM_ExpectedLatencyWithGradient)->Unit(benchmark::kMicrosecond);

void BM_HurricaneReduction(benchmark::State& state) {
  const SearchSpace space = proxyless_space();
  for (auto _ : state) {
    benchmark::DoNotOptimize(reduce_search_space(space, proxyless_table()).space.positions.size());
  }
}
BENCHMARK(BM_HurricaneReduction)->Unit(benchmark::kMicrosecond);

// SPOS defaults (population 50, top-k 10, 20 generations, 25 + 25 children),
// proxy evaluator, limit = MobileNetV2's latency on the same predictor.
void BM_FullDefaultSearchProxy(benchmark::State& state) {
  const LatencyTable& table = proxyless_table();
  const FlatLatencyTable flat(table);
  ProxyEvaluator proxy{ComplexityTable(table)};
  static const Predictor predictor;
  const NetworkCoster coster(*predictor.p, Device::VPU_2_7, DType::UINT8);
  std::vector<Layer> layers;
  for (const NetPart& p : net_parts(
           load_net_config(std::string(VPUCOST_SOURCE_DIR) + "/nets/mobilenetv2.json"), 224)) {
    layers.insert(layers.end(), p.layers.begin(), p.layers.end());
  }
  EvolutionOptions o;
  o.latency_limit_ms = coster.milliseconds(total_cycles(coster.cost(layers)));
  std::size_t evaluated = 0;
  for (auto _ : state) {
    const SearchResult r = evolutionary_search(flat, proxy, o);
    evaluated = r.evaluated.size();
    benchmark::DoNotOptimize(r.best().score);
  }
  state.counters["evaluated"] = double(evaluated);
}
BENCHMARK(BM_FullDefaultSearchProxy)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
