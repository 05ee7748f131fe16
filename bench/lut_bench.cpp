// Latency tables (issue #5): the full ProxylessNAS table at the five
// once-for-all resolutions with a cost model of the shipped size (or the
// shipped VPU_2_7 model when models/vpu_2_7.h5 exists) and with the roofline;
// a fixed network; and one architecture's latency through the table, the
// NAS inner loop. Results: bench/README.md.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <string>

#include "vpucost/hurricane_space.hpp"
#include "vpucost/lut_writers.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/roofline.hpp"
#include "vpucost/shave_model_file.hpp"

namespace {

using namespace vpucost;

constexpr int kResolutions[] = {160, 176, 192, 208, 224};

// The shipped model when present, else a random network of its size
// (34 -> 128 -> 128 -> 64 -> 1): prediction cost depends on the size only.
CostModel bench_model() {
  const std::filesystem::path shipped =
      std::filesystem::path(VPUCOST_SOURCE_DIR) / "models/vpu_2_7.h5";
  if (std::filesystem::exists(shipped)) return load_model(shipped);
  std::mt19937 rng(1);
  std::normal_distribution<float> normal(0.0f, 0.1f);
  std::vector<DenseLayer> layers;
  int in = static_cast<int>(kFeatureCount);
  for (int out : {128, 128, 64, 1}) {
    DenseLayer l{Eigen::MatrixXf(out, in), Eigen::VectorXf(out)};
    for (Eigen::Index i = 0; i < l.weights.size(); ++i) l.weights.data()[i] = normal(rng);
    for (Eigen::Index i = 0; i < l.bias.size(); ++i) l.bias[i] = normal(rng);
    layers.push_back(std::move(l));
    in = out;
  }
  ModelParts p;
  p.device = Device::VPU_2_7;
  p.mlp = Mlp(std::move(layers), Activation::ReLU);
  p.feature_mean = Eigen::VectorXf::Zero(kFeatureCount);
  p.feature_std = Eigen::VectorXf::Ones(kFeatureCount);
  p.output_offset = 9.0f;
  return CostModel(std::move(p));
}

void BM_ProxylessLutFiveResolutionsModel(benchmark::State& state) {
  const CostModel model = bench_model();
  const NetworkCoster coster(model, Device::VPU_2_7, DType::UINT8);
  const SearchSpace space = proxyless_space();
  for (auto _ : state) {
    auto tables = build_latency_tables(space, kResolutions, coster);
    benchmark::DoNotOptimize(tables.data());
  }
}
BENCHMARK(BM_ProxylessLutFiveResolutionsModel)->Unit(benchmark::kMillisecond);

// The shipped models' file stem of a device of several tiles.
std::string model_stem(Device device) {
  return device == Device::VPU_4_0 ? "vpu_4_0" : device == Device::NPU_5_0 ? "npu_5_0" : "vpu_2_7";
}

// The same table on the whole device (compute mode: every layer at its best
// tiling strategy), shipped models of VPU_2_7, VPU_4_0 and NPU_5_0 (issue
// #16's target: < 100 ms for the five resolutions).
void BM_ProxylessLutFiveResolutionsDevice(benchmark::State& state) {
  const Device device = static_cast<Device>(state.range(0));
  const std::filesystem::path path =
      std::filesystem::path(VPUCOST_SOURCE_DIR) / "models" / (model_stem(device) + ".h5");
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("no shipped model");
    return;
  }
  const CostModel model = load_model(path);
  const NetworkCoster coster(model, device, DType::UINT8, LatencyMode::compute);
  const SearchSpace space = proxyless_space();
  for (auto _ : state) {
    auto tables = build_latency_tables(space, kResolutions, coster);
    benchmark::DoNotOptimize(tables.data());
  }
}
BENCHMARK(BM_ProxylessLutFiveResolutionsDevice)
    ->Arg(static_cast<int>(Device::VPU_2_7))
    ->Arg(static_cast<int>(Device::VPU_4_0))
    ->Arg(static_cast<int>(Device::NPU_5_0))
    ->Unit(benchmark::kMillisecond);

// once-for-all's MobileNetV3 tables (ofa-mbv3: SE and h-swish on SHAVE) at
// the five resolutions, and HURRICANE's 640-entry table at 224, on the whole
// device with the shipped DPU and SHAVE models.
void BM_ShaveSpaceTablesDevice(benchmark::State& state) {
  const Device device = static_cast<Device>(state.range(0));
  const bool hurricane = state.range(1) != 0;
  const std::string stem = model_stem(device);
  const std::filesystem::path models = std::filesystem::path(VPUCOST_SOURCE_DIR) / "models";
  if (!std::filesystem::exists(models / (stem + ".h5"))) {
    state.SkipWithError("no shipped model");
    return;
  }
  const CostModel model = load_model(models / (stem + ".h5"));
  const ShaveModel shave = load_shave_model(models / ("shave_" + stem + ".h5"));
  const NetworkCoster coster(model, device, DType::UINT8, LatencyMode::compute, nullptr, &shave);
  const SearchSpace space = hurricane ? hurricane_space() : ofa_mbv3_space();
  const std::vector<int> one{224};
  for (auto _ : state) {
    auto tables = build_latency_tables(
        space, hurricane ? std::span<const int>(one) : std::span<const int>(kResolutions), coster);
    benchmark::DoNotOptimize(tables.data());
  }
  state.SetLabel(hurricane ? "hurricane, 224" : "ofa-mbv3, 5 resolutions");
}
BENCHMARK(BM_ShaveSpaceTablesDevice)
    ->Args({static_cast<int>(Device::VPU_2_7), 0})
    ->Args({static_cast<int>(Device::VPU_4_0), 0})
    ->Args({static_cast<int>(Device::NPU_5_0), 0})
    ->Args({static_cast<int>(Device::VPU_2_7), 1})
    ->Args({static_cast<int>(Device::VPU_4_0), 1})
    ->Unit(benchmark::kMillisecond);

void BM_ProxylessLutFiveResolutionsRoofline(benchmark::State& state) {
  const RooflineModel roofline;
  const NetworkCoster coster(roofline, Device::VPU_2_7, DType::UINT8);
  const SearchSpace space = proxyless_space();
  for (auto _ : state) {
    auto tables = build_latency_tables(space, kResolutions, coster);
    benchmark::DoNotOptimize(tables.data());
  }
}
BENCHMARK(BM_ProxylessLutFiveResolutionsRoofline)->Unit(benchmark::kMillisecond);

// Writing the five YAML files' content (no disk).
void BM_ProxylessYamlFiveResolutions(benchmark::State& state) {
  const RooflineModel roofline;
  const NetworkCoster coster(roofline, Device::VPU_2_7, DType::UINT8);
  const auto tables = build_latency_tables(proxyless_space(), kResolutions, coster);
  for (auto _ : state) {
    for (const LatencyTable& t : tables) benchmark::DoNotOptimize(proxyless_yaml(t));
  }
}
BENCHMARK(BM_ProxylessYamlFiveResolutions)->Unit(benchmark::kMicrosecond);

void BM_NetProxylessMobileModel(benchmark::State& state) {
  const CostModel model = bench_model();
  const NetworkCoster coster(model, Device::VPU_2_7, DType::UINT8);
  const NetConfig config =
      load_net_config(std::string(VPUCOST_SOURCE_DIR) + "/nets/proxylessnas_mobile.json");
  for (auto _ : state) {
    std::vector<Layer> layers;
    for (const NetPart& p : net_parts(config, 224)) {
      layers.insert(layers.end(), p.layers.begin(), p.layers.end());
    }
    benchmark::DoNotOptimize(total_cycles(coster.cost(layers)));
  }
}
BENCHMARK(BM_NetProxylessMobileModel)->Unit(benchmark::kMicrosecond);

// One random architecture's latency through the table: what evolutionary or
// differentiable NAS evaluates millions of times.
void BM_ArchitectureLatencyFromTable(benchmark::State& state) {
  const RooflineModel roofline;
  const NetworkCoster coster(roofline, Device::VPU_2_7, DType::UINT8);
  const SearchSpace space = proxyless_space();
  const LatencyTable table = build_latency_table(space, 224, coster);
  std::mt19937 rng(3);
  std::vector<Architecture> archs(1024, Architecture(space.positions.size()));
  for (auto& a : archs) {
    for (std::size_t p = 0; p < a.size(); ++p) {
      a[p] = static_cast<int>(rng() % space.positions[p].candidates.size());
    }
  }
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(table.latency_ms(archs[i++ & 1023]));
}
BENCHMARK(BM_ArchitectureLatencyFromTable);

}  // namespace

BENCHMARK_MAIN();
