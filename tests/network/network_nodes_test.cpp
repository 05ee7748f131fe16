// Networks node by node (issue #16, item 3): the sum of the nodes in every
// mode, layout nodes free, and device mode's rule -- each layer's weight
// fetch hidden behind the node before it as far as that node computes, the
// network's input fetched by the first DPU layer and its output spilled by
// the last node.
#include "vpucost/network_nodes.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "../support/test_workloads.hpp"
#include "vpucost/error.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/roofline.hpp"
#include "vpucost/search_space.hpp"

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

// A table entry in device mode: each layer waits for the part of its weight
// fetch the layer before does not hide; the entry's first layer hides behind
// the entry's own last layer (a stage of like blocks).
TEST(NetworkNodes, TableEntriesInDeviceModeHideTheFirstFetchBehindTheirLastLayer) {
  const RooflineModel roofline;
  const DmaModel dma(roofline_dma_parts(Device::VPU_4_0));
  const SearchSpace space = proxyless_space();
  const LatencyTable compute = build_latency_table(
      space, 224,
      NetworkCoster(roofline, Device::VPU_4_0, DType::UINT8, LatencyMode::compute, &dma));
  const LatencyTable device = build_latency_table(
      space, 224,
      NetworkCoster(roofline, Device::VPU_4_0, DType::UINT8, LatencyMode::device, &dma));
  const auto c = compute.entries(), d = device.entries();
  ASSERT_EQ(c.size(), d.size());
  std::size_t stalled = 0;
  for (std::size_t e = 0; e < c.size(); ++e) {
    const auto& layers = c[e]->layers;
    ASSERT_EQ(layers.size(), d[e]->layers.size());
    if (layers.empty()) continue;
    double expected = 0, previous = layers.back().cost.cycles;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      EXPECT_GT(layers[i].weight_fetch, 0.0) << c[e]->key;
      EXPECT_EQ(d[e]->layers[i].weight_fetch, layers[i].weight_fetch);
      const double layer = layers[i].cost.cycles + std::max(0.0, layers[i].weight_fetch - previous);
      EXPECT_DOUBLE_EQ(d[e]->layers[i].cost.cycles, layer) << c[e]->key << " layer " << i;
      expected += layer;
      previous = layers[i].cost.cycles;
    }
    EXPECT_NEAR(d[e]->cycles, expected, 1e-9 * expected) << c[e]->key;
    stalled += d[e]->cycles > c[e]->cycles;
  }
  EXPECT_GT(stalled, 10u) << "VPU_4_0's weight fetches outrun some layers";
  EXPECT_EQ(parse_latency_mode("device"), LatencyMode::device);
  EXPECT_THROW(parse_latency_mode("fast"), Error);
}

}  // namespace
}  // namespace vpucost
