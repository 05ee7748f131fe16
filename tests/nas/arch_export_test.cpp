// Exports: an architecture as a net config that costs what the table says,
// the PyTorch LUT JSON, the alpha reader's errors, the Pareto CSV.
#include "vpucost/arch_export.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "nas_test_support.hpp"
#include "vpucost/arch_complexity.hpp"
#include "vpucost/error.hpp"
#include "vpucost/net_config.hpp"

namespace vpucost::nas {
namespace {

TEST(ArchitectureNetConfig, CostsWhatTheTableSays) {
  const SearchSpace space = proxyless_space();
  const LatencyTable& table = test::proxyless_table();
  const ComplexityTable complexity(table);
  const RooflineModel roofline;
  const NetworkCoster coster(roofline, Device::VPU_2_7, DType::UINT8);
  std::mt19937_64 rng(8);
  for (int i = 0; i < 10; ++i) {
    const Architecture a = test::random_architecture(space, rng);
    const NetConfig config = parse_net_config(architecture_net_config_json(space, a), "exported");
    std::vector<Layer> layers;
    for (const NetPart& p : net_parts(config, 224)) {
      layers.insert(layers.end(), p.layers.begin(), p.layers.end());
    }
    const double ms = coster.milliseconds(total_cycles(coster.cost(layers)));
    EXPECT_NEAR(ms, table.latency_ms(a), 1e-9 * ms);
    EXPECT_EQ(double(parameter_count(config)), complexity.architecture(a).params);
  }
  EXPECT_THROW(architecture_net_config_json(space, Architecture{0}), Error);
}

TEST(NasLutJson, HoldsTheTableAndTheExpectedLatency) {
  const SearchSpace space = proxyless_space();
  const LatencyTable& table = test::proxyless_table();
  const FlatLatencyTable flat(table);
  const auto j = nlohmann::json::parse(nas_lut_json(space, table));
  EXPECT_EQ(j["format"], "vpucost-nas-lut");
  EXPECT_EQ(j["unit"], "ms");
  EXPECT_EQ(j["device"], "VPU_2_7");
  EXPECT_EQ(j["source"], "roofline");
  EXPECT_EQ(j["fixed_ms"].get<double>(), table.fixed_ms());
  EXPECT_EQ(j["min_latency_ms"].get<double>(), flat.min_latency_ms());
  ASSERT_EQ(j["positions"].size(), space.positions.size());
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    const auto& pos = j["positions"][p];
    ASSERT_EQ(pos["ms"].size(), space.positions[p].candidates.size());
    for (std::size_t c = 0; c < pos["ms"].size(); ++c) {
      EXPECT_EQ(pos["ms"][c].get<double>(), table.blocks[p][c].ms);  // exact round trip
      EXPECT_EQ(pos["candidates"][c], space.positions[p].candidates[c].name());
    }
  }
  EXPECT_FALSE(j.contains("expected"));

  ArchParams alpha(space.positions.size());
  for (std::size_t p = 0; p < alpha.size(); ++p) {
    for (std::size_t c = 0; c < space.positions[p].candidates.size(); ++c) {
      alpha[p].push_back(0.1 * double(c) - 0.05 * double(p % 3));
    }
  }
  const auto k = nlohmann::json::parse(nas_lut_json(space, table, &alpha));
  const ExpectedLatency e = expected_latency(flat, alpha);
  EXPECT_EQ(k["expected"]["latency_ms"].get<double>(), e.ms);
  EXPECT_EQ(k["expected"]["grad_alpha"].get<std::vector<std::vector<double>>>(), e.grad);
  EXPECT_EQ(k["expected"]["probabilities"].get<std::vector<std::vector<double>>>(),
            e.probabilities);
  alpha.pop_back();
  EXPECT_THROW(nas_lut_json(space, table, &alpha), Error);
  EXPECT_THROW(nas_lut_json(mobilenetv2_space(), table), Error);
}

TEST(ArchParamsJson, ReadsBothForms) {
  const ArchParams a = parse_arch_params_json("[[0.5, -1], [2e-1]]");
  EXPECT_EQ(a, (ArchParams{{0.5, -1.0}, {0.2}}));
  EXPECT_EQ(parse_arch_params_json(R"({"alphas": [[1, 2, 3]], "epoch": 7})"),
            (ArchParams{{1.0, 2.0, 3.0}}));
}

TEST(ArchParamsJson, EveryErrorNamesTheSourceAndPath) {
  const auto message = [](const std::string& text) {
    try {
      parse_arch_params_json(text, "alphas.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(message("[[0.1, \"x\"]]"), "alphas.json: [0][1]: expected a finite number, got \"x\"");
  EXPECT_EQ(message("{\"alphas\": [[1], 3]}"),
            "alphas.json: alphas[1]: expected an array of numbers, got 3");
  EXPECT_EQ(message("[[1], []]"), "alphas.json: [1]: is empty (one number per candidate expected)");
  EXPECT_EQ(message("[]"), "alphas.json: has no positions");
  EXPECT_EQ(message("{\"alpha\": []}"),
            "alphas.json: expected an array of arrays or an object with \"alphas\"");
  EXPECT_NE(message("[[1e999]]").find("not valid JSON"), std::string::npos);
  EXPECT_NE(message("[[1,").find("not valid JSON"), std::string::npos);
  EXPECT_NE(message(std::string(100, '[') + std::string(100, ']')).find("nests deeper"),
            std::string::npos);
  EXPECT_EQ(message("[[null]]"), "alphas.json: [0][0]: expected a finite number, got null");
  EXPECT_THROW(load_arch_params("/nonexistent/alphas.json"), Error);
}

TEST(ParetoCsv, OneRecordPerArchitectureWithTheFrontMarked) {
  const SearchSpace space = proxyless_space();
  const std::size_t n = space.positions.size();
  const std::vector<EvaluatedArchitecture> archs = {
      {Architecture(n, 0), 2.0, 10.0, 0, 1},
      {Architecture(n, 1), 3.0, 9.0, 1, 1},  // slower and worse: dominated
      {Architecture(n, 2), 1.5, 5.0, 2, 2},
  };
  const std::string csv = pareto_csv(space, archs);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "latency_ms,score,pareto,generation,stage,architecture");
  EXPECT_NE(csv.find("\n2,10,1,0,1,k3_e1 k3_e3 "), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n3,9,0,1,1,k5_e1 "), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n1.5,5,1,2,2,"), std::string::npos) << csv;
}

}  // namespace
}  // namespace vpucost::nas
