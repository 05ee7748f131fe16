#pragma once
// The MLP runtime: dense layers with one hidden activation and a linear
// output neuron. Immutable once built, so one Mlp may be used from many
// threads at once. forward() uses stack buffers only (no heap allocation).
// The arithmetic runs in the kernels of one CPU path (cpu_kernels.hpp),
// chosen when the MLP is built.
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "vpucost/activation.hpp"
#include "vpucost/cpu_kernels.hpp"

namespace vpucost {

/// How an MLP computes its hidden layers (those between two hidden
/// activations; the first layer, which reads the raw features, and the
/// output layer stay float32). Fp32: as trained. Bf16: their weights and
/// their inputs (the previous layer's activations) rounded to bfloat16 (8
/// significant bits), products and sums in float32. Where the CPU has the
/// kernels, a single query reads half the bytes of weights
/// (dense_single_bf16) and a batch runs bfloat16 dot products, twice the
/// multiply-adds per instruction (dense_batch_bf16); elsewhere the same
/// rounded values run as floats. One-at-a-time and batched predictions use
/// the same rounded values and agree to float rounding.
enum class WeightPrecision : unsigned char { Fp32, Bf16 };
std::string_view to_string(WeightPrecision p);  ///< "fp32", "bf16"
WeightPrecision parse_weight_precision(std::string_view name);
/// The environment variable VPUCOST_WEIGHTS (fp32 or bf16), fp32 if unset;
/// throws vpucost::Error on another value.
WeightPrecision selected_weight_precision();

/// y = weights * x + bias; weights has one row per output neuron.
struct DenseLayer {
  Eigen::MatrixXf weights;
  Eigen::VectorXf bias;
};

/// Scratch space of forward_batch; reuse it across calls to avoid allocating.
struct MlpWorkspace {
  Eigen::MatrixXf a;
  Eigen::MatrixXf b;
  std::vector<std::uint32_t> pairs;  ///< a bf16 layer's inputs (dense_batch_bf16)
};

class Mlp {
 public:
  /// Widest layer forward() can run without allocating.
  static constexpr Eigen::Index kMaxWidth = 1024;

  Mlp() = default;
  /// Checks that the layers chain (each input size = previous output size),
  /// end in one output, are at most kMaxWidth wide and hold finite numbers;
  /// throws vpucost::Error naming the layer otherwise. Runs on `path`, by
  /// default the process's (selected_cpu_path(): the widest the CPU has, or
  /// VPUCOST_CPU); throws if this CPU cannot run it.
  Mlp(std::vector<DenseLayer> layers, Activation hidden_activation,
      std::optional<CpuPath> path = std::nullopt,
      WeightPrecision precision = WeightPrecision::Fp32);

  Eigen::Index input_size() const;
  std::size_t parameter_count() const;
  const std::vector<DenseLayer>& layers() const { return layers_; }
  Activation activation() const { return activation_; }
  bool empty() const { return layers_.empty(); }
  /// The CPU path forward() and forward_batch() run on (Generic when empty).
  CpuPath cpu_path() const { return kernels_ ? kernels_->path : CpuPath::Generic; }
  WeightPrecision weight_precision() const { return precision_; }

  /// One input vector of input_size() values -> the network output.
  float forward(std::span<const float> x) const noexcept;

  /// Column j of `x` (input_size() x n) -> y[j].
  void forward_batch(const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::VectorXf> y,
                     MlpWorkspace& workspace) const;

 private:
  /// Whether layer l is a hidden-to-hidden layer of a bf16 MLP, whose inputs
  /// are rounded to bfloat16.
  bool rounds_inputs_of(std::size_t l) const {
    return precision_ == WeightPrecision::Bf16 && l >= 1 && l + 1 < layers_.size();
  }

  /// Whether forward_batch runs layer l by bfloat16 dot products (packing
  /// its inputs, which rounds them).
  bool batches_by_dot_products(std::size_t l) const {
    return kernels_->dense_batch_bf16 && l < packed_.size() && !packed_[l].empty();
  }

  std::vector<DenseLayer> layers_;
  Activation activation_ = Activation::ReLU;
  const MathKernels* kernels_ = nullptr;  ///< set by the constructor (never null after it)
  WeightPrecision precision_ = WeightPrecision::Fp32;
  /// Per layer, the bfloat16 pairs dense_single_bf16 reads; empty for a
  /// layer kept in float32 or a path without that kernel.
  std::vector<std::vector<std::uint32_t>> packed_;
};

}  // namespace vpucost
