// HDF5 dataset files: CSV -> HDF5 -> identical values, attributes, stored
// types, streaming in chunks, Eigen views, and atomic writes.
#include "vpucost/dataset_file.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "dataset_test_support.hpp"
#include "vpucost/csv_import.hpp"
#include "vpucost/error.hpp"
#include "vpucost/features.hpp"
#include "vpucost/hdf5_io.hpp"

namespace vpucost {
namespace {

using test::TempDir;

TEST(DatasetFile, CsvToHdf5GivesIdenticalValuesAndRecordsWhereTheyCameFrom) {
  TempDir dir;
  const ImportResult imported = import_csv(test::sample("vpu_4_0_train.csv"));
  DatasetWriteOptions options;
  options.source_file = "vpu_4_0_train.csv";
  options.import_counts = imported.counts;
  write_dataset_file(dir / "d.h5", imported.columns, options);

  DatasetInfo info;
  const DatasetColumns loaded = read_dataset_file(dir / "d.h5", &info);
  std::string why;
  EXPECT_TRUE(test::same_rows(loaded, imported.columns, &why)) << why;
  EXPECT_EQ(info.rows, 2000u);
  EXPECT_EQ(info.schema_version, 1);
  EXPECT_EQ(info.devices, std::vector<Device>{Device::VPU_4_0});
  EXPECT_EQ(info.source_file, "vpu_4_0_train.csv");
  EXPECT_TRUE(std::regex_match(info.created, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << info.created;
  EXPECT_TRUE(std::regex_match(info.checksum, std::regex("crc32:[0-9a-f]{8}"))) << info.checksum;
  EXPECT_TRUE(info.has_theoretical_cycles);
  ASSERT_TRUE(info.import_counts.has_value());
  EXPECT_EQ(info.import_counts->rows_read, 2000u);
  EXPECT_EQ(info.import_counts->rows_rejected, 0u);
  EXPECT_EQ(read_dataset_info(dir / "d.h5").checksum, info.checksum);
}

TEST(DatasetFile, CompilerFieldsRoundTripInSchema2) {
  TempDir dir;
  const DatasetColumns c = test::compiler_field_columns(500);
  ASSERT_TRUE(c.has_compiler_fields());
  write_dataset_file(dir / "v2.h5", c);
  DatasetInfo info;
  const DatasetColumns loaded = read_dataset_file(dir / "v2.h5", &info);
  std::string why;
  EXPECT_TRUE(test::same_rows(loaded, c, &why)) << why;
  EXPECT_EQ(info.schema_version, 2);
  EXPECT_TRUE(info.has_compiler_fields);
  auto guard = h5::lock();
  H5::H5File file((dir / "v2.h5").string(), H5F_ACC_RDONLY);
  H5::Group g = file.openGroup("dataset");
  EXPECT_EQ(g.openDataSet("input_sparsity").getTypeClass(), H5T_FLOAT);
  EXPECT_EQ(g.openDataSet("output_write_tiles").getTypeClass(), H5T_INTEGER);
  EXPECT_TRUE(g.openDataSet("activation_function").attrExists("enum_names"));
  EXPECT_TRUE(g.openDataSet("isi_strategy").attrExists("enum_names"));
}

// A dataset whose rows all have the compiler's fields at their defaults is
// what vpucost wrote before they existed: schema 1, the same columns, the
// same stored values (hence the same checksum as the file of that time).
TEST(DatasetFile, DefaultFieldsAreWrittenExactlyAsSchema1) {
  TempDir dir;
  const ImportResult imported = import_csv(test::sample("vpu_2_7_train.csv"));
  ASSERT_FALSE(imported.columns.has_compiler_fields());
  write_dataset_file(dir / "v1.h5", imported.columns);
  const DatasetInfo info = read_dataset_info(dir / "v1.h5");
  EXPECT_EQ(info.schema_version, 1);
  EXPECT_FALSE(info.has_compiler_fields);
  // Recorded from `vpucost import` of this sample before the fields existed.
  EXPECT_EQ(info.checksum, "crc32:ceff68f0");
  auto guard = h5::lock();
  H5::H5File file((dir / "v1.h5").string(), H5F_ACC_RDONLY);
  H5::Group g = file.openGroup("dataset");
  EXPECT_EQ(g.getNumObjs(), 21u);  // v1's 19 descriptor columns, cycles, theoretical_cycles
  EXPECT_FALSE(g.nameExists("activation_function"));
}

TEST(DatasetFile, ReadsAFileWrittenBeforeSchema2) {
  DatasetInfo info;
  const DatasetColumns old =
      read_dataset_file(VPUCOST_TEST_DATA "/schema1_written_before_v2.h5", &info);
  EXPECT_EQ(info.schema_version, 1);
  EXPECT_EQ(info.vpucost_version, "0.1.0");
  const ImportResult csv = import_csv(VPUCOST_TEST_DATA "/schema1_written_before_v2.csv");
  std::string why;
  EXPECT_TRUE(test::same_rows(old, csv.columns, &why)) << why;
  for (std::size_t r = 0; r < old.size(); ++r) {
    EXPECT_TRUE(has_default_compiler_fields(old.workload(r))) << r;
  }
}

TEST(DatasetFile, ColumnsUseSmallIntegerTypesWithEnumNamesAndFloat64Cycles) {
  TempDir dir;
  DatasetColumns c = test::varied_columns(300);
  write_dataset_file(dir / "t.h5", c);
  auto guard = h5::lock();
  H5::H5File file((dir / "t.h5").string(), H5F_ACC_RDONLY);
  H5::Group g = file.openGroup("dataset");
  const auto type_of = [&](const char* name) {
    H5::DataSet ds = g.openDataSet(name);
    return std::make_pair(ds.getTypeClass(), ds.getDataType().getSize());
  };
  EXPECT_EQ(type_of("input_width"), std::make_pair(H5T_INTEGER, std::size_t{1}));
  EXPECT_EQ(type_of("output_channels"), std::make_pair(H5T_INTEGER, std::size_t{1}));
  EXPECT_EQ(type_of("device"), std::make_pair(H5T_INTEGER, std::size_t{1}));
  EXPECT_EQ(type_of("cycles"), std::make_pair(H5T_FLOAT, std::size_t{8}));
  H5::DataSet op = g.openDataSet("operation");
  EXPECT_TRUE(op.attrExists("enum_names"));
  const H5::DSetCreatPropList props = op.getCreatePlist();
  EXPECT_EQ(props.getLayout(), H5D_CHUNKED);
  ASSERT_EQ(props.getNfilters(), 2);
  unsigned flags = 0;
  std::size_t n = 0;
  unsigned cd[4];
  char name[64];
  unsigned config = 0;
  EXPECT_EQ(props.getFilter(0, flags, n = 4, cd, sizeof name, name, config), H5Z_FILTER_SHUFFLE);
  EXPECT_EQ(props.getFilter(1, flags, n = 4, cd, sizeof name, name, config), H5Z_FILTER_DEFLATE);
  EXPECT_EQ(h5::read_string_attribute(file.openGroup("/"), "format"), "vpucost-dataset");
}

TEST(DatasetFile, LargeValuesGetWiderTypesAndStillRoundTrip) {
  TempDir dir;
  DatasetColumns c;
  Workload w = test::conv3x3();
  w.input.channels = w.output.channels = 70000;  // needs 32 bits
  c.append(w, 1e12);
  w.input.width = w.output.width = 300;  // needs 16 bits
  c.append(w, 0.25);
  write_dataset_file(dir / "w.h5", c);
  std::string why;
  EXPECT_TRUE(test::same_rows(read_dataset_file(dir / "w.h5"), c, &why)) << why;
}

TEST(DatasetFile, EmptyDatasetRoundTrips) {
  TempDir dir;
  DatasetColumns empty;
  write_dataset_file(dir / "e.h5", empty);
  DatasetInfo info;
  EXPECT_TRUE(read_dataset_file(dir / "e.h5", &info).empty());
  EXPECT_EQ(info.rows, 0u);
  EXPECT_TRUE(info.devices.empty());
  DatasetFileReader reader(dir / "e.h5");
  DatasetColumns chunk;
  EXPECT_FALSE(reader.read_next(chunk, 10));
}

TEST(DatasetFile, StreamingInChunksDeliversEveryRowOnce) {
  TempDir dir;
  // More rows than one HDF5 chunk (65536), so reads cross chunk boundaries.
  const DatasetColumns all = test::varied_columns(70001);
  write_dataset_file(dir / "s.h5", all);
  for (const std::size_t chunk_rows :
       {std::size_t{1000}, std::size_t{65536}, std::size_t{100000}}) {
    DatasetColumns joined;
    joined.set_has_theoretical_cycles(true);
    std::uint64_t expected_first = 0;
    std::size_t calls = 0;
    for_each_chunk(dir / "s.h5", chunk_rows, [&](const DatasetColumns& chunk, std::uint64_t first) {
      EXPECT_EQ(first, expected_first);
      EXPECT_LE(chunk.size(), chunk_rows);
      EXPECT_GT(chunk.size(), 0u);
      joined.append_rows(chunk, 0, chunk.size());
      expected_first += chunk.size();
      ++calls;
    });
    EXPECT_EQ(calls, (70001 + chunk_rows - 1) / chunk_rows);
    std::string why;
    EXPECT_TRUE(test::same_rows(joined, all, &why)) << "chunks of " << chunk_rows << ": " << why;
  }
  DatasetFileReader reader(dir / "s.h5");
  EXPECT_EQ(reader.info().rows, 70001u);
  DatasetColumns chunk;
  ASSERT_TRUE(reader.read_next(chunk, 70000));
  EXPECT_EQ(reader.position(), 70000u);
  ASSERT_TRUE(reader.read_next(chunk, 70000));
  EXPECT_EQ(chunk.size(), 1u);
  EXPECT_EQ(chunk.cycles(0), all.cycles(70000));
  EXPECT_FALSE(reader.read_next(chunk, 70000));
  EXPECT_TRUE(chunk.empty());
  EXPECT_THROW(reader.read_next(chunk, 0), Error);
}

TEST(DatasetFile, EigenViewsMatchTheColumnsAndTheFeatureEncoding) {
  const DatasetColumns c = test::varied_columns(50);
  const Eigen::MatrixXd d = descriptor_matrix(c);
  ASSERT_EQ(d.rows(), 50);
  ASSERT_EQ(d.cols(), static_cast<Eigen::Index>(kDescriptorColumnCount));
  const DatasetColumns v2 = test::compiler_field_columns(20);
  const Eigen::MatrixXd d2 = descriptor_matrix(v2);
  EXPECT_EQ(d2(6, static_cast<Eigen::Index>(Column::input_sparsity)),
            v2.workload(6).input_sparsity);
  EXPECT_EQ(d2(4, static_cast<Eigen::Index>(Column::output_write_tiles)),
            double(v2.workload(4).output_write_tiles));
  EXPECT_EQ(d(7, static_cast<Eigen::Index>(Column::input_width)), c.workload(7).input.width);
  EXPECT_EQ(d(7, static_cast<Eigen::Index>(Column::execution_mode)),
            static_cast<double>(c.workload(7).mode));
  const Eigen::MatrixXf f = feature_matrix(c);
  ASSERT_EQ(f.rows(), static_cast<Eigen::Index>(kFeatureCount));
  ASSERT_EQ(f.cols(), 50);
  const FeatureVector expected = encode_features(c.workload(13));
  for (std::size_t i = 0; i < kFeatureCount; ++i)
    EXPECT_EQ(f(static_cast<Eigen::Index>(i), 13), expected[i]);
  EXPECT_EQ(cycles_vector(c)(13), c.cycles(13));
  const Dataset ds = to_dataset(c, "x");
  EXPECT_EQ(ds.size(), 50u);
  EXPECT_EQ(ds.workloads[13], c.workload(13));
  std::string why;
  DatasetColumns back = to_columns(ds);
  EXPECT_EQ(back.size(), 50u);
  EXPECT_EQ(back.workload(49), c.workload(49));
}

std::size_t files_in(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(DatasetFile, AFailureMidWriteLeavesNoOutputAndKeepsThePreviousFile) {
  TempDir dir;
  const DatasetColumns c = test::varied_columns(500);
  DatasetWriteOptions failing;
  failing.on_column_written = [](std::size_t column) {
    if (column == 5) throw Error("simulated failure after 6 columns");
  };
  EXPECT_THROW(write_dataset_file(dir / "out.h5", c, failing), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "out.h5"));
  EXPECT_EQ(files_in(dir.path()), 0u);  // no temporary file left behind

  write_dataset_file(dir / "out.h5", c);
  const std::string checksum = read_dataset_info(dir / "out.h5").checksum;
  EXPECT_THROW(write_dataset_file(dir / "out.h5", test::varied_columns(20), failing), Error);
  EXPECT_EQ(read_dataset_info(dir / "out.h5").checksum, checksum);
  EXPECT_EQ(files_in(dir.path()), 1u);
}

TEST(DatasetFile, InvalidRowsAreRefusedBeforeAnythingIsWritten) {
  TempDir dir;
  DatasetColumns c = test::varied_columns(10);
  c.cycles_mut()[4] = -1.0;
  try {
    write_dataset_file(dir / "bad.h5", c);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("row index 4 is invalid: cycles -1 is not finite and > 0"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(files_in(dir.path()), 0u);
  // Several files: all or none.
  const DatasetColumns good = test::varied_columns(10);
  DatasetOutput outputs[2] = {{dir / "a.h5", &good, {}}, {dir / "b.h5", &c, {}}};
  EXPECT_THROW(write_dataset_files(outputs), Error);
  EXPECT_EQ(files_in(dir.path()), 0u);
  outputs[1].columns = &good;
  write_dataset_files(outputs);
  EXPECT_EQ(files_in(dir.path()), 2u);
}

}  // namespace
}  // namespace vpucost
