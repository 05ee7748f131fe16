#pragma once
// Random valid workloads drawn like the VPUNN teacher data
// (/work/shared/datasets/vpunn-teacher/README.md, "How the workloads were
// sampled"): operation mix, log-uniform sizes 1..224, kernels {1,3,5,7,11},
// strides 1..2, 'same' or no padding, channels up to 2048 (mostly multiples
// of 16), dtypes and modes of the device. With `in_distribution`, only
// workloads the teacher could contain are kept: one DPU workload's limits
// (CMX, depthwise/pool channels on 2.7/4.0) respected.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "vpucost/device.hpp"
#include "vpucost/workload.hpp"
#include "vpucost/workload_split.hpp"

namespace vpucost::test {

class WorkloadSampler {
 public:
  WorkloadSampler(Device device, std::uint64_t seed, bool in_distribution = true)
      : device_(device), rng_(seed), in_distribution_(in_distribution) {}

  Workload next() {
    for (;;) {
      const Workload w = draw();
      if (find_problem(w)) continue;
      if (in_distribution_ && split_reason(as_executed(w)) != SplitReason::None) continue;
      return w;
    }
  }

  std::vector<Workload> take(std::size_t n) {
    std::vector<Workload> out;
    out.reserve(n);
    while (out.size() < n) out.push_back(next());
    return out;
  }

 private:
  double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }
  bool chance(double p) { return uniform() < p; }

  // Integer log-uniform in [lo, hi].
  std::int64_t log_uniform(std::int64_t lo, std::int64_t hi) {
    const double x = std::exp(std::log(double(lo)) +
                              uniform() * (std::log(double(hi) + 1.0) - std::log(double(lo))));
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(x), lo, hi);
  }

  std::int64_t channels() {
    if (chance(0.65)) return 16 * log_uniform(1, 128);
    return log_uniform(1, 2048);
  }

  std::int64_t kernel(Operation op) {
    static constexpr std::int64_t sides[] = {1, 3, 5, 7, 11};
    // CONVOLUTION: 1 and 3 dominate; depthwise/pooling: mostly 3.
    const double conv_weights[] = {0.40, 0.40, 0.08, 0.08, 0.04};
    const double dw_weights[] = {0.10, 0.60, 0.15, 0.10, 0.05};
    const double* weights = (op == Operation::CONVOLUTION || op == Operation::CM_CONVOLUTION)
                                ? conv_weights
                                : dw_weights;
    std::discrete_distribution<int> pick(weights, weights + 5);
    return sides[pick(rng_)];
  }

  Operation operation() {
    static constexpr Operation ops[] = {Operation::CONVOLUTION,    Operation::DW_CONVOLUTION,
                                        Operation::CM_CONVOLUTION, Operation::ELTWISE,
                                        Operation::MAXPOOL,        Operation::AVEPOOL};
    static constexpr double shares[] = {0.34, 0.18, 0.18, 0.12, 0.10, 0.08};
    std::discrete_distribution<int> pick(shares, shares + 6);
    return ops[pick(rng_)];
  }

  Workload draw() {
    const DeviceSpec& spec = device_spec(device_);
    Workload w;
    w.device = device_;
    w.operation = operation();
    const Operation op = w.operation;
    const bool eltwise = op == Operation::ELTWISE;
    w.input.height = log_uniform(1, 224);
    w.input.width = chance(0.75) ? w.input.height : log_uniform(1, 224);
    w.kernel_w = w.kernel_h = eltwise ? 1 : kernel(op);
    if (op == Operation::CONVOLUTION && chance(0.1)) w.kernel_h = kernel(op);
    const bool pooling = op == Operation::MAXPOOL || op == Operation::AVEPOOL;
    w.stride_w = w.stride_h = (!eltwise && chance(pooling ? 0.5 : 0.35)) ? 2 : 1;
    if (!eltwise && chance(0.7)) {
      w.padding = {w.kernel_h / 2, w.kernel_h / 2, w.kernel_w / 2, w.kernel_w / 2};
    }
    if (op == Operation::CM_CONVOLUTION) {
      w.input.channels = 1 + static_cast<std::int64_t>(uniform() * spec.max_cm_input_channels);
      w.output.channels = channels();
    } else if (op == Operation::CONVOLUTION) {
      w.input.channels = channels();
      w.output.channels = channels();
    } else {
      w.input.channels = w.output.channels = channels();
    }
    w.output.width = expected_output_size(w.input.width, w.padding.left, w.padding.right,
                                          w.kernel_w, w.stride_w);
    w.output.height = expected_output_size(w.input.height, w.padding.top, w.padding.bottom,
                                           w.kernel_h, w.stride_h);
    w.input.dtype = chance(0.5) ? DType::UINT8 : DType::FLOAT16;
    const bool may_convert = op == Operation::CONVOLUTION || op == Operation::CM_CONVOLUTION ||
                             op == Operation::DW_CONVOLUTION;
    w.output.dtype = w.input.dtype;
    if (may_convert && chance(0.25)) {
      w.output.dtype = w.input.dtype == DType::UINT8 ? DType::FLOAT16 : DType::UINT8;
    }
    const auto modes = spec.modes;
    w.mode = modes[static_cast<std::size_t>(uniform() * double(modes.size())) % modes.size()];
    return w;
  }

  Device device_;
  std::mt19937_64 rng_;
  bool in_distribution_;
};

}  // namespace vpucost::test
