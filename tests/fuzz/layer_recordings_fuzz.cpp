// Fuzzes the layers CSV reader (issue #16, `vpucost layer --csv`) with
// arbitrary bytes, then costs what it keeps on the whole device with the
// roofline (every tiling strategy, the intra-tile candidates, the DMA
// terms). Any input must be read or refused with vpucost::Error; what is
// read keeps the reader's promises (rows_read == kept + rejected, every
// kept layer valid, labels NaN or in range, rejects in line order); every
// layer is costed or refused with a reason, and a costed one has finite,
// positive cycles no lower for a strategy than the best.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "vpucost/dma_model.hpp"
#include "vpucost/error.hpp"
#include "vpucost/layer_recordings.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/roofline.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

constexpr std::size_t kMaxCostedRows = 16;  // keeps one input fast

void cost(const vpucost::LayerRecord& r) {
  using namespace vpucost;
  const RooflineModel roofline;
  const LayerStrategies s = cost_strategies(roofline, r.layer);
  check(s.valid.size() + s.not_valid.size() == device_strategies(r.layer.device).size());
  for (const auto& [strategy, why] : s.not_valid) check(!why.empty());
  if (s.valid.empty()) return;
  const StrategyCost& best = s.best();
  for (const StrategyCost& c : s.valid) {
    check(std::isfinite(c.cycles) && c.cycles > 0 && c.cycles >= best.cycles);
    check(!c.tiles.empty() && c.workloads() >= c.tiles.size());
  }
  const LayerDmaTerms t = dma_terms(DmaModel(roofline_dma_parts(r.layer.device)), r.layer, best);
  check(std::isfinite(t.weights) && t.weights >= 0 && t.input > 0 && t.output > 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  vpucost::LayerRecordings r;
  try {
    r = vpucost::read_layer_csv_text(text, "fuzz.csv");
  } catch (const vpucost::Error&) {
    return 0;  // a file-level problem: no header, a missing or repeated column
  }
  check(r.rows_read == r.items.size() + r.rejects.size());
  for (const auto& item : r.items) {
    check(!vpucost::find_problem(item.layer).has_value());
    for (const double c : item.cycles) check(std::isnan(c) || (std::isfinite(c) && c > 0));
    check(std::isnan(item.cycles_best) || item.cycles_best > 0);
    check(std::isnan(item.dma_weights_cycles) || item.dma_weights_cycles >= 0);
    check(item.n_workloads >= 0);
    for (const auto mode : item.exec_modes) {
      check(static_cast<std::size_t>(mode) < vpucost::enum_count<vpucost::ExecutionMode>());
    }
  }
  for (std::size_t i = 1; i < r.rejects.size(); ++i) {
    check(r.rejects[i - 1].line < r.rejects[i].line);
  }
  for (const auto& reject : r.rejects) check(!reject.reason.empty());
  for (std::size_t i = 0; i < r.items.size() && i < kMaxCostedRows; ++i) cost(r.items[i]);
  return 0;
}
