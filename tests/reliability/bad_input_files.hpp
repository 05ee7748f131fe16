#pragma once
// A scratch folder holding one example of every bad input of the table
// (docs/bad-inputs.md) next to valid files to combine them with.
#include <H5Cpp.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_cases.hpp"
#include "vpucost/hdf5_io.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost::test {

/// The first `rows` data rows of a bundled sample CSV, with its header.
inline std::string sample_rows(const std::string& file, int rows) {
  std::ifstream in(std::string(VPUCOST_SOURCE_DIR) + "/data/samples/" + file);
  std::string text;
  std::string line;
  for (int i = 0; i <= rows && std::getline(in, line); ++i) text += line + "\n";
  return text;
}

/// Rewrites one root attribute of a model file.
template <class T>
void patch_model_attribute(const std::filesystem::path& path, const std::string& name, T value) {
  auto guard = h5::lock();
  H5::H5File f(path.string(), H5F_ACC_RDWR);
  H5::Group root = f.openGroup("/");
  root.removeAttr(name);
  h5::write_attribute(root, name, value);
}

/// An HDF5 file in libhdf5's default (1.8-compatible, unchecksummed) format,
/// as h5py and older vpucost versions write, carrying a model's format tag.
inline void write_hdf5_1_8_file(const std::filesystem::path& path) {
  auto guard = h5::lock();
  H5::H5File f(path.string(), H5F_ACC_TRUNC);
  H5::Group root = f.openGroup("/");
  h5::write_attribute(root, "format", std::string(kModelFormat));
}

inline void truncate_copy(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::resize_file(to, std::filesystem::file_size(to) / 2);
}

class BadInputFiles {
 public:
  BadInputFiles() {
    const auto& d = dir_.path();
    save_model(random_model(Device::VPU_2_7), d / "model.h5");
    const std::string header = sample_rows("vpu_2_7_train.csv", 0);
    write_text(d / "data.csv", sample_rows("vpu_2_7_train.csv", 40));
    write_text(d / "data_4_0.csv", sample_rows("vpu_4_0_train.csv", 40));
    write_text(d / "header.csv", header);
    // A labelled VPU_2_7 layer whose best strategy names a mode that does not exist.
    write_text(d / "layers_bad_mode.csv",
               "device,operation,input_width,input_height,input_channels,output_width,"
               "output_height,output_channels,kernel_width,kernel_height,stride_width,"
               "stride_height,pad_top,pad_bottom,pad_left,pad_right,input_dtype,cycles_CLUSTERING,"
               "best_strategy,cycles_best,exec_modes\n"
               "VPU_2_7,CONVOLUTION,14,14,64,14,14,64,3,3,1,1,1,1,1,1,UINT8,5000,CLUSTERING,5000,"
               "CUBOID_16x16|CUBOID_99\n");
    const CliResult import = run_in(d, "import --csv data.csv --out data.h5");
    EXPECT_EQ(import.exit_code, 0) << import.err;
    std::filesystem::create_directory(d / "folder");
    for (const char* name : {"empty.h5", "empty.csv", "empty.json"}) write_text(d / name, "");
    write_text(d / "picture.png", png_bytes());
    truncate_copy(d / "model.h5", d / "cut_model.h5");
    truncate_copy(d / "data.h5", d / "cut_data.h5");
    std::filesystem::copy_file(d / "model.h5", d / "locked.h5");
    std::filesystem::copy_file(d / "data.csv", d / "locked.csv");
    ::chmod((d / "locked.h5").c_str(), 0);
    ::chmod((d / "locked.csv").c_str(), 0);

    // A model of feature encoding 2, from before the compiler's fields.
    std::filesystem::copy_file(
        std::string(VPUCOST_SOURCE_DIR) + "/tests/costmodel/data/encoding2/vpu_2_7.h5",
        d / "model_encoding2.h5");
    {
      // Compiler fields VPUNN refuses: SOK on one tile, sparsity on a pool.
      std::string v2 = sample_rows("v2/vpu_2_7_train.csv", 1);
      v2 +=
          "VPU_2_7,CONVOLUTION,56,56,64,56,56,64,3,3,1,1,1,1,1,1,UINT8,UINT8,CUBOID_16x16,"
          "NONE,0,0,1,SPLIT_OVER_K,30746\n";
      v2 +=
          "VPU_2_7,MAXPOOL,56,56,64,56,56,64,3,3,1,1,1,1,1,1,UINT8,UINT8,CUBOID_16x16,"
          "NONE,0.5,0,1,CLUSTERING,30746\n";
      write_text(d / "bad_fields.csv", v2);
    }
    // Networks node by node (issue #16): VPU_4_0's mobilenet_v3_large (SHAVE
    // nodes), and a node of an unknown kind.
    const std::string nodes = sample_rows("v2/networks/vpu_4_0_mobilenet_v3_large.csv", 40);
    write_text(d / "nodes_4_0.csv", nodes);
    write_text(d / "bad_nodes.csv",
               nodes.substr(0, nodes.find('\n') + 1) +
                   "resnet18,VPU_4_0,UINT8,1,x,GPU,CONVOLUTION,,1,1,16,16,1,1,16,16,1,1,1,1,0,0,"
                   "0,0,,,,,,,,,,\n");
    // A SHAVE model (issue #15), fitted on 300 rows of the bundled sample.
    write_text(d / "shave.csv", sample_rows("v2/shave/vpu_2_7_train.csv", 300));
    const CliResult shave = run_in(d, "train --data shave.csv --out shave.h5");
    EXPECT_EQ(shave.exit_code, 0) << shave.err;
    // DMA models (issue #15): both directions, and DDR_TO_CMX only.
    const std::string dma = sample_rows("v2/dma/vpu_2_7_train.csv", 300);
    write_text(d / "dma.csv", dma);
    std::string dma_in;
    std::string dma_one_size = "device,direction,width,height,channels,dtype,bytes,cycles\n";
    {
      std::istringstream lines(dma);
      for (std::string l; std::getline(lines, l);) {
        if (dma_in.empty() || l.find(",DDR_TO_CMX,") != std::string::npos) dma_in += l + "\n";
      }
      for (int i = 0; i < 3; ++i) dma_one_size += "VPU_2_7,DDR_TO_CMX,8,8,64,UINT8,4096,700\n";
    }
    write_text(d / "dma_in.csv", dma_in);
    write_text(d / "dma_one_size.csv", dma_one_size);
    for (const char* name : {"shave", "dma"}) {
      const CliResult r =
          run_in(d, std::string("import --csv ") + name + ".csv --out " + name + "_data.h5");
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    for (const char* name : {"dma", "dma_in"}) {
      const CliResult r =
          run_in(d, std::string("train --data ") + name + ".csv --out " + name + ".h5");
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    std::filesystem::copy_file(d / "model.h5", d / "model_v99.h5");
    patch_model_attribute(d / "model_v99.h5", "feature_encoding_version", std::int64_t{99});
    std::filesystem::copy_file(d / "model.h5", d / "model_format4.h5");
    patch_model_attribute(d / "model_format4.h5", "format_version", std::int64_t{4});
    write_hdf5_1_8_file(d / "model_hdf5_1_8.h5");
    write_nan_model(d / "nan_model.h5");

    // One valid row, then cycles nan, inf, negative and beyond double.
    std::string rows = sample_rows("vpu_2_7_train.csv", 1);
    const std::string row = rows.substr(header.size());
    const std::string prefix = row.substr(0, row.rfind(',', row.rfind(',') - 1) + 1);
    for (const char* cycles : {"nan", "inf", "-5", "1e400"}) rows += prefix + cycles + ",\n";
    write_text(d / "bad_numbers.csv", rows);

    std::filesystem::copy_file(std::string(VPUCOST_SOURCE_DIR) + "/nets/mobilenetv2.json",
                               d / "mobilenetv2.json");
    // ONNX models (tests/network/data/onnx/make_samples.py).
    for (const char* f :
         {"tiny_net.onnx", "truncated.onnx", "dynamic_input.onnx", "unknown_op.onnx", "cycle.onnx",
          "grouped_conv.onnx", "conv_weight_2d.onnx"}) {
      std::filesystem::copy_file(std::string(VPUCOST_SOURCE_DIR) + "/tests/network/data/onnx/" + f,
                                 d / f);
    }
    write_text(d / "huge_number.json",
               R"({"name": "x", "first_conv": {"kernel_size": 1e999, "out_channels": 32}})");
    write_text(d / "negative_space.json",
               R"({"name": "s", "first_block": {"out_channels": -16, "kernel_sizes": [3],)"
               R"( "expand_ratios": [1]}, "stages": [{"width": 24, "blocks": 1, "stride": 2,)"
               R"( "kernel_sizes": [3], "expand_ratios": [3]}], "feature_mix_channels": 256,)"
               R"( "num_classes": 10})");
    write_text(d / "huge_alpha.json", "[[0.1, 1e400, 0.3]]");
    // MobileNetV3 configs: an activation vpucost does not map, SE outside MobileNetV3.
    const std::string mbv3_block =
        R"({"name": "ResidualBlock", "conv": {"name": "MBConvLayer", "in_channels": 16,)"
        R"( "out_channels": 24, "kernel_size": 3, "stride": 2, "expand_ratio": 4,)"
        R"( "mid_channels": 64, "use_se": true, "act_func": "ACT"}, "shortcut": null})";
    const auto mbv3_config = [&](const std::string& act, bool head) {
      std::string block = mbv3_block;
      block.replace(block.find("ACT"), 3, act);
      return R"({"name": "MobileNetV3", "first_conv": {"name": "ConvLayer", "in_channels": 3,)"
             R"( "out_channels": 16, "kernel_size": 3, "stride": 2, "act_func": "h_swish"},)"
             R"( "blocks": [)" +
             block + "]," +
             (head ? R"( "final_expand_layer": {"name": "ConvLayer", "in_channels": 24,)"
                     R"( "out_channels": 96, "kernel_size": 1, "stride": 1},)"
                   : "") +
             R"( "feature_mix_layer": {"name": "ConvLayer", "in_channels": )" +
             (head ? "96" : "24") +
             R"(, "out_channels": 128, "kernel_size": 1, "stride": 1},)"
             R"( "classifier": {"name": "LinearLayer", "in_features": 128, "out_features": 10}})";
    };
    write_text(d / "mbv3_gelu.json", mbv3_config("gelu", true));
    write_text(d / "se_without_head.json", mbv3_config("relu", false));
    // Super-resolution configs (sr_network.hpp).
    const auto sr_config = [](const std::string& fields) {
      return R"({"input_size": [90, 160], "n_feats": 16, "blocks": [)"
             R"({"kernel_size": 3, "act_func": "relu"}], )" +
             fields + "}";
    };
    write_text(d / "sr_bicubic.json", sr_config(R"("upsampler": "bicubic")"));
    write_text(d / "sr_valid.json", sr_config(R"("upsampler": "nearest")"));
    write_text(d / "sr_scale3.json", sr_config(R"("scale": 3, "upsampler": "nearest")"));
    write_text(d / "sr_no_height.json",
               R"({"input_size": [160], "n_feats": 16, "blocks": [], "upsampler": "nearest"})");
  }

  const std::filesystem::path& dir() const { return dir_.path(); }

  /// The folder's current file names.
  std::vector<std::string> names() const { return files_except(dir(), {}); }

 private:
  // A model whose first layer's weights hold NaN (save_model refuses to
  // write one, so the file is patched).
  static void write_nan_model(const std::filesystem::path& path) {
    save_model(random_model(Device::VPU_2_7), path);
    auto guard = h5::lock();
    H5::H5File f(path.string(), H5F_ACC_RDWR);
    H5::DataSet weights = f.openDataSet("/layers/layer_0/weights");
    const auto count = static_cast<std::size_t>(weights.getSpace().getSimpleExtentNpoints());
    std::vector<float> values(count, std::numeric_limits<float>::quiet_NaN());
    weights.write(values.data(), H5::PredType::NATIVE_FLOAT);
  }

  TempDir dir_;
};

}  // namespace vpucost::test
