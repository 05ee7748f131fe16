#include "vpucost/evaluator.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

#include "vpucost/error.hpp"

namespace vpucost::nas {

double ProxyEvaluator::score(std::span<const int> arch, const EvaluationContext&) {
  const Complexity c = complexity_.architecture(arch);
  return std::log(c.macs) + std::log(c.params);
}

std::string ProxyEvaluator::description() const {
  return "proxy ln(MACs * params) -- a capacity proxy, not an accuracy";
}

double parse_score(std::string_view output) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
  };
  // The last line with something other than white space on it.
  std::size_t end = output.size();
  while (end > 0 && is_space(output[end - 1])) --end;
  if (end == 0) throw Error("printed no score (stdout was empty)");
  std::size_t begin = output.rfind('\n', end - 1);
  begin = begin == std::string_view::npos ? 0 : begin + 1;
  while (is_space(output[begin])) ++begin;
  const std::string line(output.substr(begin, end - begin));
  const auto quoted = [&] {
    return "'" + (line.size() > 80 ? line.substr(0, 77) + "..." : line) + "'";
  };
  // strtod accepts hex floats, "inf" and "nan": only plain decimals are scores.
  if (line.find_first_not_of("0123456789+-.eE") != std::string::npos) {
    throw Error("last line of its output is not a number: " + quoted());
  }
  char* stop = nullptr;
  const double value = std::strtod(line.c_str(), &stop);
  if (stop != line.c_str() + line.size() || line.empty()) {
    throw Error("last line of its output is not a number: " + quoted());
  }
  if (!std::isfinite(value)) throw Error("score " + quoted() + " is not a finite number");
  return value;
}

std::string architecture_names(const SearchSpace& space, std::span<const int> arch) {
  std::string out;
  for (std::size_t p = 0; p < arch.size() && p < space.positions.size(); ++p) {
    const auto& candidates = space.positions[p].candidates;
    if (!out.empty()) out += ' ';
    out += (arch[p] >= 0 && std::size_t(arch[p]) < candidates.size())
               ? candidates[std::size_t(arch[p])].name()
               : "?" + std::to_string(arch[p]);
  }
  return out;
}

}  // namespace vpucost::nas
