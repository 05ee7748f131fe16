// Latency tables: keys as ProxylessNAS / once-for-all spell them, values as
// the sum of their workloads, the YAML as a YAML parser reads it, and the
// CSV / JSON records.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <set>

#include "../support/test_workloads.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/lut_report.hpp"
#include "vpucost/lut_writers.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/roofline.hpp"

namespace vpucost {
namespace {

std::set<std::string> yaml_keys(const YAML::Node& doc) {
  std::set<std::string> keys;
  for (const auto& entry : doc) keys.insert(entry.first.as<std::string>());
  return keys;
}

class LutTest : public ::testing::Test {
 protected:
  RooflineModel roofline_;
  NetworkCoster coster_{roofline_, Device::VPU_2_7, DType::UINT8};
};

TEST_F(LutTest, ProxylessKeySetEqualsThePublishedTable) {
  const LatencyTable table = build_latency_table(proxyless_space(), 224, coster_);
  const YAML::Node ours = YAML::Load(proxyless_yaml(table));
  const YAML::Node published =
      YAML::LoadFile(std::string(VPUCOST_TEST_DATA_DIR) + "/proxylessnas_mobile_trim.yaml");
  EXPECT_EQ(published.size(), 72u);
  EXPECT_EQ(yaml_keys(ours), yaml_keys(published));
}

TEST_F(LutTest, YamlParsesAndCarriesEachEntrysLatency) {
  const LatencyTable table = build_latency_table(proxyless_space(), 224, coster_);
  const YAML::Node doc = YAML::Load(proxyless_yaml(table));
  ASSERT_TRUE(doc.IsMap());
  for (const LutEntry* e : table.entries()) {
    if (e->key.empty()) continue;
    const YAML::Node node = doc[e->key];
    ASSERT_TRUE(node.IsMap()) << e->key;
    EXPECT_EQ(node["count"].as<int>(), 1);
    EXPECT_EQ(node["mean"].as<double>(), e->ms) << e->key;  // exact: shortest round-trip text
    EXPECT_EQ(node["std"].as<double>(), 0.0);
  }
}

TEST_F(LutTest, AnEntryIsTheSumOfItsWorkloads) {
  const LatencyTable table = build_latency_table(proxyless_space(), 224, coster_);
  int entries = 0;
  for (const LutEntry* e : table.entries()) {
    double cycles = 0.0;
    for (const LayerCost& layer : e->layers) {
      for (const CostedWorkload& w : layer.cost.workloads) {
        EXPECT_DOUBLE_EQ(w.cycles, roofline_.predict_cycles(w.workload));
        cycles += w.cycles;
      }
    }
    EXPECT_DOUBLE_EQ(e->cycles, cycles) << e->key;
    EXPECT_DOUBLE_EQ(e->ms, cycles / 1300.0 / 1000.0) << e->key;
    ++entries;
  }
  EXPECT_EQ(entries, 1 + 3 + 4 * (6 + 7 + 7 + 7) + 6 + 7 + 7 + 7 + 6 + 2);  // zero ops included
}

TEST_F(LutTest, ZeroOpsCostNothingAndHaveNoKey) {
  const SearchSpace space = proxyless_space();
  const LatencyTable table = build_latency_table(space, 224, coster_);
  int zeros = 0;
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    for (std::size_t c = 0; c < space.positions[p].candidates.size(); ++c) {
      const LutEntry& e = table.blocks[p][c];
      EXPECT_EQ(e.candidate_name, space.positions[p].candidates[c].name());
      if (!space.positions[p].candidates[c].zero) continue;
      ++zeros;
      EXPECT_TRUE(e.key.empty());
      EXPECT_TRUE(e.layers.empty());
      EXPECT_EQ(e.ms, 0.0);
    }
  }
  EXPECT_EQ(zeros, 15);  // positions 2-4 of the five 4-block stages
}

TEST_F(LutTest, ArchitectureLatencyIsFixedPlusChosenEntries) {
  const SearchSpace space = proxyless_space();
  const LatencyTable table = build_latency_table(space, 224, coster_);
  Architecture arch(space.positions.size(), 0);
  double expected = table.stem.ms + table.feature_mix.ms + table.logits.ms;
  for (std::size_t p = 0; p < arch.size(); ++p) {
    arch[p] = static_cast<int>(space.positions[p].candidates.size()) - 1;
    expected += table.blocks[p][static_cast<std::size_t>(arch[p])].ms;
  }
  EXPECT_DOUBLE_EQ(table.latency_ms(arch), expected);
  arch.pop_back();
  EXPECT_THROW(table.latency_ms(arch), Error);
  arch.push_back(99);
  EXPECT_THROW(table.latency_ms(arch), Error);
}

TEST_F(LutTest, FeatureSizesFollowOnceForAllAtEveryResolution) {
  // Stage input sizes in once-for-all's note10 tables at 160..224 and the
  // stem output (resolution + 1) / 2.
  const std::map<int, std::vector<std::int64_t>> expected{
      {160, {80, 40, 20, 10, 5}},  {176, {88, 44, 22, 11, 6}},  {192, {96, 48, 24, 12, 6}},
      {208, {104, 52, 26, 13, 7}}, {224, {112, 56, 28, 14, 7}}, {129, {65, 33, 17, 9, 5}}};
  const SearchSpace space = proxyless_space();
  for (const auto& [resolution, sizes] : expected) {
    const auto f = feature_sizes(space, resolution);
    std::set<std::int64_t> distinct(f.begin(), f.end());
    EXPECT_EQ(distinct, std::set<std::int64_t>(sizes.begin(), sizes.end())) << resolution;
  }
  const LatencyTable t176 = build_latency_table(space, 176, coster_);
  EXPECT_EQ(t176.stem.key, "Conv-input:176x176x3-output:88x88x32");
  EXPECT_EQ(t176.blocks[17][0].key,
            "expanded_conv-input:11x11x96-output:6x6x192-expand:3-kernel:3-stride:2-idskip:0");
  EXPECT_EQ(t176.logits.key, "Logits-input:6x6x1280-output:1000");
  EXPECT_THROW(build_latency_table(space, 16, coster_), Error);
}

TEST_F(LutTest, SeveralResolutionsReportProgress) {
  const int resolutions[] = {160, 176, 192, 208, 224};
  std::vector<int> seen;
  const auto tables = build_latency_tables(proxyless_space(), resolutions, coster_,
                                           [&](std::size_t done, std::size_t total, int r) {
                                             EXPECT_EQ(total, 5u);
                                             EXPECT_EQ(done, seen.size() + 1);
                                             seen.push_back(r);
                                           });
  EXPECT_EQ(seen, std::vector<int>(std::begin(resolutions), std::end(resolutions)));
  ASSERT_EQ(tables.size(), 5u);
  // Smaller inputs are cheaper, block by block.
  EXPECT_LT(tables[0].latency_ms(Architecture(22, 0)), tables[4].latency_ms(Architecture(22, 0)));
}

TEST_F(LutTest, MobileNetV2NetEqualsTheSumOfItsLutEntries) {
  const NetConfig config =
      load_net_config(std::string(VPUCOST_SOURCE_DIR) + "/nets/mobilenetv2.json");
  const SearchSpace space = mobilenetv2_space();
  for (const int resolution : {224, 160}) {
    const LatencyTable table = build_latency_table(space, resolution, coster_);
    std::vector<Layer> layers;
    std::set<std::string> net_keys;
    for (const NetPart& part : net_parts(config, resolution)) {
      layers.insert(layers.end(), part.layers.begin(), part.layers.end());
      net_keys.insert(part.key);
    }
    const double net_ms = coster_.milliseconds(total_cycles(coster_.cost(layers)));
    EXPECT_NEAR(net_ms, table.latency_ms(Architecture(space.positions.size(), 0)), 1e-12);
    std::set<std::string> lut_keys;
    for (const LutEntry* e : table.entries()) lut_keys.insert(e->key);
    EXPECT_EQ(net_keys, lut_keys);
  }
}

TEST_F(LutTest, CsvHasOneRecordPerEntryWithItsWorkloads) {
  const LatencyTable tables[] = {build_latency_table(mobilenetv2_space(), 224, coster_),
                                 build_latency_table(mobilenetv2_space(), 192, coster_)};
  const std::string csv = lut_csv(tables);
  std::size_t lines = 0;
  for (const char c : csv) lines += c == '\n';
  EXPECT_EQ(lines, 1 + 2 * (3 + 17u));
  EXPECT_EQ(csv.rfind("space,resolution,device,dtype,source,kind,key,", 0), 0u);
  EXPECT_NE(csv.find("mobilenetv2,224,VPU_2_7,UINT8,roofline,stem,"
                     "Conv-input:224x224x3-output:112x112x32,"),
            std::string::npos);
  EXPECT_NE(csv.find(",global_avgpool[1/20]: AVEPOOL 7x7x64->1x1x64 k7x7 s1 p0.0.0.0 "),
            std::string::npos);
}

TEST_F(LutTest, JsonRecordsEveryWorkload) {
  const LatencyTable tables[] = {build_latency_table(proxyless_space(), 224, coster_)};
  const auto doc = nlohmann::json::parse(lut_json(tables));
  EXPECT_EQ(doc["format"], "vpucost-lut");
  const auto& entries = doc["tables"][0]["entries"];
  EXPECT_EQ(entries.size(), tables[0].entries().size());
  for (const auto& e : entries) {
    double cycles = 0.0;
    for (const auto& layer : e["layers"]) {
      for (const auto& w : layer["workloads"]) cycles += w["cycles"].get<double>();
    }
    EXPECT_DOUBLE_EQ(e["cycles"].get<double>(), cycles);
  }
  EXPECT_EQ(entries.back()["layers"][0]["split"], "20xK");
}

TEST_F(LutTest, DesignReportHasEveryStage) {
  const SearchSpace space = proxyless_space();
  const LatencyTable table = build_latency_table(space, 224, coster_);
  const DesignReport report = design_report(space, table, coster_);
  EXPECT_EQ(report.blocks.size(), 12u);  // first and second position of stages 1-5, stage 0 and 6
  EXPECT_EQ(report.channels.size(), 7u);
  for (const BlockSensitivity& b : report.blocks) {
    for (const double ms : b.ms) EXPECT_GT(ms, 0.0);
  }
  // A 1x1 convolution of 20..32 channels costs what 32 channels cost.
  const ChannelSweep& stage1 = report.channels[1];
  ASSERT_EQ(stage1.widths, (std::vector<int>{20, 24, 28, 32, 36}));
  EXPECT_DOUBLE_EQ(stage1.conv_ms[0], stage1.conv_ms[3]);
  EXPECT_DOUBLE_EQ(stage1.conv_ms[1], stage1.conv_ms[3]);
  EXPECT_GT(stage1.conv_ms[4], stage1.conv_ms[3]);
  const std::string text = format_design_report(report);
  EXPECT_NE(text.find("stage 6, position 21: 192->320 stride 1, map 7->7"), std::string::npos);
  EXPECT_NE(text.find("<- stage width"), std::string::npos);
}

}  // namespace
}  // namespace vpucost
