// Writes the seed corpus of the model_file fuzz target: small valid model
// files (every device and activation, a few network shapes) and a truncated
// one. Built on demand only:
//   cmake --build <build> --target make_model_corpus
//   <build>/tests/fuzz/make_model_corpus tests/fuzz/corpus/model_file
// Small networks keep the files small, which keeps fuzzing fast.
#include <cstdio>
#include <filesystem>
#include <string>

#include "../support/test_workloads.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/shave_model_file.hpp"

int main(int argc, char** argv) {
  using namespace vpucost;
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_model_corpus <output directory>\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);

  ModelParts relu = test::random_model(Device::VPU_2_7, {4}, 1);
  save_model(relu, dir / "relu_4_vpu_2_7.h5");

  ModelParts silu = test::random_model(Device::VPU_2_0, {8, 4}, 2);
  silu.mlp = Mlp(silu.mlp.layers(), Activation::SiLU);
  save_model(silu, dir / "silu_8_4_vpu_2_0.h5");

  ModelParts tanh = test::random_model(Device::VPU_4_0, {2, 2, 2}, 3);
  tanh.mlp = Mlp(tanh.mlp.layers(), Activation::Tanh);
  tanh.training.metrics.clear();
  tanh.training.notes.clear();
  save_model(tanh, dir / "tanh_2_2_2_vpu_4_0_no_notes.h5");

  ModelParts gelu = test::random_model(Device::VPU_2_7, {3}, 4);
  gelu.mlp = Mlp(gelu.mlp.layers(), Activation::GELU);
  gelu.training.notes["epochs"] = "200";
  gelu.training.notes["lr"] = "0.001";
  gelu.training.metrics["val_within_10"] = 0.5;
  save_model(gelu, dir / "gelu_3_vpu_2_7_notes.h5");

  // NPU_5_0, and a model of feature encoding 2 (42 inputs: before the
  // compiler's fields), which still loads.
  save_model(test::random_model(Device::NPU_5_0, {5}, 5), dir / "relu_5_npu_5_0.h5");
  ModelParts old = test::random_model(Device::VPU_4_0, {6}, 6);
  const auto n = static_cast<Eigen::Index>(feature_count(2));
  std::vector<DenseLayer> layers = old.mlp.layers();
  layers.front().weights = layers.front().weights.leftCols(n).eval();
  old.mlp = Mlp(std::move(layers), Activation::SiLU);
  old.feature_version = 2;
  old.feature_mean = old.feature_mean.head(n).eval();
  old.feature_std = old.feature_std.head(n).eval();
  save_model(old, dir / "silu_6_vpu_4_0_encoding2.h5");

  // A SHAVE model (issue #15): one formula of each basis.
  ShaveModelParts shave;
  shave.device = Device::VPU_4_0;
  shave.groups.push_back(
      {{ShaveOp::hswish, DType::FLOAT16, 0}, {32, 4}, {900, 1.5, -40, 9, 0.75}, 60, 0.01});
  shave.groups.push_back(
      {{ShaveOp::softmax, DType::FLOAT16, 1}, {16, 1}, std::vector<double>(24, 2.0), 40, 0.03});
  shave.groups.push_back(
      {{ShaveOp::mvn, DType::FLOAT16, 2}, {8, 8}, {500, 3, 20, 4, 1, 2}, 50, 0.02});
  shave.groups.push_back(
      {{ShaveOp::interpolate, DType::UINT8, 2}, {16, 1}, {3e4, 4e3, 10, 70, 5, 3, 2, 1}, 50, 0.0});
  shave.training.dataset = "shave/vpu_4_0_train.csv";
  save_shave_model(shave, dir / "shave_vpu_4_0.h5");

  // DMA models (issue #15): a fitted curve for one direction, and the roofline.
  DmaModelParts dma;
  dma.device = Device::NPU_5_0;
  dma.curves[0] = DmaCurve{{1024, 1448, 2048, 4096, 65536}, {520, 530, 560, 610, 1500}, 100, 0.002};
  dma.training.dataset = "dma/npu_5_0_train.csv";
  save_dma_model(dma, dir / "dma_npu_5_0.h5");
  save_dma_model(roofline_dma_parts(Device::VPU_2_0), dir / "dma_vpu_2_0_roofline.h5");

  // Damaged: cut in half, as after an interrupted copy.
  const auto cut = dir / "relu_4_vpu_2_7_cut.h5";
  std::filesystem::copy_file(dir / "relu_4_vpu_2_7.h5", cut,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::resize_file(cut, std::filesystem::file_size(cut) / 2);
  std::printf("wrote the model_file seed corpus to %s\n", dir.c_str());
  return 0;
}
