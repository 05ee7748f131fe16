#include "vpucost/dma_transfer.hpp"

#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {

using std::to_string;

std::int64_t transfer_bytes(const DmaTransfer& t) {
  return t.tensor.width * t.tensor.height * t.tensor.channels *
         static_cast<std::int64_t>(bytes_per_element(t.tensor.dtype));
}

DmaTransfer flat_transfer(Device device, DmaDirection direction, std::int64_t bytes) {
  return DmaTransfer{device, direction, Tensor{1, 1, bytes, DType::UINT8}};
}

std::optional<std::string> find_problem(const DmaTransfer& t) {
  if (!is_valid_enum_value<Device>(static_cast<int>(t.device))) {
    return "invalid device value " + to_string(static_cast<int>(t.device));
  }
  if (!is_valid_enum_value<DmaDirection>(static_cast<int>(t.direction))) {
    return "invalid DMA direction value " + to_string(static_cast<int>(t.direction));
  }
  if (!is_valid_enum_value<DType>(static_cast<int>(t.tensor.dtype))) {
    return "invalid dtype value " + to_string(static_cast<int>(t.tensor.dtype));
  }
  if (!device_has_dtype(t.device, t.tensor.dtype)) {
    return "dtype " + std::string(to_string(t.tensor.dtype)) + " is not a " +
           std::string(to_string(t.device)) + " data type";
  }
  const std::pair<const char*, std::int64_t> dims[] = {
      {"width", t.tensor.width}, {"height", t.tensor.height}, {"channels", t.tensor.channels}};
  for (const auto& [name, value] : dims) {
    // Each dimension is at most kMaxTransferBytes, so the product of two
    // fits in 64 bits before the size check below.
    if (value < 1 || value > kMaxTransferBytes) {
      return std::string("transfer ") + name + " " + to_string(value) + " is outside 1.." +
             to_string(kMaxTransferBytes);
    }
  }
  const std::int64_t plane = t.tensor.width * t.tensor.height;
  if (plane > kMaxTransferBytes ||
      plane * t.tensor.channels > kMaxTransferBytes ||  // plane <= 2^30, channels <= 2^30
      transfer_bytes(t) > kMaxTransferBytes) {
    return "transfer of " + to_string(t.tensor.width) + "x" + to_string(t.tensor.height) + "x" +
           to_string(t.tensor.channels) + " " + std::string(to_string(t.tensor.dtype)) +
           " exceeds the supported maximum of " + to_string(kMaxTransferBytes) + " bytes";
  }
  return std::nullopt;
}

void validate(const DmaTransfer& t) {
  if (auto problem = find_problem(t)) throw Error(*problem);
}

std::string describe(const DmaTransfer& t) {
  return std::string(to_string(t.device)) + " DMA " + std::string(to_string(t.direction)) + " " +
         to_string(t.tensor.width) + "x" + to_string(t.tensor.height) + "x" +
         to_string(t.tensor.channels) + " " + std::string(to_string(t.tensor.dtype)) + " (" +
         to_string(transfer_bytes(t)) + " bytes)";
}

}  // namespace vpucost
