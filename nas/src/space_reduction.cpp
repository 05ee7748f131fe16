#include "vpucost/space_reduction.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "vpucost/error.hpp"

namespace vpucost::nas {
namespace {

void check_table(const SearchSpace& space, const LatencyTable& table) {
  bool same = table.blocks.size() == space.positions.size();
  for (std::size_t p = 0; same && p < space.positions.size(); ++p) {
    same = table.blocks[p].size() == space.positions[p].candidates.size();
  }
  if (!same) {
    throw Error("the latency table (space '" + table.space + "') does not match space '" +
                space.name + "': different positions or candidates");
  }
}

std::vector<std::vector<CandidateScore>> score_all(const SearchSpace& space,
                                                   const LatencyTable& table, double exponent) {
  check_table(space, table);
  if (!std::isfinite(exponent) || exponent < 0) {
    throw Error("score exponent a must be a finite number >= 0, got " + std::to_string(exponent));
  }
  std::vector<std::vector<CandidateScore>> scores(space.positions.size());
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    for (std::size_t c = 0; c < table.blocks[p].size(); ++c) {
      const LutEntry& e = table.blocks[p][c];
      const Complexity cx = entry_complexity(e);
      scores[p].push_back(
          {int(c), cx.macs, cx.params, e.ms, hurricane_score(cx, e.ms, exponent), false, false});
    }
  }
  return scores;
}

bool is_zero(const SearchSpace& space, std::size_t p, int c) {
  return space.positions[p].candidates[std::size_t(c)].zero;
}

// Non-zero candidates of position p, best score first (ties: lower index).
std::vector<int> ranked(const SearchSpace& space, std::size_t p,
                        const std::vector<CandidateScore>& scores) {
  std::vector<int> order;
  for (const CandidateScore& s : scores) {
    if (!is_zero(space, p, s.candidate)) order.push_back(s.candidate);
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return scores[std::size_t(a)].score > scores[std::size_t(b)].score;
  });
  return order;
}

}  // namespace

double hurricane_score(const Complexity& c, double ms, double exponent) {
  const double capacity = c.macs * c.params;
  if (capacity <= 0) return 0.0;
  if (ms <= 0) return std::numeric_limits<double>::infinity();
  return std::pow(capacity, exponent) / ms;
}

ReducedSpace reduce_search_space(const SearchSpace& space, const LatencyTable& table,
                                 const ReductionOptions& o) {
  validate(space);
  if (o.keep < 1) throw Error("keep must be at least 1, got " + std::to_string(o.keep));
  if (o.explore_last < 0 || std::size_t(o.explore_last) > space.positions.size()) {
    throw Error("explore-last " + std::to_string(o.explore_last) + " is outside 0.." +
                std::to_string(space.positions.size()) + " (the space's positions)");
  }
  ReducedSpace out;
  out.scores = score_all(space, table, o.exponent);
  out.space = space;
  out.space.name = space.name + "_reduced";
  const std::size_t first_exploring = space.positions.size() - std::size_t(o.explore_last);
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    auto& scores = out.scores[p];
    const std::vector<int> order = ranked(space, p, scores);
    for (std::size_t i = 0; i < order.size() && i < std::size_t(o.keep); ++i) {
      scores[std::size_t(order[i])].kept = true;
    }
    if (p >= first_exploring) {
      // The most capacity among what the score left out.
      int explorer = -1;
      for (const int c : order) {
        const CandidateScore& s = scores[std::size_t(c)];
        if (s.kept) continue;
        const double capacity = s.macs * s.params;
        if (explorer < 0 ||
            capacity > scores[std::size_t(explorer)].macs * scores[std::size_t(explorer)].params) {
          explorer = c;
        }
      }
      if (explorer >= 0) {
        scores[std::size_t(explorer)].kept = true;
        scores[std::size_t(explorer)].exploring = true;
      }
    }
    for (CandidateScore& s : scores) {
      if (o.keep_zero && is_zero(space, p, s.candidate)) s.kept = true;
    }
    // A position of zero ops only (no non-zero candidate) keeps them.
    if (order.empty()) {
      for (CandidateScore& s : scores) s.kept = true;
    }
    auto& kept = out.kept.emplace_back();
    auto& candidates = out.space.positions[p].candidates;
    candidates.clear();
    for (const CandidateScore& s : scores) {
      if (!s.kept) continue;
      kept.push_back(s.candidate);
      candidates.push_back(space.positions[p].candidates[std::size_t(s.candidate)]);
    }
  }
  validate(out.space);
  return out;
}

Architecture top_scored_architecture(const SearchSpace& space, const LatencyTable& table,
                                     double exponent) {
  validate(space);
  const auto scores = score_all(space, table, exponent);
  Architecture arch(space.positions.size(), 0);
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    const std::vector<int> order = ranked(space, p, scores[p]);
    arch[p] = order.empty() ? 0 : order.front();
  }
  return arch;
}

}  // namespace vpucost::nas
