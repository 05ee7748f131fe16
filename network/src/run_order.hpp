#pragma once
// The order a network part's nodes run in, shared by costing a network
// (cost_parts) and a device-mode table entry (lut.cpp), which must agree:
// at each place i = 0 .. layers, the SHAVE steps placed there
// (after_layers == i), then the DMA copies placed there, then layer i.
#include <cstddef>

namespace vpucost::detail {

/// Calls on_shave(k), on_dma(k) and on_layer(i) in run order; shave_after(k)
/// and dma_after(k) give step k's after_layers (non-decreasing in k).
template <class ShaveAfter, class DmaAfter, class OnShave, class OnDma, class OnLayer>
void visit_in_run_order(std::size_t layers, std::size_t shaves, ShaveAfter shave_after,
                        std::size_t copies, DmaAfter dma_after, OnShave&& on_shave, OnDma&& on_dma,
                        OnLayer&& on_layer) {
  std::size_t step = 0, copy = 0;
  for (std::size_t i = 0; i <= layers; ++i) {
    for (; step < shaves && shave_after(step) == i; ++step) on_shave(step);
    for (; copy < copies && dma_after(copy) == i; ++copy) on_dma(copy);
    if (i < layers) on_layer(i);
  }
}

}  // namespace vpucost::detail
