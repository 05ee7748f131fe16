#include "vpucost/shave_fit.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

struct ShapeFit {
  ShaveLoopShape shape;
  Eigen::VectorXd coefficients;
  double mape = std::numeric_limits<double>::infinity();
};

// Rows of the design matrix are divided by their label, so the least-squares
// residual of row i is (prediction_i - cycles_i) / cycles_i: the fit
// minimises the squared relative error, the quantity MAPE judges. The
// complete orthogonal decomposition gives the minimum-norm solution when
// columns are zero or collinear (a softmax class absent from the data).
ShapeFit fit_shape(std::span<const ShaveOperation> ops, std::span<const double> cycles,
                   ShaveLoopShape shape, std::size_t terms) {
  const auto n = static_cast<Eigen::Index>(ops.size());
  Eigen::MatrixXd a(n, static_cast<Eigen::Index>(terms));
  std::array<double, kMaxShaveTerms> row{};
  for (Eigen::Index i = 0; i < n; ++i) {
    shave_terms(ops[static_cast<std::size_t>(i)], shape, std::span<double>(row.data(), terms));
    const double y = cycles[static_cast<std::size_t>(i)];
    for (std::size_t j = 0; j < terms; ++j) a(i, static_cast<Eigen::Index>(j)) = row[j] / y;
  }
  // Columns span 1 .. 1e9; equilibrate them so the decomposition's rank
  // decision is about directions, not units.
  Eigen::VectorXd scale = a.colwise().norm().transpose();
  for (Eigen::Index j = 0; j < scale.size(); ++j) {
    if (!(scale(j) > 0)) scale(j) = 1.0;
  }
  const Eigen::MatrixXd scaled = a * scale.cwiseInverse().asDiagonal();
  ShapeFit c;
  c.shape = shape;
  c.coefficients = Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd>(scaled)
                       .solve(Eigen::VectorXd::Ones(n))
                       .cwiseQuotient(scale);
  c.mape = ((a * c.coefficients).array() - 1.0).abs().mean();
  if (!std::isfinite(c.mape)) c.mape = std::numeric_limits<double>::infinity();
  return c;
}

// Softmax classes U by its alignment (shave_basis.cpp). A class with fewer
// rows than its four terms is not determined by the data; it takes the
// coefficients of the nearest class that is (lower alignment first: the
// kernel's slower path), so an operation of that class is still costed by a
// fitted formula rather than by zeros.
void fill_thin_softmax_classes(std::span<const ShaveOperation> ops, Eigen::VectorXd& coefficients) {
  std::array<std::size_t, 6> rows{};
  std::array<double, kMaxShaveTerms> t{};
  for (const ShaveOperation& s : ops) {
    shave_terms(s, {}, t);
    for (std::size_t k = 0; k < 6; ++k) rows[k] += t[4 * k + 3] != 0.0;
  }
  const auto filled = [&](std::size_t k) { return rows[k] >= 4; };
  for (std::size_t k = 0; k < 6; ++k) {
    if (filled(k)) continue;
    for (std::size_t d = 1; d < 6; ++d) {
      const std::size_t from = k >= d && filled(k - d)      ? k - d
                               : k + d < 6 && filled(k + d) ? k + d
                                                            : 6;
      if (from == 6) continue;
      coefficients.segment(static_cast<Eigen::Index>(4 * k), 4) =
          coefficients.segment(static_cast<Eigen::Index>(4 * from), 4);
      break;
    }
  }
}

}  // namespace

ShaveModelParts fit_shave_model(const ShaveRecordings& data, const std::string& what) {
  if (data.items.empty()) throw Error(what + ": no SHAVE operations to fit");
  ShaveModelParts parts;
  parts.device = data.items.front().device;
  std::vector<ShaveGroupKey> keys;
  std::vector<std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < data.items.size(); ++i) {
    const ShaveOperation& s = data.items[i];
    if (s.device != parts.device) {
      throw Error(what + " mixes devices: " + std::string(to_string(parts.device)) + " and " +
                  std::string(to_string(s.device)) + " (row " + std::to_string(i + 1) +
                  "); a SHAVE model is for one device");
    }
    const ShaveGroupKey key = group_of(s);
    auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      keys.push_back(key);
      members.emplace_back();
      it = keys.end() - 1;
    }
    members[static_cast<std::size_t>(it - keys.begin())].push_back(i);
  }
  for (std::size_t g = 0; g < keys.size(); ++g) {
    std::vector<ShaveOperation> ops;
    std::vector<double> cycles;
    for (std::size_t i : members[g]) {
      ops.push_back(data.items[i]);
      cycles.push_back(data.cycles[i]);
    }
    const ShaveBasisKind kind = basis_kind(keys[g].operation);
    const std::size_t terms = shave_term_count(kind);
    ShapeFit best;
    if (kind == ShaveBasisKind::softmax || kind == ShaveBasisKind::loop_nest) {
      best = fit_shape(ops, cycles, ShaveLoopShape{}, terms);  // no loop shape in these bases
    } else {
      for (int v : kVectorLengths) {
        for (int u : kUnrollFactors) {
          ShapeFit c = fit_shape(ops, cycles, {v, u}, terms);
          if (c.mape < best.mape) best = std::move(c);
        }
      }
    }
    if (kind == ShaveBasisKind::softmax) fill_thin_softmax_classes(ops, best.coefficients);
    ShaveGroupFit fit;
    fit.key = keys[g];
    fit.shape = best.shape;
    fit.coefficients.assign(best.coefficients.data(), best.coefficients.data() + terms);
    fit.rows = ops.size();
    fit.train_mape = best.mape;
    parts.groups.push_back(std::move(fit));
  }
  parts.training.dataset = what;
  parts.training.rows = data.items.size();
  return parts;
}

}  // namespace vpucost
