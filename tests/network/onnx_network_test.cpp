// ONNX import (issue #19 item 2) on the small models of data/onnx/
// (make_samples.py): every mapping rule once, BatchNorm and ReLU/ReLU6 folded,
// the gates fused, shapes through shape arithmetic and layout ops, and one
// clear error for each bad model.
#include "vpucost/onnx_network.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "vpucost/error.hpp"
#include "vpucost/roofline.hpp"

namespace vpucost {
namespace {

std::string sample(const std::string& name) {
  return std::string(VPUCOST_TEST_DATA_DIR) + "/onnx/" + name;
}

std::string onnx_error_of(const std::string& name, const OnnxImportOptions& options = {}) {
  try {
    read_onnx_network(sample(name), options);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// Two imports of the same network: node for node the same layers and steps.
void expect_same_nodes(const ImportedNetwork& a, const ImportedNetwork& b) {
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    EXPECT_EQ(a.nodes[i].layer, b.nodes[i].layer) << a.nodes[i].name;
    EXPECT_EQ(a.nodes[i].shave, b.nodes[i].shave) << a.nodes[i].name;
  }
}

TEST(OnnxImport, TinyNetMapsEveryRuleNodeForNode) {
  const ImportedNetwork net = read_onnx_network(sample("tiny_net.onnx"));
  EXPECT_EQ(net.name, "tiny_net");
  EXPECT_EQ(net.input_width, 32);
  EXPECT_EQ(net.input_channels, 3);
  struct Expected {
    const char* name;
    const char* ops;
    NetworkNode::Engine engine;
  };
  using E = NetworkNode::Engine;
  const std::vector<Expected> expected = {
      {"stem", "Conv+BatchNormalization+Relu", E::Dpu},
      {"dw", "Conv+Clip", E::Dpu},
      {"pw", "Conv", E::Dpu},
      {"add", "Add", E::Dpu},
      {"hs", "HardSigmoid+Mul", E::Shave},
      {"gap[pre-pool]", "GlobalAveragePool", E::Dpu},
      {"gap", "GlobalAveragePool", E::Dpu},
      {"gate", "Sigmoid", E::Shave},
      {"scale", "Mul", E::Shave},
      {"swish_sigmoid", "Sigmoid+Mul", E::Shave},
      {"pool", "MaxPool", E::Dpu},
      {"shuffle_view", "Reshape", E::Layout},
      {"shuffle_transpose", "Transpose", E::Layout},
      {"shuffle_back", "Reshape", E::Layout},
      {"head_pool", "GlobalAveragePool", E::Dpu},
      {"flatten", "Flatten", E::Layout},
      {"classifier", "Gemm", E::Dpu},
  };
  ASSERT_EQ(net.nodes.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(net.nodes[i].name, expected[i].name) << i;
    EXPECT_EQ(net.nodes[i].onnx_ops, expected[i].ops) << i;
    EXPECT_EQ(net.nodes[i].engine, expected[i].engine) << i;
  }
  // The stem: 3x3 stride-2 conv 3 -> 16 on 32x32, BN folded, ReLU fused.
  const ImportedNode& stem = net.nodes[0];
  EXPECT_EQ(stem.layer.kind, LayerKind::Convolution);
  EXPECT_EQ(stem.layer.in_width, 32);
  EXPECT_EQ(stem.layer.out_channels, 16);
  EXPECT_EQ(stem.layer.stride, 2);
  EXPECT_EQ(stem.layer.padding, (Padding{1, 1, 1, 1}));
  EXPECT_EQ(stem.layer.activation, ActivationFunction::RELU);
  EXPECT_EQ(stem.output, (std::vector<std::int64_t>{1, 16, 16, 16}));
  EXPECT_EQ(net.nodes[1].layer.kind, LayerKind::DepthwiseConvolution);
  EXPECT_EQ(net.nodes[1].layer.activation, ActivationFunction::RELU) << "Clip(0, 6) is ReLU6";
  EXPECT_EQ(net.nodes[2].layer.activation, ActivationFunction::NONE);
  EXPECT_EQ(net.nodes[3].layer.kind, LayerKind::EltwiseAdd);
  EXPECT_EQ(net.nodes[4].shave.op, ShaveOp::hswish);
  // 16x16 map: pre-pooled by 2 to 8x8, then the 8x8 average.
  EXPECT_EQ(net.nodes[5].layer.kernel_w, 2);
  EXPECT_EQ(net.nodes[6].layer.kernel_w, 8);
  EXPECT_EQ(net.nodes[7].shave.op, ShaveOp::sigmoid);
  EXPECT_EQ(net.nodes[7].shave.width, 1) << "the SE gate runs on the pooled vector";
  EXPECT_EQ(net.nodes[8].shave.op, ShaveOp::mul);
  EXPECT_EQ(net.nodes[8].shave.width, 16) << "the SE scale runs on the whole map";
  EXPECT_EQ(net.nodes[9].shave.op, ShaveOp::swish);
  EXPECT_EQ(net.nodes[12].output, (std::vector<std::int64_t>{1, 8, 2, 8, 8}));
  EXPECT_EQ(net.nodes[16].layer.kind, LayerKind::FullyConnected);
  EXPECT_EQ(net.nodes[16].layer.in_channels, 16);
  EXPECT_EQ(net.nodes[16].layer.out_channels, 10);
  EXPECT_GT(net.parameters, 1000);
}

TEST(OnnxImport, NodesOnADeviceCostAsTheirWorkloads) {
  const ImportedNetwork net = read_onnx_network(sample("tiny_net.onnx"));
  const std::vector<NetworkNode> nodes = network_nodes(net, Device::VPU_4_0, DType::FLOAT16);
  ASSERT_EQ(nodes.size(), net.nodes.size());
  EXPECT_EQ(nodes[0].layer.operation, Operation::CM_CONVOLUTION) << "3 input channels";
  EXPECT_EQ(nodes[0].layer.input.channels, 3);
  EXPECT_EQ(nodes[0].layer.output.dtype, DType::FLOAT16);
  EXPECT_EQ(nodes[0].layer.activation, ActivationFunction::RELU);
  EXPECT_EQ(nodes[4].shave.device, Device::VPU_4_0);
  EXPECT_EQ(nodes[4].shave.input, (Tensor{16, 16, 16, DType::FLOAT16}));
  // DPU nodes only, roofline, dpu mode: the sum of the layers' one-DPU costs.
  std::vector<NetworkNode> dpu;
  for (const NetworkNode& n : nodes) {
    if (n.engine != NetworkNode::Engine::Shave) dpu.push_back(n);
  }
  const RooflineModel roofline;
  const DmaModel dma(roofline_dma_parts(Device::VPU_4_0));
  const NetworkNodesCost cost =
      cost_network_nodes(dpu, roofline, nullptr, dma, LatencyMode::compute);
  EXPECT_GT(cost.dpu_cycles, 0);
  EXPECT_EQ(cost.shave_cycles, 0);
}

TEST(OnnxImport, InputShapeReplacesADynamicOne) {
  EXPECT_NE(onnx_error_of("dynamic_input.onnx")
                .find("input 'x' has a dynamic dimension 0 ('batch'): give --input-shape NxCxHxW"),
            std::string::npos)
      << onnx_error_of("dynamic_input.onnx");
  OnnxImportOptions o;
  o.input_shape = {1, 3, 64, 48};
  const ImportedNetwork net = read_onnx_network(sample("dynamic_input.onnx"), o);
  EXPECT_EQ(net.input_width, 48);
  EXPECT_EQ(net.input_height, 64);
  // 32x24 after the stem: pre-pooled by 4 (the smallest s bringing both to <= 15).
  EXPECT_EQ(net.nodes[5].name, "gap[pre-pool]");
  EXPECT_EQ(net.nodes[5].layer.kernel_w, 4);
  o.input_shape = {2, 3, 32, 32};
  EXPECT_NE(onnx_error_of("dynamic_input.onnx", o).find("batch 2: vpucost costs batch 1"),
            std::string::npos);
  o.input_shape = {1, 3, 32};
  EXPECT_NE(onnx_error_of("dynamic_input.onnx", o).find("N x C x H x W"), std::string::npos);
}

TEST(OnnxImport, BadModelsAreOneClearError) {
  EXPECT_NE(onnx_error_of("truncated.onnx").find("truncated.onnx: not an ONNX model"),
            std::string::npos);
  EXPECT_NE(onnx_error_of("unknown_op.onnx").find("node 'hs' (Sin): operator 'Sin' has no mapping"),
            std::string::npos);
  EXPECT_NE(onnx_error_of("cycle.onnx")
                .find("node 'dw' (Conv) reads 'c2', which no earlier node "
                      "produces: the graph has a cycle"),
            std::string::npos);
  EXPECT_NE(onnx_error_of("grouped_conv.onnx").find("grouped convolution (group 4, not depthwise)"),
            std::string::npos);
  EXPECT_NE(onnx_error_of("conv_weight_2d.onnx")
                .find("node 'pw' (Conv): its weight 'w_fc' has 2 dimensions: expected M x "
                      "C/group x kH x kW"),
            std::string::npos)
      << onnx_error_of("conv_weight_2d.onnx");
  EXPECT_NE(onnx_error_of("missing.onnx").find("cannot open"), std::string::npos);
  EXPECT_NE(onnx_error_of("make_samples.py").find("not an ONNX model"), std::string::npos);
}

TEST(OnnxImport, UnknownOpsCanBeCostedAsGenericShave) {
  OnnxImportOptions o;
  o.unknown_ops_as_shave = true;
  const ImportedNetwork net = read_onnx_network(sample("unknown_op.onnx"), o);
  int generic = 0;
  for (const ImportedNode& n : net.nodes) {
    if (!n.generic) continue;
    ++generic;
    EXPECT_EQ(n.name, "hs");
    EXPECT_EQ(n.onnx_ops, "Sin");
    EXPECT_EQ(n.engine, NetworkNode::Engine::Shave);
    EXPECT_EQ(n.shave.width, 16);
  }
  EXPECT_EQ(generic, 1);
}

TEST(OnnxImport, BytesAndFileReadTheSame) {
  std::ifstream in(sample("tiny_net.onnx"), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const ImportedNetwork a = parse_onnx_network(bytes.str(), "memory");
  const ImportedNetwork b = read_onnx_network(sample("tiny_net.onnx"));
  expect_same_nodes(a, b);
}

// kernel_shape is optional in ONNX's Conv: the importer takes it from the
// weight, so the model reads as the one that gives it.
TEST(OnnxImport, ConvKernelShapeFromTheWeight) {
  const ImportedNetwork a = read_onnx_network(sample("no_kernel_shape.onnx"));
  expect_same_nodes(a, read_onnx_network(sample("tiny_net.onnx")));
  std::map<std::string, std::int64_t> kernels;
  for (const ImportedNode& n : a.nodes) kernels[n.name] = n.layer.kernel_h;
  EXPECT_EQ(kernels["stem"], 3);
  EXPECT_EQ(kernels["dw"], 3);
  EXPECT_EQ(kernels["pw"], 1);
}

}  // namespace
}  // namespace vpucost
