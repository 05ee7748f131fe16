#pragma once
// Latency tables as files.
//
//  - proxyless_yaml: the YAML that ProxylessNAS's LatencyEstimator and
//    once-for-all's LatencyTable load (yaml.load, then lut[key]["mean"]): one
//    mapping per distinct key with `count` (1: one deterministic
//    prediction), `mean` (milliseconds) and `std` (0). Keys are sorted; a
//    comment header records space, resolution, device, dtype and source.
//    The zero op has no key.
//  - lut_csv: one record per entry (zero ops included) of every table, with
//    every DPU workload's operation, shape, mode and cycles in the last field.
//  - lut_json: the same as a JSON document, workloads as structured records.
// Each returns the file content; write it with write_file_atomically.
#include <span>
#include <string>

#include "vpucost/lut.hpp"

namespace vpucost {

std::string proxyless_yaml(const LatencyTable& table);
/// The distinct DPU workloads `tables` cost, as the hardware runs them (each
/// tile part's workloads with their execution mode, output write tiles and
/// ISI strategy), in the recording CSV format without the `cycles` column
/// and in first-seen order: the list to profile on a chip, after which the
/// file with a `cycles` column is a training set (`vpucost import`). SHAVE
/// steps (MobileNetV3, HURRICANE SE) are not in it.
std::string lut_workloads_csv(std::span<const LatencyTable> tables);
/// The same for any costed layers (a network's, `vpucost net --emit-workloads`).
std::string workloads_csv(std::span<const LayerCost* const> layers);
/// The same for a list of workloads (distinct, first seen first), e.g. every
/// workload a costing asked its predictor (RecordingPredictor).
std::string workloads_csv(std::span<const Workload> workloads);
/// The recording CSV's workload columns (no `cycles`), and one workload's
/// fields in that order: for files that add their own columns.
std::string workload_csv_header();
std::string workload_csv_fields(const Workload& w);

/// The distinct SHAVE operations of `ops`, first seen first, in the SHAVE
/// recording CSV format without cycles (device, operation, input and output
/// shapes and dtypes, params, layout): what to profile so that the SHAVE
/// model of a new chip covers a network or a table (read back by
/// read_shave_csv with CyclesColumn::Ignored).
/// Distinct DMA transfers as a DMA recording CSV without cycles (device,
/// direction, width, height, channels, dtype, bytes): what to profile.
std::string dma_transfers_csv(std::span<const DmaTransfer> transfers);

std::string shave_operations_csv(std::span<const ShaveOperation* const> ops);
/// The same for every SHAVE step of `tables` (MobileNetV3's h-swish and SE,
/// HURRICANE's SE variants, SR's PReLU and upsamplers).
std::string lut_shave_operations_csv(std::span<const LatencyTable> tables);
std::string lut_csv(std::span<const LatencyTable> tables);
std::string lut_json(std::span<const LatencyTable> tables);

/// The file name once-for-all's LatencyTable looks for: "224_lookup_table.yaml".
std::string ofa_lut_file_name(int resolution);

/// Shortest decimal text that reads back as exactly `value` ("0.1", "1e-05").
std::string exact_decimal(double value);

}  // namespace vpucost
