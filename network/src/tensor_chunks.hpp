#pragma once
// Cutting a workload into pieces along one axis, shared by the split of a
// layer into DPU workloads (workload_split.cpp) and of a layer over tiles
// (layer_strategy.cpp): channel chunks, and row / column chunks that read
// the input rows / columns they need (halo included) and keep the padding
// only at the tensor border.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vpucost/workload.hpp"

namespace vpucost::detail {

/// `n` chunks of `total` in multiples of `unit`, as equal as possible, the
/// larger first (total a multiple of unit).
inline std::vector<std::int64_t> near_equal_chunks(std::int64_t total, std::int64_t n,
                                                   std::int64_t unit) {
  const std::int64_t groups = total / unit;
  std::vector<std::int64_t> chunks;
  for (std::int64_t i = 0; i < n; ++i) {
    chunks.push_back((groups / n + (i < groups % n ? 1 : 0)) * unit);
  }
  return chunks;
}

/// The pieces of ceil_first_chunks, computed as they are read (no
/// allocation: a layer's tiling asks for them a few dozen times): piece i is
/// min(size, total - i * size).
/// A hand-written range, not std::views: clang 14 cannot compile libstdc++
/// 12's <ranges> (the sanitizer builds use it).
class CeilFirstChunks {
 public:
  CeilFirstChunks(std::int64_t total, std::int64_t size, std::int64_t count)
      : total_(total), size_(size), count_(count) {}

  class iterator {
   public:
    iterator(const CeilFirstChunks* chunks, std::int64_t i) : chunks_(chunks), i_(i) {}
    std::int64_t operator*() const { return (*chunks_)[i_]; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const iterator& other) const { return i_ == other.i_; }

   private:
    const CeilFirstChunks* chunks_;
    std::int64_t i_;
  };

  std::int64_t operator[](std::int64_t i) const { return std::min(size_, total_ - i * size_); }
  std::size_t size() const { return static_cast<std::size_t>(count_); }
  std::int64_t front() const { return (*this)[0]; }
  std::int64_t back() const { return (*this)[count_ - 1]; }
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, count_}; }

 private:
  std::int64_t total_;
  std::int64_t size_;
  std::int64_t count_;
};

/// VPUNN's split of `total` into at most `n` pieces: each piece
/// round_up(ceil(total / n), unit) until the rest is smaller, the rest last;
/// no empty pieces (so fewer than n when the rounding leaves none), e.g.
/// 9 rows over 4 tiles: 3, 3, 3; 112 channels over 6 tiles (unit 16): 32,
/// 32, 32, 16.
inline CeilFirstChunks ceil_first_chunks(std::int64_t total, std::int64_t n, std::int64_t unit) {
  const std::int64_t size = ((total + n - 1) / n + unit - 1) / unit * unit;
  const std::int64_t count = total <= 0 ? 0 : std::min(n, (total + size - 1) / size);
  return {total, size, count};
}

inline Workload channel_chunk(const Workload& w, std::int64_t channels) {
  Workload c = w;
  c.output.channels = channels;
  if (is_channelwise(w.operation)) c.input.channels = channels;
  return c;
}

// Output rows [first, first + rows) of `w`, reading the input rows they need
// (halo included) and keeping the padding only at the tensor border.
inline Workload row_chunk(const Workload& w, std::int64_t first, std::int64_t rows) {
  const std::int64_t start = first * w.stride_h - w.padding.top;
  const std::int64_t end = (first + rows - 1) * w.stride_h - w.padding.top + w.kernel_h;
  const std::int64_t in_start = std::max<std::int64_t>(0, start);
  const std::int64_t in_end = std::min(w.input.height, end);
  Workload c = w;
  c.input.height = in_end - in_start;
  c.output.height = rows;
  c.padding.top = in_start - start;
  c.padding.bottom = end - in_end;
  return c;
}

// Output columns [first, first + cols): the width analogue of row_chunk.
inline Workload column_chunk(const Workload& w, std::int64_t first, std::int64_t cols) {
  const std::int64_t start = first * w.stride_w - w.padding.left;
  const std::int64_t end = (first + cols - 1) * w.stride_w - w.padding.left + w.kernel_w;
  const std::int64_t in_start = std::max<std::int64_t>(0, start);
  const std::int64_t in_end = std::min(w.input.width, end);
  Workload c = w;
  c.input.width = in_end - in_start;
  c.output.width = cols;
  c.padding.left = in_start - start;
  c.padding.right = end - in_end;
  return c;
}

}  // namespace vpucost::detail
