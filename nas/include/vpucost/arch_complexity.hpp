#pragma once
// Multiply-accumulates and parameters of search-space candidates and whole
// architectures, counted as ProxylessNAS, HURRICANE and the MobileNet papers
// count them ("FLOPs" in those papers are multiply-accumulates):
//
//  - MACs: convolutions k*k*in*out per output pixel, depthwise convolutions
//    k*k per output element, the classifier in*out. Eltwise adds and pooling
//    count nothing.
//  - parameters: convolution and depthwise weights (no bias), two per output
//    channel for the batch norm after each of them, classifier weights and
//    bias -- exactly costmodel's parameter_count() of the net config
//    (ProxylessNAS-mobile: 4.08M).
//
// Counted from the layers behind each latency-table entry (logical channels,
// before the DPU's padding to 16), so they are the network's, not the DPU's.
#include <span>
#include <vector>

#include "vpucost/lut.hpp"
#include "vpucost/network.hpp"

namespace vpucost::nas {

struct Complexity {
  double macs = 0.0;
  double params = 0.0;
  Complexity& operator+=(const Complexity& o) {
    macs += o.macs;
    params += o.params;
    return *this;
  }
};

Complexity layer_complexity(const Layer& layer);
/// Sum over the entry's layers (zero for the zero op).
Complexity entry_complexity(const LutEntry& entry);

class ComplexityTable {
 public:
  ComplexityTable() = default;
  explicit ComplexityTable(const LatencyTable& table);

  const Complexity& fixed() const { return fixed_; }
  const Complexity& at(std::size_t position, std::size_t candidate) const {
    return blocks_[position][candidate];
  }
  std::size_t positions() const { return blocks_.size(); }
  /// Fixed parts plus every chosen candidate. `arch` must be valid.
  Complexity architecture(std::span<const int> arch) const;

 private:
  Complexity fixed_;
  std::vector<std::vector<Complexity>> blocks_;
};

}  // namespace vpucost::nas
