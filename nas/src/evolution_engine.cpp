#include "evolution_engine.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>

#include "vpucost/error.hpp"

namespace vpucost::nas::detail {
namespace {

std::string ms_text(double ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g ms", ms);
  return buffer;
}

}  // namespace

std::size_t Rng::below(std::size_t n) {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t limit = max - (max % n + 1) % n;  // largest multiple of n, minus 1
  std::uint64_t x;
  do {
    x = engine_();
  } while (x > limit);
  return std::size_t(x % n);
}

StageSearch::StageSearch(SearchState& state, Architecture base, std::vector<int> free_positions,
                         int stage, int stages)
    : s_(state),
      base_(std::move(base)),
      free_(std::move(free_positions)),
      stage_(stage),
      stages_(stages) {
  const FlatLatencyTable& lat = s_.latency;
  std::vector<bool> is_free(lat.positions(), false);
  for (const int p : free_) is_free[std::size_t(p)] = true;
  fixed_part_ms_ = lat.fixed_ms();
  for (std::size_t p = 0; p < lat.positions(); ++p) {
    if (!is_free[p]) fixed_part_ms_ += lat.ms(p, std::size_t(base_[p]));
  }
  for (const int p : free_) {
    const auto ms = lat.position_ms(std::size_t(p));
    min_ms_.push_back(*std::min_element(ms.begin(), ms.end()));
  }
  // The fastest architecture of the stage, summed as latency_ms sums.
  Architecture quickest = base_;
  const Architecture all_fastest = lat.fastest();
  for (const int p : free_) quickest[std::size_t(p)] = all_fastest[std::size_t(p)];
  const double quickest_ms = lat.latency_ms(quickest);
  if (quickest_ms > s_.options.latency_limit_ms) {
    if (stages_ == 1) {
      throw Error("latency limit " + ms_text(s_.options.latency_limit_ms) +
                  " is below the fastest architecture of the search space (" +
                  ms_text(quickest_ms) + "): no architecture can meet it");
    }
    throw Error("two-stage search, stage " + std::to_string(stage_) +
                ": with the other positions "
                "fixed, the fastest architecture takes " +
                ms_text(quickest_ms) + ", above the latency limit " +
                ms_text(s_.options.latency_limit_ms) +
                " (try a smaller --two-stage or a larger limit)");
  }
}

bool StageSearch::fits(const Architecture& a) const {
  return s_.latency.latency_ms(a) <= s_.options.latency_limit_ms;
}

bool StageSearch::fresh(const Architecture& a, const std::set<Architecture>& pending) const {
  return !s_.index.contains(a) && !pending.contains(a);
}

// Positions in random order, each drawn uniformly among the candidates that
// leave room for the fastest choice at every position still to draw.
Architecture StageSearch::random_architecture() {
  const FlatLatencyTable& lat = s_.latency;
  std::vector<std::size_t> order(free_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[s_.rng.below(i)]);
  double rest = 0.0;
  for (const double m : min_ms_) rest += m;
  double used = fixed_part_ms_;
  Architecture a = base_;
  std::vector<int> allowed;
  for (const std::size_t i : order) {
    const std::size_t p = std::size_t(free_[i]);
    rest -= min_ms_[i];
    allowed.clear();
    int fastest = 0;
    for (std::size_t c = 0; c < lat.candidates(p); ++c) {
      if (used + lat.ms(p, c) + rest <= s_.options.latency_limit_ms) allowed.push_back(int(c));
      if (lat.ms(p, c) < lat.ms(p, std::size_t(fastest))) fastest = int(c);
    }
    // Rounding may leave nothing allowed right at the limit: take the fastest.
    a[p] = allowed.empty() ? fastest : allowed[s_.rng.below(allowed.size())];
    used += lat.ms(p, std::size_t(a[p]));
  }
  return a;
}

std::vector<Architecture> StageSearch::mutations(const std::vector<std::size_t>& archive,
                                                 std::set<Architecture>& pending) {
  std::vector<Architecture> out;
  const int wanted = s_.options.mutation_count;
  for (int attempt = 0; attempt < 10 * wanted && int(out.size()) < wanted; ++attempt) {
    Architecture a = s_.result.evaluated[archive[s_.rng.below(archive.size())]].arch;
    for (const int p : free_) {
      if (s_.rng.unit() < s_.options.mutation_prob) {
        a[std::size_t(p)] = int(s_.rng.below(s_.latency.candidates(std::size_t(p))));
      }
    }
    if (fits(a) && fresh(a, pending)) {
      pending.insert(a);
      out.push_back(std::move(a));
    }
  }
  return out;
}

std::vector<Architecture> StageSearch::crossovers(const std::vector<std::size_t>& archive,
                                                  std::set<Architecture>& pending) {
  std::vector<Architecture> out;
  const int wanted = s_.options.crossover_count;
  for (int attempt = 0; attempt < 10 * wanted && int(out.size()) < wanted; ++attempt) {
    const Architecture& x = s_.result.evaluated[archive[s_.rng.below(archive.size())]].arch;
    const Architecture& y = s_.result.evaluated[archive[s_.rng.below(archive.size())]].arch;
    Architecture a = base_;
    for (const int p : free_) {
      a[std::size_t(p)] = s_.rng.below(2) == 0 ? x[std::size_t(p)] : y[std::size_t(p)];
    }
    if (fits(a) && fresh(a, pending)) {
      pending.insert(a);
      out.push_back(std::move(a));
    }
  }
  return out;
}

void StageSearch::fill_random(std::vector<Architecture>& generation,
                              std::set<Architecture>& pending) {
  const std::size_t wanted = std::size_t(s_.options.population);
  // Bounded: a small space may have fewer new architectures under the limit.
  for (std::size_t attempt = 0; attempt < 100 * wanted && generation.size() < wanted; ++attempt) {
    Architecture a = random_architecture();
    if (fits(a) && fresh(a, pending)) {
      pending.insert(a);
      generation.push_back(std::move(a));
    }
  }
}

void StageSearch::evaluate(const std::vector<Architecture>& generation, int number) {
  std::size_t evaluated_now = 0;
  for (const Architecture& a : generation) {
    if (const auto hit = s_.index.find(a); hit != s_.index.end()) {
      if (std::find(members_.begin(), members_.end(), hit->second) == members_.end()) {
        members_.push_back(hit->second);
      }
      continue;
    }
    const double ms = s_.latency.latency_ms(a);
    if (!(ms <= s_.options.latency_limit_ms)) {
      throw Error("internal: an architecture above the latency limit reached evaluation");
    }
    const double score = s_.evaluator.score(a, {number, stage_, ms});
    s_.result.evaluated.push_back({a, ms, score, number, stage_});
    const std::size_t i = s_.result.evaluated.size() - 1;
    s_.index.emplace(a, i);
    members_.push_back(i);
    ++evaluated_now;
  }
  report(number, evaluated_now);
}

std::vector<std::size_t> StageSearch::archive() const {
  std::vector<std::size_t> sorted = members_;
  std::sort(sorted.begin(), sorted.end(),
            [&](std::size_t a, std::size_t b) { return s_.result.ranks_before(a, b); });
  if (sorted.size() > std::size_t(s_.options.top_k)) sorted.resize(std::size_t(s_.options.top_k));
  return sorted;
}

void StageSearch::report(int generation, std::size_t new_candidates) const {
  if (!s_.observer || members_.empty()) return;
  GenerationReport r;
  r.stage = stage_;
  r.stages = stages_;
  r.generation = generation;
  r.generations = s_.options.generations;
  r.best = &s_.result.evaluated[archive().front()];
  r.evaluated = s_.result.evaluated.size();
  r.new_candidates = new_candidates;
  r.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - s_.start).count();
  s_.observer(r);
}

std::size_t StageSearch::run(const std::vector<Architecture>& seeds) {
  std::set<Architecture> pending;
  std::vector<Architecture> generation;
  for (const Architecture& a : seeds) {
    if (fits(a) && !pending.contains(a)) {
      pending.insert(a);
      generation.push_back(a);
    }
  }
  fill_random(generation, pending);
  evaluate(generation, 0);
  if (members_.empty()) {
    throw Error("no architecture under the latency limit " + ms_text(s_.options.latency_limit_ms) +
                " could be drawn");
  }
  for (int g = 1; g <= s_.options.generations; ++g) {
    const std::vector<std::size_t> parents = archive();
    pending.clear();
    generation = mutations(parents, pending);
    std::vector<Architecture> mixed = crossovers(parents, pending);
    generation.insert(generation.end(), mixed.begin(), mixed.end());
    fill_random(generation, pending);
    evaluate(generation, g);
  }
  return archive().front();
}

}  // namespace vpucost::nas::detail
