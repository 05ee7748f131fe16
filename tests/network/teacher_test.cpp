// The teacher data's ProxylessNAS-space layers (<device>_mbconv_blocks.csv,
// labelled by Intel's VPUNN) against what vpucost builds for the same blocks:
// layer geometry, split decisions and per-block cycles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "teacher_csv.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/roofline.hpp"

namespace vpucost {
namespace {

using test::TeacherRow;

struct Group {
  std::string block_id;
  DType dtype;
  std::vector<TeacherRow> rows;
};

// Rows grouped by (block, dtype) in file order.
std::vector<Group> groups(Device device) {
  std::vector<Group> out;
  for (const TeacherRow& row : test::read_teacher_csv(test::teacher_csv_path(device))) {
    const DType dtype = parse<DType>(row["input_dtype"]);
    if (out.empty() || out.back().block_id != row["block_id"] || out.back().dtype != dtype) {
      out.push_back({row["block_id"], dtype, {}});
    }
    out.back().rows.push_back(row);
  }
  return out;
}

SplitReason teacher_reason(const std::string& status) {
  if (status == "OK") return SplitReason::None;
  if (status == "REJECTED_CHANNELS_NOT_16_32_64") return SplitReason::DepthwiseChannels;
  if (status == "REJECTED_CMX_CAPACITY") return SplitReason::CmxCapacity;
  throw std::runtime_error("unknown status " + status);
}

class TeacherCsv : public ::testing::TestWithParam<Device> {};

TEST_P(TeacherCsv, CoversTheWholeSpaceWithOurLayerGeometry) {
  const auto all = groups(GetParam());
  ASSERT_EQ(all.size(), 2u * (1 + 1 + 21 * 6 + 3));  // stem x2, 126 blocks, head x3; two dtypes
  std::size_t rows = 0;
  for (const Group& g : all) {
    const auto layers = test::layers_of_teacher_block(g.block_id);
    ASSERT_EQ(layers.size(), g.rows.size()) << g.block_id;
    for (std::size_t i = 0; i < layers.size(); ++i, ++rows) {
      const TeacherRow& r = g.rows[i];
      const Workload w = layer_workload(layers[i], GetParam(), g.dtype);
      SCOPED_TRACE(g.block_id + " " + r["layer"] + " " + r["input_dtype"]);
      EXPECT_EQ(to_string(w.operation), r["operation"]);
      EXPECT_EQ(w.input.width, r.num("input_width"));
      EXPECT_EQ(w.input.height, r.num("input_height"));
      EXPECT_EQ(w.input.channels, r.num("input_channels"));
      EXPECT_EQ(w.output.width, r.num("output_width"));
      EXPECT_EQ(w.output.height, r.num("output_height"));
      EXPECT_EQ(w.output.channels, r.num("output_channels"));
      EXPECT_EQ(w.kernel_w, r.num("kernel_width"));
      EXPECT_EQ(w.kernel_h, r.num("kernel_height"));
      EXPECT_EQ(w.stride_w, r.num("stride_width"));
      EXPECT_EQ(w.padding, (Padding{r.num("pad_top"), r.num("pad_bottom"), r.num("pad_left"),
                                    r.num("pad_right")}));
      EXPECT_EQ(layers[i].in_channels, r.num("logical_input_channels"));
      EXPECT_EQ(layers[i].out_channels, r.num("logical_output_channels"));
    }
  }
  EXPECT_EQ(rows, 948u);
}

TEST_P(TeacherCsv, SplitDecisionsFollowTheTeacherRule) {
  const RooflineModel roofline;
  int rows = 0, same_choice = 0;
  for (const Group& g : groups(GetParam())) {
    const NetworkCoster coster(roofline, GetParam(), g.dtype);
    const auto layers = test::layers_of_teacher_block(g.block_id);
    const auto costs = coster.cost(layers);
    for (std::size_t i = 0; i < layers.size(); ++i, ++rows) {
      const TeacherRow& r = g.rows[i];
      SCOPED_TRACE(g.block_id + " " + r["layer"] + " " + r["input_dtype"]);
      const Workload w = layer_workload(layers[i], GetParam(), g.dtype);
      // Why a layer is split: exactly the teacher's verdict.
      EXPECT_EQ(split_reason(w), teacher_reason(r["single_workload_status"]));
      // How many workloads: exactly the teacher's count, and the teacher's
      // split is one of the smallest splits we consider.
      const auto options = minimal_split_options(w);
      EXPECT_EQ(options.front().workloads.size(), static_cast<std::size_t>(r.num("n_workloads")));
      EXPECT_TRUE(std::any_of(options.begin(), options.end(),
                              [&](const SplitOption& o) { return o.label() == r["split"]; }));
      EXPECT_EQ(costs[i].cost.workloads.size(), static_cast<std::size_t>(r.num("n_workloads")));
      same_choice += costs[i].cost.split == r["split"];
      if (costs[i].cost.split != r["split"]) {
        std::printf("  tie broken differently: %s %s %s: ours %s, teacher %s\n", g.block_id.c_str(),
                    r["layer"].c_str(), r["input_dtype"].c_str(), costs[i].cost.split.c_str(),
                    r["split"].c_str());
      }
    }
  }
  // Among equally small splits the teacher kept the one VPUNN found cheapest;
  // we keep the one our predictor finds cheapest. With the roofline the
  // choices differ in 8 layers on VPU_2_0 and 3 on 2.7 and 4.0 (NETWORK.md).
  std::printf("%s: %d of %d split choices equal the teacher's\n",
              std::string(to_string(GetParam())).c_str(), same_choice, rows);
  EXPECT_GE(same_choice, rows - 8);
}

// Per-block cycles: the teacher's sum over a block's layers against ours with
// the roofline and, when shipped, the trained model. The figures are written
// to $VPUCOST_TEACHER_REPORT (CSV) when set; network/NETWORK.md reports them.
struct BlockComparison {
  std::string block_id;
  DType dtype;
  double teacher;
  double ours;
};

std::vector<BlockComparison> compare_blocks(Device device, const CyclePredictor& predictor) {
  std::vector<BlockComparison> out;
  for (const Group& g : groups(device)) {
    const NetworkCoster coster(predictor, device, g.dtype);
    double teacher = 0.0;
    for (const TeacherRow& r : g.rows) teacher += std::stod(r["cycles"]);
    const auto costs = coster.cost(test::layers_of_teacher_block(g.block_id));
    out.push_back({g.block_id, g.dtype, teacher, total_cycles(costs)});
  }
  return out;
}

struct RatioSummary {
  double geometric_mean;
  double median;
  double p10;
  double p90;
  double within_25_percent;
  double rank_correlation;  ///< Spearman, teacher vs ours
};

std::vector<double> ranks(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return values[a] < values[b]; });
  std::vector<double> r(values.size());
  for (std::size_t i = 0; i < order.size();) {  // ties share their mean rank
    std::size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = 0.5 * double(i + j);
    i = j + 1;
  }
  return r;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const auto ra = ranks(a), rb = ranks(b);
  const double n = double(a.size()), mean = (n - 1) / 2;
  double cov = 0, va = 0, vb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    cov += (ra[i] - mean) * (rb[i] - mean);
    va += (ra[i] - mean) * (ra[i] - mean);
    vb += (rb[i] - mean) * (rb[i] - mean);
  }
  return cov / std::sqrt(va * vb);
}

RatioSummary summarise(const std::vector<BlockComparison>& blocks) {
  std::vector<double> ratios, teacher, ours;
  double log_sum = 0.0;
  int close = 0;
  for (const auto& b : blocks) {
    teacher.push_back(b.teacher);
    ours.push_back(b.ours);
    ratios.push_back(b.ours / b.teacher);
    log_sum += std::log(ratios.back());
    close += std::abs(ratios.back() - 1.0) <= 0.25;
  }
  std::sort(ratios.begin(), ratios.end());
  const auto at = [&](double q) {
    return ratios[static_cast<std::size_t>(q * (ratios.size() - 1))];
  };
  return {std::exp(log_sum / ratios.size()),
          at(0.5),
          at(0.1),
          at(0.9),
          double(close) / ratios.size(),
          spearman(teacher, ours)};
}

void report(Device device, const std::string& source, const std::vector<BlockComparison>& blocks) {
  const RatioSummary s = summarise(blocks);
  std::printf(
      "%s %s: ours/teacher per block: geometric mean %.2f, median %.2f, p10 %.2f, "
      "p90 %.2f, within 25%%: %.0f%%, rank correlation %.3f\n",
      std::string(to_string(device)).c_str(), source.c_str(), s.geometric_mean, s.median, s.p10,
      s.p90, 100.0 * s.within_25_percent, s.rank_correlation);
  if (const char* path = std::getenv("VPUCOST_TEACHER_REPORT")) {
    const bool fresh = !std::filesystem::exists(path);
    std::FILE* f = std::fopen(path, "a");
    if (!f) return;
    if (fresh) std::fprintf(f, "device,source,block_id,dtype,teacher_cycles,our_cycles,ratio\n");
    for (const auto& b : blocks) {
      std::fprintf(f, "%s,%s,%s,%s,%.0f,%.1f,%.4f\n", std::string(to_string(device)).c_str(),
                   source.c_str(), b.block_id.c_str(), std::string(to_string(b.dtype)).c_str(),
                   b.teacher, b.ours, b.ours / b.teacher);
    }
    std::fclose(f);
  }
}

TEST_P(TeacherCsv, PerBlockCyclesWithTheRoofline) {
  const RooflineModel roofline;
  const auto blocks = compare_blocks(GetParam(), roofline);
  ASSERT_EQ(blocks.size(), 262u);
  report(GetParam(), "roofline", blocks);
  // The roofline is a bound, not a prediction (roofline.hpp): it ignores
  // pipeline stalls and per-mode efficiency, so it sits below VPUNN, but
  // within a factor the design-rule conclusions survive.
  const RatioSummary s = summarise(blocks);
  EXPECT_GT(s.geometric_mean, 0.3);
  EXPECT_LT(s.geometric_mean, 1.5);
  // What NAS needs is the ordering of candidates, and that survives.
  EXPECT_GT(s.rank_correlation, 0.9);
}

TEST_P(TeacherCsv, PerBlockCyclesWithTheShippedModel) {
  const std::string name = GetParam() == Device::VPU_2_0   ? "vpu_2_0"
                           : GetParam() == Device::VPU_2_7 ? "vpu_2_7"
                                                           : "vpu_4_0";
  const std::filesystem::path path =
      std::filesystem::path(VPUCOST_SOURCE_DIR) / "models" / (name + ".h5");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no shipped model " << path;
  const CostModel model = load_model(path);
  const auto blocks = compare_blocks(GetParam(), model);
  report(GetParam(), "model", blocks);
  // A model trained on VPUNN's labels should reproduce VPUNN's block sums.
  const RatioSummary s = summarise(blocks);
  EXPECT_GT(s.geometric_mean, 0.8);
  EXPECT_LT(s.geometric_mean, 1.25);
  EXPECT_GT(s.rank_correlation, 0.95);
}

INSTANTIATE_TEST_SUITE_P(AllDevices, TeacherCsv,
                         ::testing::Values(Device::VPU_2_0, Device::VPU_2_7, Device::VPU_4_0),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace vpucost
