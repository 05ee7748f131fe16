// The evolutionary search: the latency limit is never violated (across
// seeds, one and two stages), a small space's enumerated optimum is found,
// the same seed gives the same run, an unreachable limit is refused before
// any evaluation, evaluator errors come through, and the Pareto flags.
#include "vpucost/evolution.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "nas_test_support.hpp"
#include "vpucost/error.hpp"
#include "vpucost/space_reduction.hpp"

namespace vpucost::nas {
namespace {

// Scores with a fixed function of the architecture and checks, at every
// call, that the search only asks about architectures under the limit.
class CheckingEvaluator final : public Evaluator {
 public:
  CheckingEvaluator(const FlatLatencyTable& latency, double limit,
                    std::vector<std::vector<double>> gain)
      : latency_(latency), limit_(limit), gain_(std::move(gain)) {}
  double score(std::span<const int> arch, const EvaluationContext& context) override {
    ++calls;
    const double ms = latency_.checked_latency_ms(arch);
    if (ms > limit_) ++violations;
    if (context.latency_ms != ms) ++wrong_context;
    if (!seen.insert(Architecture(arch.begin(), arch.end())).second) ++repeats;
    double s = 0.0;
    for (std::size_t p = 0; p < arch.size(); ++p) s += gain_[p][std::size_t(arch[p])];
    return s;
  }
  std::string description() const override { return "test"; }

  int calls = 0, violations = 0, wrong_context = 0, repeats = 0;
  std::set<Architecture> seen;

 private:
  const FlatLatencyTable& latency_;
  double limit_;
  std::vector<std::vector<double>> gain_;
};

// Slower candidates score more, with some noise: a real trade-off.
std::vector<std::vector<double>> gains_for(const FlatLatencyTable& t, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> noise(0.0, 0.5);
  std::vector<std::vector<double>> g(t.positions());
  for (std::size_t p = 0; p < t.positions(); ++p) {
    for (std::size_t c = 0; c < t.candidates(p); ++c) g[p].push_back(t.ms(p, c) + noise(rng));
  }
  return g;
}

TEST(Evolution, NeverEvaluatesOrKeepsAnArchitectureOverTheLimit) {
  const FlatLatencyTable t(test::proxyless_table());
  const double lo = t.min_latency_ms(), hi = t.max_latency_ms();
  const Architecture top = top_scored_architecture(proxyless_space(), test::proxyless_table(), 0.5);
  for (const double where : {0.02, 0.3, 0.7}) {
    const double limit = lo + where * (hi - lo);
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
      for (const int two_stage : {0, 6}) {
        CheckingEvaluator ev(t, limit, gains_for(t, seed));
        EvolutionOptions o;
        o.latency_limit_ms = limit;
        o.seed = seed;
        o.population = 20;
        o.generations = 5;
        o.mutation_count = 8;
        o.crossover_count = 8;
        o.two_stage = two_stage;
        o.stage1_fixed = top;
        SearchResult r;
        try {
          r = evolutionary_search(t, ev, o);
        } catch (const Error& e) {
          // Only the two-stage search may find its fixed ops too slow.
          EXPECT_GT(two_stage, 0) << e.what();
          EXPECT_EQ(ev.calls, 0);
          continue;
        }
        EXPECT_EQ(ev.violations, 0);
        EXPECT_EQ(ev.wrong_context, 0);
        EXPECT_EQ(ev.repeats, 0);  // cached: each architecture scored once
        EXPECT_EQ(std::size_t(ev.calls), r.evaluated.size());
        EXPECT_GT(r.evaluated.size(), 20u);
        for (const auto& a : r.evaluated) {
          EXPECT_LE(a.latency_ms, limit);
          EXPECT_EQ(a.latency_ms, t.latency_ms(a.arch));
        }
        EXPECT_LE(r.best().latency_ms, limit);
        // The archive is the head of the ranking of every architecture
        // evaluated (nas continues down it in device mode).
        const std::vector<std::size_t> ranked = r.ranked();
        ASSERT_EQ(ranked.size(), r.evaluated.size());
        EXPECT_TRUE(std::equal(r.top.begin(), r.top.end(), ranked.begin()));
        for (std::size_t i = 1; i < ranked.size(); ++i) {
          EXPECT_TRUE(r.ranks_before(ranked[i - 1], ranked[i]));
        }
      }
    }
  }
}

TEST(Evolution, FindsTheEnumeratedOptimumOfASmallSpace) {
  // 6 positions x 3 ops (729 architectures) with latencies and scores that
  // trade off; the limit leaves about a third feasible.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> ms(0.1, 1.0);
  std::vector<std::vector<double>> lat(6);
  for (auto& row : lat) row = {ms(rng), ms(rng), ms(rng)};
  const FlatLatencyTable t(1.0, lat);
  std::vector<double> all;
  for (int i = 0; i < 729; ++i) {
    Architecture a(6);
    for (int p = 0, x = i; p < 6; ++p, x /= 3) a[std::size_t(p)] = x % 3;
    all.push_back(t.latency_ms(a));
  }
  std::vector<double> sorted = all;
  std::sort(sorted.begin(), sorted.end());
  const double limit = sorted[729 / 3];
  const auto gains = gains_for(t, 9);
  double optimum = -1e300;
  Architecture best;
  for (int i = 0; i < 729; ++i) {
    if (all[std::size_t(i)] > limit) continue;
    Architecture a(6);
    double s = 0.0;
    for (int p = 0, x = i; p < 6; ++p, x /= 3) {
      a[std::size_t(p)] = x % 3;
      s += gains[std::size_t(p)][std::size_t(x % 3)];
    }
    if (s > optimum) optimum = s, best = a;
  }
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    CheckingEvaluator ev(t, limit, gains);
    EvolutionOptions o;
    o.latency_limit_ms = limit;
    o.seed = seed;
    o.population = 10;
    o.top_k = 5;
    o.generations = 10;
    o.mutation_count = 5;
    o.crossover_count = 5;
    o.mutation_prob = 0.2;
    const SearchResult r = evolutionary_search(t, ev, o);
    EXPECT_LT(r.evaluated.size(), 243u);  // found by search, not by evaluating everything
    EXPECT_EQ(r.best().arch, best) << "seed " << seed;
    EXPECT_DOUBLE_EQ(r.best().score, optimum);
  }
}

TEST(Evolution, SameSeedSameRunOtherSeedOtherRun) {
  const FlatLatencyTable t(test::proxyless_table());
  const double limit = 0.5 * (t.min_latency_ms() + t.max_latency_ms());
  const auto run = [&](std::uint64_t seed) {
    CheckingEvaluator ev(t, limit, gains_for(t, 1));
    EvolutionOptions o;
    o.latency_limit_ms = limit;
    o.seed = seed;
    o.generations = 4;
    return evolutionary_search(t, ev, o);
  };
  const SearchResult a = run(42), b = run(42), c = run(43);
  ASSERT_EQ(a.evaluated.size(), b.evaluated.size());
  for (std::size_t i = 0; i < a.evaluated.size(); ++i) {
    EXPECT_EQ(a.evaluated[i].arch, b.evaluated[i].arch);
    EXPECT_EQ(a.evaluated[i].score, b.evaluated[i].score);
  }
  EXPECT_EQ(a.top, b.top);
  EXPECT_NE(a.evaluated.front().arch, c.evaluated.front().arch);
}

TEST(Evolution, RefusesAnUnreachableLimitBeforeEvaluatingAnything) {
  const FlatLatencyTable t(test::proxyless_table());
  CheckingEvaluator ev(t, 0.0, gains_for(t, 1));
  EvolutionOptions o;
  o.latency_limit_ms = 0.999 * t.min_latency_ms();
  try {
    evolutionary_search(t, ev, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("below the fastest architecture"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(ev.calls, 0);
  // Exactly the fastest architecture's latency is reachable.
  o.latency_limit_ms = t.min_latency_ms();
  o.generations = 1;
  CheckingEvaluator ev2(t, o.latency_limit_ms, gains_for(t, 1));
  const SearchResult r = evolutionary_search(t, ev2, o);
  EXPECT_EQ(r.best().arch, t.fastest());
}

TEST(Evolution, TwoStageFixesFirstTheEarlyThenTheLatePositions) {
  const SearchSpace space = proxyless_space();
  const FlatLatencyTable t(test::proxyless_table());
  const Architecture top = top_scored_architecture(space, test::proxyless_table(), 0.5);
  const double limit = t.max_latency_ms();  // generous: the fixed ops always fit
  CheckingEvaluator ev(t, limit, gains_for(t, 3));
  EvolutionOptions o;
  o.latency_limit_ms = limit;
  o.two_stage = 7;
  o.stage1_fixed = top;
  o.generations = 3;
  o.population = 12;
  const SearchResult r = evolutionary_search(t, ev, o);
  const EvaluatedArchitecture* stage1_best = nullptr;
  for (const auto& a : r.evaluated) {
    if (a.stage == 1) {
      for (std::size_t p = 0; p < 7; ++p) EXPECT_EQ(a.arch[p], top[p]);
      if (!stage1_best || a.score > stage1_best->score) stage1_best = &a;
    }
  }
  ASSERT_NE(stage1_best, nullptr);
  std::size_t stage2 = 0;
  for (const auto& a : r.evaluated) {
    if (a.stage != 2) continue;
    ++stage2;
    for (std::size_t p = 7; p < a.arch.size(); ++p) EXPECT_EQ(a.arch[p], stage1_best->arch[p]);
  }
  EXPECT_GT(stage2, 0u);
  EXPECT_GE(r.best().score, stage1_best->score);
}

TEST(Evolution, EvaluatorErrorsComeThrough) {
  struct Failing final : Evaluator {
    double score(std::span<const int>, const EvaluationContext& c) override {
      if (c.generation == 1) throw Error("evaluator broke in generation 1");
      return 1.0;
    }
    std::string description() const override { return "failing"; }
  } failing;
  const FlatLatencyTable t(test::proxyless_table());
  EvolutionOptions o;
  o.latency_limit_ms = t.max_latency_ms();
  EXPECT_THROW(evolutionary_search(t, failing, o), Error);
}

TEST(Evolution, RefusesBadOptions) {
  const FlatLatencyTable t(test::proxyless_table());
  CheckingEvaluator ev(t, 1e9, gains_for(t, 1));
  const auto bad = [&](auto change) {
    EvolutionOptions o;
    o.latency_limit_ms = t.max_latency_ms();
    change(o);
    EXPECT_THROW(evolutionary_search(t, ev, o), Error);
  };
  bad([](EvolutionOptions& o) { o.population = 0; });
  bad([](EvolutionOptions& o) { o.top_k = 0; });
  bad([](EvolutionOptions& o) { o.population = kMaxPopulation + 1; });
  bad([](EvolutionOptions& o) { o.generations = kMaxGenerations + 1; });
  bad([](EvolutionOptions& o) { o.mutation_count = kMaxPopulation + 1; });
  bad([](EvolutionOptions& o) { o.mutation_prob = 1.5; });
  bad([](EvolutionOptions& o) { o.latency_limit_ms = -1; });
  bad([](EvolutionOptions& o) { o.latency_limit_ms = NAN; });
  bad([&](EvolutionOptions& o) { o.two_stage = int(t.positions()); });
  bad([](EvolutionOptions& o) { o.two_stage = 3; });  // without the stage-1 ops
  EXPECT_EQ(ev.calls, 0);
}

TEST(ProxyEvaluator, IsLogMacsTimesParams) {
  const ComplexityTable complexity(test::proxyless_table());
  ProxyEvaluator proxy(complexity);
  const Architecture a(proxyless_space().positions.size(), 1);
  const Complexity c = complexity.architecture(a);
  EXPECT_DOUBLE_EQ(proxy.score(a, {}), std::log(c.macs * c.params));
  EXPECT_NE(proxy.description().find("not an accuracy"), std::string::npos);
}

TEST(Pareto, MatchesBruteForce) {
  std::mt19937_64 rng(4);
  std::vector<EvaluatedArchitecture> archs;
  for (int i = 0; i < 300; ++i) {
    // Coarse values: many ties in latency and in score.
    archs.push_back({{}, double(rng() % 20), double(rng() % 15), 0, 1});
  }
  const std::vector<bool> front = pareto_optimal(archs);
  for (std::size_t i = 0; i < archs.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < archs.size(); ++j) {
      const auto &x = archs[i], &y = archs[j];
      dominated |= y.latency_ms <= x.latency_ms && y.score >= x.score &&
                   (y.latency_ms < x.latency_ms || y.score > x.score);
    }
    EXPECT_EQ(front[i], !dominated) << i;
  }
}

}  // namespace
}  // namespace vpucost::nas
