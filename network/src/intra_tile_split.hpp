#pragma once
// How a tile runs its part of a layer on its DPUs: the candidate ways to cut
// the part into DPU workloads, and how their cycles make the tile's. The
// rules are VPUNN's layer model (its intra-tile splitter, which labels the
// v2 teacher's layers/ files), read from its source and written here as
// rules, not code:
//  - execution modes (layer_modes): VPU_2_7 / VPU_4_0 try CUBOID_16x16,
//    8x16 and 4x16 on a CONVOLUTION, 16x16 on CM_CONVOLUTION, depthwise and
//    pooling, 8x16 on ELTWISE; NPU_5_0 the same except that CM_CONVOLUTION
//    tries all three; VPU_2_0 exactly one mode per tile: VECTOR_FP16 for a
//    FLOAT16 tensor, else VECTOR when ceil(W/16)*H <= ceil(W/4)*ceil(H/4)
//    (W x H the part's output), else MATRIX;
//  - Z tiling: n output-channel chunks. With one DPU per tile a
//    CONVOLUTION, CM_CONVOLUTION or ELTWISE stays one workload; on VPU_2_0
//    only a CONVOLUTION or a VECTOR-mode part is cut. The counts n tried are
//    the multiples of the DPUs per tile up to min(128, K/16), the exact
//    halvings of ceil(K/z) for z in {16, 32, 48, 64, 80, 128, 144}, and 1.
//    A split into n is chunks of round_up(ceil(K/n), 16), the rest last,
//    and exists only when it gives exactly n non-empty chunks -- NPU_5_0
//    included: the teacher's layers split so, not in the balanced chunks of
//    VPUNN's later splitter for new devices (z_split.cpp). Depthwise and
//    pooling on VPU_2_7+ take only 16, 32 or 64 channels per workload;
//  - HW tiling, only with several DPUs per tile (VPU_2_0): for n in {1}, the
//    multiples of the DPUs and the halvings of the mode grid's cell count, up
//    to 128, every factor pair a x b = n cuts the output columns into
//    pieces of round_up(ceil(W/a), grid x) and rows into round_up(ceil(H/b),
//    grid y), larger pieces first; each piece keeps the part's padding on
//    every side and reads the input that padding implies (VPUNN's rule; it
//    overstates the padding of inner pieces);
//  - a candidate's cycles: its workloads list-scheduled in order on the
//    tile's DPUs (each to the DPU free first); the tile takes the cheapest
//    candidate whose workloads are all valid and within one workload's
//    limits (workload_limits.hpp).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vpucost/workload.hpp"

namespace vpucost::detail {

/// One way to run a tile's part: its workloads (mode set) in issue order,
/// held as runs over the part's distinct pieces (TileSplits::pieces): a
/// split repeats a few shapes many times -- 60 chunks of 16 channels are one
/// piece issued 60 times, one run -- and the part's candidates share them
/// (every Z split of a depthwise part is made of 16, 32 and 64 channels).
struct TileSplitCandidate {
  enum class Kind : std::uint8_t { None, Z, HW };
  /// `times` workloads of TileSplits::pieces[piece], issued one after another.
  struct Run {
    std::uint32_t piece;
    std::uint32_t times;
  };
  Kind kind = Kind::None;
  std::int64_t across = 1;      ///< Z: channel chunks; HW: pieces across the width
  std::int64_t down = 1;        ///< HW: pieces down the height
  std::uint32_t first_run = 0;  ///< its runs in TileSplits::runs; neighbouring
  std::uint32_t end_run = 0;    ///< runs differ in piece

  /// "none", "Z:4" (4 channel chunks), "HW:2x3" (2 across x 3 down).
  std::string label() const;
};

/// Every candidate split of one part: the distinct workloads they issue, and
/// the candidates as runs over them, all in flat vectors (reused from part
/// to part, the vectors keep their capacity).
struct TileSplits {
  std::vector<Workload> pieces;
  std::vector<TileSplitCandidate::Run> runs;  ///< every candidate's, a candidate's together
  std::vector<TileSplitCandidate> candidates;

  std::span<const TileSplitCandidate::Run> runs_of(const TileSplitCandidate& c) const {
    return std::span<const TileSplitCandidate::Run>(runs).subspan(c.first_run,
                                                                  c.end_run - c.first_run);
  }
  /// The DPU workloads candidate `c` issues.
  std::size_t workloads(const TileSplitCandidate& c) const {
    std::size_t n = 0;
    for (const auto& r : runs_of(c)) n += r.times;
    return n;
  }
  /// The index of `w` in pieces, added when new (a part has a few).
  std::uint32_t piece(const Workload& w);
  /// Starts a candidate; issue() adds to it.
  void start(TileSplitCandidate::Kind kind, std::int64_t across, std::int64_t down);
  /// Issues `times` more workloads of piece `piece` in the last candidate.
  void issue(std::uint32_t piece, std::uint32_t times = 1);
};

/// TileSplitCandidate::label() of a candidate of this kind and shape.
std::string split_label(TileSplitCandidate::Kind kind, std::int64_t across, std::int64_t down);

/// The modes VPUNN's layer model tries for `part` (see above).
std::vector<ExecutionMode> layer_modes(const Workload& part);

/// Every candidate split of `part` in every mode; those whose workloads are
/// invalid or exceed one workload's limits are left out.
TileSplits intra_tile_candidates(const Workload& part);
/// The same into `out`, reused from part to part.
void intra_tile_candidates(const Workload& part, TileSplits& out);

/// What the DPU model is asked for a piece `w`. A piece of a split over
/// rows or columns is padded on one side only (the tensor border), which no
/// DPU recording has: every profiled workload is padded alike on both sides,
/// and the model extrapolates such pieces too cheap (SOHO / SOW parts 2-5 %
/// below the teacher). So a one-sided piece is asked as its two symmetric
/// neighbours -- the same output padded on both sides as its larger side,
/// and as its smaller side, each reading the input rows that implies -- and
/// costs the dearer of the two. Chosen on the v2 layers train files against
/// the piece as it is and the geometric mean of the neighbours (network/
/// NETWORK.md section 11). A symmetric piece, or one whose neighbours are not
/// valid workloads, is asked as itself (twice).
std::pair<Workload, Workload> symmetric_neighbours(const Workload& w);

/// Makespan of `cycles` issued in order to `processors` (each job to the
/// processor free first, the lowest-numbered on a tie).
double list_schedule(std::span<const double> cycles, int processors);

}  // namespace vpucost::detail
