#include "vpucost/model_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "../support/test_workloads.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"

namespace vpucost {
namespace {

using test::conv3x3;
using test::random_model;
using test::TempDir;

std::string load_error(const std::filesystem::path& p) {
  try {
    load_model(p);
  } catch (const Error& e) {
    return e.what();
  }
  return "<loaded>";
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(ModelFile, RoundTripKeepsEverything) {
  TempDir dir;
  const ModelParts parts = random_model(Device::VPU_4_0, {24, 12});
  save_model(parts, dir / "m.h5");
  const CostModel loaded = load_model(dir / "m.h5");
  const ModelParts& p = loaded.parts();
  EXPECT_EQ(p.device, Device::VPU_4_0);
  EXPECT_EQ(p.feature_version, kFeatureEncodingVersion);
  ASSERT_EQ(p.mlp.layers().size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(p.mlp.layers()[i].weights, parts.mlp.layers()[i].weights);
    EXPECT_EQ(p.mlp.layers()[i].bias, parts.mlp.layers()[i].bias);
  }
  EXPECT_EQ(p.mlp.activation(), parts.mlp.activation());
  EXPECT_EQ(p.feature_mean, parts.feature_mean);
  EXPECT_EQ(p.feature_std, parts.feature_std);
  EXPECT_EQ(p.output_offset, parts.output_offset);
  EXPECT_EQ(p.output_scale, parts.output_scale);
  EXPECT_EQ(p.training.dataset, "synthetic");
  EXPECT_EQ(p.training.rows, 123u);
  EXPECT_EQ(p.training.command, "test");
  EXPECT_EQ(p.training.created, "2026-11-21T00:00:00Z");
  EXPECT_DOUBLE_EQ(p.training.train_seconds, 1.25);
  EXPECT_DOUBLE_EQ(p.training.metrics.at("val_mape"), 0.031);
  EXPECT_EQ(p.training.notes.at("hidden"), "16,8");
  const auto w = conv3x3(Device::VPU_4_0);
  EXPECT_DOUBLE_EQ(loaded.predict_cycles(w), CostModel(parts).predict_cycles(w));
}

TEST(ModelFile, MissingEmptyAndNonHdf5FilesAreNamed) {
  TempDir dir;
  EXPECT_TRUE(contains(load_error(dir / "nope.h5"), "does not exist"))
      << load_error(dir / "nope.h5");
  std::ofstream(dir / "empty.h5").close();
  EXPECT_TRUE(contains(load_error(dir / "empty.h5"), "is empty"));
  {
    std::ofstream png(dir / "picture.h5", std::ios::binary);
    const unsigned char header[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    png.write(reinterpret_cast<const char*>(header), sizeof header);
  }
  EXPECT_TRUE(contains(load_error(dir / "picture.h5"), "is not an HDF5 file"));
  EXPECT_TRUE(contains(load_error(dir.path()), "is a directory"));
}

TEST(ModelFile, TruncatedFileIsRejectedClearly) {
  TempDir dir;
  save_model(random_model(Device::VPU_2_7), dir / "m.h5");
  const auto size = std::filesystem::file_size(dir / "m.h5");
  for (auto keep : {size / 2, size - 100, std::uintmax_t{600}}) {
    std::filesystem::copy_file(dir / "m.h5", dir / "cut.h5",
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::resize_file(dir / "cut.h5", keep);
    const std::string err = load_error(dir / "cut.h5");
    EXPECT_TRUE(contains(err, "cut.h5")) << err;
    EXPECT_TRUE(contains(err, "damaged") || contains(err, "truncated")) << err;
  }
}

TEST(ModelFile, ForeignHdf5FileIsNotAModel) {
  TempDir dir;
  {
    auto guard = h5::lock();
    H5::H5File f = h5::create(dir / "foreign.h5");
    H5::Group g = f.createGroup("/experiment");
    h5::write_attribute(g, "owner", std::string("someone else"));
  }
  const std::string err = load_error(dir / "foreign.h5");
  EXPECT_TRUE(contains(err, "not a vpucost model")) << err;
}

TEST(ModelFile, FilesWithoutMetadataChecksumsAreRefusedBeforeLibhdf5ParsesThem) {
  TempDir dir;
  save_model(random_model(Device::VPU_2_7), dir / "m.h5");
  {
    std::ifstream in(dir / "m.h5", std::ios::binary);
    char head[9] = {};
    in.read(head, sizeof head);
    EXPECT_GE(head[8], 2) << "vpucost writes superblock version 2 or later";
  }
  {
    auto guard = h5::lock();  // libhdf5's default, the 1.8 format (as h5py writes)
    H5::H5File f((dir / "old.h5").string(), H5F_ACC_TRUNC);
    H5::Group root = f.openGroup("/");
    h5::write_attribute(root, "format", std::string(kModelFormat));
  }
  EXPECT_EQ(load_error(dir / "old.h5"),
            "model file " + (dir / "old.h5").string() +
                " is in the HDF5 1.8 file format (superblock version 0), whose metadata has no "
                "checksums; vpucost reads only the checksummed HDF5 1.10 format it writes (it is "
                "another program's file or from a vpucost before model format 3)");
  {
    auto guard = h5::lock();
    H5::FileCreatPropList create;
    create.setUserblock(512);
    H5::FileAccPropList access;
    access.setLibverBounds(H5F_LIBVER_V110, H5F_LIBVER_LATEST);
    H5::H5File f((dir / "userblock.h5").string(), H5F_ACC_TRUNC, create, access);
  }
  EXPECT_TRUE(contains(load_error(dir / "userblock.h5"), "user block"))
      << load_error(dir / "userblock.h5");
}

TEST(ModelFile, EveryDamagedByteIsDetectedNotSilentlyLoaded) {
  // Metadata carries the 1.10 format's checksums and every dataset a
  // Fletcher-32 one, so flipped bytes anywhere either fail to load with a
  // message naming the file or (in unused space) change nothing.
  TempDir dir;
  const ModelParts parts = random_model(Device::VPU_2_7);
  save_model(parts, dir / "m.h5");
  const double expected = CostModel(parts).predict_cycles(conv3x3(Device::VPU_2_7, 64));
  std::string bytes;
  {
    std::ifstream in(dir / "m.h5", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  int refused = 0;
  for (std::size_t at = 0; at < bytes.size(); at += bytes.size() / 97) {
    std::string damaged = bytes;
    for (std::size_t i = at; i < at + 4 && i < damaged.size(); ++i)
      damaged[i] = static_cast<char>(~damaged[i]);
    std::ofstream(dir / "flip.h5", std::ios::binary | std::ios::trunc) << damaged;
    try {
      const CostModel loaded = load_model(dir / "flip.h5");
      EXPECT_EQ(loaded.predict_cycles(conv3x3(Device::VPU_2_7, 64)), expected) << at;
    } catch (const Error& e) {
      ++refused;
      EXPECT_TRUE(contains(e.what(), "flip.h5")) << e.what();
    }
  }
  EXPECT_GT(refused, 80);
}

// Damages one group of a saved model in place, to check the loader's diagnosis.
template <class Edit>
void edit_saved_model(const std::filesystem::path& path, const std::string& group, Edit edit) {
  auto guard = h5::lock();
  H5::H5File f(path.string(), H5F_ACC_RDWR);
  H5::Group g = f.openGroup(group);
  edit(g);
}

// Rewrites one attribute of a saved model.
template <class T>
void patch_root_attribute(const std::filesystem::path& path, const std::string& name, T value) {
  edit_saved_model(path, "/", [&](H5::Group& root) {
    root.removeAttr(name);
    h5::write_attribute(root, name, value);
  });
}

// The VPU_2_7 model shipped before the compiler's fields existed (feature
// encoding 2) with its predictions, as vpucost of that time printed them
// (`predict --csv` of data/samples/vpu_2_7_test.csv): it still loads and
// predicts exactly that, and refuses what its encoding cannot describe.
TEST(ModelFile, AnEncoding2ModelPredictsAsItDidBeforeTheNewFields) {
  const CostModel model = load_model(VPUCOST_TEST_DATA "/encoding2/vpu_2_7.h5");
  EXPECT_EQ(model.parts().feature_version, 2);
  EXPECT_EQ(model.parts().mlp.input_size(), 42);
  std::ifstream in(VPUCOST_TEST_DATA "/encoding2/vpu_2_7_test_predictions.csv");
  std::string line;
  std::getline(in, line);  // header
  std::vector<Workload> workloads;
  std::vector<double> expected;
  while (std::getline(in, line)) {
    const std::vector<std::string> c = test::split_csv_line(line);
    ASSERT_EQ(c.size(), 22u) << line;
    workloads.push_back(test::workload_from_v1_cells(c));
    expected.push_back(std::stod(c[21]));
  }
  ASSERT_EQ(workloads.size(), 200u);
  std::vector<double> batch(workloads.size());
  model.predict_cycles(workloads, batch);
  for (std::size_t i = 0; i < workloads.size(); ++i) {
    // predict --csv runs the batched path and prints shortest round-trip
    // decimals: the same double in the build that wrote them
    // (tests/CMakeLists.txt, VPUCOST_GOLDEN_BUILD). The single-query path
    // and other builds round differently.
    if (VPUCOST_GOLDEN_BUILD) {
      EXPECT_EQ(batch[i], expected[i]) << describe(workloads[i]);
    } else {
      EXPECT_NEAR(batch[i] / expected[i], 1.0, 1e-5) << describe(workloads[i]);
    }
    EXPECT_NEAR(model.predict_cycles(workloads[i]) / expected[i], 1.0, 1e-5);
  }
  auto relu = workloads[0];
  relu.activation = ActivationFunction::RELU;
  try {
    model.predict_cycles(relu);
    FAIL();
  } catch (const Error& e) {
    EXPECT_TRUE(contains(e.what(),
                         "feature encoding version 2) cannot cost a workload with "
                         "activation RELU"))
        << e.what();
  }
}

TEST(ModelFile, OtherEncodingVersionOrDeviceIsRejected) {
  TempDir dir;
  save_model(random_model(Device::VPU_2_7), dir / "m.h5");
  patch_root_attribute(dir / "m.h5", "feature_encoding_version", std::int64_t{99});
  const std::string err = load_error(dir / "m.h5");
  EXPECT_TRUE(contains(err, "feature encoding version 99")) << err;

  save_model(random_model(Device::VPU_2_7), dir / "d.h5");
  patch_root_attribute(dir / "d.h5", "device", std::string("VPU_9_9"));
  EXPECT_TRUE(contains(load_error(dir / "d.h5"), "unknown device 'VPU_9_9'"));
}

// libhdf5 1.10 can hang reading a variable-length string whose global heap
// is damaged (found by fuzzing: tests/fuzz/regressions/model_file/), so the
// loader refuses every variable-length string before reading it.
TEST(ModelFile, VariableLengthStringsAreRefusedBeforeReading) {
  TempDir dir;
  save_model(random_model(Device::VPU_2_7), dir / "v.h5");
  edit_saved_model(dir / "v.h5", "/", [](H5::Group& root) {
    root.removeAttr("device");
    h5::write_variable_length_attribute(root, "device", "VPU_2_7");
  });
  const std::string err = load_error(dir / "v.h5");
  EXPECT_TRUE(contains(err, "attribute 'device' in / is a variable-length string")) << err;
}

TEST(ModelFile, DamagedLayerShapesAreNamed) {
  TempDir dir;
  save_model(random_model(Device::VPU_2_7), dir / "m.h5");
  edit_saved_model(dir / "m.h5", "/layers/layer_1", [](H5::Group& g) {
    g.unlink("bias");
    h5::write_vector(g, "bias", Eigen::VectorXf::Zero(3));
  });
  const std::string err = load_error(dir / "m.h5");
  EXPECT_TRUE(contains(err, "layer_1 has inconsistent shapes")) << err;
}

// A damaged file can declare thousands of values, or numbers thousands of
// bytes wide, for which libhdf5 would allocate gigabytes (found by fuzzing:
// tests/fuzz/regressions/model_file/): both are refused before reading.
TEST(ModelFile, OversizedVectorsAndWideNumbersAreRefusedBeforeReading) {
  TempDir dir;
  save_model(random_model(Device::VPU_2_7), dir / "long.h5");
  edit_saved_model(dir / "long.h5", "/features", [](H5::Group& g) {
    g.unlink("mean");
    h5::write_vector(g, "mean", Eigen::VectorXf::Zero(100000));
  });
  std::string err = load_error(dir / "long.h5");
  EXPECT_TRUE(contains(err, "dataset 'mean' in /features holds 100000 values, more than the " +
                                std::to_string(kFeatureCount)))
      << err;

  save_model(random_model(Device::VPU_2_7), dir / "wide.h5");
  edit_saved_model(dir / "wide.h5", "/features", [](H5::Group& g) {
    g.unlink("std");
    const hsize_t n = kFeatureCount;
    g.createDataSet("std", H5::PredType::NATIVE_LDOUBLE, H5::DataSpace(1, &n));
  });
  err = load_error(dir / "wide.h5");
  EXPECT_TRUE(contains(err, "dataset 'std' in /features stores 16-byte numbers")) << err;
}

TEST(ModelFile, FailedSaveKeepsThePreviousFile) {
  TempDir dir;
  save_model(random_model(Device::VPU_2_7), dir / "m.h5");
  const auto before = std::filesystem::file_size(dir / "m.h5");
  ModelParts broken = random_model(Device::VPU_2_0);
  broken.feature_std[0] = -1.0f;
  EXPECT_THROW(save_model(broken, dir / "m.h5"), Error);
  EXPECT_EQ(std::filesystem::file_size(dir / "m.h5"), before);
  EXPECT_EQ(load_model(dir / "m.h5").device(), Device::VPU_2_7);
  EXPECT_THROW(save_model(random_model(Device::VPU_2_7), dir / "missing-dir" / "m.h5"), Error);
  // No temporary files are left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);
}

}  // namespace
}  // namespace vpucost
