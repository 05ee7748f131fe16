#include "layer_memory.hpp"

namespace vpucost::detail {
namespace {

std::int64_t align_up(std::int64_t value, std::int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

std::int64_t element_bytes(DType t) {
  return t == DType::FLOAT16 ? 2 : 1;
}

std::int64_t tensor_bytes(const Tensor& t) {
  return t.width * t.height * t.channels * element_bytes(t.dtype);
}

std::int64_t kernel_alignment(const Workload& w) {
  if (element_bytes(w.input.dtype) > 1) return 16;
  return w.device == Device::VPU_4_0 ? 32 : 16;
}

std::int64_t cmx_page(Device device) {
  return device == Device::NPU_5_0 ? 32 : 16 * 1024;
}

}  // namespace

std::int64_t weight_footprint_bytes(const Workload& raw) {
  // NPU_5_0 runs AVEPOOL as itself, without weights (its layer model's
  // weight transfer of an AVEPOOL is the empty transfer of a MAXPOOL).
  if (raw.device == Device::NPU_5_0 && raw.operation == Operation::AVEPOOL) return 0;
  const Workload w = as_executed(raw);
  const std::int64_t b = element_bytes(w.input.dtype);
  const std::int64_t k = w.output.channels;
  const std::int64_t area = w.kernel_w * w.kernel_h;
  switch (w.operation) {
    case Operation::CONVOLUTION:
      return align_up(w.input.channels * area, kernel_alignment(w)) * k * b + 16 * k;
    case Operation::CM_CONVOLUTION:
      return align_up(w.input.channels * area, b == 2 ? 8 : 16) * k * b + 16 * k;
    case Operation::DW_CONVOLUTION:
    case Operation::AVEPOOL:  // as_executed made it a DW_CONVOLUTION
      return align_up(area, kernel_alignment(w)) * k * b + 16 * k;
    case Operation::ELTWISE:
      return tensor_bytes(w.input);
    case Operation::MAXPOOL:
      return 0;
  }
  return 0;
}

std::int64_t tile_cmx_bytes(const Workload& part, const Tensor& output) {
  const std::int64_t page = cmx_page(part.device);
  // An ELTWISE writes its output in place of its first input.
  const std::int64_t out =
      part.operation == Operation::ELTWISE ? 0 : align_up(tensor_bytes(output), page);
  return align_up(tensor_bytes(as_executed(part).input), page) +
         align_up(weight_footprint_bytes(part), page) + out;
}

}  // namespace vpucost::detail
