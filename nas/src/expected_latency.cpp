#include "vpucost/expected_latency.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "vpucost/error.hpp"

namespace vpucost::nas {
namespace {

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

void check_finite(double v, const char* what) {
  if (!std::isfinite(v)) throw Error(std::string(what) + " is " + number(v) + ", not finite");
}

}  // namespace

std::vector<double> softmax(std::span<const double> alpha) {
  if (alpha.empty()) throw Error("softmax of an empty list");
  for (const double a : alpha) check_finite(a, "architecture parameter");
  const double top = *std::max_element(alpha.begin(), alpha.end());
  std::vector<double> p(alpha.size());
  double sum = 0.0;
  for (std::size_t j = 0; j < alpha.size(); ++j) sum += p[j] = std::exp(alpha[j] - top);
  for (double& v : p) v /= sum;  // sum >= 1: the largest term is exp(0)
  return p;
}

void check_shape(const FlatLatencyTable& table, const ArchParams& alpha) {
  if (alpha.size() != table.positions()) {
    throw Error("architecture parameters have " + std::to_string(alpha.size()) +
                " positions; the space has " + std::to_string(table.positions()));
  }
  for (std::size_t p = 0; p < alpha.size(); ++p) {
    if (alpha[p].size() != table.candidates(p)) {
      throw Error("architecture parameters of position " + std::to_string(p) + " have " +
                  std::to_string(alpha[p].size()) + " values; the position has " +
                  std::to_string(table.candidates(p)) + " candidates");
    }
    for (std::size_t j = 0; j < alpha[p].size(); ++j) {
      if (!std::isfinite(alpha[p][j])) {
        throw Error("architecture parameter [" + std::to_string(p) + "][" + std::to_string(j) +
                    "] is " + number(alpha[p][j]) + ", not finite");
      }
    }
  }
}

ExpectedLatency expected_latency(const FlatLatencyTable& table, const ArchParams& alpha) {
  check_shape(table, alpha);
  ExpectedLatency out;
  out.ms = table.fixed_ms();
  out.probabilities.reserve(alpha.size());
  out.grad.reserve(alpha.size());
  for (std::size_t p = 0; p < alpha.size(); ++p) {
    std::vector<double> prob = softmax(alpha[p]);
    const std::span<const double> lat = table.position_ms(p);
    double mean = 0.0;  // sum_k p_k L_k: this position's expected latency
    for (std::size_t k = 0; k < prob.size(); ++k) mean += prob[k] * lat[k];
    std::vector<double> grad(prob.size());
    // d/d alpha_j of sum_k p_k L_k with dp_k/dalpha_j = p_k (delta_kj - p_j).
    for (std::size_t j = 0; j < prob.size(); ++j) grad[j] = prob[j] * (lat[j] - mean);
    out.ms += mean;
    out.probabilities.push_back(std::move(prob));
    out.grad.push_back(std::move(grad));
  }
  return out;
}

std::string_view to_string(LatencyLossKind kind) {
  return kind == LatencyLossKind::AddLinear ? "add#linear" : "mul#log";
}

LatencyLossKind parse_latency_loss_kind(std::string_view text) {
  if (text == "add#linear") return LatencyLossKind::AddLinear;
  if (text == "mul#log") return LatencyLossKind::MulLog;
  throw Error("latency loss '" + std::string(text) + "' is not add#linear or mul#log");
}

LatencyLoss latency_loss(double ce, double expected, const LatencyLossOptions& o) {
  check_finite(ce, "cross-entropy");
  check_finite(expected, "expected latency");
  check_finite(o.target, "target latency T");
  if (o.target <= 0) throw Error("target latency T must be positive, got " + number(o.target));
  LatencyLoss out;
  if (o.kind == LatencyLossKind::AddLinear) {
    check_finite(o.lambda, "lambda");
    out.value = ce + o.lambda * (expected - o.target) / o.target;
    out.d_ce = 1.0;
    out.d_expected = o.lambda / o.target;
    return out;
  }
  check_finite(o.alpha, "mul#log factor a");
  check_finite(o.beta, "mul#log exponent beta");
  if (o.target <= 1.0 || expected <= 1.0) {
    throw Error("mul#log needs E[lat] > 1 and T > 1 (got E[lat] " + number(expected) + ", T " +
                number(o.target) +
                "): below 1 the logarithms change sign; give latencies in microseconds");
  }
  const double log_t = std::log(o.target);
  const double ratio = std::log(expected) / log_t;
  const double reg = std::pow(ratio, o.beta);
  out.value = o.alpha * ce * reg;
  out.d_ce = o.alpha * reg;
  // d/dE (ln E / ln T)^beta = beta * ratio^(beta - 1) / (E ln T)
  out.d_expected = o.alpha * ce * o.beta * std::pow(ratio, o.beta - 1.0) / (expected * log_t);
  return out;
}

LatencyLossWithGrad latency_loss(double ce, const FlatLatencyTable& table, const ArchParams& alpha,
                                 const LatencyLossOptions& options, double scale) {
  if (!std::isfinite(scale) || scale <= 0) {
    throw Error("latency unit scale must be positive, got " + number(scale));
  }
  LatencyLossWithGrad out;
  out.expected = expected_latency(table, alpha);
  out.loss = latency_loss(ce, out.expected.ms * scale, options);
  out.grad = out.expected.grad;
  const double factor = out.loss.d_expected * scale;
  for (auto& position : out.grad) {
    for (double& g : position) g *= factor;
  }
  return out;
}

}  // namespace vpucost::nas
