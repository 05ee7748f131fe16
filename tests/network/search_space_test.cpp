// Built-in search spaces and the user search-space JSON (read and write).
#include <gtest/gtest.h>

#include "../support/test_workloads.hpp"
#include "vpucost/error.hpp"
#include "vpucost/search_space_json.hpp"

namespace vpucost {
namespace {

std::string space_error_of(const std::string& json) {
  try {
    parse_search_space_json(json, "space.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(BuiltinSpaces, ProxylessMatchesTheSupernet) {
  const SearchSpace s = proxyless_space();
  ASSERT_EQ(s.positions.size(), 22u);
  EXPECT_EQ(s.stem_channels, 32);
  EXPECT_EQ(s.feature_mix_channels, 1280);
  EXPECT_EQ(s.num_classes, 1000);
  const Position& first = s.positions[0];
  EXPECT_EQ(first.in_channels, 32);
  EXPECT_EQ(first.out_channels, 16);
  EXPECT_EQ(first.candidates,
            (std::vector<Candidate>{Candidate::mbconv(3, 1), Candidate::mbconv(5, 1),
                                    Candidate::mbconv(7, 1)}));
  const int widths[] = {24, 40, 80, 96, 192, 320};
  const int blocks[] = {4, 4, 4, 4, 4, 1};
  const int strides[] = {2, 2, 2, 1, 2, 1};
  std::size_t p = 1;
  for (int stage = 0; stage < 6; ++stage) {
    for (int b = 0; b < blocks[stage]; ++b, ++p) {
      const Position& pos = s.positions[p];
      EXPECT_EQ(pos.stage, stage + 1);
      EXPECT_EQ(pos.out_channels, widths[stage]);
      EXPECT_EQ(pos.stride, b == 0 ? strides[stage] : 1);
      EXPECT_EQ(pos.candidates.size(), b == 0 ? 6u : 7u) << p;
      EXPECT_EQ(pos.candidates.back().zero, b > 0);
    }
  }
  EXPECT_NO_THROW(validate(s));
}

TEST(BuiltinSpaces, MobileNetV2IsOneCandidatePerPosition) {
  const SearchSpace s = mobilenetv2_space();
  ASSERT_EQ(s.positions.size(), 17u);
  for (const Position& p : s.positions) {
    ASSERT_EQ(p.candidates.size(), 1u);
    EXPECT_EQ(p.candidates[0].kernel, 3);
    EXPECT_EQ(p.candidates[0].expand_ratio, p.stage == 0 ? 1 : 6);
  }
  EXPECT_EQ(s.positions.back().out_channels, 320);
  EXPECT_THROW(builtin_space("resnet"), Error);
}

TEST(SearchSpaceJson, RoundTripsTheBuiltinSpaces) {
  for (const SearchSpace& s : {proxyless_space(), mobilenetv2_space()}) {
    EXPECT_EQ(parse_search_space_json(search_space_json(s)), s);
  }
}

TEST(SearchSpaceJson, StagesFormExpandsLikeTheBuiltinSpace) {
  const std::string json = R"({
    "name": "proxyless",
    "first_block": {"out_channels": 16, "kernel_sizes": [3, 5, 7], "expand_ratios": [1]},
    "stages": [
      {"width": 24, "blocks": 4, "stride": 2, "kernel_sizes": [3, 5, 7], "expand_ratios": [3, 6], "zero_op": true},
      {"width": 40, "blocks": 4, "stride": 2, "kernel_sizes": [3, 5, 7], "expand_ratios": [3, 6], "zero_op": true},
      {"width": 80, "blocks": 4, "stride": 2, "kernel_sizes": [3, 5, 7], "expand_ratios": [3, 6], "zero_op": true},
      {"width": 96, "blocks": 4, "stride": 1, "kernel_sizes": [3, 5, 7], "expand_ratios": [3, 6], "zero_op": true},
      {"width": 192, "blocks": 4, "stride": 2, "kernel_sizes": [3, 5, 7], "expand_ratios": [3, 6], "zero_op": true},
      {"width": 320, "blocks": 1, "stride": 1, "kernel_sizes": [3, 5, 7], "expand_ratios": [3, 6], "zero_op": true}
    ]})";
  EXPECT_EQ(parse_search_space_json(json), proxyless_space());
}

TEST(SearchSpaceJson, ReducedSpaceWrittenAndReadBack) {
  // What a search-space generator does: keep a subset of candidates per position.
  SearchSpace s = proxyless_space();
  s.name = "reduced";
  for (Position& p : s.positions)
    p.candidates.resize(std::min<std::size_t>(2, p.candidates.size()));
  s.positions[2].candidates.push_back(Candidate::zero_op());
  test::TempDir dir;
  save_search_space(s, dir / "reduced.json");
  EXPECT_EQ(load_search_space(dir / "reduced.json"), s);
  EXPECT_EQ(load_space_by_name_or_file((dir / "reduced.json").string()), s);
  EXPECT_EQ(load_space_by_name_or_file("mobilenetv2"), mobilenetv2_space());
  EXPECT_THROW(load_space_by_name_or_file((dir / "missing.json").string()), Error);
}

TEST(SearchSpaceJson, BadInputsNameTheJsonPath) {
  const std::string head =
      R"({"positions": [{"in_channels": 32, "out_channels": 16, "stride": 1, "candidates": [)";
  EXPECT_EQ(
      space_error_of(head + R"({"kernel_size": -3, "expand_ratio": 1}]}]})"),
      "space.json: positions[0].candidates[0].kernel_size: expected a positive integer, got -3");
  EXPECT_EQ(space_error_of(head + R"({"kernel_size": 3, "expand_ratio": "six"}]}]})"),
            "space.json: positions[0].candidates[0].expand_ratio: expected a positive integer, "
            "got \"six\"");
  EXPECT_EQ(space_error_of(head + R"("skip"]}]})"),
            "space.json: positions[0].candidates[0]: expected \"zero\" or an object with "
            "kernel_size and expand_ratio, got \"skip\"");
  EXPECT_EQ(space_error_of(head + R"("zero"]}]})"),
            "space.json: search space 'user', position 0: candidate 0 (zero): the zero op needs "
            "stride 1 and equal input and output channels");
  EXPECT_EQ(space_error_of(head + R"({"kernel_size": 4, "expand_ratio": 1}]}]})"),
            "space.json: search space 'user', position 0: candidate 0 (k4_e1): kernel must be odd "
            "and in 1..15");
  EXPECT_EQ(
      space_error_of(
          R"({"positions": [{"in_channels": 16, "out_channels": 16, "stride": 1, "candidates": ["zero"]}]})"),
      "space.json: search space 'user', position 0: input channels 16 do not match the "
      "previous output channels 32");
  EXPECT_EQ(
      space_error_of(
          R"({"positions": [{"in_channels": 32, "out_channels": 1e9, "stride": 1, "candidates": []}]})"),
      "space.json: positions[0].out_channels: expected a positive integer (at most 16384), "
      "got 1000000000.0");
  EXPECT_EQ(
      space_error_of(
          R"({"positions": [{"in_channels": 32, "out_channels": 16, "stride": 3, "candidates": []}]})"),
      "space.json: positions[0].stride: expected a positive integer (at most 2), got 3");
  EXPECT_EQ(
      space_error_of(R"({"positions": [{"in_channels": 32, "out_channels": 16, "stride": 1}]})"),
      "space.json: positions[0].candidates: missing");
  EXPECT_EQ(space_error_of(R"({"positions": {}})"),
            "space.json: positions: expected an array, got an object");
  EXPECT_EQ(space_error_of(R"({"stages": [], "positions": []})"),
            "space.json: expected either \"positions\" or \"stages\" (exactly one of them)");
  EXPECT_EQ(space_error_of("[1, 2]"), "space.json: expected an object, got an array");
  EXPECT_EQ(space_error_of(R"({"format": "other", "positions": []})"),
            "space.json: format: expected \"vpucost-search-space\", got \"other\"");
  EXPECT_EQ(space_error_of(std::string(100, '[')), "space.json: nests deeper than 32 levels");
  EXPECT_NE(space_error_of(R"({"positions": [)").find("space.json: not valid JSON: "),
            std::string::npos);
  EXPECT_NE(
      space_error_of(
          R"({"stages": [{"width": 24, "blocks": 2000, "stride": 2, "kernel_sizes": [3], "expand_ratios": [3]}]})")
          .find("stages[0].blocks: expected a positive integer (at most 1024)"),
      std::string::npos);
}

}  // namespace
}  // namespace vpucost
