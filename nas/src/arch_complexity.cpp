#include "vpucost/arch_complexity.hpp"

namespace vpucost::nas {

Complexity layer_complexity(const Layer& l) {
  const double out_pixels = double(l.out_width()) * double(l.out_height());
  const double kernel_area = double(l.kernel_w) * double(l.kernel_h);
  switch (l.kind) {
    case LayerKind::Convolution:
      return {out_pixels * kernel_area * double(l.in_channels) * double(l.out_channels),
              kernel_area * double(l.in_channels) * double(l.out_channels) +
                  2.0 * double(l.out_channels)};
    case LayerKind::DepthwiseConvolution:
      return {out_pixels * kernel_area * double(l.out_channels),
              kernel_area * double(l.out_channels) + 2.0 * double(l.out_channels)};
    case LayerKind::FullyConnected:  // weights and bias, no batch norm
      return {double(l.in_channels) * double(l.out_channels),
              double(l.in_channels) * double(l.out_channels) + double(l.out_channels)};
    case LayerKind::MaxPool:
    case LayerKind::AvgPool:
    case LayerKind::EltwiseAdd:
    case LayerKind::GlobalAvgPool:
      return {};
  }
  return {};
}

Complexity entry_complexity(const LutEntry& entry) {
  Complexity c;
  for (const LayerCost& l : entry.layers) c += layer_complexity(l.layer);
  return c;
}

ComplexityTable::ComplexityTable(const LatencyTable& table) {
  fixed_ = entry_complexity(table.stem);
  fixed_ += entry_complexity(table.feature_mix);
  for (const LutEntry& e : table.pooled_head) fixed_ += entry_complexity(e);
  fixed_ += entry_complexity(table.logits);
  for (const auto& position : table.blocks) {
    auto& row = blocks_.emplace_back();
    for (const LutEntry& e : position) row.push_back(entry_complexity(e));
  }
}

Complexity ComplexityTable::architecture(std::span<const int> arch) const {
  Complexity c = fixed_;
  for (std::size_t p = 0; p < arch.size(); ++p) c += blocks_[p][std::size_t(arch[p])];
  return c;
}

}  // namespace vpucost::nas
