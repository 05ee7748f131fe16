#pragma once
// Numbering distinct workloads as they come (layer_strategy.cpp): a layer's
// tile parts and their DPU pieces repeat -- CLUSTERING's copies, SOHO's
// equal slices, a chunk issued 60 times -- and each distinct one is costed
// once. A flat open-addressing table over the workloads' hashes: a layer
// interns ~150 workloads of which ~50 are distinct, and a node-based map
// spent as long in malloc and free as in hashing.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "batch_coster.hpp"
#include "vpucost/workload.hpp"

namespace vpucost::detail {

class WorkloadInterner {
 public:
  explicit WorkloadInterner(std::size_t expected = 32) {
    items_.reserve(expected);
    hashes_.reserve(expected);
    std::size_t slots = 16;
    while (slots < 2 * expected) slots *= 2;
    slots_.assign(slots, kEmpty);
  }

  /// The number of `w` (its index in items()) and whether it is new.
  std::pair<std::uint32_t, bool> intern(const Workload& w) {
    const std::size_t h = WorkloadHash{}(w);
    std::size_t s = h & (slots_.size() - 1);
    for (; slots_[s] != kEmpty; s = (s + 1) & (slots_.size() - 1)) {
      const std::uint32_t i = slots_[s];
      if (hashes_[i] == h && items_[i] == w) return {i, false};
    }
    const auto index = static_cast<std::uint32_t>(items_.size());
    items_.push_back(w);
    hashes_.push_back(h);
    slots_[s] = index;
    // At most half full: probe sequences stay a slot or two long.
    if (2 * items_.size() > slots_.size()) grow();
    return {index, true};
  }

  const std::vector<Workload>& items() const { return items_; }

  /// Forgets every workload, keeping the memory (a table reused from layer
  /// to layer).
  void clear() {
    items_.clear();
    hashes_.clear();
    std::fill(slots_.begin(), slots_.end(), kEmpty);
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xffffffffU;

  void grow() {
    slots_.assign(2 * slots_.size(), kEmpty);
    for (std::uint32_t i = 0; i < items_.size(); ++i) {
      std::size_t s = hashes_[i] & (slots_.size() - 1);
      while (slots_[s] != kEmpty) s = (s + 1) & (slots_.size() - 1);
      slots_[s] = i;
    }
  }

  std::vector<Workload> items_;
  std::vector<std::size_t> hashes_;   // per item
  std::vector<std::uint32_t> slots_;  // item index or kEmpty; a power of two long
};

}  // namespace vpucost::detail
