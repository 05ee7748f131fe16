// Layout (all under "/"):
//   attributes  format = "vpucost-model", format_version, vpucost_version,
//               kind = "dma", device, dma_curve_version, method
//               ("fitted" | "roofline")
//   curves/     curves/<DIRECTION>/ for each direction the model has, with
//               attributes rows, train_mape and datasets "knot_bytes" and
//               "knot_cycles" (float64, equal lengths; dma_model.hpp)
//   training/   as in DPU model files (training_record.hpp)
#include "vpucost/dma_model_file.hpp"

#include "training_record.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/version.hpp"

namespace vpucost {
namespace {

// As in DmaModel's check: far above what 1 byte .. 1 GiB needs.
constexpr hsize_t kMaxStoredKnots = 4096;

std::vector<double> read_knot_values(const H5::Group& g, const std::string& name) {
  const auto shape = h5::dataset_shape(g, name);
  if (shape.size() != 1 || shape[0] < 2 || shape[0] > kMaxStoredKnots) {
    throw Error(h5::object_path(g) + "/" + name + " must be a list of 2.." +
                std::to_string(kMaxStoredKnots) + " values");
  }
  std::vector<double> v(shape[0]);
  h5::read_values(h5::open_numeric(g, name), v.data(), H5::PredType::NATIVE_DOUBLE,
                  h5::object_path(g) + "/" + name);
  return v;
}

DmaModelParts read_dma_parts(const H5::H5File& file) {
  const H5::Group root = file.openGroup("/");
  detail::check_model_root(root, "dma", "a DMA model");
  DmaModelParts p;
  p.device = parse<Device>(h5::read_string_attribute(root, "device"));
  const std::int64_t version = h5::read_int_attribute(root, "dma_curve_version");
  if (version != kDmaCurveVersion) {
    throw Error("DMA curve version " + std::to_string(version) +
                " is not supported (this build reads version " + std::to_string(kDmaCurveVersion) +
                ")");
  }
  p.method = parse<DmaMethod>(h5::read_string_attribute(root, "method"));
  const H5::Group curves = h5::open_group(root, "curves");
  for (std::size_t d = 0; d < p.curves.size(); ++d) {
    const std::string name(to_string(static_cast<DmaDirection>(d)));
    if (!h5::has_child(curves, name)) continue;
    const H5::Group g = h5::open_group(curves, name);
    DmaCurve& c = p.curves[d];
    const std::int64_t rows = h5::read_int_attribute(g, "rows");
    if (rows < 0) throw Error(h5::object_path(g) + " attribute rows is negative");
    c.rows = static_cast<std::uint64_t>(rows);
    c.train_mape = h5::read_double_attribute(g, "train_mape");
    c.knot_bytes = read_knot_values(g, "knot_bytes");
    c.knot_cycles = read_knot_values(g, "knot_cycles");
  }
  if (h5::has_child(root, "training")) p.training = detail::read_training_record(root);
  return p;
}

void write_knot_values(H5::Group& g, const std::string& name, const std::vector<double>& v) {
  const hsize_t dims[1] = {v.size()};
  H5::DataSpace space(1, dims);
  H5::DataSet ds =
      g.createDataSet(name, H5::PredType::IEEE_F64LE, space, h5::checksummed_layout(1, dims));
  ds.write(v.data(), H5::PredType::NATIVE_DOUBLE);
}

void write_dma_parts(H5::H5File& file, const DmaModelParts& p) {
  H5::Group root = file.openGroup("/");
  detail::write_model_root(root, "dma", p.device);
  h5::write_attribute(root, "dma_curve_version", std::int64_t{p.curve_version});
  h5::write_attribute(root, "method", std::string(to_string(p.method)));
  H5::Group curves = root.createGroup("curves");
  for (std::size_t d = 0; d < p.curves.size(); ++d) {
    const DmaCurve& c = p.curves[d];
    if (c.empty()) continue;
    H5::Group g = curves.createGroup(std::string(to_string(static_cast<DmaDirection>(d))));
    h5::write_attribute(g, "rows", static_cast<std::int64_t>(c.rows));
    h5::write_attribute(g, "train_mape", c.train_mape);
    write_knot_values(g, "knot_bytes", c.knot_bytes);
    write_knot_values(g, "knot_cycles", c.knot_cycles);
  }
  detail::write_training_record(root, p.training);
}

}  // namespace

DmaModel load_dma_model(const std::filesystem::path& path) {
  return detail::read_model_file(
      path, [](const H5::H5File& file) { return DmaModel(read_dma_parts(file)); });
}

void save_dma_model(const DmaModelParts& parts, const std::filesystem::path& path) {
  DmaModel check(parts);  // never write a model that would not load
  detail::write_model_file(path, [&](H5::H5File& file) { write_dma_parts(file, parts); });
}

}  // namespace vpucost
