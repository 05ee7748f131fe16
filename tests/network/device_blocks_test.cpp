// ProxylessNAS blocks on the whole device (issue #16, item 5): every block
// of the space at 224, costed by vpucost's compute mode, against the same
// block summed from the v2 teacher's layers/<device>_proxyless_224.csv
// (every layer of the space labelled by VPUNN's layer model, cycles_best).
// VPU_4_0's file is bundled; the others are read when the shared data is
// here. Results: network/NETWORK.md section 12.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>

#include "teacher_csv.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/network_cost.hpp"

namespace vpucost {
namespace {

namespace fs = std::filesystem;

std::string proxyless_224_path(Device d) {
  std::string stem(to_string(d));
  for (char& c : stem) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const fs::path bundled =
      fs::path(VPUCOST_SOURCE_DIR) / "data/samples/v2/layers" / (stem + "_proxyless_224.csv");
  if (fs::exists(bundled)) return bundled.string();
  return (fs::path(VPUCOST_SOURCE_DIR) / "../shared/datasets/vpunn-teacher-v2/layers" /
          (stem + "_proxyless_224.csv"))
      .string();
}

struct BlockErrors {
  std::size_t blocks = 0, within_3 = 0;
  double worst = 0, sum = 0;
};

BlockErrors compare(Device d) {
  const CostModel model = load_model(fs::path(VPUCOST_SOURCE_DIR) / "models" /
                                     (std::string(to_string(d)) == "VPU_4_0" ? "vpu_4_0.h5"
                                      : d == Device::VPU_2_7                 ? "vpu_2_7.h5"
                                                                             : "npu_5_0.h5"));
  // Teacher cycles per (block, dtype), in file order.
  std::map<std::pair<std::string, std::string>, double> teacher;
  for (const test::TeacherRow& row : test::read_teacher_csv(proxyless_224_path(d))) {
    teacher[{row["block_id"], row["input_dtype"]}] += std::stod(row["cycles_best"]);
  }
  BlockErrors e;
  for (const auto& [key, cycles] : teacher) {
    const DType dtype = parse<DType>(key.second);
    const NetworkCoster coster(model, d, dtype, LatencyMode::compute);
    const auto layers = test::layers_of_teacher_block(key.first);
    const double ours = total_cycles(coster.cost(layers));
    const double err = std::abs(ours / cycles - 1.0);
    ++e.blocks;
    e.within_3 += err <= 0.03;
    e.sum += err;
    e.worst = std::max(e.worst, err);
  }
  return e;
}

class DeviceBlocks : public ::testing::TestWithParam<Device> {};

TEST_P(DeviceBlocks, ComputeModeAgainstTheTeachersLayers) {
  if (!fs::exists(proxyless_224_path(GetParam()))) {
    GTEST_SKIP() << "no " << proxyless_224_path(GetParam());
  }
  const BlockErrors e = compare(GetParam());
  EXPECT_EQ(e.blocks, 2u * (1 + 1 + 21 * 6 + 3));
  std::printf("%s: %zu blocks, mean error %.2f %%, within 3 %% %.1f %%, worst %.1f %%\n",
              std::string(to_string(GetParam())).c_str(), e.blocks, 100 * e.sum / double(e.blocks),
              100.0 * double(e.within_3) / double(e.blocks), 100 * e.worst);
  // Levels reached (network/NETWORK.md section 12: within 3 % 98.1 / 86.3 /
  // 88.9 % of the blocks); the +-3 % per block target of issue #16 is not
  // met on every block yet.
  EXPECT_LE(e.sum / double(e.blocks), 0.05);
  const double within_3_level = GetParam() == Device::VPU_2_7   ? 0.97
                                : GetParam() == Device::VPU_4_0 ? 0.85
                                                                : 0.87;
  EXPECT_GE(double(e.within_3) / double(e.blocks), within_3_level);
}

INSTANTIATE_TEST_SUITE_P(Devices, DeviceBlocks,
                         ::testing::Values(Device::VPU_2_7, Device::VPU_4_0, Device::NPU_5_0),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace vpucost
