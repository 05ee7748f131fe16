// The parallel CSV import (files of 1 MiB and more are cut at line ends and
// parsed on several threads) must give exactly what the one-thread import
// gives: the same rows in the same order, the same rejects with the same line
// numbers and reasons, the same counts; and stop cleanly on interruption.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "dataset_test_support.hpp"
#include "vpucost/csv_import.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

// About 2.6 MB of CSV in every dialect the importer accepts: BOM, blank lines
// before the header and between rows, CRLF and LF endings, quoted fields,
// duplicates, and a bad row every 97 lines. With `bom_rows`, every other
// row starts with a UTF-8 BOM (a bad row), so some piece boundaries fall
// right before one.
std::string big_csv(bool bom_rows = false) {
  std::string s = "\xEF\xBB\xBF\n  \r\n" + test::kHeader() + "\r\n";
  for (int i = 0; i < 30000; ++i) {
    const int w = 8 + i % 50;
    const int c = 16 * (1 + i / 50 % 8);
    std::string row = "VPU_2_7,CONVOLUTION," + std::to_string(w) + "," + std::to_string(w) + "," +
                      std::to_string(c) + "," + std::to_string(w) + "," + std::to_string(w) +
                      ",32,3,3,1,1,1,1,1,1,UINT8,\"UINT8\",CUBOID_16x16," +
                      std::to_string(100 + i % 1000) + "," + (i % 3 ? "" : "12.5");
    if (i % 97 == 0) row = "VPU_2_7,CONVOLUTION,abc" + row.substr(row.find(',', 20));
    if (i % 211 == 0) row += ",extra";
    if (bom_rows && i % 2 == 1) row = "\xEF\xBB\xBF" + row;
    s += row + (i % 5 == 0 ? "\r\n" : "\n");
    if (i % 1000 == 7) s += "\n \t\n";
  }
  return s;
}

void expect_same(const ImportResult& a, const ImportResult& b) {
  EXPECT_EQ(a.counts.rows_read, b.counts.rows_read);
  EXPECT_EQ(a.counts.rows_written, b.counts.rows_written);
  EXPECT_EQ(a.counts.rows_rejected, b.counts.rows_rejected);
  EXPECT_EQ(a.counts.duplicates, b.counts.duplicates);
  EXPECT_EQ(a.counts.blank_lines, b.counts.blank_lines);
  EXPECT_EQ(a.ignored_columns, b.ignored_columns);
  ASSERT_EQ(a.columns.size(), b.columns.size());
  ASSERT_EQ(a.columns.has_theoretical_cycles(), b.columns.has_theoretical_cycles());
  for (std::size_t c = 0; c < kIntegerColumnCount; ++c) {
    const auto col = static_cast<Column>(c);
    const auto x = a.columns.descriptor(col);
    const auto y = b.columns.descriptor(col);
    EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin(), y.end())) << column_name(col);
  }
  for (const auto col : {Column::input_sparsity, Column::weight_sparsity}) {
    const auto x = a.columns.rates(col);
    const auto y = b.columns.rates(col);
    EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin(), y.end())) << column_name(col);
  }
  for (std::size_t r = 0; r < a.columns.size(); ++r) {
    ASSERT_EQ(a.columns.cycles(r), b.columns.cycles(r)) << "row " << r;
    const double ta = a.columns.theoretical_cycles()[r], tb = b.columns.theoretical_cycles()[r];
    ASSERT_TRUE(ta == tb || (std::isnan(ta) && std::isnan(tb))) << "row " << r;
  }
  ASSERT_EQ(a.rejects.size(), b.rejects.size());
  for (std::size_t i = 0; i < a.rejects.size(); ++i) {
    EXPECT_EQ(a.rejects[i].line, b.rejects[i].line) << "reject " << i;
    EXPECT_EQ(a.rejects[i].reason, b.rejects[i].reason) << "reject " << i;
    EXPECT_EQ(a.rejects[i].text, b.rejects[i].text) << "reject " << i;
  }
}

ImportOptions with_threads(unsigned threads) {
  ImportOptions o;
  o.threads = threads;
  return o;
}

TEST(CsvImportParallel, EqualsOneThreadForAnyThreadCount) {
  const std::string text = big_csv();
  ASSERT_GT(text.size(), 2u << 20);
  const ImportResult one = import_csv_text(text, "big.csv", with_threads(1));
  EXPECT_EQ(one.counts.rows_read, 30000u);
  // 310 rows with i % 97 == 0, 143 with i % 211 == 0, two (0 and 20467) both
  EXPECT_EQ(one.counts.rows_rejected, 310u + 143u - 2u);
  EXPECT_GT(one.counts.duplicates, 0u);
  EXPECT_EQ(one.counts.blank_lines, 2u + 2u * 30u);
  EXPECT_EQ(one.rejects.front().line, 4u);  // BOM line, blank line, header, then row 0
  for (unsigned threads : {2u, 3u, 5u}) {
    SCOPED_TRACE(threads);
    expect_same(import_csv_text(text, "big.csv", with_threads(threads)), one);
  }
}

TEST(CsvImportParallel, PiecesNeverStartAtABom) {
  const std::string text = big_csv(true);
  const ImportResult one = import_csv_text(text, "bom.csv", with_threads(1));
  EXPECT_GE(one.counts.rows_rejected, 15000u);
  expect_same(import_csv_text(text, "bom.csv", with_threads(5)), one);
}

TEST(CsvImportParallel, ABomRightAfterTheHeaderIsReadAsOneThreadReadsIt) {
  // Found by fuzzing: the first piece started with the BOM and skipped it.
  std::string text = big_csv();
  const std::size_t header = text.find("device,");
  text.insert(text.find('\n', header) + 1, "\xEF\xBB\xBF");
  const ImportResult one = import_csv_text(text, "bom.csv", with_threads(1));
  expect_same(import_csv_text(text, "bom.csv", with_threads(3)), one);
}

TEST(CsvImportParallel, FileEqualsText) {
  test::TempDir dir;
  const auto path = dir.path() / "big.csv";
  const std::string text = big_csv();
  std::ofstream(path, std::ios::binary) << text;
  expect_same(import_csv(path, with_threads(4)),
              import_csv_text(text, path.string(), with_threads(1)));
}

TEST(CsvImportParallel, InterruptionStopsEveryThread) {
  const std::string text = big_csv();
  ImportOptions o = with_threads(4);
  o.progress_interval = 1000;
  std::vector<std::uint64_t> seen;
  o.on_progress = [&](std::uint64_t rows) {
    seen.push_back(rows);
    if (seen.size() == 3) throw Error("interrupted");
  };
  EXPECT_THROW(import_csv_text(text, "big.csv", o), Error);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_LT(seen[0], seen[1]);
  EXPECT_LT(seen[1], seen[2]);
}

TEST(CsvImportParallel, ALineTooLongIsNamedByItsLineInTheWholeFile) {
  std::string text = big_csv();
  const std::size_t middle = text.find('\n', text.size() * 3 / 4) + 1;
  text.insert(middle, std::string(17u << 20, 'x') + "\n");
  std::string one_thread, four_threads;
  try {
    import_csv_text(text, "long.csv", with_threads(1));
  } catch (const Error& e) {
    one_thread = e.what();
  }
  try {
    import_csv_text(text, "long.csv", with_threads(4));
  } catch (const Error& e) {
    four_threads = e.what();
  }
  EXPECT_NE(one_thread.find("longer than 16 MiB"), std::string::npos) << one_thread;
  EXPECT_EQ(four_threads, one_thread);
}

TEST(CsvImportParallel, HeaderOnlyAndEmptyBodiesAreLikeOneThread) {
  const std::string header_only = test::kHeader() + "\n" + std::string(2u << 20, '\n');
  expect_same(import_csv_text(header_only, "h.csv", with_threads(4)),
              import_csv_text(header_only, "h.csv", with_threads(1)));
  const std::string blank(2u << 20, '\n');
  EXPECT_THROW(import_csv_text(blank, "blank.csv", with_threads(4)), Error);
}

}  // namespace
}  // namespace vpucost
