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

// Whether a depthwise-family part on this device takes only 16, 32 or 64
// channels per workload.
bool depthwise_sizes(const Workload& part) {
  return is_depthwise_family(part.operation) && part.device != Device::VPU_2_0;
}

// The Z counts worth trying for a depthwise-family part that takes 16 to 64
// channels per workload: n chunks cover k only when 16 n <= k <= 64 n, and
// every chunk but the last has one size c, so n = ceil(k / c). (1, the part
// whole, is always tried.) Most counts fail here, without building their
// chunks.
SplitCounts depthwise_z_counts(const Workload& part) {
  SplitCounts counts;
  const std::int64_t k = part.output.channels;
  const std::int64_t top = std::min(kMaxWorkloadsPerTile, k / 16);
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
  // Chunks of round_up(ceil(k / n), 16), the rest last: the split exists
  // only when that makes exactly n non-empty chunks (VPUNN's empty
  // workload otherwise). NPU_5_0 too: the teacher's layers split so (on the
  // train file, NPU_5_0 depthwise parts of 80, 96, 112, 144, 176, 240 and
  // 304 channels run as 3, 3, 4, 5, 6, 8 and 10 chunks, never as the
  // balanced 64+16, 64+32, 64+32+16, ... that VPUNN's later "balanced"
  // splitter for new devices would give), network/NETWORK.md section 11.
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
