// Training speed of vpucost train's engine: wall time of one epoch over
// 90,000 rows (plus the validation pass over 10,000 rows that every epoch
// runs), for the shipped network 42-128-128-48-1 (SiLU), at 1 and 2 threads.
// The rows are the bundled VPU_2_7 sample recordings repeated: an epoch's
// cost depends on the row count, not on the values.
#include <benchmark/benchmark.h>

#include "vpucost/dataset.hpp"
#include "vpucost/trainer.hpp"

namespace {

using namespace vpucost;

const TrainingProblem& problem() {
  static const TrainingProblem p = [] {
    const Dataset sample = load_dataset(VPUCOST_SOURCE_DIR "/data/samples/vpu_2_7_train.csv");
    const auto tile = [&](std::size_t rows) {
      Dataset d;
      for (std::size_t i = 0; i < rows; ++i) {
        d.workloads.push_back(sample.workloads[i % sample.size()]);
        d.cycles.push_back(sample.cycles[i % sample.size()]);
      }
      return d;
    };
    const EncodedRows train = encode_all(tile(90'000));
    TrainingProblem t;
    t.device = Device::VPU_2_7;
    t.normalisation = fit_normalisation(train);
    t.train = standardise(train, t.normalisation);
    t.validation = standardise(encode_all(tile(10'000)), t.normalisation);
    return t;
  }();
  return p;
}

// One iteration trains two epochs and reports the second one's time (the
// first includes setup and the final error pass is left out).
void BM_TrainEpoch(benchmark::State& state) {
  TrainOptions o;
  o.epochs = 2;
  o.hidden = {128, 128, 48};
  o.activation = Activation::SiLU;
  o.threads = static_cast<int>(state.range(0));
  o.batch_size = static_cast<int>(state.range(1));
  o.patience = 0;
  const TrainingProblem& p = problem();
  for (auto _ : state) {
    double first = 0;
    double second = 0;
    train_model(p, o, [&](const EpochReport& r) {
      (r.epoch == 1 ? first : second) = r.elapsed_seconds;
      return true;
    });
    state.SetIterationTime(second - first);
  }
  state.counters["train_rows"] = double(p.train.size());
}
BENCHMARK(BM_TrainEpoch)
    ->ArgNames({"threads", "batch"})
    ->Args({1, 128})
    ->Args({2, 128})
    ->Args({1, 256})
    ->Args({2, 256})
    ->Args({1, 1024})
    ->Args({2, 1024})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
