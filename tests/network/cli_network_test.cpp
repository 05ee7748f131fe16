// End-to-end tests of `vpucost lut`, `vpucost net` and the split case of
// `vpucost predict`: files, JSON, exit codes and one-line errors.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

using test::line_count;
using test::run_cli;
using test::TempDir;

const std::string kSource = VPUCOST_SOURCE_DIR;
const std::string kNets = std::string(VPUCOST_SOURCE_DIR) + "/nets/";

std::set<std::string> keys(const YAML::Node& doc) {
  std::set<std::string> out;
  for (const auto& e : doc) out.insert(e.first.as<std::string>());
  return out;
}

TEST(CliLut, WritesTheProxylessTableNasToolsRead) {
  TempDir dir;
  const auto out = dir / "224_lookup_table.yaml";
  const auto r = run_cli({"lut", "--device", "VPU_2_7", "--space", "proxyless", "--resolution",
                          "224", "--format", "proxyless-yaml", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("lut: resolution 224 done (1/1"), std::string::npos) << r.err;
  const YAML::Node ours = YAML::LoadFile(out.string());
  const YAML::Node published =
      YAML::LoadFile(std::string(VPUCOST_TEST_DATA_DIR) + "/proxylessnas_mobile_trim.yaml");
  EXPECT_EQ(keys(ours), keys(published));
  EXPECT_GT(ours["Conv-input:224x224x3-output:112x112x32"]["mean"].as<double>(), 0.0);
}

// A model of feature encoding 2 (shipped before the compiler's fields) writes
// the table it wrote then, byte for byte (the file was made by vpucost 0.1.0
// with that model: `vpucost lut --model models/vpu_2_7.h5 --out ...`).
TEST(CliLut, AnEncoding2ModelWritesTheTableItWroteBefore) {
  test::TempDir dir;
  // The whole device (the default mode) needs output write tiles, which
  // encoding 2 lacks: one line saying what to do.
  const auto device =
      run_cli({"lut", "--model", kSource + "/tests/costmodel/data/encoding2/vpu_2_7.h5", "--out",
               (dir / "t.yaml").string(), "--quiet"});
  EXPECT_EQ(device.exit_code, 1);
  EXPECT_EQ(test::line_count(device.err), 1) << device.err;
  EXPECT_NE(device.err.find("cannot cost the whole device"), std::string::npos) << device.err;
  EXPECT_NE(device.err.find("Use --mode dpu"), std::string::npos);
  const auto r = run_cli({"lut", "--model", kSource + "/tests/costmodel/data/encoding2/vpu_2_7.h5",
                          "--mode", "dpu", "--out", (dir / "t.yaml").string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string golden =
      std::string(VPUCOST_TEST_DATA_DIR) + "/encoding2_vpu_2_7_proxyless_224.yaml";
  if (VPUCOST_GOLDEN_BUILD) {  // the build that wrote it: byte for byte (tests/CMakeLists.txt)
    EXPECT_EQ(test::slurp(dir / "t.yaml"), test::slurp(golden));
    return;
  }
  // Other compilers and flags round the last float32 bits differently: the
  // same blocks in the same order, each latency within 1e-5.
  const YAML::Node written = YAML::LoadFile((dir / "t.yaml").string());
  const YAML::Node expected = YAML::LoadFile(golden);
  ASSERT_EQ(written.size(), expected.size());
  auto w = written.begin();
  for (auto e = expected.begin(); e != expected.end(); ++e, ++w) {
    ASSERT_EQ(w->first.as<std::string>(), e->first.as<std::string>());
    EXPECT_EQ(w->second["count"].as<int>(), e->second["count"].as<int>());
    EXPECT_NEAR(w->second["mean"].as<double>() / e->second["mean"].as<double>(), 1.0, 1e-5)
        << e->first.as<std::string>();
  }
}

TEST(CliLut, WithAModelAndSeveralResolutions) {
  TempDir dir;
  save_model(test::random_model(Device::VPU_4_0), dir / "m.h5");
  const auto r =
      run_cli({"lut", "--model", (dir / "m.h5").string(), "--resolution", "160,176,192,208,224",
               "--dtype", "FLOAT16", "--out", dir.path().string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  for (const int res : {160, 176, 192, 208, 224}) {
    const auto file = dir / (std::to_string(res) + "_lookup_table.yaml");
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    const YAML::Node doc = YAML::LoadFile(file.string());
    EXPECT_EQ(doc.size(), 72u);
    const std::string stem = "Conv-input:" + std::to_string(res) + "x" + std::to_string(res) +
                             "x3-output:" + std::to_string((res + 1) / 2) + "x" +
                             std::to_string((res + 1) / 2) + "x32";
    EXPECT_TRUE(doc[stem].IsMap()) << stem;
  }
  // Several resolutions into one YAML file are refused.
  const auto bad = run_cli({"lut", "--model", (dir / "m.h5").string(), "--resolution", "160,224",
                            "--out", (dir / "x.yaml").string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(line_count(bad.err), 1) << bad.err;
  // --device must agree with the model.
  const auto mismatch = run_cli({"lut", "--model", (dir / "m.h5").string(), "--device", "VPU_2_7",
                                 "--out", (dir / "y.yaml").string()});
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_NE(mismatch.err.find("does not match the model, which is for VPU_4_0"), std::string::npos)
      << mismatch.err;
}

TEST(CliLut, CsvJsonAndReport) {
  TempDir dir;
  const auto csv = run_cli({"lut", "--device", "VPU_2_0", "--space", "mobilenetv2", "--format",
                            "csv", "--out", (dir / "lut.csv").string(), "--quiet"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(line_count(test::slurp(dir / "lut.csv")), 1 + 20);
  const auto json = run_cli({"lut", "--device", "VPU_2_0", "--space", "mobilenetv2", "--format",
                             "json", "--out", (dir / "lut.json").string(), "--quiet"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto doc = nlohmann::json::parse(test::slurp(dir / "lut.json"));
  EXPECT_EQ(doc["tables"][0]["entries"].size(), 20u);
  const auto report = run_cli({"lut", "--device", "VPU_2_7", "--report"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("Kernel size and expand ratio"), std::string::npos);
  EXPECT_NE(report.out.find("Channel counts"), std::string::npos);
}

TEST(CliLut, BadCommandLinesFailOnOneLine) {
  const std::vector<std::vector<std::string>> cases = {
      {"lut", "--device", "VPU_2_7"},                                           // no --out
      {"lut", "--out", "x.yaml"},                                               // no device
      {"lut", "--device", "VPU_2_7", "--resolution", "20", "--out", "x.yaml"},  // too small
      {"lut", "--device", "VPU_2_7", "--format", "xml", "--out", "x.yaml"},
      {"lut", "--device", "VPU_2_7", "--space", "nosuch", "--out", "x.yaml"},
      {"lut", "--device", "VPU_2_7", "--out", "/nonexistent-dir/x.yaml"},
  };
  for (const auto& args : cases) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 1) << args.back();
    EXPECT_EQ(line_count(r.err), 1) << r.err;
  }
}

TEST(CliNet, MobileNetV2EqualsTheSumOfItsLutEntries) {
  TempDir dir;
  save_model(test::random_model(Device::VPU_2_7, {32, 16}), dir / "m.h5");
  const std::string model = (dir / "m.h5").string();
  // In compute mode a network is exactly the sum of its table entries (device
  // mode adds what only a network in order has: nas_test covers it).
  const auto net = run_cli({"net", "--model", model, "--config", kNets + "mobilenetv2.json",
                            "--mode", "compute", "--json"});
  ASSERT_EQ(net.exit_code, 0) << net.err;
  const auto j = nlohmann::json::parse(net.out);
  EXPECT_EQ(j["parameters"], 3504872);
  EXPECT_EQ(j["source"], "model");

  const auto lut = run_cli({"lut", "--model", model, "--space", "mobilenetv2", "--mode", "compute",
                            "--out", (dir / "lut.yaml").string(), "--quiet"});
  ASSERT_EQ(lut.exit_code, 0) << lut.err;
  const YAML::Node table = YAML::LoadFile((dir / "lut.yaml").string());
  // Sum the table over the network's parts (a key repeated in the network counts each time).
  double layers_ms = 0.0;
  std::map<std::string, int> parts;  // key -> number of the network's parts using it
  std::string previous_part;
  for (const auto& layer : j["layers"]) {
    layers_ms += layer["ms"].get<double>();
    if (layer["part"] != previous_part) ++parts[layer["key"].get<std::string>()];
    previous_part = layer["part"];
  }
  double lut_ms = 0.0;
  for (const auto& [key, count] : parts) lut_ms += count * table[key]["mean"].as<double>();
  EXPECT_EQ(parts.size(), table.size());
  EXPECT_NEAR(j["total_ms"].get<double>(), lut_ms, 1e-6 * lut_ms);  // float32 batches
  EXPECT_NEAR(j["total_ms"].get<double>(), layers_ms, 1e-9 * layers_ms);
}

TEST(CliNet, TableAndErrors) {
  const auto r =
      run_cli({"net", "--device", "VPU_4_0", "--config", kNets + "proxylessnas_mobile.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The default mode is device: the network in order, weight fetches behind
  // the layer before.
  EXPECT_NE(r.out.find("ProxylessNASNets (4.08M parameters) at 224 on VPU_4_0 UINT8, the whole "
                       "device, device mode; roofline"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("each on the whole device, weight fetches behind the previous layer"),
            std::string::npos)
      << r.out;
  // --dpu-only: one DPU, as before the whole device; slower by far.
  const auto one = run_cli({"net", "--device", "VPU_4_0", "--config",
                            kNets + "proxylessnas_mobile.json", "--dpu-only", "--json"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto whole = run_cli({"net", "--device", "VPU_4_0", "--config",
                              kNets + "proxylessnas_mobile.json", "--mode", "compute", "--json"});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const auto one_j = nlohmann::json::parse(one.out);
  const auto whole_j = nlohmann::json::parse(whole.out);
  EXPECT_EQ(one_j["mode"], "dpu");
  EXPECT_EQ(whole_j["mode"], "compute");
  EXPECT_GT(one_j["total_ms"].get<double>(), 2.0 * whole_j["total_ms"].get<double>());
  const auto ddr = run_cli({"net", "--device", "VPU_4_0", "--config",
                            kNets + "proxylessnas_mobile.json", "--mode", "ddr", "--json"});
  ASSERT_EQ(ddr.exit_code, 0) << ddr.err;
  EXPECT_GT(nlohmann::json::parse(ddr.out)["total_ms"].get<double>(),
            whole_j["total_ms"].get<double>());
  // device: the network in order -- between compute and ddr.
  const auto in_order = run_cli({"net", "--device", "VPU_4_0", "--config",
                                 kNets + "proxylessnas_mobile.json", "--mode", "device", "--json"});
  ASSERT_EQ(in_order.exit_code, 0) << in_order.err;
  const double device_ms = nlohmann::json::parse(in_order.out)["total_ms"].get<double>();
  const auto by_default = run_cli(
      {"net", "--device", "VPU_4_0", "--config", kNets + "proxylessnas_mobile.json", "--json"});
  ASSERT_EQ(by_default.exit_code, 0) << by_default.err;
  EXPECT_EQ(nlohmann::json::parse(by_default.out)["mode"], "device");
  EXPECT_EQ(nlohmann::json::parse(by_default.out)["total_ms"].get<double>(), device_ms);
  EXPECT_GT(device_ms, whole_j["total_ms"].get<double>());
  EXPECT_LT(device_ms, nlohmann::json::parse(ddr.out)["total_ms"].get<double>());
  const auto clash = run_cli({"net", "--device", "VPU_4_0", "--config",
                              kNets + "proxylessnas_mobile.json", "--dpu-only", "--mode", "ddr"});
  EXPECT_EQ(clash.exit_code, 1);
  EXPECT_NE(clash.err.find("--dpu-only contradicts --mode ddr"), std::string::npos) << clash.err;
  EXPECT_NE(r.out.find("blocks[21]"), std::string::npos);
  EXPECT_NE(r.out.find("total: "), std::string::npos);

  TempDir dir;
  std::ofstream(dir / "bad.json") << R"({"first_conv": {"name": "ConvLayer", "in_channels": 3,
      "out_channels": -32, "kernel_size": 3, "stride": 2}, "blocks": [], "classifier": {}})";
  const auto bad = run_cli({"net", "--device", "VPU_2_7", "--config", (dir / "bad.json").string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(line_count(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("bad.json: first_conv.out_channels: expected a positive integer, got -32"),
            std::string::npos)
      << bad.err;
  const auto missing = run_cli({"net", "--device", "VPU_2_7", "--config", "/nonexistent.json"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(line_count(missing.err), 1);
}

TEST(CliNet, NodesOfANetworkOnTheWholeDevice) {
  const std::string models = kSource + "/models/";
  const std::string nodes = kSource + "/data/samples/v2/networks/vpu_4_0_mobilenet_v3_large.csv";
  const auto r = run_cli({"net", "--model", models + "vpu_4_0.h5", "--shave-model",
                          models + "shave_vpu_4_0.h5", "--nodes", nodes, "--dtype", "FLOAT16",
                          "--mode", "compute", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["network"], "mobilenet_v3_large");
  EXPECT_EQ(j["mode"], "compute");
  double sum = 0;
  for (const auto& n : j["nodes"]) sum += n["cycles"].get<double>();
  EXPECT_NEAR(j["total_cycles"].get<double>(), sum, 1e-9 * sum);
  EXPECT_GT(j["shave_cycles"].get<double>(), 0.1 * j["total_cycles"].get<double>())
      << "h-swish, h-sigmoid and the SE multiply run on SHAVE";
  // Against the file's own total (305,302 cycles): within 5 %.
  EXPECT_NEAR(j["total_cycles"].get<double>() / j["file_total_cycles"].get<double>(), 1.0, 0.05);
  // The text form names the file's total and our distance from it.
  const auto text = run_cli({"net", "--model", models + "vpu_4_0.h5", "--shave-model",
                             models + "shave_vpu_4_0.h5", "--nodes", nodes});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("the file's total: 180484 cycles"), std::string::npos) << text.out;
  // SHAVE nodes need a SHAVE model; --nodes and --config do not mix.
  const auto no_shave = run_cli({"net", "--model", models + "vpu_4_0.h5", "--nodes", nodes});
  EXPECT_EQ(no_shave.exit_code, 1);
  EXPECT_EQ(test::line_count(no_shave.err), 1) << no_shave.err;
  EXPECT_NE(no_shave.err.find("runs on SHAVE: give --shave-model"), std::string::npos)
      << no_shave.err;
  const auto both = run_cli({"net", "--model", models + "vpu_4_0.h5", "--nodes", nodes, "--config",
                             kNets + "proxylessnas_mobile.json"});
  EXPECT_EQ(both.exit_code, 1);
  EXPECT_NE(both.err.find("--nodes and --config are two ways"), std::string::npos) << both.err;
  const auto other = run_cli({"net", "--model", models + "vpu_2_7.h5", "--nodes", nodes});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("is for VPU_4_0, not VPU_2_7"), std::string::npos) << other.err;
}

TEST(CliPredict, AWorkloadBeyondOneDpuWorkloadIsCostedAsItsSplit) {
  const auto r = run_cli({"predict", "--device", "VPU_2_7", "--op", "DW_CONVOLUTION", "--input",
                          "56x56x144", "--kernel", "3x3", "--pad", "1,1,1,1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["workloads"], 3);
  EXPECT_EQ(j["split"], "3xK");
  EXPECT_EQ(j["split_reason"], "depthwise_channels");
  double sum = 0.0;
  for (const auto& piece : j["split_workloads"]) sum += piece["cycles"].get<double>();
  EXPECT_DOUBLE_EQ(j["cycles"].get<double>(), sum);

  const auto human = run_cli({"predict", "--device", "VPU_2_0", "--op", "CONVOLUTION", "--input",
                              "112x112x16", "--output", "112x112x96", "--dtype", "FLOAT16"});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("split into 3 workloads (3xH): it does not fit in the CMX"),
            std::string::npos)
      << human.out;

  const auto one = run_cli({"predict", "--device", "VPU_2_7", "--op", "DW_CONVOLUTION", "--input",
                            "56x56x64", "--kernel", "3x3", "--pad", "1", "--json"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(nlohmann::json::parse(one.out)["workloads"], 1);
}

}  // namespace
}  // namespace vpucost
