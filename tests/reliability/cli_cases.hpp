#pragma once
// Running `vpucost` on bad input the way a user would, inside a scratch
// folder (so that messages name files as the user typed them), and checking
// that the answer is clean: a non-zero exit code without a signal, exactly
// one line on stderr of the form "vpucost <command>: error: ...", and no
// output file left behind.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"

namespace vpucost::test {

/// Runs `vpucost <args>` in `dir`; `args` is shell text (quoting,
/// redirections). `prefix` runs first in the same shell (e.g. "ulimit -f 8;").
inline CliResult run_in(const std::filesystem::path& dir, const std::string& args,
                        const std::string& prefix = "") {
  const std::string out = (dir / ".stdout").string();
  const std::string err = (dir / ".stderr").string();
  // Redirections in `args` come after these, so they win.
  const std::string script = "cd " + shell_quote(dir.string()) + " && " + prefix + " " +
                             shell_quote(VPUCOST_EXE) + " < /dev/null > " + shell_quote(out) +
                             " 2> " + shell_quote(err) + " " + args;
  const int status = std::system(("/bin/sh -c " + shell_quote(script)).c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

/// The first word of `args`: the command, as named in the error line.
inline std::string command_of(const std::string& args) {
  return args.substr(0, args.find(' '));
}

/// A clean refusal: `code` (1 bad input, 2 bad command line), no signal,
/// one line on stderr naming the command, containing `expected`.
inline ::testing::AssertionResult clean_error(const CliResult& r, const std::string& args,
                                              const std::string& expected, int code = 1) {
  const std::string prefix = "vpucost " + command_of(args) + ": error: ";
  if (r.exit_code != code) {
    return ::testing::AssertionFailure() << "exit code " << r.exit_code << " (expected " << code
                                         << ") for " << args << "\nstderr: " << r.err;
  }
  if (line_count(r.err) != 1 || r.err.rfind(prefix, 0) != 0) {
    return ::testing::AssertionFailure()
           << "stderr is not one '" << prefix << "' line for " << args << ":\n"
           << r.err;
  }
  if (r.err.find(expected) == std::string::npos) {
    return ::testing::AssertionFailure() << "stderr of " << args << " lacks '" << expected << "':\n"
                                         << r.err;
  }
  return ::testing::AssertionSuccess();
}

/// Files in `dir` other than those named (hidden temporaries included).
inline std::vector<std::string> files_except(const std::filesystem::path& dir,
                                             const std::vector<std::string>& known) {
  std::vector<std::string> extra;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (std::find(known.begin(), known.end(), name) == known.end()) extra.push_back(name);
  }
  return extra;
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

/// Eight bytes of PNG signature and the start of an IHDR chunk: what a
/// picture given by mistake looks like.
inline std::string png_bytes() {
  return std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0", 29);
}

}  // namespace vpucost::test
