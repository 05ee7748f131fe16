// Prediction speed of the cost model: single queries (validation + feature
// encoding + MLP) and batches, for a network of the shipped size
// (42 -> 128 -> 128 -> 48 -> 1, SiLU, 28,257 parameters, the shape of
// models/vpu_*.h5). Results: bench/README.md.
#include <benchmark/benchmark.h>

#include <random>

#include "vpucost/cost_model.hpp"
#include "vpucost/roofline.hpp"

namespace {

using namespace vpucost;

ModelParts shipped_size_model() {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal(0.0f, 0.1f);
  std::vector<DenseLayer> layers;
  int in = static_cast<int>(kFeatureCount);
  for (int out : {128, 128, 48, 1}) {
    DenseLayer l{Eigen::MatrixXf(out, in), Eigen::VectorXf(out)};
    for (Eigen::Index i = 0; i < l.weights.size(); ++i) l.weights.data()[i] = normal(rng);
    for (Eigen::Index i = 0; i < l.bias.size(); ++i) l.bias[i] = normal(rng);
    layers.push_back(std::move(l));
    in = out;
  }
  ModelParts p;
  p.device = Device::VPU_2_7;
  p.mlp = Mlp(std::move(layers), Activation::SiLU);
  p.feature_mean = Eigen::VectorXf::Zero(kFeatureCount);
  p.feature_std = Eigen::VectorXf::Ones(kFeatureCount);
  p.output_offset = 9.0f;
  return p;
}

// Varied valid VPU_2_7 workloads, so branch predictors do not see one query.
std::vector<Workload> workloads(std::size_t n) {
  std::mt19937 rng(2);
  const ExecutionMode modes[] = {ExecutionMode::CUBOID_16x16, ExecutionMode::CUBOID_8x16,
                                 ExecutionMode::CUBOID_4x16};
  std::vector<Workload> out;
  for (std::size_t i = 0; i < n; ++i) {
    Workload w;
    w.device = Device::VPU_2_7;
    w.operation = (i % 3 == 0) ? Operation::DW_CONVOLUTION : Operation::CONVOLUTION;
    const std::int64_t size = 7 + static_cast<std::int64_t>(rng() % 100);
    const std::int64_t cin = 16 * (1 + static_cast<std::int64_t>(rng() % 16));
    const std::int64_t cout = w.operation == Operation::CONVOLUTION
                                  ? 16 * (1 + static_cast<std::int64_t>(rng() % 16))
                                  : cin;
    const std::int64_t k = (rng() % 2) ? 3 : 1;
    w.input = {size, size, cin, (rng() % 2) ? DType::UINT8 : DType::FLOAT16};
    w.output = {size, size, cout, w.input.dtype};
    w.kernel_w = w.kernel_h = k;
    w.padding = {k / 2, k / 2, k / 2, k / 2};
    w.mode = modes[rng() % 3];
    out.push_back(w);
  }
  return out;
}

void BM_SingleQuery(benchmark::State& state) {
  const CostModel model(shipped_size_model());
  const auto ws = workloads(1024);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.predict_cycles(ws[i++ & 1023]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SingleQuery);

void BM_BatchedQuery(benchmark::State& state) {
  const CostModel model(shipped_size_model());
  const auto ws = workloads(static_cast<std::size_t>(state.range(0)));
  std::vector<double> out(ws.size());
  for (auto _ : state) {
    model.predict_cycles(ws, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BatchedQuery)->Arg(1024);

// The parts of a single query, to see where its time goes.
void BM_ValidateAndEncode(benchmark::State& state) {
  const auto ws = workloads(1024);
  FeatureVector f;
  std::size_t i = 0;
  for (auto _ : state) {
    const Workload& w = ws[i++ & 1023];
    benchmark::DoNotOptimize(find_problem(w));
    encode_features(w, f);
    benchmark::DoNotOptimize(f.data());
  }
}
BENCHMARK(BM_ValidateAndEncode);

void BM_ValidateOnly(benchmark::State& state) {
  const auto ws = workloads(1024);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(find_problem(ws[i++ & 1023]));
}
BENCHMARK(BM_ValidateOnly);

void BM_EncodeOnly(benchmark::State& state) {
  const auto ws = workloads(1024);
  FeatureVector f;
  std::size_t i = 0;
  for (auto _ : state) {
    encode_features(ws[i++ & 1023], f);
    benchmark::DoNotOptimize(f.data());
  }
}
BENCHMARK(BM_EncodeOnly);

void BM_MlpForwardOnly(benchmark::State& state) {
  const ModelParts p = shipped_size_model();
  const auto ws = workloads(1);
  const FeatureVector f = encode_features(ws[0]);
  for (auto _ : state) benchmark::DoNotOptimize(p.mlp.forward(f));
  state.counters["parameters"] = static_cast<double>(p.mlp.parameter_count());
}
BENCHMARK(BM_MlpForwardOnly);

// The two halves of a batch: validation + encoding of 1,024 workloads, and
// the MLP over their 1,024 encoded columns (in the blocks the model uses).
void BM_BatchedEncodeOnly(benchmark::State& state) {
  const auto ws = workloads(1024);
  Eigen::MatrixXf x(static_cast<Eigen::Index>(kFeatureCount), 1024);
  for (auto _ : state) {
    for (Eigen::Index j = 0; j < 1024; ++j) {
      const Workload& w = ws[static_cast<std::size_t>(j)];
      benchmark::DoNotOptimize(find_problem(w));
      encode_features(w, std::span<float, kFeatureCount>(x.col(j).data(), kFeatureCount));
    }
    benchmark::DoNotOptimize(x.data());
  }
  state.SetItemsProcessed(state.iterations() * 1024);
}
BENCHMARK(BM_BatchedEncodeOnly);

void BM_BatchedMlpOnly(benchmark::State& state) {
  const ModelParts p = shipped_size_model();
  const auto ws = workloads(1024);
  const auto block = static_cast<Eigen::Index>(state.range(0));
  Eigen::MatrixXf x(static_cast<Eigen::Index>(kFeatureCount), 1024);
  for (Eigen::Index j = 0; j < 1024; ++j) {
    encode_features(ws[static_cast<std::size_t>(j)],
                    std::span<float, kFeatureCount>(x.col(j).data(), kFeatureCount));
  }
  Eigen::VectorXf y(1024);
  MlpWorkspace workspace;
  for (auto _ : state) {
    for (Eigen::Index start = 0; start < 1024; start += block) {
      auto yb = y.segment(start, block);
      p.mlp.forward_batch(x.middleCols(start, block), yb, workspace);
    }
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(state.iterations() * 1024);
}
BENCHMARK(BM_BatchedMlpOnly)->Arg(16)->Arg(32)->Arg(64)->Arg(128)->Arg(256)->Arg(1024);

void BM_RooflineSingleQuery(benchmark::State& state) {
  const RooflineModel roofline;
  const auto ws = workloads(1024);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(roofline.predict_cycles(ws[i++ & 1023]));
}
BENCHMARK(BM_RooflineSingleQuery);

}  // namespace

BENCHMARK_MAIN();
