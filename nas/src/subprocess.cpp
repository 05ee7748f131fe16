#include "subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iterator>
#include <mutex>
#include <string>
#include <utility>

#include "vpucost/error.hpp"

extern char** environ;

namespace vpucost::nas::detail {
namespace {

using Clock = std::chrono::steady_clock;

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    reset(o.release());
    return *this;
  }
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct Pipe {
  UniqueFd read, write;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw Error(std::string("cannot create a pipe for the evaluator: ") + std::strerror(errno));
  }
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

void set_nonblocking(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// Blocks SIGPIPE for this thread; on the way out, discards a SIGPIPE that a
// write to a closed pipe left pending, then restores the mask.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, &old_);
  }
  ~SigpipeBlock() {
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    const bool was_blocked = sigismember(&old_, SIGPIPE) == 1;
    if (!was_blocked) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec zero{0, 0};
        while (sigtimedwait(&pipe_only, nullptr, &zero) < 0 && errno == EINTR) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t old_;
};

// Kills (with its process group) and reaps a child that is still running
// when the parent leaves early, e.g. on an exception.
class ChildGuard {
 public:
  explicit ChildGuard(pid_t pid) : pid_(pid) {}
  ~ChildGuard() {
    if (pid_ <= 0) return;
    kill_group();
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;
  void kill_group() const {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);  // in case it has not made its own group yet
  }
  /// Non-blocking (wait = false) or blocking reap; true once reaped.
  bool reap(int& status, bool wait) {
    for (;;) {
      const pid_t r = ::waitpid(pid_, &status, wait ? 0 : WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        return true;
      }
      if (r == 0) return false;
      if (errno != EINTR) {  // ECHILD: someone else reaped it; nothing to wait for
        pid_ = -1;
        status = 0;
        return true;
      }
    }
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
};

// While a command runs, SIGINT / SIGTERM / SIGHUP (Ctrl-C, kill, a closed
// terminal) must stop it too: it runs in its own process group, which the
// terminal's Ctrl-C does not reach. The handler records the signal and passes
// it on to every running command's group; the waiting loop then gives the
// command a moment to exit, kills it, reaps it and reports the interruption.
// When the last command is done, the previous handlers come back and the
// signal is raised again, so the process ends (or its own handler runs) as
// if we had not been there. A signal the process ignored stays ignored.
constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP};
constexpr std::size_t kMaxRunning = 64;
std::atomic<pid_t> g_running[kMaxRunning];
volatile std::sig_atomic_t g_caught = 0;
std::mutex g_handlers_mutex;
int g_handler_users = 0;
struct sigaction g_previous[std::size(kForwarded)];
bool g_installed[std::size(kForwarded)];

extern "C" void forward_interrupt(int signo) {
  g_caught = signo;
  for (auto& slot : g_running) {
    const pid_t pid = slot.load();
    if (pid > 0) ::kill(-pid, signo);
  }
}

class InterruptForwarding {
 public:
  InterruptForwarding() {
    const std::lock_guard lock(g_handlers_mutex);
    if (g_handler_users++ > 0) return;
    g_caught = 0;
    for (std::size_t i = 0; i < std::size(kForwarded); ++i) {
      struct sigaction now {};
      ::sigaction(kForwarded[i], nullptr, &g_previous[i]);
      g_installed[i] = g_previous[i].sa_handler != SIG_IGN;
      if (!g_installed[i]) continue;
      now.sa_handler = forward_interrupt;
      sigemptyset(&now.sa_mask);
      ::sigaction(kForwarded[i], &now, nullptr);
    }
  }
  ~InterruptForwarding() {
    if (slot_) slot_->store(0);
    const std::lock_guard lock(g_handlers_mutex);
    if (--g_handler_users > 0) return;
    for (std::size_t i = 0; i < std::size(kForwarded); ++i) {
      if (g_installed[i]) ::sigaction(kForwarded[i], &g_previous[i], nullptr);
    }
    if (const int signo = g_caught; signo != 0) {
      g_caught = 0;
      ::raise(signo);
    }
  }
  InterruptForwarding(const InterruptForwarding&) = delete;
  InterruptForwarding& operator=(const InterruptForwarding&) = delete;

  /// Registers the command's process group (its pid) for forwarding.
  void watch(pid_t pid) {
    for (auto& slot : g_running) {
      pid_t empty = 0;
      if (slot.compare_exchange_strong(empty, pid)) {
        slot_ = &slot;
        return;
      }
    }  // all slots taken: the loop still notices the signal and kills it
  }
  static int caught() { return g_caught; }

 private:
  std::atomic<pid_t>* slot_ = nullptr;
};

void keep_tail(std::string& s, std::size_t max) {
  if (s.size() > 2 * max) s.erase(0, s.size() - max);
}

// this process's environment with `extra` added or replaced, as execve wants it.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const std::string& x : extra) replaced |= x.compare(0, name.size() + 1, name + "=") == 0;
    if (!replaced) env.push_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

}  // namespace

ProcessResult run_shell_command(const std::string& command, std::string_view input,
                                const std::vector<std::string>& environment,
                                const ProcessLimits& limits) {
  // Everything the child needs is built before fork: after it, the child
  // may only make async-signal-safe calls.
  std::vector<std::string> env = merged_environment(environment);
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string sh = "/bin/sh", dash_c = "-c", cmd = command;
  char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};

  Pipe in = make_pipe(), out = make_pipe(), err = make_pipe();
  const SigpipeBlock sigpipe_block;
  InterruptForwarding interrupts;  // before fork: a signal from here on is noticed
  const pid_t pid = ::fork();
  if (pid < 0) throw Error(std::string("cannot start the evaluator: ") + std::strerror(errno));
  if (pid == 0) {
    // Our forwarding handlers would also run here until execve resets them;
    // ignored signals stay ignored (nohup).
    for (std::size_t i = 0; i < std::size(kForwarded); ++i) {
      if (g_installed[i]) ::signal(kForwarded[i], SIG_DFL);
    }
    ::setpgid(0, 0);
    ::dup2(in.read.get(), 0);
    ::dup2(out.write.get(), 1);
    ::dup2(err.write.get(), 2);
    ::signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(argv[0], argv, envp.data());
    const char message[] = "vpucost: cannot run /bin/sh\n";
    [[maybe_unused]] const auto n = ::write(2, message, sizeof message - 1);
    ::_exit(127);
  }
  ChildGuard child(pid);
  ::setpgid(pid, pid);  // also from the parent: no race with a kill below
  interrupts.watch(pid);
  // Readable when the child exits (Linux 5.3+); absent on older kernels.
  UniqueFd exit_fd(int(::syscall(SYS_pidfd_open, pid, 0)));
  in.read.reset();
  out.write.reset();
  err.write.reset();
  set_nonblocking(in.write.get());
  set_nonblocking(out.read.get());
  set_nonblocking(err.read.get());
  if (input.empty()) in.write.reset();

  ProcessResult result;
  std::size_t written = 0;
  int status = 0;
  bool exited = false;
  auto deadline = Clock::now() + limits.timeout;
  Clock::time_point drain_deadline{};
  char buffer[65536];
  while (out.read || err.read || !exited) {
    const auto now = Clock::now();
    if (!exited && child.reap(status, false)) {
      exited = true;
      drain_deadline = now + limits.drain_after_exit;
      in.write.reset();
    }
    if (exited && !out.read && !err.read) break;  // done
    if (exited && now >= drain_deadline) break;   // a leftover process holds the pipes
    if (InterruptForwarding::caught() != 0 && result.interrupted_by == 0) {
      // Already passed on to the command; give it a moment to clean up.
      result.interrupted_by = InterruptForwarding::caught();
      deadline = std::min(deadline, now + limits.grace_after_interrupt);
    }
    if (!exited && now >= deadline) {
      child.kill_group();
      child.reap(status, true);
      result.timed_out = result.interrupted_by == 0;
      break;
    }
    pollfd fds[4];
    nfds_t n = 0;
    if (in.write) fds[n++] = {in.write.get(), POLLOUT, 0};
    if (out.read) fds[n++] = {out.read.get(), POLLIN, 0};
    if (err.read) fds[n++] = {err.read.get(), POLLIN, 0};
    const nfds_t pipes = n;
    if (exit_fd && !exited) fds[n++] = {exit_fd.get(), POLLIN, 0};
    // The exit is noticed through the pidfd at once; without one, by waitpid
    // in short slices (shorter still once the pipes are closed and only the
    // exit is awaited). Slices are bounded anyway to notice interrupts.
    const auto limit = exited ? drain_deadline : deadline;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(limit - now).count();
    const long long max_slice = exit_fd ? 50 : (pipes == 0 ? 1 : 20);
    const int slice = int(std::clamp<long long>(left, 0, max_slice));
    const int ready = ::poll(fds, n, slice);
    if (ready < 0 && errno != EINTR) {
      throw Error(std::string("waiting for the evaluator: ") + std::strerror(errno));
    }
    for (nfds_t i = 0; i < pipes && ready > 0; ++i) {
      if (fds[i].revents == 0) continue;
      if (in.write && fds[i].fd == in.write.get()) {
        const ssize_t w = ::write(in.write.get(), input.data() + written, input.size() - written);
        if (w > 0) written += std::size_t(w);
        // EPIPE: the command does not read its input; that is its choice.
        if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) {
          in.write.reset();
        }
        continue;
      }
      UniqueFd& fd = (out.read && fds[i].fd == out.read.get()) ? out.read : err.read;
      std::string& sink = (&fd == &out.read) ? result.out : result.err;
      const std::size_t max = (&fd == &out.read) ? limits.max_output : limits.max_error;
      const ssize_t r = ::read(fd.get(), buffer, sizeof buffer);
      if (r > 0) {
        sink.append(buffer, std::size_t(r));
        keep_tail(sink, max);
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        fd.reset();
      }
    }
  }
  if (!exited && !result.timed_out) child.reap(status, true);
  // Interrupted: whatever the command left running (its background jobs
  // ignore SIGINT) goes too.
  if (result.interrupted_by != 0) ::kill(-pid, SIGKILL);
  for (auto* s : {&result.out, &result.err}) {
    const std::size_t max = s == &result.out ? limits.max_output : limits.max_error;
    if (s->size() > max) s->erase(0, s->size() - max);
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  if (result.timed_out || result.interrupted_by != 0) result.signal = 0;
  return result;
}

}  // namespace vpucost::nas::detail
