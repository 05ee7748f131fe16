#pragma once
// Training losses. The network predicts standardised log-cycles y; with the
// model's output scale s, d = s * (y - t) = ln(predicted / true) is the
// log-ratio error of one sample, and every loss is a function of d alone, so
// each one is a relative-error loss whatever the cycle range:
//   mse    d^2                          (default: MSE on log-cycles)
//   l1     |d|                          (~ MAPE for small errors, robust)
//   huber  d^2 / (2 delta) if |d| <= delta, else |d| - delta / 2
//   mape   |exp(d) - 1|                 (the absolute percentage error itself)
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace vpucost {

enum class LossKind : std::uint8_t { MSE, L1, Huber, MAPE };
std::string_view to_string(LossKind kind);
LossKind parse_loss(std::string_view name);  ///< "mse", "l1", "huber", "mape"

struct LossFunction {
  LossKind kind = LossKind::MSE;
  double huber_delta = 0.05;  ///< in log-ratio units (0.05 ~ 5%)

  /// For outputs y and standardised targets t (same length n), writes
  /// dLoss/dy_i * gradient_factor into `gradient` and returns the sum of the
  /// per-sample losses (not divided by n).
  double evaluate(std::span<const float> y, std::span<const float> t, float output_scale,
                  float gradient_factor, std::span<float> gradient) const;
};

}  // namespace vpucost
