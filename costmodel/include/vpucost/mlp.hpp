#pragma once
// The MLP runtime: dense layers with one hidden activation and a linear
// output neuron. Immutable once built, so one Mlp may be used from many
// threads at once. forward() uses stack buffers only (no heap allocation).
// The arithmetic runs in the kernels of one CPU path (cpu_kernels.hpp),
// chosen when the MLP is built.
#include <Eigen/Core>
#include <optional>
#include <span>
#include <vector>

#include "vpucost/activation.hpp"
#include "vpucost/cpu_kernels.hpp"

namespace vpucost {

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
  /// throws vpucost::Error naming the layer otherwise. Runs on `path`, by
  /// default the process's (selected_cpu_path(): the widest the CPU has, or
  /// VPUCOST_CPU); throws if this CPU cannot run it.
  Mlp(std::vector<DenseLayer> layers, Activation hidden_activation,
      std::optional<CpuPath> path = std::nullopt);

  Eigen::Index input_size() const;
  std::size_t parameter_count() const;
  const std::vector<DenseLayer>& layers() const { return layers_; }
  Activation activation() const { return activation_; }
  bool empty() const { return layers_.empty(); }
  /// The CPU path forward() and forward_batch() run on (Generic when empty).
  CpuPath cpu_path() const { return kernels_ ? kernels_->path : CpuPath::Generic; }

  /// One input vector of input_size() values -> the network output.
  float forward(std::span<const float> x) const noexcept;

  /// Column j of `x` (input_size() x n) -> y[j].
  void forward_batch(const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::VectorXf> y,
                     MlpWorkspace& workspace) const;

 private:
  std::vector<DenseLayer> layers_;
  Activation activation_ = Activation::ReLU;
  const MathKernels* kernels_ = nullptr;  ///< set by the constructor (never null after it)
};

}  // namespace vpucost
