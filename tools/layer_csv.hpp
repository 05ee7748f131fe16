#pragma once
// vpucost layer --csv: every row of a layers CSV on the whole device.
#include <string>

#include "command.hpp"
#include "predictor_option.hpp"
#include "vpucost/dma_model.hpp"

namespace vpucost::cli {

void add_layer_csv_options(po::options_description& options);

/// Costs every layer of --csv (layer_recordings.hpp columns) with `loaded`
/// and `dma` under --strategy (best or one); writes the rows plus our
/// columns to --out (or standard output); with the teacher's labels in the
/// file, prints how far we are from them.
int run_layer_csv(const po::variables_map& vm, const LoadedPredictor& loaded, const DmaModel& dma,
                  const std::string& dma_option);

}  // namespace vpucost::cli
