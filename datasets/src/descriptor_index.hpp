#pragma once
// Finding rows with identical descriptors (every workload field equal;
// cycles do not count): import counts them as duplicates, split keeps them on
// one side, stats reports them. An open-addressing table of row numbers keyed
// by a 64-bit descriptor hash; equal hashes are confirmed field by field.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "vpucost/dataset_columns.hpp"

namespace vpucost::detail {

/// Platform-independent hash of all workload fields (stable across runs and
/// machines: split uses it to place rows reproducibly). Lossless packing
/// assumes valid sizes (< 2^21); invalid workloads may collide more often,
/// which DescriptorIndex resolves by comparing fields.
std::uint64_t descriptor_hash(const Workload& w);

/// splitmix64 finaliser: a well-mixed 64-bit value from any 64-bit input.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class DescriptorIndex {
 public:
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

  /// Rows are looked up in `columns`, which must outlive the index (rows may
  /// be appended to it between inserts).
  explicit DescriptorIndex(const DatasetColumns& columns, std::size_t expected_rows = 0);

  /// Registers row `row` whose descriptor hash is `hash`. Returns the first
  /// earlier registered row with the same descriptor, or kNone if it is new.
  /// Throws vpucost::Error beyond 2^32 - 2 rows.
  std::size_t insert(std::size_t row, std::uint64_t hash);
  std::size_t insert(std::size_t row) {
    return insert(row, descriptor_hash(columns_.workload(row)));
  }

  /// Starts loading the slot `hash` will probe, so that an insert issued a
  /// little later does not wait for memory (the table outgrows the caches).
  void prefetch(std::uint64_t hash) const {
    __builtin_prefetch(&slots_[static_cast<std::size_t>(hash) & (slots_.size() - 1)]);
  }

  /// Distinct descriptors registered.
  std::size_t distinct() const { return used_; }

 private:
  void grow();

  // 8 bytes per slot keeps the table small enough to stay mostly in cache.
  struct Slot {
    std::uint32_t tag = 0;  // upper hash bits, to skip most non-matching rows
    std::uint32_t row = 0;  // row + 1; 0 = empty
  };
  const DatasetColumns& columns_;
  std::vector<Slot> slots_;
  std::vector<std::uint64_t> hashes_;  // of the registered rows, by row (for grow)
  std::size_t used_ = 0;
};

}  // namespace vpucost::detail
