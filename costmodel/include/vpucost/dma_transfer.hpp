#pragma once
// The DMA transfer descriptor: one tensor moved between DDR and a tile's
// memory (CMX), as the v2 teacher data's dma/ files record it: batch 1,
// contiguous, the same shape at both ends. A plain value; find_problem names
// the first thing that makes it impossible.
#include <cstdint>
#include <optional>
#include <string>

#include "vpucost/enums.hpp"
#include "vpucost/workload.hpp"

namespace vpucost {

struct DmaTransfer {
  Device device = Device::VPU_2_7;
  DmaDirection direction = DmaDirection::DDR_TO_CMX;
  Tensor tensor;  ///< what is moved (its shape matters to the engine, not only its size)

  bool operator==(const DmaTransfer&) const = default;
};

/// Bytes moved: width x height x channels x bytes per element.
std::int64_t transfer_bytes(const DmaTransfer& t);

/// The largest transfer accepted: 1 GiB, far above a tile's memory (1.5-2 MB)
/// and any one tensor of the networks vpucost costs; it keeps sizes far from
/// overflow.
inline constexpr std::int64_t kMaxTransferBytes = std::int64_t{1} << 30;

/// A transfer of `bytes` given without a shape, as a 1 x 1 x bytes UINT8
/// tensor (`vpucost predict --kind dma --bytes N`). Shape-aware models are
/// most accurate with the real shape; this is the flat form.
DmaTransfer flat_transfer(Device device, DmaDirection direction, std::int64_t bytes);

/// The first thing wrong with `t` as a message naming the field and the
/// values; std::nullopt when `t` is valid.
std::optional<std::string> find_problem(const DmaTransfer& t);

/// Throws vpucost::Error with find_problem's message when `t` is invalid.
void validate(const DmaTransfer& t);

/// One-line description, e.g. "VPU_4_0 DMA DDR_TO_CMX 56x56x64 UINT8 (200704 bytes)".
std::string describe(const DmaTransfer& t);

}  // namespace vpucost
