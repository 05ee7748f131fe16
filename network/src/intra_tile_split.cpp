#include "intra_tile_split.hpp"

#include <algorithm>

#include "tensor_chunks.hpp"
#include "vpucost/device.hpp"
#include "vpucost/workload_limits.hpp"
#include "z_split.hpp"

namespace vpucost::detail {
namespace {

// A workload the DPU model may be asked about: valid, with a channel count
// the DPU takes (a 128-channel depthwise workload on VPU_2_7 is not). Its
// memory is not checked again: the tile's part as a whole fits (the layer
// validator), which is what VPUNN's layer model checks.
bool acceptable(const Workload& w) {
  return !find_problem(w) && split_reason(w) != SplitReason::DepthwiseChannels;
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

SplitCounts hw_counts(const Workload& part, ExecutionMode mode, int dpus) {
  SplitCounts counts;  // 1: the part as one workload
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

void TileSplits::start(TileSplitCandidate::Kind kind, std::int64_t across, std::int64_t down) {
  const auto at = static_cast<std::uint32_t>(runs.size());
  candidates.push_back({kind, across, down, at, at});
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
    z_counts(moded, mode, dpus).for_each([&](std::int64_t n) {
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
