// load_dataset: .h5 and .csv give the same rows; CSV rejects are warned
// about with their count and first reasons.
#include <gtest/gtest.h>

#include "dataset_test_support.hpp"
#include "vpucost/csv_import.hpp"
#include "vpucost/dataset.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/dataset_warnings.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

// Collects warnings for the duration of a test.
class CapturedWarnings {
 public:
  CapturedWarnings() {
    previous_ = set_warning_handler([this](const std::string& m) { messages.push_back(m); });
  }
  ~CapturedWarnings() { set_warning_handler(previous_); }
  std::vector<std::string> messages;

 private:
  WarningHandler previous_;
};

TEST(LoadDataset, CsvAndHdf5GiveTheSameDataset) {
  test::TempDir dir;
  const auto csv = test::sample("vpu_2_0_test.csv");
  write_dataset_file(dir / "d.h5", import_csv(csv).columns);
  CapturedWarnings warnings;
  const Dataset from_csv = load_dataset(csv);
  const Dataset from_h5 = load_dataset(dir / "d.h5");
  EXPECT_TRUE(warnings.messages.empty());
  ASSERT_EQ(from_csv.size(), 1000u);
  EXPECT_EQ(from_csv.workloads, from_h5.workloads);
  EXPECT_EQ(from_csv.cycles, from_h5.cycles);
  EXPECT_EQ(from_csv.source, csv.string());
  EXPECT_EQ(from_h5.source, (dir / "d.h5").string());
  for (const Workload& w : from_h5.workloads) EXPECT_FALSE(find_problem(w).has_value());
}

TEST(LoadDataset, CsvRejectsAreLeftOutAndWarnedAbout) {
  CapturedWarnings warnings;
  const auto path = test::test_data("bad_rows.csv");
  const Dataset d = load_dataset(path);
  EXPECT_EQ(d.size(), 5u);
  ASSERT_EQ(warnings.messages.size(), 1u);
  EXPECT_EQ(warnings.messages[0],
            path.string() +
                ": 16 of 21 rows rejected and left out (line 3: row has 20 fields, the header has "
                "21; line 4: row has 22 fields, the header has 21; line 5: column input_width: "
                "'abc' is not an integer; ...); vpucost import --rejects FILE lists them all");
}

TEST(LoadDataset, UnknownColumnsAreWarnedAboutOnce) {
  CapturedWarnings warnings;
  const Dataset d = load_dataset(test::sample("vpu_2_7_mbconv_blocks.csv"));
  EXPECT_EQ(d.size(), 690u);
  ASSERT_EQ(warnings.messages.size(), 2u);
  EXPECT_NE(warnings.messages[0].find("ignoring 13 unknown columns: 'block_id' (column 1)"),
            std::string::npos)
      << warnings.messages[0];
  EXPECT_NE(warnings.messages[1].find("258 of 948 rows rejected"), std::string::npos);
}

TEST(LoadDataset, ExtensionDecidesTheFormatAndErrorsAreClear) {
  EXPECT_TRUE(is_csv_path("a/B.CSV"));
  EXPECT_FALSE(is_csv_path("a/b.h5"));
  test::TempDir dir;
  test::write_text(dir / "x.h5", test::kHeader() + "\n");
  EXPECT_THROW(load_dataset(dir / "x.h5"), Error);  // text named .h5: not HDF5
  EXPECT_THROW(load_dataset(dir / "missing.csv"), Error);
}

}  // namespace
}  // namespace vpucost
