#pragma once
// What one DPU workload may hold (the limits VPUNN's validator enforces):
//  - depthwise convolution and pooling on VPU_2_7 / VPU_4_0: 16, 32 or 64
//    channels (DeviceSpec::dw_pool_channels);
//  - everything it touches must fit in the tile memory (CMX, DeviceSpec::
//    cmx_bytes), as counted by cmx_footprint() below.
// How a layer beyond these limits is cut into workloads is network's job
// (workload_split.hpp).
#include <cstdint>
#include <string_view>

#include "vpucost/workload.hpp"

namespace vpucost {

/// Bytes of tile memory a workload occupies, each tensor rounded up to the
/// 16 KB allocation page (VPUNN's memory estimator, calibrated so that it
/// reproduces every accept/reject decision in the teacher data):
///  - input: width x height x channels x bytes (a CM_CONVOLUTION's input
///    unpadded). ELTWISE: like VPUNN, the second operand is not counted (the
///    teacher data accept ELTWISE workloads only this count lets fit);
///  - weights: (CM_)CONVOLUTION: out x align(in x kw x kh, a) x bytes, with a
///    = 16 for FLOAT16 and for UINT8 on 2.0 / 2.7, 32 for UINT8 on 4.0 (8 /
///    16 for CM); DW_CONVOLUTION and AVEPOOL: channels x kw x kh x bytes;
///    plus a 16-byte weight-table entry per output channel. MAXPOOL and
///    ELTWISE have none;
///  - output: width x height x channels x bytes.
/// Fits when total <= DeviceSpec::cmx_bytes. Computed on the executed form
/// (as_executed) of a valid workload.
struct CmxFootprint {
  std::int64_t input_bytes = 0;
  std::int64_t weight_bytes = 0;
  std::int64_t output_bytes = 0;
  std::int64_t total_bytes = 0;
};
CmxFootprint cmx_footprint(const Workload& w);

/// cmx_footprint(w).total_bytes <= DeviceSpec::cmx_bytes.
bool fits_in_cmx(const Workload& w);

/// Depthwise convolution and pooling: the operations whose channel count per
/// workload some devices limit (DeviceSpec::dw_pool_channels).
constexpr bool is_depthwise_family(Operation op) {
  return op == Operation::DW_CONVOLUTION || op == Operation::MAXPOOL || op == Operation::AVEPOOL;
}

/// Why a workload cannot run as one DPU workload.
enum class SplitReason : std::uint8_t {
  None,               ///< it can
  DepthwiseChannels,  ///< depthwise/pool channel count not allowed on this device
  CmxCapacity,        ///< does not fit in CMX
};
std::string_view to_string(SplitReason reason);

/// The first limit `w` (valid, channels padded) exceeds, or None.
SplitReason split_reason(const Workload& w);

}  // namespace vpucost
