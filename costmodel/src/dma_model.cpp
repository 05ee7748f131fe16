#include "vpucost/dma_model.hpp"

#include <algorithm>
#include <cmath>

#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using std::to_string;

// Far above the 8 knots per octave x 30 octaves a 1 GiB range needs.
constexpr std::size_t kMaxKnots = 4096;

void check_curve(const DmaCurve& c, DmaDirection d) {
  const std::string where = "DMA model, " + std::string(to_string(d)) + " curve: ";
  if (c.knot_bytes.size() != c.knot_cycles.size()) {
    throw Error(where + to_string(c.knot_bytes.size()) + " knots but " +
                to_string(c.knot_cycles.size()) + " cycle values");
  }
  if (c.knot_bytes.size() < 2 || c.knot_bytes.size() > kMaxKnots) {
    throw Error(where + to_string(c.knot_bytes.size()) + " knots, outside 2.." +
                to_string(kMaxKnots));
  }
  for (std::size_t i = 0; i < c.knot_bytes.size(); ++i) {
    const double b = c.knot_bytes[i];
    if (!(b >= 1 && b <= double(kMaxTransferBytes))) {
      throw Error(where + "knot " + to_string(i) + " at " + to_string(b) + " bytes is outside 1.." +
                  to_string(kMaxTransferBytes));
    }
    if (i > 0 && !(b > c.knot_bytes[i - 1])) {
      throw Error(where + "knot " + to_string(i) + " (" + to_string(b) +
                  " bytes) does not follow knot " + to_string(i - 1) + " (" +
                  to_string(c.knot_bytes[i - 1]) + " bytes)");
    }
    if (!std::isfinite(c.knot_cycles[i])) {
      throw Error(where + "knot " + to_string(i) + " has non-finite cycles");
    }
  }
}

}  // namespace

double evaluate_dma_curve(const DmaCurve& c, double bytes) noexcept {
  const auto& b = c.knot_bytes;
  const auto& y = c.knot_cycles;
  if (bytes <= b.front()) return y.front();
  if (bytes >= b.back()) return y.back() * (bytes / b.back());
  // The first knot above `bytes`; a binary search over at most a few hundred knots.
  const std::size_t hi =
      static_cast<std::size_t>(std::upper_bound(b.begin(), b.end(), bytes) - b.begin());
  const std::size_t lo = hi - 1;
  const double t = (bytes - b[lo]) / (b[hi] - b[lo]);
  return y[lo] + t * (y[hi] - y[lo]);
}

DmaModelParts roofline_dma_parts(Device device) {
  const DeviceSpec& spec = device_spec(device);
  const double cycles_per_byte = spec.dpu_clock_mhz / spec.dma_mbps;
  DmaModelParts p;
  p.device = device;
  p.method = DmaMethod::roofline;
  const double top = double(kMaxTransferBytes);
  for (auto& c : p.curves) {
    c.knot_bytes = {1.0, top};
    c.knot_cycles = {cycles_per_byte, top * cycles_per_byte};
  }
  p.training.notes["model"] = "roofline: bytes x DPU clock / DDR bandwidth (" +
                              to_string(static_cast<long long>(spec.dma_mbps)) + " MB/s)";
  return p;
}

DmaModel::DmaModel(DmaModelParts parts) : parts_(std::move(parts)) {
  if (!is_valid_enum_value<Device>(static_cast<int>(parts_.device))) {
    throw Error("DMA model: invalid device value " + to_string(static_cast<int>(parts_.device)));
  }
  if (parts_.curve_version != kDmaCurveVersion) {
    throw Error("DMA model: curve version " + to_string(parts_.curve_version) +
                " is not supported (this build reads version " + to_string(kDmaCurveVersion) + ")");
  }
  if (!is_valid_enum_value<DmaMethod>(static_cast<int>(parts_.method))) {
    throw Error("DMA model: invalid method value " + to_string(static_cast<int>(parts_.method)));
  }
  bool any = false;
  for (std::size_t d = 0; d < parts_.curves.size(); ++d) {
    if (parts_.curves[d].empty() && parts_.curves[d].knot_cycles.empty()) continue;
    check_curve(parts_.curves[d], static_cast<DmaDirection>(d));
    any = true;
  }
  if (!any) throw Error("DMA model: no direction has a curve");
}

std::optional<std::string> DmaModel::find_unanswerable(const DmaTransfer& t) const {
  if (t.device != parts_.device) {
    return "the DMA model is for " + std::string(to_string(parts_.device)) + ", not " +
           std::string(to_string(t.device));
  }
  if (parts_.curves[static_cast<std::size_t>(t.direction)].empty()) {
    return "the DMA model has no " + std::string(to_string(t.direction)) +
           " curve (its training data had no such transfer)";
  }
  return std::nullopt;
}

double DmaModel::predict_bytes(DmaDirection direction, double bytes) const {
  if (observer_) (*observer_)(direction, bytes);
  const DmaCurve& c = parts_.curves[static_cast<std::size_t>(direction)];
  if (c.empty()) {
    throw Error("the DMA model has no " + std::string(to_string(direction)) + " curve");
  }
  return std::clamp(evaluate_dma_curve(c, bytes), kMinCycles, kMaxCycles);
}

double DmaModel::predict_cycles(const DmaTransfer& t) const {
  validate(t);
  if (auto why = find_unanswerable(t)) throw Error(*why);
  return predict_bytes(t.direction, double(transfer_bytes(t)));
}

void DmaModel::predict_cycles(std::span<const DmaTransfer> transfers, std::span<double> out) const {
  if (out.size() != transfers.size()) {
    throw Error("DMA predict_cycles: " + to_string(transfers.size()) + " transfers but room for " +
                to_string(out.size()) + " results");
  }
  for (std::size_t i = 0; i < transfers.size(); ++i) {
    const DmaTransfer& t = transfers[i];
    auto problem = find_problem(t);
    if (!problem) problem = find_unanswerable(t);
    if (problem) throw Error("transfer " + to_string(i) + ": " + *problem);
    out[i] = predict_bytes(t.direction, double(transfer_bytes(t)));
  }
}

}  // namespace vpucost
