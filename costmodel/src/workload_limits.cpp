#include "vpucost/workload_limits.hpp"

#include <algorithm>
#include <limits>

#include "vpucost/device.hpp"

namespace vpucost {
namespace {

constexpr std::int64_t kCmxPage = 16 * 1024;  // VPUNN aligns every tensor to 16 KB

std::int64_t align_up(std::int64_t value, std::int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

std::int64_t bytes_of(DType t) {
  return t == DType::FLOAT16 ? 2 : 1;
}

// UINT8 weight rows are aligned to 32 elements on VPU_4_0 and to 16 elsewhere
// (VPUNN's per-generation "weights alignment"; 2.7 uses 16 for compatibility
// with its compiler). The teacher data pin this down: with 32 on 2.7, 7
// accepted UINT8 convolutions would not fit.
std::int64_t conv_weight_alignment(Device device, DType weights) {
  if (weights == DType::FLOAT16) return 16;
  return device == Device::VPU_4_0 ? 32 : 16;
}

// The workload with padded channels, operation as given except what the
// hardware changes (a small-input CONVOLUTION that runs as CM_CONVOLUTION).
Workload padded_form(const Workload& w) {
  Workload e = as_executed(w);
  if (w.operation == Operation::AVEPOOL) e.operation = Operation::AVEPOOL;
  return e;
}

bool channels_allowed(const Workload& w) {
  const auto allowed = device_spec(w.device).dw_pool_channels;
  if (!is_depthwise_family(w.operation) || allowed.empty()) return true;
  return std::find(allowed.begin(), allowed.end(), w.output.channels) != allowed.end();
}

}  // namespace

CmxFootprint cmx_footprint(const Workload& raw) {
  const Workload w = as_executed(raw);
  const std::int64_t ib = bytes_of(w.input.dtype);
  CmxFootprint f;
  f.input_bytes = w.input.width * w.input.height * w.input.channels * ib;
  f.output_bytes = w.output.width * w.output.height * w.output.channels * bytes_of(w.output.dtype);
  const std::int64_t kernel_area = w.kernel_w * w.kernel_h;
  const std::int64_t weight_table = 16 * w.output.channels;
  switch (w.operation) {
    case Operation::CONVOLUTION:
      f.weight_bytes =
          align_up(w.input.channels * kernel_area, conv_weight_alignment(w.device, w.input.dtype)) *
              w.output.channels * ib +
          weight_table;
      break;
    case Operation::CM_CONVOLUTION:
      f.weight_bytes =
          align_up(w.input.channels * kernel_area, ib == 2 ? 8 : 16) * w.output.channels * ib +
          weight_table;
      break;
    case Operation::DW_CONVOLUTION:
    case Operation::AVEPOOL:  // as_executed made it a DW_CONVOLUTION already
      f.weight_bytes = kernel_area * w.output.channels * ib + weight_table;
      break;
    case Operation::MAXPOOL:
    case Operation::ELTWISE:
      f.weight_bytes = 0;
      break;
  }
  f.input_bytes = align_up(f.input_bytes, kCmxPage);
  f.weight_bytes = align_up(f.weight_bytes, kCmxPage);
  f.output_bytes = align_up(f.output_bytes, kCmxPage);
  // Each term is below 2^62 for a valid workload (validate's overflow
  // check); their sum may not be, so it saturates (and then does not fit).
  constexpr std::int64_t kSaturated = std::numeric_limits<std::int64_t>::max();
  if (__builtin_add_overflow(f.input_bytes, f.weight_bytes, &f.total_bytes) ||
      __builtin_add_overflow(f.total_bytes, f.output_bytes, &f.total_bytes)) {
    f.total_bytes = kSaturated;
  }
  return f;
}

bool fits_in_cmx(const Workload& w) {
  return cmx_footprint(w).total_bytes <= device_spec(w.device).cmx_bytes;
}

std::string_view to_string(SplitReason reason) {
  switch (reason) {
    case SplitReason::None:
      return "none";
    case SplitReason::DepthwiseChannels:
      return "depthwise_channels";
    case SplitReason::CmxCapacity:
      return "cmx_capacity";
  }
  return "<invalid>";
}

SplitReason split_reason(const Workload& raw) {
  const Workload w = padded_form(raw);
  // CMX first: that is the order in which VPUNN reports (and the teacher
  // data label) a layer that breaks both limits.
  if (!fits_in_cmx(w)) return SplitReason::CmxCapacity;
  if (!channels_allowed(w)) return SplitReason::DepthwiseChannels;
  return SplitReason::None;
}

}  // namespace vpucost
