#pragma once
// The papers' design rules for VPUs, measured for one device (`vpucost
// advise`). Each rule compares two versions of the same layers -- a and b --
// costed by a NetworkCoster exactly as `vpucost net` and `lut` cost them
// (parts_cycles), on the shapes where the papers state the rule:
//
//  shave_activation  h-swish (on SHAVE) against a fused ReLU, in MobileNetV3
//                    blocks (k3, stride 1, no SE) of once-for-all's stage
//                    shapes 56x56x32 e3, 28x28x48 e3, 14x14x96 e6, 7x7x192
//                    e6: ratio = h-swish / ReLU. Holds (avoid SHAVE
//                    activations) when the geometric mean is >= 1.2.
//  se_block          the same blocks with and without squeeze-and-excitation
//                    (ReLU both): ratio = SE / plain. Holds (avoid SE) when
//                    >= 1.2.
//  channels_16       1x1 convolutions at 28x28 with C in {24, 40, 56, 72} in
//                    and out against C rounded up to 16: ratio = cycles(C) /
//                    cycles(C16). Holds (use multiples of 16: the DPU pays
//                    for the padding) when the geometric mean is >= 0.9.
//  large_kernel      ProxylessNAS's expand-6 blocks, kernel 7 against kernel
//                    3, at 112x112x16, 56x56x24, 28x28x40, 14x14x96,
//                    7x7x192 (its stride-1 positions), in ddr mode (what
//                    issue #16 measured: weights and activations through
//                    DDR): ratio = k7 / k3. Holds (large kernels almost free
//                    on small maps) when the 7x7 ratio is <= 1.5 and below
//                    the largest map's. The compute-mode ratio is reported
//                    next to it.
//  separable_stream  depthwise 3x3 + pointwise against a normal 3x3
//                    convolution (C -> C) at 112x112x32, 56x56x64, 28x28x128,
//                    in ddr mode (activations and weights through DDR):
//                    ratio = separable / normal. Holds (depthwise+pointwise
//                    DMA-bound at high resolution, a normal convolution as
//                    fast) when the ratio at the highest resolution is >= 0.8.
//                    The same ratio in compute mode is reported next to it.
//
// The rules needing SHAVE (shave_activation, se_block) need a coster with a
// SHAVE model; without one they are reported as not measured.
#include <string>
#include <vector>

#include "vpucost/network_cost.hpp"

namespace vpucost {

struct AdviceMeasurement {
  std::string where;  ///< the shape, e.g. "7x7x192"
  NetPart a;          ///< the version the rule warns about (h-swish, SE, C, k7, separable)
  NetPart b;          ///< the version it compares with
  double a_cycles = 0;
  double b_cycles = 0;
  double ratio() const { return b_cycles > 0 ? a_cycles / b_cycles : 0.0; }
  /// large_kernel and separable_stream (measured in ddr mode): the same
  /// ratio in compute mode.
  double compute_ratio = 0;
};

struct AdviceRule {
  std::string id;         ///< "shave_activation", ...
  std::string statement;  ///< the papers' rule in one sentence
  std::string ratio_of;   ///< what the ratio divides, e.g. "h-swish / ReLU"
  std::vector<AdviceMeasurement> measurements;
  double summary = 0;      ///< the ratio the verdict uses (see the header)
  std::string summary_of;  ///< "geometric mean", "at 7x7x192", ...
  bool measured = true;    ///< false when the coster lacks a SHAVE model
  bool holds = false;      ///< the rule holds on this device
  std::string verdict;     ///< one sentence with the numbers
};

/// Every rule on `compute` (a compute-mode coster; with a SHAVE model for
/// the SHAVE rules) and `ddr` (the same models in ddr mode).
std::vector<AdviceRule> design_advice(const NetworkCoster& compute, const NetworkCoster& ddr);

/// The rules as a Markdown report (device, dtype, source in the title).
std::string advice_markdown(const std::vector<AdviceRule>& rules, const NetworkCoster& coster);

}  // namespace vpucost
