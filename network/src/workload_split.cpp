#include "vpucost/workload_split.hpp"

#include <algorithm>
#include <optional>

#include "tensor_chunks.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using detail::channel_chunk;
using detail::column_chunk;
using detail::near_equal_chunks;
using detail::row_chunk;
using std::to_string;

// The workload with padded channels, operation as given except what the
// hardware changes (a small-input CONVOLUTION that runs as CM_CONVOLUTION).
Workload padded_form(const Workload& w) {
  Workload e = as_executed(w);
  if (w.operation == Operation::AVEPOOL) e.operation = Operation::AVEPOOL;
  return e;
}

// Channel chunks of a depthwise/pool layer on a generation that limits them:
// as many of the largest allowed size as fit, the rest greedily (144 ->
// 64, 64, 16).
std::vector<std::int64_t> fixed_channel_chunks(std::int64_t channels, Device device) {
  auto allowed = std::vector<int>(device_spec(device).dw_pool_channels.begin(),
                                  device_spec(device).dw_pool_channels.end());
  std::sort(allowed.rbegin(), allowed.rend());
  std::vector<std::int64_t> chunks;
  std::int64_t rest = channels;
  for (const int size : allowed) {
    while (rest >= size) {
      chunks.push_back(size);
      rest -= size;
    }
  }
  return chunks;  // channels are multiples of 16 and 16 is allowed: rest == 0
}

// n near-equal chunks of `total` groups of `unit`, larger chunks first.
// The grid of channel x row x column chunks, or nothing if one piece does not fit.
std::optional<SplitOption> try_grid(const Workload& w, const std::vector<std::int64_t>& channels,
                                    std::int64_t row_chunks, std::int64_t column_chunks = 1) {
  SplitOption option;
  option.channel_chunks = static_cast<int>(channels.size());
  option.row_chunks = static_cast<int>(row_chunks);
  option.column_chunks = static_cast<int>(column_chunks);
  const auto rows = near_equal_chunks(w.output.height, row_chunks, 1);
  const auto cols = near_equal_chunks(w.output.width, column_chunks, 1);
  for (const std::int64_t c : channels) {
    const Workload by_channel = channel_chunk(w, c);
    std::int64_t first_row = 0;
    for (const std::int64_t r : rows) {
      const Workload by_row = row_chunks == 1 ? by_channel : row_chunk(by_channel, first_row, r);
      std::int64_t first_col = 0;
      for (const std::int64_t k : cols) {
        Workload piece = column_chunks == 1 ? by_row : column_chunk(by_row, first_col, k);
        if (!fits_in_cmx(piece)) return std::nullopt;
        option.workloads.push_back(piece);
        first_col += k;
      }
      first_row += r;
    }
  }
  return option;
}

[[noreturn]] void cannot_split(const Workload& w) {
  throw Error(describe(w) + " does not fit in the " +
              to_string(device_spec(w.device).cmx_bytes / 1024) + " KB CMX of " +
              std::string(to_string(w.device)) + " even when split into " +
              to_string(kMaxSplitWorkloads) + " workloads");
}

}  // namespace

std::string SplitOption::label() const {
  if (channel_chunks == 1 && row_chunks == 1 && column_chunks == 1) return "none";
  std::string s;
  const auto add = [&](int n, const char* axis) {
    if (n > 1) s += (s.empty() ? "" : "+") + to_string(n) + "x" + axis;
  };
  add(channel_chunks, "K");
  add(row_chunks, "H");
  add(column_chunks, "W");
  return s;
}

std::vector<SplitOption> minimal_split_options(const Workload& raw) {
  validate(raw);
  const Workload w = padded_form(raw);
  const std::int64_t max_rows = std::min<std::int64_t>(w.output.height, kMaxSplitWorkloads);
  const std::int64_t max_cols = std::min<std::int64_t>(w.output.width, kMaxSplitWorkloads);
  const bool fixed_channels =
      is_depthwise_family(w.operation) && !device_spec(w.device).dw_pool_channels.empty();
  // Rule 1 fixes the channel chunks; rule 2 lets them vary.
  const auto channel_chunks = [&](std::int64_t n) -> std::optional<std::vector<std::int64_t>> {
    if (fixed_channels) {
      auto chunks = fixed_channel_chunks(w.output.channels, w.device);
      if (static_cast<std::int64_t>(chunks.size()) != n) return std::nullopt;
      return chunks;
    }
    if (n > w.output.channels / 16) return std::nullopt;
    return near_equal_chunks(w.output.channels, n, 16);
  };

  // The smallest piece any grid can make (16 or the smallest fixed channel
  // chunk, one output pixel): when even that does not fit, no split will.
  Workload smallest = channel_chunk(
      w, fixed_channels ? fixed_channel_chunks(w.output.channels, w.device).back() : 16);
  smallest = column_chunk(row_chunk(smallest, 0, 1), 0, 1);
  if (!fits_in_cmx(smallest)) cannot_split(w);

  // Rules 2-4: the smallest channel x row grids that fit.
  for (std::int64_t n = 1; n <= kMaxSplitWorkloads; ++n) {
    std::vector<SplitOption> options;
    for (std::int64_t rows = 1; rows <= std::min(n, max_rows); ++rows) {
      if (n % rows != 0) continue;
      const auto channels = channel_chunks(n / rows);
      if (!channels) continue;
      if (auto option = try_grid(w, *channels, rows)) options.push_back(std::move(*option));
    }
    if (!options.empty()) return options;
  }
  // Rule 5, beyond the teacher rule: when no such grid fits (a very wide map
  // with many input channels), cut columns too.
  for (std::int64_t n = 2; n <= kMaxSplitWorkloads; ++n) {
    std::vector<SplitOption> options;
    for (std::int64_t rows = 1; rows <= std::min(n, max_rows); ++rows) {
      if (n % rows != 0) continue;
      for (std::int64_t cols = 2; cols <= std::min(n / rows, max_cols); ++cols) {
        if ((n / rows) % cols != 0) continue;
        const auto channels = channel_chunks(n / rows / cols);
        if (!channels) continue;
        if (auto option = try_grid(w, *channels, rows, cols)) options.push_back(std::move(*option));
      }
    }
    if (!options.empty()) return options;
  }
  cannot_split(w);
}

}  // namespace vpucost
