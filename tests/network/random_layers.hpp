#pragma once
// Random layers for the tiling-strategy tests (layer_strategy_test.cpp,
// layer_best_strategy_test.cpp): convolution, depthwise, max-pool and
// element-wise layers of 1-60 rows (a few more columns), 16-384 channels,
// 'same' kernels of 1, 3 and 5, UINT8. Some are invalid for their device's
// limits; callers skip those with find_problem.
#include <random>

#include "vpucost/device.hpp"
#include "vpucost/workload.hpp"

namespace vpucost::test {

inline Workload random_layer(std::mt19937& rng, Device device) {
  const Operation ops[] = {Operation::CONVOLUTION, Operation::DW_CONVOLUTION, Operation::MAXPOOL,
                           Operation::ELTWISE};
  Workload w;
  w.device = device;
  w.operation = ops[rng() % 4];
  const std::int64_t size = 1 + static_cast<std::int64_t>(rng() % 60);
  const std::int64_t k =
      w.operation == Operation::ELTWISE ? 1 : 1 + 2 * static_cast<std::int64_t>(rng() % 3);
  const std::int64_t channels = 16 * (1 + static_cast<std::int64_t>(rng() % 24));
  w.kernel_w = w.kernel_h = k;
  w.padding = {k / 2, k / 2, k / 2, k / 2};
  w.input = {size + static_cast<std::int64_t>(rng() % 9), size, channels, DType::UINT8};
  w.output = {
      w.input.width, w.input.height,
      is_channelwise(w.operation) ? channels : 16 * (1 + static_cast<std::int64_t>(rng() % 24)),
      DType::UINT8};
  w.mode = operation_modes(device, w.operation).front();
  return w;
}

}  // namespace vpucost::test
