#pragma once
// `vpucost predict --kind dma` and `vpucost eval` of DMA models
// (predict_dma.cpp, eval_dma.cpp).
#include <boost/program_options.hpp>
#include <string>

#include "vpucost/dma_model.hpp"

namespace vpucost::cli {

namespace po = boost::program_options;

/// The DMA model --model names: a DMA model file, or "roofline" for the
/// roofline curve of `device` (which must then be given).
DmaModel load_dma_model_option(const std::string& model, std::optional<Device> device);

/// Costs the DMA transfer the options describe (--direction, --tensor and
/// --dtype, or --bytes); prints it as `vpucost predict` does; returns the exit code.
int run_predict_dma(const po::variables_map& vm);

/// `vpucost eval` on a DMA recording CSV: errors overall, per direction and
/// per size band; returns the exit code.
int run_eval_dma(const po::variables_map& vm);

}  // namespace vpucost::cli
