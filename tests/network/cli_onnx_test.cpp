// End-to-end: `vpucost net --onnx` on the small ONNX model -- the per-node
// table's engines and costs, the JSON totals as the sum of the nodes, every
// mode, --input-shape and --unknown-ops shave-generic.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/run_cli.hpp"

namespace vpucost {
namespace {

using test::run_cli;

const std::string kOnnxDir = std::string(VPUCOST_TEST_DATA_DIR) + "/onnx/";
const std::string kOnnxModels = std::string(VPUCOST_SOURCE_DIR) + "/models/";

nlohmann::json net_onnx_json(const std::string& file, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"net",
                                   "--model",
                                   kOnnxModels + "vpu_4_0.h5",
                                   "--shave-model",
                                   kOnnxModels + "shave_vpu_4_0.h5",
                                   "--onnx",
                                   kOnnxDir + file,
                                   "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(CliOnnx, JsonListsEveryNodeAndTotalsTheirCycles) {
  const nlohmann::json j = net_onnx_json("tiny_net.onnx");
  EXPECT_EQ(j["network"], "tiny_net");
  EXPECT_EQ(j["input_shape"], "1x3x32x32");
  ASSERT_EQ(j["nodes"].size(), 17u);
  double dpu = 0, shave = 0, layout = 0;
  for (const auto& n : j["nodes"]) {
    const double c = n["cycles"].get<double>();
    if (n["engine"] == "DPU") dpu += c;
    if (n["engine"] == "SHAVE") shave += c;
    if (n["engine"] == "layout") layout += c;
  }
  EXPECT_EQ(layout, 0.0);
  EXPECT_GT(dpu, 0.0);
  EXPECT_GT(shave, 0.0);
  EXPECT_DOUBLE_EQ(j["dpu_cycles"].get<double>(), dpu);
  EXPECT_DOUBLE_EQ(j["shave_cycles"].get<double>(), shave);
  EXPECT_DOUBLE_EQ(j["total_cycles"].get<double>(), dpu + shave);
  EXPECT_EQ(j["nodes"][0]["onnx_ops"], "Conv+BatchNormalization+Relu");
  EXPECT_EQ(j["nodes"][0]["operation"], "CM_CONVOLUTION");
  EXPECT_EQ(j["nodes"][4]["operation"], "SHAVE hswish");
  EXPECT_TRUE(j["generic_shave_ops"].empty());
}

TEST(CliOnnx, EveryModeCostsAndDdrCostsMore) {
  std::map<std::string, double> total;
  for (const char* mode : {"dpu", "compute", "ddr", "device"}) {
    total[mode] = net_onnx_json("tiny_net.onnx", {"--mode", mode})["total_cycles"].get<double>();
    EXPECT_GT(total[mode], 0.0) << mode;
  }
  EXPECT_GT(total["ddr"], total["compute"]);
  EXPECT_GE(total["device"], total["compute"]);
}

TEST(CliOnnx, InputShapeAndGenericOps) {
  const nlohmann::json bigger = net_onnx_json("dynamic_input.onnx", {"--input-shape", "1x3x64x64"});
  EXPECT_EQ(bigger["input_shape"], "1x3x64x64");
  EXPECT_GT(bigger["total_cycles"].get<double>(),
            net_onnx_json("tiny_net.onnx")["total_cycles"].get<double>());
  const nlohmann::json generic =
      net_onnx_json("unknown_op.onnx", {"--unknown-ops", "shave-generic"});
  ASSERT_EQ(generic["generic_shave_ops"].size(), 1u);
  EXPECT_EQ(generic["generic_shave_ops"][0], "hs (Sin)");
  // The table says so too.
  const auto r = run_cli({"net", "--model", kOnnxModels + "vpu_4_0.h5", "--shave-model",
                          kOnnxModels + "shave_vpu_4_0.h5", "--onnx", kOnnxDir + "unknown_op.onnx",
                          "--unknown-ops", "shave-generic"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("costed as a generic SHAVE operation: hs (Sin)"), std::string::npos);
  EXPECT_NE(r.out.find("SHAVE sigmoid (generic)"), std::string::npos);
}

}  // namespace
}  // namespace vpucost
