#include "vpucost/mlp.hpp"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <string>

#include "vpucost/error.hpp"

namespace vpucost {

std::string_view to_string(Activation a) {
  switch (a) {
    case Activation::ReLU:
      return "relu";
    case Activation::SiLU:
      return "silu";
    case Activation::Tanh:
      return "tanh";
    case Activation::GELU:
      return "gelu";
  }
  return "<invalid>";
}

Activation parse_activation(std::string_view name) {
  for (auto a : {Activation::ReLU, Activation::SiLU, Activation::Tanh, Activation::GELU}) {
    if (to_string(a) == name) return a;
  }
  throw Error("unknown activation '" + std::string(name) + "' (expected relu, silu, tanh or gelu)");
}

std::string_view to_string(WeightPrecision p) {
  return p == WeightPrecision::Bf16 ? "bf16" : "fp32";
}

WeightPrecision parse_weight_precision(std::string_view name) {
  if (name == "fp32") return WeightPrecision::Fp32;
  if (name == "bf16") return WeightPrecision::Bf16;
  throw Error("unknown weight precision '" + std::string(name) + "' (expected fp32 or bf16)");
}

WeightPrecision selected_weight_precision() {
  const char* chosen = std::getenv("VPUCOST_WEIGHTS");
  if (chosen == nullptr || *chosen == '\0') return WeightPrecision::Fp32;
  try {
    return parse_weight_precision(chosen);
  } catch (const Error& e) {
    throw Error("VPUCOST_WEIGHTS: " + std::string(e.what()));
  }
}

namespace {

// Round to nearest even, as the hardware's conversions do. Weights are
// finite (checked); one beyond bfloat16's range would round to infinity.
std::uint16_t to_bf16(float f) {
  const auto bits = std::bit_cast<std::uint32_t>(f);
  return static_cast<std::uint16_t>((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

float from_bf16(std::uint16_t h) {
  return std::bit_cast<float>(std::uint32_t{h} << 16);
}

// The layout of MathKernels::dense_single_bf16: pairs of columns, row by row.
std::vector<std::uint32_t> packed_bf16_weights(const Eigen::MatrixXf& w) {
  const Eigen::Index pairs = (w.cols() + 1) / 2;
  std::vector<std::uint32_t> packed(static_cast<std::size_t>(pairs * w.rows()));
  for (Eigen::Index p = 0; p < pairs; ++p) {
    for (Eigen::Index i = 0; i < w.rows(); ++i) {
      const std::uint32_t low = to_bf16(w(i, 2 * p));
      const std::uint32_t high = 2 * p + 1 < w.cols() ? to_bf16(w(i, 2 * p + 1)) : 0u;
      packed[static_cast<std::size_t>(p * w.rows() + i)] = low | (high << 16);
    }
  }
  return packed;
}

}  // namespace

Mlp::Mlp(std::vector<DenseLayer> layers, Activation hidden_activation, std::optional<CpuPath> path,
         WeightPrecision precision)
    : layers_(std::move(layers)),
      activation_(hidden_activation),
      kernels_(path ? &math_kernels(*path) : &math_kernels()),
      precision_(precision) {
  if (layers_.empty()) throw Error("MLP has no layers");
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const auto& layer = layers_[l];
    const std::string where = "layer " + std::to_string(l);
    if (layer.weights.rows() < 1 || layer.weights.cols() < 1)
      throw Error(where + " has no weights");
    if (layer.weights.rows() > kMaxWidth || layer.weights.cols() > kMaxWidth) {
      throw Error(where + " is " + std::to_string(layer.weights.rows()) + "x" +
                  std::to_string(layer.weights.cols()) + ", wider than the supported " +
                  std::to_string(kMaxWidth));
    }
    if (layer.bias.size() != layer.weights.rows()) {
      throw Error(where + " has " + std::to_string(layer.bias.size()) + " biases for " +
                  std::to_string(layer.weights.rows()) + " outputs");
    }
    if (l > 0 && layer.weights.cols() != layers_[l - 1].weights.rows()) {
      throw Error(where + " takes " + std::to_string(layer.weights.cols()) +
                  " inputs but the previous layer gives " +
                  std::to_string(layers_[l - 1].weights.rows()));
    }
    if (!layer.weights.allFinite() || !layer.bias.allFinite()) {
      throw Error(where + " holds non-finite numbers (NaN or infinity)");
    }
  }
  if (layers_.back().weights.rows() != 1) {
    throw Error("the last layer has " + std::to_string(layers_.back().weights.rows()) +
                " outputs; a cost model predicts one number");
  }
  if (precision_ == WeightPrecision::Bf16) {
    packed_.resize(layers_.size());
    for (std::size_t l = 1; l + 1 < layers_.size(); ++l) {  // the hidden-to-hidden layers
      Eigen::MatrixXf& w = layers_[l].weights;
      w = w.unaryExpr([](float v) { return from_bf16(to_bf16(v)); });
      if (!w.allFinite()) {
        throw Error("layer " + std::to_string(l) + " has weights beyond bfloat16's range");
      }
      if (kernels_->dense_single_bf16) packed_[l] = packed_bf16_weights(w);
    }
  }
}

Eigen::Index Mlp::input_size() const {
  return layers_.empty() ? 0 : layers_.front().weights.cols();
}

std::size_t Mlp::parameter_count() const {
  std::size_t n = 0;
  for (const auto& l : layers_) n += static_cast<std::size_t>(l.weights.size() + l.bias.size());
  return n;
}

float Mlp::forward(std::span<const float> x) const noexcept {
  alignas(64) float buffer_a[kMaxWidth];
  alignas(64) float buffer_b[kMaxWidth];
  const float* in = x.data();
  float* out = buffer_a;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const auto& layer = layers_[l];
    // The first layer reads the raw features, most of them zero.
    const Eigen::Index rows = layer.weights.rows();
    if (!packed_.empty() && !packed_[l].empty()) {
      // Its inputs are bfloat16 values (rounded below): the dot products
      // where the CPU has them, else the packed weights widened to floats.
      const auto dense = kernels_->dense_single_bf16_dot ? kernels_->dense_single_bf16_dot
                                                         : kernels_->dense_single_bf16;
      dense(packed_[l].data(), layer.weights.data(), rows, layer.weights.cols(), layer.bias.data(),
            in, out);
    } else {
      kernels_->dense_single(layer.weights.data(), rows, layer.weights.cols(), layer.bias.data(),
                             in, out, /*sparse_input=*/l == 0);
    }
    if (l + 1 < layers_.size()) kernels_->activate(activation_, out, rows, 1, rows);
    if (rounds_inputs_of(l + 1)) kernels_->round_to_bf16(out, rows, 1, rows);
    in = out;
    out = (out == buffer_a) ? buffer_b : buffer_a;
  }
  return in[0];
}

void Mlp::forward_batch(const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::VectorXf> y,
                        MlpWorkspace& ws) const {
  const Eigen::Index n = x.cols();
  if (x.rows() != input_size() || y.size() != n) {
    throw Error("forward_batch: got " + std::to_string(x.rows()) + " inputs for an MLP of " +
                std::to_string(input_size()) + " and " + std::to_string(y.size()) +
                " outputs for " + std::to_string(n) + " columns");
  }
  // Both buffers hold the widest layer, so a reused workspace never reallocates.
  Eigen::Index widest = 0;
  for (const auto& layer : layers_) widest = std::max(widest, layer.weights.rows());
  for (auto* m : {&ws.a, &ws.b}) {
    if (m->rows() < widest || m->cols() < n) {
      m->resize(std::max(widest, m->rows()), std::max(n, m->cols()));
    }
  }
  Eigen::MatrixXf* cur = &ws.a;
  Eigen::MatrixXf* next = &ws.b;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const auto& layer = layers_[l];
    const float* in = (l == 0) ? x.data() : cur->data();
    const Eigen::Index in_stride = (l == 0) ? x.outerStride() : cur->rows();
    const Eigen::Index rows = layer.weights.rows();
    const Eigen::Index cols = layer.weights.cols();
    if (batches_by_dot_products(l)) {
      // Packing rounds its inputs to bfloat16 (not rounded below for it).
      const Eigen::Index pairs = (cols + 1) / 2;
      ws.pairs.resize(static_cast<std::size_t>(pairs * n));
      kernels_->pack_bf16_pairs(in, cols, in_stride, n, ws.pairs.data(), pairs);
      kernels_->dense_batch_bf16(packed_[l].data(), rows, pairs, layer.bias.data(), ws.pairs.data(),
                                 pairs, next->data(), next->rows(), n);
    } else {
      // The first layer reads the raw features: a batch from one layer's
      // pieces leaves ~40 % of them zero in every column.
      kernels_->dense_batch(layer.weights.data(), rows, cols, layer.bias.data(), in, in_stride,
                            next->data(), next->rows(), n, /*sparse_input=*/l == 0);
    }
    if (l + 1 < layers_.size()) {
      kernels_->activate(activation_, next->data(), rows, n, next->rows());
    }
    if (rounds_inputs_of(l + 1) && !batches_by_dot_products(l + 1)) {
      kernels_->round_to_bf16(next->data(), rows, n, next->rows());
    }
    std::swap(cur, next);
  }
  y = cur->block(0, 0, 1, n).transpose();
}

}  // namespace vpucost
