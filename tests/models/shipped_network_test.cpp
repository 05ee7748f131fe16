// Networks node by node on the whole device (issue #16, item 3): the v2
// teacher's networks/ files (torchvision mobilenet_v2, resnet18,
// mobilenet_v3_large, FLOAT16 and UINT8: DPU layers, SHAVE operations,
// layout nodes) costed in compute mode with the shipped DPU, SHAVE and DMA
// models, against the files' totals (VPUNN's layer model and the SHAVE
// composition rule). VPU_4_0's files are bundled; VPU_2_7's and NPU_5_0's
// are read when the shared data is here. Target: within +-5 % of each
// total (met on 17 of the 18 with the default models, on all six of VPU_4_0's with
// its accuracy-first model: network/NETWORK.md section 12).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "../support/test_workloads.hpp"
#include "vpucost/device.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/network_nodes.hpp"
#include "vpucost/network_recordings.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost {
namespace {

namespace fs = std::filesystem;

fs::path networks_dir(Device d) {
  const fs::path bundled = fs::path(VPUCOST_SAMPLES) / "v2" / "networks";
  if (fs::exists(bundled / (test::device_stem(d) + "_resnet18.csv"))) return bundled;
  return fs::path(VPUCOST_TEACHER_V2_ROOT) / "networks";
}

struct Totals {
  int networks = 0, within_5 = 0;
};

// Every network of the device's files in FLOAT16 and UINT8, costed with the
// DPU model models/<dpu_stem>.h5 and the device's SHAVE and DMA models.
Totals compute_mode_totals(Device d, const std::string& dpu_stem) {
  const fs::path dir = networks_dir(d);
  const fs::path models(VPUCOST_MODELS_DIR);
  const CostModel dpu = load_model(models / (dpu_stem + ".h5"));
  const ShaveModel shave = load_shave_model(models / ("shave_" + test::device_stem(d) + ".h5"));
  const DmaModel dma = load_dma_model(models / ("dma_" + test::device_stem(d) + ".h5"));
  const int shaves = device_spec(d).shaves_per_tile * device_spec(d).tiles;
  Totals t;
  for (const char* name : {"mobilenet_v2", "resnet18", "mobilenet_v3_large"}) {
    const NetworkRecordings rec =
        read_network_csv(dir / (test::device_stem(d) + "_" + name + ".csv"));
    EXPECT_TRUE(rec.rejects.empty()) << rec.rejects.front().reason;
    for (const DType dtype : {DType::FLOAT16, DType::UINT8}) {
      std::vector<NetworkNode> nodes;
      double teacher = 0;
      for (const NetworkNodeRecord& r : rec.items) {
        if (r.dtype != dtype) continue;
        NetworkNode n;
        n.name = r.node;
        n.engine = r.kind == NodeKind::Dpu     ? NetworkNode::Engine::Dpu
                   : r.kind == NodeKind::Shave ? NetworkNode::Engine::Shave
                                               : NetworkNode::Engine::Layout;
        n.layer = r.layer;
        n.shave = r.shave;
        nodes.push_back(n);
        if (r.kind != NodeKind::NoCost) teacher += r.cycles;
      }
      const NetworkNodesCost cost =
          cost_network_nodes(nodes, dpu, &shave, dma, LatencyMode::compute);
      double sum = 0;
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        sum += cost.nodes[i].cycles;
        if (nodes[i].engine == NetworkNode::Engine::Shave) {
          // VPUNN's rule: one SHAVE's cycles over every SHAVE, float32, truncated.
          const float one = static_cast<float>(shave.predict_cycles(nodes[i].shave));
          EXPECT_EQ(cost.nodes[i].cycles,
                    double(static_cast<long long>(one / static_cast<float>(shaves))));
        }
        if (nodes[i].engine == NetworkNode::Engine::Layout) {
          EXPECT_EQ(cost.nodes[i].cycles, 0.0);
        }
      }
      // The total adds DPU and SHAVE sums separately; the order of addition differs from this
      // loop's, so the two agree to rounding, not to the last bit.
      EXPECT_NEAR(cost.total_cycles(), sum, 1e-12 * sum);
      const double err = std::abs(cost.total_cycles() / teacher - 1.0);
      std::printf("%s %s %s: ours %.0f, teacher %.0f (%+.2f %%)\n", dpu_stem.c_str(), name,
                  std::string(to_string(dtype)).c_str(), cost.total_cycles(), teacher,
                  100 * (cost.total_cycles() / teacher - 1));
      EXPECT_LE(err, 0.07) << name << " " << to_string(dtype);  // the worst reached: 5.6 %
      t.within_5 += err <= 0.05;
      ++t.networks;
    }
  }
  return t;
}

class ShippedNetwork : public ::testing::TestWithParam<Device> {};

TEST_P(ShippedNetwork, ComputeModeTotalsAgainstTheTeacher) {
  const Device d = GetParam();
  if (!fs::exists(networks_dir(d) / (test::device_stem(d) + "_resnet18.csv"))) {
    GTEST_SKIP() << "no networks for " << test::device_stem(d);
  }
  const Totals t = compute_mode_totals(d, test::device_stem(d));
  EXPECT_EQ(t.networks, 6);
  EXPECT_GE(t.within_5, t.networks - 1) << "at most one network of a device beyond +-5 %";
}

// The accuracy-first VPU_4_0 model (models/README.md, "Accuracy-first
// models") brings the one total the default misses (ResNet-18 UINT8,
// +5.63 %) within +-5 % (+4.62 %) and keeps the others there.
TEST(AccuracyFirstNetwork, Vpu40TotalsAllWithinFivePercent) {
  const Totals t = compute_mode_totals(Device::VPU_4_0, "vpu_4_0_large");
  EXPECT_EQ(t.networks, 6);
  EXPECT_EQ(t.within_5, t.networks);
}

// nets/mobilenet_v3_large.json (once-for-all's MobileNetV3 config of
// torchvision's network) costed as a net config -- the path of `vpucost net
// --config` and of the ofa-mbv3 tables -- against the teacher's total.
TEST_P(ShippedNetwork, MobileNetV3ConfigAgainstTheTeacher) {
  const Device d = GetParam();
  const fs::path file = networks_dir(d) / (test::device_stem(d) + "_totals.csv");
  if (!fs::exists(file)) GTEST_SKIP() << "no networks for " << test::device_stem(d);
  const fs::path models(VPUCOST_MODELS_DIR);
  const CostModel dpu = load_model(models / (test::device_stem(d) + ".h5"));
  const ShaveModel shave = load_shave_model(models / ("shave_" + test::device_stem(d) + ".h5"));
  const DmaModel dma = load_dma_model(models / ("dma_" + test::device_stem(d) + ".h5"));
  const NetConfig config =
      load_net_config(fs::path(VPUCOST_SOURCE_DIR) / "nets" / "mobilenet_v3_large.json");
  for (const DType dtype : {DType::FLOAT16, DType::UINT8}) {
    const NetworkRecordings rec =
        read_network_csv(networks_dir(d) / (test::device_stem(d) + "_mobilenet_v3_large.csv"));
    double teacher = 0, teacher_shave = 0;
    for (const NetworkNodeRecord& r : rec.items) {
      if (r.dtype != dtype || r.kind == NodeKind::NoCost) continue;
      teacher += r.cycles;
      if (r.kind == NodeKind::Shave) teacher_shave += r.cycles;
    }
    const NetworkCoster coster(dpu, d, dtype, LatencyMode::compute, &dma, &shave);
    double ours = 0, ours_shave = 0;
    for (const PartItemCost& item : cost_parts(net_parts(config, 224), coster)) {
      ours += item.cycles();
      if (item.shave) ours_shave += item.cycles();
    }
    std::printf("%s mobilenet_v3_large config %s: ours %.0f, teacher %.0f (%+.2f %%)\n",
                test::device_stem(d).c_str(), std::string(to_string(dtype)).c_str(), ours, teacher,
                100 * (ours / teacher - 1));
    // The SHAVE nodes are the teacher's, costed by the same model and rule.
    EXPECT_NEAR(ours_shave, teacher_shave, 0.005 * teacher_shave);
    EXPECT_LE(std::abs(ours / teacher - 1), 0.03);  // the worst reached: +2.6 %
  }
}

INSTANTIATE_TEST_SUITE_P(Devices, ShippedNetwork,
                         ::testing::Values(Device::VPU_2_7, Device::VPU_4_0, Device::NPU_5_0),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace vpucost
