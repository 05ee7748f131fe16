// Not a timing benchmark: how well the SHAVE closed forms (shave_basis.hpp)
// fit VPUNN's SHAVE costs. For each device, fits on the v2 teacher's
// shave/<device>_train.csv and reports, on shave/<device>_test.csv, MAPE and
// the share within +-10 % overall and per operation, the number of
// coefficients, and the prediction time per operation (batched, median of 5).
// Results: models/README.md ("SHAVE models").
//
//   shave_study <v2 shave folder> [device stem ...]   (default: vpu_2_7 vpu_4_0 npu_5_0)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vpucost/error.hpp"
#include "vpucost/kind_recordings.hpp"
#include "vpucost/shave_fit.hpp"

namespace {

using namespace vpucost;

struct Score {
  double sum_ape = 0;
  std::size_t within = 0;
  std::size_t n = 0;
  void add(double ape) {
    sum_ape += ape;
    within += ape <= 0.10;
    ++n;
  }
  std::string text() const {
    char out[64];
    std::snprintf(out, sizeof out, "%.2f %% / %.1f %%", 100 * sum_ape / double(n),
                  100 * double(within) / double(n));
    return out;
  }
};

double median_ns_per_op(const ShaveModel& m, const std::vector<ShaveOperation>& ops) {
  std::vector<double> out(ops.size());
  std::vector<double> times;
  for (int round = 0; round < 5; ++round) {
    const auto start = std::chrono::steady_clock::now();
    for (int rep = 0; rep < 20; ++rep) m.predict_cycles(ops, out);
    const std::chrono::duration<double, std::nano> t = std::chrono::steady_clock::now() - start;
    times.push_back(t.count() / (20.0 * double(ops.size())));
  }
  std::sort(times.begin(), times.end());
  return times[2];
}

void study(const std::filesystem::path& folder, const std::string& stem) {
  const ShaveRecordings train = read_shave_csv(folder / (stem + "_train.csv"));
  const ShaveRecordings test = read_shave_csv(folder / (stem + "_test.csv"));
  const ShaveModel model(fit_shave_model(train, stem + "_train.csv"));
  Score overall;
  std::map<std::string, Score> per_op;
  std::vector<ShaveOperation> answered;
  std::size_t refused = 0;
  for (std::size_t i = 0; i < test.size(); ++i) {
    if (model.find_unanswerable(test.items[i])) {
      ++refused;
      continue;
    }
    const double ape = std::abs(model.predict_cycles(test.items[i]) / test.cycles[i] - 1.0);
    overall.add(ape);
    per_op[std::string(to_string(test.items[i].operation))].add(ape);
    answered.push_back(test.items[i]);
  }
  std::size_t coefficients = 0;
  for (const auto& g : model.parts().groups) coefficients += g.coefficients.size() + 2;
  std::printf(
      "%s: %zu formulas, %zu numbers (coefficients + loop shape), test %s (MAPE / within 10 %%) on "
      "%zu rows, %zu refused; %.1f ns per operation\n",
      stem.c_str(), model.parts().groups.size(), coefficients, overall.text().c_str(), overall.n,
      refused, median_ns_per_op(model, answered));
  for (const auto& [op, s] : per_op)
    std::printf("  %-15s %s (%zu)\n", op.c_str(), s.text().c_str(), s.n);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: shave_study <v2 shave folder> [device stem ...]\n");
    return 2;
  }
  std::vector<std::string> stems(argv + 2, argv + argc);
  if (stems.empty()) stems = {"vpu_2_7", "vpu_4_0", "npu_5_0"};
  try {
    for (const auto& stem : stems) study(argv[1], stem);
  } catch (const vpucost::Error& e) {
    std::fprintf(stderr, "shave_study: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
