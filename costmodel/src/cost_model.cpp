#include "vpucost/cost_model.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

struct BatchBuffers {
  Eigen::MatrixXf x;  // encoded features, one column per workload
  Eigen::VectorXf y;  // network outputs
  MlpWorkspace workspace;
};

// Whether a and b differ in their execution mode at most.
bool same_but_mode(const Workload& a, const Workload& b) {
  Workload moded = a;
  moded.mode = b.mode;
  return moded == b;
}

double to_cycles(float log_cycles) {
  const double cycles = std::exp(static_cast<double>(log_cycles));
  if (!(cycles > kMinCycles)) return kMinCycles;  // also catches NaN
  return std::min(cycles, kMaxCycles);
}

void check_parts(const ModelParts& p) {
  if (!is_valid_enum_value<Device>(static_cast<int>(p.device))) {
    throw Error("model has an invalid device value " + std::to_string(static_cast<int>(p.device)));
  }
  if (!is_supported_feature_version(p.feature_version)) {
    throw Error("model uses feature encoding version " + std::to_string(p.feature_version) +
                " but this vpucost implements versions " +
                std::to_string(kOldestFeatureEncodingVersion) + " to " +
                std::to_string(kFeatureEncodingVersion) + "; retrain the model with this version");
  }
  if (p.mlp.empty()) throw Error("model has no network layers");
  const auto n = static_cast<Eigen::Index>(feature_count(p.feature_version));
  if (p.mlp.input_size() != n) {
    throw Error("model network takes " + std::to_string(p.mlp.input_size()) +
                " inputs but the feature encoding has " + std::to_string(n));
  }
  if (p.feature_mean.size() != n || p.feature_std.size() != n) {
    throw Error("model feature normalisation has " + std::to_string(p.feature_mean.size()) +
                " means and " + std::to_string(p.feature_std.size()) + " deviations, expected " +
                std::to_string(n) + " each");
  }
  if (!p.feature_mean.allFinite() || !p.feature_std.allFinite() ||
      (p.feature_std.array() <= 0.0f).any()) {
    throw Error("model feature normalisation holds non-finite or non-positive deviations");
  }
  if (!std::isfinite(p.output_offset) || !std::isfinite(p.output_scale) || p.output_scale <= 0) {
    throw Error("model output transform is not finite and positive (offset " +
                std::to_string(p.output_offset) + ", scale " + std::to_string(p.output_scale) +
                ")");
  }
}

// Folds x' = (x - mean) / std into the first layer and cycles' log =
// offset + scale * y into the last, so a query runs the bare network.
Mlp fold(const ModelParts& p, std::optional<CpuPath> path, WeightPrecision precision) {
  std::vector<DenseLayer> layers = p.mlp.layers();
  DenseLayer& first = layers.front();
  const Eigen::VectorXf inv_std = p.feature_std.cwiseInverse();
  first.weights = first.weights * inv_std.asDiagonal();
  first.bias -= first.weights * p.feature_mean;
  DenseLayer& last = layers.back();
  last.weights *= p.output_scale;
  last.bias = last.bias * p.output_scale + Eigen::VectorXf::Constant(1, p.output_offset);
  return Mlp(std::move(layers), p.mlp.activation(), path, precision);
}

}  // namespace

CostModel::CostModel(ModelParts parts, std::optional<CpuPath> path,
                     std::optional<WeightPrecision> precision)
    : parts_(std::move(parts)) {
  check_parts(parts_);
  runtime_ = fold(parts_, path, precision ? *precision : selected_weight_precision());
}

std::optional<std::string> CostModel::find_unanswerable(const Workload& w) const {
  if (w.device != parts_.device) {
    return "this model is for " + std::string(to_string(parts_.device)) +
           " but the workload is for " + std::string(to_string(w.device));
  }
  if (auto missing = unencodable_field(w, parts_.feature_version)) {
    return "this model (feature encoding version " + std::to_string(parts_.feature_version) +
           ") cannot cost a workload with " + *missing +
           ": its encoding has no activation, sparsity, output write tiles, ISI strategy or HF8. "
           "Use a model trained with encoding version 3 or later (the shipped models/, or "
           "vpucost train on recordings with these columns)";
  }
  return std::nullopt;
}

double CostModel::predict_one(const Workload& w) const noexcept {
  // Older encodings are prefixes of the current one (features.hpp): the
  // network reads the first input_size() values.
  FeatureVector x;
  encode_features(w, x);
  return to_cycles(runtime_.forward(x));
}

double CostModel::predict_validated(const Workload& w) const noexcept {
  if (const auto dual = dual_sparsity_variants(w)) {
    return std::min(predict_one(dual->input_only), predict_one(dual->weight_only));
  }
  return predict_one(w);
}

bool CostModel::learnt_one_sided_padding() const {
  const auto& notes = parts_.training.notes;
  const auto it = notes.find("one_sided_rows");
  return it != notes.end() && !it->second.empty() && it->second != "0";
}

double CostModel::predict_cycles(const Workload& w) const {
  validate(w);
  if (auto problem = find_unanswerable(w)) throw Error(*problem);
  return predict_validated(w);
}

void CostModel::predict_cycles(std::span<const Workload> workloads, std::span<double> out) const {
  if (out.size() != workloads.size()) {
    throw Error("predict_cycles: " + std::to_string(out.size()) + " outputs for " +
                std::to_string(workloads.size()) + " workloads");
  }
  constexpr std::size_t kBlock = 256;  // columns per GEMM: large enough to amortise, fits cache
  const std::size_t block = std::min(kBlock, workloads.size());
  // One set of buffers per thread, kept between calls: allocating them per
  // call (some 300 KB, served by mmap) cost page faults worth ~10% of a batch.
  thread_local BatchBuffers buffers;
  auto& [x, y, workspace] = buffers;
  if (x.cols() < static_cast<Eigen::Index>(block)) {
    x.resize(static_cast<Eigen::Index>(kFeatureCount), static_cast<Eigen::Index>(block));
    y.resize(static_cast<Eigen::Index>(block));
  }
  for (std::size_t start = 0; start < workloads.size(); start += block) {
    const std::size_t n = std::min(block, workloads.size() - start);
    bool any_dual = false;
    for (std::size_t j = 0; j < n; ++j) {
      const Workload& w = workloads[start + j];
      // The same piece as the one before (valid, answerable) in another
      // mode, as a layer asks for its pieces: only the mode can be wrong, and
      // its features are the previous column's with the mode's rewritten.
      const bool mode_change = j > 0 && same_but_mode(w, workloads[start + j - 1]) &&
                               operation_has_mode(w.device, w.operation, w.mode);
      if (!mode_change) {
        if (auto problem = find_problem(w)) {
          throw Error("workload " + std::to_string(start + j) + ": " + *problem);
        }
        if (auto problem = find_unanswerable(w)) {
          throw Error("workload " + std::to_string(start + j) + ": " + *problem);
        }
      }
      const std::span<float, kFeatureCount> column(x.col(static_cast<Eigen::Index>(j)).data(),
                                                   kFeatureCount);
      if (mode_change) {
        const float* previous = x.col(static_cast<Eigen::Index>(j) - 1).data();
        std::copy(previous, previous + kFeatureCount, column.begin());
        encode_mode_change(w, column);
      } else {
        encode_features(w, column);
      }
      any_dual = any_dual || (w.input_sparsity > 0.0 && w.weight_sparsity > 0.0);
    }
    const auto cols = static_cast<Eigen::Index>(n);
    auto yn = y.head(cols);
    runtime_.forward_batch(x.topLeftCorner(runtime_.input_size(), cols), yn, workspace);
    for (std::size_t j = 0; j < n; ++j)
      out[start + j] = to_cycles(yn[static_cast<Eigen::Index>(j)]);
    // The few workloads with both sparsities cost the cheaper variant
    // (dual_sparsity_variants); they are answered one by one.
    for (std::size_t j = 0; any_dual && j < n; ++j) {
      const Workload& w = workloads[start + j];
      if (w.input_sparsity > 0.0 && w.weight_sparsity > 0.0) out[start + j] = predict_validated(w);
    }
  }
}

}  // namespace vpucost
