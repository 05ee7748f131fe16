// `vpucost lut --emit-workloads`: the distinct DPU workloads a table costs,
// in the recording CSV format -- exactly the workloads of the table, each
// once, every row read back by `predict --csv`. (Their predictions are not
// the table's cycles for border pieces, which the layer model asks as their
// dearer symmetric neighbour: network/NETWORK.md section 11.)
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/kind_recordings.hpp"

namespace vpucost {
namespace {

using test::run_cli;

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream row(line);
  for (std::string f; std::getline(row, f, ',');) fields.push_back(f);
  return fields;
}

TEST(CliEmitWorkloads, ExactlyTheTablesWorkloadsEachOnce) {
  test::TempDir dir;
  const std::string model = std::string(VPUCOST_SOURCE_DIR) + "/models/vpu_4_0.h5";
  const auto lut =
      run_cli({"lut", "--model", model, "--resolution", "160,224", "--format", "json", "--out",
               (dir / "t.json").string(), "--emit-workloads", (dir / "w.csv").string()});
  ASSERT_EQ(lut.exit_code, 0) << lut.err;
  const auto predicted = run_cli({"predict", "--model", model, "--csv", (dir / "w.csv").string(),
                                  "--out", (dir / "p.csv").string()});
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;

  // Emitted rows by their descriptor (every column but the prediction).
  std::map<std::string, double> emitted;
  std::istringstream in(test::slurp(dir / "p.csv"));
  std::string line;
  std::getline(in, line);
  EXPECT_TRUE(line.starts_with("device,operation,input_width")) << line;
  while (std::getline(in, line)) {
    std::vector<std::string> f = split_csv_line(line);
    ASSERT_EQ(f.size(), 25u) << line;
    const double cycles = std::stod(f.back());
    f.pop_back();
    std::string key;
    for (const std::string& x : f) key += x + ",";
    EXPECT_TRUE(emitted.emplace(key, cycles).second) << "emitted twice: " << key;
  }
  ASSERT_GT(emitted.size(), 100u);

  // Every workload of every entry is there with the cycles the table used.
  const auto tables = nlohmann::json::parse(test::slurp(dir / "t.json"))["tables"];
  std::size_t workloads = 0;
  std::set<std::string> in_table;
  for (const auto& t : tables) {
    for (const auto& e : t["entries"]) {
      for (const auto& l : e["layers"]) {
        for (const auto& w : l["workloads"]) {
          ++workloads;
          const auto dims = [&](const char* k) {
            return std::to_string(w[k][0].get<int>()) + "," + std::to_string(w[k][1].get<int>()) +
                   "," + std::to_string(w[k][2].get<int>());
          };
          const std::string dtype = w["dtype"];
          const std::string key =
              "VPU_4_0," + w["operation"].get<std::string>() + "," + dims("input") + "," +
              dims("output") + "," + std::to_string(w["kernel"][0].get<int>()) + "," +
              std::to_string(w["kernel"][1].get<int>()) + "," +
              std::to_string(w["stride"][0].get<int>()) + "," +
              std::to_string(w["stride"][1].get<int>()) + "," +
              std::to_string(w["padding"][0].get<int>()) + "," +
              std::to_string(w["padding"][1].get<int>()) + "," +
              std::to_string(w["padding"][2].get<int>()) + "," +
              std::to_string(w["padding"][3].get<int>()) + "," + dtype + "," + dtype + "," +
              w["execution_mode"].get<std::string>() + ",NONE,0,0," +
              std::to_string(w["output_write_tiles"].get<int>()) + "," +
              w["isi_strategy"].get<std::string>() + ",";
          ASSERT_TRUE(emitted.count(key)) << key;
          in_table.insert(key);
        }
      }
    }
  }
  EXPECT_EQ(in_table.size(), emitted.size());  // nothing emitted that the table does not cost
  EXPECT_GT(workloads, emitted.size());        // the table repeats workloads; the file does not
  EXPECT_NE(lut.err.find(std::to_string(emitted.size()) + " distinct DPU workloads"),
            std::string::npos)
      << lut.err;
}

// `net --emit-workloads`: a network's distinct DPU workloads (no more rows
// than the network runs workloads), every row read back by `predict --csv`.
TEST(CliEmitWorkloads, NetWritesTheNetworksWorkloads) {
  test::TempDir dir;
  const std::string model = std::string(VPUCOST_SOURCE_DIR) + "/models/vpu_4_0.h5";
  const auto net = run_cli({"net", "--model", model, "--config",
                            std::string(VPUCOST_SOURCE_DIR) + "/nets/mobilenetv2.json",
                            "--emit-workloads", (dir / "n.csv").string(), "--json"});
  ASSERT_EQ(net.exit_code, 0) << net.err;
  std::size_t workloads = 0;
  const nlohmann::json doc = nlohmann::json::parse(net.out);
  for (const auto& l : doc["layers"]) {
    workloads += l["workloads"].get<std::size_t>();
  }
  const std::string csv = test::slurp(dir / "n.csv");
  const auto rows = std::size_t(test::line_count(csv)) - 1;
  EXPECT_GT(rows, 50u);
  EXPECT_LE(rows, workloads);  // distinct
  EXPECT_EQ(test::unpredicted_rows(model, dir / "n.csv", dir / "p.csv"), "");
}

// `--emit-shave`: the distinct SHAVE operations of once-for-all's MobileNetV3
// tables (h-swish, the SE gate and multiply), each once, read back by the
// SHAVE recording reader with no row refused.
TEST(CliEmitWorkloads, ShaveOperationsOfTheTablesEachOnce) {
  test::TempDir dir;
  const std::string models = std::string(VPUCOST_SOURCE_DIR) + "/models/";
  const auto lut = run_cli({"lut", "--model", models + "vpu_4_0.h5", "--shave-model",
                            models + "shave_vpu_4_0.h5", "--space", "ofa-mbv3", "--resolution",
                            "160,224", "--format", "json", "--out", (dir / "t.json").string(),
                            "--emit-shave", (dir / "s.csv").string(), "--quiet"});
  ASSERT_EQ(lut.exit_code, 0) << lut.err;
  std::set<std::string> in_tables;  // operation,width,height,channels of every SHAVE step
  const auto doc = nlohmann::json::parse(test::slurp(dir / "t.json"));
  for (const auto& table : doc["tables"]) {
    for (const auto& e : table["entries"]) {
      if (!e.contains("shave")) continue;
      for (const auto& sc : e["shave"]) {
        in_tables.insert(sc["operation"].get<std::string>() + "," +
                         std::to_string(sc["width"].get<int>()) + "," +
                         std::to_string(sc["height"].get<int>()) + "," +
                         std::to_string(sc["channels"].get<int>()));
      }
    }
  }
  const ShaveRecordings read = read_shave_csv(dir / "s.csv", CyclesColumn::Ignored);
  EXPECT_TRUE(read.rejects.empty()) << read.rejects.front().reason;
  std::set<std::string> emitted;
  for (const ShaveOperation& op : read.items) {
    EXPECT_EQ(op.device, Device::VPU_4_0);
    EXPECT_TRUE(emitted
                    .insert(std::string(to_string(op.operation)) + "," +
                            std::to_string(op.input.width) + "," + std::to_string(op.input.height) +
                            "," + std::to_string(op.input.channels))
                    .second)
        << "emitted twice";
  }
  EXPECT_EQ(emitted, in_tables);
  EXPECT_GT(emitted.size(), 50u);
}

}  // namespace
}  // namespace vpucost
