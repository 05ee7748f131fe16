#include "json_reader.hpp"

#include <cmath>

#include "vpucost/error.hpp"
#include "vpucost/json_limits.hpp"

namespace vpucost::json_reader {
namespace {

using std::to_string;

std::string kind_of(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

}  // namespace

Path Path::field(std::string_view key) const {
  return Path(source_, path_.empty() ? std::string(key) : path_ + "." + std::string(key));
}

Path Path::index(std::size_t i) const {
  return Path(source_, path_ + "[" + to_string(i) + "]");
}

void Path::fail(const std::string& message) const {
  throw Error(source_ + ": " + (path_.empty() ? std::string() : path_ + ": ") + message);
}

Json parse(std::string_view text, const Path& root) {
  check_json_limits(text, root.source(), kMaxJsonBytes, kMaxJsonDepth);
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    // A syntax error (parse_error) or a number too large for a double
    // (out_of_range, "number overflow parsing '1e999'"). e.what() is
    // "[json.exception.parse_error.101] parse error at line 1, ...".
    std::string what = e.what();
    if (const auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    root.fail("not valid JSON: " + what);
  }
}

std::string show(const Json& value) {
  std::string s = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

const Json& object(const Json& value, const Path& at) {
  if (!value.is_object()) at.fail("expected an object, got " + kind_of(value));
  return value;
}

const Json& array(const Json& value, const Path& at) {
  if (!value.is_array()) at.fail("expected an array, got " + kind_of(value));
  return value;
}

const Json& member(const Json& obj, const Path& at, std::string_view key) {
  object(obj, at);
  const auto it = obj.find(key);
  if (it == obj.end()) at.field(key).fail("missing");
  return *it;
}

const Json* optional_member(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::int64_t integer(const Json& value, const Path& at, std::int64_t min, std::int64_t max) {
  const std::string expected =
      min == 1 ? "a positive integer" : "an integer in " + to_string(min) + ".." + to_string(max);
  const auto too_large = [&] {
    at.fail("expected " + expected + " (at most " + to_string(max) + "), got " + show(value));
  };
  const auto wrong = [&] { at.fail("expected " + expected + ", got " + show(value)); };
  std::int64_t v = 0;
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) too_large();
    v = static_cast<std::int64_t>(value.get<std::uint64_t>());
  } else if (value.is_number_integer()) {
    v = value.get<std::int64_t>();
  } else if (value.is_number_float()) {
    const double d = value.get<double>();
    if (!std::isfinite(d) || d != std::floor(d)) wrong();
    // Compare as doubles: casting an out-of-range double is undefined.
    if (d < static_cast<double>(min)) wrong();
    if (d > static_cast<double>(max)) too_large();
    v = static_cast<std::int64_t>(d);
  } else {
    wrong();
  }
  if (v < min) wrong();
  if (v > max) too_large();
  return v;
}

std::string string(const Json& value, const Path& at) {
  if (!value.is_string()) at.fail("expected a string, got " + show(value));
  return value.get<std::string>();
}

bool boolean(const Json& value, const Path& at) {
  if (!value.is_boolean()) at.fail("expected true or false, got " + show(value));
  return value.get<bool>();
}

}  // namespace vpucost::json_reader
