#include "vpucost/fine_tune.hpp"

#include "vpucost/error.hpp"
#include "vpucost/features.hpp"
#include "vpucost/hdf5_io.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {

namespace {

// Appends a zero-weight input for each feature the model's version lacks.
FineTuningStart widened(ModelParts parts) {
  const auto inherited = static_cast<Eigen::Index>(feature_count(parts.feature_version));
  const auto n = static_cast<Eigen::Index>(kFeatureCount);
  FineTuningStart start{std::move(parts), static_cast<std::size_t>(inherited)};
  ModelParts& p = start.parts;
  if (inherited == n) return start;
  std::vector<DenseLayer> layers = p.mlp.layers();
  Eigen::MatrixXf& w = layers.front().weights;
  w.conservativeResize(Eigen::NoChange, n);
  w.rightCols(n - inherited).setZero();
  p.mlp = Mlp(std::move(layers), p.mlp.activation());
  p.feature_mean.conservativeResize(n);
  p.feature_mean.tail(n - inherited).setZero();
  p.feature_std.conservativeResize(n);
  p.feature_std.tail(n - inherited).setOnes();
  p.feature_version = kFeatureEncodingVersion;
  return start;
}

}  // namespace

FineTuningStart load_model_for_fine_tuning(const std::filesystem::path& path) {
  const std::string prefix = "cannot fine-tune from " + path.string() + ": ";
  try {
    {
      // Checked first so that the message speaks of fine-tuning rather than of
      // retraining, which is what load_model would suggest.
      auto guard = h5::lock();
      const H5::H5File file = h5::open_for_reading(path, "model");
      const H5::Group root = file.openGroup("/");
      if (h5::has_attribute(root, "feature_encoding_version")) {
        const auto version = h5::read_int_attribute(root, "feature_encoding_version");
        if (!is_supported_feature_version(static_cast<int>(version))) {
          throw Error("it uses feature encoding version " + std::to_string(version) +
                      " but this vpucost encodes workloads with version " +
                      std::to_string(kFeatureEncodingVersion) + " and widens models from version " +
                      std::to_string(kOldestFeatureEncodingVersion) +
                      " up; fine-tuning needs a model it can read (train from scratch "
                      "instead, without --init-from)");
        }
      }
    }
    return widened(load_model(path).parts());
  } catch (const Error& e) {
    throw Error(prefix + e.what());
  } catch (const H5::Exception& e) {
    throw Error(prefix + "the file is damaged: " + e.getDetailMsg());
  }
}

Mlp renormalise(const Mlp& mlp, const Normalisation& from, const Normalisation& to) {
  std::vector<DenseLayer> layers = mlp.layers();
  // x_from = (f - m_from) / s_from and f = s_to * x_to + m_to, so
  // W x_from + b = (W diag(s_to / s_from)) x_to + b + W (m_to - m_from) / s_from.
  DenseLayer& first = layers.front();
  const Eigen::VectorXf shift =
      ((to.feature_mean - from.feature_mean).array() / from.feature_std.array()).matrix();
  first.bias += first.weights * shift;
  first.weights =
      first.weights * (to.feature_std.array() / from.feature_std.array()).matrix().asDiagonal();
  // off_from + sc_from * y = off_to + sc_to * y'  =>  y' = (sc_from y + off_from - off_to) / sc_to.
  DenseLayer& last = layers.back();
  const float k = from.output_scale / to.output_scale;
  last.weights *= k;
  last.bias = (last.bias * from.output_scale).array() + (from.output_offset - to.output_offset);
  last.bias /= to.output_scale;
  return Mlp(std::move(layers), mlp.activation());
}

}  // namespace vpucost
