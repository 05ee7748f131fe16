#pragma once
// Runs the vpucost program (path compiled in as VPUCOST_EXE) and captures its
// exit code, stdout and stderr, for end-to-end tests of the command line.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "wait_for.hpp"

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

/// `base` followed by `more`: a command line with some options added.
inline std::vector<std::string> with(std::vector<std::string> base,
                                     const std::vector<std::string>& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
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

/// `vpucost args...` running in the background, for tests that act on it
/// while it runs (signal it once it has written its first checkpoint, say).
/// Its stdin is /dev/null; stdout goes to a file, and so does stderr unless
/// held (below); out() and err() read them at any time. Killed and reaped if
/// still running when destroyed, so a failed assertion leaves no process
/// behind.
class CliProcess {
 public:
  enum class Stderr {
    file,
    /// Into a pipe of one page that the test reads only in wait(): once a
    /// page of it is unread the process blocks writing to it, so a run that
    /// reports progress cannot get more than a page of output ahead of the
    /// test (e.g. cannot finish before the test has signalled it).
    held,
  };

  explicit CliProcess(const std::vector<std::string>& args, Stderr stderr_to = Stderr::file) {
    static std::mt19937_64 rng{std::random_device{}()};
    base_ = (std::filesystem::temp_directory_path() / ("vpucost-cli-" + std::to_string(rng())))
                .string();
    std::vector<std::string> text = {VPUCOST_EXE};
    text.insert(text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : text) argv.push_back(a.data());
    argv.push_back(nullptr);
    // Opened before fork: after it the child may only make async-signal-safe
    // calls (the test process may have threads).
    const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int out =
        ::open((base_ + ".out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err = -1;
    if (stderr_to == Stderr::held) {
      int ends[2];
      if (::pipe2(ends, O_CLOEXEC) != 0) throw std::runtime_error("CliProcess: no pipe");
      held_ = true;
      held_err_ = ends[0];
      err = ends[1];
      if (::fcntl(err, F_SETPIPE_SZ, 4096) < 0) {
        throw std::runtime_error("CliProcess: cannot shrink the stderr pipe");
      }
    } else {
      err = ::open((base_ + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    }
    if (in < 0 || out < 0 || err < 0) throw std::runtime_error("CliProcess: cannot open files");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    for (const int fd : {in, out, err}) ::close(fd);
    if (pid_ < 0) throw std::runtime_error("CliProcess: cannot fork");
  }
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;
  ~CliProcess() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      wait();
    }
    if (held_err_ >= 0) ::close(held_err_);
    for (const char* ext : {".out", ".err"}) {
      std::error_code ec;
      std::filesystem::remove(base_ + ext, ec);
    }
  }

  pid_t pid() const { return pid_; }
  /// False once it has ended (it is then reaped; wait() gives its code).
  bool running() {
    if (!ended_) reap(WNOHANG);
    return !ended_;
  }
  void signal(int signo) const { ::kill(pid_, signo); }
  /// Waits for the end (reading held stderr meanwhile); the exit code, or
  /// 128 + the signal that ended it; -1 if it was reaped elsewhere (its code
  /// is then unknown).
  int wait() {
    if (held_err_ >= 0) {
      char buffer[4096];
      for (;;) {
        const ssize_t n = ::read(held_err_, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        held_err_text_.append(buffer, static_cast<std::size_t>(n));
      }
      ::close(held_err_);
      held_err_ = -1;
    }
    while (!ended_) reap(0);
    if (lost_) return -1;
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  }
  /// Whether it was ended by a signal (after wait()).
  bool signalled() const { return ended_ && !lost_ && WIFSIGNALED(status_); }
  /// What it has written to stdout / stderr so far (held stderr: what
  /// wait() has read).
  std::string out() const { return slurp(base_ + ".out"); }
  std::string err() const { return held_ ? held_err_text_ : slurp(base_ + ".err"); }

 private:
  void reap(int options) {
    const pid_t r = ::waitpid(pid_, &status_, options);
    lost_ = r < 0 && errno == ECHILD;
    ended_ = r == pid_ || lost_;
  }

  std::string base_;
  pid_t pid_ = -1;
  int status_ = 0;
  bool ended_ = false;
  bool lost_ = false;
  bool held_ = false;
  int held_err_ = -1;
  std::string held_err_text_;
};

/// Number of lines in `s` (a trailing newline does not start a new line).
inline int line_count(const std::string& s) {
  int n = 0;
  for (char c : s) n += (c == '\n');
  return n + (!s.empty() && s.back() != '\n');
}

/// Runs `vpucost predict --model M --csv CSV --out OUT` and says what is wrong
/// unless every data row of CSV was predicted ("" when all were): the check
/// that a list of workloads a command wrote is a valid workload CSV.
inline std::string unpredicted_rows(const std::string& model, const std::filesystem::path& csv,
                                    const std::filesystem::path& out) {
  const CliResult r =
      run_cli({"predict", "--model", model, "--csv", csv.string(), "--out", out.string()});
  if (r.exit_code != 0) return "predict failed: " + r.err;
  const int rows = line_count(slurp(csv)) - 1;
  const std::string all =
      "predicted " + std::to_string(rows) + " of " + std::to_string(rows) + " rows";
  return r.err.find(all) == std::string::npos ? "expected '" + all + "', got: " + r.err : "";
}

}  // namespace vpucost::test
