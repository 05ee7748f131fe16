#include "intra_tile_split.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#include "tensor_chunks.hpp"
#include "vpucost/device.hpp"
#include "vpucost/workload_limits.hpp"

namespace vpucost::detail {
namespace {

constexpr std::int64_t kMaxWorkloadsPerTile = 128;  // VPUNN's default per intra-tile split

bool runs_as_one_workload(const Workload& part, int dpus) {
  const Operation op = part.operation;
  return dpus == 1 && (op == Operation::CONVOLUTION || op == Operation::CM_CONVOLUTION ||
                       op == Operation::ELTWISE);
}

// A workload the DPU model may be asked about: valid, with a channel count
// the DPU takes (a 128-channel depthwise workload on VPU_2_7 is not). Its
// memory is not checked again: the tile's part as a whole fits (the layer
// validator), which is what VPUNN's layer model checks.
bool acceptable(const Workload& w) {
  return !find_problem(w) && split_reason(w) != SplitReason::DepthwiseChannels;
}

// The workload counts a split tries, each once: a set over 1..128 (VPUNN
// keeps them in a std::set; two words of bits need no allocation or sort).
class Counts {
 public:
  Counts() { set(1); }
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
  void keep_only(const Counts& other) {
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

// `value` and its exact halvings, those within `limit`.
void add_halvings(Counts& counts, std::int64_t value, std::int64_t limit) {
  for (std::int64_t v = value; v >= 1; v /= 2) {
    if (v <= limit) counts.set(v);
    if (v % 2 != 0) break;
  }
}

Counts z_counts(const Workload& part, ExecutionMode mode, int dpus) {
  Counts counts;  // 1: the part as one workload
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
  return counts;
}

// A run of `count` channel chunks of `size` channels each.
struct ChunkRun {
  std::int64_t size;
  std::int64_t count;
};

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

// Channel chunks of a split into n, in order, as runs of one size into
// `runs` (reused: this runs for every n of every part); false when that
// split does not exist.
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

// The Z counts worth trying for a depthwise-family part that takes 16 to 64
// channels per workload: n chunks cover k only when 16 n <= k <= 64 n, and
// before NPU_5_0 every chunk but the last has one size c, so n = ceil(k / c).
// (1, the part whole, is always tried.) Most counts fail here, without
// building their chunks.
Counts depthwise_z_counts(const Workload& part) {
  Counts counts;
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

struct TilingGrid {
  std::int64_t x = 4;
  std::int64_t y = 4;
};

TilingGrid hw_tiling_grid(ExecutionMode mode) {
  if (mode == ExecutionMode::VECTOR) return {16, 1};
  if (mode == ExecutionMode::VECTOR_FP16) return {4, 1};
  return {4, 4};
}

Counts hw_counts(const Workload& part, ExecutionMode mode, int dpus) {
  Counts counts;  // 1: the part as one workload
  if (dpus == 1) return counts;
  const TilingGrid g = hw_tiling_grid(mode);
  // VPUNN divides the height by the grid's x and the width by its y.
  const std::int64_t cells = (part.output.height / g.x) * (part.output.width / g.y);
  const std::int64_t limit = std::min(kMaxWorkloadsPerTile, cells);
  counts.set_every(dpus, dpus, limit);
  if (cells > 0) add_halvings(counts, cells, limit);
  return counts;
}

// A piece of `part` with this output size, keeping every side's padding.
Workload hw_piece(const Workload& part, std::int64_t width, std::int64_t height) {
  Workload p = part;
  p.output.width = width;
  p.output.height = height;
  p.input.width =
      (width - 1) * part.stride_w + part.kernel_w - part.padding.left - part.padding.right;
  p.input.height =
      (height - 1) * part.stride_h + part.kernel_h - part.padding.top - part.padding.bottom;
  return p;
}

void add_hw_candidates(const Workload& part, ExecutionMode mode, std::int64_t n, TileSplits& out) {
  const TilingGrid g = hw_tiling_grid(mode);
  const std::int64_t w = part.output.width;
  const std::int64_t h = part.output.height;
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;  // (across, down), ascending
  for (std::int64_t i = 1; i * i <= n; ++i) {
    if (n % i != 0) continue;
    pairs.emplace_back(n / i, i);
    if (i != n / i) pairs.emplace_back(i, n / i);
  }
  std::sort(pairs.begin(), pairs.end());
  for (const auto& [a, b] : pairs) {
    if (a > w || b > h) continue;
    const std::int64_t piece_w = ((w + a - 1) / a + g.x - 1) / g.x * g.x;
    const std::int64_t piece_h = ((h + b - 1) / b + g.y - 1) / g.y * g.y;
    const auto widths = ceil_first_chunks(w, (w + piece_w - 1) / piece_w, piece_w);
    const auto heights = ceil_first_chunks(h, (h + piece_h - 1) / piece_h, piece_h);
    // At most two widths and two heights: check each distinct piece once.
    bool ok = true;
    for (const std::int64_t pw : {widths.front(), widths.back()}) {
      for (const std::int64_t ph : {heights.front(), heights.back()}) {
        ok = ok && acceptable(hw_piece(part, pw, ph));
      }
    }
    if (!ok) continue;
    out.start(TileSplitCandidate::Kind::HW, std::int64_t(widths.size()),
              std::int64_t(heights.size()));
    // Row-major: full pieces first, the last column / row the remainder.
    for (const std::int64_t ph : heights) {
      for (const std::int64_t pw : widths) {
        out.issue(out.piece(hw_piece(part, pw, ph)));
      }
    }
  }
}

}  // namespace

std::string split_label(TileSplitCandidate::Kind kind, std::int64_t across, std::int64_t down) {
  switch (kind) {
    case TileSplitCandidate::Kind::None:
      return "none";
    case TileSplitCandidate::Kind::Z:
      return "Z:" + std::to_string(across);
    case TileSplitCandidate::Kind::HW:
      return "HW:" + std::to_string(across) + "x" + std::to_string(down);
  }
  return "none";
}

std::string TileSplitCandidate::label() const {
  return split_label(kind, across, down);
}

TileSplitCandidate& TileSplits::start(TileSplitCandidate::Kind kind, std::int64_t across,
                                      std::int64_t down) {
  const auto at = static_cast<std::uint32_t>(runs.size());
  candidates.push_back({kind, across, down, at, at});
  return candidates.back();
}

void TileSplits::issue(std::uint32_t piece, std::uint32_t times) {
  TileSplitCandidate& c = candidates.back();
  if (c.end_run > c.first_run && runs.back().piece == piece) {
    runs.back().times += times;
  } else {
    runs.push_back({piece, times});
    ++c.end_run;
  }
}

std::uint32_t TileSplits::piece(const Workload& w) {
  const auto index =
      static_cast<std::uint32_t>(std::find(pieces.begin(), pieces.end(), w) - pieces.begin());
  if (index == pieces.size()) pieces.push_back(w);
  return index;
}

std::vector<ExecutionMode> layer_modes(const Workload& part) {
  using enum ExecutionMode;
  if (part.device == Device::VPU_2_0) {
    if (part.input.dtype == DType::FLOAT16 || part.output.dtype == DType::FLOAT16) {
      return {VECTOR_FP16};
    }
    const std::int64_t w = part.output.width;
    const std::int64_t h = part.output.height;
    return {(w + 15) / 16 * h <= ((w + 3) / 4) * ((h + 3) / 4) ? VECTOR : MATRIX};
  }
  std::vector<ExecutionMode> wanted;
  switch (as_executed(part).operation) {
    case Operation::CONVOLUTION:
      wanted = {CUBOID_16x16, CUBOID_8x16, CUBOID_4x16};
      break;
    case Operation::CM_CONVOLUTION:
      wanted = part.device == Device::NPU_5_0
                   ? std::vector<ExecutionMode>{CUBOID_16x16, CUBOID_8x16, CUBOID_4x16}
                   : std::vector<ExecutionMode>{CUBOID_16x16};
      break;
    case Operation::ELTWISE:
      wanted = {CUBOID_8x16};
      break;
    default:
      wanted = {CUBOID_16x16};
  }
  // Only modes the device's DPU takes for this operation.
  const auto allowed = operation_modes(part.device, part.operation);
  std::erase_if(wanted, [&](ExecutionMode m) {
    return std::find(allowed.begin(), allowed.end(), m) == allowed.end();
  });
  if (wanted.empty()) wanted.assign(allowed.begin(), allowed.end());
  return wanted;
}

void intra_tile_candidates(const Workload& part, TileSplits& out) {
  const int dpus = device_spec(part.device).dpus_per_tile;
  out.pieces.clear();
  out.runs.clear();
  out.candidates.clear();
  thread_local std::vector<ChunkRun> chunks;  // reused: this runs for every part
  for (const ExecutionMode mode : layer_modes(part)) {
    Workload moded = part;
    moded.mode = mode;
    // HW tiling first, then Z tiling (VPUNN's order; it matters only for
    // which of two equally cheap candidates is reported). HW tiling of
    // depthwise and pooling exists only before VPU_2_7.
    if (dpus > 1 && !(is_depthwise_family(part.operation) && part.device != Device::VPU_2_0)) {
      hw_counts(moded, mode, dpus).for_each([&](std::int64_t n) {
        add_hw_candidates(moded, mode, n, out);
      });
    }
    // The pieces from here on are this mode's Z chunks, which differ in
    // their channels only: found by those.
    const auto first_piece = static_cast<std::uint32_t>(out.pieces.size());
    const auto z_piece = [&](std::int64_t channels) {
      for (auto i = first_piece; i < out.pieces.size(); ++i) {
        if (out.pieces[i].output.channels == channels) return i;
      }
      out.pieces.push_back(channel_chunk(moded, channels));
      return static_cast<std::uint32_t>(out.pieces.size() - 1);
    };
    Counts counts = z_counts(moded, mode, dpus);
    if (depthwise_sizes(part)) counts.keep_only(depthwise_z_counts(part));
    counts.for_each([&](std::int64_t n) {
      // Chunks of a valid part with channel counts the DPU takes are valid
      // workloads: no further check.
      if (!z_chunks(moded, n, chunks)) return;
      out.start(n == 1 ? TileSplitCandidate::Kind::None : TileSplitCandidate::Kind::Z, n, 1);
      for (const ChunkRun& run : chunks) {
        out.issue(z_piece(run.size), static_cast<std::uint32_t>(run.count));
      }
    });
  }
}

TileSplits intra_tile_candidates(const Workload& part) {
  TileSplits out;
  intra_tile_candidates(part, out);
  return out;
}

std::pair<Workload, Workload> symmetric_neighbours(const Workload& w) {
  if (!one_sided_padding(w)) return {w, w};
  const auto padded = [&](bool larger) {
    Workload s = w;
    const auto pick = [&](std::int64_t a, std::int64_t b) {
      return larger ? std::max(a, b) : std::min(a, b);
    };
    const std::int64_t ph = pick(w.padding.top, w.padding.bottom);
    const std::int64_t pw = pick(w.padding.left, w.padding.right);
    s.padding = {ph, ph, pw, pw};
    s.input.height = (s.output.height - 1) * s.stride_h + s.kernel_h - 2 * ph;
    s.input.width = (s.output.width - 1) * s.stride_w + s.kernel_w - 2 * pw;
    return s;
  };
  Workload larger = padded(true);
  Workload smaller = padded(false);
  if (find_problem(larger) || find_problem(smaller)) return {w, w};
  return {std::move(larger), std::move(smaller)};
}

double list_schedule(std::span<const double> cycles, int processors) {
  if (processors <= 1) {
    double sum = 0.0;
    for (const double c : cycles) sum += c;
    return sum;
  }
  std::vector<double> busy(static_cast<std::size_t>(processors), 0.0);
  for (const double c : cycles) {
    *std::min_element(busy.begin(), busy.end()) += c;
  }
  return *std::max_element(busy.begin(), busy.end());
}

}  // namespace vpucost::detail
