// HURRICANE search-space reduction: the score formula, what is kept, the
// exploring op, and that the reduced space is a valid user space whose
// table holds the original's numbers.
#include "vpucost/space_reduction.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nas_test_support.hpp"
#include "vpucost/error.hpp"
#include "vpucost/search_space_json.hpp"

namespace vpucost::nas {
namespace {

TEST(HurricaneScore, IsCapacityToThePowerAOverLatency) {
  EXPECT_DOUBLE_EQ(hurricane_score({100.0, 4.0}, 2.0, 0.5), 10.0);
  EXPECT_DOUBLE_EQ(hurricane_score({100.0, 4.0}, 2.0, 1.0), 200.0);
  EXPECT_EQ(hurricane_score({0.0, 0.0}, 0.0, 0.5), 0.0);  // the zero op
  EXPECT_TRUE(std::isinf(hurricane_score({1.0, 1.0}, 0.0, 0.5)));
}

TEST(SpaceReduction, KeepsTheTopScoredOpsAndTheZeroOp) {
  const SearchSpace space = proxyless_space();
  const LatencyTable& table = test::proxyless_table();
  ReductionOptions o;
  o.keep = 4;
  o.exponent = 0.5;
  const ReducedSpace r = reduce_search_space(space, table, o);
  ASSERT_EQ(r.space.positions.size(), space.positions.size());
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    const Position& pos = space.positions[p];
    const auto& scores = r.scores[p];
    std::size_t nonzero = 0, kept_nonzero = 0;
    double lowest_kept = INFINITY, highest_dropped = -INFINITY;
    for (const CandidateScore& s : scores) {
      const Candidate& c = pos.candidates[std::size_t(s.candidate)];
      const LutEntry& e = table.blocks[p][std::size_t(s.candidate)];
      EXPECT_EQ(s.ms, e.ms);
      if (c.zero) {
        EXPECT_TRUE(s.kept);
        EXPECT_EQ(s.score, 0.0);
        continue;
      }
      ++nonzero;
      EXPECT_DOUBLE_EQ(s.score, std::pow(s.macs * s.params, 0.5) / s.ms);
      if (s.kept) {
        ++kept_nonzero;
        lowest_kept = std::min(lowest_kept, s.score);
      } else {
        highest_dropped = std::max(highest_dropped, s.score);
      }
    }
    EXPECT_EQ(kept_nonzero, std::min<std::size_t>(nonzero, 4)) << p;
    EXPECT_GE(lowest_kept, highest_dropped) << p;
    // The reduced position lists the kept candidates in their original order.
    ASSERT_EQ(r.kept[p].size(), r.space.positions[p].candidates.size());
    for (std::size_t i = 0; i < r.kept[p].size(); ++i) {
      if (i > 0) {
        EXPECT_LT(r.kept[p][i - 1], r.kept[p][i]);
      }
      EXPECT_EQ(r.space.positions[p].candidates[i], pos.candidates[std::size_t(r.kept[p][i])]);
    }
  }
  EXPECT_EQ(r.space.name, "proxyless_reduced");
}

TEST(SpaceReduction, ExploringOpIsTheLargestLeftOutAtTheLastPositions) {
  const SearchSpace space = proxyless_space();
  ReductionOptions o;
  o.keep = 2;
  o.explore_last = 3;
  const ReducedSpace r = reduce_search_space(space, test::proxyless_table(), o);
  const std::size_t n = space.positions.size();
  for (std::size_t p = 0; p < n; ++p) {
    int exploring = 0;
    for (const CandidateScore& s : r.scores[p]) exploring += s.exploring;
    EXPECT_EQ(exploring, p >= n - 3 ? 1 : 0) << p;
    if (p < n - 3) continue;
    const CandidateScore* explorer = nullptr;
    double largest_left_out = 0.0;
    for (const CandidateScore& s : r.scores[p]) {
      if (s.exploring) explorer = &s;
      if (!s.kept && !space.positions[p].candidates[std::size_t(s.candidate)].zero) {
        largest_left_out = std::max(largest_left_out, s.macs * s.params);
      }
    }
    ASSERT_NE(explorer, nullptr);
    EXPECT_TRUE(explorer->kept);
    EXPECT_GE(explorer->macs * explorer->params, largest_left_out);
  }
}

TEST(SpaceReduction, ReducedSpaceIsAValidUserSpaceWithTheSameLatencies) {
  const SearchSpace space = proxyless_space();
  const LatencyTable& table = test::proxyless_table();
  ReductionOptions o;
  o.keep = 3;
  o.explore_last = 2;
  const ReducedSpace r = reduce_search_space(space, table, o);
  const SearchSpace back = parse_search_space_json(search_space_json(r.space), "reduced");
  EXPECT_EQ(back, r.space);
  const LatencyTable reduced_table = test::roofline_table(r.space);
  for (std::size_t p = 0; p < r.kept.size(); ++p) {
    for (std::size_t i = 0; i < r.kept[p].size(); ++i) {
      EXPECT_EQ(reduced_table.blocks[p][i].ms, table.blocks[p][std::size_t(r.kept[p][i])].ms);
    }
  }
}

TEST(SpaceReduction, WithoutTheZeroOpDepthIsFixed) {
  ReductionOptions o;
  o.keep_zero = false;
  const ReducedSpace r = reduce_search_space(proxyless_space(), test::proxyless_table(), o);
  for (const Position& p : r.space.positions) {
    for (const Candidate& c : p.candidates) EXPECT_FALSE(c.zero);
  }
}

TEST(SpaceReduction, TopScoredArchitecturePicksEachPositionsBestNonZeroOp) {
  const SearchSpace space = proxyless_space();
  const ReducedSpace r = reduce_search_space(space, test::proxyless_table(), {});
  const Architecture top =
      top_scored_architecture(space, test::proxyless_table(), ReductionOptions{}.exponent);
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    EXPECT_FALSE(space.positions[p].candidates[std::size_t(top[p])].zero);
    for (const CandidateScore& s : r.scores[p]) {
      EXPECT_LE(s.score, r.scores[p][std::size_t(top[p])].score);
    }
  }
}

TEST(SpaceReduction, RefusesBadOptionsAndAForeignTable) {
  const SearchSpace space = proxyless_space();
  const LatencyTable& table = test::proxyless_table();
  ReductionOptions o;
  o.keep = 0;
  EXPECT_THROW(reduce_search_space(space, table, o), Error);
  o = {};
  o.explore_last = int(space.positions.size()) + 1;
  EXPECT_THROW(reduce_search_space(space, table, o), Error);
  o = {};
  o.exponent = -1;
  EXPECT_THROW(reduce_search_space(space, table, o), Error);
  EXPECT_THROW(reduce_search_space(mobilenetv2_space(), table, {}), Error);
}

}  // namespace
}  // namespace vpucost::nas
