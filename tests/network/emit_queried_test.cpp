// `--emit-queried` (issue #18 item 2): every workload a costing asks its
// predictor is recorded, and a predictor that knows only those workloads'
// cycles -- profiled labels -- builds the very same latency table, bit for
// bit, in every latency mode, with range-split pieces included. A lookup
// missing one workload fails, so the check has teeth.
#include <gtest/gtest.h>

#include <filesystem>
#include <unordered_map>

#include "../../network/src/batch_coster.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/lut_writers.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/recording_csv.hpp"
#include "vpucost/recording_predictor.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost {
namespace {

const std::filesystem::path kQueriedModels = VPUCOST_MODELS_DIR;

// Cycles for a fixed set of workloads only, as a table of profiled labels.
class LabelLookup final : public CyclePredictor {
 public:
  LabelLookup(std::span<const Workload> workloads, const CyclePredictor& labeller,
              std::int64_t extent)
      : extent_(extent), one_sided_(labeller.learnt_one_sided_padding()) {
    std::vector<double> cycles(workloads.size());
    labeller.predict_cycles(workloads, cycles);
    for (std::size_t i = 0; i < workloads.size(); ++i) labels_.emplace(workloads[i], cycles[i]);
  }
  double predict_cycles(const Workload& w) const override {
    const auto it = labels_.find(w);
    if (it == labels_.end()) throw Error("no label for " + describe(w));
    return it->second;
  }
  std::string_view source() const override { return "labels"; }
  std::int64_t max_extent() const override { return extent_; }
  // Asked what the labeller was asked: halo pieces themselves when it
  // learnt them, else their symmetric neighbours.
  bool learnt_one_sided_padding() const override { return one_sided_; }

 private:
  std::unordered_map<Workload, double, detail::WorkloadHash> labels_;
  std::int64_t extent_;
  bool one_sided_;
};

std::vector<double> entry_cycles(const LatencyTable& t) {
  std::vector<double> out;
  for (const LutEntry* e : t.entries()) out.push_back(e->cycles);
  return out;
}

// Builds the table once through a recorder, then from the recorded labels.
void expect_same_table_from_labels(const SearchSpace& space, int resolution, const CostModel& model,
                                   Device device, DType dtype, LatencyMode mode,
                                   const DmaModel* dma = nullptr,
                                   const ShaveModel* shave = nullptr) {
  const RecordingPredictor recorder(model);
  const LatencyTable original = build_latency_table(
      space, resolution, NetworkCoster(recorder, device, dtype, mode, dma, shave));
  const std::vector<Workload> queried = recorder.queried();
  ASSERT_FALSE(queried.empty());
  const LabelLookup labels(queried, model, model.max_extent());
  const LatencyTable again = build_latency_table(
      space, resolution, NetworkCoster(labels, device, dtype, mode, dma, shave));
  EXPECT_EQ(entry_cycles(again), entry_cycles(original)) << space.name << " " << to_string(mode);

  // One label fewer and the table cannot be built.
  const LabelLookup short_one(std::span<const Workload>(queried).subspan(1), model,
                              model.max_extent());
  EXPECT_THROW(build_latency_table(space, resolution,
                                   NetworkCoster(short_one, device, dtype, mode, dma, shave)),
               Error);

  // The emitted CSV reads back as exactly those workloads.
  const std::string csv = workloads_csv(queried);
  CsvReader reader("queried.csv", csv);
  CsvLine line;
  ASSERT_TRUE(reader.next(line));
  const RecordingLayout layout(line.fields, CyclesColumn::Ignored, "queried.csv");
  std::vector<Workload> read;
  Recording rec;
  while (reader.next(line)) {
    ASSERT_FALSE(layout.parse(line.fields, rec)) << line.text;
    read.push_back(rec.workload);
  }
  EXPECT_EQ(read, queried);
}

TEST(EmitQueried, LabelsOfTheQueriedWorkloadsRebuildTheProxylessTables) {
  const CostModel m40 = load_model(kQueriedModels / "vpu_4_0.h5");
  const DmaModel dma40 = load_dma_model(kQueriedModels / "dma_vpu_4_0.h5");
  for (const LatencyMode mode : {LatencyMode::compute, LatencyMode::ddr, LatencyMode::dpu_only}) {
    expect_same_table_from_labels(proxyless_space(), 224, m40, Device::VPU_4_0, DType::UINT8, mode,
                                  &dma40);
  }
}

TEST(EmitQueried, LabelsRebuildASuperResolutionTableWithItsRangeSplitPieces) {
  const CostModel m50 = load_model(kQueriedModels / "npu_5_0.h5");
  const DmaModel dma50 = load_dma_model(kQueriedModels / "dma_npu_5_0.h5");
  const ShaveModel shave50 = load_shave_model(kQueriedModels / "shave_npu_5_0.h5");
  // 180x320: tile parts wider than 224 columns are asked as pieces.
  expect_same_table_from_labels(builtin_space("sr-edsr"), 180, m50, Device::NPU_5_0, DType::UINT8,
                                LatencyMode::compute, &dma50, &shave50);
}

}  // namespace
}  // namespace vpucost
