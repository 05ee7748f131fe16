#include "vpucost/workload.hpp"

#include <algorithm>
#include <charconv>

#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using std::to_string;

// Shortest decimal that reads back as the same value: "0.5", not "0.500000".
std::string rate(double value) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

std::optional<std::string> check_positive(const char* what, std::int64_t value) {
  if (value < 1) return std::string(what) + " must be positive (got " + to_string(value) + ")";
  if (value > kMaxDimension) {
    return std::string(what) + " " + to_string(value) + " exceeds the supported maximum of " +
           to_string(kMaxDimension);
  }
  return std::nullopt;
}

std::optional<std::string> check_enums(const Workload& w) {
  const auto bad = [](std::string_view kind, auto value) {
    return "invalid " + std::string(kind) + " value " + to_string(static_cast<int>(value));
  };
  if (!is_valid_enum_value<Device>(static_cast<int>(w.device))) return bad("device", w.device);
  if (!is_valid_enum_value<Operation>(static_cast<int>(w.operation))) {
    return bad("operation", w.operation);
  }
  if (!is_valid_enum_value<DType>(static_cast<int>(w.input.dtype))) {
    return bad("input dtype", w.input.dtype);
  }
  if (!is_valid_enum_value<DType>(static_cast<int>(w.output.dtype))) {
    return bad("output dtype", w.output.dtype);
  }
  if (!is_valid_enum_value<ExecutionMode>(static_cast<int>(w.mode))) {
    return bad("execution mode", w.mode);
  }
  if (!is_valid_enum_value<ActivationFunction>(static_cast<int>(w.activation))) {
    return bad("activation function", w.activation);
  }
  if (!is_valid_enum_value<IsiStrategy>(static_cast<int>(w.isi_strategy))) {
    return bad("ISI strategy", w.isi_strategy);
  }
  return std::nullopt;
}

template <class E>
std::string accepted(std::span<const E> values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += (i + 1 == values.size()) ? " or " : ", ";
    out += to_string(values[i]);
  }
  return out;
}

std::optional<std::string> check_sizes(const Workload& w) {
  struct Field {
    const char* name;
    std::int64_t value;
  };
  const Field fields[] = {
      {"input width", w.input.width},       {"input height", w.input.height},
      {"input channels", w.input.channels}, {"output width", w.output.width},
      {"output height", w.output.height},   {"output channels", w.output.channels},
      {"kernel width", w.kernel_w},         {"kernel height", w.kernel_h},
      {"stride width", w.stride_w},         {"stride height", w.stride_h},
  };
  // Padding is checked against the kernel side it extends.
  struct Pad {
    const char* name;
    std::int64_t value;
    const char* kernel_side;
    std::int64_t kernel;
  };
  const Pad pads[] = {{"pad_top", w.padding.top, "height", w.kernel_h},
                      {"pad_bottom", w.padding.bottom, "height", w.kernel_h},
                      {"pad_left", w.padding.left, "width", w.kernel_w},
                      {"pad_right", w.padding.right, "width", w.kernel_w}};
  // Most workloads pass: one test of every size and padding without
  // building a message, the loops below only to name what is wrong.
  const bool sizes_ok = std::all_of(std::begin(fields), std::end(fields), [](const Field& f) {
    return f.value >= 1 && f.value <= kMaxDimension;
  });
  const bool pads_ok = std::all_of(std::begin(pads), std::end(pads),
                                   [](const Pad& p) { return p.value >= 0 && p.value < p.kernel; });
  if (sizes_ok && pads_ok) return std::nullopt;
  for (const auto& f : fields) {
    if (auto problem = check_positive(f.name, f.value)) return problem;
  }
  for (const auto& p : pads) {
    if (p.value < 0) {
      return std::string(p.name) + " must not be negative (got " + to_string(p.value) + ")";
    }
    if (p.value >= p.kernel) {
      return std::string(p.name) + " " + to_string(p.value) + " must be smaller than the kernel " +
             p.kernel_side + " " + to_string(p.kernel);
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_output_size(const char* axis, std::int64_t in, std::int64_t pad_a,
                                             std::int64_t pad_b, std::int64_t kernel,
                                             std::int64_t stride, std::int64_t out) {
  if (in + pad_a + pad_b < kernel) {
    return std::string("kernel ") + axis + " " + to_string(kernel) +
           " is larger than the padded input " + axis + " " + to_string(in + pad_a + pad_b);
  }
  const std::int64_t expected = expected_output_size(in, pad_a, pad_b, kernel, stride);
  if (out != expected) {
    return std::string("output ") + axis + " " + to_string(out) + " does not follow from input " +
           axis + " " + to_string(in) + ", kernel " + to_string(kernel) + ", stride " +
           to_string(stride) + " and padding " + to_string(pad_a) + "+" + to_string(pad_b) +
           " (expected " + to_string(expected) + ")";
  }
  return std::nullopt;
}

std::optional<std::string> check_operation(const Workload& w) {
  if (is_channelwise(w.operation) && w.input.channels != w.output.channels) {
    return std::string(to_string(w.operation)) + " needs equal input and output channels (got " +
           to_string(w.input.channels) + " and " + to_string(w.output.channels) + ")";
  }
  if (w.operation == Operation::ELTWISE) {
    if (w.kernel_w != 1 || w.kernel_h != 1) {
      return "ELTWISE needs a 1x1 kernel (got " + to_string(w.kernel_w) + "x" +
             to_string(w.kernel_h) + ")";
    }
    if (w.stride_w != 1 || w.stride_h != 1) {
      return "ELTWISE needs stride 1x1 (got " + to_string(w.stride_w) + "x" +
             to_string(w.stride_h) + ")";
    }
  }
  const auto& spec = device_spec(w.device);
  if (w.operation == Operation::CM_CONVOLUTION && w.input.channels > spec.max_cm_input_channels) {
    return "CM_CONVOLUTION on " + std::string(to_string(w.device)) + " takes 1.." +
           to_string(spec.max_cm_input_channels) + " input channels (got " +
           to_string(w.input.channels) + "); use CONVOLUTION";
  }
  if (!device_has_mode(w.device, w.mode)) {
    std::string modes;
    for (auto m : spec.modes) modes += (modes.empty() ? "" : ", ") + std::string(to_string(m));
    return "execution mode " + std::string(to_string(w.mode)) + " does not exist on " +
           std::string(to_string(w.device)) + " (it has " + modes + ")";
  }
  if (!operation_has_mode(w.device, w.operation, w.mode)) {
    return "execution mode " + std::string(to_string(w.mode)) + " is not accepted for " +
           std::string(to_string(w.operation)) + " on " + std::string(to_string(w.device)) +
           " (it takes " + accepted(spec.operation_modes[static_cast<std::size_t>(w.operation)]) +
           ")";
  }
  for (const auto& [side, dtype] :
       {std::pair{"input", w.input.dtype}, {"output", w.output.dtype}}) {
    if (!device_has_dtype(w.device, dtype)) {
      return std::string(side) + " dtype " + std::string(to_string(dtype)) + " does not exist on " +
             std::string(to_string(w.device)) + " (it has " + accepted(spec.dtypes) + ")";
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_sparsity(const char* name, double value, const Workload& w) {
  if (!(value >= 0.0 && value < 1.0)) {  // also NaN
    return std::string(name) + " " + rate(value) + " is outside [0, 1) (a rate; 0 = dense)";
  }
  if (value > 0.0 && !takes_sparsity(w.operation, w.input.channels)) {
    const std::string why = w.operation == Operation::CONVOLUTION
                                ? "a CONVOLUTION with " + to_string(w.input.channels) +
                                      " input channels (sparsity needs at least 16)"
                                : std::string(to_string(w.operation));
    return std::string(name) + " " + rate(value) + " is not accepted on " + why +
           ": only CONVOLUTION with at least 16 input channels and ELTWISE take sparsity";
  }
  return std::nullopt;
}

// The fields the compiler sets, with the combinations VPUNN refuses.
std::optional<std::string> check_compiler_fields(const Workload& w) {
  if (has_default_compiler_fields(w)) return std::nullopt;  // valid on every device
  if (auto p = check_sparsity("input_sparsity", w.input_sparsity, w)) return p;
  if (auto p = check_sparsity("weight_sparsity", w.weight_sparsity, w)) return p;
  const auto& spec = device_spec(w.device);
  const std::string device(to_string(w.device));
  if (w.output_write_tiles < 1 || w.output_write_tiles > spec.tiles) {
    return "output_write_tiles " + to_string(w.output_write_tiles) + " is outside 1.." +
           to_string(spec.tiles) + " (" + device + " has " + to_string(spec.tiles) +
           (spec.tiles == 1 ? " tile)" : " tiles)");
  }
  if (!device_has_isi_strategy(w.device, w.isi_strategy)) {
    return "isi_strategy " + std::string(to_string(w.isi_strategy)) + " is not accepted on " +
           device + " (it takes " + accepted(spec.isi_strategies) + ")";
  }
  if (w.isi_strategy == IsiStrategy::SPLIT_OVER_K && w.output_write_tiles < 2) {
    return "isi_strategy SPLIT_OVER_K needs output_write_tiles > 1 (got " +
           to_string(w.output_write_tiles) + "): a layer split over K writes to every tile";
  }
  return std::nullopt;
}

// Multiplies while the product stays below 2^62, so that sums of a few such
// counts still fit into 64 bits.
bool checked_product(std::initializer_list<std::int64_t> factors) {
  constexpr std::int64_t kLimit = std::int64_t{1} << 62;
  std::int64_t product = 1;
  for (auto f : factors) {
    if (__builtin_mul_overflow(product, f, &product) || product >= kLimit) return false;
  }
  return true;
}

std::optional<std::string> check_overflow(const Workload& w) {
  const auto& o = w.output;
  const auto& i = w.input;
  const std::int64_t reduce = is_channelwise(w.operation) ? 1 : padded_channels(i.channels);
  // The sizes are at most 2^20 (check_sizes), so each factor and the double
  // products below are exact to 7 parts in 2^53: far under 2^62 they cannot
  // overflow, and only products near it take the exact checks.
  const double macs = double(o.width) * double(o.height) * double(padded_channels(o.channels)) *
                      double(w.kernel_w) * double(w.kernel_h) * double(reduce) * 2.0;
  const double bytes =
      double(i.width) * double(i.height) * double(padded_channels(i.channels)) * 4.0;
  if (macs < 0x1p61 && bytes < 0x1p61) return std::nullopt;
  if (!checked_product(
          {o.width, o.height, padded_channels(o.channels), w.kernel_w, w.kernel_h, reduce, 2})) {
    return "MAC count of " + to_string(o.width) + "x" + to_string(o.height) + "x" +
           to_string(o.channels) + " output with a " + to_string(w.kernel_w) + "x" +
           to_string(w.kernel_h) + " kernel over " + to_string(i.channels) +
           " input channels overflows 64 bits";
  }
  if (!checked_product({i.width, i.height, padded_channels(i.channels), 2 * 2})) {
    return "input tensor " + to_string(i.width) + "x" + to_string(i.height) + "x" +
           to_string(i.channels) + " is too large: its byte count overflows 64 bits";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> find_problem(const Workload& w) {
  if (auto p = check_enums(w)) return p;
  if (auto p = check_sizes(w)) return p;
  if (auto p = check_output_size("width", w.input.width, w.padding.left, w.padding.right,
                                 w.kernel_w, w.stride_w, w.output.width)) {
    return p;
  }
  if (auto p = check_output_size("height", w.input.height, w.padding.top, w.padding.bottom,
                                 w.kernel_h, w.stride_h, w.output.height)) {
    return p;
  }
  if (auto p = check_operation(w)) return p;
  if (auto p = check_compiler_fields(w)) return p;
  return check_overflow(w);
}

void validate(const Workload& w) {
  if (auto problem = find_problem(w)) throw Error(*problem);
}

Operation executed_operation(const Workload& w) {
  if (w.operation == Operation::AVEPOOL) return Operation::DW_CONVOLUTION;
  if (w.operation == Operation::CONVOLUTION && w.input.channels < 16) {
    const auto& spec = device_spec(w.device);
    if (spec.small_conv_runs_as_cm && w.input.channels <= spec.max_cm_input_channels) {
      return Operation::CM_CONVOLUTION;
    }
  }
  return w.operation;
}

Workload as_executed(const Workload& w) {
  Workload e = w;
  e.operation = executed_operation(w);
  if (e.operation != Operation::CM_CONVOLUTION)
    e.input.channels = padded_channels(e.input.channels);
  e.output.channels = padded_channels(e.output.channels);
  return e;
}

std::optional<SparsityVariants> dual_sparsity_variants(const Workload& w) {
  if (!(w.input_sparsity > 0.0 && w.weight_sparsity > 0.0)) return std::nullopt;
  SparsityVariants v{w, w};
  v.input_only.weight_sparsity = 0.0;
  v.weight_only.input_sparsity = 0.0;
  return v;
}

WorkloadCounts count_work(const Workload& w) {
  const auto& i = w.input;
  const auto& o = w.output;
  const auto bytes = bytes_per_element;
  const double out_elems = double(o.width) * double(o.height) * double(o.channels);
  const double in_elems = double(i.width) * double(i.height) * double(i.channels);
  const double kernel_area = double(w.kernel_w) * double(w.kernel_h);
  WorkloadCounts c{};
  c.output_bytes = out_elems * bytes(o.dtype);
  c.input_bytes = in_elems * bytes(i.dtype);
  switch (w.operation) {
    case Operation::CONVOLUTION:
    case Operation::CM_CONVOLUTION:
      c.macs = out_elems * kernel_area * double(i.channels);
      c.weight_bytes = double(o.channels) * double(i.channels) * kernel_area * bytes(i.dtype);
      break;
    case Operation::DW_CONVOLUTION:
      c.macs = out_elems * kernel_area;
      c.weight_bytes = double(o.channels) * kernel_area * bytes(i.dtype);
      break;
    case Operation::MAXPOOL:
    case Operation::AVEPOOL:
      c.macs = out_elems * kernel_area;
      c.weight_bytes = 0.0;
      break;
    case Operation::ELTWISE:
      c.macs = out_elems;
      c.input_bytes *= 2.0;
      c.weight_bytes = 0.0;
      break;
  }
  return c;
}

namespace {

std::string describe_compiler_fields(const Workload& w) {
  std::string out;
  if (w.activation != ActivationFunction::NONE) out += " " + std::string(to_string(w.activation));
  if (w.input_sparsity != 0.0) out += " isp" + rate(w.input_sparsity);
  if (w.weight_sparsity != 0.0) out += " wsp" + rate(w.weight_sparsity);
  if (w.output_write_tiles != 1) out += " owt" + to_string(w.output_write_tiles);
  if (w.isi_strategy != IsiStrategy::CLUSTERING)
    out += " " + std::string(to_string(w.isi_strategy));
  return out;
}

}  // namespace

std::string describe(const Workload& w) {
  const auto shape = [](const Tensor& t) {
    return to_string(t.width) + "x" + to_string(t.height) + "x" + to_string(t.channels);
  };
  return std::string(to_string(w.device)) + " " + std::string(to_string(w.operation)) + " " +
         shape(w.input) + " -> " + shape(w.output) + " k" + to_string(w.kernel_w) + "x" +
         to_string(w.kernel_h) + " s" + to_string(w.stride_w) + "x" + to_string(w.stride_h) + " p" +
         to_string(w.padding.top) + "," + to_string(w.padding.bottom) + "," +
         to_string(w.padding.left) + "," + to_string(w.padding.right) + " " +
         std::string(to_string(w.input.dtype)) + "->" + std::string(to_string(w.output.dtype)) +
         " " + std::string(to_string(w.mode)) + describe_compiler_fields(w);
}

}  // namespace vpucost
