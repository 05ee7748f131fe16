// What to profile for a network given node by node (`net --nodes`), from
// ONNX (`net --onnx`) and for a CSV of layers (`layer --csv`): the --emit-*
// files those paths write, as `net --config` and `lut` write them
// (cli_emit_workloads_test.cpp). Each file is read back by its reader, and
// the workloads the network runs are among those its costing asked.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/kind_recordings.hpp"
#include "vpucost/network_recordings.hpp"

namespace vpucost {
namespace {

using test::run_cli;

const std::string kRepo = VPUCOST_SOURCE_DIR;

// The data rows of a CSV file, header left out.
std::set<std::string> csv_data_rows(const std::filesystem::path& p, std::size_t* count = nullptr) {
  std::istringstream in(test::slurp(p));
  std::string line;
  std::getline(in, line);
  std::set<std::string> rows;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    rows.insert(line);
    ++n;
  }
  if (count) *count = n;
  return rows;
}

TEST(CliEmitNodes, NetNodesWritesWorkloadsQueriesDmaAndShave) {
  test::TempDir dir;
  const std::string model = kRepo + "/models/vpu_4_0.h5";
  const std::string nodes = kRepo + "/data/samples/v2/networks/vpu_4_0_mobilenet_v3_large.csv";
  const auto net = run_cli({"net",
                            "--model",
                            model,
                            "--nodes",
                            nodes,
                            "--shave-model",
                            kRepo + "/models/shave_vpu_4_0.h5",
                            "--dma-model",
                            kRepo + "/models/dma_vpu_4_0.h5",
                            "--dtype",
                            "UINT8",
                            "--mode",
                            "device",
                            "--emit-workloads",
                            (dir / "w.csv").string(),
                            "--emit-queried",
                            (dir / "q.csv").string(),
                            "--emit-dma",
                            (dir / "d.csv").string(),
                            "--emit-shave",
                            (dir / "s.csv").string()});
  ASSERT_EQ(net.exit_code, 0) << net.err;

  std::size_t emitted = 0;
  const std::set<std::string> runs = csv_data_rows(dir / "w.csv", &emitted);
  EXPECT_EQ(runs.size(), emitted) << "a workload emitted twice";
  EXPECT_GT(runs.size(), 50u);
  const std::set<std::string> queried = csv_data_rows(dir / "q.csv");
  EXPECT_GT(queried.size(), runs.size());  // every strategy and cut is asked, one is run
  for (const std::string& r : runs) EXPECT_TRUE(queried.count(r)) << "run, never asked: " << r;
  EXPECT_EQ(test::unpredicted_rows(model, dir / "w.csv", dir / "predicted.csv"), "");

  // The SHAVE operations: exactly the distinct UINT8 SHAVE nodes of the file.
  std::set<std::string> expected;
  for (const NetworkNodeRecord& r : read_network_csv(nodes).items) {
    if (r.kind != NodeKind::Shave || r.dtype != DType::UINT8) continue;
    expected.insert(
        std::string(to_string(r.shave.operation)) + " " + std::to_string(r.shave.input.width) +
        "x" + std::to_string(r.shave.input.height) + "x" + std::to_string(r.shave.input.channels));
  }
  const ShaveRecordings shave = read_shave_csv(dir / "s.csv", CyclesColumn::Ignored);
  EXPECT_TRUE(shave.rejects.empty());
  std::set<std::string> got;
  for (const ShaveOperation& op : shave.items) {
    got.insert(std::string(to_string(op.operation)) + " " + std::to_string(op.input.width) + "x" +
               std::to_string(op.input.height) + "x" + std::to_string(op.input.channels));
  }
  EXPECT_EQ(got.size(), shave.items.size()) << "a SHAVE operation emitted twice";
  EXPECT_EQ(got, expected);
  EXPECT_FALSE(expected.empty());

  // Device mode fetches weights and the network's input: DMA transfers asked.
  const DmaRecordings dma = read_dma_csv(dir / "d.csv", CyclesColumn::Ignored);
  EXPECT_TRUE(dma.rejects.empty());
  EXPECT_GT(dma.items.size(), 10u);
}

TEST(CliEmitNodes, NetOnnxWritesWhatToProfile) {
  test::TempDir dir;
  const std::string model = kRepo + "/models/vpu_4_0.h5";
  const auto net =
      run_cli({"net", "--model", model, "--onnx", kRepo + "/tests/network/data/onnx/tiny_net.onnx",
               "--shave-model", kRepo + "/models/shave_vpu_4_0.h5", "--json", "--emit-workloads",
               (dir / "w.csv").string(), "--emit-queried", (dir / "q.csv").string(), "--emit-shave",
               (dir / "s.csv").string()});
  ASSERT_EQ(net.exit_code, 0) << net.err;
  const nlohmann::json doc = nlohmann::json::parse(net.out);
  std::set<std::string> shave_nodes;  // operation of every SHAVE node the table lists
  for (const auto& n : doc["nodes"]) {
    if (n["engine"] == "SHAVE") shave_nodes.insert(n["operation"].get<std::string>());
  }
  const ShaveRecordings shave = read_shave_csv(dir / "s.csv", CyclesColumn::Ignored);
  EXPECT_TRUE(shave.rejects.empty());
  std::set<std::string> got;
  for (const ShaveOperation& op : shave.items) {
    got.insert("SHAVE " + std::string(to_string(op.operation)));
  }
  EXPECT_EQ(got, shave_nodes);
  const std::set<std::string> runs = csv_data_rows(dir / "w.csv");
  const std::set<std::string> queried = csv_data_rows(dir / "q.csv");
  EXPECT_FALSE(runs.empty());
  for (const std::string& r : runs) EXPECT_TRUE(queried.count(r)) << "run, never asked: " << r;
  EXPECT_EQ(test::unpredicted_rows(model, dir / "q.csv", dir / "predicted.csv"), "");
}

TEST(CliEmitNodes, LayerCsvWritesEveryWorkloadItsCostingAsks) {
  test::TempDir dir;
  const std::string model = kRepo + "/models/vpu_4_0.h5";
  const std::string layers = kRepo + "/data/samples/v2/layers/vpu_4_0_test.csv";
  const auto layer =
      run_cli({"layer", "--model", model, "--csv", layers, "--out", (dir / "o.csv").string(),
               "--emit-queried", (dir / "q.csv").string()});
  ASSERT_EQ(layer.exit_code, 0) << layer.err;
  std::size_t rows = 0;
  const std::set<std::string> queried = csv_data_rows(dir / "q.csv", &rows);
  EXPECT_EQ(queried.size(), rows) << "a workload emitted twice";
  // Every strategy's tile parts in every mode: several queries per layer.
  EXPECT_GT(rows, 3 * csv_data_rows(layers).size());
  EXPECT_EQ(test::unpredicted_rows(model, dir / "q.csv", dir / "predicted.csv"), "");

  // One layer from options has no --csv to record.
  const auto single = run_cli({"layer", "--model", model, "--op", "CONVOLUTION", "--input",
                               "14x14x64", "--emit-queried", (dir / "one.csv").string()});
  EXPECT_EQ(single.exit_code, 1);
  EXPECT_NE(single.err.find("--emit-queried needs --csv"), std::string::npos) << single.err;
}

}  // namespace
}  // namespace vpucost
