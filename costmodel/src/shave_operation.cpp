#include "vpucost/shave_operation.hpp"

#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using std::to_string;

// The largest depth_to_space block and interpolate scale accepted: real
// networks use 2 (super-resolution x2) to 4; 8 leaves room without letting
// the output sizes run away.
constexpr int kMaxSpatialFactor = 8;

std::string shape_text(const Tensor& t) {
  return to_string(t.width) + "x" + to_string(t.height) + "x" + to_string(t.channels);
}

std::optional<std::string> check_dimensions(const char* which, const Tensor& t) {
  const std::pair<const char*, std::int64_t> dims[] = {
      {"width", t.width}, {"height", t.height}, {"channels", t.channels}};
  for (const auto& [name, value] : dims) {
    if (value < 1 || value > kMaxDimension) {
      return std::string(which) + " " + name + " " + to_string(value) + " is outside 1.." +
             to_string(kMaxDimension);
    }
  }
  return std::nullopt;
}

// What `param` must be for `op`, or std::nullopt when it is right.
std::optional<std::string> check_param(ShaveOp op, int param, const Tensor& input) {
  switch (op) {
    case ShaveOp::softmax:
      if (param < 1 || param > 3) {
        return "softmax axis " + to_string(param) + " is not 1 (C), 2 (H) or 3 (W)";
      }
      return std::nullopt;
    case ShaveOp::mvn:
      if (param < 1 || param > 3) {
        return "mvn normalises 1 (W), 2 (W,H) or 3 (W,H,C) axes, not " + to_string(param);
      }
      return std::nullopt;
    case ShaveOp::depth_to_space:
      if (param < 2 || param > kMaxSpatialFactor) {
        return "depth_to_space block size " + to_string(param) + " is outside 2.." +
               to_string(kMaxSpatialFactor);
      }
      if (input.channels % (param * param) != 0) {
        return "depth_to_space with block " + to_string(param) +
               " needs input channels divisible by " + to_string(param * param) + " (got " +
               to_string(input.channels) + ")";
      }
      return std::nullopt;
    case ShaveOp::interpolate:
      if (param < 2 || param > kMaxSpatialFactor) {
        return "interpolate scale " + to_string(param) + " is outside 2.." +
               to_string(kMaxSpatialFactor);
      }
      return std::nullopt;
    default:
      if (param != 0) {
        return std::string(to_string(op)) + " takes no parameter (got " + to_string(param) + ")";
      }
      return std::nullopt;
  }
}

}  // namespace

std::string_view shave_layout(ShaveOp op) {
  return op == ShaveOp::softmax || op == ShaveOp::mvn || op == ShaveOp::interpolate ? "XYZ" : "ZXY";
}

Tensor shave_output_of(ShaveOp op, const Tensor& input, int param) {
  Tensor out = input;
  if (param < 1) return out;  // an invalid parameter: find_problem names it
  if (op == ShaveOp::depth_to_space) {
    out.width *= param;
    out.height *= param;
    out.channels /= std::int64_t{param} * param;
  } else if (op == ShaveOp::interpolate) {
    out.width *= param;
    out.height *= param;
  }
  return out;
}

std::optional<std::string> find_problem(const ShaveOperation& s) {
  if (!is_valid_enum_value<Device>(static_cast<int>(s.device))) {
    return "invalid device value " + to_string(static_cast<int>(s.device));
  }
  if (!is_valid_enum_value<ShaveOp>(static_cast<int>(s.operation))) {
    return "invalid SHAVE operation value " + to_string(static_cast<int>(s.operation));
  }
  for (const auto& [which, t] : {std::pair{"input", &s.input}, std::pair{"output", &s.output}}) {
    if (!is_valid_enum_value<DType>(static_cast<int>(t->dtype))) {
      return std::string("invalid ") + which + " dtype value " +
             to_string(static_cast<int>(t->dtype));
    }
    if (!device_has_dtype(s.device, t->dtype)) {
      return std::string(which) + " dtype " + std::string(to_string(t->dtype)) + " is not a " +
             std::string(to_string(s.device)) + " data type";
    }
    if (auto p = check_dimensions(which, *t)) return p;
  }
  if (s.output.dtype != s.input.dtype) {
    return std::string(to_string(s.operation)) + " keeps the data type: output " +
           std::string(to_string(s.output.dtype)) + " differs from input " +
           std::string(to_string(s.input.dtype));
  }
  if (auto p = check_param(s.operation, s.param, s.input)) return p;
  const Tensor expected = shave_output_of(s.operation, s.input, s.param);
  if (expected.width != s.output.width || expected.height != s.output.height ||
      expected.channels != s.output.channels) {
    return std::string(to_string(s.operation)) + " of a " + shape_text(s.input) + " input gives " +
           shape_text(expected) + ", not " + shape_text(s.output);
  }
  return std::nullopt;
}

void validate(const ShaveOperation& s) {
  if (auto problem = find_problem(s)) throw Error(*problem);
}

std::int64_t output_elements(const ShaveOperation& s) {
  return s.output.width * s.output.height * s.output.channels;
}

double output_bytes(const ShaveOperation& s) {
  return static_cast<double>(output_elements(s)) * bytes_per_element(s.output.dtype);
}

std::string describe(const ShaveOperation& s) {
  std::string out = std::string(to_string(s.device)) + " SHAVE " +
                    std::string(to_string(s.operation)) + " " + shape_text(s.input);
  if (s.output.width != s.input.width || s.output.height != s.input.height ||
      s.output.channels != s.input.channels) {
    out += " -> " + shape_text(s.output);
  }
  out += " " + std::string(to_string(s.input.dtype));
  switch (s.operation) {
    case ShaveOp::softmax:
      out += " axis " + to_string(s.param);
      break;
    case ShaveOp::mvn:
      out += " axes " + to_string(s.param);
      break;
    case ShaveOp::depth_to_space:
      out += " block " + to_string(s.param);
      break;
    case ShaveOp::interpolate:
      out += " scale " + to_string(s.param);
      break;
    default:
      break;
  }
  return out;
}

}  // namespace vpucost
