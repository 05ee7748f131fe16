// Import speed (issue #3): the 100,000-row VPUNN teacher CSV parsed,
// validated and written as an HDF5 dataset file, and the pieces separately.
// The CSV is read at run time from $VPUCOST_BENCH_CSV or the shared data
// folder next to the repository (../shared); without it the benchmarks are
// skipped with a message. Results and
// the HDF5 vs CSV size: bench/README.md.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "vpucost/csv_import.hpp"
#include "vpucost/dataset_file.hpp"

namespace {

using namespace vpucost;
namespace fs = std::filesystem;

fs::path csv_path() {
  if (const char* env = std::getenv("VPUCOST_BENCH_CSV")) return env;
  return VPUCOST_SOURCE_DIR "/../shared/datasets/vpunn-teacher/vpu_2_7_train.csv";
}

// Output next to the system temp dir, on the same kind of disk a user writes to.
fs::path output_path(const char* name) {
  return fs::temp_directory_path() / (std::string("vpucost-bench-") + name + ".h5");
}

bool have_csv(benchmark::State& state) {
  std::error_code ec;
  if (fs::is_regular_file(csv_path(), ec)) return true;
  state.SkipWithError(
      ("CSV " + csv_path().string() + " not found (set VPUCOST_BENCH_CSV to a recording CSV)")
          .c_str());
  return false;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void report(benchmark::State& state, std::uint64_t rows) {
  state.SetItemsProcessed(static_cast<std::int64_t>(rows) * state.iterations());
  state.counters["rows"] = static_cast<double>(rows);
}

// CSV text already in memory -> validated columns (no file I/O).
void BM_ParseValidateInMemory(benchmark::State& state) {
  if (!have_csv(state)) return;
  const std::string text = read_all(csv_path());
  std::uint64_t rows = 0;
  for (auto _ : state) {
    const ImportResult r = import_csv_text(text, "bench.csv");
    rows = r.counts.rows_read;
    benchmark::DoNotOptimize(r.columns.size());
  }
  report(state, rows);
}

// The CSV file -> validated columns.
void BM_ParseValidateFile(benchmark::State& state) {
  if (!have_csv(state)) return;
  std::uint64_t rows = 0;
  for (auto _ : state) {
    const ImportResult r = import_csv(csv_path());
    rows = r.counts.rows_read;
    benchmark::DoNotOptimize(r.columns.size());
  }
  report(state, rows);
}

// Validated columns -> HDF5 file (validation of the rows, narrowing,
// shuffle + deflate, checksum, fsync + rename).
void BM_WriteHdf5(benchmark::State& state) {
  if (!have_csv(state)) return;
  const ImportResult r = import_csv(csv_path());
  const fs::path out = output_path("write");
  for (auto _ : state) write_dataset_file(out, r.columns);
  report(state, r.counts.rows_written);
  state.counters["hdf5_bytes"] = static_cast<double>(fs::file_size(out));
  state.counters["csv_bytes"] = static_cast<double>(fs::file_size(csv_path()));
  fs::remove(out);
}

// What `vpucost import` does: CSV file -> parse + validate -> HDF5 file.
void BM_ImportEndToEnd(benchmark::State& state) {
  if (!have_csv(state)) return;
  const fs::path out = output_path("import");
  std::uint64_t rows = 0;
  for (auto _ : state) {
    const ImportResult r = import_csv(csv_path());
    DatasetWriteOptions options;
    options.source_file = csv_path().filename().string();
    options.import_counts = r.counts;
    options.assume_valid = true;  // as vpucost import does
    write_dataset_file(out, r.columns, options);
    rows = r.counts.rows_read;
  }
  report(state, rows);
  state.counters["hdf5_bytes"] = static_cast<double>(fs::file_size(out));
  state.counters["csv_bytes"] = static_cast<double>(fs::file_size(csv_path()));
  fs::remove(out);
}

// What the trainer does: HDF5 file -> validated columns (checksum included).
void BM_LoadHdf5(benchmark::State& state) {
  if (!have_csv(state)) return;
  const fs::path out = output_path("load");
  write_dataset_file(out, import_csv(csv_path()).columns);
  std::uint64_t rows = 0;
  for (auto _ : state) {
    const DatasetColumns c = read_dataset_file(out);
    rows = c.size();
    benchmark::DoNotOptimize(rows);
  }
  report(state, rows);
  fs::remove(out);
}

BENCHMARK(BM_ParseValidateInMemory)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ParseValidateFile)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_WriteHdf5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ImportEndToEnd)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadHdf5)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
