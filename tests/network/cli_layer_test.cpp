// `vpucost layer` (issue #16, item 4): one layer from options -- the strategy
// table, the best, the DMA terms, --strategy and --json -- or every row of a
// layers CSV (--csv, --out, --rejects, --strict), and one-line refusals.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support/run_cli.hpp"
#include "vpucost/dataset.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/layer_recordings.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/layer_training_rows.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

using test::run_cli;

const std::string kModels = std::string(VPUCOST_SOURCE_DIR) + "/models/";

TEST(CliLayer, BestStrategyAndDmaTermsAreTheLibrarys) {
  const auto r =
      run_cli({"layer", "--model", kModels + "vpu_4_0.h5", "--dma-model",
               kModels + "dma_vpu_4_0.h5", "--op", "CONVOLUTION", "--input", "56x56x90",
               "--output-channels", "90", "--kernel", "3x3", "--pad", "1,1,1,1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  // The same layer through the library: channels padded to 96.
  Workload layer;
  layer.device = Device::VPU_4_0;
  layer.operation = Operation::CONVOLUTION;
  layer.input = {56, 56, 96, DType::UINT8};
  layer.output = {56, 56, 96, DType::UINT8};
  layer.kernel_w = layer.kernel_h = 3;
  layer.padding = {1, 1, 1, 1};
  layer.mode = ExecutionMode::CUBOID_16x16;
  const CostModel model = load_model(kModels + "vpu_4_0.h5");
  const LayerStrategies all = cost_strategies(model, layer);
  const StrategyCost& best = all.best();
  EXPECT_EQ(j["strategy"], std::string(to_string(best.strategy)));
  EXPECT_DOUBLE_EQ(j["cycles"].get<double>(), best.cycles);
  EXPECT_EQ(j["strategies"].size(), all.valid.size());
  for (const auto& s : j["strategies"]) EXPECT_GE(s["cycles"].get<double>(), best.cycles);
  const LayerDmaTerms dma = dma_terms(load_dma_model(kModels + "dma_vpu_4_0.h5"), layer, best);
  EXPECT_DOUBLE_EQ(j["dma"]["weights"].get<double>(), dma.weights);
  EXPECT_DOUBLE_EQ(j["dma"]["input"].get<double>(), dma.input);
  EXPECT_DOUBLE_EQ(j["dma"]["output"].get<double>(), dma.output);
  EXPECT_DOUBLE_EQ(j["cycles_in_ddr"].get<double>(),
                   best.cycles + dma.weights + dma.input + dma.output);
  EXPECT_DOUBLE_EQ(j["microseconds"].get<double>(), best.cycles / 1700.0);

  // --mode ddr: the best strategy is the one cheapest with its DMA.
  const auto ddr = run_cli({"layer", "--model", kModels + "vpu_4_0.h5", "--dma-model",
                            kModels + "dma_vpu_4_0.h5", "--op", "CONVOLUTION", "--input",
                            "56x56x90", "--output-channels", "90", "--kernel", "3x3", "--pad",
                            "1,1,1,1", "--mode", "ddr", "--json"});
  ASSERT_EQ(ddr.exit_code, 0) << ddr.err;
  const auto dj = nlohmann::json::parse(ddr.out);
  EXPECT_EQ(dj["mode"], "ddr");
  const DmaModel dma_model = load_dma_model(kModels + "dma_vpu_4_0.h5");
  for (const StrategyCost& c : all.valid) {
    const LayerDmaTerms t = dma_terms(dma_model, layer, c);
    EXPECT_LE(dj["cycles_in_ddr"].get<double>(), c.cycles + t.weights + t.input + t.output + 1e-6);
  }

  // --strategy picks one; the text table marks it.
  const auto sok = run_cli({"layer", "--model", kModels + "vpu_4_0.h5", "--op", "CONVOLUTION",
                            "--input", "56x56x96", "--output-channels", "96", "--kernel", "3x3",
                            "--pad", "1,1,1,1", "--strategy", "SOK"});
  ASSERT_EQ(sok.exit_code, 0) << sok.err;
  EXPECT_NE(sok.out.find("<- chosen"), std::string::npos) << sok.out;
  EXPECT_NE(sok.out.find("roofline DMA"), std::string::npos) << "the default DMA is named";
}

TEST(CliLayer, RefusalsAreOneLine) {
  const auto one_line = [](const test::CliResult& r) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(test::line_count(r.err), 1) << r.err;
    return r.err;
  };
  EXPECT_NE(
      one_line(run_cli({"layer", "--model", kModels + "vpu_2_7.h5", "--op", "CONVOLUTION",
                        "--input", "7x7x960", "--output-channels", "16", "--strategy", "SOK"}))
          .find("strategy SOK is not valid for this layer: 16 output channels: a split over "
                "output channels needs at least 32"),
      std::string::npos);
  EXPECT_NE(one_line(run_cli({"layer", "--model", kModels + "vpu_2_0.h5", "--op", "CONVOLUTION",
                              "--input", "8x8x16", "--output-channels", "16", "--strategy", "SOW"}))
                .find("strategy SOW is not valid for this layer: the device does not offer it"),
            std::string::npos);
  EXPECT_NE(one_line(run_cli({"layer", "--model", kModels + "vpu_2_7.h5", "--dma-model",
                              kModels + "dma_vpu_4_0.h5", "--op", "MAXPOOL", "--input", "8x8x16"}))
                .find("is for VPU_4_0, not VPU_2_7"),
            std::string::npos);
  EXPECT_NE(one_line(run_cli({"layer", "--model", kModels + "vpu_2_7.h5", "--op", "CONVOLUTION",
                              "--input", "8x8x16"}))
                .find("--output-channels is required for CONVOLUTION"),
            std::string::npos);
  // A layer whose every strategy needs more than a tile's memory.
  EXPECT_NE(one_line(run_cli({"layer", "--model", kModels + "vpu_2_0.h5", "--op", "CONVOLUTION",
                              "--input", "256x256x512", "--output-channels", "512", "--dtype",
                              "FLOAT16"}))
                .find("no tiling strategy is valid for this layer"),
            std::string::npos);
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CliLayerCsv, EveryRowCostedAsTheLibraryDoesAndComparedWithTheLabels) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "vpucost_layer_csv";
  std::filesystem::create_directories(dir);
  const std::string csv =
      std::string(VPUCOST_SOURCE_DIR) + "/data/samples/v2/layers/vpu_4_0_test.csv";
  const auto out = dir / "layers_out.csv";
  std::filesystem::remove(out);
  const auto r = run_cli({"layer", "--model", kModels + "vpu_4_0.h5", "--dma-model",
                          kModels + "dma_vpu_4_0.h5", "--csv", csv, "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("costed 300 of 300 layers"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("best-strategy cycles"), std::string::npos) << "labels compared";
  EXPECT_NE(r.out.find("same best strategy"), std::string::npos);
  // The output is the input plus our columns, row for row.
  const std::string text = read_text(out);
  std::istringstream lines(text);
  std::string header;
  std::getline(lines, header);
  EXPECT_NE(header.find(",vpucost_strategy,vpucost_cycles,vpucost_cycles_CLUSTERING"),
            std::string::npos);
  const LayerRecordings rec = read_layer_csv(csv);
  const CostModel model = load_model(kModels + "vpu_4_0.h5");
  const DmaModel dma = load_dma_model(kModels + "dma_vpu_4_0.h5");
  std::size_t rows = 0;
  for (std::string line; std::getline(lines, line); ++rows) {
    ASSERT_LT(rows, rec.items.size());
    const LayerRecord& in = rec.items[rows];
    ASSERT_EQ(line.rfind(in.text + ",", 0), 0u) << "row " << rows << " keeps its text";
    if (rows % 50 != 0) continue;  // the library's numbers on a few rows
    const LayerStrategies all = cost_strategies(model, in.layer);
    const StrategyCost& best = all.best();
    const LayerDmaTerms t = dma_terms(dma, in.layer, best);
    std::vector<std::string> f;
    std::stringstream ss(line.substr(in.text.size() + 1));
    for (std::string c; std::getline(ss, c, ',');) f.push_back(c);
    ASSERT_GE(f.size(), 11u);
    EXPECT_EQ(f[0], std::string(to_string(best.strategy)));
    EXPECT_NEAR(std::stod(f[1]), best.cycles, 1e-6 * best.cycles);
    EXPECT_EQ(std::stoul(f[7]), best.workloads());
    EXPECT_NEAR(std::stod(f[8]), t.weights, 1e-6 * t.weights + 1e-9);
  }
  EXPECT_EQ(rows, 300u);
}

TEST(CliLayerCsv, RowsNoStrategyFitsAndInvalidRowsAreNamed) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "vpucost_layer_csv";
  std::filesystem::create_directories(dir);
  const std::string rejected =
      std::string(VPUCOST_SOURCE_DIR) + "/data/samples/v2/layers/vpu_2_7_rejected.csv";
  const auto r = run_cli({"layer", "--model", kModels + "vpu_2_7.h5", "--csv", rejected});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("costed 0 of 40 layers"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"no tiling strategy is valid: CLUSTERING: a tile's part needs"),
            std::string::npos);
  // A bad row is left out and named; --strict writes nothing.
  const auto bad = dir / "bad_layers.csv";
  {
    std::ofstream f(bad);
    f << "device,operation,input_width,input_height,input_channels,output_width,output_height,"
         "output_channels,kernel_width,kernel_height,stride_width,stride_height,pad_top,"
         "pad_bottom,pad_left,pad_right,input_dtype\n"
         "VPU_2_7,CONVOLUTION,14,14,32,14,14,32,3,3,1,1,1,1,1,1,UINT8\n"
         "VPU_2_7,CONVOLUTION,14,14,32,14,14,32,3,3,1,1,1,1,1,1,UINT9\n"
         "VPU_4_0,CONVOLUTION,14,14,32,14,14,32,3,3,1,1,1,1,1,1,UINT8\n";
  }
  const auto out = dir / "bad_out.csv";
  std::filesystem::remove(out);
  const auto some = run_cli({"layer", "--model", kModels + "vpu_2_7.h5", "--csv", bad.string(),
                             "--out", out.string(), "--rejects", (dir / "rej.csv").string()});
  ASSERT_EQ(some.exit_code, 0) << some.err;
  EXPECT_NE(some.err.find("rejected line 3: column input_dtype: 'UINT9'"), std::string::npos)
      << some.err;
  EXPECT_NE(some.err.find("rejected line 4: device VPU_4_0, but the model is for VPU_2_7"),
            std::string::npos)
      << some.err;
  EXPECT_NE(some.out.find("costed 1 of 3 layers"), std::string::npos) << some.out;
  EXPECT_NE(read_text(dir / "rej.csv").find("UINT9"), std::string::npos);
  std::filesystem::remove(out);
  const auto strict = run_cli({"layer", "--model", kModels + "vpu_2_7.h5", "--csv", bad.string(),
                               "--out", out.string(), "--strict"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(test::line_count(strict.err), 1) << strict.err;
  EXPECT_NE(strict.err.find("2 of 3 rows"), std::string::npos) << strict.err;
  EXPECT_FALSE(std::filesystem::exists(out)) << "nothing written";
  // Options of one layer do not mix with --csv; batch options need it.
  const auto mixed = run_cli(
      {"layer", "--model", kModels + "vpu_2_7.h5", "--csv", bad.string(), "--op", "CONVOLUTION"});
  EXPECT_EQ(mixed.exit_code, 1);
  EXPECT_NE(mixed.err.find("--op describes one layer; with --csv the rows do"), std::string::npos)
      << mixed.err;
  const auto lone = run_cli({"layer", "--model", kModels + "vpu_2_7.h5", "--op", "MAXPOOL",
                             "--input", "8x8x16", "--out", out.string()});
  EXPECT_EQ(lone.exit_code, 1);
  EXPECT_NE(lone.err.find("--out needs --csv"), std::string::npos) << lone.err;
}

// --emit-training-rows: the rows are the library's layer_training_rows of
// every labelled layer, a recording CSV that `vpucost train` reads; a model
// trained on them records its one-sided rows and is asked for such pieces.
TEST(CliLayerCsv, LabelsBecomeDpuTrainingRows) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "vpucost_layer_rows";
  std::filesystem::create_directories(dir);
  const std::string csv =
      std::string(VPUCOST_SOURCE_DIR) + "/data/samples/v2/layers/vpu_4_0_train.csv";
  const auto rows_csv = dir / "rows.csv";
  std::filesystem::remove(rows_csv);
  const auto r = run_cli({"layer", "--model", kModels + "vpu_4_0.h5", "--csv", csv, "--out",
                          (dir / "out.csv").string(), "--emit-training-rows", rows_csv.string(),
                          "--training-margin", "0.02"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const CostModel model = load_model(kModels + "vpu_4_0.h5");
  std::vector<LayerTrainingRow> expected;
  for (const LayerRecord& rec : read_layer_csv(csv).items) {
    LayerLabels labels;
    labels.cycles = rec.cycles;
    labels.best = rec.best_strategy;
    labels.best_modes = rec.exec_modes;
    labels.best_workloads = rec.n_workloads;
    for (auto& row : layer_training_rows(cost_strategies(model, rec.layer), labels, 0.02)) {
      expected.push_back(std::move(row));
    }
  }
  ASSERT_GT(expected.size(), 100u) << "most of 300 layers give rows";
  EXPECT_NE(r.out.find("wrote " + std::to_string(expected.size()) + " DPU training rows"),
            std::string::npos)
      << r.out;
  const Dataset rows = load_dataset(rows_csv);
  ASSERT_EQ(rows.size(), expected.size());
  std::size_t one_sided = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows.workloads[i], expected[i].workload) << "row " << i;
    EXPECT_NEAR(rows.cycles[i], expected[i].cycles, 1e-9 * expected[i].cycles);
    one_sided += one_sided_padding(rows.workloads[i]);
  }
  ASSERT_GT(one_sided, 0u) << "halo pieces of SOHO / SOW are among them";
  EXPECT_TRUE(model.learnt_one_sided_padding()) << "the shipped model was tuned on such rows";

  const auto tuned = dir / "tuned.h5";
  const auto t =
      run_cli({"train", "--data", rows_csv.string(), "--init-from", kModels + "vpu_4_0.h5",
               "--epochs", "1", "--val-fraction", "0", "--out", tuned.string(), "--quiet"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const CostModel learnt = load_model(tuned);
  EXPECT_EQ(learnt.parts().training.notes.at("one_sided_rows"), std::to_string(one_sided));
  EXPECT_TRUE(learnt.learnt_one_sided_padding());
  // DPU recordings hold none: a model tuned on them only is asked for the
  // neighbours of a halo piece.
  const auto dpu_only = dir / "dpu_only.h5";
  const auto d = run_cli({"train", "--data",
                          std::string(VPUCOST_SOURCE_DIR) + "/data/samples/vpu_4_0_train.csv",
                          "--init-from", kModels + "vpu_4_0.h5", "--epochs", "1", "--val-fraction",
                          "0", "--out", dpu_only.string(), "--quiet"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_FALSE(load_model(dpu_only).learnt_one_sided_padding());

  // Without labels there is nothing to learn from.
  const auto unlabelled = dir / "unlabelled.csv";
  {
    std::ofstream f(unlabelled);
    f << "device,operation,input_width,input_height,input_channels,output_width,output_height,"
         "output_channels,kernel_width,kernel_height,stride_width,stride_height,pad_top,"
         "pad_bottom,pad_left,pad_right,input_dtype\n"
         "VPU_4_0,CONVOLUTION,14,14,64,14,14,64,3,3,1,1,1,1,1,1,UINT8\n";
  }
  const auto none =
      run_cli({"layer", "--model", kModels + "vpu_4_0.h5", "--csv", unlabelled.string(), "--out",
               (dir / "o2.csv").string(), "--emit-training-rows", (dir / "r2.csv").string()});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("--emit-training-rows needs the teacher's labels"), std::string::npos)
      << none.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "r2.csv"));
}

}  // namespace
}  // namespace vpucost
