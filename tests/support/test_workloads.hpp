#pragma once
// Workloads and tiny models shared by the test suites.
#include <Eigen/Core>
#include <cctype>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "vpucost/cost_model.hpp"
#include "vpucost/dma_model.hpp"
#include "vpucost/workload.hpp"

namespace vpucost::test {

/// A valid 3x3 'same' convolution 56x56x64 -> 56x56x64 on VPU_2_7.
inline Workload conv3x3(Device device = Device::VPU_2_7, std::int64_t channels = 64) {
  Workload w;
  w.device = device;
  w.operation = Operation::CONVOLUTION;
  w.input = {56, 56, channels, DType::UINT8};
  w.output = {56, 56, channels, DType::UINT8};
  w.kernel_w = w.kernel_h = 3;
  w.padding = {1, 1, 1, 1};
  w.mode = device == Device::VPU_2_0 ? ExecutionMode::MATRIX : ExecutionMode::CUBOID_16x16;
  return w;
}

/// The device as the data and model files spell it: "vpu_4_0", "npu_5_0".
inline std::string device_stem(Device d) {
  std::string s(to_string(d));
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// A DMA model of 1 cycle per byte both ways: DMA terms read as bytes.
inline DmaModel bytes_as_cycles_dma(Device device) {
  DmaModelParts p;
  p.device = device;
  for (DmaCurve& c : p.curves) {
    c.knot_bytes = {1.0, 1e9};
    c.knot_cycles = {1.0, 1e9};
  }
  return DmaModel(std::move(p));
}

/// The cells of one line of a simple CSV (no quoting), in order.
inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ss(line);
  for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
  return cells;
}

/// The workload of a v1 recording row's first 19 cells (device ..
/// execution_mode, in the teacher files' order); the compiler's fields at
/// their defaults.
inline Workload workload_from_v1_cells(const std::vector<std::string>& c) {
  const auto num = [&](std::size_t i) { return std::stoll(c.at(i)); };
  Workload w;
  w.device = parse<Device>(c.at(0));
  w.operation = parse<Operation>(c.at(1));
  w.input = {num(2), num(3), num(4), parse<DType>(c.at(16))};
  w.output = {num(5), num(6), num(7), parse<DType>(c.at(17))};
  w.kernel_w = num(8);
  w.kernel_h = num(9);
  w.stride_w = num(10);
  w.stride_h = num(11);
  w.padding = {num(12), num(13), num(14), num(15)};
  w.mode = parse<ExecutionMode>(c.at(18));
  return w;
}

/// A small random model (kFeatureCount -> hidden... -> 1) with plausible normalisation.
inline ModelParts random_model(Device device, std::vector<int> hidden = {16, 8},
                               unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.3f);
  std::vector<DenseLayer> layers;
  int in = static_cast<int>(kFeatureCount);
  hidden.push_back(1);
  for (int out : hidden) {
    DenseLayer l{Eigen::MatrixXf(out, in), Eigen::VectorXf(out)};
    for (Eigen::Index i = 0; i < l.weights.size(); ++i) l.weights.data()[i] = normal(rng);
    for (Eigen::Index i = 0; i < l.bias.size(); ++i) l.bias[i] = normal(rng);
    layers.push_back(std::move(l));
    in = out;
  }
  ModelParts p;
  p.device = device;
  p.mlp = Mlp(std::move(layers), Activation::ReLU);
  // Centred on a typical workload, so that predictions stay far from the
  // clamping bounds whatever the features are.
  const FeatureVector typical = encode_features(conv3x3(device));
  p.feature_mean = Eigen::Map<const Eigen::VectorXf>(typical.data(), kFeatureCount);
  p.feature_std = p.feature_mean.cwiseAbs().array() + 3.0f;
  p.output_offset = 9.0f;
  p.output_scale = 1.5f;
  p.training.dataset = "synthetic";
  p.training.rows = 123;
  p.training.command = "test";
  p.training.created = "2026-11-21T00:00:00Z";
  p.training.train_seconds = 1.25;
  p.training.metrics["val_mape"] = 0.031;
  p.training.notes["hidden"] = "16,8";
  return p;
}

/// A fresh empty directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("vpucost-test-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace vpucost::test
