// Numeric guards on the shipped models (models/<device>.h5): over 100,000
// random valid workloads per device, drawn like the teacher data, every
// prediction is finite and positive, and monotone sanity holds where physics
// demands it. Violations are counted and the worst ones printed, never
// hidden; the test fails only beyond the thresholds documented in
// docs/bad-inputs.md ("Numbers that must not go wrong"). A model file that is absent is a
// skip with a message. VPUCOST_PROPERTY_MODELS=<dir> tests the models in
// another folder (same file names).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "../support/random_workloads.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

#ifndef VPUCOST_PROPERTY_WORKLOADS
#define VPUCOST_PROPERTY_WORKLOADS 100'000
#endif
// Fewer in sanitizer builds (tests/reliability/CMakeLists.txt).
constexpr std::size_t kWorkloads = VPUCOST_PROPERTY_WORKLOADS;

// Of the pairs (smaller, larger) where physics demands that the larger cost
// more (see physics_demands_more), those whose larger workload is predicted
// cheaper by more than kReported are counted and the worst listed; by more
// than kTolerance they are violations. The test fails when more than
// kMaxViolationShare of the pairs are violations, or when any larger
// workload is predicted at less than kWorstRatio of the smaller one. The
// models' median error is a few percent, so two predictions may disagree by
// ~10% without the model being wrong about the direction.
constexpr double kReported = 0.05;
constexpr double kTolerance = 0.10;
constexpr double kMaxViolationShare = 0.01;
constexpr double kWorstRatio = 0.5;

std::filesystem::path model_path(Device device) {
  const char* dir = std::getenv("VPUCOST_PROPERTY_MODELS");
  std::string name(to_string(device));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return std::filesystem::path(dir ? dir : VPUCOST_MODELS_DIR) / (name + ".h5");
}

// Makes the larger partner of `w` (or nothing if it leaves the training
// distribution): doubled output channels, doubled channels of a channel-wise
// operation, or doubled input height.
using Grow = std::function<std::optional<Workload>(const Workload&)>;

bool in_distribution(const Workload& w) {
  return !find_problem(w) && split_reason(as_executed(w)) == SplitReason::None &&
         w.input.height <= 224 && w.input.channels <= 2048 && w.output.channels <= 2048;
}

std::optional<Workload> keep_if_valid(const Workload& w) {
  return in_distribution(w) ? std::optional(w) : std::nullopt;
}

// Physics demands that the larger workload cost more only when the DPU
// does more of everything: more output blocks on the mode's grid (ceil(W/gw)
// x ceil(H/gh) x ceil(C/16), what the MAC array iterates over), and no fewer
// MACs or bytes. Doubling a height of 2 to 4 inside one 8-row block of
// CUBOID_8x16, or 7 to 14 channels (both run as 16), demands nothing.
double output_blocks(const Workload& executed) {
  const ModeGrid g = mode_grid(executed.mode);
  const auto up = [](std::int64_t a, std::int64_t b) { return double((a + b - 1) / b); };
  return up(executed.output.width, g.grid_w) * up(executed.output.height, g.grid_h) *
         up(executed.output.channels, 16);
}

bool physics_demands_more(const Workload& small, const Workload& large) {
  const Workload a = as_executed(small);
  const Workload b = as_executed(large);
  const WorkloadCounts x = count_work(a);
  const WorkloadCounts y = count_work(b);
  return output_blocks(b) > output_blocks(a) && y.macs >= x.macs &&
         y.input_bytes >= x.input_bytes && y.output_bytes >= x.output_bytes &&
         y.weight_bytes >= x.weight_bytes;
}

struct Check {
  std::string name;
  Grow grow;
};

std::vector<Check> checks() {
  return {
      {"conv: 2x output channels",
       [](const Workload& w) -> std::optional<Workload> {
         if (w.operation != Operation::CONVOLUTION && w.operation != Operation::CM_CONVOLUTION)
           return std::nullopt;
         Workload b = w;
         b.output.channels *= 2;
         return keep_if_valid(b);
       }},
      {"channel-wise: 2x channels",
       [](const Workload& w) -> std::optional<Workload> {
         if (!is_channelwise(w.operation)) return std::nullopt;
         Workload b = w;
         b.input.channels *= 2;
         b.output.channels *= 2;
         return keep_if_valid(b);
       }},
      {"any: 2x input height",
       [](const Workload& w) -> std::optional<Workload> {
         Workload b = w;
         b.input.height *= 2;
         b.output.height = expected_output_size(b.input.height, b.padding.top, b.padding.bottom,
                                                b.kernel_h, b.stride_h);
         return keep_if_valid(b);
       }},
  };
}

struct Violation {
  double ratio;
  Workload small;
  double small_cycles;
  double large_cycles;
};

void check_device(Device device) {
  const auto path = model_path(device);
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << path << " is not there: the property test runs on the shipped models "
                 << "(set VPUCOST_PROPERTY_MODELS=<dir> to test others)";
  }
  const CostModel model = load_model(path);
  ASSERT_EQ(model.device(), device) << path;
  const std::vector<Workload> workloads =
      test::WorkloadSampler(device, 2026 + static_cast<int>(device)).take(kWorkloads);
  std::vector<double> cycles(workloads.size());
  model.predict_cycles(workloads, cycles);

  std::size_t bad = 0;
  std::size_t clamped = 0;
  for (std::size_t i = 0; i < cycles.size(); ++i) {
    if (!std::isfinite(cycles[i]) || !(cycles[i] > 0)) {
      if (++bad <= 5) ADD_FAILURE() << describe(workloads[i]) << " -> " << cycles[i];
    }
    clamped += cycles[i] <= kMinCycles || cycles[i] >= kMaxCycles;
  }
  // The same number again with the compiler's fields drawn as in the v2 teacher data
  // (activation, sparsity, output write tiles, ISI strategy).
  const std::vector<Workload> with_fields =
      test::WorkloadSampler(device, 2126 + static_cast<int>(device), true, true).take(kWorkloads);
  std::vector<double> field_cycles(with_fields.size());
  model.predict_cycles(with_fields, field_cycles);
  for (std::size_t i = 0; i < field_cycles.size(); ++i) {
    if (!std::isfinite(field_cycles[i]) || !(field_cycles[i] > 0)) {
      if (++bad <= 5) ADD_FAILURE() << describe(with_fields[i]) << " -> " << field_cycles[i];
    }
    clamped += field_cycles[i] <= kMinCycles || field_cycles[i] >= kMaxCycles;
  }
  EXPECT_EQ(bad, 0u) << "predictions that are not finite and positive";
  std::cout << "[ properties ] " << to_string(device) << ": " << workloads.size() << " + "
            << with_fields.size()
            << " (compiler fields set) workloads, all finite and > 0: " << (bad == 0 ? "yes" : "NO")
            << ", at the clamp [" << kMinCycles << ", " << kMaxCycles << "]: " << clamped << "\n";

  for (const Check& check : checks()) {
    std::vector<Workload> small;
    std::vector<Workload> large;
    std::vector<double> small_cycles;
    for (std::size_t i = 0; i < workloads.size(); ++i) {
      if (auto b = check.grow(workloads[i]); b && physics_demands_more(workloads[i], *b)) {
        small.push_back(workloads[i]);
        small_cycles.push_back(cycles[i]);
        large.push_back(*b);
      }
    }
    std::vector<double> large_cycles(large.size());
    model.predict_cycles(large, large_cycles);
    std::vector<Violation> reported;
    for (std::size_t i = 0; i < large.size(); ++i) {
      const double ratio = large_cycles[i] / small_cycles[i];
      if (ratio < 1.0 - kReported) {
        reported.push_back({ratio, small[i], small_cycles[i], large_cycles[i]});
      }
    }
    std::sort(reported.begin(), reported.end(),
              [](const Violation& a, const Violation& b) { return a.ratio < b.ratio; });
    const auto violations = std::count_if(reported.begin(), reported.end(), [](const Violation& v) {
      return v.ratio < 1.0 - kTolerance;
    });
    const double share = large.empty() ? 0.0 : double(violations) / double(large.size());
    std::cout << "[ properties ] " << to_string(device) << " " << check.name << ": " << large.size()
              << " pairs; larger one cheaper by > " << kReported * 100 << "%: " << reported.size()
              << ", by > " << kTolerance * 100 << "%: " << violations << " (" << share * 100
              << "%)";
    if (!reported.empty()) std::cout << ", worst ratio " << reported.front().ratio;
    std::cout << "\n";
    for (std::size_t k = 0; k < std::min<std::size_t>(3, reported.size()); ++k) {
      const Violation& v = reported[k];
      std::cout << "[ properties ]     " << describe(v.small) << ": " << v.small_cycles << " -> "
                << v.large_cycles << " cycles\n";
    }
    EXPECT_GT(large.size(), 1000u) << check.name << ": too few pairs to judge";
    EXPECT_LE(share, kMaxViolationShare) << check.name;
    // VPU_2_0's teacher is itself far from monotone on tiny and 1x1-map
    // workloads (its README says so; e.g. vpu_2_0_train.csv has a 1x1 map,
    // 16 -> 1584 channels at 1,342 cycles and 16 -> 1696 at 197), and so is
    // NPU_5_0's on tiny depthwise maps (v2 npu_5_0_train.csv: DW_CONVOLUTION
    // 3x3x64 k1x1 UINT8 at 13 cycles, HF8 at 16, where 32 channels cost about
    // 130 and 1x1x64 costs 189). A model trained on them inherits that: there
    // only the share above is enforced and the worst pairs are printed.
    if (!reported.empty() && device != Device::VPU_2_0 && device != Device::NPU_5_0) {
      EXPECT_GE(reported.front().ratio, kWorstRatio) << check.name;
    }
  }
}

TEST(ModelProperties, Vpu20) {
  check_device(Device::VPU_2_0);
}
TEST(ModelProperties, Vpu27) {
  check_device(Device::VPU_2_7);
}
TEST(ModelProperties, Vpu40) {
  check_device(Device::VPU_4_0);
}
TEST(ModelProperties, Npu50) {
  check_device(Device::NPU_5_0);
}

}  // namespace
}  // namespace vpucost
