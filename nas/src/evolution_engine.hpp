#pragma once
// One stage of the evolutionary search (private to vpucost::nas): the
// positions it may change, the architecture the others are fixed to, and the
// generation loop. evolution.cpp chains one or two stages.
#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "vpucost/evolution.hpp"

namespace vpucost::nas::detail {

/// Draws that are the same on every standard library (std::uniform_*
/// distributions are not specified bit for bit).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  /// Uniform in [0, n), n > 0, without modulo bias.
  std::size_t below(std::size_t n);
  /// Uniform in [0, 1).
  double unit() { return double(engine_() >> 11) * 0x1.0p-53; }

 private:
  std::mt19937_64 engine_;
};

/// State shared by the stages: the result and the cache of evaluated
/// architectures.
struct SearchState {
  const FlatLatencyTable& latency;
  Evaluator& evaluator;
  const EvolutionOptions& options;
  const GenerationObserver& observer;
  Rng rng;
  SearchResult result;
  std::map<Architecture, std::size_t> index;  ///< evaluated -> position in result.evaluated
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

class StageSearch {
 public:
  /// Searches `free_positions` (ascending) with the others fixed to `base`.
  /// `stage` / `stages` number it for reports. Throws vpucost::Error when
  /// the fastest architecture of the stage is above the limit.
  StageSearch(SearchState& state, Architecture base, std::vector<int> free_positions, int stage,
              int stages);
  /// Runs generation 0 (with `seeds`, already evaluated or not, first) and
  /// the following generations. Returns the index of the stage's best.
  std::size_t run(const std::vector<Architecture>& seeds);

 private:
  bool fits(const Architecture& a) const;
  bool fresh(const Architecture& a, const std::set<Architecture>& pending) const;
  Architecture random_architecture();
  std::vector<Architecture> mutations(const std::vector<std::size_t>& archive,
                                      std::set<Architecture>& pending);
  std::vector<Architecture> crossovers(const std::vector<std::size_t>& archive,
                                       std::set<Architecture>& pending);
  void fill_random(std::vector<Architecture>& generation, std::set<Architecture>& pending);
  void evaluate(const std::vector<Architecture>& generation, int number);
  std::vector<std::size_t> archive() const;
  void report(int generation, std::size_t new_candidates) const;

  SearchState& s_;
  Architecture base_;
  std::vector<int> free_;
  int stage_, stages_;
  double fixed_part_ms_ = 0.0;        ///< fixed latency + the fixed positions' choices
  std::vector<double> min_ms_;        ///< per free position (same order as free_)
  std::vector<std::size_t> members_;  ///< indices of this stage's evaluated architectures
};

}  // namespace vpucost::nas::detail
