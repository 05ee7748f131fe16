// Fuzzes the HDF5 dataset loader (read_dataset_file, DatasetFileReader,
// stats): the input is written to a file and loaded. Any file must either
// load, yielding only valid rows, or throw vpucost::Error. The seed corpus
// holds valid dataset files so mutations start from the real structure.
//
// SHAVE and DMA datasets (kind_dataset.hpp) go through their loaders too:
// what loads holds only valid operations / transfers with positive cycles.
//
// Crashes inside libhdf5 itself (1.10 is not hardened against malicious
// files) are possible; datasets/README.md ("Robustness") says what fuzzing
// found and how the loader guards against it.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "file_input.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/dataset_stats.hpp"
#include "vpucost/error.hpp"
#include "vpucost/kind_dataset.hpp"

namespace {

using vpucost::fuzz::check;

void check_rows(const vpucost::DatasetColumns& c) {
  for (std::size_t i = 0; i < c.size(); ++i) {
    check(!vpucost::find_problem(c.workload(i)).has_value());
    check(std::isfinite(c.cycles(i)) && c.cycles(i) > 0.0);
  }
}

}  // namespace

#include "libhdf5_fuzz_settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vpucost;
  const auto scratch = fuzz::write_input("dataset", data, size);
  try {
    DatasetInfo info;
    const DatasetColumns all = read_dataset_file(scratch, &info);
    check(all.size() == info.rows);
    check_rows(all);
  } catch (const Error&) {
  }
  try {
    DatasetFileReader reader(scratch);
    DatasetColumns chunk;
    while (reader.read_next(chunk, 7)) check_rows(chunk);
  } catch (const Error&) {
  }
  try {
    compute_stats(scratch);
  } catch (const Error&) {
  }
  try {
    const ShaveRecordings shave = load_shave_dataset(scratch);
    for (std::size_t i = 0; i < shave.size(); ++i) {
      check(!find_problem(shave.items[i]).has_value());
      check(std::isfinite(shave.cycles[i]) && shave.cycles[i] > 0.0);
    }
  } catch (const Error&) {
  }
  try {
    const DmaRecordings dma = load_dma_dataset(scratch);
    for (std::size_t i = 0; i < dma.size(); ++i) {
      check(!find_problem(dma.items[i]).has_value());
      check(std::isfinite(dma.cycles[i]) && dma.cycles[i] > 0.0);
    }
  } catch (const Error&) {
  }
  return 0;
}
