// The dataset code that uses threads — the CSV import (one piece of the file
// per thread) and the dataset writer (columns compressed on several threads)
// — gives what one thread gives. Built into concurrency_tests, which
// scripts/test.sh also runs under ThreadSanitizer, so a data race in either
// is reported even when the results happen to agree.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/test_workloads.hpp"
#include "vpucost/csv_import.hpp"
#include "vpucost/dataset_file.hpp"

namespace vpucost {
namespace {

// 1.2 MB of recording CSV (enough for the parallel import), every 50th row bad.
std::string recording_text() {
  std::string s =
      "device,operation,input_width,input_height,input_channels,output_width,output_height,"
      "output_channels,kernel_width,kernel_height,stride_width,stride_height,pad_top,pad_bottom,"
      "pad_left,pad_right,input_dtype,output_dtype,execution_mode,cycles\n";
  for (int i = 0; s.size() < (1200u << 10); ++i) {
    const std::string w = std::to_string(8 + i % 40);
    const std::string c = std::to_string(16 * (1 + i / 40 % 12));
    s += "VPU_2_7,CONVOLUTION," + w + "," + w + "," + c + "," + w + "," + w + "," +
         (i % 50 == 0 ? "-3" : "64") + ",3,3,1,1,1,1,1,1,UINT8,UINT8,CUBOID_8x16," +
         std::to_string(1000 + i) + "\n";
  }
  return s;
}

TEST(ParallelDatasets, ImportOnFourThreadsEqualsOneThread) {
  const std::string text = recording_text();
  ImportOptions one, four;
  one.threads = 1;
  four.threads = 4;
  const ImportResult a = import_csv_text(text, "r.csv", one);
  const ImportResult b = import_csv_text(text, "r.csv", four);
  ASSERT_GT(a.counts.rows_rejected, 0u);
  EXPECT_EQ(a.counts.rows_read, b.counts.rows_read);
  EXPECT_EQ(a.counts.duplicates, b.counts.duplicates);
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (std::size_t r = 0; r < a.columns.size(); ++r) {
    ASSERT_EQ(a.columns.workload(r), b.columns.workload(r)) << "row " << r;
    ASSERT_EQ(a.columns.cycles(r), b.columns.cycles(r)) << "row " << r;
  }
  ASSERT_EQ(a.rejects.size(), b.rejects.size());
  for (std::size_t i = 0; i < a.rejects.size(); ++i) {
    EXPECT_EQ(a.rejects[i].line, b.rejects[i].line);
    EXPECT_EQ(a.rejects[i].reason, b.rejects[i].reason);
  }
}

TEST(ParallelDatasets, WriteOnFourThreadsReadsBackTheSame) {
  ImportOptions one;
  one.threads = 1;
  const ImportResult imported = import_csv_text(recording_text(), "r.csv", one);
  test::TempDir dir;
  DatasetWriteOptions serial, parallel;
  serial.threads = 1;
  parallel.threads = 4;
  write_dataset_file(dir / "one.h5", imported.columns, serial);
  write_dataset_file(dir / "four.h5", imported.columns, parallel);
  const DatasetColumns a = read_dataset_file(dir / "one.h5");
  const DatasetColumns b = read_dataset_file(dir / "four.h5");
  ASSERT_EQ(a.size(), imported.columns.size());
  ASSERT_EQ(b.size(), a.size());
  for (std::size_t r = 0; r < a.size(); ++r) {
    ASSERT_EQ(b.workload(r), a.workload(r)) << "row " << r;
    ASSERT_EQ(b.cycles(r), a.cycles(r)) << "row " << r;
  }
}

}  // namespace
}  // namespace vpucost
