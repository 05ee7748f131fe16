// One loaded model shared by 8 threads: every single and batched query gives
// bit-for-bit what the same query gives on one thread. Built and run under
// ThreadSanitizer by scripts/test.sh (VPUCOST_TSAN), which also reports any
// data race the comparison alone could miss; it runs in every other build
// too.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <span>
#include <thread>
#include <vector>

#include "../support/random_workloads.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/kind_recordings.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/roofline.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost {
namespace {

constexpr int kThreads = 8;
constexpr int kRounds = 3;

bool bit_equal(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Fixed spans of the workload list (sizes 1, 7, 255, 256, 257, 1000, ...),
// so that every batched query has a single-threaded reference of the very
// same batch.
std::vector<std::pair<std::size_t, std::size_t>> batches(std::size_t n) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  const std::size_t sizes[] = {1, 7, 255, 256, 257, 1000};
  std::size_t start = 0;
  for (std::size_t i = 0; start < n; ++i) {
    const std::size_t size = std::min(sizes[i % std::size(sizes)], n - start);
    out.emplace_back(start, size);
    start += size;
  }
  return out;
}

struct Reference {
  std::vector<double> single;
  std::vector<double> batched;  // per batch of batches(), concatenated
};

// Any model with predict_cycles(item) and predict_cycles(span of items,
// span of results): the DPU predictors, the SHAVE and the DMA models.
template <class Model, class Item>
Reference reference(const Model& p, const std::vector<Item>& ws) {
  Reference r;
  for (const Item& w : ws) r.single.push_back(p.predict_cycles(w));
  r.batched.resize(ws.size());
  for (const auto& [start, size] : batches(ws.size())) {
    p.predict_cycles(std::span(ws).subspan(start, size), std::span(r.batched).subspan(start, size));
  }
  return r;
}

// Each thread runs the singles and the batches in its own order, kRounds
// times, and counts results that differ from the reference.
template <class Model, class Item>
void hammer(const Model& p, const std::vector<Item>& ws, const Reference& ref, int thread,
            int& mismatches) {
  const auto spans = batches(ws.size());
  std::vector<double> out(ws.size());
  for (int round = 0; round < kRounds; ++round) {
    for (std::size_t k = 0; k < ws.size(); ++k) {
      const std::size_t i = (k * 7 + static_cast<std::size_t>(thread) * 131) % ws.size();
      if (!bit_equal(p.predict_cycles(ws[i]), ref.single[i])) ++mismatches;
    }
    for (std::size_t k = 0; k < spans.size(); ++k) {
      const auto [start, size] =
          spans[(k + static_cast<std::size_t>(thread + round)) % spans.size()];
      p.predict_cycles(std::span(ws).subspan(start, size), std::span(out).subspan(start, size));
      for (std::size_t i = start; i < start + size; ++i) {
        if (!bit_equal(out[i], ref.batched[i])) ++mismatches;
      }
    }
  }
}

template <class Model, class Item>
void expect_same_on_every_thread(const Model& p, const std::vector<Item>& ws) {
  const Reference ref = reference(p, ws);
  std::vector<int> mismatches(kThreads, 0);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back(
          [&, t] { hammer(p, ws, ref, t, mismatches[static_cast<std::size_t>(t)]); });
    }
  }
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(mismatches[static_cast<std::size_t>(t)], 0) << "thread " << t;
  }
}

// Mixed workloads of every operation, dtype and mode, valid but not only
// those one DPU workload can hold.
std::vector<Workload> mixed_workloads(Device device, std::size_t n) {
  return test::WorkloadSampler(device, 42, /*in_distribution=*/false).take(n);
}

TEST(Concurrency, OneLoadedModelAnswersEightThreadsExactlyAsOne) {
  test::TempDir dir;
  save_model(test::random_model(Device::VPU_2_7, {128, 128, 64}), dir / "m.h5");
  const CostModel model = load_model(dir / "m.h5");
  expect_same_on_every_thread(model, mixed_workloads(Device::VPU_2_7, 1500));
}

TEST(Concurrency, WideSiluModelOnVpu20) {
  test::TempDir dir;
  ModelParts parts = test::random_model(Device::VPU_2_0, {256, 96}, 11);
  parts.mlp = Mlp(parts.mlp.layers(), Activation::SiLU);
  save_model(parts, dir / "m.h5");
  const CostModel model = load_model(dir / "m.h5");
  expect_same_on_every_thread(model, mixed_workloads(Device::VPU_2_0, 800));
}

// The shipped SHAVE and DMA models (issue #15) on the bundled test samples.
TEST(Concurrency, ShaveAndDmaModelsToo) {
  const std::string root = VPUCOST_SOURCE_DIR;
  const ShaveModel shave = load_shave_model(root + "/models/shave_vpu_4_0.h5");
  expect_same_on_every_thread(
      shave, read_shave_csv(root + "/data/samples/v2/shave/vpu_4_0_test.csv").items);
  const DmaModel dma = load_dma_model(root + "/models/dma_vpu_4_0.h5");
  expect_same_on_every_thread(dma,
                              read_dma_csv(root + "/data/samples/v2/dma/vpu_4_0_test.csv").items);
}

TEST(Concurrency, RooflineIsThreadSafeToo) {
  const RooflineModel roofline;
  expect_same_on_every_thread(roofline, mixed_workloads(Device::VPU_4_0, 800));
}

// Loading holds the process-wide HDF5 lock: eight threads loading the same
// file at once all get the same model.
TEST(Concurrency, ConcurrentLoadsGiveTheSameModel) {
  test::TempDir dir;
  save_model(test::random_model(Device::VPU_4_0, {32, 16}), dir / "m.h5");
  const Workload w = test::conv3x3(Device::VPU_4_0);
  const double expected = load_model(dir / "m.h5").predict_cycles(w);
  std::vector<double> got(kThreads, 0.0);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 5; ++i)
          got[static_cast<std::size_t>(t)] = load_model(dir / "m.h5").predict_cycles(w);
      });
    }
  }
  for (const double g : got) EXPECT_TRUE(bit_equal(g, expected)) << g << " vs " << expected;
}

}  // namespace
}  // namespace vpucost
