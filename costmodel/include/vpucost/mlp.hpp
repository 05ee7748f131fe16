#pragma once
// The MLP runtime: dense layers with one hidden activation and a linear
// output neuron. Immutable once built, so one Mlp may be used from many
// threads at once. forward() uses stack buffers only (no heap allocation).
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace vpucost {

enum class Activation : std::uint8_t { ReLU, SiLU, Tanh, GELU };
std::string_view to_string(Activation a);
Activation parse_activation(std::string_view name);  ///< "relu", "silu", "tanh", "gelu"

/// y = weights * x + bias; weights has one row per output neuron.
struct DenseLayer {
  Eigen::MatrixXf weights;
  Eigen::VectorXf bias;
};

/// Scratch space of forward_batch; reuse it across calls to avoid allocating.
struct MlpWorkspace {
  Eigen::MatrixXf a;
  Eigen::MatrixXf b;
};

class Mlp {
 public:
  /// Widest layer forward() can run without allocating.
  static constexpr Eigen::Index kMaxWidth = 1024;

  Mlp() = default;
  /// Checks that the layers chain (each input size = previous output size),
  /// end in one output, are at most kMaxWidth wide and hold finite numbers;
  /// throws vpucost::Error naming the layer otherwise.
  Mlp(std::vector<DenseLayer> layers, Activation hidden_activation);

  Eigen::Index input_size() const;
  std::size_t parameter_count() const;
  const std::vector<DenseLayer>& layers() const { return layers_; }
  Activation activation() const { return activation_; }
  bool empty() const { return layers_.empty(); }

  /// One input vector of input_size() values -> the network output.
  float forward(std::span<const float> x) const noexcept;

  /// Column j of `x` (input_size() x n) -> y[j].
  void forward_batch(const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::VectorXf> y,
                     MlpWorkspace& workspace) const;

  /// Applies the hidden activation in place (shared with the trainer).
  static void activate(Activation a, Eigen::Ref<Eigen::ArrayXXf> values);

 private:
  std::vector<DenseLayer> layers_;
  Activation activation_ = Activation::ReLU;
};

}  // namespace vpucost
