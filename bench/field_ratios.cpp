// What each compiler field does to a model's prediction, next to what it does
// to the teacher's label: for random workloads drawn like the v2 teacher data
// (fields at their defaults), the ratio of the prediction with one field
// changed to the prediction without, as p5 / median / p95 — the measure of
// ../shared/datasets/vpunn-teacher-v2/README.md ("What the new fields do to
// the label", 2,000 accepted workloads per device; sparsity on the
// CONVOLUTION and ELTWISE ones). Results: models/README.md.
//
//   field_ratios <models dir> [workloads per device, default 2000]
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "../tests/support/random_workloads.hpp"
#include "vpucost/error.hpp"
#include "vpucost/model_file.hpp"

namespace {

using namespace vpucost;

struct Change {
  const char* name;
  std::function<bool(Device)> applies;
  std::function<bool(const Workload&)> takes;  // which workloads it is measured on
  std::function<void(Workload&, std::mt19937_64&)> apply;
};

std::string quantiles(std::vector<double> v) {
  if (v.empty()) return "n/a";
  std::sort(v.begin(), v.end());
  const auto at = [&](double q) { return v[static_cast<std::size_t>(q * double(v.size() - 1))]; };
  char text[64];
  std::snprintf(text, sizeof text, "%.2f / %.2f / %.2f", at(0.05), at(0.5), at(0.95));
  return text;
}

double uniform_rate(std::mt19937_64& rng) {
  return std::uniform_real_distribution<double>(0.05, 0.9)(rng);
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 2) {
    std::fprintf(stderr, "usage: field_ratios <models dir> [workloads per device]\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const std::size_t n = argc > 2 ? std::stoul(argv[2]) : 2000;
  const auto sparse_op = [](const Workload& w) {
    return takes_sparsity(w.operation, w.input.channels);
  };
  const auto any = [](const Workload&) { return true; };
  const std::vector<Change> changes = {
      {"activation RELU", [](Device) { return true; }, any,
       [](Workload& w, std::mt19937_64&) { w.activation = ActivationFunction::RELU; }},
      {"activation LRELU", [](Device) { return true; }, any,
       [](Workload& w, std::mt19937_64&) { w.activation = ActivationFunction::LRELU; }},
      {"input_sparsity U(0.05, 0.9)", [](Device) { return true; }, sparse_op,
       [](Workload& w, std::mt19937_64& rng) { w.input_sparsity = uniform_rate(rng); }},
      {"weight_sparsity U(0.05, 0.9)", [](Device) { return true; }, sparse_op,
       [](Workload& w, std::mt19937_64& rng) { w.weight_sparsity = uniform_rate(rng); }},
      {"output_write_tiles U(2..n)", [](Device d) { return device_spec(d).tiles > 1; }, any,
       [](Workload& w, std::mt19937_64& rng) {
         const int tiles = device_spec(w.device).tiles;
         w.output_write_tiles = std::uniform_int_distribution<int>(2, tiles)(rng);
       }},
      {"SPLIT_OVER_K vs CLUSTERING, same owt",
       [](Device d) { return device_has_isi_strategy(d, IsiStrategy::SPLIT_OVER_K); }, any,
       [](Workload& w, std::mt19937_64&) { w.isi_strategy = IsiStrategy::SPLIT_OVER_K; }},
      {"SPLIT_OVER_H",
       [](Device d) { return device_has_isi_strategy(d, IsiStrategy::SPLIT_OVER_H); }, any,
       [](Workload& w, std::mt19937_64&) { w.isi_strategy = IsiStrategy::SPLIT_OVER_H; }},
  };
  std::printf("| field changed |");
  std::vector<std::pair<Device, CostModel>> models;
  for (const Device d : all_devices()) {
    std::string name(to_string(d));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    const auto path = dir / (name + ".h5");
    if (!std::filesystem::exists(path)) continue;
    models.emplace_back(d, load_model(path));
    std::printf(" %s |", std::string(to_string(d)).c_str());
  }
  std::printf("\n|---|");
  for (std::size_t i = 0; i < models.size(); ++i) std::printf("---|");
  std::printf("\n");
  for (const Change& change : changes) {
    std::printf("| %s |", change.name);
    for (const auto& [device, model] : models) {
      if (!change.applies(device)) {
        std::printf(" not accepted |");
        continue;
      }
      std::mt19937_64 rng(77 + static_cast<int>(device));
      test::WorkloadSampler sampler(device, 2026 + static_cast<int>(device));
      std::vector<double> ratios;
      for (std::size_t k = 0; k < n;) {
        Workload base = sampler.next();
        if (!change.takes(base)) continue;
        ++k;
        Workload changed = base;
        change.apply(changed, rng);
        if (changed.isi_strategy == IsiStrategy::SPLIT_OVER_K) {
          // Compared at the same broadcast: both write to 2 tiles.
          base.output_write_tiles = changed.output_write_tiles = 2;
        }
        if (find_problem(changed) || find_problem(base)) continue;
        ratios.push_back(model.predict_cycles(changed) / model.predict_cycles(base));
      }
      std::printf(" %s |", quantiles(ratios).c_str());
    }
    std::printf("\n");
  }
  return 0;
} catch (const vpucost::Error& e) {
  std::fprintf(stderr, "field_ratios: %s\n", e.what());
  return 1;
}
