// Issue #16, item 2, first measurement: the whole-device layer model
// (layer_strategy.hpp) against the v2 teacher's layers/ files. For every
// layer: each strategy's compute cycles against the teacher's column, the
// best strategy's cycles against cycles_best, and whether the best strategy
// agrees. Usage:
//   layer_strategy_study MODEL.h5 DMA_MODEL.h5 LAYERS.csv [MAX_ROWS [DUMP.csv]]
// DUMP.csv gets, per row, our cycles under each strategy (empty when we
// refuse it), our best strategy, its workload count and split of the first
// tile, and why we refused every strategy of a layer we cannot cost.
// e.g. build/bench/layer_strategy_study models/vpu_4_0.h5 models/dma_vpu_4_0.h5
//      ../shared/datasets/vpunn-teacher-v2/layers/vpu_4_0_test.csv
// The DMA terms (weights, input, output) are judged under the teacher's
// best strategy.
// Results: NETWORK.md / models/README.md as they are written up.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "vpucost/device.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/model_file.hpp"

namespace {

using namespace vpucost;

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string c; std::getline(ss, c, ',');) out.push_back(c);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

struct Errors {
  std::vector<double> ape;
  std::vector<double> ratio;  // predicted / true, for the bias
  void add(double predicted, double truth) {
    ape.push_back(std::abs(predicted / truth - 1));
    ratio.push_back(predicted / truth);
  }
  void print(const char* name) const {
    if (ape.empty()) return;
    double sum = 0;
    std::size_t within = 0;
    for (double a : ape) {
      sum += a;
      within += a <= 0.10;
    }
    std::vector<double> sorted = ape;
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> r = ratio;
    std::sort(r.begin(), r.end());
    std::printf(
        "  %-16s n %5zu  MAPE %6.2f %%  median %6.2f %%  within 10 %% %5.1f %%  median ratio "
        "%.3f\n",
        name, ape.size(), 100 * sum / double(ape.size()), 100 * sorted[sorted.size() / 2],
        100.0 * double(within) / double(ape.size()), r[r.size() / 2]);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(
        stderr,
        "usage: layer_strategy_study MODEL.h5 DMA_MODEL.h5 LAYERS.csv [MAX_ROWS [DUMP.csv]]\n");
    return 2;
  }
  const CostModel model = load_model(argv[1]);
  const DmaModel dma = load_dma_model(argv[2]);
  ++argv;  // the rest as before: LAYERS.csv [MAX_ROWS]
  --argc;
  const std::size_t max_rows = argc > 3 ? std::stoul(argv[3]) : SIZE_MAX;
  std::ofstream dump;
  if (argc > 4) dump.open(argv[4]);
  std::map<std::string, Errors> dma_errors;
  std::ifstream in(argv[2]);
  std::string line;
  std::getline(in, line);
  const auto header = cells(line);
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  std::map<std::string, Errors> per_strategy;
  Errors best;
  std::size_t rows = 0, agree = 0, refused_by_us = 0, we_offer_teacher_not = 0;
  std::size_t same_count = 0, count_compared = 0;  // workloads of the agreed best strategy
  std::map<std::string, std::size_t> confusion;
  while (std::getline(in, line) && rows < max_rows) {
    const auto c = cells(line);
    const auto num = [&](const char* name) { return std::stoll(c.at(col.at(name))); };
    Workload w;
    w.device = parse<Device>(c.at(col.at("device")));
    w.operation = parse<Operation>(c.at(col.at("operation")));
    w.input = {num("input_width"), num("input_height"), num("input_channels"),
               parse<DType>(c.at(col.at("input_dtype")))};
    w.output = {num("output_width"), num("output_height"), num("output_channels"),
                parse<DType>(c.at(col.at("output_dtype")))};
    w.kernel_w = num("kernel_width");
    w.kernel_h = num("kernel_height");
    w.stride_w = num("stride_width");
    w.stride_h = num("stride_height");
    w.padding = {num("pad_top"), num("pad_bottom"), num("pad_left"), num("pad_right")};
    w.activation = parse<ActivationFunction>(c.at(col.at("activation_function")));
    w.mode = operation_modes(w.device, w.operation).front();
    ++rows;
    LayerStrategies ours;
    try {
      ours = cost_strategies(model, w);
    } catch (const std::exception& e) {
      ++refused_by_us;
      continue;
    }
    if (dump.is_open()) {
      dump << rows;
      for (const TilingStrategy s : device_strategies(w.device)) {
        const auto mine = std::find_if(ours.valid.begin(), ours.valid.end(),
                                       [&](const StrategyCost& x) { return x.strategy == s; });
        dump << ',';
        if (mine != ours.valid.end()) dump << mine->cycles;
      }
      if (ours.valid.empty()) {
        dump << ",,,,\"";
        for (const auto& [s, why] : ours.not_valid) dump << to_string(s) << ": " << why << "; ";
        dump << "\"\n";
      } else {
        const StrategyCost& b = ours.best();
        dump << ',' << to_string(b.strategy) << ',' << b.workloads() << ',' << b.tiles.front().split
             << ",\n";
      }
    }
    for (const TilingStrategy s : device_strategies(w.device)) {
      const std::string name(to_string(s));
      const auto it = col.find("cycles_" + name);
      const bool teacher_has = it != col.end() && !c.at(it->second).empty();
      const auto mine = std::find_if(ours.valid.begin(), ours.valid.end(),
                                     [&](const StrategyCost& x) { return x.strategy == s; });
      if (teacher_has && mine != ours.valid.end()) {
        per_strategy[name].add(mine->cycles, std::stod(c.at(it->second)));
      } else if (!teacher_has && mine != ours.valid.end()) {
        ++we_offer_teacher_not;
      }
    }
    if (ours.valid.empty()) {
      ++refused_by_us;
      continue;
    }
    // The DMA terms under the teacher's best strategy (the DMA model judged
    // apart from the choice of strategy).
    const std::string teacher_best_name = c.at(col.at("best_strategy"));
    for (const StrategyCost& sc : ours.valid) {
      if (to_string(sc.strategy) != teacher_best_name) continue;
      const LayerDmaTerms t = dma_terms(dma, w, sc);
      const std::pair<const char*, double> terms[] = {{"dma_weights_cycles", t.weights},
                                                      {"dma_input_cycles", t.input},
                                                      {"dma_output_cycles", t.output}};
      for (const auto& [name, v] : terms) {
        const double truth = std::stod(c.at(col.at(name)));
        if (truth > 0 && v > 0) dma_errors[name].add(v, truth);
      }
    }
    const StrategyCost& b = ours.best();
    best.add(b.cycles, std::stod(c.at(col.at("cycles_best"))));
    const std::string teacher_best = c.at(col.at("best_strategy"));
    agree += teacher_best == to_string(b.strategy);
    if (teacher_best == to_string(b.strategy)) {
      ++count_compared;
      same_count += std::stoull(c.at(col.at("n_workloads"))) == b.workloads();
    }
    ++confusion[teacher_best + " -> " + std::string(to_string(b.strategy))];
  }
  std::printf("%s and %s on %s: %zu layers, %zu with no valid strategy of ours\n", argv[0], argv[1],
              argv[2], rows, refused_by_us);
  best.print("best strategy");
  for (const auto& [name, e] : per_strategy) e.print(name.c_str());
  for (const auto& [name, e] : dma_errors) e.print(name.c_str());
  std::printf("  same best strategy as the teacher: %.1f %%\n",
              100.0 * double(agree) / double(std::max<std::size_t>(1, rows - refused_by_us)));
  std::printf("  strategies we cost that the teacher found invalid: %zu\n", we_offer_teacher_not);
  std::printf("  same DPU workload count as the teacher (where the strategy agrees): %.1f %%\n",
              100.0 * double(same_count) / double(std::max<std::size_t>(1, count_compared)));
  std::printf("  teacher best -> ours:");
  for (const auto& [k, n] : confusion) std::printf("  %s %zu", k.c_str(), n);
  std::printf("\n");
  return 0;
}
