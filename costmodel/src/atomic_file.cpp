#include "vpucost/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>
#include <string>

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

void fsync_path(const std::filesystem::path& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) throw Error("cannot open " + path.string() + " to flush it: " + errno_text());
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) {
    errno = saved;
    throw Error("cannot flush " + path.string() + " to disk: " + errno_text());
  }
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  if (target_.empty()) throw Error("no output file name given");
  std::filesystem::path dir = target_.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw Error("cannot write " + target_.string() + ": directory " + dir.string() +
                " does not exist");
  }
  if (std::filesystem::is_directory(target_, ec)) {
    throw Error("cannot write " + target_.string() + ": it is a directory");
  }
  // O_EXCL with mode 0666 (not mkstemp's 0600) so the umask gives the
  // committed file the permissions a user expects of a new file.
  static std::atomic<unsigned> counter{0};
  std::random_device entropy;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const auto suffix = std::to_string(entropy()) + "-" + std::to_string(counter++);
    std::string name = ".";  // hidden, and never mistaken for the real output
    name += target_.filename().string();
    name += ".tmp-";
    name += suffix;
    auto candidate = dir / name;
    const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      temp_ = std::move(candidate);
      return;
    }
    if (errno != EEXIST) throw Error("cannot write " + target_.string() + ": " + errno_text());
  }
  throw Error("cannot write " + target_.string() + ": no free temporary file name");
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void AtomicFile::commit() {
  if (committed_) return;
  fsync_path(temp_, false);
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) {
    throw Error("cannot rename " + temp_.string() + " to " + target_.string() + ": " +
                errno_text());
  }
  committed_ = true;
  std::filesystem::path dir = target_.parent_path();
  fsync_path(dir.empty() ? "." : dir, true);
}

void AtomicFile::write(std::string_view contents) {
  const int fd = ::open(temp_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) throw Error("cannot write " + target_.string() + ": " + errno_text());
  const char* p = contents.data();
  std::size_t left = contents.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // A full disk or a file size limit (EFBIG; SIGXFSZ must be ignored
      // for the call to fail rather than kill the process).
      const std::string reason = n < 0 ? errno_text() : "nothing written";
      ::close(fd);
      throw Error("cannot write " + target_.string() + ": " + reason);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw Error("cannot write " + target_.string() + ": " + errno_text());
}

void write_file_atomically(const std::filesystem::path& target, std::string_view contents) {
  AtomicFile file(target);
  file.write(contents);
  file.commit();
}

}  // namespace vpucost
