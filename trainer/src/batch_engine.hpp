#pragma once
// The inner loop of training: gradient of the loss over one mini-batch and
// network outputs over a whole set, each split into one column shard per
// thread. Every buffer is allocated once, in the constructor.
#include <Eigen/Core>
#include <memory>
#include <span>
#include <vector>

#include "shard_pool.hpp"
#include "vpucost/loss.hpp"
#include "vpucost/trainable_mlp.hpp"
#include "vpucost/training_data.hpp"

namespace vpucost::detail {

class BatchEngine {
 public:
  BatchEngine(const ParameterLayout& layout, Activation activation, const LossFunction& loss,
              float output_scale, int threads, Eigen::Index batch_size);

  /// Gradient of the mean loss over columns `cols` of `set` (its size is the
  /// divisor of the mean); returns the summed per-sample loss.
  double batch_gradient(std::span<const float> params, const TrainingSet& set,
                        std::span<const std::size_t> cols);
  /// The gradient of the last batch_gradient call.
  std::span<float> gradient() { return {gradient_->data(), gradient_->size()}; }

  /// Network outputs (standardised log-cycles) for every column of `set.x`
  /// into `out`; returns the summed loss against set.target.
  double predict(std::span<const float> params, const TrainingSet& set, std::span<float> out);

 private:
  struct Shard {
    PassWorkspace workspace;
    Eigen::MatrixXf x;
    Eigen::RowVectorXf target;
    ParameterVector grad;
    double loss = 0;
  };

  const ParameterLayout& layout_;
  Activation activation_;
  LossFunction loss_;
  float output_scale_;
  Eigen::Index shard_columns_;
  ShardPool pool_;
  std::vector<Shard> shards_;
  ParameterVector summed_;  ///< sum of the shards' gradients (threads > 1)
  ParameterVector* gradient_ = nullptr;
};

}  // namespace vpucost::detail
