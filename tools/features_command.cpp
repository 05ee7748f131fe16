// vpucost features: the feature encoding of every row of a dataset as CSV,
// so that other learners (bench/compare_trainers: PyTorch, XGBoost, random
// forests) train on exactly the inputs vpucost's MLP sees.
#include <charconv>
#include <iostream>

#include "command.hpp"
#include "dataset_cli.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/dataset.hpp"
#include "vpucost/features.hpp"

namespace vpucost::cli {

int run_features(const std::vector<std::string>& args) {
  po::options_description options("features options");
  options.add_options()("data", po::value<std::string>()->required(),
                        "dataset (.h5) or recording CSV")(
      "out", po::value<std::string>()->required(),
      "CSV to write: device, operation, one column per feature (encoding order), cycles");
  po::variables_map vm;
  if (!parse_options("features", "--data X.(h5|csv) --out features.csv", options, args, vm)) {
    return 0;
  }
  const std::filesystem::path data_path = vm["data"].as<std::string>();
  const std::filesystem::path out = vm["out"].as<std::string>();
  require_distinct_files({{"--data", data_path}, {"--out", out}});
  const Dataset data = load_dataset(data_path);

  std::string csv = "device,operation";
  for (const auto name : feature_names()) csv += "," + std::string(name);
  csv += ",cycles\n";
  csv.reserve(data.size() * 200);
  char buf[64];
  FeatureVector f;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const Workload& w = data.workloads[i];
    encode_features(w, f);
    csv += to_string(w.device);
    csv += ',';
    csv += to_string(w.operation);
    // Shortest text that reads back to the same float.
    for (const float v : f) {
      const auto r = std::to_chars(buf, buf + sizeof buf, v);
      csv += ',';
      csv.append(buf, r.ptr);
    }
    const auto r = std::to_chars(buf, buf + sizeof buf, data.cycles[i]);
    csv += ',';
    csv.append(buf, r.ptr);
    csv += '\n';
  }
  write_file_atomically(out, csv);
  std::cerr << "vpucost features: wrote " << data.size() << " rows x " << kFeatureCount
            << " features (encoding version " << kFeatureEncodingVersion << ") to " << out.string()
            << "\n";
  return 0;
}

}  // namespace vpucost::cli
