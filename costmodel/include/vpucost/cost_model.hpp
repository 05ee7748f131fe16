#pragma once
// A trained cost model: the MLP plus everything needed to use it correctly
// (feature normalisation, output transform, device, encoding version) and a
// record of how it was trained. Load one with load_model (model_file.hpp).
//
// Prediction:  x = (features(w) - feature_mean) / feature_std
//              y = mlp(x)
//              cycles = exp(output_offset + output_scale * y)
// i.e. the network predicts standardised natural-log cycles. The log makes
// the training loss a relative error and keeps predictions positive. A
// workload with both input and weight sparsity is two such queries, and
// costs the smaller (dual_sparsity_variants in workload.hpp).
#include <Eigen/Core>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "vpucost/enums.hpp"
#include "vpucost/features.hpp"
#include "vpucost/mlp.hpp"
#include "vpucost/predictor.hpp"

namespace vpucost {

/// How the model was made; shown by `vpucost info`.
struct TrainingMetadata {
  std::string dataset;                       ///< training data file(s)
  std::uint64_t rows = 0;                    ///< training rows used
  std::string command;                       ///< command line that trained it
  std::string created;                       ///< ISO 8601 UTC time of creation
  double train_seconds = 0;                  ///< wall time of training
  std::map<std::string, double> metrics;     ///< e.g. val_mape, val_within_10
  std::map<std::string, std::string> notes;  ///< free-form key/values (hyper-parameters, ...)
};

/// Everything a model file holds.
struct ModelParts {
  Device device = Device::VPU_2_7;
  int feature_version = kFeatureEncodingVersion;
  Mlp mlp;
  Eigen::VectorXf feature_mean;  ///< feature_count(feature_version) values
  Eigen::VectorXf feature_std;   ///< feature_count(feature_version) values, all > 0
  float output_offset = 0.0f;
  float output_scale = 1.0f;
  TrainingMetadata training;
};

/// Predictions are clamped to [kMinCycles, kMaxCycles] so that they are
/// always finite and positive, however far a query is from the training data.
inline constexpr double kMinCycles = 1.0;
inline constexpr double kMaxCycles = 1e15;

/// The largest output width or height in the DPU training data.
inline constexpr std::int64_t kTrainedMaxExtent = 224;

class CostModel final : public CyclePredictor {
 public:
  /// Checks the parts (encoding version, sizes, finite values, positive std)
  /// and throws vpucost::Error naming what is wrong. Predicts on `path`
  /// (cpu_kernels.hpp), by default the process's, with the hidden layers'
  /// weights in `precision` (mlp.hpp), by default selected_weight_precision().
  explicit CostModel(ModelParts parts, std::optional<CpuPath> path = std::nullopt,
                     std::optional<WeightPrecision> precision = std::nullopt);

  Device device() const { return parts_.device; }
  CpuPath cpu_path() const { return runtime_.cpu_path(); }
  WeightPrecision weight_precision() const { return runtime_.weight_precision(); }
  const ModelParts& parts() const { return parts_; }

  using CyclePredictor::predict_cycles;
  double predict_cycles(const Workload& w) const override;
  void predict_cycles(std::span<const Workload> workloads, std::span<double> out) const override;
  std::string_view source() const override { return "model"; }
  /// kTrainedMaxExtent: the DPU training data (the VPUNN teacher's) sample
  /// heights and widths in 1..224, and a model extrapolates badly beyond
  /// that (VPU_2_7: a 1280-column convolution costs 12x its 224-column
  /// pieces, a 2560-column one 10^4x).
  std::int64_t max_extent() const override { return kTrainedMaxExtent; }
  /// True when its training record counts rows padded on one side only
  /// (note "one_sided_rows", written by `vpucost train`).
  bool learnt_one_sided_padding() const override;

  /// Why this model cannot answer for a valid workload (another device, or
  /// a field its feature encoding predates), or std::nullopt.
  std::optional<std::string> find_unanswerable(const Workload& w) const;

  /// Prediction for an already validated workload that find_unanswerable
  /// accepts. A workload with both sparsities costs the cheaper of its two
  /// single-sparsity variants (dual_sparsity_variants, VPUNN's rule).
  double predict_validated(const Workload& w) const noexcept;

 private:
  double predict_one(const Workload& w) const noexcept;

  ModelParts parts_;
  Mlp runtime_;  ///< parts_.mlp with normalisation and output scale folded in
};

}  // namespace vpucost
