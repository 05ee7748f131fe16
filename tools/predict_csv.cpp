// vpucost predict --csv: batch prediction over a workload CSV. Output rows
// are the input rows exactly as written plus a predicted_cycles column;
// every invalid row is reported (line + reason) and left out, or with
// --strict fails the command without writing anything.
#include "predict_csv.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "dataset_cli.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/cost_model.hpp"
#include "vpucost/error.hpp"
#include "vpucost/recording_csv.hpp"

namespace vpucost::cli {
namespace {

constexpr std::size_t kBatch = 4096;  // rows predicted per batched call
constexpr std::size_t kPredictRejectsShown = 20;

std::string shortest(double v) {
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, v);
  return ec == std::errc() ? std::string(text, end) : std::to_string(v);
}

// Collects valid rows and writes them with their predictions, kBatch at a time.
class BatchWriter {
 public:
  BatchWriter(const CyclePredictor& predictor, std::ostream& out, std::string name)
      : predictor_(predictor), out_(out), name_(std::move(name)) {}

  void add(const Workload& w, std::string_view text) {
    workloads_.push_back(w);
    texts_.emplace_back(text);
    if (workloads_.size() == kBatch) flush();
  }

  void flush() {
    cycles_.resize(workloads_.size());
    predictor_.predict_cycles(workloads_, cycles_);
    for (std::size_t i = 0; i < workloads_.size(); ++i) {
      out_ << texts_[i] << ',' << shortest(cycles_[i]) << '\n';
    }
    // Checked here, where errno still holds the reason (a full disk, ...).
    if (!out_) throw Error("cannot write " + name_ + ": " + std::strerror(errno));
    written_ += workloads_.size();
    workloads_.clear();
    texts_.clear();
  }

  std::uint64_t written() const { return written_; }

 private:
  const CyclePredictor& predictor_;
  std::ostream& out_;
  std::string name_;
  std::vector<Workload> workloads_;
  std::vector<std::string> texts_;
  std::vector<double> cycles_;
  std::uint64_t written_ = 0;
};

}  // namespace

void add_predict_csv_options(po::options_description& options) {
  options.add_options()("csv", po::value<std::string>(),
                        "batch mode: predict every row of this CSV (recording "
                        "columns; cycles optional)")(
      "out", po::value<std::string>(),
      "with --csv: write the rows plus predicted_cycles here "
      "(default: standard output)")("rejects", po::value<std::string>(),
                                    "with --csv: write every invalid row (line, reason, "
                                    "row) to this CSV")(
      "strict", "with --csv: fail, writing nothing, if any row is invalid");
}

int run_predict_csv(const po::variables_map& vm, const LoadedPredictor& loaded,
                    const std::string& model_option) {
  std::vector<std::pair<std::string, std::filesystem::path>> model_file;
  if (!model_option.empty() && model_option != "roofline") {
    model_file.emplace_back("--model", model_option);
  }
  const BatchFiles files = batch_files(vm, model_file);
  const std::filesystem::path& in = files.in;
  const auto& out_path = files.out;
  const auto& rejects_path = files.rejects;
  if (vm.count("json") && !out_path) throw Error("--json with --csv needs --out FILE");
  // The rows describe the workloads; an option for one workload would be
  // ignored, so it is refused.
  refuse_options(
      vm,
      {"device", "op", "input", "output", "kernel", "stride", "pad", "dtype", "output-dtype",
       "mode", "activation", "input-sparsity", "weight-sparsity", "output-write-tiles", "isi"},
      "describes one workload; with --csv the rows do");

  CsvReader reader(in);
  CsvLine line;
  if (!reader.next(line)) throw Error(in.string() + " is empty: expected a header line");
  if (line.problem) {
    throw Error(in.string() + " line " + std::to_string(line.number) +
                " (header): " + *line.problem);
  }
  for (const auto field : line.fields) {
    if (field == "predicted_cycles") {
      throw Error(in.string() + " already has a predicted_cycles column");
    }
  }
  const RecordingLayout layout(line.fields, CyclesColumn::Ignored, in.string());
  const auto* model = dynamic_cast<const CostModel*>(loaded.predictor.get());

  // Predictions go to a temporary file renamed at the end (--out) or are
  // held until the end (stdout), so a failure or --strict writes nothing.
  std::optional<AtomicFile> out_file;
  std::ofstream file_stream;
  std::ostringstream memory_stream;
  if (out_path) {
    out_file.emplace(*out_path);
    file_stream.open(out_file->temp_path(), std::ios::binary);
  }
  std::ostream& out = out_path ? static_cast<std::ostream&>(file_stream) : memory_stream;
  out << line.text << ",predicted_cycles\n";

  BatchWriter writer(*loaded.predictor, out, out_path ? out_path->string() : "predictions");
  std::vector<RejectedRow> rejects;
  std::uint64_t rows_read = 0;
  Recording rec;
  while (reader.next(line)) {
    ++rows_read;
    std::optional<std::string> problem =
        line.problem ? line.problem : layout.parse(line.fields, rec);
    if (!problem && model && rec.workload.device != model->device()) {
      problem = "device " + std::string(to_string(rec.workload.device)) +
                ", but the model is for " + std::string(to_string(model->device()));
    }
    if (!problem && model) problem = model->find_unanswerable(rec.workload);
    if (problem) {
      rejects.push_back({line.number, std::move(*problem), std::string(line.text)});
    } else {
      writer.add(rec.workload, line.text);
    }
  }
  writer.flush();

  if (rejects_path) write_rejects_file(*rejects_path, rejects);
  // --strict: one error line naming the first invalid row (as import
  // --strict), not the list before it.
  if (!vm.count("strict"))
    print_rejects("predict", rejects, kPredictRejectsShown, rejects_path.has_value());
  if (vm.count("strict") && !rejects.empty()) {
    throw Error(std::to_string(rejects.size()) + " of " + std::to_string(rows_read) + " rows of " +
                in.string() + " are invalid (--strict), first: line " +
                std::to_string(rejects.front().line) + ": " + rejects.front().reason +
                "; nothing written");
  }
  if (out_file) {
    file_stream.flush();
    if (!file_stream)
      throw Error("cannot write " + out_path->string() + ": " + std::strerror(errno));
    file_stream.close();
    out_file->commit();
  } else {
    std::cout << memory_stream.str() << std::flush;
    if (!std::cout)
      throw Error(std::string("cannot write to standard output: ") + std::strerror(errno));
  }

  std::cerr << "vpucost predict: predicted " << writer.written() << " of " << rows_read << " rows ("
            << loaded.description << ")";
  if (!rejects.empty()) std::cerr << "; " << rejects.size() << " invalid rows left out";
  std::cerr << "\n";
  if (vm.count("json")) {
    nlohmann::json j;
    j["rows_read"] = rows_read;
    j["rows_predicted"] = writer.written();
    j["rows_rejected"] = rejects.size();
    j["output"] = out_path->string();
    j["source"] = std::string(loaded.predictor->source());
    std::cout << j.dump() << "\n";
  }
  return 0;
}

}  // namespace vpucost::cli
