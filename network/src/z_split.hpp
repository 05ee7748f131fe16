#pragma once
// Z tiling of a tile's part (intra_tile_split.hpp has the rules): which
// numbers n of output-channel chunks a part is tried in, and the chunks of
// each n -- VPUNN's rounded-up chunks on every generation (NPU_5_0
// included, as the teacher's layers show), depthwise and pooling in chunks
// of 16, 32 or 64 channels.
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

#include "vpucost/workload.hpp"

namespace vpucost::detail {

inline constexpr std::int64_t kMaxWorkloadsPerTile = 128;  // VPUNN's default per intra-tile split

// The workload counts a split tries, each once: a set over 1..128 (VPUNN
// keeps them in a std::set; two words of bits need no allocation or sort).
class SplitCounts {
 public:
  SplitCounts() { set(1); }
  void set(std::int64_t n) { bits_[std::size_t(n) / 64] |= std::uint64_t{1} << (n % 64); }
  // first, first + step, ... up to limit.
  void set_every(std::int64_t first, std::int64_t step, std::int64_t limit) {
    if (step != 1) {
      for (std::int64_t n = first; n <= limit; n += step) set(n);
      return;
    }
    for (std::int64_t n = first; n <= limit;) {  // a word's run at a time
      const std::int64_t word_end = std::min(limit, (n / 64) * 64 + 63);
      const int lo = int(n % 64), len = int(word_end - n + 1);
      const std::uint64_t run = len == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << len) - 1);
      bits_[std::size_t(n) / 64] |= run << lo;
      n = word_end + 1;
    }
  }
  // Keeps only the counts `other` has too.
  void keep_only(const SplitCounts& other) {
    for (std::size_t i = 0; i < bits_.size(); ++i) bits_[i] &= other.bits_[i];
  }
  // Calls f(n) for every count in ascending order.
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t word = 0; word < bits_.size(); ++word) {
      for (std::uint64_t b = bits_[word]; b != 0; b &= b - 1) {
        f(std::int64_t(word * 64 + std::size_t(std::countr_zero(b))));
      }
    }
  }

 private:
  std::array<std::uint64_t, (kMaxWorkloadsPerTile + 64) / 64> bits_{};
};

/// Sets `value` and its exact halvings, those within `limit`.
void add_halvings(SplitCounts& counts, std::int64_t value, std::int64_t limit);

/// The chunk counts n a part is tried in over Z (1: the part whole).
SplitCounts z_counts(const Workload& part, ExecutionMode mode, int dpus);

// A run of `count` channel chunks of `size` channels each.
struct ChunkRun {
  std::int64_t size;
  std::int64_t count;
};

/// The chunks of a split of `part` into n over Z, in order, as runs of one
/// size into `runs` (reused: this runs for every n of every part); false
/// when that split does not exist.
bool z_chunks(const Workload& part, std::int64_t n, std::vector<ChunkRun>& runs);

}  // namespace vpucost::detail
