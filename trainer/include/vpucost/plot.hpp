#pragma once
// Predicted-versus-true scatter plots (log-log, with the y = x line), drawn
// by gnuplot run as a subprocess. The PNG is written atomically.
#include <filesystem>
#include <string>
#include <vector>

namespace vpucost {

struct PlotSeries {
  std::string label;  ///< legend entry, e.g. the operation
  std::vector<double> true_cycles;
  std::vector<double> predicted_cycles;
};

/// Path of the gnuplot executable found on PATH, or empty.
std::filesystem::path find_gnuplot();

/// Draws every series in its own colour. Throws vpucost::Error when gnuplot
/// is not installed ("install gnuplot-nox"), fails, or the PNG cannot be
/// written; a previous file at `png` is then left as it was.
void plot_predicted_vs_true(const std::vector<PlotSeries>& series, const std::string& title,
                            const std::filesystem::path& png);

}  // namespace vpucost
