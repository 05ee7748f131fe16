#pragma once
// The SHAVE cost model: for each operation, data type and parameter seen in
// training (a group), a loop shape and one coefficient per term of the
// operation's closed-form basis (shave_basis.hpp):
//
//   cycles = sum_i coefficient_i * term_i(operation, loop shape)
//
// clamped to [kMinCycles, kMaxCycles]. A few hundred numbers per device,
// fitted by least squares on relative error (trainer/, fit_shave_model).
// Immutable once built, so one model is safe to share between threads.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vpucost/cost_model.hpp"
#include "vpucost/shave_basis.hpp"
#include "vpucost/shave_operation.hpp"

namespace vpucost {

/// What one fitted formula answers for.
struct ShaveGroupKey {
  ShaveOp operation = ShaveOp::sigmoid;
  DType dtype = DType::FLOAT16;
  int param = 0;
  bool operator==(const ShaveGroupKey&) const = default;
};
ShaveGroupKey group_of(const ShaveOperation& s);

struct ShaveGroupFit {
  ShaveGroupKey key;
  ShaveLoopShape shape;
  std::vector<double> coefficients;  ///< shave_term_count(basis_kind(key.operation)) values
  std::uint64_t rows = 0;            ///< training rows of the group
  double train_mape = 0;             ///< on those rows
};

/// Everything a SHAVE model file holds.
struct ShaveModelParts {
  Device device = Device::VPU_2_7;
  int basis_version = kShaveBasisVersion;
  std::vector<ShaveGroupFit> groups;  ///< at most one per key
  TrainingMetadata training;
};

class ShaveModel {
 public:
  /// Checks the parts (version, one fit per key, coefficient counts, finite
  /// values, loop shapes among the fitted ones) and throws vpucost::Error
  /// naming what is wrong.
  explicit ShaveModel(ShaveModelParts parts);

  Device device() const { return parts_.device; }
  const ShaveModelParts& parts() const { return parts_; }

  /// Why this model cannot answer for a valid operation (another device, or
  /// an operation / data type / parameter it was not fitted on), or std::nullopt.
  std::optional<std::string> find_unanswerable(const ShaveOperation& s) const;

  /// Cycles (DPU clock, one SHAVE core) of one operation. Validates it and
  /// throws vpucost::Error when it is invalid or unanswerable.
  double predict_cycles(const ShaveOperation& s) const;
  /// Many operations; out.size() must equal operations.size(). Throws on the
  /// first invalid or unanswerable one, naming its index. No allocation.
  void predict_cycles(std::span<const ShaveOperation> operations, std::span<double> out) const;

 private:
  const ShaveGroupFit* find_group(const ShaveGroupKey& key) const noexcept;
  double predict_validated(const ShaveOperation& s, const ShaveGroupFit& fit) const noexcept;

  ShaveModelParts parts_;
};

}  // namespace vpucost
