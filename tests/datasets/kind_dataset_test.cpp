// SHAVE and DMA datasets (issue #15): what import writes reads back to the
// same rows; each file records its kind and every reader of another kind
// refuses it with one line; damaged content is refused naming the row.
#include "vpucost/kind_dataset.hpp"

#include <H5Cpp.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "dataset_test_support.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"

namespace vpucost {
namespace {

const std::filesystem::path kKindSamples = std::filesystem::path(VPUCOST_SAMPLES) / "v2";

std::string kind_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(KindDataset, ShaveRowsRoundTrip) {
  test::TempDir dir;
  const ShaveRecordings csv = read_shave_csv(kKindSamples / "shave" / "npu_5_0_test.csv");
  save_kind_dataset(csv, dir / "shave.h5");
  EXPECT_EQ(dataset_kind(dir / "shave.h5"), WorkloadKind::shave);
  const ShaveRecordings back = load_shave_dataset(dir / "shave.h5");
  EXPECT_EQ(back.items, csv.items);
  EXPECT_EQ(back.cycles, csv.cycles);
  EXPECT_EQ(back.rows_read, csv.rows_read);
  EXPECT_EQ(back.source, "shave.h5");
  // read_shave_recordings takes either form.
  EXPECT_EQ(read_shave_recordings(dir / "shave.h5").items, csv.items);
  EXPECT_EQ(read_shave_recordings(kKindSamples / "shave" / "npu_5_0_test.csv").items, csv.items);
}

TEST(KindDataset, DmaRowsRoundTrip) {
  test::TempDir dir;
  const DmaRecordings csv = read_dma_csv(kKindSamples / "dma" / "vpu_2_7_test.csv");
  save_kind_dataset(csv, dir / "dma.h5");
  EXPECT_EQ(dataset_kind(dir / "dma.h5"), WorkloadKind::dma);
  const DmaRecordings back = load_dma_dataset(dir / "dma.h5");
  EXPECT_EQ(back.items, csv.items);
  EXPECT_EQ(back.cycles, csv.cycles);
  EXPECT_EQ(read_dma_recordings(dir / "dma.h5").size(), 500u);
}

TEST(KindDataset, EveryReaderRefusesAnotherKind) {
  test::TempDir dir;
  save_kind_dataset(read_dma_csv(kKindSamples / "dma" / "vpu_2_7_test.csv"), dir / "dma.h5");
  save_kind_dataset(read_shave_csv(kKindSamples / "shave" / "vpu_2_7_test.csv"), dir / "shave.h5");
  EXPECT_NE(kind_error_of([&] {
              load_shave_dataset(dir / "dma.h5");
            }).find("records DMA transfers, not SHAVE operations"),
            std::string::npos);
  EXPECT_NE(kind_error_of([&] {
              load_dma_dataset(dir / "shave.h5");
            }).find("records SHAVE operations, not DMA transfers"),
            std::string::npos);
  EXPECT_NE(kind_error_of([&] {
              read_dataset_file(dir / "shave.h5");
            }).find("records SHAVE operations, not DPU workloads"),
            std::string::npos);
  // A DPU dataset: no kind attribute, so dpu.
  const auto dpu = dir / "dpu.h5";
  write_dataset_file(dpu, test::varied_columns(10));
  EXPECT_EQ(dataset_kind(dpu), WorkloadKind::dpu);
  EXPECT_NE(kind_error_of([&] {
              load_dma_dataset(dpu);
            }).find("records DPU workloads, not DMA transfers"),
            std::string::npos);
}

TEST(KindDataset, DamagedRowsAreNamed) {
  test::TempDir dir;
  const auto path = dir / "dma.h5";
  save_kind_dataset(read_dma_csv(kKindSamples / "dma" / "vpu_4_0_test.csv"), path);
  {
    auto guard = h5::lock();
    H5::H5File f(path.string(), H5F_ACC_RDWR);
    H5::DataSet width = f.openDataSet("/dataset/width");
    std::vector<std::int64_t> w(500);
    width.read(w.data(), H5::PredType::NATIVE_INT64);
    w[17] = 0;
    width.write(w.data(), H5::PredType::NATIVE_INT64);
  }
  const std::string e = kind_error_of([&] { load_dma_dataset(path); });
  EXPECT_NE(e.find("dataset file " + path.string() + ": row 17: transfer width 0 is outside"),
            std::string::npos)
      << e;
}

TEST(KindDataset, NothingToWriteLeavesNoFile) {
  test::TempDir dir;
  DmaRecordings none;
  none.source = "empty.csv";
  EXPECT_NE(kind_error_of([&] {
              save_kind_dataset(none, dir / "x.h5");
            }).find("empty.csv has no valid dma row"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5"));
}

}  // namespace
}  // namespace vpucost
