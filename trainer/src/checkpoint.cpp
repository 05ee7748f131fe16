#include "vpucost/checkpoint.hpp"

#include <cmath>
#include <cstdio>

#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/features.hpp"
#include "vpucost/hdf5_io.hpp"

namespace vpucost {
namespace {

constexpr hsize_t kHistoryColumns = 9;
/// Most epochs a checkpoint's history may hold (far beyond any real run).
constexpr hsize_t kMaxEpochs = 10'000'000;
// Bound on a stored parameter vector (256 MB of floats: far above any network
// of widths <= Mlp::kMaxWidth that fits in memory to train), checked before
// reading so that a damaged checkpoint cannot make libhdf5 allocate gigabytes.
constexpr std::size_t kMaxParameters = std::size_t{1} << 26;

template <class Vector>
Eigen::VectorXf to_eigen(const Vector& v) {
  return Eigen::Map<const Eigen::VectorXf>(v.data(), static_cast<Eigen::Index>(v.size()));
}
template <class Vector = std::vector<float>>
Vector to_std(const Eigen::VectorXf& v) {
  return Vector(v.data(), v.data() + v.size());
}

void write_history(H5::Group& root, const std::vector<EpochReport>& history) {
  std::vector<double> rows;
  for (const auto& e : history) {
    rows.insert(rows.end(),
                {double(e.epoch), double(e.epochs), e.train_loss, e.val_loss, e.val_mape,
                 e.val_within_10, e.learning_rate, e.improved ? 1.0 : 0.0, e.elapsed_seconds});
  }
  const hsize_t dims[2] = {history.size(), kHistoryColumns};
  H5::DataSpace space(2, dims);
  H5::DataSet ds = root.createDataSet("history", H5::PredType::IEEE_F64LE, space,
                                      h5::checksummed_layout(2, dims));
  if (!rows.empty()) ds.write(rows.data(), H5::PredType::NATIVE_DOUBLE);
}

// An epoch number or count as stored (a double): a whole number in
// [1, kMaxEpochs], else the checkpoint is damaged (casting an out-of-range
// double to int is undefined; found by fuzzing).
int epoch_number(double stored, hsize_t row) {
  if (!(stored >= 1 && stored <= kMaxEpochs) || stored != std::floor(stored)) {
    char value[32];
    std::snprintf(value, sizeof value, "%g", stored);
    throw Error("history row " + std::to_string(row) + " has epoch " + value +
                ", not a whole number from 1 to " + std::to_string(kMaxEpochs));
  }
  return static_cast<int>(stored);
}

// Every value finite (and, for `non_negative`, >= 0); else names the array
// and the first bad index.
template <class Values>
void require_finite(const Values& values, const char* name, bool non_negative = false) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(values.size()); ++i) {
    const float v = values[static_cast<Eigen::Index>(i)];
    if (!std::isfinite(v) || (non_negative && v < 0)) {
      throw Error(
          std::string("checkpoint array '") + name + "' holds " + std::to_string(v) + " at index " +
          std::to_string(i) +
          (non_negative ? " (values must be finite and >= 0)" : " (values must be finite)"));
    }
  }
}

std::vector<EpochReport> read_history(const H5::Group& root) {
  const auto shape = h5::dataset_shape(root, "history");
  if (shape.size() != 2 || shape[1] != kHistoryColumns) throw Error("history has the wrong shape");
  if (shape[0] > kMaxEpochs) {
    throw Error("history has " + std::to_string(shape[0]) + " rows, more than " +
                std::to_string(kMaxEpochs) + " epochs");
  }
  std::vector<double> rows(shape[0] * shape[1]);
  if (!rows.empty()) {
    h5::read_values(h5::open_numeric(root, "history"), rows.data(), H5::PredType::NATIVE_DOUBLE,
                    "dataset 'history'");
  }
  std::vector<EpochReport> history;
  for (hsize_t i = 0; i < shape[0]; ++i) {
    const double* r = rows.data() + i * kHistoryColumns;
    EpochReport e;
    e.epoch = epoch_number(r[0], i);
    e.epochs = epoch_number(r[1], i);
    e.train_loss = r[2];
    e.val_loss = r[3];
    e.val_mape = r[4];
    e.val_within_10 = r[5];
    e.learning_rate = r[6];
    e.improved = r[7] != 0.0;
    e.elapsed_seconds = r[8];
    history.push_back(e);
  }
  return history;
}

std::string join(const std::vector<Eigen::Index>& widths) {
  std::string s;
  for (const auto w : widths) s += (s.empty() ? "" : ",") + std::to_string(w);
  return s;
}

std::vector<Eigen::Index> split_widths(const std::string& text) {
  std::vector<Eigen::Index> widths;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    widths.push_back(std::stoll(text.substr(start, comma - start)));
    start = comma + 1;
  }
  return widths;
}

void write_parts(H5::H5File& file, const Checkpoint& c) {
  H5::Group root = file.openGroup("/");
  h5::write_attribute(root, "format", std::string(kCheckpointFormat));
  h5::write_attribute(root, "format_version", std::int64_t{kCheckpointFormatVersion});
  h5::write_attribute(root, "feature_encoding_version", std::int64_t{c.feature_version});
  h5::write_attribute(root, "device", std::string(to_string(c.device)));
  h5::write_attribute(root, "widths", join(c.widths));
  h5::write_attribute(root, "activation", std::string(to_string(c.activation)));
  h5::write_attribute(root, "epochs_done", std::int64_t{c.epochs_done});
  h5::write_attribute(root, "finished", std::int64_t{c.finished});
  h5::write_attribute(root, "early_stopped", std::int64_t{c.early_stopped});
  h5::write_attribute(root, "step", static_cast<std::int64_t>(c.step));
  h5::write_attribute(root, "best_epoch", std::int64_t{c.best_epoch});
  h5::write_attribute(root, "best_metric", c.best_metric);
  h5::write_attribute(root, "bad_epochs", std::int64_t{c.bad_epochs});
  h5::write_attribute(root, "adam_steps", static_cast<std::int64_t>(c.adam_steps));
  h5::write_attribute(root, "plateau_factor", c.plateau.factor);
  h5::write_attribute(root, "plateau_best", c.plateau.best);
  h5::write_attribute(root, "plateau_has_best", std::int64_t{c.plateau.has_best});
  h5::write_attribute(root, "plateau_bad_epochs", std::int64_t{c.plateau.bad_epochs});
  h5::write_attribute(root, "elapsed_seconds", c.elapsed_seconds);

  H5::Group settings = root.createGroup("settings");
  for (const auto& [k, v] : c.settings) h5::write_attribute(settings, k, v);
  H5::Group norm = root.createGroup("normalisation");
  h5::write_vector(norm, "feature_mean", c.normalisation.feature_mean);
  h5::write_vector(norm, "feature_std", c.normalisation.feature_std);
  h5::write_attribute(norm, "output_offset", double{c.normalisation.output_offset});
  h5::write_attribute(norm, "output_scale", double{c.normalisation.output_scale});

  h5::write_vector(root, "params", to_eigen(c.params));
  h5::write_vector(root, "best_params", to_eigen(c.best_params));
  h5::write_vector(root, "adam_m", to_eigen(c.adam_m));
  h5::write_vector(root, "adam_v", to_eigen(c.adam_v));
  write_history(root, c.history);
}

Checkpoint read_parts(const H5::H5File& file) {
  const H5::Group root = file.openGroup("/");
  if (!h5::has_attribute(root, "format") ||
      h5::read_string_attribute(root, "format") != kCheckpointFormat) {
    throw Error("not a vpucost checkpoint (no format attribute '" + std::string(kCheckpointFormat) +
                "'; is it a model file?)");
  }
  const auto version = h5::read_int_attribute(root, "format_version");
  if (version != kCheckpointFormatVersion) {
    throw Error("checkpoint format version " + std::to_string(version) + " is not supported");
  }
  Checkpoint c;
  c.feature_version = static_cast<int>(h5::read_int_attribute(root, "feature_encoding_version"));
  if (c.feature_version != kFeatureEncodingVersion) {
    throw Error("checkpoint uses feature encoding version " + std::to_string(c.feature_version) +
                " but this vpucost implements version " + std::to_string(kFeatureEncodingVersion));
  }
  c.device = parse<Device>(h5::read_string_attribute(root, "device"));
  try {
    c.widths = split_widths(h5::read_string_attribute(root, "widths"));
  } catch (const std::logic_error&) {
    throw Error("checkpoint has an unreadable 'widths' attribute");
  }
  c.activation = parse_activation(h5::read_string_attribute(root, "activation"));
  c.epochs_done = static_cast<int>(h5::read_int_attribute(root, "epochs_done"));
  c.finished = h5::read_int_attribute(root, "finished") != 0;
  c.early_stopped = h5::read_int_attribute(root, "early_stopped") != 0;
  c.step = static_cast<std::uint64_t>(h5::read_int_attribute(root, "step"));
  c.best_epoch = static_cast<int>(h5::read_int_attribute(root, "best_epoch"));
  c.best_metric = h5::read_double_attribute(root, "best_metric");
  c.bad_epochs = static_cast<int>(h5::read_int_attribute(root, "bad_epochs"));
  c.adam_steps = static_cast<std::uint64_t>(h5::read_int_attribute(root, "adam_steps"));
  c.plateau.factor = h5::read_double_attribute(root, "plateau_factor");
  c.plateau.best = h5::read_double_attribute(root, "plateau_best");
  c.plateau.has_best = h5::read_int_attribute(root, "plateau_has_best") != 0;
  c.plateau.bad_epochs = static_cast<int>(h5::read_int_attribute(root, "plateau_bad_epochs"));
  c.elapsed_seconds = h5::read_double_attribute(root, "elapsed_seconds");

  const H5::Group settings = h5::open_group(root, "settings");
  for (const auto& k : h5::attribute_names(settings)) {
    c.settings[k] = h5::read_string_attribute(settings, k);
  }
  const H5::Group norm = h5::open_group(root, "normalisation");
  c.normalisation.feature_mean = h5::read_vector(norm, "feature_mean", kFeatureCount);
  c.normalisation.feature_std = h5::read_vector(norm, "feature_std", kFeatureCount);
  c.normalisation.output_offset =
      static_cast<float>(h5::read_double_attribute(norm, "output_offset"));
  c.normalisation.output_scale =
      static_cast<float>(h5::read_double_attribute(norm, "output_scale"));

  c.params = to_std<ParameterVector>(h5::read_vector(root, "params", kMaxParameters));
  c.best_params = to_std<ParameterVector>(h5::read_vector(root, "best_params", kMaxParameters));
  c.adam_m = to_std(h5::read_vector(root, "adam_m", kMaxParameters));
  c.adam_v = to_std(h5::read_vector(root, "adam_v", kMaxParameters));
  c.history = read_history(root);
  const std::size_t n = c.params.size();
  if (c.best_params.size() != n || c.adam_m.size() != n || c.adam_v.size() != n) {
    throw Error("checkpoint parameter and optimiser arrays differ in length");
  }
  // A run only ever stores finite numbers (it stops on a non-finite loss), so
  // anything else is damage, and resuming from it would train on NaN.
  require_finite(c.params, "params");
  require_finite(c.best_params, "best_params");
  require_finite(c.adam_m, "adam_m");
  require_finite(c.adam_v, "adam_v", true);
  require_finite(c.normalisation.feature_mean, "normalisation/feature_mean");
  require_finite(c.normalisation.feature_std, "normalisation/feature_std", true);
  if ((c.normalisation.feature_std.array() <= 0.0f).any()) {
    throw Error("checkpoint array 'normalisation/feature_std' holds a zero deviation");
  }
  if (!std::isfinite(c.normalisation.output_offset) ||
      !(std::isfinite(c.normalisation.output_scale) && c.normalisation.output_scale > 0)) {
    throw Error("checkpoint output normalisation is not finite and positive");
  }
  return c;
}

}  // namespace

void save_checkpoint(const Checkpoint& checkpoint, const std::filesystem::path& path) {
  AtomicFile out(path);
  std::string image;
  try {
    // Built in memory and stored by AtomicFile: see h5::build_file_image.
    image = h5::build_file_image([&](H5::H5File& file) { write_parts(file, checkpoint); });
  } catch (const H5::Exception& e) {
    throw Error("cannot write checkpoint " + path.string() + ": " + e.getDetailMsg());
  }
  out.write(image);
  out.commit();
}

Checkpoint load_checkpoint(const std::filesystem::path& path) {
  auto guard = h5::lock();
  H5::H5File file = h5::open_for_reading(path, "checkpoint");
  try {
    return read_parts(file);
  } catch (const Error& e) {
    throw Error("checkpoint " + path.string() + ": " + e.what());
  } catch (const H5::Exception& e) {
    throw Error("checkpoint " + path.string() + " is damaged: " + e.getDetailMsg());
  }
}

void check_resumable(const Checkpoint& checkpoint,
                     const std::map<std::string, std::string>& settings,
                     const std::filesystem::path& path) {
  const auto describe = [](const std::map<std::string, std::string>& m, const std::string& k) {
    const auto it = m.find(k);
    return it == m.end() ? std::string("(not set)") : it->second;
  };
  auto keys = settings;
  for (const auto& [k, v] : checkpoint.settings) keys.emplace(k, v);
  for (const auto& [k, unused] : keys) {
    const std::string before = describe(checkpoint.settings, k);
    const std::string now = describe(settings, k);
    if (before != now) {
      throw Error("cannot resume from " + path.string() + ": it was written with " + k + " = " +
                  before + " but this run has " + k + " = " + now +
                  " (resume with the same data and options)");
    }
  }
}

}  // namespace vpucost
