// Fuzzes the descriptor strings of `vpucost predict`: shapes ("56x56x64"),
// pairs ("3x3"), padding ("1,1,1,1"), counts and enum names. Any input must
// either parse or throw vpucost::Error; nothing else may escape or crash.
#include <cstdint>
#include <string_view>

#include "cli_args.hpp"
#include "vpucost/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace vpucost;
  try {
    cli::parse_shape(text, "input");
  } catch (const Error&) {
  }
  try {
    cli::parse_pair(text, "kernel");
  } catch (const Error&) {
  }
  try {
    cli::parse_padding(text, "pad");
  } catch (const Error&) {
  }
  try {
    cli::parse_count(text, "rows");
  } catch (const Error&) {
  }
  try {
    parse<Operation>(text);
  } catch (const Error&) {
  }
  try {
    parse<ExecutionMode>(text);
  } catch (const Error&) {
  }
  try {
    parse<DType>(text);
  } catch (const Error&) {
  }
  try {
    parse<ActivationFunction>(text);
  } catch (const Error&) {
  }
  try {
    parse<IsiStrategy>(text);
  } catch (const Error&) {
  }
  return 0;
}
