// `vpucost train / predict / eval / info` with DMA recordings (issue #15),
// end to end on the bundled v2 samples; the roofline model; refusals across kinds.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/device.hpp"
#include "vpucost/dma_model_file.hpp"

namespace vpucost {
namespace {

using test::run_cli;

const std::string kDma = std::string(VPUCOST_SOURCE_DIR) + "/data/samples/v2/dma/";

TEST(CliDma, TrainPredictEvalInfoOnTheBundledSample) {
  test::TempDir dir;
  const std::string model = (dir / "dma.h5").string();
  const auto train =
      run_cli({"train", "--data", kDma + "vpu_4_0_train.csv", "--out", model, "--json"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  const auto summary = nlohmann::json::parse(train.out);
  EXPECT_EQ(summary["kind"], "dma");
  EXPECT_EQ(summary["device"], "VPU_4_0");
  EXPECT_EQ(summary["method"], "fitted");
  EXPECT_EQ(summary["train_rows"], 2000);
  EXPECT_LT(summary["metrics"]["train_mape"].get<double>(), 0.01);

  // predict by tensor and by bytes: the CLI's cycles are the library's.
  const auto p = run_cli({"predict", "--kind", "dma", "--direction", "DDR_TO_CMX", "--tensor",
                          "56x56x64", "--dtype", "UINT8", "--model", model, "--json"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const auto j = nlohmann::json::parse(p.out);
  const double expected = load_dma_model(model).predict_cycles(
      {Device::VPU_4_0, DmaDirection::DDR_TO_CMX, {56, 56, 64, DType::UINT8}});
  EXPECT_DOUBLE_EQ(j["cycles"].get<double>(), expected);
  EXPECT_DOUBLE_EQ(j["microseconds"].get<double>(), expected / 1700.0);
  EXPECT_EQ(j["bytes"], 200704);
  const auto flat = run_cli({"predict", "--model", model, "--direction", "DDR_TO_CMX", "--bytes",
                             "200704", "--json"});  // the kind from the model file
  ASSERT_EQ(flat.exit_code, 0) << flat.err;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(flat.out)["cycles"].get<double>(), expected);
  const auto text = run_cli({"predict", "--model", model, "--direction", "CMX_TO_DDR", "--tensor",
                             "28x28x32", "--dtype", "FLOAT16"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("VPU_4_0 DMA CMX_TO_DDR 28x28x32 FLOAT16 (50176 bytes)"),
            std::string::npos)
      << text.out;

  // eval on held-out rows, per direction and size band.
  const auto e = run_cli({"eval", "--model", model, "--data", kDma + "vpu_4_0_test.csv", "--json"});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const auto ev = nlohmann::json::parse(e.out);
  EXPECT_EQ(ev["n"], 500);
  EXPECT_LT(ev["mape"].get<double>(), 0.01);
  EXPECT_EQ(
      ev["per_group"]["DDR_TO_CMX"]["n"].get<int>() + ev["per_group"]["CMX_TO_DDR"]["n"].get<int>(),
      500);
  EXPECT_TRUE(ev["per_group"].contains("bytes 64 KiB-2 MiB"));

  const auto info = run_cli({"info", model});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("kind:             DMA transfers"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("DDR_TO_CMX"), std::string::npos);
  const auto info_json = run_cli({"info", model, "--json"});
  ASSERT_EQ(info_json.exit_code, 0) << info_json.err;
  EXPECT_EQ(nlohmann::json::parse(info_json.out)["curves"]["CMX_TO_DDR"]["knot_bytes"].size(),
            load_dma_model(model).parts().curves[1].knot_bytes.size());
}

TEST(CliDma, RooflineModelFileAndOption) {
  test::TempDir dir;
  const std::string model = (dir / "dma_vpu_2_0.h5").string();
  const auto made = run_cli({"train", "--roofline", "VPU_2_0", "--out", model, "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(nlohmann::json::parse(made.out)["method"], "roofline");
  const DmaModel m = load_dma_model(model);
  EXPECT_EQ(m.device(), Device::VPU_2_0);
  EXPECT_EQ(m.parts().method, DmaMethod::roofline);
  // 20,000 MB/s at 700 MHz: 0.035 cycles per byte.
  const auto p = run_cli({"predict", "--model", model, "--direction", "DDR_TO_CMX", "--tensor",
                          "10x10x480", "--dtype", "FLOAT16", "--json"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_NEAR(nlohmann::json::parse(p.out)["cycles"].get<double>(), 96000 * 0.035, 1e-6);
  // The same curve without a file.
  const auto r = run_cli({"predict", "--kind", "dma", "--model", "roofline", "--device", "VPU_2_0",
                          "--direction", "DDR_TO_CMX", "--bytes", "96000", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NEAR(nlohmann::json::parse(r.out)["cycles"].get<double>(), 96000 * 0.035, 1e-6);
  // eval --model roofline on a DMA CSV: the roofline of the data's device.
  const auto e =
      run_cli({"eval", "--model", "roofline", "--data", kDma + "vpu_2_7_test.csv", "--json"});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_GT(nlohmann::json::parse(e.out)["mape"].get<double>(), 0.05)
      << "the roofline has no latency term";
}

// The whole pipeline through HDF5 datasets, for both kinds: import with
// rejects, stats, train from the dataset, eval on an imported test set.
TEST(CliKinds, ImportStatsTrainEvalThroughADataset) {
  test::TempDir dir;
  const std::string samples = std::string(VPUCOST_SOURCE_DIR) + "/data/samples/v2/";
  for (const std::string kind : {"shave", "dma"}) {
    const std::string train_csv = (dir / (kind + "_train.csv")).string();
    {
      // The sample plus one row that names an unknown device: rejected with its line.
      std::ifstream in(samples + kind + "/vpu_4_0_train.csv");
      std::ofstream out(train_csv);
      out << in.rdbuf();
      out << (kind == "shave" ? "VPU_9_9,sigmoid,8,8,16,FLOAT16,8,8,16,FLOAT16,,ZXY,x,100\n"
                              : "VPU_9_9,DDR_TO_CMX,8,8,16,UINT8,1024,500\n");
    }
    const std::string train_h5 = (dir / (kind + "_train.h5")).string();
    const std::string rejects = (dir / (kind + "_rejects.csv")).string();
    const auto imported =
        run_cli({"import", "--csv", train_csv, "--out", train_h5, "--rejects", rejects, "--json"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    const auto ij = nlohmann::json::parse(imported.out);
    EXPECT_EQ(ij["kind"], kind);
    EXPECT_EQ(ij["rows_read"], 2001);
    EXPECT_EQ(ij["rows_written"], 2000);
    EXPECT_EQ(ij["first_rejects"][0]["line"], 2002);
    std::ifstream rejects_in(rejects);
    const std::string rejects_text((std::istreambuf_iterator<char>(rejects_in)),
                                   std::istreambuf_iterator<char>());
    EXPECT_NE(rejects_text.find("VPU_9_9"), std::string::npos);

    const auto stats = run_cli({"stats", train_h5, "--json"});
    ASSERT_EQ(stats.exit_code, 0) << stats.err;
    const auto sj = nlohmann::json::parse(stats.out);
    EXPECT_EQ(sj["rows"], 2000);
    EXPECT_EQ(sj["devices"]["VPU_4_0"], 2000);
    EXPECT_TRUE(sj.contains(kind == "shave" ? "operation" : "direction"));

    const std::string model = (dir / (kind + ".h5")).string();
    const auto trained = run_cli({"train", "--data", train_h5, "--out", model, "--json"});
    ASSERT_EQ(trained.exit_code, 0) << trained.err;
    EXPECT_EQ(nlohmann::json::parse(trained.out)["kind"], kind);
    const std::string test_h5 = (dir / (kind + "_test.h5")).string();
    ASSERT_EQ(run_cli({"import", "--csv", samples + kind + "/vpu_4_0_test.csv", "--out", test_h5})
                  .exit_code,
              0);
    const auto from_h5 = run_cli({"eval", "--model", model, "--data", test_h5, "--json"});
    const auto from_csv = run_cli(
        {"eval", "--model", model, "--data", samples + kind + "/vpu_4_0_test.csv", "--json"});
    ASSERT_EQ(from_h5.exit_code, 0) << from_h5.err;
    ASSERT_EQ(from_csv.exit_code, 0) << from_csv.err;
    EXPECT_EQ(nlohmann::json::parse(from_h5.out)["mape"],
              nlohmann::json::parse(from_csv.out)["mape"])
        << "the dataset holds exactly the CSV's rows";
    EXPECT_LT(nlohmann::json::parse(from_h5.out)["mape"].get<double>(), 0.03) << kind;

    if (std::system("command -v gnuplot > /dev/null") != 0) continue;  // the plot needs gnuplot
    const std::string png = (dir / (kind + ".png")).string();
    const auto plotted = run_cli({"eval", "--model", model, "--data", test_h5, "--plot", png});
    ASSERT_EQ(plotted.exit_code, 0) << plotted.err;
    std::ifstream picture(png, std::ios::binary);
    char magic[4] = {};
    picture.read(magic, 4);
    EXPECT_EQ(std::string(magic + 1, 3), "PNG") << kind;
  }
}

TEST(CliDma, KindsAreNotMixed) {
  test::TempDir dir;
  const std::string model = (dir / "dma.h5").string();
  ASSERT_EQ(run_cli({"train", "--data", kDma + "vpu_2_7_train.csv", "--out", model}).exit_code, 0);
  const auto line = [](const test::CliResult& r) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(test::line_count(r.err), 1) << r.err;
    return r.err;
  };
  EXPECT_NE(line(run_cli({"predict", "--model", model, "--direction", "DDR_TO_CMX", "--tensor",
                          "8x8x16", "--op", "CONVOLUTION"}))
                .find("--op does not describe a DMA transfer"),
            std::string::npos);
  EXPECT_NE(line(run_cli({"predict", "--model", model, "--direction", "DDR_TO_CMX", "--tensor",
                          "8x8x16", "--bytes", "1024"}))
                .find("either --bytes or --tensor"),
            std::string::npos);
  EXPECT_NE(line(run_cli({"predict", "--model", model, "--tensor", "8x8x16"}))
                .find("--direction is required"),
            std::string::npos);
  EXPECT_NE(line(run_cli({"predict", "--model", model, "--device", "VPU_4_0", "--direction",
                          "DDR_TO_CMX", "--bytes", "1024"}))
                .find("the DMA model is for VPU_2_7, not VPU_4_0"),
            std::string::npos);
  EXPECT_NE(
      line(run_cli({"predict", "--model", model, "--direction", "DDR_TO_CMX", "--bytes", "0"}))
          .find("channels 0 is outside"),
      std::string::npos);
  EXPECT_NE(line(run_cli({"predict", "--kind", "dpu", "--op", "CONVOLUTION", "--device", "VPU_2_7",
                          "--input", "8x8x16", "--output", "8x8x16", "--bytes", "10"}))
                .find("--bytes describes a DMA transfer"),
            std::string::npos);
  EXPECT_NE(line(run_cli({"train", "--data", kDma + "vpu_2_7_train.csv", "--out",
                          (dir / "x.h5").string(), "--hidden", "8"}))
                .find("--hidden does not apply to DMA models"),
            std::string::npos);
  EXPECT_NE(line(run_cli({"train", "--roofline", "VPU_2_0", "--kind", "shave", "--out",
                          (dir / "x.h5").string()}))
                .find("--roofline writes a DMA model"),
            std::string::npos);
  const auto no_data = run_cli({"train", "--out", (dir / "x.h5").string()});
  EXPECT_EQ(no_data.exit_code, 2) << "a command-line error";
  EXPECT_NE(no_data.err.find("'--data' is required"), std::string::npos) << no_data.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5"));
  const std::string shave_csv =
      std::string(VPUCOST_SOURCE_DIR) + "/data/samples/v2/shave/vpu_2_7_test.csv";
  EXPECT_NE(
      line(run_cli({"eval", "--model", model, "--data", shave_csv})).find("not DMA transfers"),
      std::string::npos);
}

}  // namespace
}  // namespace vpucost
