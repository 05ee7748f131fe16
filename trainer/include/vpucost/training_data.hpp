#pragma once
// From a Dataset to what the training loop consumes: every workload encoded
// once (encode_features) into a feature-major float matrix, standardised
// with per-feature mean/deviation of the training rows, and ln(cycles)
// standardised into the network's target. The same Normalisation is stored
// in the model file (feature_mean/std, output_offset/scale).
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vpucost/cost_model.hpp"
#include "vpucost/dataset.hpp"

namespace vpucost {

/// Rows whose workload has both input and weight sparsity. Such a workload
/// costs the cheaper of its two single-sparsity variants
/// (dual_sparsity_variants, as CostModel predicts it), so its row has two
/// encodings. The row's column in the main matrix holds one of them: the
/// training loop puts there, every epoch, the variant the network currently
/// finds cheaper, which is what the gradient of a minimum does.
struct DualSparsityRows {
  std::vector<std::size_t> columns;  ///< column of each such row in the main matrix
  /// kFeatureCount x 2m: column 2i encodes row i's input-only variant,
  /// column 2i + 1 its weight-only variant.
  Eigen::MatrixXf variants;
  std::size_t size() const { return columns.size(); }
};

/// Raw encoding of some rows of a dataset.
struct EncodedRows {
  Eigen::MatrixXf features;           ///< kFeatureCount x n, column j = row j
  std::vector<double> log_cycles;     ///< ln(cycles) per row
  std::vector<Operation> operations;  ///< recorded operation per row (per-operation metrics)
  /// Rows with both sparsities; their column in `features` holds the input-only variant.
  DualSparsityRows dual;
  std::size_t size() const { return log_cycles.size(); }
};

/// Encodes the given rows of `data` (indices into it), or all of them.
EncodedRows encode_rows(const Dataset& data, std::span<const std::size_t> rows);
EncodedRows encode_all(const Dataset& data);
/// The rows of `a` followed by those of `b`.
EncodedRows concatenate(EncodedRows a, const EncodedRows& b);

/// Input standardisation and output transform of a model.
struct Normalisation {
  Eigen::VectorXf feature_mean;
  Eigen::VectorXf feature_std;  ///< all > 0
  float output_offset = 0.0f;   ///< mean of ln(cycles)
  float output_scale = 1.0f;    ///< deviation of ln(cycles)

  static Normalisation of(const ModelParts& parts);
};

/// Features whose deviation over the training rows is below this are
/// constant there (e.g. a one-hot that is never set): they get deviation 1,
/// so they stay at their training value 0 after standardisation instead of
/// blowing up.
inline constexpr float kMinFeatureStd = 1e-6f;

/// Mean and (population) deviation of every feature and of ln(cycles),
/// computed in double. Throws if `rows` is empty.
Normalisation fit_normalisation(const EncodedRows& rows);

/// Standardised rows, ready for training or validation.
struct TrainingSet {
  Eigen::MatrixXf x;               ///< kFeatureCount x n, standardised features
  Eigen::RowVectorXf target;       ///< standardised ln(cycles), 1 x n
  std::vector<double> log_cycles;  ///< ln(cycles), for exact error metrics
  std::vector<Operation> operations;
  DualSparsityRows dual;  ///< standardised like x
  std::size_t size() const { return log_cycles.size(); }
};

TrainingSet standardise(const EncodedRows& rows, const Normalisation& norm);

/// Splits row indices into training and validation: whole groups of rows
/// with the same feature encoding (same executed workload, so the model
/// cannot tell them apart) go to one side, groups are shuffled with `seed`,
/// and validation takes groups until it holds round(fraction * n) rows.
/// Both index lists are ascending. fraction in [0, 1).
struct RowSplit {
  std::vector<std::size_t> train;
  std::vector<std::size_t> validation;
};
RowSplit split_for_validation(const Dataset& data, double fraction, std::uint64_t seed);

/// The one device of all rows; throws naming both devices if rows mix
/// devices, and if `data` is empty. `what` names the data in messages.
Device single_device(const Dataset& data, const std::string& what);

/// 64-bit FNV-1a hash of the training inputs and targets, so that a
/// checkpoint can tell whether it is resumed on the same data.
std::uint64_t fingerprint(const TrainingSet& set);

}  // namespace vpucost
