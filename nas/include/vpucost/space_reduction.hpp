#pragma once
// Hardware-aware search-space generation (HURRICANE, Zhang et al., "Fast
// Hardware-Aware Neural Architecture Search"): at every position, score each
// candidate operation by
//
//     score = (MACs * params) ^ a / latency_ms
//
// (MACs and parameters of the candidate block, arch_complexity.hpp; latency
// from the table at that position) and keep the `keep` best, so that the
// search only spends its budget on operations that buy capacity cheaply on
// this hardware.
//
// Rules where the paper leaves room (nas/README.md):
//  - The zero op has no score (0 / 0). It is the depth choice, not an
//    operation, so it is kept in addition to the top `keep` where the
//    position has it (keep_zero, default on).
//  - "Exploring" op: at the last `explore_last` positions, where feature maps
//    are smallest and capacity is cheapest, one more candidate is kept: the
//    not-yet-kept non-zero candidate with the largest MACs * params (the
//    most capacity the score turned down for its latency), so the search can
//    still try it.
//  - Ties in score keep the earlier candidate. Kept candidates stay in their
//    original order, so the reduced space reads like the original.
#include <string>
#include <vector>

#include "vpucost/arch_complexity.hpp"
#include "vpucost/flat_latency.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost::nas {

struct ReductionOptions {
  int keep = 4;           ///< top-scored operations kept per position (HURRICANE's p)
  double exponent = 0.5;  ///< a in (MACs * params)^a / latency
  int explore_last = 0;   ///< positions at the end that get one exploring op
  bool keep_zero = true;  ///< keep the zero op where a position has it
};

struct CandidateScore {
  int candidate = 0;  ///< index in the original position
  double macs = 0.0;
  double params = 0.0;
  double ms = 0.0;
  double score = 0.0;  ///< 0 for the zero op
  bool kept = false;
  bool exploring = false;  ///< kept as the position's exploring op
};

struct ReducedSpace {
  SearchSpace space;  ///< the reduced space (validated), named "<name>_reduced"
  /// Per position of the original: every candidate's score, in candidate order.
  std::vector<std::vector<CandidateScore>> scores;
  /// Per position: the original candidate index of each reduced candidate.
  std::vector<std::vector<int>> kept;
};

/// (macs * params)^exponent / ms; 0 when macs * params is 0 (the zero op);
/// a candidate with capacity but no latency scores +infinity.
double hurricane_score(const Complexity& c, double ms, double exponent);

/// Scores every candidate of `space` with `table` (built from that space)
/// and keeps the best. Throws vpucost::Error on bad options or a table of
/// another space shape.
ReducedSpace reduce_search_space(const SearchSpace& space, const LatencyTable& table,
                                 const ReductionOptions& options = {});

/// The top-scored non-zero candidate of every position (HURRICANE's choice
/// for the positions a two-stage search fixes first).
Architecture top_scored_architecture(const SearchSpace& space, const LatencyTable& table,
                                     double exponent);

}  // namespace vpucost::nas
