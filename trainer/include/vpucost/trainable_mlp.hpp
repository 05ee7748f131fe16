#pragma once
// The costmodel MLP in trainable form: every weight and bias in one
// contiguous float buffer (so the optimiser updates all of them in one fused
// loop and checkpoints store one array), with a batched forward pass that
// keeps what the backward pass needs and the backward pass itself.
//
// Batches are feature-major: column j of an input matrix is one sample, so
// each layer is one matrix-matrix product over the whole (sub-)batch.
#include <Eigen/Core>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "vpucost/mlp.hpp"

namespace vpucost {

/// A flat parameter (or gradient) buffer. 64-byte aligned, like every layer
/// inside it: Eigen's vectorised kernels peel differently depending on
/// alignment, and a run must not depend on where malloc put its buffers.
using ParameterVector = std::vector<float, Eigen::aligned_allocator<float>>;

/// Where each layer's weights (outputs x inputs, column-major) and bias sit
/// in a flat parameter buffer. Layers are stored one after another, weights
/// before bias, each block starting on a 64-byte boundary (the gaps stay 0).
class ParameterLayout {
 public:
  ParameterLayout() = default;
  /// `widths`: input size, hidden widths..., 1 (at least two entries, all >= 1).
  explicit ParameterLayout(std::vector<Eigen::Index> widths);

  /// The layout of an existing network.
  static ParameterLayout of(const Mlp& mlp);

  const std::vector<Eigen::Index>& widths() const { return widths_; }
  std::size_t layer_count() const { return widths_.size() - 1; }
  std::size_t size() const { return size_; }  ///< buffer length, alignment gaps included
  std::size_t parameter_count() const;        ///< weights and biases only
  Eigen::Index inputs(std::size_t layer) const { return widths_[layer]; }
  Eigen::Index outputs(std::size_t layer) const { return widths_[layer + 1]; }
  Eigen::Index widest() const;
  /// Where layer `layer`'s weights start; layers 0..l-1 are the buffer before it.
  std::size_t offset(std::size_t layer) const { return offsets_[layer]; }

  Eigen::Map<Eigen::MatrixXf> weights(std::span<float> params, std::size_t layer) const;
  Eigen::Map<const Eigen::MatrixXf> weights(std::span<const float> params, std::size_t layer) const;
  Eigen::Map<Eigen::VectorXf> bias(std::span<float> params, std::size_t layer) const;
  Eigen::Map<const Eigen::VectorXf> bias(std::span<const float> params, std::size_t layer) const;

  /// 1 for every weight, 0 for every bias and gap: where weight decay applies.
  std::vector<float> weight_mask() const;

  /// "34,128,128,64,1"
  std::string describe() const;

 private:
  std::vector<Eigen::Index> widths_;
  std::vector<std::size_t> offsets_;       ///< start of each layer's weights
  std::vector<std::size_t> bias_offsets_;  ///< start of each layer's bias
  std::size_t size_ = 0;
};

/// Fills `params` with a fresh initialisation: He (Kaiming) uniform for
/// rectifier-like activations, Glorot uniform for tanh; biases zero.
void initialise_parameters(const ParameterLayout& layout, Activation activation,
                           std::span<float> params, std::mt19937_64& rng);

/// Copies a network into a flat buffer of its layout, and back.
ParameterVector flatten(const Mlp& mlp);
Mlp unflatten(const ParameterLayout& layout, Activation activation, std::span<const float> params);

/// Buffers of one forward/backward pass over up to `max_columns` samples,
/// allocated once; a pass over fewer columns uses their left part, so the
/// training loop never allocates.
struct PassWorkspace {
  PassWorkspace() = default;
  PassWorkspace(const ParameterLayout& layout, Eigen::Index max_columns);

  Eigen::Index max_columns = 0;
  Eigen::Index columns = 0;            ///< columns of the last forward pass
  std::vector<Eigen::MatrixXf> pre;    ///< per layer: W a + b (the last is the output)
  std::vector<Eigen::MatrixXf> post;   ///< per hidden layer: activation(pre)
  Eigen::MatrixXf delta_a, delta_b;    ///< gradients w.r.t. pre-activations
  Eigen::RowVectorXf output_gradient;  ///< dLoss/dOutput, written by the caller

  /// The network outputs of the last forward pass (1 x columns).
  Eigen::Map<const Eigen::RowVectorXf> outputs() const { return {pre.back().data(), columns}; }
};

/// Runs the network on the columns of `x` (inputs x n, n <= max_columns) and
/// keeps every intermediate in `ws`. The products and the hidden activation
/// are the kernels CostModel runs (math_kernels(), cpu_kernels.hpp), so
/// training sees exactly the function CostModel evaluates.
void forward_pass(const ParameterLayout& layout, Activation activation,
                  std::span<const float> params, const Eigen::Ref<const Eigen::MatrixXf>& x,
                  PassWorkspace& ws);

/// Back-propagates ws.output_gradient (first ws.columns entries) through the
/// last forward pass (same `x`)
/// and writes dLoss/dParameter into `grad` (overwritten, layout of `params`).
void backward_pass(const ParameterLayout& layout, Activation activation,
                   std::span<const float> params, const Eigen::Ref<const Eigen::MatrixXf>& x,
                   PassWorkspace& ws, std::span<float> grad);

}  // namespace vpucost
