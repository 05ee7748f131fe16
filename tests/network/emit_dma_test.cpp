// `--emit-dma` (issue #18 item 2): every DMA transfer a costing asks its DMA
// model is recorded (DmaQueryRecorder), and costing again with a DMA model
// that refuses anything outside that list gives the same table, bit for bit:
// the list is complete. The CLI writes it as a DMA recording CSV that the
// DMA recording reader takes back without a rejected row.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/kind_recordings.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/lut_writers.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/recording_predictor.hpp"

namespace vpucost {
namespace {

const std::filesystem::path kDmaModels = VPUCOST_MODELS_DIR;

TEST(EmitDma, RecordedTransfersAreAllTheCostingAsks) {
  const CostModel dpu = load_model(kDmaModels / "vpu_4_0.h5");
  const DmaModel dma = load_dma_model(kDmaModels / "dma_vpu_4_0.h5");
  const SearchSpace space = builtin_space("proxyless");
  DmaQueryRecorder recorder;
  const DmaModel recording = recorder.recording(dma);
  const NetworkCoster first(dpu, Device::VPU_4_0, DType::UINT8, LatencyMode::ddr, &recording);
  const LatencyTable recorded = build_latency_table(space, 224, first);
  const std::vector<DmaTransfer> asked = recorder.queried();
  ASSERT_GT(asked.size(), 20u);
  std::set<std::pair<DmaDirection, std::int64_t>> known;
  for (const DmaTransfer& t : asked) {
    EXPECT_EQ(t.device, Device::VPU_4_0);
    EXPECT_EQ(t.tensor.width * t.tensor.height, 1) << "flat transfers";
    EXPECT_TRUE(known.insert({t.direction, transfer_bytes(t)}).second) << "recorded twice";
  }
  // A DMA model that answers only the recorded transfers (and says which it lacks).
  DmaModel strict = dma;
  strict.observe(
      std::make_shared<const DmaModel::QueryObserver>([&known](DmaDirection d, double bytes) {
        if (!known.count({d, std::llround(bytes)})) {
          throw Error("transfer of " + std::to_string(bytes) + " bytes was not recorded");
        }
      }));
  const NetworkCoster again(dpu, Device::VPU_4_0, DType::UINT8, LatencyMode::ddr, &strict);
  const LatencyTable replayed = build_latency_table(space, 224, again);
  EXPECT_EQ(proxyless_yaml(replayed), proxyless_yaml(recorded));
  // Teeth: one transfer fewer and the replay fails.
  known.erase(known.begin());
  EXPECT_THROW(build_latency_table(space, 224, again), Error);
}

TEST(EmitDma, CliWritesADmaRecordingCsvOfDistinctTransfers) {
  test::TempDir dir;
  const std::string models = kDmaModels.string() + "/";
  const auto lut = test::run_cli({"lut", "--model", models + "vpu_4_0.h5", "--dma-model",
                                  models + "dma_vpu_4_0.h5", "--mode", "ddr", "--emit-dma",
                                  (dir / "dma.csv").string(), "--quiet"});
  ASSERT_EQ(lut.exit_code, 0) << lut.err;
  const DmaRecordings read = read_dma_csv(dir / "dma.csv", CyclesColumn::Ignored);
  EXPECT_TRUE(read.rejects.empty()) << read.rejects.front().reason;
  std::set<std::pair<DmaDirection, std::int64_t>> seen;
  for (const DmaTransfer& t : read.items) {
    EXPECT_TRUE(seen.insert({t.direction, transfer_bytes(t)}).second);
  }
  EXPECT_GT(seen.size(), 20u);
  // The network command too, in device mode (weight fetches, input, output).
  const auto net =
      test::run_cli({"net", "--model", models + "vpu_4_0.h5", "--mode", "device", "--config",
                     std::string(VPUCOST_SOURCE_DIR) + "/nets/proxylessnas_mobile.json",
                     "--emit-dma", (dir / "net_dma.csv").string()});
  ASSERT_EQ(net.exit_code, 0) << net.err;
  const DmaRecordings from_net = read_dma_csv(dir / "net_dma.csv", CyclesColumn::Ignored);
  EXPECT_TRUE(from_net.rejects.empty());
  EXPECT_GT(from_net.items.size(), 10u);
}

}  // namespace
}  // namespace vpucost
