#pragma once
// Typed access to parsed JSON for the network readers (net configs, user
// search spaces): every failure is one vpucost::Error naming the source and
// the JSON path, e.g.
//   "net.json: blocks[3].mobile_inverted_conv.kernel_size: expected a
//    positive integer, got -3".
// Private to the library: nlohmann::json stays out of the public headers.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace vpucost::json_reader {

using Json = nlohmann::json;

/// Refuses inputs larger than this before parsing (a net config is a few KB).
inline constexpr std::size_t kMaxJsonBytes = 4 << 20;
/// Refuses nesting deeper than this (the formats need 4 levels).
inline constexpr int kMaxJsonDepth = 32;

/// A location in a document, for messages: "blocks[3].shortcut".
class Path {
 public:
  explicit Path(std::string source) : source_(std::move(source)) {}
  Path field(std::string_view key) const;
  Path index(std::size_t i) const;
  const std::string& text() const { return path_; }
  const std::string& source() const { return source_; }
  [[noreturn]] void fail(const std::string& message) const;

 private:
  Path(std::string source, std::string path) : source_(std::move(source)), path_(std::move(path)) {}
  std::string source_;
  std::string path_;
};

/// Parses `text` (size and depth checked first); a syntax error names the
/// byte offset.
Json parse(std::string_view text, const Path& root);

/// Short rendering of a value for messages (strings quoted, long values cut).
std::string show(const Json& value);

const Json& object(const Json& value, const Path& at);
const Json& array(const Json& value, const Path& at);
/// The member `key` of object `obj`, failing when it is absent.
const Json& member(const Json& obj, const Path& at, std::string_view key);
/// The member `key`, or nullptr when absent or null.
const Json* optional_member(const Json& obj, std::string_view key);

/// An integer (integral floating values such as 3.0 accepted) in [min, max].
std::int64_t integer(const Json& value, const Path& at, std::int64_t min, std::int64_t max);
std::string string(const Json& value, const Path& at);
bool boolean(const Json& value, const Path& at);

}  // namespace vpucost::json_reader
