// Layout (all under "/"):
//   attributes  format = "vpucost-model", format_version, vpucost_version,
//               kind = "shave", device, shave_basis_version
//   formulas/   attribute count; formulas/formula_<i>/ with attributes
//               operation, dtype, param, vector, unroll, rows, train_mape and
//               dataset "coefficients" (float64, one per term of the
//               operation's basis, in shave_term_names order)
//   training/   as in DPU model files (training_record.hpp)
#include "vpucost/shave_model_file.hpp"

#include "training_record.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/version.hpp"

namespace vpucost {
namespace {

// Far above the 17 operations x 3 data types x a few parameters a device has.
constexpr std::int64_t kMaxFormulas = 1024;

std::string formula_name(std::size_t i) {
  return "formula_" + std::to_string(i);
}

int read_small_int(const H5::H5Object& obj, const std::string& name, int lo, int hi) {
  const std::int64_t v = h5::read_int_attribute(obj, name);
  if (v < lo || v > hi) {
    throw Error(h5::object_path(obj) + " attribute " + name + " = " + std::to_string(v) +
                " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  return static_cast<int>(v);
}

ShaveModelParts read_shave_parts(const H5::H5File& file) {
  const H5::Group root = file.openGroup("/");
  detail::check_model_root(root, "shave", "a SHAVE model");
  ShaveModelParts p;
  p.device = parse<Device>(h5::read_string_attribute(root, "device"));
  p.basis_version = read_small_int(root, "shave_basis_version", 0, 1000);
  const H5::Group formulas = h5::open_group(root, "formulas");
  const std::int64_t count = h5::read_int_attribute(formulas, "count");
  if (count < 1 || count > kMaxFormulas) {
    throw Error("SHAVE model formula count " + std::to_string(count) + " is outside 1.." +
                std::to_string(kMaxFormulas));
  }
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    const H5::Group g = h5::open_group(formulas, formula_name(i));
    ShaveGroupFit fit;
    fit.key.operation = parse<ShaveOp>(h5::read_string_attribute(g, "operation"));
    fit.key.dtype = parse<DType>(h5::read_string_attribute(g, "dtype"));
    fit.key.param = read_small_int(g, "param", 0, 1000);
    fit.shape.vector = read_small_int(g, "vector", 1, 1 << 16);
    fit.shape.unroll = read_small_int(g, "unroll", 1, 1 << 16);
    fit.rows = static_cast<std::uint64_t>(h5::read_int_attribute(g, "rows"));
    fit.train_mape = h5::read_double_attribute(g, "train_mape");
    const auto shape = h5::dataset_shape(g, "coefficients");
    const std::size_t terms = shave_term_count(basis_kind(fit.key.operation));
    if (shape.size() != 1 || shape[0] != terms) {
      throw Error(h5::object_path(g) + "/coefficients holds " +
                  std::to_string(shape.empty() ? 0 : shape[0]) + " values, the " +
                  std::string(to_string(fit.key.operation)) + " basis " + std::to_string(terms));
    }
    fit.coefficients.resize(terms);
    h5::read_values(h5::open_numeric(g, "coefficients"), fit.coefficients.data(),
                    H5::PredType::NATIVE_DOUBLE, h5::object_path(g) + "/coefficients");
    p.groups.push_back(std::move(fit));
  }
  if (h5::has_child(root, "training")) p.training = detail::read_training_record(root);
  return p;
}

void write_shave_parts(H5::H5File& file, const ShaveModelParts& p) {
  H5::Group root = file.openGroup("/");
  detail::write_model_root(root, "shave", p.device);
  h5::write_attribute(root, "shave_basis_version", std::int64_t{p.basis_version});
  H5::Group formulas = root.createGroup("formulas");
  h5::write_attribute(formulas, "count", static_cast<std::int64_t>(p.groups.size()));
  for (std::size_t i = 0; i < p.groups.size(); ++i) {
    const ShaveGroupFit& fit = p.groups[i];
    H5::Group g = formulas.createGroup(formula_name(i));
    h5::write_attribute(g, "operation", std::string(to_string(fit.key.operation)));
    h5::write_attribute(g, "dtype", std::string(to_string(fit.key.dtype)));
    h5::write_attribute(g, "param", std::int64_t{fit.key.param});
    h5::write_attribute(g, "vector", std::int64_t{fit.shape.vector});
    h5::write_attribute(g, "unroll", std::int64_t{fit.shape.unroll});
    h5::write_attribute(g, "rows", static_cast<std::int64_t>(fit.rows));
    h5::write_attribute(g, "train_mape", fit.train_mape);
    const hsize_t dims[1] = {fit.coefficients.size()};
    H5::DataSpace space(1, dims);
    H5::DataSet ds = g.createDataSet("coefficients", H5::PredType::IEEE_F64LE, space,
                                     h5::checksummed_layout(1, dims));
    ds.write(fit.coefficients.data(), H5::PredType::NATIVE_DOUBLE);
  }
  detail::write_training_record(root, p.training);
}

}  // namespace

ShaveModel load_shave_model(const std::filesystem::path& path) {
  return detail::read_model_file(
      path, [](const H5::H5File& file) { return ShaveModel(read_shave_parts(file)); });
}

void save_shave_model(const ShaveModelParts& parts, const std::filesystem::path& path) {
  ShaveModel check(parts);  // never write a model that would not load
  detail::write_model_file(path, [&](H5::H5File& file) { write_shave_parts(file, parts); });
}

}  // namespace vpucost
