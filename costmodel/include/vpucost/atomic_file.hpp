#pragma once
// Durable output: every file vpucost writes goes to a temporary file in the
// target's directory, is flushed to disk and only then renamed over the
// target. A crash or error mid-way leaves the previous file intact and no
// half-written output.
#include <filesystem>
#include <string_view>

namespace vpucost {

class AtomicFile {
 public:
  /// Creates an empty temporary file next to `target` (throws vpucost::Error
  /// if the directory is missing or not writable).
  explicit AtomicFile(std::filesystem::path target);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  /// Removes the temporary file unless commit() succeeded.
  ~AtomicFile();

  /// Where to write the content.
  const std::filesystem::path& temp_path() const { return temp_; }
  const std::filesystem::path& target() const { return target_; }

  /// Replaces the temporary file's content with `contents`. Throws
  /// vpucost::Error naming the target and the system's reason (e.g. "No
  /// space left on device") when the write fails.
  void write(std::string_view contents);

  /// fsyncs the temporary file, renames it over the target and fsyncs the
  /// directory. Throws vpucost::Error (and keeps the old target) on failure.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  bool committed_ = false;
};

/// Writes `contents` to `target` through an AtomicFile.
void write_file_atomically(const std::filesystem::path& target, std::string_view contents);

}  // namespace vpucost
