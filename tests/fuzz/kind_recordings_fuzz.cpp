// Fuzzes the SHAVE and DMA recording CSV readers (issue #15) with arbitrary
// bytes, each read both ways (with and without labels). Any input must be
// read or refused with vpucost::Error, and what is read keeps the readers'
// promises: rows_read == kept + rejected; every kept descriptor valid, with
// cycles finite and > 0 when labels are read; rejects in line order.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "vpucost/error.hpp"
#include "vpucost/kind_recordings.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

template <class Recordings>
void check_read(const Recordings& r, bool labelled) {
  check(r.rows_read == r.items.size() + r.rejects.size());
  check(r.cycles.size() == r.items.size());
  for (std::size_t i = 0; i < r.items.size(); ++i) {
    check(!vpucost::find_problem(r.items[i]).has_value());
    if (labelled) check(std::isfinite(r.cycles[i]) && r.cycles[i] > 0);
  }
  for (std::size_t i = 1; i < r.rejects.size(); ++i) {
    check(r.rejects[i - 1].line < r.rejects[i].line);
  }
  for (const auto& reject : r.rejects) check(!reject.reason.empty());
}

template <class Read>
void read_both_ways(std::string_view text, Read read) {
  using vpucost::CyclesColumn;
  for (CyclesColumn c : {CyclesColumn::Required, CyclesColumn::Ignored}) {
    try {
      check_read(read(text, c), c == CyclesColumn::Required);
    } catch (const vpucost::Error&) {
      // a file-level problem: no header, a missing or repeated column
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  read_both_ways(text, [](std::string_view t, vpucost::CyclesColumn c) {
    return vpucost::read_shave_csv_text(t, "fuzz.csv", c);
  });
  read_both_ways(text, [](std::string_view t, vpucost::CyclesColumn c) {
    return vpucost::read_dma_csv_text(t, "fuzz.csv", c);
  });
  return 0;
}
