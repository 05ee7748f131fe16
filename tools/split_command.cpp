// vpucost split: a dataset -> train and test files, reproducibly, with every
// descriptor on one side only.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dataset_cli.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/dataset_split.hpp"

namespace vpucost::cli {

int run_split(const std::vector<std::string>& args) {
  po::options_description options("split options");
  options.add_options()("data", po::value<std::string>()->required(),
                        "dataset to split (.h5, or a recording .csv)")(
      "train", po::value<std::string>()->required(), "training side to write (.h5)")(
      "test", po::value<std::string>()->required(), "test side to write (.h5)")(
      "test-fraction", po::value<double>()->default_value(0.2),
      "share of rows for the test side, "
      "0 < f < 1")("seed", po::value<std::uint64_t>()->default_value(1),
                   "seed; the same data and seed always "
                   "give the same split")("json", "print the summary as one JSON object");
  po::variables_map vm;
  if (!parse_options("split",
                     "--data D.h5 --train T.h5 --test V.h5 [--test-fraction 0.2] "
                     "[--seed 1] [--json]",
                     options, args, vm)) {
    return 0;
  }
  const std::filesystem::path data = vm["data"].as<std::string>();
  const std::filesystem::path train = vm["train"].as<std::string>();
  const std::filesystem::path test = vm["test"].as<std::string>();
  const double fraction = vm["test-fraction"].as<double>();
  const std::uint64_t seed = vm["seed"].as<std::uint64_t>();
  require_distinct_files({{"--data", data}, {"--train", train}, {"--test", test}});

  const DatasetColumns rows = load_dataset_columns(data);
  const SplitResult split = split_dataset(rows, fraction, seed);

  const std::string how =
      "seed " + std::to_string(seed) + ", test fraction " + std::to_string(fraction).substr(0, 6);
  DatasetOutput outputs[2];
  outputs[0].path = train;
  outputs[0].columns = &split.train;
  outputs[0].options.source_file = data.filename().string() + " (train side of split, " + how + ")";
  outputs[1].path = test;
  outputs[1].columns = &split.test;
  outputs[1].options.source_file = data.filename().string() + " (test side of split, " + how + ")";
  write_dataset_files(outputs);

  const double actual =
      rows.empty() ? 0.0
                   : static_cast<double>(split.test.size()) / static_cast<double>(rows.size());
  if (split.test.empty() || split.train.empty()) {
    std::cerr << "vpucost split: warning: the " << (split.test.empty() ? "test" : "train")
              << " side is empty (" << rows.size() << " rows, " << split.groups
              << " distinct descriptors)\n";
  }
  if (vm.count("json")) {
    nlohmann::json j;
    j["rows"] = rows.size();
    j["train_rows"] = split.train.size();
    j["test_rows"] = split.test.size();
    j["descriptor_groups"] = split.groups;
    j["test_groups"] = split.test_groups;
    j["test_fraction"] = actual;
    j["seed"] = seed;
    j["train"] = train.string();
    j["test"] = test.string();
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "split " << data.string() << " (" << rows.size() << " rows, " << split.groups
            << " distinct descriptors; " << how << ")\n"
            << "train: " << train.string() << "  " << split.train.size() << " rows\n"
            << "test:  " << test.string() << "  " << split.test.size() << " rows (" << std::fixed
            << std::setprecision(2) << 100.0 * actual << "%)\n";
  return 0;
}

}  // namespace vpucost::cli
