#pragma once
// Differentiable latency for gradient-based NAS (ProxylessNAS, Cai et al.,
// ICLR 2019).
//
// Every searchable position carries architecture parameters alpha, one per
// candidate; p = softmax(alpha) is the probability of each candidate. The
// expected latency of the supernet is
//
//     E[lat] = fixed + sum_positions sum_j p_j * LUT(position, j)
//
// where the zero op has LUT 0 but still takes its share of probability.
// Its gradient is dE/dalpha_j = p_j * (L_j - sum_k p_k L_k) per position.
//
// The two latency losses of ProxylessNAS (search/nas_manager.py,
// GradientArchSearchConfig.add_regularization_loss), with its defaults:
//
//   add#linear:  loss = CE + lambda * (E[lat] - T) / T          lambda = 0.2
//   mul#log:     loss = a * CE * (ln E[lat] / ln T) ^ beta        a = 1, beta = 0.6
//
// T is ProxylessNAS's `ref_value`, the target latency. mul#log is only
// meaningful with E[lat] > 1 and T > 1 in the unit used (ProxylessNAS used
// milliseconds of ~80 ms phone latencies; DPU latencies of a few ms should be
// given in microseconds): below 1 the logarithms change sign and the loss
// would reward slower networks, so it is refused there.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vpucost/flat_latency.hpp"

namespace vpucost::nas {

/// alpha[position][candidate].
using ArchParams = std::vector<std::vector<double>>;

/// Numerically stable softmax (max subtracted). Throws vpucost::Error on an
/// empty span or a non-finite value.
std::vector<double> softmax(std::span<const double> alpha);

struct ExpectedLatency {
  double ms = 0.0;                                 ///< E[lat]
  std::vector<std::vector<double>> probabilities;  ///< softmax(alpha) per position
  std::vector<std::vector<double>> grad;           ///< dE/dalpha, same shape as alpha
};

/// Throws vpucost::Error unless alpha has one finite value per candidate of
/// every position of `table`.
void check_shape(const FlatLatencyTable& table, const ArchParams& alpha);
ExpectedLatency expected_latency(const FlatLatencyTable& table, const ArchParams& alpha);

enum class LatencyLossKind { AddLinear, MulLog };
/// "add#linear" / "mul#log", ProxylessNAS's grad_reg_loss_type spellings.
std::string_view to_string(LatencyLossKind kind);
LatencyLossKind parse_latency_loss_kind(std::string_view text);

struct LatencyLossOptions {
  LatencyLossKind kind = LatencyLossKind::AddLinear;
  double target = 0.0;  ///< T (ProxylessNAS ref_value), same unit as E[lat]; > 0
  double lambda = 0.2;  ///< add#linear weight
  double alpha = 1.0;   ///< mul#log factor a
  double beta = 0.6;    ///< mul#log exponent
};

struct LatencyLoss {
  double value = 0.0;
  double d_ce = 0.0;        ///< d loss / d CE
  double d_expected = 0.0;  ///< d loss / d E[lat]
};

/// The loss for cross-entropy `ce` and expected latency `expected` and its
/// partial derivatives. Throws vpucost::Error on bad options (T <= 0,
/// non-finite numbers; for mul#log T <= 1 or E[lat] <= 1).
LatencyLoss latency_loss(double ce, double expected, const LatencyLossOptions& options);

/// The loss and its gradient with respect to every alpha (chain rule through
/// E[lat]): d loss / d alpha = d loss / d E * d E / d alpha.
struct LatencyLossWithGrad {
  LatencyLoss loss;
  ExpectedLatency expected;
  std::vector<std::vector<double>> grad;  ///< d loss / d alpha
};
/// `scale` converts the table's milliseconds into the loss's unit (1000 for
/// microseconds); T is in that unit too.
LatencyLossWithGrad latency_loss(double ce, const FlatLatencyTable& table, const ArchParams& alpha,
                                 const LatencyLossOptions& options, double scale = 1.0);

}  // namespace vpucost::nas
