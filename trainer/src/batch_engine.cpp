#include "batch_engine.hpp"

#include <algorithm>

namespace vpucost::detail {

BatchEngine::BatchEngine(const ParameterLayout& layout, Activation activation,
                         const LossFunction& loss, float output_scale, int threads,
                         Eigen::Index batch_size)
    : layout_(layout),
      activation_(activation),
      loss_(loss),
      output_scale_(output_scale),
      // Large enough that prediction chunks keep the products efficient.
      shard_columns_(std::max<Eigen::Index>((batch_size + threads - 1) / threads, 256)),
      pool_(threads),
      shards_(static_cast<std::size_t>(threads)),
      summed_(layout.size()) {
  for (auto& s : shards_) {
    s.workspace = PassWorkspace(layout, shard_columns_);
    s.x.resize(layout.inputs(0), shard_columns_);
    s.target.resize(shard_columns_);
    s.grad.assign(layout.size(), 0.0f);
  }
  gradient_ = threads == 1 ? &shards_[0].grad : &summed_;
}

double BatchEngine::batch_gradient(std::span<const float> params, const TrainingSet& set,
                                   std::span<const std::size_t> cols) {
  const auto n = cols.size();
  const auto threads = shards_.size();
  const float factor = 1.0f / static_cast<float>(n);
  pool_.run([&](int t) {
    Shard& s = shards_[static_cast<std::size_t>(t)];
    const std::size_t begin = n * static_cast<std::size_t>(t) / threads;
    const std::size_t end = n * static_cast<std::size_t>(t + 1) / threads;
    const auto m = static_cast<Eigen::Index>(end - begin);
    s.loss = 0;
    if (m == 0) {
      std::fill(s.grad.begin(), s.grad.end(), 0.0f);
      return;
    }
    for (Eigen::Index j = 0; j < m; ++j) {
      const auto c = static_cast<Eigen::Index>(cols[begin + static_cast<std::size_t>(j)]);
      s.x.col(j) = set.x.col(c);
      s.target[j] = set.target[c];
    }
    const auto x = s.x.leftCols(m);
    forward_pass(layout_, activation_, params, x, s.workspace);
    const auto y = s.workspace.outputs();
    s.loss = loss_.evaluate({y.data(), static_cast<std::size_t>(m)},
                            {s.target.data(), static_cast<std::size_t>(m)}, output_scale_, factor,
                            {s.workspace.output_gradient.data(), static_cast<std::size_t>(m)});
    backward_pass(layout_, activation_, params, x, s.workspace, s.grad);
  });
  double loss = 0;
  for (const auto& s : shards_) loss += s.loss;
  if (threads > 1) {
    // Fixed summation order: shard 0 + shard 1 + ...
    std::copy(shards_[0].grad.begin(), shards_[0].grad.end(), summed_.begin());
    for (std::size_t t = 1; t < threads; ++t) {
      const float* g = shards_[t].grad.data();
      for (std::size_t i = 0; i < summed_.size(); ++i) summed_[i] += g[i];
    }
  }
  return loss;
}

double BatchEngine::predict(std::span<const float> params, const TrainingSet& set,
                            std::span<float> out) {
  const auto n = static_cast<Eigen::Index>(set.size());
  const Eigen::Index chunks = (n + shard_columns_ - 1) / shard_columns_;
  const auto threads = static_cast<Eigen::Index>(shards_.size());
  pool_.run([&](int t) {
    Shard& s = shards_[static_cast<std::size_t>(t)];
    s.loss = 0;
    // Chunk c goes to shard c % threads: a fixed assignment.
    for (Eigen::Index c = t; c < chunks; c += threads) {
      const Eigen::Index begin = c * shard_columns_;
      const Eigen::Index m = std::min(shard_columns_, n - begin);
      forward_pass(layout_, activation_, params, set.x.middleCols(begin, m), s.workspace);
      const auto y = s.workspace.outputs();
      std::copy(y.data(), y.data() + m, out.begin() + begin);
      s.loss +=
          loss_.evaluate({y.data(), static_cast<std::size_t>(m)},
                         {set.target.data() + begin, static_cast<std::size_t>(m)}, output_scale_,
                         1.0f, {s.workspace.output_gradient.data(), static_cast<std::size_t>(m)});
    }
  });
  double loss = 0;
  for (const auto& s : shards_) loss += s.loss;
  return loss;
}

}  // namespace vpucost::detail
