#include "vpucost/model_file.hpp"

#include <string>

#include "training_record.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/features.hpp"
#include "vpucost/hdf5_io.hpp"
#include "vpucost/version.hpp"

namespace vpucost {
namespace {

constexpr std::int64_t kMaxLayers = 64;

std::string layer_name(std::size_t i) {
  return "layer_" + std::to_string(i);
}

ModelParts read_parts(const H5::H5File& file) {
  const H5::Group root = file.openGroup("/");
  if (!h5::has_attribute(root, "format") ||
      h5::read_string_attribute(root, "format") != kModelFormat) {
    throw Error("not a vpucost model (the root has no format attribute '" +
                std::string(kModelFormat) + "'; is it a dataset or another program's file?)");
  }
  if (h5::has_attribute(root, "kind") && h5::read_string_attribute(root, "kind") != "dpu") {
    throw Error("holds a " + h5::read_string_attribute(root, "kind") +
                " model, not a DPU workload model (give it where that kind is costed, e.g. "
                "vpucost predict --kind " +
                h5::read_string_attribute(root, "kind") + ")");
  }
  const auto format_version = h5::read_int_attribute(root, "format_version");
  if (format_version != kModelFormatVersion) {
    throw Error("model file format version " + std::to_string(format_version) +
                " is not supported (this vpucost reads version " +
                std::to_string(kModelFormatVersion) + ")");
  }
  ModelParts p;
  p.device = parse<Device>(h5::read_string_attribute(root, "device"));
  p.feature_version = static_cast<int>(h5::read_int_attribute(root, "feature_encoding_version"));
  if (!is_supported_feature_version(p.feature_version)) {
    throw Error("model was trained with feature encoding version " +
                std::to_string(p.feature_version) + " but this vpucost implements versions " +
                std::to_string(kOldestFeatureEncodingVersion) + " to " +
                std::to_string(kFeatureEncodingVersion) + "; retrain it with this version");
  }
  const std::string transform = h5::read_string_attribute(root, "output_transform");
  if (transform != "log_cycles") {
    throw Error("unknown output transform '" + transform + "' (expected log_cycles)");
  }
  p.output_offset = static_cast<float>(h5::read_double_attribute(root, "output_offset"));
  p.output_scale = static_cast<float>(h5::read_double_attribute(root, "output_scale"));

  const H5::Group features = h5::open_group(root, "features");
  const auto names = h5::read_strings(features, "names");
  const auto expected = feature_names(p.feature_version);
  if (names.size() != expected.size()) {
    throw Error("model has " + std::to_string(names.size()) + " features, the encoding has " +
                std::to_string(expected.size()));
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] != expected[i]) {
      throw Error("model feature " + std::to_string(i) + " is '" + names[i] + "', expected '" +
                  std::string(expected[i]) + "'");
    }
  }
  p.feature_mean = h5::read_vector(features, "mean", expected.size());
  p.feature_std = h5::read_vector(features, "std", expected.size());

  const H5::Group layers = h5::open_group(root, "layers");
  const auto count = h5::read_int_attribute(layers, "count");
  if (count < 1 || count > kMaxLayers) {
    throw Error("model layer count " + std::to_string(count) + " is outside 1.." +
                std::to_string(kMaxLayers));
  }
  std::vector<DenseLayer> dense;
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    const H5::Group g = h5::open_group(layers, layer_name(i));
    const auto wshape = h5::dataset_shape(g, "weights");
    const auto bshape = h5::dataset_shape(g, "bias");
    if (wshape.size() != 2 || bshape.size() != 1 || wshape[0] != bshape[0] ||
        wshape[0] > static_cast<hsize_t>(Mlp::kMaxWidth) ||
        wshape[1] > static_cast<hsize_t>(Mlp::kMaxWidth)) {
      throw Error("model " + layer_name(i) + " has inconsistent shapes (weights " +
                  std::to_string(wshape.size() == 2 ? wshape[0] : 0) + "x" +
                  std::to_string(wshape.size() == 2 ? wshape[1] : 0) + ", bias " +
                  std::to_string(bshape.empty() ? 0 : bshape[0]) + ")");
    }
    dense.push_back({h5::read_matrix(g, "weights"), h5::read_vector(g, "bias", Mlp::kMaxWidth)});
  }
  try {
    p.mlp =
        Mlp(std::move(dense), parse_activation(h5::read_string_attribute(layers, "activation")));
  } catch (const Error& e) {
    throw Error(std::string("model network is invalid: ") + e.what());
  }

  if (h5::has_child(root, "training")) p.training = detail::read_training_record(root);
  return p;
}

void write_parts(H5::H5File& file, const ModelParts& p) {
  H5::Group root = file.openGroup("/");
  h5::write_attribute(root, "format", std::string(kModelFormat));
  h5::write_attribute(root, "format_version", std::int64_t{kModelFormatVersion});
  h5::write_attribute(root, "vpucost_version", std::string(kVersion));
  h5::write_attribute(root, "device", std::string(to_string(p.device)));
  h5::write_attribute(root, "feature_encoding_version", std::int64_t{p.feature_version});
  h5::write_attribute(root, "output_transform", std::string("log_cycles"));
  h5::write_attribute(root, "output_offset", double{p.output_offset});
  h5::write_attribute(root, "output_scale", double{p.output_scale});

  H5::Group features = root.createGroup("features");
  const auto encoding = feature_names(p.feature_version);
  std::vector<std::string> names(encoding.begin(), encoding.end());
  h5::write_strings(features, "names", names);
  h5::write_vector(features, "mean", p.feature_mean);
  h5::write_vector(features, "std", p.feature_std);

  H5::Group layers = root.createGroup("layers");
  h5::write_attribute(layers, "count", static_cast<std::int64_t>(p.mlp.layers().size()));
  h5::write_attribute(layers, "activation", std::string(to_string(p.mlp.activation())));
  for (std::size_t i = 0; i < p.mlp.layers().size(); ++i) {
    H5::Group g = layers.createGroup(layer_name(i));
    h5::write_matrix(g, "weights", p.mlp.layers()[i].weights);
    h5::write_vector(g, "bias", p.mlp.layers()[i].bias);
  }

  detail::write_training_record(root, p.training);
}

}  // namespace

namespace detail {

TrainingMetadata read_training_record(const H5::Group& root) {
  const H5::Group t = h5::open_group(root, "training");
  TrainingMetadata m;
  m.dataset = h5::read_string_attribute(t, "dataset");
  m.rows = static_cast<std::uint64_t>(h5::read_int_attribute(t, "rows"));
  m.command = h5::read_string_attribute(t, "command");
  m.created = h5::read_string_attribute(t, "created");
  m.train_seconds = h5::read_double_attribute(t, "train_seconds");
  if (h5::has_child(t, "metrics")) {
    const H5::Group g = h5::open_group(t, "metrics");
    for (const auto& name : h5::attribute_names(g))
      m.metrics[name] = h5::read_double_attribute(g, name);
  }
  if (h5::has_child(t, "notes")) {
    const H5::Group g = h5::open_group(t, "notes");
    for (const auto& name : h5::attribute_names(g))
      m.notes[name] = h5::read_string_attribute(g, name);
  }
  return m;
}

void write_training_record(H5::Group& root, const TrainingMetadata& m) {
  H5::Group t = root.createGroup("training");
  h5::write_attribute(t, "dataset", m.dataset);
  h5::write_attribute(t, "rows", static_cast<std::int64_t>(m.rows));
  h5::write_attribute(t, "command", m.command);
  h5::write_attribute(t, "created", m.created);
  h5::write_attribute(t, "train_seconds", m.train_seconds);
  H5::Group metrics = t.createGroup("metrics");
  for (const auto& [k, v] : m.metrics) h5::write_attribute(metrics, k, v);
  H5::Group notes = t.createGroup("notes");
  for (const auto& [k, v] : m.notes) h5::write_attribute(notes, k, v);
}

void check_model_root(const H5::Group& root, const std::string& kind,
                      const std::string& what_it_is) {
  if (!h5::has_attribute(root, "format") ||
      h5::read_string_attribute(root, "format") != kModelFormat) {
    throw Error("not a vpucost model (the root has no format attribute '" +
                std::string(kModelFormat) + "')");
  }
  const std::string found =
      h5::has_attribute(root, "kind") ? h5::read_string_attribute(root, "kind") : "dpu";
  if (found != kind) throw Error("holds a " + found + " model, not " + what_it_is);
  if (h5::read_int_attribute(root, "format_version") != kModelFormatVersion) {
    throw Error("model file format version " +
                std::to_string(h5::read_int_attribute(root, "format_version")) +
                " is not supported (this vpucost reads version " +
                std::to_string(kModelFormatVersion) + ")");
  }
}

void write_model_root(H5::Group& root, const std::string& kind, Device device) {
  h5::write_attribute(root, "format", std::string(kModelFormat));
  h5::write_attribute(root, "format_version", std::int64_t{kModelFormatVersion});
  h5::write_attribute(root, "vpucost_version", std::string(kVersion));
  h5::write_attribute(root, "kind", kind);
  h5::write_attribute(root, "device", std::string(to_string(device)));
}

void write_model_file(const std::filesystem::path& path,
                      const std::function<void(H5::H5File&)>& fill) {
  AtomicFile out(path);
  std::string image;
  try {
    // Built in memory and stored by AtomicFile: see h5::build_file_image.
    image = h5::build_file_image(fill);
  } catch (const H5::Exception& e) {
    throw Error("cannot write model file " + path.string() + ": " + e.getDetailMsg());
  }
  out.write(image);
  out.commit();
}

}  // namespace detail

WorkloadKind model_kind(const std::filesystem::path& path) {
  return detail::read_model_file(path, [](const H5::H5File& file) {
    const H5::Group root = file.openGroup("/");
    if (!h5::has_attribute(root, "kind")) return WorkloadKind::dpu;
    const std::string kind = h5::read_string_attribute(root, "kind");
    if (auto k = try_parse<WorkloadKind>(kind)) return *k;
    throw Error("unknown model kind '" + kind + "' (expected " + names_list<WorkloadKind>() + ")");
  });
}

CostModel load_model(const std::filesystem::path& path) {
  return detail::read_model_file(
      path, [](const H5::H5File& file) { return CostModel(read_parts(file)); });
}

void save_model(const ModelParts& parts, const std::filesystem::path& path) {
  CostModel check(parts);  // never write a model that would not load
  detail::write_model_file(path, [&](H5::H5File& file) { write_parts(file, parts); });
}

}  // namespace vpucost
