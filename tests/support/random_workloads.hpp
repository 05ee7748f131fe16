#pragma once
// Random valid workloads drawn like the VPUNN teacher data
// (/work/shared/datasets/vpunn-teacher/README.md, "How the workloads were
// sampled"): operation mix, log-uniform sizes 1..224, kernels {1,3,5,7,11},
// strides 1..2, 'same' or no padding, channels up to 2048 (mostly multiples
// of 16), dtypes of the device and modes it runs the operation in. With
// `in_distribution`, only workloads the teacher could contain are kept: one
// DPU workload's limits (CMX, depthwise/pool channels on 2.7/4.0/5.0)
// respected. With `compiler_fields`, the fields the compiler sets are drawn
// as in v2 of the teacher data (vpunn-teacher-v2/README.md, section 1);
// otherwise they stay at their defaults.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "vpucost/device.hpp"
#include "vpucost/workload.hpp"
#include "vpucost/workload_limits.hpp"

namespace vpucost::test {

class WorkloadSampler {
 public:
  WorkloadSampler(Device device, std::uint64_t seed, bool in_distribution = true,
                  bool compiler_fields = false)
      : device_(device),
        rng_(seed),
        in_distribution_(in_distribution),
        compiler_fields_(compiler_fields) {}

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
    const auto dtypes = spec.dtypes;
    w.input.dtype = pick(dtypes);
    const bool may_convert = op == Operation::CONVOLUTION || op == Operation::CM_CONVOLUTION ||
                             op == Operation::DW_CONVOLUTION;
    w.output.dtype = w.input.dtype;
    if (may_convert && chance(0.25)) {
      while (w.output.dtype == w.input.dtype) w.output.dtype = pick(dtypes);
    }
    w.mode = pick(operation_modes(device_, op));
    if (compiler_fields_) draw_compiler_fields(w);
    return w;
  }

  // Activation NONE 50 %, RELU 35 %, LRELU 15 %; each sparsity 0 with p 0.75,
  // else U(0.05, 0.9) where VPUNN takes sparsity; output write tiles 1 with
  // p 0.6, else 2..tiles; ISI strategy 60/20/20 % redrawn until valid.
  void draw_compiler_fields(Workload& w) {
    const double a = uniform();
    w.activation = a < 0.5    ? ActivationFunction::NONE
                   : a < 0.85 ? ActivationFunction::RELU
                              : ActivationFunction::LRELU;
    if (takes_sparsity(w.operation, w.input.channels)) {
      const auto rate = [&] {
        return chance(0.75) ? 0.0 : std::round(1000.0 * (0.05 + 0.85 * uniform())) / 1000.0;
      };
      w.input_sparsity = rate();
      w.weight_sparsity = rate();
    }
    const int tiles = device_spec(w.device).tiles;
    w.output_write_tiles =
        tiles == 1 || chance(0.6) ? 1 : 2 + static_cast<std::int64_t>(uniform() * (tiles - 1));
    for (;;) {
      const double s = uniform();
      w.isi_strategy = s < 0.6   ? IsiStrategy::CLUSTERING
                       : s < 0.8 ? IsiStrategy::SPLIT_OVER_H
                                 : IsiStrategy::SPLIT_OVER_K;
      const bool sok_alone =
          w.isi_strategy == IsiStrategy::SPLIT_OVER_K && w.output_write_tiles < 2;
      if (device_has_isi_strategy(w.device, w.isi_strategy) && !sok_alone) return;
    }
  }

  template <class T>
  T pick(std::span<const T> values) {
    return values[static_cast<std::size_t>(uniform() * double(values.size())) % values.size()];
  }

  Device device_;
  std::mt19937_64 rng_;
  bool in_distribution_;
  bool compiler_fields_;
};

}  // namespace vpucost::test
