#include "vpucost/shave_model.hpp"

#include <algorithm>
#include <cmath>

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using std::to_string;

std::string describe_key(const ShaveGroupKey& k) {
  std::string out = std::string(to_string(k.operation)) + " " + std::string(to_string(k.dtype));
  if (k.param != 0) out += " param " + to_string(k.param);
  return out;
}

bool is_fitted_shape(ShaveLoopShape s) {
  return std::find(kVectorLengths.begin(), kVectorLengths.end(), s.vector) !=
             kVectorLengths.end() &&
         std::find(kUnrollFactors.begin(), kUnrollFactors.end(), s.unroll) != kUnrollFactors.end();
}

}  // namespace

ShaveGroupKey group_of(const ShaveOperation& s) {
  return ShaveGroupKey{s.operation, s.input.dtype, s.param};
}

ShaveModel::ShaveModel(ShaveModelParts parts) : parts_(std::move(parts)) {
  if (!is_valid_enum_value<Device>(static_cast<int>(parts_.device))) {
    throw Error("SHAVE model: invalid device value " + to_string(static_cast<int>(parts_.device)));
  }
  if (parts_.basis_version != kShaveBasisVersion) {
    throw Error("SHAVE model: basis version " + to_string(parts_.basis_version) +
                " is not supported (this build reads version " + to_string(kShaveBasisVersion) +
                ")");
  }
  if (parts_.groups.empty()) throw Error("SHAVE model: no fitted operations");
  for (std::size_t i = 0; i < parts_.groups.size(); ++i) {
    const ShaveGroupFit& g = parts_.groups[i];
    const std::string where = "SHAVE model, group " + to_string(i) + ": ";
    if (!is_valid_enum_value<ShaveOp>(static_cast<int>(g.key.operation)) ||
        !is_valid_enum_value<DType>(static_cast<int>(g.key.dtype))) {
      throw Error(where + "invalid operation or dtype value");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (parts_.groups[j].key == g.key) {
        throw Error(where + describe_key(g.key) + " is fitted twice (groups " + to_string(j) +
                    " and " + to_string(i) + ")");
      }
    }
    if (!is_fitted_shape(g.shape)) {
      throw Error(where + "loop shape " + to_string(g.shape.vector) + "x" +
                  to_string(g.shape.unroll) + " is not one fitting tries");
    }
    const std::size_t terms = shave_term_count(basis_kind(g.key.operation));
    if (g.coefficients.size() != terms) {
      throw Error(where + describe_key(g.key) + " has " + to_string(g.coefficients.size()) +
                  " coefficients, its basis " + to_string(terms));
    }
    for (double c : g.coefficients) {
      if (!std::isfinite(c))
        throw Error(where + describe_key(g.key) + " has a non-finite coefficient");
    }
  }
}

const ShaveGroupFit* ShaveModel::find_group(const ShaveGroupKey& key) const noexcept {
  for (const ShaveGroupFit& g : parts_.groups) {
    if (g.key == key) return &g;
  }
  return nullptr;
}

std::optional<std::string> ShaveModel::find_unanswerable(const ShaveOperation& s) const {
  if (s.device != parts_.device) {
    return "this is a " + std::string(to_string(parts_.device)) +
           " SHAVE model; the operation is for " + std::string(to_string(s.device));
  }
  const ShaveGroupKey key = group_of(s);
  if (find_group(key) != nullptr) return std::nullopt;
  std::string fitted;
  for (const ShaveGroupFit& g : parts_.groups) {
    if (g.key.operation != key.operation) continue;
    fitted += (fitted.empty() ? "" : ", ") + describe_key(g.key);
  }
  return "the " + std::string(to_string(parts_.device)) + " SHAVE model was not fitted on " +
         describe_key(key) +
         (fitted.empty() ? " (no rows of that operation in its training data)"
                         : " (it has " + fitted + ")");
}

double ShaveModel::predict_validated(const ShaveOperation& s,
                                     const ShaveGroupFit& fit) const noexcept {
  std::array<double, kMaxShaveTerms> terms{};
  const std::size_t count = fit.coefficients.size();
  shave_terms(s, fit.shape, std::span<double>(terms.data(), count));
  double cycles = 0.0;
  for (std::size_t i = 0; i < count; ++i) cycles += fit.coefficients[i] * terms[i];
  // A line fitted on relative error can dip below zero far outside its
  // training sizes; the clamp keeps every answer finite and positive.
  return std::clamp(cycles, kMinCycles, kMaxCycles);
}

double ShaveModel::predict_cycles(const ShaveOperation& s) const {
  validate(s);
  const ShaveGroupFit* fit = s.device == parts_.device ? find_group(group_of(s)) : nullptr;
  if (fit == nullptr) throw Error(find_unanswerable(s).value_or("unanswerable"));
  return predict_validated(s, *fit);
}

void ShaveModel::predict_cycles(std::span<const ShaveOperation> operations,
                                std::span<double> out) const {
  if (out.size() != operations.size()) {
    throw Error("predict_cycles: " + to_string(operations.size()) + " operations but " +
                to_string(out.size()) + " outputs");
  }
  for (std::size_t i = 0; i < operations.size(); ++i) {
    const ShaveOperation& s = operations[i];
    std::optional<std::string> problem = find_problem(s);
    const ShaveGroupFit* fit =
        problem || s.device != parts_.device ? nullptr : find_group(group_of(s));
    if (fit == nullptr) {
      // Only the failing operation pays for building the message.
      if (!problem) problem = find_unanswerable(s).value_or("unanswerable");
      throw Error("SHAVE operation " + to_string(i) + " (" + describe(s) + "): " + *problem);
    }
    out[i] = predict_validated(s, *fit);
  }
}

}  // namespace vpucost
