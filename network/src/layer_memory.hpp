#pragma once
// Bytes a layer's tile part moves and occupies, as VPUNN's layer model
// counts them (its layer validator and weight prefetch; v2 teacher labels):
//  - weights (weight_footprint_bytes): per output channel the kernel --
//    input channels x kw x kh for a CONVOLUTION, kw x kh for depthwise and
//    average pooling -- rounded up to a multiple of `a` elements (16 for
//    FLOAT16 weights; for UINT8 32 on VPU_4_0 and 16 elsewhere -- NPU_5_0
//    included, which the teacher's weight transfers and CMX decisions both
//    show; a CM_CONVOLUTION 16, or 8 for FLOAT16), times the element
//    size, plus a 16-byte weight-table entry per output channel; an
//    ELTWISE's second operand (the size of its input, no table); MAXPOOL
//    none, nor AVEPOOL on NPU_5_0 (which runs it as itself, not as a
//    depthwise convolution). Not rounded to pages: this is what the DMA
//    moves;
//  - CMX (tile_cmx_bytes): input + weights + output, each rounded up to the
//    allocation page (16 KB on VPU_2_0 / 2.7 / 4.0, 32 bytes on NPU_5_0);
//    a part that broadcasts its output (output_write_tiles > 1) holds the
//    whole layer output, every tile's share included.
// The one-workload footprint (costmodel's workload_limits.hpp) is the DPU
// workload sanitizer's count, which differs (no ELTWISE second operand, no
// kernel alignment for depthwise); the two are kept apart on purpose.
#include <cstdint>

#include "vpucost/workload.hpp"

namespace vpucost::detail {

std::int64_t weight_footprint_bytes(const Workload& w);

/// CMX a tile needs for `part`; `output` is the output tensor it holds
/// (the whole layer's when the part broadcasts).
std::int64_t tile_cmx_bytes(const Workload& part, const Tensor& output);

}  // namespace vpucost::detail
