// CSV import: values, every kind of bad row with its exact reason, counts
// that always reconcile, header problems, CSV dialect details.
#include "vpucost/csv_import.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dataset_test_support.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using test::kHeader;

std::string valid_row(const std::string& cycles = "30746", const std::string& theo = "20000") {
  return "VPU_2_7,CONVOLUTION,56,56,64,56,56,64,3,3,1,1,1,1,1,1,UINT8,UINT8,CUBOID_16x16," +
         cycles + "," + theo;
}

void expect_reconciled(const ImportResult& r) {
  EXPECT_EQ(r.counts.rows_read, r.counts.rows_written + r.counts.rows_rejected);
  EXPECT_EQ(r.counts.rows_written, r.columns.size());
  EXPECT_EQ(r.counts.rows_rejected, r.rejects.size());
}

class CsvImportSample : public ::testing::TestWithParam<std::string> {};

// v1 (with theoretical_cycles) and v2 (with the compiler's fields and HF8).
INSTANTIATE_TEST_SUITE_P(V1AndV2, CsvImportSample,
                         ::testing::Values("vpu_2_7_train.csv", "v2/npu_5_0_train.csv",
                                           "v2/vpu_4_0_train.csv"));

TEST_P(CsvImportSample, ValuesMatchANaiveReadingOfTheFile) {
  const auto path = test::sample(GetParam());
  const ImportResult r = import_csv(path);
  const auto rows = test::naive_csv(path);
  ASSERT_EQ(rows.size(), 2001u);
  ASSERT_EQ(r.counts.rows_read, 2000u);
  ASSERT_EQ(r.counts.rows_written, 2000u);
  EXPECT_TRUE(r.rejects.empty());
  EXPECT_TRUE(r.ignored_columns.empty());
  const bool v2 = GetParam().starts_with("v2/");
  ASSERT_EQ(r.columns.has_theoretical_cycles(), !v2);
  ASSERT_EQ(r.columns.has_compiler_fields(), v2);
  const auto& header = rows[0];
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::size_t row = i - 1;
    for (std::size_t f = 0; f < header.size(); ++f) {
      const Column c = *find_column(header[f]);
      const std::string& text = rows[i][f];
      switch (column_kind(c)) {
        case ColumnKind::Enum:
          EXPECT_EQ(enum_names(c)[static_cast<std::size_t>(r.columns.descriptor(c)[row])], text)
              << "row " << row << " column " << header[f];
          break;
        case ColumnKind::Integer:
          EXPECT_EQ(r.columns.descriptor(c)[row], std::stoll(text)) << "row " << row;
          break;
        case ColumnKind::Rate:
          EXPECT_EQ(r.columns.rates(c)[row], std::stod(text)) << "row " << row;
          break;
        case ColumnKind::Real: {
          const double v =
              c == Column::cycles ? r.columns.cycles(row) : r.columns.theoretical_cycles()[row];
          if (text.empty()) {
            EXPECT_TRUE(std::isnan(v)) << "row " << row;
          } else {
            EXPECT_EQ(v, std::stod(text)) << "row " << row << " column " << header[f];
          }
        }
      }
    }
  }
}

TEST(CsvImport, EveryKindOfBadRowIsRejectedWithItsLineAndReason) {
  const ImportResult r = import_csv(test::test_data("bad_rows.csv"));
  const std::vector<std::pair<std::uint64_t, std::string>> expected = {
      {3, "row has 20 fields, the header has 21"},
      {4, "row has 22 fields, the header has 21"},
      {5, "column input_width: 'abc' is not an integer"},
      {6, "input channels must be positive (got -16)"},
      {7,
       "column operation: 'CONV2D' is not a known operation (CONVOLUTION, DW_CONVOLUTION, "
       "CM_CONVOLUTION, ELTWISE, MAXPOOL or AVEPOOL)"},
      {8,
       "output width 57 does not follow from input width 56, kernel 3, stride 1 and padding 1+1 "
       "(expected 56)"},
      {9, "column cycles: must be > 0 (got '0')"},
      {10, "column cycles: must be > 0 (got '-5')"},
      {11, "column cycles: 'NaN' is not a finite number"},
      {14, "column cycles: 'inf' is not a finite number"},
      {15, "column cycles: value is missing"},
      {16,
       "execution mode VECTOR does not exist on VPU_2_7 (it has CUBOID_16x16, CUBOID_8x16, "
       "CUBOID_4x16)"},
      {17, "column input_height: '99999999999999999999' is out of range"},
      {18, "field 1 opens a quote that is not closed on this line"},
      {22, "column theoretical_cycles: must be >= 0 (got '-3')"},
      {23, "column kernel_width: '3.0' is not an integer"},
  };
  ASSERT_EQ(r.rejects.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r.rejects[i].line, expected[i].first) << r.rejects[i].reason;
    EXPECT_EQ(r.rejects[i].reason, expected[i].second) << "line " << r.rejects[i].line;
  }
  // The raw text is kept as written (quotes and all), without the line end.
  EXPECT_EQ(r.rejects[13].text.front(), '"');
  EXPECT_EQ(r.rejects[0].text, valid_row("30746", "").substr(0, valid_row().size() - 6));
  EXPECT_EQ(r.counts.rows_read, 21u);
  EXPECT_EQ(r.counts.rows_written, 5u);
  EXPECT_EQ(r.counts.rows_rejected, 16u);
  EXPECT_EQ(r.counts.duplicates, 1u);  // line 20 repeats line 2's descriptor
  EXPECT_EQ(r.counts.blank_lines, 2u);
  expect_reconciled(r);

  // Kept rows: BOM + CRLF header and row, quoted fields, empty theoretical,
  // spaces around a value, an exponent, no newline at the end.
  ASSERT_EQ(r.columns.size(), 5u);
  EXPECT_EQ(r.columns.cycles(0), 30746.0);
  EXPECT_EQ(r.columns.theoretical_cycles()[0], 20000.0);
  EXPECT_EQ(r.columns.workload(1).output.dtype, DType::FLOAT16);
  EXPECT_EQ(r.columns.cycles(1), 1234.5);
  EXPECT_TRUE(std::isnan(r.columns.theoretical_cycles()[1]));
  EXPECT_EQ(r.columns.cycles(2), 31000.0);
  EXPECT_EQ(r.columns.workload(3).device, Device::VPU_2_0);
  EXPECT_EQ(r.columns.workload(4).operation, Operation::ELTWISE);
  EXPECT_EQ(r.columns.cycles(4), 96.0);
  EXPECT_EQ(r.columns.theoretical_cycles()[4], 100.0);
}

TEST(CsvImport, CompilerFieldsAreCheckedRowByRow) {
  const ImportResult r = import_csv(test::test_data("bad_rows_v2.csv"));
  const std::vector<std::pair<std::uint64_t, std::string>> expected = {
      {3,
       "column activation_function: 'RELU6' is not a known activation function (NONE, RELU or "
       "LRELU)"},
      {4, "column input_sparsity: 'half' is not a number"},
      {5, "input_sparsity 1.5 is outside [0, 1) (a rate; 0 = dense)"},
      {6,
       "weight_sparsity 0.5 is not accepted on DW_CONVOLUTION: only CONVOLUTION with at least 16 "
       "input channels and ELTWISE take sparsity"},
      {7, "output_write_tiles 3 is outside 1..2 (VPU_2_7 has 2 tiles)"},
      {8, "column output_write_tiles: '2.0' is not an integer"},
      {9,
       "isi_strategy SPLIT_OVER_K needs output_write_tiles > 1 (got 1): a layer split over K "
       "writes to every tile"},
      {10,
       "isi_strategy SPLIT_OVER_H is not accepted on NPU_5_0 (it takes CLUSTERING or "
       "SPLIT_OVER_K)"},
      {11,
       "column isi_strategy: 'SOK' is not a known ISI strategy (CLUSTERING, SPLIT_OVER_H or "
       "SPLIT_OVER_K)"},
      {12, "input dtype HF8 does not exist on VPU_2_7 (it has UINT8 or FLOAT16)"},
      {13,
       "execution mode CUBOID_4x16 is not accepted for MAXPOOL on NPU_5_0 (it takes "
       "CUBOID_16x16)"},
      {14, "column weight_sparsity: value is missing"},
      {15, "column input_sparsity: 'inf' is not a finite number"},
  };
  ASSERT_EQ(r.rejects.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r.rejects[i].line, expected[i].first) << i;
    EXPECT_EQ(r.rejects[i].reason, expected[i].second) << i;
  }
  ASSERT_EQ(r.columns.size(), 2u);  // lines 2 and 16
  const Workload w = r.columns.workload(0);
  EXPECT_EQ(w.activation, ActivationFunction::LRELU);
  EXPECT_EQ(w.input_sparsity, 0.25);
  EXPECT_EQ(w.output_write_tiles, 2);
  EXPECT_EQ(w.isi_strategy, IsiStrategy::SPLIT_OVER_K);
  EXPECT_EQ(r.columns.workload(1).input.dtype, DType::HF8);
}

TEST(CsvImport, AbsentCompilerColumnsMeanTheDefaults) {
  TempDir dir;
  // Only activation_function and isi_strategy given: the other three default.
  std::ofstream(dir / "some.csv")
      << "device,operation,input_width,input_height,input_channels,output_width,output_height,"
         "output_channels,kernel_width,kernel_height,stride_width,stride_height,pad_top,"
         "pad_bottom,pad_left,pad_right,input_dtype,output_dtype,execution_mode,cycles,"
         "activation_function,isi_strategy\n"
         "VPU_2_7,CONVOLUTION,56,56,64,56,56,64,3,3,1,1,1,1,1,1,UINT8,UINT8,CUBOID_16x16,30746,"
         "RELU,SPLIT_OVER_H\n";
  const ImportResult r = import_csv(dir / "some.csv");
  ASSERT_EQ(r.columns.size(), 1u) << (r.rejects.empty() ? "" : r.rejects[0].reason);
  const Workload w = r.columns.workload(0);
  EXPECT_EQ(w.activation, ActivationFunction::RELU);
  EXPECT_EQ(w.isi_strategy, IsiStrategy::SPLIT_OVER_H);
  EXPECT_EQ(w.input_sparsity, 0.0);
  EXPECT_EQ(w.weight_sparsity, 0.0);
  EXPECT_EQ(w.output_write_tiles, 1);
  EXPECT_TRUE(r.ignored_columns.empty());
}

TEST(CsvImport, ColumnsInAnyOrderAndUnknownColumnsGiveTheSameValues) {
  const ImportResult reordered = import_csv(test::test_data("reordered_columns.csv"));
  ASSERT_EQ(reordered.ignored_columns.size(), 1u);
  EXPECT_EQ(reordered.ignored_columns[0], "'note' (column 1)");
  EXPECT_EQ(ignored_columns_warning(reordered), "ignoring 1 unknown column: 'note' (column 1)");
  const ImportResult original = import_csv(test::sample("vpu_2_0_train.csv"));
  DatasetColumns first5;
  first5.set_has_theoretical_cycles(true);
  first5.append_rows(original.columns, 0, 5);
  std::string why;
  EXPECT_TRUE(test::same_rows(reordered.columns, first5, &why)) << why;
}

TEST(CsvImport, MissingOrDuplicatedRequiredColumnIsAnErrorNamingIt) {
  std::string header = kHeader();
  header.replace(header.find("kernel_height"), 13, "kernel_h");
  try {
    import_csv_text(header + "\n", "missing.csv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "missing.csv: missing required column 'kernel_height' in the header (line 1)");
  }
  try {
    import_csv_text(kHeader() + ",cycles\n", "twice.csv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "twice.csv: column 'cycles' appears twice in the header (columns 20 and 22)");
  }
  // theoretical_cycles is optional.
  std::string no_theo = kHeader().substr(0, kHeader().rfind(','));
  const ImportResult r =
      import_csv_text(no_theo + "\n" + valid_row().substr(0, valid_row().rfind(',')), "x.csv");
  EXPECT_EQ(r.counts.rows_written, 1u);
  EXPECT_FALSE(r.columns.has_theoretical_cycles());
}

TEST(CsvImport, EmptyInputHeaderOnlyAndMissingFileAreClear) {
  EXPECT_THROW(
      {
        try {
          import_csv_text("", "empty.csv");
        } catch (const Error& e) {
          EXPECT_STREQ(e.what(), "empty.csv is empty: expected a header line naming the columns");
          throw;
        }
      },
      Error);
  EXPECT_THROW(import_csv_text("\n \n\r\n", "blank.csv"), Error);
  const ImportResult header_only = import_csv_text(kHeader() + "\r\n", "h.csv");
  EXPECT_EQ(header_only.counts.rows_read, 0u);
  EXPECT_TRUE(header_only.columns.empty());
  try {
    import_csv("/nonexistent/recordings.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "CSV file /nonexistent/recordings.csv does not exist");
  }
  EXPECT_THROW(import_csv(VPUCOST_TEST_DATA), Error);  // a directory
}

TEST(CsvImport, DuplicatesAreKeptAndCounted) {
  std::string text = kHeader() + "\n";
  for (int i = 0; i < 4; ++i) text += valid_row(std::to_string(100 + i)) + "\n";
  text += "VPU_2_7,CONVOLUTION,56,56,64,56,56,64,3,3,1,1,1,1,1,1,UINT8,FLOAT16,CUBOID_16x16,5,\n";
  const ImportResult r = import_csv_text(text, "d.csv");
  EXPECT_EQ(r.counts.rows_written, 5u);
  EXPECT_EQ(r.counts.duplicates, 3u);
  EXPECT_EQ(r.columns.cycles(3), 103.0);
  expect_reconciled(r);
}

TEST(CsvImport, QuotedFieldsWithSeparatorsAndEscapedQuotes) {
  const std::string text = "note," + kHeader() + "\n" + "\"a, \"\"quoted\"\" note\"," +
                           valid_row() + "\n" + "\"unterminated," + valid_row() + "\n";
  const ImportResult r = import_csv_text(text, "q.csv");
  EXPECT_EQ(r.counts.rows_written, 1u);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 3u);
  EXPECT_EQ(r.rejects[0].reason, "field 1 opens a quote that is not closed on this line");
}

TEST(CsvImport, NumbersAreStrict) {
  const auto reason_for = [](const std::string& width) {
    const std::string row = "VPU_2_7,ELTWISE," + width + ",7,16," + width +
                            ",7,16,1,1,1,1,0,0,0,0,UINT8,UINT8,CUBOID_16x16,100,";
    const ImportResult r = import_csv_text(kHeader() + "\n" + row + "\n", "n.csv");
    return r.rejects.empty() ? std::string("<kept>") : r.rejects[0].reason;
  };
  EXPECT_EQ(reason_for("7"), "<kept>");
  EXPECT_EQ(reason_for("+7"), "<kept>");
  EXPECT_EQ(reason_for("007"), "<kept>");
  EXPECT_EQ(reason_for(""), "column input_width: value is missing");
  EXPECT_EQ(reason_for("-"), "column input_width: '-' is not an integer");
  EXPECT_EQ(reason_for("0x7"), "column input_width: '0x7' is not an integer");
  EXPECT_EQ(reason_for("7 7"), "column input_width: '7 7' is not an integer");
  EXPECT_EQ(reason_for("1e3"), "column input_width: '1e3' is not an integer");
  EXPECT_EQ(reason_for("2097152"), "input width 2097152 exceeds the supported maximum of 1048576");
  EXPECT_EQ(reason_for("-9223372036854775809"),
            "column input_width: '-9223372036854775809' is out of range");

  const auto cycles_reason = [](const std::string& cycles) {
    const ImportResult r = import_csv_text(kHeader() + "\n" + valid_row(cycles) + "\n", "c.csv");
    return r.rejects.empty() ? std::string("<kept>") : r.rejects[0].reason;
  };
  EXPECT_EQ(cycles_reason("1.5e3"), "<kept>");
  EXPECT_EQ(cycles_reason("+12"), "<kept>");
  EXPECT_EQ(cycles_reason("1e999"), "column cycles: '1e999' is out of range");
  EXPECT_EQ(cycles_reason("-inf"), "column cycles: '-inf' is not a finite number");
  EXPECT_EQ(cycles_reason("12 cycles"), "column cycles: '12 cycles' is not a number");
  EXPECT_EQ(cycles_reason("++1"), "column cycles: '++1' is not a number");
  EXPECT_EQ(cycles_reason("0x10"), "column cycles: '0x10' is not a number");
  EXPECT_EQ(cycles_reason("-0"), "column cycles: must be > 0 (got '-0')");
}

TEST(CsvImport, LongAndBinaryValuesAreShortenedInReasons) {
  const std::string junk(100, 'x');
  const std::string row =
      "VPU_2_7,\x01" + junk + ",1,1,16,1,1,16,1,1,1,1,0,0,0,0,UINT8,UINT8,CUBOID_16x16,5,";
  const ImportResult r = import_csv_text(kHeader() + "\n" + row + "\n", "b.csv");
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].reason.substr(0, 35), "column operation: '?xxxxxxxxxxxxxxx");
  EXPECT_NE(r.rejects[0].reason.find("...' is not a known operation"), std::string::npos);
}

TEST(CsvImport, ANulByteRefusesTheFileNamingItsLine) {
  // fccp reads lines as C strings: a NUL would silently cut its line short
  // (found by fuzzing, where NULs before the header made it a blank line).
  const std::string row =
      "VPU_2_7,CONVOLUTION,56,56,64,56,56,64,3,3,1,1,1,1,1,1,UINT8,UINT8,"
      "CUBOID_16x16,30746,";
  std::string text = kHeader() + "\n" + row + "\n" + row + "\n" + row + "\n";
  text[text.rfind(",30746")] = '\0';  // in line 4
  const std::string expected = " is not a text CSV: line 4 contains a NUL byte";
  for (unsigned threads : {1u, 3u}) {
    ImportOptions o;
    o.threads = threads;
    try {
      import_csv_text(text, "nul.csv", o);
      FAIL() << threads;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), "nul.csv" + expected);
    }
  }
  test::TempDir dir;
  test::write_text(dir / "nul.csv", text);
  try {
    import_csv(dir / "nul.csv");  // streamed from the file
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "nul.csv").string() + expected);
  }
  EXPECT_THROW(import_csv_text(std::string(40, '\0') + kHeader() + "\n" + row, "h.csv"), Error);
}

TEST(CsvImport, RejectsFileListsLineReasonAndRowAsCsv) {
  const ImportResult r = import_csv(test::test_data("bad_rows.csv"));
  const std::string text = rejects_csv(r.rejects);
  EXPECT_EQ(text.substr(0, 16), "line,reason,row\n");
  EXPECT_NE(text.find("\n3,\"row has 20 fields, the header has 21\",\"VPU_2_7,CONVOLUTION"),
            std::string::npos);
  // Reading it back as CSV gives the same reasons and rows.
  CsvReader reader("rejects.csv", text);
  CsvLine line;
  ASSERT_TRUE(reader.next(line));
  std::size_t i = 0;
  while (reader.next(line)) {
    ASSERT_LT(i, r.rejects.size());
    ASSERT_EQ(line.fields.size(), 3u) << line.text;
    EXPECT_EQ(line.fields[0], std::to_string(r.rejects[i].line));
    EXPECT_EQ(line.fields[1], r.rejects[i].reason);
    EXPECT_EQ(line.fields[2], r.rejects[i].text);
    ++i;
  }
  EXPECT_EQ(i, r.rejects.size());
  EXPECT_EQ(csv_field(" padded"), "\" padded\"");
  EXPECT_EQ(csv_field("plain"), "plain");
}

TEST(CsvImport, ProgressCallbackCanAbandonTheImport) {
  std::string text = kHeader() + "\n";
  for (int i = 0; i < 10; ++i) text += valid_row() + "\n";
  ImportOptions options;
  options.progress_interval = 4;
  std::vector<std::uint64_t> seen;
  options.on_progress = [&](std::uint64_t rows) { seen.push_back(rows); };
  import_csv_text(text, "p.csv", options);
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{4, 8}));
  options.on_progress = [](std::uint64_t) { throw Error("interrupted"); };
  EXPECT_THROW(import_csv_text(text, "p.csv", options), Error);
}

}  // namespace
}  // namespace vpucost
