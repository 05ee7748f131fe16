// Fuzzes the net-config JSON reader (ProxylessNAS / once-for-all format):
// any input must either parse or throw vpucost::Error. A config that parses
// must write back to JSON that parses to the same network, and give its parts
// at a resolution (or a vpucost::Error for sizes that make no network).
#include <cstdint>
#include <string_view>

#include "vpucost/error.hpp"
#include "vpucost/net_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace vpucost;
  NetConfig config;
  try {
    config = parse_net_config(text, "fuzz");
  } catch (const Error&) {
    return 0;
  }
  const std::string written = net_config_json(config);
  const NetConfig again = parse_net_config(written, "written");  // must not throw
  if (net_config_json(again) != written) __builtin_trap();
  if (parameter_count(again) != parameter_count(config)) __builtin_trap();
  try {
    net_parts(config, 224);
  } catch (const Error&) {
  }
  return 0;
}
