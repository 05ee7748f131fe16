#pragma once
// Latency-constrained evolutionary search (Single Path One-Shot, Guo et al.,
// ECCV 2020; defaults from its search.py), with HURRICANE's two-stage option.
//
// Generation 0 is `population` random architectures. Each following
// generation keeps the `top_k` best seen so far (the archive) and makes
// `mutation_count` children by mutating an archive member (every gene
// redrawn with probability `mutation_prob`) and `crossover_count` children
// by mixing two archive members gene by gene, then fills up to `population`
// with random architectures.
//
// The latency limit is a hard filter: an architecture above it is never
// evaluated or kept. Candidates above it, or already evaluated, are
// discarded and drawn again, at most 10x the wanted count per kind (as in
// SPOS). Random architectures come from a sampler that visits the positions
// in random order and draws each uniformly among the candidates that still
// let the remaining positions fit under the limit, so a tight limit does not
// starve the population. A limit below the fastest architecture is an error
// raised before anything is evaluated.
//
// Deterministic for a seed: std::mt19937_64 with our own integer and real
// draws (not the standard distributions, whose output differs between
// standard libraries), ordered containers only, every architecture evaluated
// once (the evaluator's answer is cached by architecture).
//
// Two-stage (two_stage = t > 0): stage 1 searches positions t.. with the
// first t fixed to `stage1_fixed` (HURRICANE: each position's top-scored
// op, top_scored_architecture); stage 2 searches positions 0..t-1 with the
// rest fixed to stage 1's best, which seeds stage 2's first population. Each
// stage runs `generations` generations.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "vpucost/evaluator.hpp"
#include "vpucost/flat_latency.hpp"

namespace vpucost::nas {

/// Limits of EvolutionOptions: a population (and the children made per
/// generation) of at most 100,000 architectures, at most 100,000 generations.
/// Published NAS searches use populations of 50-1,000.
inline constexpr int kMaxPopulation = 100'000;
inline constexpr int kMaxGenerations = 100'000;

struct EvolutionOptions {
  double latency_limit_ms = 0.0;  ///< hard limit T
  int population = 50;
  int top_k = 10;
  int generations = 20;  ///< after generation 0
  int mutation_count = 25;
  int crossover_count = 25;
  double mutation_prob = 0.1;
  std::uint64_t seed = 0;
  int two_stage = 0;          ///< t; 0 = one stage over all positions
  Architecture stage1_fixed;  ///< the ops of the first t positions in stage 1
};

struct EvaluatedArchitecture {
  Architecture arch;
  double latency_ms = 0.0;
  double score = 0.0;
  int generation = 0;
  int stage = 1;
};

struct GenerationReport {
  int stage = 1;
  int stages = 1;
  int generation = 0;
  int generations = 0;
  const EvaluatedArchitecture* best = nullptr;  ///< best of this stage so far
  std::size_t evaluated = 0;                    ///< architectures evaluated in total
  std::size_t new_candidates = 0;               ///< evaluated in this generation
  double elapsed_seconds = 0.0;
};
using GenerationObserver = std::function<void(const GenerationReport&)>;

struct SearchResult {
  /// Every architecture evaluated, once each, in evaluation order.
  std::vector<EvaluatedArchitecture> evaluated;
  /// Indices into `evaluated` of the best top_k, best first: higher score,
  /// then lower latency, then evaluated earlier.
  std::vector<std::size_t> top;
  double min_latency_ms = 0.0;  ///< the fastest architecture of the space
  const EvaluatedArchitecture& best() const { return evaluated[top.front()]; }
  /// Whether evaluated[a] ranks before evaluated[b] in the archive: higher
  /// score, then lower latency, then evaluated earlier.
  bool ranks_before(std::size_t a, std::size_t b) const;
  /// Every index into `evaluated`, best first (`top` is its first top_k).
  std::vector<std::size_t> ranked() const;
};

/// Throws vpucost::Error naming the first option out of range (what
/// evolutionary_search checks first; a command checks before it starts).
void check_evolution_options(const FlatLatencyTable& latency, const EvolutionOptions& options);

/// Throws vpucost::Error on bad options, an unreachable limit, or when the
/// evaluator fails (its error names the architecture and generation).
SearchResult evolutionary_search(const FlatLatencyTable& latency, Evaluator& evaluator,
                                 const EvolutionOptions& options,
                                 const GenerationObserver& observer = {});

/// Whether each architecture is on the latency/score Pareto front: no other
/// is at least as fast and at least as good, and strictly one of the two.
std::vector<bool> pareto_optimal(std::span<const EvaluatedArchitecture> archs);

}  // namespace vpucost::nas
