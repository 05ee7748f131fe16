#pragma once
// Small helpers shared by the commands that read and write datasets
// (import, split, stats, predict --csv). Header-only: tools/CMakeLists.txt
// compiles only the *_command.cpp files it globs plus a fixed list.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "vpucost/enums.hpp"
#include "vpucost/error.hpp"
#include "vpucost/recording_csv.hpp"

namespace vpucost::cli {

/// Throws vpucost::Error when two options name the same file (writing an
/// output over an input, or two outputs over each other, would lose data).
inline void require_distinct_files(
    const std::vector<std::pair<std::string, std::filesystem::path>>& files) {
  for (std::size_t i = 0; i < files.size(); ++i) {
    for (std::size_t j = i + 1; j < files.size(); ++j) {
      std::error_code ec;
      const bool same = std::filesystem::weakly_canonical(files[i].second, ec) ==
                        std::filesystem::weakly_canonical(files[j].second, ec);
      if (same) {
        throw Error(files[i].first + " and " + files[j].first + " name the same file " +
                    files[i].second.string());
      }
    }
  }
}

/// Throws vpucost::Error "--<option> <why>" for the first of `options` given:
/// options that do not apply to the command as given would be ignored.
inline void refuse_options(const boost::program_options::variables_map& vm,
                           std::initializer_list<const char*> options, const std::string& why) {
  for (const char* option : options) {
    if (vm.count(option)) throw Error(std::string("--") + option + " " + why);
  }
}

/// Throws vpucost::Error when the output `path` of `option` cannot be
/// written -- a directory, or in a folder that does not exist -- so that a
/// command refuses before any work and before writing its other outputs.
inline void require_writable(const std::string& option, const std::filesystem::path& path) {
  if (std::filesystem::is_directory(path)) {
    throw Error(option + " " + path.string() + " is a directory; give a file name");
  }
  const std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  if (!std::filesystem::is_directory(dir)) {
    throw Error(option + " " + path.string() + ": directory " + dir.string() + " does not exist");
  }
}

/// The files of a batch command (--csv, --out, --rejects), checked distinct
/// from each other and from `others` (e.g. the model read).
struct BatchFiles {
  std::filesystem::path in;
  std::optional<std::filesystem::path> out;
  std::optional<std::filesystem::path> rejects;
};
inline BatchFiles batch_files(
    const boost::program_options::variables_map& vm,
    std::vector<std::pair<std::string, std::filesystem::path>> others = {}) {
  const auto optional_path = [&](const char* name) {
    return vm.count(name) ? std::optional(std::filesystem::path(vm[name].as<std::string>()))
                          : std::nullopt;
  };
  BatchFiles f{vm["csv"].as<std::string>(), optional_path("out"), optional_path("rejects")};
  std::vector<std::pair<std::string, std::filesystem::path>> files = {{"--csv", f.in}};
  if (f.out) files.emplace_back("--out", *f.out);
  if (f.rejects) files.emplace_back("--rejects", *f.rejects);
  files.insert(files.end(), others.begin(), others.end());
  require_distinct_files(files);
  if (f.out) require_writable("--out", *f.out);
  if (f.rejects) require_writable("--rejects", *f.rejects);
  return f;
}

/// One warning line for the rows of `source` that were left out: how many
/// (of `rows_read`) and the first one's line and reason. Nothing when none were.
inline void warn_rejected_rows(const std::string& command, const std::string& source,
                               std::span<const RejectedRow> rejects, std::uint64_t rows_read) {
  if (rejects.empty()) return;
  std::cerr << "vpucost " << command << ": warning: " << source << ": " << rejects.size() << " of "
            << rows_read << " rows rejected (first: line " << rejects.front().line << ": "
            << rejects.front().reason << ")\n";
}

/// Prints the first `shown` rejects on stderr as "line N: reason", and says
/// where the rest are.
inline void print_rejects(const std::string& command, std::span<const RejectedRow> rejects,
                          std::size_t shown, bool written_to_file) {
  for (std::size_t i = 0; i < rejects.size() && i < shown; ++i) {
    std::cerr << "vpucost " << command << ": rejected line " << rejects[i].line << ": "
              << rejects[i].reason << "\n";
  }
  if (rejects.size() > shown) {
    std::cerr << "vpucost " << command << ": ... and " << rejects.size() - shown
              << " more rejected rows"
              << (written_to_file ? " (all are in the rejects file)"
                                  : "; list them all with --rejects FILE")
              << "\n";
  }
}

inline std::vector<std::string> device_names(std::span<const Device> devices) {
  std::vector<std::string> names;
  for (const Device d : devices) names.emplace_back(to_string(d));
  return names;
}

inline std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? separator : "") + items[i];
  return s;
}

}  // namespace vpucost::cli
