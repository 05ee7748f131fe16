#include "vpucost/loss.hpp"

#include <algorithm>
#include <cmath>

#include "vpucost/error.hpp"

namespace vpucost {

std::string_view to_string(LossKind kind) {
  switch (kind) {
    case LossKind::MSE:
      return "mse";
    case LossKind::L1:
      return "l1";
    case LossKind::Huber:
      return "huber";
    case LossKind::MAPE:
      return "mape";
  }
  return "<invalid>";
}

LossKind parse_loss(std::string_view name) {
  for (auto k : {LossKind::MSE, LossKind::L1, LossKind::Huber, LossKind::MAPE}) {
    if (to_string(k) == name) return k;
  }
  throw Error("unknown loss '" + std::string(name) + "' (expected mse, l1, huber or mape)");
}

double LossFunction::evaluate(std::span<const float> y, std::span<const float> t, float scale,
                              float factor, std::span<float> gradient) const {
  // Per-sample loop in float with a double sum: cheap next to the layer
  // products, and the summation order is fixed.
  double total = 0.0;
  const std::size_t n = y.size();
  // dLoss/dy = dLoss/dd * scale.
  const float k = scale * factor;
  const auto delta = static_cast<float>(huber_delta);
  switch (kind) {
    case LossKind::MSE:
      for (std::size_t i = 0; i < n; ++i) {
        const float d = scale * (y[i] - t[i]);
        total += double(d) * d;
        gradient[i] = 2.0f * d * k;
      }
      break;
    case LossKind::L1:
      for (std::size_t i = 0; i < n; ++i) {
        const float d = scale * (y[i] - t[i]);
        total += std::abs(d);
        gradient[i] = (d > 0.0f ? 1.0f : d < 0.0f ? -1.0f : 0.0f) * k;
      }
      break;
    case LossKind::Huber:
      for (std::size_t i = 0; i < n; ++i) {
        const float d = scale * (y[i] - t[i]);
        if (std::abs(d) <= delta) {
          total += double(d) * d / (2.0 * double(delta));
          gradient[i] = d / delta * k;
        } else {
          total += std::abs(d) - 0.5 * double(delta);
          gradient[i] = (d > 0.0f ? 1.0f : -1.0f) * k;
        }
      }
      break;
    case LossKind::MAPE:
      for (std::size_t i = 0; i < n; ++i) {
        // exp overflows beyond ~88; a log-ratio of 30 is already absurd.
        const float d = std::min(scale * (y[i] - t[i]), 30.0f);
        const float r = std::exp(d);
        total += std::abs(r - 1.0f);
        gradient[i] = (d > 0.0f ? r : d < 0.0f ? -r : 0.0f) * k;
      }
      break;
  }
  return total;
}

}  // namespace vpucost
