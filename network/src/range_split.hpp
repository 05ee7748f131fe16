#pragma once
// Asking a predictor only what it was trained for. A trained DPU model has
// seen workloads up to CyclePredictor::max_extent() (224) output columns and
// rows; a super-resolution layer's tile part can be 1280 or 2560 columns
// wide, where the models' answers run away (VPU_2_7: 12x and 10^4x the sum
// of 224-column pieces). Such a workload is costed as the sum of its
// near-equal column x row pieces within the extent, each reading its halo
// and keeping the padding only at the border (tensor_chunks.hpp): what one
// DPU computes for the same outputs, as a compiler would also cut it to
// feed its workload queue. The cycles are the workload's; the workload
// itself is reported whole. Layers of the papers' ImageNet networks (maps
// of 112 and less) never reach the extent.
#include <cstdint>
#include <span>
#include <vector>

#include "tensor_chunks.hpp"
#include "vpucost/predictor.hpp"

namespace vpucost::detail {

/// out[i] = cycles of workloads[i], range-split as above; one batched query.
inline void predict_in_range(const CyclePredictor& predictor, std::span<const Workload> workloads,
                             std::span<double> out) {
  const std::int64_t extent = predictor.max_extent();
  const auto beyond = [&](const Workload& w) {
    return extent > 0 && (w.output.width > extent || w.output.height > extent);
  };
  bool any = false;
  for (const Workload& w : workloads) any = any || beyond(w);
  if (!any) return predictor.predict_cycles(workloads, out);

  std::vector<Workload> asked;
  std::vector<std::size_t> owner;
  for (std::size_t i = 0; i < workloads.size(); ++i) {
    const Workload& w = workloads[i];
    if (!beyond(w)) {
      asked.push_back(w);
      owner.push_back(i);
      continue;
    }
    const auto rows =
        near_equal_chunks(w.output.height, (w.output.height + extent - 1) / extent, 1);
    const auto cols = near_equal_chunks(w.output.width, (w.output.width + extent - 1) / extent, 1);
    std::int64_t first_row = 0;
    for (const std::int64_t r : rows) {
      const Workload by_row = row_chunk(w, first_row, r);
      std::int64_t first_col = 0;
      for (const std::int64_t c : cols) {
        asked.push_back(column_chunk(by_row, first_col, c));
        owner.push_back(i);
        first_col += c;
      }
      first_row += r;
    }
  }
  std::vector<double> cycles(asked.size());
  predictor.predict_cycles(asked, cycles);
  std::fill(out.begin(), out.end(), 0.0);
  for (std::size_t q = 0; q < asked.size(); ++q) out[owner[q]] += cycles[q];
}

}  // namespace vpucost::detail
