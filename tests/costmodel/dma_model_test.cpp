// The DMA model (issue #15): curve evaluation inside and outside its knots,
// validation of the parts, answerability, the batched API, the model file,
// and the roofline curve against VPUNN's theoretical DMA on VPU_2_0 layers.
#include "vpucost/dma_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "../support/test_workloads.hpp"
#include "vpucost/device.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

// A curve through (1 KiB, 500), (2 KiB, 600), (4 KiB, 700) DDR_TO_CMX only.
DmaModelParts three_knots() {
  DmaModelParts p;
  p.device = Device::VPU_4_0;
  p.curves[0] = DmaCurve{{1024, 2048, 4096}, {500, 600, 700}, 10, 0.01};
  return p;
}

DmaTransfer bytes_in(DmaDirection d, std::int64_t bytes, Device device = Device::VPU_4_0) {
  return flat_transfer(device, d, bytes);
}

TEST(DmaModel, InterpolatesBetweenKnotsLinearlyInBytes) {
  const DmaModel m(three_knots());
  EXPECT_DOUBLE_EQ(m.predict_cycles(bytes_in(DmaDirection::DDR_TO_CMX, 1024)), 500);
  EXPECT_DOUBLE_EQ(m.predict_cycles(bytes_in(DmaDirection::DDR_TO_CMX, 1536)), 550);
  EXPECT_DOUBLE_EQ(m.predict_cycles(bytes_in(DmaDirection::DDR_TO_CMX, 3072)), 650);
  EXPECT_DOUBLE_EQ(m.predict_cycles(bytes_in(DmaDirection::DDR_TO_CMX, 4096)), 700);
}

TEST(DmaModel, FlatBelowTheFirstKnotProportionalAboveTheLast) {
  const DmaModel m(three_knots());
  EXPECT_DOUBLE_EQ(m.predict_cycles(bytes_in(DmaDirection::DDR_TO_CMX, 1)), 500);
  EXPECT_DOUBLE_EQ(m.predict_cycles(bytes_in(DmaDirection::DDR_TO_CMX, 512)), 500);
  EXPECT_DOUBLE_EQ(m.predict_cycles(bytes_in(DmaDirection::DDR_TO_CMX, 8192)), 1400);
  // Far above: grows with the bytes, never decreases.
  double previous = 0;
  for (std::int64_t b = 4096; b <= kMaxTransferBytes; b *= 4) {
    const double c = m.predict_cycles(bytes_in(DmaDirection::DDR_TO_CMX, b));
    EXPECT_GE(c, previous);
    previous = c;
  }
}

TEST(DmaModel, TheShapeCountsThroughItsBytesOnly) {
  const DmaModel m(three_knots());
  const DmaTransfer fp16{Device::VPU_4_0, DmaDirection::DDR_TO_CMX, {8, 8, 24, DType::FLOAT16}};
  const DmaTransfer u8{Device::VPU_4_0, DmaDirection::DDR_TO_CMX, {3, 1, 1024, DType::UINT8}};
  EXPECT_EQ(transfer_bytes(fp16), 3072);
  EXPECT_DOUBLE_EQ(m.predict_cycles(fp16), m.predict_cycles(u8));
}

TEST(DmaModel, RefusesWhatItCannotAnswer) {
  const DmaModel m(three_knots());
  const auto other_device = bytes_in(DmaDirection::DDR_TO_CMX, 2048, Device::VPU_2_7);
  ASSERT_TRUE(m.find_unanswerable(other_device));
  EXPECT_NE(m.find_unanswerable(other_device)->find("for VPU_4_0, not VPU_2_7"), std::string::npos);
  const auto missing = bytes_in(DmaDirection::CMX_TO_DDR, 2048);
  ASSERT_TRUE(m.find_unanswerable(missing));
  EXPECT_NE(m.find_unanswerable(missing)->find("no CMX_TO_DDR curve"), std::string::npos);
  EXPECT_THROW(m.predict_cycles(missing), Error);
  DmaTransfer bad = bytes_in(DmaDirection::DDR_TO_CMX, 2048);
  bad.tensor.width = 0;
  try {
    m.predict_cycles(bad);
    FAIL() << "an empty tensor was costed";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("width 0"), std::string::npos) << e.what();
  }
}

TEST(DmaModel, BatchedEqualsSingleAndNamesTheBadIndex) {
  const DmaModel m(three_knots());
  std::vector<DmaTransfer> ts;
  for (std::int64_t b : {100, 1500, 2500, 5000, 1 << 20})
    ts.push_back(bytes_in(DmaDirection::DDR_TO_CMX, b));
  std::vector<double> out(ts.size());
  m.predict_cycles(ts, out);
  for (std::size_t i = 0; i < ts.size(); ++i) EXPECT_DOUBLE_EQ(out[i], m.predict_cycles(ts[i]));
  ts[3].direction = DmaDirection::CMX_TO_DDR;
  try {
    m.predict_cycles(ts, out);
    FAIL() << "a transfer without a curve was costed";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("transfer 3:"), std::string::npos) << e.what();
  }
  std::vector<double> short_out(2);
  EXPECT_THROW(m.predict_cycles(ts, short_out), Error);
}

TEST(DmaModel, PartsAreChecked) {
  const auto expect_error = [](DmaModelParts p, const std::string& words) {
    try {
      DmaModel m(std::move(p));
      ADD_FAILURE() << "accepted; expected: " << words;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  DmaModelParts p = three_knots();
  p.curves[0].knot_bytes[2] = 2048;
  expect_error(p, "knot 2 (2048.000000 bytes) does not follow knot 1");
  p = three_knots();
  p.curves[0].knot_cycles.pop_back();
  expect_error(p, "3 knots but 2 cycle values");
  p = three_knots();
  p.curves[0].knot_cycles[1] = std::nan("");
  expect_error(p, "knot 1 has non-finite cycles");
  p = three_knots();
  p.curves[0].knot_bytes[0] = 0;
  expect_error(p, "knot 0 at 0.000000 bytes is outside 1..");
  p = three_knots();
  p.curves[0] = {};
  expect_error(p, "no direction has a curve");
  p = three_knots();
  p.curve_version = 99;
  expect_error(p, "curve version 99 is not supported");
  p = three_knots();
  p.curves[0].knot_bytes = {1024};
  p.curves[0].knot_cycles = {500};
  expect_error(p, "1 knots, outside 2..");
}

TEST(DmaModel, FileRoundTripKeepsEveryValueAndRecordsItsKind) {
  test::TempDir dir;
  const auto path = dir / "dma.h5";
  DmaModelParts p = three_knots();
  p.training.dataset = "dma.csv";
  p.training.rows = 10;
  p.training.metrics["train_mape"] = 0.01;
  save_dma_model(p, path);
  EXPECT_EQ(model_kind(path), WorkloadKind::dma);
  const DmaModel loaded = load_dma_model(path);
  EXPECT_EQ(loaded.device(), Device::VPU_4_0);
  EXPECT_EQ(loaded.parts().method, DmaMethod::fitted);
  EXPECT_EQ(loaded.parts().curves[0], p.curves[0]);
  EXPECT_TRUE(loaded.parts().curves[1].empty());
  EXPECT_EQ(loaded.parts().training.dataset, "dma.csv");
  EXPECT_DOUBLE_EQ(loaded.parts().training.metrics.at("train_mape"), 0.01);
  // Other kinds refuse it with one line naming its kind.
  try {
    load_model(path);
    FAIL() << "a DMA model loaded as a DPU model";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("dma"), std::string::npos) << e.what();
  }
}

TEST(DmaModel, SavingInvalidPartsLeavesThePreviousFile) {
  test::TempDir dir;
  const auto path = dir / "dma.h5";
  save_dma_model(three_knots(), path);
  DmaModelParts bad = three_knots();
  bad.curves[0].knot_cycles[0] = INFINITY;
  EXPECT_THROW(save_dma_model(bad, path), Error);
  EXPECT_DOUBLE_EQ(load_dma_model(path).predict_bytes(DmaDirection::DDR_TO_CMX, 1024), 500);
}

TEST(DmaModel, RooflineIsBytesOverDdrBandwidth) {
  for (const Device d : all_devices()) {
    const DmaModel m(roofline_dma_parts(d));
    const double rate = device_spec(d).dpu_clock_mhz / device_spec(d).dma_mbps;
    for (const DmaDirection dir : {DmaDirection::DDR_TO_CMX, DmaDirection::CMX_TO_DDR}) {
      EXPECT_NEAR(m.predict_cycles(bytes_in(dir, 200704, d)), 200704 * rate, 1e-6);
    }
  }
}

// VPUNN has no DMA network for VPU_2_0; its layer model's DMA terms for the
// input and output tensors are its theoretical DMA, which the roofline curve
// must reproduce within the one cycle VPUNN rounds up (bundled layer sample).
TEST(DmaModel, RooflineMatchesVpunnTheoreticalDmaOfVpu20Layers) {
  std::ifstream in(std::string(VPUCOST_SAMPLES) + "/v2/layers/vpu_2_0_test.csv");
  ASSERT_TRUE(in) << "bundled layer sample missing";
  std::string line;
  std::getline(in, line);
  const auto header = test::split_csv_line(line);
  const auto col = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name;
    return static_cast<std::size_t>(it - header.begin());
  };
  const DmaModel m(roofline_dma_parts(Device::VPU_2_0));
  int rows = 0;
  while (std::getline(in, line)) {
    const auto c = test::split_csv_line(line);
    for (const std::string side : {"input", "output"}) {
      const DmaTransfer t{
          Device::VPU_2_0,
          side == "input" ? DmaDirection::DDR_TO_CMX : DmaDirection::CMX_TO_DDR,
          {std::stoll(c[col(side + "_width")]), std::stoll(c[col(side + "_height")]),
           std::stoll(c[col(side + "_channels")]), parse<DType>(c[col(side + "_dtype")])}};
      const double truth = std::stod(c[col("dma_" + side + "_cycles")]);
      const double predicted = m.predict_cycles(t);
      EXPECT_LE(std::abs(predicted - truth), 1.0) << describe(t);
      EXPECT_LE(predicted, truth) << describe(t);  // VPUNN rounds up
    }
    ++rows;
  }
  EXPECT_EQ(rows, 300);
}

}  // namespace
}  // namespace vpucost
