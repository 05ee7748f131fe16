#include "vpucost/trainable_mlp.hpp"

#include <algorithm>
#include <cmath>

#include "random.hpp"
#include "vpucost/cpu_kernels.hpp"
#include "vpucost/error.hpp"

namespace vpucost {

ParameterLayout::ParameterLayout(std::vector<Eigen::Index> widths) : widths_(std::move(widths)) {
  if (widths_.size() < 2) throw Error("a network needs at least an input and an output width");
  for (const auto w : widths_) {
    if (w < 1 || w > Mlp::kMaxWidth) {
      throw Error("layer width " + std::to_string(w) + " is outside 1.." +
                  std::to_string(Mlp::kMaxWidth));
    }
  }
  if (widths_.back() != 1) throw Error("a cost-model network ends in one output");
  constexpr std::size_t kAlign = 64 / sizeof(float);
  const auto aligned = [](std::size_t n) { return (n + kAlign - 1) / kAlign * kAlign; };
  for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
    offsets_.push_back(size_);
    size_ = aligned(size_ + static_cast<std::size_t>(widths_[l] * widths_[l + 1]));
    bias_offsets_.push_back(size_);
    size_ = aligned(size_ + static_cast<std::size_t>(widths_[l + 1]));
  }
}

std::size_t ParameterLayout::parameter_count() const {
  std::size_t n = 0;
  for (std::size_t l = 0; l < layer_count(); ++l) {
    n += static_cast<std::size_t>(inputs(l) * outputs(l) + outputs(l));
  }
  return n;
}

ParameterLayout ParameterLayout::of(const Mlp& mlp) {
  std::vector<Eigen::Index> widths{mlp.input_size()};
  for (const auto& layer : mlp.layers()) widths.push_back(layer.weights.rows());
  return ParameterLayout(std::move(widths));
}

Eigen::Index ParameterLayout::widest() const {
  return *std::max_element(widths_.begin(), widths_.end());
}

Eigen::Map<Eigen::MatrixXf> ParameterLayout::weights(std::span<float> p, std::size_t l) const {
  return {p.data() + offsets_[l], outputs(l), inputs(l)};
}
Eigen::Map<const Eigen::MatrixXf> ParameterLayout::weights(std::span<const float> p,
                                                           std::size_t l) const {
  return {p.data() + offsets_[l], outputs(l), inputs(l)};
}
Eigen::Map<Eigen::VectorXf> ParameterLayout::bias(std::span<float> p, std::size_t l) const {
  return {p.data() + bias_offsets_[l], outputs(l)};
}
Eigen::Map<const Eigen::VectorXf> ParameterLayout::bias(std::span<const float> p,
                                                        std::size_t l) const {
  return {p.data() + bias_offsets_[l], outputs(l)};
}

std::vector<float> ParameterLayout::weight_mask() const {
  std::vector<float> mask(size_, 0.0f);
  for (std::size_t l = 0; l < layer_count(); ++l) {
    std::fill_n(mask.begin() + static_cast<std::ptrdiff_t>(offsets_[l]), inputs(l) * outputs(l),
                1.0f);
  }
  return mask;
}

std::string ParameterLayout::describe() const {
  std::string s;
  for (const auto w : widths_) s += (s.empty() ? "" : ",") + std::to_string(w);
  return s;
}

void initialise_parameters(const ParameterLayout& layout, Activation activation,
                           std::span<float> params, std::mt19937_64& rng) {
  if (params.size() != layout.size()) throw Error("parameter buffer does not match the layout");
  std::fill(params.begin(), params.end(), 0.0f);
  for (std::size_t l = 0; l < layout.layer_count(); ++l) {
    const double fan_in = static_cast<double>(layout.inputs(l));
    const double fan_out = static_cast<double>(layout.outputs(l));
    // Keeps the activation variance roughly constant through the layers.
    const double limit = activation == Activation::Tanh ? std::sqrt(6.0 / (fan_in + fan_out))
                                                        : std::sqrt(6.0 / fan_in);
    // The linear output layer gets Glorot: He would overshoot its variance.
    const double bound =
        l + 1 == layout.layer_count() ? std::sqrt(6.0 / (fan_in + fan_out)) : limit;
    auto w = layout.weights(params, l);
    // Column-major fill in a fixed order with a portable draw: the seed alone
    // determines the weights.
    for (Eigen::Index i = 0; i < w.size(); ++i) {
      w.data()[i] = static_cast<float>(bound * (2.0 * detail::uniform01(rng) - 1.0));
    }
  }
}

ParameterVector flatten(const Mlp& mlp) {
  const ParameterLayout layout = ParameterLayout::of(mlp);
  ParameterVector params(layout.size(), 0.0f);
  const std::span<float> p(params);
  for (std::size_t l = 0; l < layout.layer_count(); ++l) {
    layout.weights(p, l) = mlp.layers()[l].weights;
    layout.bias(p, l) = mlp.layers()[l].bias;
  }
  return params;
}

Mlp unflatten(const ParameterLayout& layout, Activation activation, std::span<const float> params) {
  if (params.size() != layout.size()) throw Error("parameter buffer does not match the layout");
  std::vector<DenseLayer> layers;
  for (std::size_t l = 0; l < layout.layer_count(); ++l) {
    layers.push_back({layout.weights(params, l), layout.bias(params, l)});
  }
  return Mlp(std::move(layers), activation);
}

PassWorkspace::PassWorkspace(const ParameterLayout& layout, Eigen::Index max_cols)
    : max_columns(max_cols) {
  for (std::size_t l = 0; l < layout.layer_count(); ++l) {
    pre.emplace_back(layout.outputs(l), max_cols);
    if (l + 1 < layout.layer_count()) post.emplace_back(layout.outputs(l), max_cols);
  }
  delta_a.resize(layout.widest(), max_cols);
  delta_b.resize(layout.widest(), max_cols);
  output_gradient.resize(max_cols);
}

void forward_pass(const ParameterLayout& layout, Activation activation,
                  std::span<const float> params, const Eigen::Ref<const Eigen::MatrixXf>& x,
                  PassWorkspace& ws) {
  const Eigen::Index n = x.cols();
  if (n > ws.max_columns || x.rows() != layout.inputs(0)) {
    throw Error("forward pass over " + std::to_string(x.rows()) + "x" + std::to_string(n) +
                " does not fit the workspace");
  }
  ws.columns = n;
  // The products and activations run in the CPU path's kernels (cpu_kernels.hpp).
  const MathKernels& k = math_kernels();
  for (std::size_t l = 0; l < layout.layer_count(); ++l) {
    auto z = ws.pre[l].leftCols(n);
    const auto w = layout.weights(params, l);
    const float* in = l == 0 ? x.data() : ws.post[l - 1].data();
    const Eigen::Index ld_in = l == 0 ? x.outerStride() : ws.post[l - 1].outerStride();
    k.gemm(false, false, w.rows(), n, w.cols(), w.data(), w.outerStride(), in, ld_in, z.data(),
           z.outerStride());
    z.colwise() += layout.bias(params, l);
    if (l + 1 < layout.layer_count()) {
      auto a = ws.post[l].leftCols(n);
      a = z;
      k.activate(activation, a.data(), a.rows(), n, a.outerStride());
    }
  }
}

void backward_pass(const ParameterLayout& layout, Activation activation,
                   std::span<const float> params, const Eigen::Ref<const Eigen::MatrixXf>& x,
                   PassWorkspace& ws, std::span<float> grad) {
  const Eigen::Index n = ws.columns;
  if (x.cols() != n || grad.size() != layout.size()) {
    throw Error("backward pass does not match the last forward pass");
  }
  const MathKernels& k = math_kernels();
  Eigen::MatrixXf* delta = &ws.delta_a;
  Eigen::MatrixXf* next = &ws.delta_b;
  delta->topLeftCorner(1, n) = ws.output_gradient.head(n);
  for (std::size_t l = layout.layer_count(); l-- > 0;) {
    const auto d = delta->topLeftCorner(layout.outputs(l), n);
    auto gw = layout.weights(grad, l);
    // gw = d * input^T, input being x or the activations below
    const float* in = l == 0 ? x.data() : ws.post[l - 1].data();
    const Eigen::Index ld_in = l == 0 ? x.outerStride() : ws.post[l - 1].outerStride();
    k.gemm(false, true, gw.rows(), gw.cols(), n, d.data(), d.outerStride(), in, ld_in, gw.data(),
           gw.outerStride());
    layout.bias(grad, l) = d.rowwise().sum();
    if (l == 0) break;
    auto below = next->topLeftCorner(layout.inputs(l), n);
    const auto w = layout.weights(params, l);  // below = w^T d
    k.gemm(true, false, w.cols(), n, w.rows(), w.data(), w.outerStride(), d.data(), d.outerStride(),
           below.data(), below.outerStride());
    const auto& pre = ws.pre[l - 1];
    const auto& post = ws.post[l - 1];
    k.activation_derivative(activation, pre.data(), pre.outerStride(), post.data(),
                            post.outerStride(), below.data(), below.outerStride(), below.rows(), n);
    std::swap(delta, next);
  }
}

}  // namespace vpucost
