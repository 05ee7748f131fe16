#include "vpucost/plot.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"

extern char** environ;

namespace vpucost {
namespace {

/// A file in the system temp directory, removed on destruction.
class TempFile {
 public:
  explicit TempFile(const std::string& suffix) {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("vpucost-plot-" + std::to_string(::getpid()) + "-" + std::to_string(rd()) + suffix);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// gnuplot single-quoted string: a quote is written twice.
std::string quoted(const std::string& s) {
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) {
    throw Error("cannot write temporary file " + path.string() + ": " + std::strerror(errno));
  }
}

}  // namespace

std::filesystem::path find_gnuplot() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return {};
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const auto candidate = std::filesystem::path(dir) / "gnuplot";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

void plot_predicted_vs_true(const std::vector<PlotSeries>& series, const std::string& title,
                            const std::filesystem::path& png) {
  const auto gnuplot = find_gnuplot();
  if (gnuplot.empty()) {
    throw Error("gnuplot not found: install gnuplot-nox (apt-get install gnuplot-nox) to draw " +
                png.string());
  }
  // One data block per series (gnuplot 'index'), and a common range so that
  // the axes are square and y = x is the diagonal.
  std::ostringstream data;
  data.precision(10);
  double lo = std::numeric_limits<double>::infinity();
  double hi = 0;
  std::vector<const PlotSeries*> drawn;
  for (const auto& s : series) {
    if (s.true_cycles.empty()) continue;
    if (!drawn.empty()) data << "\n\n";
    drawn.push_back(&s);
    for (std::size_t i = 0; i < s.true_cycles.size(); ++i) {
      const double t = s.true_cycles[i];
      const double p = s.predicted_cycles.at(i);
      if (!(t > 0) || !(p > 0)) continue;  // not drawable on log axes
      data << t << ' ' << p << '\n';
      lo = std::min({lo, t, p});
      hi = std::max({hi, t, p});
    }
  }
  if (drawn.empty() || !(hi > 0)) throw Error("nothing to plot: no positive cycle values");
  lo = std::pow(10.0, std::floor(std::log10(lo)));
  hi = std::pow(10.0, std::ceil(std::log10(hi)));

  TempFile data_file(".dat");
  TempFile script_file(".gp");
  TempFile errors_file(".err");
  AtomicFile out(png);
  write_text(data_file.path(), data.str());
  std::ostringstream gp;
  gp << "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
     << "  set terminal pngcairo size 900,860 enhanced font ',11'\n"
     << "} else {\n"
     << "  set terminal png size 900,860\n"
     << "}\n"
     << "set output " << quoted(out.temp_path().string()) << "\n"
     << "set title " << quoted(title) << " noenhanced\n"
     << "set logscale xy\n"
     << "set format x '10^{%L}'\nset format y '10^{%L}'\n"
     << "set xrange [" << lo << ":" << hi << "]\nset yrange [" << lo << ":" << hi << "]\n"
     << "set size ratio -1\n"
     << "set xlabel 'true cycles'\nset ylabel 'predicted cycles'\n"
     << "set grid\nset key top left Left reverse noenhanced\n"
     << "plot ";
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    gp << quoted(data_file.path().string()) << " index " << i
       << " using 1:2 with points pt 7 ps 0.5 title " << quoted(drawn[i]->label) << ", ";
  }
  gp << "x with lines lw 2 dt 2 lc rgb 'black' title 'y = x'\n"
     << "unset output\n";
  write_text(script_file.path(), gp.str());

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errors_file.path().c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::string program = gnuplot.string();
  std::string script = script_file.path().string();
  char* argv[] = {program.data(), script.data(), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw Error("cannot run " + program + ": " + std::strerror(spawned));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw Error("waiting for gnuplot failed: " + std::string(std::strerror(errno)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream err(errors_file.path());
    std::string line;
    std::string last;
    while (std::getline(err, line)) {
      if (!line.empty() && line.find_first_not_of(" ^") != std::string::npos) last = line;
    }
    throw Error("gnuplot failed drawing " + png.string() + (last.empty() ? "" : ": " + last));
  }
  if (std::filesystem::file_size(out.temp_path()) == 0) {
    throw Error("gnuplot wrote an empty image for " + png.string());
  }
  out.commit();
}

}  // namespace vpucost
