// Networks node by node (issue #16, item 3): the sum of the nodes in every
// mode, layout nodes free, and device mode's rule -- each layer's weight
// fetch hidden behind the node before it as far as that node computes, the
// network's input fetched by the first DPU layer and its output spilled by
// the last node.
#include "vpucost/network_nodes.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "../support/test_workloads.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/roofline.hpp"
#include "vpucost/search_space.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost {
namespace {

std::vector<NetworkNode> small_network() {
  Workload a = test::conv3x3(Device::VPU_4_0, 64);  // 56x56x64, 3x3
  Workload b = a;
  b.input.channels = b.output.channels = 256;
  b.kernel_w = b.kernel_h = 1;
  b.padding = {};
  return {{"conv_a", NetworkNode::Engine::Dpu, a, {}},
          {"flatten", NetworkNode::Engine::Layout, {}, {}},
          {"conv_b", NetworkNode::Engine::Dpu, b, {}}};
}

TEST(NetworkNodes, EveryModeIsTheSumOfItsNodes) {
  const RooflineModel roofline;
  const DmaModel dma = test::bytes_as_cycles_dma(Device::VPU_4_0);
  const auto nodes = small_network();
  double compute = 0, ddr = 0, device = 0;
  for (const LatencyMode mode :
       {LatencyMode::dpu_only, LatencyMode::compute, LatencyMode::ddr, LatencyMode::device}) {
    const NetworkNodesCost c = cost_network_nodes(nodes, roofline, nullptr, dma, mode);
    ASSERT_EQ(c.nodes.size(), 3u);
    EXPECT_EQ(c.nodes[1].cycles, 0.0) << "layout nodes are free";
    EXPECT_DOUBLE_EQ(c.total_cycles(), c.nodes[0].cycles + c.nodes[2].cycles);
    EXPECT_EQ(c.shave_cycles, 0.0);
    if (mode == LatencyMode::compute) compute = c.total_cycles();
    if (mode == LatencyMode::ddr) ddr = c.total_cycles();
    if (mode == LatencyMode::device) device = c.total_cycles();
  }
  EXPECT_LT(compute, device);
  EXPECT_LT(device, ddr);
}

TEST(NetworkNodes, DeviceModeHidesAWeightFetchBehindThePreviousNode) {
  const RooflineModel roofline;
  const DmaModel dma = test::bytes_as_cycles_dma(Device::VPU_4_0);
  const auto nodes = small_network();
  const NetworkNodesCost compute =
      cost_network_nodes(nodes, roofline, nullptr, dma, LatencyMode::compute);
  const NetworkNodesCost device =
      cost_network_nodes(nodes, roofline, nullptr, dma, LatencyMode::device);
  const DeviceLayerCost a = cost_on_device(roofline, dma, nodes[0].layer);
  const DeviceLayerCost b = cost_on_device(roofline, dma, nodes[2].layer);
  // The first layer: all its weights (nothing runs before it) and the input.
  EXPECT_DOUBLE_EQ(device.nodes[0].cycles, a.compute + a.dma.weights + a.dma.input);
  // The second: what conv_a's compute does not hide of its weights, and the
  // network's output.
  EXPECT_DOUBLE_EQ(device.nodes[2].cycles,
                   b.compute + std::max(0.0, b.dma.weights - a.compute) + b.dma.output);
  EXPECT_DOUBLE_EQ(compute.nodes[0].cycles, a.compute);
}

// A table entry in device mode follows a network's rule inside the entry --
// each layer waits for the part of its weight fetch the node before it (a
// DPU layer or a SHAVE step; a DMA copy hides nothing) does not hide -- and
// the entry's first layer hides behind the entry's own last node (a stage of
// like blocks). Checked against the compute-mode table, entry by entry.
void expect_device_entries_follow_the_rule(const LatencyTable& compute, const LatencyTable& device,
                                           std::size_t min_stalled) {
  const auto c = compute.entries(), d = device.entries();
  ASSERT_EQ(c.size(), d.size());
  std::size_t stalled = 0;
  for (std::size_t e = 0; e < c.size(); ++e) {
    const LutEntry& ce = *c[e];
    ASSERT_EQ(ce.layers.size(), d[e]->layers.size());
    if (ce.layers.empty()) continue;
    // The entry's nodes in order: (computing cycles, layer index or -1).
    std::vector<std::pair<double, int>> nodes;
    std::size_t step = 0, copy = 0;
    for (std::size_t i = 0; i <= ce.layers.size(); ++i) {
      for (; step < ce.shave.size() && ce.shave[step].step.after_layers == i; ++step) {
        nodes.emplace_back(ce.shave[step].cycles, -1);
      }
      for (; copy < ce.dma.size() && ce.dma[copy].step.after_layers == i; ++copy) {
        nodes.emplace_back(0.0, -1);
      }
      if (i < ce.layers.size()) nodes.emplace_back(ce.layers[i].cost.cycles, int(i));
    }
    double expected = 0, previous = nodes.back().first;
    for (const auto& [computing, i] : nodes) {
      if (i >= 0) {
        const LayerCost& l = ce.layers[std::size_t(i)];
        EXPECT_GT(l.weight_fetch, 0.0) << ce.key;
        EXPECT_EQ(d[e]->layers[std::size_t(i)].weight_fetch, l.weight_fetch);
        const double layer = l.cost.cycles + std::max(0.0, l.weight_fetch - previous);
        EXPECT_DOUBLE_EQ(d[e]->layers[std::size_t(i)].cost.cycles, layer) << ce.key << " " << i;
      }
      expected += i >= 0 ? d[e]->layers[std::size_t(i)].cost.cycles : computing;
      previous = computing;
    }
    EXPECT_NEAR(d[e]->cycles, expected, 1e-9 * expected) << ce.key;
    stalled += d[e]->cycles > ce.cycles;
  }
  EXPECT_GE(stalled, min_stalled) << "VPU_4_0's weight fetches outrun some layers";
}

TEST(NetworkNodes, TableEntriesInDeviceModeHideTheFirstFetchBehindTheirLastLayer) {
  const RooflineModel roofline;
  const DmaModel dma(roofline_dma_parts(Device::VPU_4_0));
  const SearchSpace space = proxyless_space();
  const auto table = [&](LatencyMode mode) {
    return build_latency_table(space, 224,
                               NetworkCoster(roofline, Device::VPU_4_0, DType::UINT8, mode, &dma));
  };
  expect_device_entries_follow_the_rule(table(LatencyMode::compute), table(LatencyMode::device),
                                        10);
  EXPECT_EQ(parse_latency_mode("device"), LatencyMode::device);
  EXPECT_THROW(parse_latency_mode("fast"), Error);
}

// MobileNetV3's blocks put SHAVE steps (h-swish, the SE gate and multiply)
// between their layers: a layer's fetch then hides behind the SHAVE step
// before it, as in a network.
TEST(NetworkNodes, TableEntriesInDeviceModeHideFetchesBehindShaveSteps) {
  const std::string models = VPUCOST_MODELS_DIR;
  const CostModel dpu = load_model(models + "/vpu_4_0.h5");
  const ShaveModel shave = load_shave_model(models + "/shave_vpu_4_0.h5");
  const DmaModel dma = load_dma_model(models + "/dma_vpu_4_0.h5");
  const SearchSpace space = ofa_mbv3_space();
  const auto table = [&](LatencyMode mode) {
    return build_latency_table(
        space, 224, NetworkCoster(dpu, Device::VPU_4_0, DType::UINT8, mode, &dma, &shave));
  };
  const LatencyTable compute = table(LatencyMode::compute);
  std::size_t with_shave = 0;
  for (const LutEntry* e : compute.entries()) with_shave += !e->shave.empty();
  EXPECT_GT(with_shave, 50u);
  expect_device_entries_follow_the_rule(compute, table(LatencyMode::device), 10);
}

}  // namespace
}  // namespace vpucost
