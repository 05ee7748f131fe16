// Reader of architecture-parameter (alpha) JSON; see arch_export.hpp.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "vpucost/arch_export.hpp"
#include "vpucost/error.hpp"
#include "vpucost/json_limits.hpp"

namespace vpucost::nas {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxBytes = 4 << 20;
constexpr int kMaxDepth = 8;  // the format needs 3

std::string show(const Json& v) {
  std::string s = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

[[noreturn]] void fail(std::string_view source, const std::string& path, const std::string& what) {
  throw Error(std::string(source) + ": " + (path.empty() ? "" : path + ": ") + what);
}

}  // namespace

ArchParams parse_arch_params_json(std::string_view text, std::string_view source) {
  check_json_limits(text, source, kMaxBytes, kMaxDepth);
  Json doc;
  try {
    doc = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    std::string what = e.what();
    if (const auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    fail(source, "", "not valid JSON: " + what);
  }
  std::string root;
  const Json* positions = &doc;
  if (doc.is_object()) {
    const auto it = doc.find("alphas");
    if (it == doc.end())
      fail(source, "", "expected an array of arrays or an object with \"alphas\"");
    positions = &*it;
    root = "alphas";
  }
  if (!positions->is_array()) {
    fail(source, root,
         "expected an array with one array of numbers per position, got " + show(*positions));
  }
  if (positions->empty()) fail(source, root, "has no positions");
  if (positions->size() > std::size_t(kMaxPositions)) {
    fail(source, root,
         "has " + std::to_string(positions->size()) + " positions; at most " +
             std::to_string(kMaxPositions) + " are accepted");
  }
  ArchParams alpha;
  for (std::size_t p = 0; p < positions->size(); ++p) {
    const Json& row = (*positions)[p];
    const std::string at = root + "[" + std::to_string(p) + "]";
    if (!row.is_array()) fail(source, at, "expected an array of numbers, got " + show(row));
    if (row.empty()) fail(source, at, "is empty (one number per candidate expected)");
    if (row.size() > std::size_t(kMaxCandidates)) {
      fail(source, at,
           "has " + std::to_string(row.size()) + " values; at most " +
               std::to_string(kMaxCandidates) + " candidates per position");
    }
    auto& out = alpha.emplace_back();
    for (std::size_t c = 0; c < row.size(); ++c) {
      const Json& v = row[c];
      if (!v.is_number() || !std::isfinite(v.get<double>())) {
        fail(source, at + "[" + std::to_string(c) + "]",
             "expected a finite number, got " + show(v));
      }
      out.push_back(v.get<double>());
    }
  }
  return alpha;
}

ArchParams load_arch_params(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open architecture parameters");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(path.string() + ": read error");
  return parse_arch_params_json(text.str(), path.string());
}

}  // namespace vpucost::nas
