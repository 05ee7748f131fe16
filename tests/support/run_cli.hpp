#pragma once
// Runs the vpucost program (path compiled in as VPUCOST_EXE) and captures its
// exit code, stdout and stderr, for end-to-end tests of the command line.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace vpucost::test {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs `vpucost args...`; `stdin_text`, if given, is fed on standard input.
inline CliResult run_cli(const std::vector<std::string>& args, const std::string& stdin_text = {}) {
  static std::mt19937_64 rng{std::random_device{}()};
  const auto base =
      std::filesystem::temp_directory_path() / ("vpucost-cli-" + std::to_string(rng()));
  std::string cmd = shell_quote(VPUCOST_EXE);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  if (!stdin_text.empty()) {
    std::ofstream(base.string() + ".in") << stdin_text;
    cmd += " < " + shell_quote(base.string() + ".in");
  } else {
    cmd += " < /dev/null";
  }
  cmd += " > " + shell_quote(base.string() + ".out") + " 2> " + shell_quote(base.string() + ".err");
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(base.string() + ".out");
  r.err = slurp(base.string() + ".err");
  for (const char* ext : {".in", ".out", ".err"}) {
    std::error_code ec;
    std::filesystem::remove(base.string() + ext, ec);
  }
  return r;
}

/// Number of lines in `s` (a trailing newline does not start a new line).
inline int line_count(const std::string& s) {
  int n = 0;
  for (char c : s) n += (c == '\n');
  return n + (!s.empty() && s.back() != '\n');
}

}  // namespace vpucost::test
