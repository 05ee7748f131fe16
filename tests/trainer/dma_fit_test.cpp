// Fitting DMA models (issue #15): a piecewise-linear curve on the knot grid
// is recovered exactly, gaps in the data do not leave undetermined knots,
// the bundled v2 samples are fitted to well under a percent, and bad data
// is refused with one line.
#include "vpucost/dma_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "vpucost/error.hpp"
#include "vpucost/kind_recordings.hpp"

namespace vpucost {
namespace {

const std::filesystem::path kDmaSamples = std::filesystem::path(VPUCOST_SAMPLES) / "v2" / "dma";

struct Scores {
  double mape = 0;
  double within_10 = 0;
};

Scores score(const DmaModel& m, const DmaRecordings& r) {
  std::vector<double> predicted(r.size());
  m.predict_cycles(r.items, predicted);
  Scores s;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const double ape = std::abs(predicted[i] / r.cycles[i] - 1.0);
    s.mape += ape;
    s.within_10 += ape <= 0.10;
  }
  s.mape /= double(r.size());
  s.within_10 /= double(r.size());
  return s;
}

void add(DmaRecordings& r, DmaDirection d, std::int64_t bytes, double cycles) {
  r.items.push_back(flat_transfer(Device::VPU_2_7, d, bytes));
  r.cycles.push_back(cycles);
}

// 400 cycles of latency, then 20 bytes per cycle, with a kink at 64 KiB
// (a knot of the 8-per-octave grid) after which 25 bytes per cycle.
double kinked(double bytes) {
  return bytes <= 65536 ? 400 + bytes / 20 : 400 + 65536.0 / 20 + (bytes - 65536) / 25;
}

TEST(DmaFit, RecoversAPiecewiseLinearCurveOnItsKnots) {
  DmaRecordings data;
  for (std::int64_t b = 1024; b <= (1 << 21); b = b * 21 / 20 + 1) {
    add(data, DmaDirection::DDR_TO_CMX, b, kinked(double(b)));
  }
  const DmaModel m(fit_dma_model(data, "synthetic"));
  EXPECT_TRUE(m.parts().curves[1].empty()) << "no CMX_TO_DDR rows, no curve";
  for (double b : {1024.0, 3000.0, 65536.0, 100000.0, 2000000.0}) {
    EXPECT_NEAR(m.predict_bytes(DmaDirection::DDR_TO_CMX, b), kinked(b), 1e-6 * kinked(b)) << b;
  }
  EXPECT_LT(m.parts().curves[0].train_mape, 1e-9);
}

TEST(DmaFit, AGapInTheDataIsBridgedByItsNeighbours) {
  DmaRecordings data;
  for (std::int64_t b = 1024; b <= 4096; b += 16)
    add(data, DmaDirection::CMX_TO_DDR, b, 300 + b / 10.0);
  for (std::int64_t b = 262144; b <= 524288; b += 1024)
    add(data, DmaDirection::CMX_TO_DDR, b, 300 + b / 10.0);
  const DmaModel m(fit_dma_model(data, "gap"));
  // Between 4 KiB and 256 KiB nothing was recorded; the curve is the straight
  // line the two sides agree on, not minimum-norm zeros.
  for (double b : {8192.0, 65536.0, 200000.0}) {
    EXPECT_NEAR(m.predict_bytes(DmaDirection::CMX_TO_DDR, b), 300 + b / 10, 1e-6 * b) << b;
  }
  const auto& knots = m.parts().curves[1].knot_bytes;
  EXPECT_LT(knots.size(), 40u) << "the knots inside the gap were dropped";
}

TEST(DmaFit, BundledSamplesFitToWellUnderAPercent) {
  for (const char* device : {"vpu_2_7", "vpu_4_0", "npu_5_0"}) {
    const DmaRecordings train = read_dma_csv(kDmaSamples / (std::string(device) + "_train.csv"));
    const DmaRecordings test = read_dma_csv(kDmaSamples / (std::string(device) + "_test.csv"));
    ASSERT_EQ(train.size(), 2000u);
    const DmaModelParts parts = fit_dma_model(train, device);
    const DmaModel m(parts);
    const Scores s = score(m, test);
    // 2,000 rows are a tenth of the full file (0.14-0.18 % there).
    EXPECT_LT(s.mape, 0.01) << device;
    EXPECT_GE(s.within_10, 0.99) << device;
    // Deterministic: the same data gives the same curves.
    EXPECT_EQ(fit_dma_model(train, device).curves, parts.curves) << device;
  }
}

TEST(DmaFit, BadDataIsRefusedWithOneLine) {
  DmaRecordings none;
  EXPECT_THROW(fit_dma_model(none, "empty"), Error);
  DmaRecordings one_size;
  for (int i = 0; i < 5; ++i) add(one_size, DmaDirection::DDR_TO_CMX, 4096, 500 + i);
  try {
    fit_dma_model(one_size, "one.csv");
    FAIL() << "a single size was fitted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("every DDR_TO_CMX transfer moves 4096 bytes"),
              std::string::npos)
        << e.what();
  }
  DmaRecordings mixed;
  add(mixed, DmaDirection::DDR_TO_CMX, 4096, 500);
  add(mixed, DmaDirection::DDR_TO_CMX, 8192, 700);
  mixed.items.back().device = Device::VPU_4_0;
  try {
    fit_dma_model(mixed, "mixed.csv");
    FAIL() << "two devices were fitted as one";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("mixes devices (VPU_2_7 and VPU_4_0)"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace vpucost
