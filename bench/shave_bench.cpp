// Prediction speed of the SHAVE model (issue #15): single and batched
// queries over varied operations, for a model with a formula for every
// operation and both data types of VPU_4_0 (the size a fitted device model
// has: 33-35 formulas). The coefficients are arbitrary: the time does not
// depend on their values. Results: bench/README.md.
#include <benchmark/benchmark.h>

#include <random>

#include "vpucost/shave_model.hpp"

namespace {

using namespace vpucost;

int param_of(ShaveOp op) {
  return op == ShaveOp::softmax || op == ShaveOp::mvn ? 2 : takes_param(op) ? 2 : 0;
}

ShaveModel every_operation_model() {
  ShaveModelParts p;
  p.device = Device::VPU_4_0;
  for (std::size_t o = 0; o < enum_count<ShaveOp>(); ++o) {
    const auto op = static_cast<ShaveOp>(o);
    for (DType t : {DType::UINT8, DType::FLOAT16}) {
      const std::size_t terms = shave_term_count(basis_kind(op));
      p.groups.push_back({{op, t, param_of(op)}, {32, 4}, std::vector<double>(terms, 1.5), 100, 0});
    }
  }
  return ShaveModel(std::move(p));
}

std::vector<ShaveOperation> operations(std::size_t n) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<std::size_t> op(0, enum_count<ShaveOp>() - 1);
  std::uniform_int_distribution<std::int64_t> size(1, 160);
  std::uniform_int_distribution<std::int64_t> channels(1, 256);
  std::vector<ShaveOperation> out;
  while (out.size() < n) {
    ShaveOperation s;
    s.device = Device::VPU_4_0;
    s.operation = static_cast<ShaveOp>(op(rng));
    s.param = param_of(s.operation);
    s.input = {size(rng), size(rng), channels(rng) * 4, rng() % 2 ? DType::UINT8 : DType::FLOAT16};
    s.output = shave_output_of(s.operation, s.input, s.param);
    if (!find_problem(s)) out.push_back(s);
  }
  return out;
}

void BM_ShaveSingleQuery(benchmark::State& state) {
  const ShaveModel model = every_operation_model();
  const auto ops = operations(1024);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.predict_cycles(ops[i]));
    i = (i + 1) % ops.size();
  }
}
BENCHMARK(BM_ShaveSingleQuery);

void BM_ShaveBatchedQuery(benchmark::State& state) {
  const ShaveModel model = every_operation_model();
  const auto ops = operations(static_cast<std::size_t>(state.range(0)));
  std::vector<double> out(ops.size());
  for (auto _ : state) {
    model.predict_cycles(ops, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ShaveBatchedQuery)->Arg(1024);

}  // namespace

BENCHMARK_MAIN();
