#include "z_split.hpp"

#include <algorithm>

#include "vpucost/device.hpp"

namespace vpucost::detail {
namespace {

bool runs_as_one_workload(const Workload& part, int dpus) {
  const Operation op = part.operation;
  return dpus == 1 && (op == Operation::CONVOLUTION || op == Operation::CM_CONVOLUTION ||
                       op == Operation::ELTWISE);
}

// Appends `count` chunks of `size` to `runs`, merging with the last run.
void add_chunks(std::vector<ChunkRun>& runs, std::int64_t size, std::int64_t count) {
  if (!runs.empty() && runs.back().size == size) {
    runs.back().count += count;
  } else {
    runs.push_back({size, count});
  }
}

// Whether a depthwise-family part on this device takes only 16, 32 or 64
// channels per workload.
bool depthwise_sizes(const Workload& part) {
  return is_depthwise_family(part.operation) && part.device != Device::VPU_2_0;
}

// NPU_5_0's balanced split of g 16-channel groups into n chunks, as runs:
// chunk by chunk, each takes the smallest allowed size covering its share of
// what is left, ceil(groups left / chunks left) groups -- snapped up to 2 or
// 4 groups (32 or 64 channels) for depthwise-family parts, which fail beyond
// 4 -- and the split fails when a chunk would be empty or larger than what
// is left. The sizes never grow, so the chunks come in at most three runs,
// each worked out at once rather than chunk by chunk (a 1,920-channel part
// tries every n up to 120: chunk by chunk, that was 7,000 divisions a part
// and most of an NPU_5_0 layer's time). Tested against the chunk-by-chunk
// rule for every g and n (intra_tile_split_test.cpp).
bool balanced_z_chunks(std::int64_t g, std::int64_t n, bool dw_sizes, std::vector<ChunkRun>& runs) {
  if (!dw_sizes) {
    // ceil(g / n) for the first g % n chunks, then g / n for the rest.
    const std::int64_t q = g / n, r = g % n;
    if (q == 0) return false;
    if (r > 0) runs.push_back({16 * (q + 1), r});
    runs.push_back({16 * q, n - r});
    return true;
  }
  std::int64_t left = n;
  while (left > 0) {
    // ceil(g / left): > 4 fails; 3-4 -> 4; 2 -> 2; 1 -> 1; 0 (empty) fails.
    std::int64_t size = 0, steps = 0;
    if (g > 4 * left) return false;
    if (g > 2 * left) {
      // Stays above 2 per chunk left while g - 4t > 2 (left - t).
      size = 4;
      steps = std::min(left, (g - 2 * left + 1) / 2);
    } else if (g > left) {
      // Stays above 1 per chunk left while g - 2t > left - t.
      size = 2;
      steps = std::min(left, g - left);
    } else if (g > 0) {
      // One group each: g must equal the chunks left.
      size = 1;
      steps = left;
      if (g != left) return false;
    } else {
      return false;
    }
    // The phase's last chunk must still find `size` groups left.
    if (g - size * (steps - 1) < size) return false;
    add_chunks(runs, 16 * size, steps);
    g -= size * steps;
    left -= steps;
  }
  return g == 0;
}

// The Z counts worth trying for a depthwise-family part that takes 16 to 64
// channels per workload: n chunks cover k only when 16 n <= k <= 64 n, and
// before NPU_5_0 every chunk but the last has one size c, so n = ceil(k / c).
// (1, the part whole, is always tried.) Most counts fail here, without
// building their chunks.
SplitCounts depthwise_z_counts(const Workload& part) {
  SplitCounts counts;
  const std::int64_t k = part.output.channels;
  const std::int64_t top = std::min(kMaxWorkloadsPerTile, k / 16);
  if (part.device == Device::NPU_5_0) {
    const std::int64_t low = std::max<std::int64_t>(2, (k + 63) / 64);
    if (low <= top) counts.set_every(low, 1, top);
    return counts;
  }
  for (const std::int64_t c : {16, 32, 64}) {
    const std::int64_t n = (k + c - 1) / c;
    if (n >= 2 && n <= top && n * 64 >= k) counts.set(n);
  }
  return counts;
}

}  // namespace

bool z_chunks(const Workload& part, std::int64_t n, std::vector<ChunkRun>& runs) {
  runs.clear();
  const std::int64_t k = part.output.channels;
  const bool dw_sizes = depthwise_sizes(part);
  const auto allowed = [&](std::int64_t c) { return !dw_sizes || c == 16 || c == 32 || c == 64; };
  if (n == 1) {
    runs.push_back({k, 1});
    return allowed(k);
  }
  if (k % 16 != 0) return false;
  if (part.device == Device::NPU_5_0) return balanced_z_chunks(k / 16, n, dw_sizes, runs);
  // Chunks of round_up(ceil(k / n), 16), the rest last: the split exists
  // only when that makes exactly n non-empty chunks (VPUNN's empty
  // workload otherwise).
  const std::int64_t chunk = ((k + n - 1) / n + 15) / 16 * 16;
  const std::int64_t full = k / chunk;
  const std::int64_t rest = k % chunk;
  if (full + (rest > 0 ? 1 : 0) != n || !allowed(chunk) || (rest > 0 && !allowed(rest))) {
    return false;
  }
  if (full > 0) runs.push_back({chunk, full});
  if (rest > 0) runs.push_back({rest, 1});
  return true;
}

void add_halvings(SplitCounts& counts, std::int64_t value, std::int64_t limit) {
  for (std::int64_t v = value; v >= 1; v /= 2) {
    if (v <= limit) counts.set(v);
    if (v % 2 != 0) break;
  }
}

SplitCounts z_counts(const Workload& part, ExecutionMode mode, int dpus) {
  SplitCounts counts;  // 1: the part as one workload
  if (runs_as_one_workload(part, dpus)) return counts;
  if (part.device == Device::VPU_2_0 && mode != ExecutionMode::VECTOR &&
      part.operation != Operation::CONVOLUTION) {
    return counts;
  }
  const std::int64_t k = part.output.channels;
  const std::int64_t limit = std::min(kMaxWorkloadsPerTile, (k + 15) / 16);
  counts.set_every(dpus, dpus, limit);
  for (const std::int64_t z : {16, 32, 48, 64, 80, 128, 144}) {
    add_halvings(counts, (k + z - 1) / z, limit);
  }
  if (depthwise_sizes(part)) counts.keep_only(depthwise_z_counts(part));
  return counts;
}

}  // namespace vpucost::detail
