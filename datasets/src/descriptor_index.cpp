#include "descriptor_index.hpp"

#include <bit>

namespace vpucost::detail {

std::uint64_t descriptor_hash(const Workload& w) {
  const std::int64_t fields[] = {
      static_cast<std::int64_t>(w.device),
      static_cast<std::int64_t>(w.operation),
      w.input.width,
      w.input.height,
      w.input.channels,
      w.output.width,
      w.output.height,
      w.output.channels,
      w.kernel_w,
      w.kernel_h,
      w.stride_w,
      w.stride_h,
      w.padding.top,
      w.padding.bottom,
      w.padding.left,
      w.padding.right,
      static_cast<std::int64_t>(w.input.dtype),
      static_cast<std::int64_t>(w.output.dtype),
      static_cast<std::int64_t>(w.mode),
  };
  std::uint64_t h = 0x243F6A8885A308D3ull;
  for (const std::int64_t f : fields) h = mix64(h ^ static_cast<std::uint64_t>(f));
  return h;
}

DescriptorIndex::DescriptorIndex(const DatasetColumns& columns, std::size_t expected_rows)
    : columns_(columns) {
  // Load factor at most 1/2.
  slots_.resize(std::bit_ceil(std::max<std::size_t>(16, expected_rows * 2)));
}

void DescriptorIndex::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.row == kNone) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].row != kNone) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::size_t DescriptorIndex::insert(std::size_t row, const Workload& w, std::uint64_t hash) {
  if ((used_ + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i].row != kNone) {
    if (slots_[i].hash == hash && columns_.workload(slots_[i].row) == w) return slots_[i].row;
    i = (i + 1) & mask;
  }
  slots_[i] = {hash, row};
  ++used_;
  return kNone;
}

}  // namespace vpucost::detail
