// vpucost layer --csv: the layers of a CSV (the v2 teacher's layers/ columns)
// on the whole device. Output: each valid row as written plus our best (or
// chosen) strategy, its cycles, every strategy's cycles, its DPU workload
// count and the three DMA terms; a layer no strategy fits gets empty numbers
// and the reason. Invalid rows are left out and named (--rejects, --strict),
// as predict --csv does. When the file carries the teacher's labels, the
// summary compares: best-strategy cycles, same strategy, per strategy, DMA.
#include "layer_csv.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "dataset_cli.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/layer_recordings.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/layer_training_rows.hpp"
#include "vpucost/lut_writers.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/recording_predictor.hpp"

namespace vpucost::cli {
namespace {

constexpr std::size_t kLayerRejectsShown = 5;

// Absolute percentage errors against one label column.
struct LabelErrors {
  std::vector<double> ape;
  void add(double ours, double truth) {
    if (std::isfinite(truth) && truth > 0) ape.push_back(std::abs(ours / truth - 1.0));
  }
  void print(std::ostream& out, const std::string& name) const {
    if (ape.empty()) return;
    double sum = 0;
    std::size_t within = 0;
    for (const double a : ape) {
      sum += a;
      within += a <= 0.10;
    }
    out << "  " << std::left << std::setw(22) << name << std::right << std::setw(6) << ape.size()
        << " rows  MAPE " << std::setw(6) << 100.0 * sum / double(ape.size()) << " %  within 10 % "
        << std::setw(5) << 100.0 * double(within) / double(ape.size()) << " %\n";
  }
};

struct Comparison {
  LabelErrors best, weights, input, output;
  std::map<std::string, LabelErrors> per_strategy;
  std::size_t compared = 0, same_strategy = 0;
  std::size_t we_refuse_teacher_costs = 0, we_cost_teacher_refuses = 0;
};

std::string number(double v) {
  std::ostringstream s;
  s << std::setprecision(10) << v;
  return s.str();
}

}  // namespace

void add_layer_csv_options(po::options_description& options) {
  // clang-format off
  options.add_options()
      ("csv", po::value<std::string>(),
       "batch mode: every layer of this CSV (the v2 teacher's layers/ columns; labels optional)")
      ("out", po::value<std::string>(),
       "with --csv: write the rows plus our strategy, cycles and DMA terms here (default: "
       "standard output)")
      ("rejects", po::value<std::string>(),
       "with --csv: write every invalid row (line, reason, row) to this CSV")
      ("strict", "with --csv: fail, writing nothing, if any row is invalid")
      ("emit-training-rows", po::value<std::string>(),
       "with --csv and the teacher's labels: write the DPU workloads the labels measure "
       "(recording CSV with cycles, for vpucost train) to this file")
      ("emit-queried", po::value<std::string>(),
       "with --csv: write every distinct DPU workload the costing asks the model about "
       "(recording CSV without cycles: what to profile, or to label with teacher models)")
      ("training-margin", po::value<double>()->default_value(0.05, "0.05"),
       "with --emit-training-rows: the relative lead the model's slowest tile and chosen cut "
       "need for a label to be kept");
  // clang-format on
}

int run_layer_csv(const po::variables_map& vm, const LoadedPredictor& loaded, const DmaModel& dma,
                  const std::string& dma_option) {
  // The models read must not be overwritten by --out or --rejects.
  std::vector<std::pair<std::string, std::filesystem::path>> read;
  for (const char* option : {"model", "dma-model"}) {
    if (vm.count(option) && vm[option].as<std::string>() != "roofline") {
      read.emplace_back(std::string("--") + option, vm[option].as<std::string>());
    }
  }
  for (const char* written : {"emit-training-rows", "emit-queried"}) {
    if (vm.count(written)) {
      read.emplace_back(std::string("--") + written, vm[written].as<std::string>());
      require_writable(std::string("--") + written, vm[written].as<std::string>());
    }
  }
  const BatchFiles files = batch_files(vm, read);
  const std::filesystem::path& in = files.in;
  const auto& out_path = files.out;
  const auto& rejects_path = files.rejects;
  refuse_options(vm,
                 {"op", "input", "output-channels", "kernel", "stride", "pad", "dtype",
                  "output-dtype", "activation", "json"},
                 "describes one layer; with --csv the rows do");
  // The rows' best strategy is the cheapest in compute cycles, as the
  // teacher's labels choose it; the DMA terms are columns of their own.
  if (vm["mode"].as<std::string>() != "compute") {
    throw Error(
        "--mode applies to one layer; with --csv the best strategy is the cheapest in "
        "compute cycles and the DMA terms are columns of their own (add them for ddr)");
  }

  const LayerRecordings rec = read_layer_csv(in);
  const auto* model = dynamic_cast<const CostModel*>(loaded.predictor.get());
  std::vector<RejectedRow> rejects = rec.rejects;
  std::vector<const LayerRecord*> rows;
  for (const LayerRecord& r : rec.items) {
    std::optional<std::string> problem;
    if (model && r.layer.device != model->device()) {
      problem = "device " + std::string(to_string(r.layer.device)) + ", but the model is for " +
                std::string(to_string(model->device()));
    } else if (r.layer.device != dma.device()) {
      problem = "device " + std::string(to_string(r.layer.device)) + ", but the DMA model (" +
                dma_option + ") is for " + std::string(to_string(dma.device()));
    }
    if (problem) {
      rejects.push_back({r.line, std::move(*problem), r.text});
    } else {
      rows.push_back(&r);
    }
  }
  std::sort(rejects.begin(), rejects.end(),
            [](const RejectedRow& a, const RejectedRow& b) { return a.line < b.line; });
  if (vm.count("strict") && !rejects.empty()) {
    throw Error(std::to_string(rejects.size()) + " of " + std::to_string(rec.rows_read) +
                " rows of " + in.string() + " are invalid (--strict), first: line " +
                std::to_string(rejects.front().line) + ": " + rejects.front().reason +
                "; nothing written");
  }

  const std::string wanted = vm["strategy"].as<std::string>();
  // A flag and a value rather than std::optional: GCC 12 warns falsely that
  // an optional of a one-byte enum may be read uninitialised here.
  const bool is_forced = wanted != "best";
  const TilingStrategy forced = is_forced ? parse<TilingStrategy>(wanted) : TilingStrategy{};
  std::ostringstream out;
  out << rec.header << ",vpucost_strategy,vpucost_cycles";
  for (std::size_t s = 0; s < enum_count<TilingStrategy>(); ++s) {
    out << ",vpucost_cycles_" << to_string(static_cast<TilingStrategy>(s));
  }
  out << ",vpucost_workloads,vpucost_dma_weights_cycles,vpucost_dma_input_cycles,"
         "vpucost_dma_output_cycles,vpucost_note\n";
  Comparison cmp;
  std::size_t costed = 0, no_strategy = 0;
  const std::optional<std::string> training_path =
      vm.count("emit-training-rows") ? std::optional(vm["emit-training-rows"].as<std::string>())
                                     : std::nullopt;
  const double margin = vm["training-margin"].as<double>();
  if (!(margin >= 0 && margin < 1)) {
    throw Error("--training-margin must be in [0, 1), got " + number(margin));
  }
  if (training_path && !rec.has_labels) {
    throw Error(
        "--emit-training-rows needs the teacher's labels (cycles_best, cycles_<strategy>) "
        "in " +
        in.string());
  }
  std::string training = workload_csv_header() + ",cycles\n";
  std::size_t training_rows = 0;
  // With --emit-queried, every workload the costing asks is recorded on the way.
  const RecordingPredictor recorder(*loaded.predictor);
  const CyclePredictor& predictor =
      vm.count("emit-queried") ? recorder : static_cast<const CyclePredictor&>(*loaded.predictor);
  for (const LayerRecord* r : rows) {
    const LayerStrategies all = cost_strategies(predictor, r->layer);
    const StrategyCost* chosen = nullptr;
    std::string note;
    for (const StrategyCost& c : all.valid) {
      if (is_forced ? c.strategy == forced : (!chosen || c.cycles < chosen->cycles)) chosen = &c;
    }
    if (!chosen) {
      for (const auto& [s, why] : all.not_valid) {
        if (!is_forced || s == forced) {
          note += (note.empty() ? "" : "; ") + std::string(to_string(s)) + ": " + why;
        }
      }
      note =
          (is_forced ? "strategy " + wanted + " is not valid: " : "no tiling strategy is valid: ") +
          (note.empty() ? std::string("the device does not offer it") : note);
    }
    out << r->text << ",";
    if (chosen) out << to_string(chosen->strategy) << "," << number(chosen->cycles);
    if (!chosen) out << ",";
    std::array<double, enum_count<TilingStrategy>()> ours;
    ours.fill(std::nan(""));
    for (const StrategyCost& c : all.valid) ours[static_cast<std::size_t>(c.strategy)] = c.cycles;
    for (const double c : ours) out << "," << (std::isnan(c) ? "" : number(c));
    if (chosen) {
      const LayerDmaTerms t = dma_terms(dma, r->layer, *chosen);
      out << "," << chosen->workloads() << "," << number(t.weights) << "," << number(t.input) << ","
          << number(t.output) << ",\n";
      ++costed;
    } else {
      out << ",,,,," << csv_field(note) << "\n";
      ++no_strategy;
    }
    if (!rec.has_labels) continue;
    if (training_path) {
      LayerLabels labels;
      labels.cycles = r->cycles;
      labels.best = r->best_strategy;
      labels.best_modes = r->exec_modes;
      labels.best_workloads = r->n_workloads;
      for (const LayerTrainingRow& t : layer_training_rows(all, labels, margin)) {
        training += workload_csv_fields(t.workload) + "," + number(t.cycles) + "\n";
        ++training_rows;
      }
    }
    // Against the teacher: which strategies each side can run, each one's
    // cycles, the best, and the DMA terms under the teacher's best strategy
    // (the DMA rule measured apart from the choice of strategy).
    for (std::size_t s = 0; s < ours.size(); ++s) {
      const bool teacher = std::isfinite(r->cycles[s]);
      const bool us = std::isfinite(ours[s]);
      cmp.we_refuse_teacher_costs += teacher && !us;
      cmp.we_cost_teacher_refuses += us && !teacher;
      if (teacher && us) {
        cmp.per_strategy[std::string(to_string(static_cast<TilingStrategy>(s)))].add(ours[s],
                                                                                     r->cycles[s]);
      }
    }
    if (!chosen || is_forced || !r->best_strategy) continue;
    ++cmp.compared;
    cmp.best.add(chosen->cycles, r->cycles_best);
    cmp.same_strategy += chosen->strategy == *r->best_strategy;
    for (const StrategyCost& c : all.valid) {
      if (c.strategy != *r->best_strategy) continue;
      const LayerDmaTerms t = dma_terms(dma, r->layer, c);
      cmp.weights.add(t.weights, r->dma_weights_cycles);
      cmp.input.add(t.input, r->dma_input_cycles);
      cmp.output.add(t.output, r->dma_output_cycles);
    }
  }

  if (rejects_path) write_rejects_file(*rejects_path, rejects);
  if (training_path) write_file_atomically(*training_path, training);
  if (vm.count("emit-queried")) {
    write_file_atomically(vm["emit-queried"].as<std::string>(), workloads_csv(recorder.queried()));
  }
  print_rejects("layer", rejects, kLayerRejectsShown, rejects_path.has_value());
  if (out_path) {
    write_file_atomically(*out_path, out.str());
  } else {
    std::cout << out.str() << std::flush;
    if (!std::cout) {
      throw Error(std::string("cannot write to standard output: ") + std::strerror(errno));
    }
  }
  // The summary goes where it does not mix with the table.
  std::ostream& summary = out_path ? std::cout : std::cerr;
  summary << "vpucost layer: costed " << costed << " of " << rec.rows_read << " layers of "
          << in.string() << " (" << loaded.description << "; DMA " << dma_option << ")";
  if (no_strategy) summary << "; " << no_strategy << " with no valid strategy (see vpucost_note)";
  if (!rejects.empty()) summary << "; " << rejects.size() << " invalid rows left out";
  summary << "\n";
  if (training_path) {
    summary << "vpucost layer: wrote " << training_rows << " DPU training rows to "
            << *training_path << " (labels whose slowest tile and cut lead by "
            << number(100 * margin) << " %)\n";
  }
  if (rec.has_labels && (cmp.compared > 0 || !cmp.per_strategy.empty())) {
    summary << std::fixed << std::setprecision(2) << "against the labels in the file:\n";
    cmp.best.print(summary, "best-strategy cycles");
    for (const auto& [name, e] : cmp.per_strategy) e.print(summary, name);
    cmp.weights.print(summary, "DMA weights");
    cmp.input.print(summary, "DMA input");
    cmp.output.print(summary, "DMA output");
    if (cmp.compared > 0) {
      summary << "  same best strategy:    "
              << 100.0 * double(cmp.same_strategy) / double(cmp.compared) << " % of "
              << cmp.compared << " layers\n";
    }
    summary << "  strategies the file costs that we refuse: " << cmp.we_refuse_teacher_costs
            << "; we cost that it refuses: " << cmp.we_cost_teacher_refuses << "\n";
  }
  return 0;
}

}  // namespace vpucost::cli
