#pragma once
// Synthetic datasets for trainer tests: random valid workloads whose cycles
// follow a known smooth function, so convergence can be checked exactly.
#include <cmath>
#include <random>

#include "vpucost/dataset.hpp"
#include "vpucost/workload.hpp"

namespace vpucost::test {

/// A random valid workload of `device` (convolution, depthwise, eltwise or maxpool).
inline Workload random_workload(std::mt19937_64& rng, Device device = Device::VPU_2_7) {
  const auto pick = [&](int lo, int hi) {
    return static_cast<std::int64_t>(std::uniform_int_distribution<int>(lo, hi)(rng));
  };
  for (;;) {
    Workload w;
    w.device = device;
    const Operation ops[] = {Operation::CONVOLUTION, Operation::DW_CONVOLUTION, Operation::ELTWISE,
                             Operation::MAXPOOL};
    w.operation = ops[pick(0, 3)];
    const std::int64_t size = pick(2, 64);
    const std::int64_t in_c = 16 * pick(1, 4);
    const std::int64_t k = w.operation == Operation::ELTWISE ? 1 : (pick(0, 1) ? 3 : 1);
    const std::int64_t s = w.operation == Operation::ELTWISE ? 1 : pick(1, 2);
    const std::int64_t p = k / 2;
    const DType dtype = pick(0, 1) ? DType::FLOAT16 : DType::UINT8;
    const std::int64_t out_c = w.operation == Operation::CONVOLUTION ? 16 * pick(1, 4) : in_c;
    const std::int64_t out = expected_output_size(size, p, p, k, s);
    w.input = {size, size, in_c, dtype};
    w.output = {out, out, out_c, dtype};
    w.kernel_w = w.kernel_h = k;
    w.stride_w = w.stride_h = s;
    w.padding = {p, p, p, p};
    if (device == Device::VPU_2_0) {
      w.mode = pick(0, 1) ? ExecutionMode::MATRIX : ExecutionMode::VECTOR;
    } else {
      const ExecutionMode modes[] = {ExecutionMode::CUBOID_16x16, ExecutionMode::CUBOID_8x16,
                                     ExecutionMode::CUBOID_4x16};
      w.mode = modes[pick(0, 2)];
    }
    if (!find_problem(w)) return w;
  }
}

/// The known function: a smooth mix of work, traffic and a fixed overhead,
/// with FLOAT16 twice as slow.
inline double synthetic_cycles(const Workload& w) {
  const WorkloadCounts c = count_work(as_executed(w));
  const double dtype = w.input.dtype == DType::FLOAT16 ? 2.0 : 1.0;
  return 100.0 + dtype * c.macs / 512.0 + (c.input_bytes + c.output_bytes) / 32.0;
}

inline Dataset synthetic_dataset(std::size_t rows, unsigned seed, Device device = Device::VPU_2_7) {
  std::mt19937_64 rng(seed);
  Dataset d;
  d.source = "synthetic";
  for (std::size_t i = 0; i < rows; ++i) {
    d.workloads.push_back(random_workload(rng, device));
    d.cycles.push_back(synthetic_cycles(d.workloads.back()));
  }
  return d;
}

/// Like synthetic_dataset, with sparsity on a third of the convolutions and
/// ELTWISEs (input, weight or both). One sparsity scales the known function
/// by (1 - rate / 2) for input and (1 - rate / 4) for weights; with both, the
/// cheaper of the two single-sparsity costs counts (VPUNN's dual-sparsity rule).
inline double sparse_synthetic_cycles(const Workload& w) {
  const double dense = synthetic_cycles(w);
  const double input_only = dense * (1.0 - w.input_sparsity / 2.0);
  const double weight_only = dense * (1.0 - w.weight_sparsity / 4.0);
  if (w.input_sparsity > 0 && w.weight_sparsity > 0) return std::min(input_only, weight_only);
  return w.input_sparsity > 0 ? input_only : weight_only;
}

inline Dataset sparse_synthetic_dataset(std::size_t rows, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> rate(0.05, 0.9);
  Dataset d;
  d.source = "synthetic sparse";
  for (std::size_t i = 0; i < rows; ++i) {
    Workload w = random_workload(rng, Device::VPU_4_0);
    if (takes_sparsity(w.operation, w.input.channels)) {
      switch (rng() % 6) {
        case 0:
          w.input_sparsity = rate(rng);
          break;
        case 1:
          w.weight_sparsity = rate(rng);
          break;
        case 2:
        case 3:
          w.input_sparsity = rate(rng);
          w.weight_sparsity = rate(rng);
          break;
        default:
          break;
      }
    }
    d.workloads.push_back(w);
    d.cycles.push_back(sparse_synthetic_cycles(w));
  }
  return d;
}

}  // namespace vpucost::test
