#pragma once
// Accuracy of cycle predictions against recorded cycles, as `vpucost eval`
// reports it and as training records it in model files. Errors are absolute
// percentage errors APE = |predicted / true - 1|; every share and error is a
// fraction (0.031 = 3.1%).
#include <cstddef>
#include <map>
#include <span>
#include <string_view>
#include <vector>

#include "vpucost/dataset.hpp"
#include "vpucost/enums.hpp"

namespace vpucost {

struct ErrorSummary {
  std::size_t n = 0;
  double mape = 0;        ///< mean APE
  double median_ape = 0;  ///< median APE (mean of the two middle values for even n)
  double within_10 = 0;   ///< share of rows with APE <= 0.10 (+1e-12 for rounding)
  double within_25 = 0;   ///< share of rows with APE <= 0.25 (+1e-12)
};

/// Summary of a list of APEs (empty list: all zero).
ErrorSummary summarise_errors(std::span<const double> ape);

struct WorstPrediction {
  std::size_t row = 0;  ///< index in the dataset
  double true_cycles = 0;
  double predicted_cycles = 0;
  double ape = 0;
};

/// Which sparsities a workload has: the groups whose errors differ most on
/// the teachers of VPU_4_0 and NPU_5_0 (models/README.md).
enum class SparsityGroup { Dense, InputOnly, WeightOnly, Both };
std::string_view to_string(SparsityGroup g);  ///< "dense", "input", "weight", "both"
SparsityGroup sparsity_group(const Workload& w);

struct Evaluation {
  ErrorSummary overall;
  /// Keyed by the recorded operation (AVEPOOL separately from DW_CONVOLUTION).
  std::map<Operation, ErrorSummary> per_operation;
  /// Keyed by the sparsity group; only groups with rows appear.
  std::map<SparsityGroup, ErrorSummary> per_sparsity;
  /// Largest errors first; ties broken by row index.
  std::vector<WorstPrediction> worst;
};

/// Compares `predicted` with data.cycles row by row.
Evaluation evaluate_predictions(const Dataset& data, std::span<const double> predicted,
                                std::size_t worst_count = 10);

}  // namespace vpucost
