#include "vpucost/evolution.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "evolution_engine.hpp"
#include "vpucost/error.hpp"

namespace vpucost::nas {

void check_evolution_options(const FlatLatencyTable& latency, const EvolutionOptions& o) {
  if (latency.positions() == 0) throw Error("the search space has no positions to search");
  if (!std::isfinite(o.latency_limit_ms) || o.latency_limit_ms <= 0) {
    throw Error("the latency limit must be a positive number of milliseconds");
  }
  const auto at_least = [](int value, int min, const char* name) {
    if (value < min) {
      throw Error(std::string(name) + " must be at least " + std::to_string(min) + ", got " +
                  std::to_string(value));
    }
  };
  // Upper bounds too: a search of 10^8 architectures per generation does
  // not end in any useful time; it should be refused, not left running.
  const auto at_most = [](int value, int max, const char* name) {
    if (value > max) {
      throw Error(std::string(name) + " must be at most " + std::to_string(max) + ", got " +
                  std::to_string(value));
    }
  };
  at_least(o.population, 1, "population");
  at_most(o.population, kMaxPopulation, "population");
  at_least(o.top_k, 1, "top-k");
  at_least(o.generations, 0, "generations");
  at_most(o.generations, kMaxGenerations, "generations");
  at_least(o.mutation_count, 0, "mutation count");
  at_most(o.mutation_count, kMaxPopulation, "mutation count");
  at_least(o.crossover_count, 0, "crossover count");
  at_most(o.crossover_count, kMaxPopulation, "crossover count");
  if (!(o.mutation_prob >= 0.0 && o.mutation_prob <= 1.0)) {
    throw Error("mutation probability must be in [0, 1]");
  }
  if (o.two_stage < 0 || std::size_t(o.two_stage) >= latency.positions()) {
    throw Error("two-stage split " + std::to_string(o.two_stage) + " is outside 0.." +
                std::to_string(latency.positions() - 1) + " (the first t of " +
                std::to_string(latency.positions()) + " positions are searched second)");
  }
  if (o.two_stage > 0) {
    if (o.stage1_fixed.size() != latency.positions()) {
      throw Error("two-stage search needs the ops that fix the first positions in stage 1");
    }
    latency.validate(o.stage1_fixed);
  }
}

namespace {

std::vector<int> range(std::size_t begin, std::size_t end) {
  std::vector<int> out;
  for (std::size_t p = begin; p < end; ++p) out.push_back(int(p));
  return out;
}

}  // namespace

SearchResult evolutionary_search(const FlatLatencyTable& latency, Evaluator& evaluator,
                                 const EvolutionOptions& options,
                                 const GenerationObserver& observer) {
  check_evolution_options(latency, options);
  detail::SearchState state{latency, evaluator, options, observer, detail::Rng(options.seed),
                            {},      {}};
  state.result.min_latency_ms = latency.min_latency_ms();
  if (latency.min_latency_ms() > options.latency_limit_ms) {
    detail::StageSearch(state, latency.fastest(), range(0, latency.positions()), 1, 1);  // throws
  }
  const std::size_t n = latency.positions();
  if (options.two_stage == 0) {
    detail::StageSearch(state, Architecture(n, 0), range(0, n), 1, 1).run({});
  } else {
    const std::size_t t = std::size_t(options.two_stage);
    // Stage 1: the later positions, the first t fixed to the given ops.
    const std::size_t winner =
        detail::StageSearch(state, options.stage1_fixed, range(t, n), 1, 2).run({});
    // Stage 2: the first t, the rest fixed to stage 1's best, which seeds it.
    const Architecture best = state.result.evaluated[winner].arch;
    detail::StageSearch(state, best, range(0, t), 2, 2).run({best});
  }
  // The overall archive, over every architecture evaluated.
  std::vector<std::size_t> order = state.result.ranked();
  order.resize(std::min(order.size(), std::size_t(options.top_k)));
  state.result.top = std::move(order);
  return std::move(state.result);
}

bool SearchResult::ranks_before(std::size_t a, std::size_t b) const {
  const EvaluatedArchitecture& x = evaluated[a];
  const EvaluatedArchitecture& y = evaluated[b];
  if (x.score != y.score) return x.score > y.score;
  if (x.latency_ms != y.latency_ms) return x.latency_ms < y.latency_ms;
  return a < b;
}

std::vector<std::size_t> SearchResult::ranked() const {
  std::vector<std::size_t> order(evaluated.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return ranks_before(a, b); });
  return order;
}

}  // namespace vpucost::nas
