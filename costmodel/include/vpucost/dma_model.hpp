#pragma once
// The DMA cost model: for each direction, cycles as a piecewise-linear curve
// of the bytes moved, through knots spaced evenly in log2(bytes).
//
// Why a curve of bytes alone: VPUNN converts every tensor transfer into one
// plane of `bytes` bytes before its DMA network sees it
// (DMAWorkloadTransformer), so its cycles are a function of device, direction
// and bytes only -- in the v2 teacher data no two rows with the same bytes
// and direction differ. A curve with 8 knots per octave fits that function to
// 0.14-0.18 % MAPE where an MLP of log2(bytes) reached 0.9-2.6 % (models/README.md,
// "DMA models"). The roofline form (roofline_dma_parts) is the same curve
// with two knots: cycles = bytes / DDR bytes per cycle.
//
// Outside the knots: below the first knot the first knot's cycles (the teacher
// is flat there); above the last, cycles grow in proportion to bytes at the
// last knot's rate (a transfer twice as large takes twice as long once the
// latency is negligible). Predictions are clamped to [kMinCycles, kMaxCycles].
// Immutable once built, so one model is safe to share between threads.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vpucost/cost_model.hpp"
#include "vpucost/dma_transfer.hpp"

namespace vpucost {

/// Version of the curve definition above; a model file records it.
inline constexpr int kDmaCurveVersion = 1;

/// Knots per octave of bytes the trainer places (fit_dma_model).
inline constexpr int kDmaKnotsPerOctave = 8;

/// Cycles of one direction at increasing byte counts.
struct DmaCurve {
  std::vector<double> knot_bytes;   ///< strictly increasing, in 1..kMaxTransferBytes
  std::vector<double> knot_cycles;  ///< DPU cycles at each knot, finite
  std::uint64_t rows = 0;           ///< training rows (0 for a roofline curve)
  double train_mape = 0;            ///< on those rows
  bool empty() const { return knot_bytes.empty(); }
  bool operator==(const DmaCurve&) const = default;
};

/// Everything a DMA model file holds.
struct DmaModelParts {
  Device device = Device::VPU_2_7;
  int curve_version = kDmaCurveVersion;
  DmaMethod method = DmaMethod::fitted;
  /// Indexed by DmaDirection; an empty curve = a direction the model lacks.
  std::array<DmaCurve, enum_count<DmaDirection>()> curves;
  TrainingMetadata training;
};

/// The roofline DMA model of `device`: bytes / (DDR bandwidth / DPU clock)
/// both ways, with no latency term (device.hpp, dma_mbps). It is VPUNN's
/// theoretical DMA for VPU_2_0 within one cycle (VPUNN rounds up), which is
/// what VPUNN uses there: 2.0 has no DMA network.
DmaModelParts roofline_dma_parts(Device device);

class DmaModel {
 public:
  /// Checks the parts (version, at least one curve, knots increasing and in
  /// range, finite cycles) and throws vpucost::Error naming what is wrong.
  explicit DmaModel(DmaModelParts parts);

  Device device() const { return parts_.device; }
  const DmaModelParts& parts() const { return parts_; }

  /// Why this model cannot answer for a valid transfer (another device, or a
  /// direction it has no curve for), or std::nullopt.
  std::optional<std::string> find_unanswerable(const DmaTransfer& t) const;

  /// DPU cycles of one transfer. Validates it and throws vpucost::Error when
  /// it is invalid or unanswerable.
  double predict_cycles(const DmaTransfer& t) const;
  /// Many transfers; out.size() must equal transfers.size(). Throws on the
  /// first invalid or unanswerable one, naming its index. No allocation.
  void predict_cycles(std::span<const DmaTransfer> transfers, std::span<double> out) const;
  /// Cycles for `bytes` moved in `direction` (the flat form, no shape).
  double predict_bytes(DmaDirection direction, double bytes) const;

  /// Told every (direction, bytes) this model -- or a copy of it -- is asked
  /// (every prediction goes through predict_bytes): what a costing needs
  /// profiled (`lut` / `net --emit-dma`). Set it before sharing the model;
  /// it is called from any thread that predicts, so it must be thread-safe.
  using QueryObserver = std::function<void(DmaDirection, double bytes)>;
  void observe(std::shared_ptr<const QueryObserver> observer) { observer_ = std::move(observer); }

 private:
  DmaModelParts parts_;
  std::shared_ptr<const QueryObserver> observer_;
};

/// Cycles of `curve` at `bytes` (the interpolation described above), unclamped.
double evaluate_dma_curve(const DmaCurve& curve, double bytes) noexcept;

}  // namespace vpucost
