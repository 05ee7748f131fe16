#include "vpucost/adam.hpp"

#include <cmath>
#include <string>

#include "vpucost/cpu_kernels.hpp"
#include "vpucost/error.hpp"

namespace vpucost {

AdamW::AdamW(AdamOptions options, std::vector<float> decay_mask)
    : options_(options),
      decay_mask_(std::move(decay_mask)),
      m_(decay_mask_.size(), 0.0f),
      v_(decay_mask_.size(), 0.0f) {
  if (!(options.beta1 >= 0 && options.beta1 < 1) || !(options.beta2 >= 0 && options.beta2 < 1)) {
    throw Error("Adam betas must be in [0, 1)");
  }
  if (!(options.epsilon > 0) || !(options.weight_decay >= 0)) {
    throw Error("Adam epsilon must be > 0 and weight decay >= 0");
  }
}

void AdamW::set_decay_anchor(std::vector<float> anchor) {
  if (anchor.size() != m_.size()) {
    throw Error("weight-decay anchor has " + std::to_string(anchor.size()) + " values, expected " +
                std::to_string(m_.size()));
  }
  anchor_ = std::move(anchor);
}

void AdamW::step(std::span<float> params, std::span<const float> grad, double lr) {
  const std::size_t n = m_.size();
  if (params.size() != n || grad.size() != n) {
    throw Error("optimiser state has " + std::to_string(n) + " parameters, got " +
                std::to_string(params.size()));
  }
  ++steps_;
  const auto t = static_cast<double>(steps_);
  const float b1 = static_cast<float>(options_.beta1);
  const float b2 = static_cast<float>(options_.beta2);
  const float decay = static_cast<float>(1.0 - lr * options_.weight_decay);
  const float step_size = static_cast<float>(lr / (1.0 - std::pow(options_.beta1, t)));
  const float inv_sqrt_bc2 = static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(options_.beta2, t)));
  const float eps = static_cast<float>(options_.epsilon);
  float* p = params.data();
  const float* g = grad.data();
  float* m = m_.data();
  float* v = v_.data();
  const float* mask = decay_mask_.data();
  if (!anchor_.empty()) {
    // p -= lr * wd * (p - anchor), before the Adam step, as for plain decay.
    const float pull = static_cast<float>(lr * options_.weight_decay);
    const float* a = anchor_.data();
    for (std::size_t i = 0; i < n; ++i) p[i] -= mask[i] * pull * (p[i] - a[i]);
  }
  // The update itself runs at the CPU path's vector width (cpu_kernels.hpp);
  // with an anchor the decay was applied above (decay 1 leaves p as it is).
  math_kernels().adam_update(p, g, m, v, mask, n, b1, b2, anchor_.empty() ? decay : 1.0f, step_size,
                             inv_sqrt_bc2, eps);
}

void AdamW::restore(std::uint64_t steps, std::vector<float> m, std::vector<float> v) {
  if (m.size() != m_.size() || v.size() != v_.size()) {
    throw Error("optimiser state has " + std::to_string(m.size()) + " moments, expected " +
                std::to_string(m_.size()));
  }
  steps_ = steps;
  m_ = std::move(m);
  v_ = std::move(v);
}

double clip_gradient_norm(std::span<float> grad, double max_norm) {
  double sum = 0.0;
  for (const float g : grad) sum += double(g) * g;
  const double norm = std::sqrt(sum);
  if (norm > max_norm) {
    const auto k = static_cast<float>(max_norm / (norm + 1e-12));
    for (float& g : grad) g *= k;
  }
  return norm;
}

}  // namespace vpucost
