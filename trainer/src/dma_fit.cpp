#include "vpucost/dma_fit.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

struct SizedCycles {
  double bytes;
  double cycles;
};

// Knots 2^(k / per_octave) from just below the smallest size to just above
// the largest, then without the interior knots no row falls next to: such a
// knot's value would be set by nothing but the least-squares minimum norm.
// Dropping it lets its neighbours' segment span the gap instead.
std::vector<double> place_knots(const std::vector<SizedCycles>& rows, int per_octave) {
  const auto [lo, hi] = std::minmax_element(
      rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.bytes < b.bytes; });
  const double step = 1.0 / per_octave;
  const auto first = static_cast<long>(std::floor(std::log2(lo->bytes) / step));
  const auto last = static_cast<long>(std::ceil(std::log2(hi->bytes) / step));
  std::vector<double> all;
  for (long k = first; k <= std::max(last, first + 1); ++k)
    all.push_back(std::exp2(double(k) * step));
  std::vector<bool> used(all.size(), false);
  used.front() = used.back() = true;
  for (const SizedCycles& r : rows) {
    const auto above =
        static_cast<std::size_t>(std::upper_bound(all.begin(), all.end(), r.bytes) - all.begin());
    // The row lies in [all[above-1], all[above]): it determines both ends of
    // its segment, or only the lower one when it sits exactly on it.
    if (above > 0) used[above - 1] = true;
    if (above < all.size() && (above == 0 || r.bytes > all[above - 1])) used[above] = true;
  }
  std::vector<double> knots;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (used[i]) knots.push_back(all[i]);
  return knots;
}

// Rows divided by their label: the residual is the relative error, the
// quantity MAPE judges. Each row has at most two non-zero entries (the hat
// functions of its segment's ends).
DmaCurve fit_curve(const std::vector<SizedCycles>& rows, int per_octave) {
  DmaCurve c;
  c.knot_bytes = place_knots(rows, per_octave);
  const auto n = static_cast<Eigen::Index>(rows.size());
  const auto k = static_cast<Eigen::Index>(c.knot_bytes.size());
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, k);
  for (Eigen::Index i = 0; i < n; ++i) {
    const SizedCycles& r = rows[static_cast<std::size_t>(i)];
    // The curve's own interpolation with a unit at one knot gives the row's
    // weights; only the segment holding the row is non-zero.
    const auto& b = c.knot_bytes;
    const auto hi = std::min<std::size_t>(
        static_cast<std::size_t>(std::upper_bound(b.begin(), b.end(), r.bytes) - b.begin()),
        b.size() - 1);
    const std::size_t lo = hi - 1;
    const double t = std::clamp((r.bytes - b[lo]) / (b[hi] - b[lo]), 0.0, 1.0);
    a(i, static_cast<Eigen::Index>(lo)) = (1.0 - t) / r.cycles;
    a(i, static_cast<Eigen::Index>(hi)) = t / r.cycles;
  }
  const Eigen::VectorXd y =
      Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd>(a).solve(Eigen::VectorXd::Ones(n));
  c.knot_cycles.assign(y.data(), y.data() + y.size());
  c.rows = rows.size();
  double sum = 0;
  for (const SizedCycles& r : rows) {
    const double p = std::clamp(evaluate_dma_curve(c, r.bytes), kMinCycles, kMaxCycles);
    sum += std::abs(p / r.cycles - 1.0);
  }
  c.train_mape = sum / double(rows.size());
  return c;
}

}  // namespace

DmaModelParts fit_dma_model(const DmaRecordings& data, const std::string& what,
                            int knots_per_octave) {
  if (data.items.empty()) throw Error(what + ": no DMA transfers to fit");
  if (knots_per_octave < 1 || knots_per_octave > 64) {
    throw Error("knots per octave " + std::to_string(knots_per_octave) + " is outside 1..64");
  }
  DmaModelParts p;
  p.device = data.items.front().device;
  std::array<std::vector<SizedCycles>, enum_count<DmaDirection>()> rows;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const DmaTransfer& t = data.items[i];
    if (t.device != p.device) {
      throw Error(what + " mixes devices (" + std::string(to_string(p.device)) + " and " +
                  std::string(to_string(t.device)) + "); train one model per device");
    }
    rows[static_cast<std::size_t>(t.direction)].push_back(
        {double(transfer_bytes(t)), data.cycles[i]});
  }
  for (std::size_t d = 0; d < rows.size(); ++d) {
    if (rows[d].empty()) continue;
    const auto [lo, hi] =
        std::minmax_element(rows[d].begin(), rows[d].end(),
                            [](const auto& a, const auto& b) { return a.bytes < b.bytes; });
    if (lo->bytes == hi->bytes) {
      throw Error(what + ": every " + std::string(to_string(static_cast<DmaDirection>(d))) +
                  " transfer moves " + std::to_string(static_cast<long long>(lo->bytes)) +
                  " bytes; a DMA curve needs at least two sizes");
    }
    p.curves[d] = fit_curve(rows[d], knots_per_octave);
  }
  p.training.dataset = what;
  p.training.rows = data.size();
  return p;
}

}  // namespace vpucost
