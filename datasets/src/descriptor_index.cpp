#include "descriptor_index.hpp"

#include <bit>
#include <string>

#include "vpucost/error.hpp"

namespace vpucost::detail {

std::uint64_t descriptor_hash(const Workload& w) {
  // Valid sizes are below 2^21 (kMaxDimension = 2^20) and enums below 2^8, so
  // the descriptor packs losslessly into six words; fewer mixing rounds than
  // one per field keep this cheap on the import path.
  static_assert(kMaxDimension < (std::int64_t{1} << 21));
  const auto u = [](std::int64_t v) { return static_cast<std::uint64_t>(v) & 0x1FFFFF; };
  const auto e = [](auto v) { return static_cast<std::uint64_t>(v); };
  const std::uint64_t words[] = {
      e(w.device) | e(w.operation) << 8 | e(w.input.dtype) << 16 | e(w.output.dtype) << 24 |
          e(w.mode) << 32,
      u(w.input.width) | u(w.input.height) << 21 | u(w.input.channels) << 42,
      u(w.output.width) | u(w.output.height) << 21 | u(w.output.channels) << 42,
      u(w.kernel_w) | u(w.kernel_h) << 21 | u(w.stride_w) << 42,
      u(w.stride_h) | u(w.padding.top) << 21 | u(w.padding.bottom) << 42,
      u(w.padding.left) | u(w.padding.right) << 21,
  };
  std::uint64_t h = 0x243F6A8885A308D3ull;
  const auto add = [&h](std::uint64_t word) {
    h = (h ^ word) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  };
  for (const std::uint64_t word : words) add(word);
  // The compiler's fields enter only when one is set, so that a workload at
  // the defaults hashes as it did before they existed (split places such
  // rows exactly as it always has).
  if (!has_default_compiler_fields(w)) {
    add(e(w.activation) | e(w.isi_strategy) << 8 | u(w.output_write_tiles) << 16);
    // + 0.0 turns -0.0 into 0.0: equal rates must hash equally.
    add(std::bit_cast<std::uint64_t>(w.input_sparsity + 0.0));
    add(std::bit_cast<std::uint64_t>(w.weight_sparsity + 0.0));
  }
  return mix64(h);
}

DescriptorIndex::DescriptorIndex(const DatasetColumns& columns, std::size_t expected_rows)
    : columns_(columns) {
  // Load factor at most 1/2.
  slots_.resize(std::bit_ceil(std::max<std::size_t>(16, expected_rows * 2)));
  hashes_.reserve(expected_rows);
}

void DescriptorIndex::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.row == 0) continue;
    std::size_t i = static_cast<std::size_t>(hashes_[s.row - 1]) & mask;
    while (slots_[i].row != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::size_t DescriptorIndex::insert(std::size_t row, std::uint64_t hash) {
  if (row >= std::numeric_limits<std::uint32_t>::max() - 1) {
    throw Error("more than " + std::to_string(std::numeric_limits<std::uint32_t>::max() - 2) +
                " rows: too many to index in memory");
  }
  if (hashes_.size() <= row) hashes_.resize(row + 1);
  hashes_[row] = hash;
  if ((used_ + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  while (slots_[i].row != 0) {
    const std::size_t other = slots_[i].row - 1;
    if (slots_[i].tag == tag && hashes_[other] == hash &&
        columns_.workload(other) == columns_.workload(row)) {
      return other;
    }
    i = (i + 1) & mask;
  }
  slots_[i] = {tag, static_cast<std::uint32_t>(row + 1)};
  ++used_;
  return kNone;
}

}  // namespace vpucost::detail
