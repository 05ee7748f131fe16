// Damaged, truncated, foreign and hand-edited dataset files give one clear
// error naming the file and what is wrong, never a crash or wrong data.
#include <gtest/gtest.h>

#include <functional>

#include "dataset_test_support.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

using test::TempDir;

std::string load_error(const std::filesystem::path& p) {
  try {
    read_dataset_file(p);
  } catch (const Error& e) {
    return e.what();
  }
  return "<loaded>";
}

std::string stream_error(const std::filesystem::path& p) {
  try {
    for_each_chunk(p, 64, [](const DatasetColumns&, std::uint64_t) {});
  } catch (const Error& e) {
    return e.what();
  }
  return "<loaded>";
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

class DatasetFileErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    write_dataset_file(good_, test::varied_columns(3000));
    bytes_ = test::read_text(good_);
  }
  // A copy of the good file edited through HDF5 by `edit`.
  std::filesystem::path edited(const std::string& name,
                               const std::function<void(H5::H5File&)>& edit) {
    const auto p = dir_ / name;
    std::filesystem::copy_file(good_, p);
    auto guard = h5::lock();
    H5::H5File f(p.string(), H5F_ACC_RDWR);
    edit(f);
    return p;
  }

  TempDir dir_;
  std::filesystem::path good_ = dir_ / "good.h5";
  std::string bytes_;
};

TEST_F(DatasetFileErrors, MissingEmptyDirectoryAndNonHdf5Files) {
  EXPECT_EQ(load_error(dir_ / "none.h5"),
            "dataset file " + (dir_ / "none.h5").string() + " does not exist");
  test::write_text(dir_ / "empty.h5", "");
  EXPECT_TRUE(contains(load_error(dir_ / "empty.h5"), "is empty"));
  EXPECT_TRUE(contains(load_error(dir_.path()), "is a directory"));
  test::write_text(dir_ / "text.h5", test::kHeader() + "\n");
  EXPECT_TRUE(contains(load_error(dir_ / "text.h5"), "is not an HDF5 file"));
}

TEST_F(DatasetFileErrors, TruncatedFilesAreReportedAsDamaged) {
  for (const std::size_t keep :
       {std::size_t{8}, std::size_t{100}, bytes_.size() / 2, bytes_.size() - 1}) {
    const auto p = dir_ / ("cut" + std::to_string(keep) + ".h5");
    test::write_text(p, bytes_.substr(0, keep));
    const std::string e = load_error(p);
    EXPECT_TRUE(contains(e, p.string())) << e;
    EXPECT_TRUE(contains(e, "damaged") || contains(e, "not an HDF5 file")) << keep << ": " << e;
  }
}

TEST_F(DatasetFileErrors, CorruptedBytesAreDetected) {
  // Flip bytes at many places; every result must be a clean error or (if
  // the flip hit unused space) exactly the original rows.
  const DatasetColumns original = read_dataset_file(good_);
  int errors = 0;
  for (std::size_t at = 512; at < bytes_.size(); at += bytes_.size() / 40) {
    std::string damaged = bytes_;
    for (std::size_t i = at; i < at + 8 && i < damaged.size(); ++i)
      damaged[i] = static_cast<char>(~damaged[i]);
    const auto p = dir_ / ("flip" + std::to_string(at) + ".h5");
    test::write_text(p, damaged);
    try {
      std::string why;
      EXPECT_TRUE(test::same_rows(read_dataset_file(p), original, &why)) << at << ": " << why;
    } catch (const Error& e) {
      ++errors;
      EXPECT_TRUE(contains(e.what(), p.string())) << e.what();
    }
  }
  EXPECT_GT(errors, 20);
}

TEST_F(DatasetFileErrors, ForeignFilesAreNamedForWhatTheyAre) {
  save_model(test::random_model(Device::VPU_2_7), dir_ / "model.h5");
  EXPECT_EQ(load_error(dir_ / "model.h5"),
            "dataset file " + (dir_ / "model.h5").string() +
                " is a 'vpucost-model' file, not a vpucost dataset (it is a model)");
  {
    auto guard = h5::lock();
    H5::H5File f = h5::create(dir_ / "other.h5");
    f.createGroup("dataset");
  }
  EXPECT_TRUE(
      contains(load_error(dir_ / "other.h5"), "is not a vpucost dataset (no 'format' attribute"));
  {
    auto guard = h5::lock();  // libhdf5's default: the 1.8 format, as h5py writes
    H5::H5File f((dir_ / "h5py.h5").string(), H5F_ACC_TRUNC);
    f.createGroup("dataset");
  }
  EXPECT_TRUE(contains(load_error(dir_ / "h5py.h5"),
                       "is in the HDF5 1.8 file format (superblock version 0)"));
  const auto foreign = edited("foreign.h5", [](H5::H5File& f) {
    H5::Group root = f.openGroup("/");
    root.removeAttr("format");
    const std::string value = "netcdf";
    H5::StrType type(H5::PredType::C_S1, value.size());
    root.createAttribute("format", type, H5::DataSpace(H5S_SCALAR)).write(type, value.data());
  });
  EXPECT_TRUE(contains(load_error(foreign), "is a 'netcdf' file, not a vpucost dataset"));
}

TEST_F(DatasetFileErrors, StructuralDamageNamesTheColumn) {
  const auto newer = edited("newer.h5", [](H5::H5File& f) {
    H5::Group root = f.openGroup("/");
    root.removeAttr("schema_version");
    h5::write_attribute(root, "schema_version", std::int64_t{3});
  });
  EXPECT_TRUE(
      contains(load_error(newer), "has schema version 3; this vpucost reads versions 1 to 2"));
  // Schema 2 promises the compiler's columns; a file claiming it without them is damaged.
  const auto promised = edited("promised.h5", [](H5::H5File& f) {
    H5::Group root = f.openGroup("/");
    root.removeAttr("schema_version");
    h5::write_attribute(root, "schema_version", std::int64_t{2});
  });
  EXPECT_TRUE(contains(load_error(promised), "has no column 'activation_function' in /dataset"));

  const auto missing =
      edited("missing.h5", [](H5::H5File& f) { f.openGroup("dataset").unlink("kernel_height"); });
  EXPECT_TRUE(contains(load_error(missing), "has no column 'kernel_height' in /dataset"));

  const auto shorter = edited("short.h5", [](H5::H5File& f) {
    H5::Group g = f.openGroup("dataset");
    g.unlink("pad_top");
    const hsize_t dims[1] = {10};
    g.createDataSet("pad_top", H5::PredType::STD_U8LE, H5::DataSpace(1, dims));
  });
  EXPECT_TRUE(contains(load_error(shorter), "column pad_top has 10 rows, the dataset 3000"));

  const auto missing_chunk = edited("chunks.h5", [](H5::H5File& f) {
    H5::Group g = f.openGroup("dataset");
    g.unlink("stride_width");
    H5::DSetCreatPropList props;
    const hsize_t chunk[1] = {1000};
    props.setChunk(1, chunk);
    const hsize_t dims[1] = {3000};
    H5::DataSet ds =
        g.createDataSet("stride_width", H5::PredType::STD_U8LE, H5::DataSpace(1, dims), props);
    const std::vector<std::uint8_t> ones(1000, 1);
    const hsize_t offset[1] = {0};
    H5::DataSpace file_space = ds.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, chunk, offset);
    ds.write(ones.data(), H5::PredType::NATIVE_UINT8, H5::DataSpace(1, chunk), file_space);
  });
  EXPECT_TRUE(contains(load_error(missing_chunk),
                       "column stride_width has 1 of its 3 chunks: the file is damaged or was not "
                       "completely written"));

  const auto text_column = edited("strings.h5", [](H5::H5File& f) {
    H5::Group g = f.openGroup("dataset");
    g.unlink("cycles");
    h5::write_strings(g, "cycles", std::vector<std::string>(3000, "7"));
  });
  EXPECT_TRUE(contains(load_error(text_column), "column cycles has type class"));

  const auto reordered = edited("enums.h5", [](H5::H5File& f) {
    H5::DataSet ds = f.openGroup("dataset").openDataSet("operation");
    ds.removeAttr("enum_names");
    const hsize_t dims[1] = {2};
    H5::StrType type(H5::PredType::C_S1, 16);
    const char names[33] = "DW_CONVOLUTION\0\0CONVOLUTION";
    ds.createAttribute("enum_names", type, H5::DataSpace(1, dims)).write(type, names);
  });
  const auto variable = edited("vlen.h5", [](H5::H5File& f) {
    H5::Group g = f.openGroup("dataset");
    g.removeAttr("source_file");
    h5::write_variable_length_attribute(g, "source_file", "x.csv");
  });
  EXPECT_TRUE(contains(load_error(variable),
                       "attribute 'source_file' of /dataset is a variable-length string"));
  EXPECT_TRUE(contains(load_error(variable), variable.string()));
  EXPECT_TRUE(contains(load_error(reordered),
                       "column operation: enum_names gives 'DW_CONVOLUTION' for value 0, this "
                       "vpucost has 'CONVOLUTION'"));
}

TEST_F(DatasetFileErrors, InvalidRowsAndChangedContentAreCaught) {
  // A valid HDF5 write of an invalid value: the row check names it.
  const auto zero_kernel = edited("kernel.h5", [](H5::H5File& f) {
    H5::DataSet ds = f.openGroup("dataset").openDataSet("kernel_width");
    std::vector<std::uint8_t> v(3000);
    ds.read(v.data(), H5::PredType::NATIVE_UINT8);
    v[1234] = 0;
    ds.write(v.data(), H5::PredType::NATIVE_UINT8);
  });
  EXPECT_TRUE(contains(load_error(zero_kernel),
                       "row index 1234 is invalid: kernel width must be positive (got 0)"));
  EXPECT_TRUE(contains(stream_error(zero_kernel), "row index 1234 is invalid"));

  // A plausible but different value: only the checksum can tell.
  const auto changed = edited("changed.h5", [](H5::H5File& f) {
    H5::DataSet ds = f.openGroup("dataset").openDataSet("cycles");
    std::vector<double> v(3000);
    ds.read(v.data(), H5::PredType::NATIVE_DOUBLE);
    v[77] += 1.0;
    ds.write(v.data(), H5::PredType::NATIVE_DOUBLE);
  });
  EXPECT_TRUE(contains(load_error(changed), "is damaged: its content checksum is crc32:"));
  EXPECT_TRUE(contains(stream_error(changed), "is damaged: its content checksum is crc32:"));

  const auto bogus_rows = edited("rows.h5", [](H5::H5File& f) {
    H5::Group g = f.openGroup("dataset");
    g.removeAttr("rows");
    h5::write_attribute(g, "rows", std::int64_t{-5});
  });
  EXPECT_TRUE(contains(load_error(bogus_rows), "attribute 'rows' is -5"));
}

}  // namespace
}  // namespace vpucost
