#pragma once
// Distillation: training a small network on more workloads than were
// recorded, labelled by trained "teacher" models. An average of a few
// independently trained networks is more accurate than any one of them
// (their errors partly cancel), but costs several times the parameters and
// time; a single network of the shipped size trained on the recordings plus
// many teacher-labelled workloads keeps much of that gain (models/README.md,
// "Distillation"). The synthetic workloads come only from the training rows,
// never from validation or test data.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vpucost/cost_model.hpp"
#include "vpucost/dataset.hpp"
#include "vpucost/workload.hpp"

namespace vpucost {

/// `count` valid workloads, each made from a randomly chosen row of `data`
/// (among `rows`) by taking one to three of its factors from another row of
/// the same operation: spatial size, input channels, output channels, kernel
/// with stride and padding, data types, execution mode. Channel-wise
/// operations keep equal input and output channels; output sizes are
/// recomputed. A mix that is not a valid workload, or that does not fit in
/// the device's tile memory (cmx_footprint, as every recorded DPU workload
/// does), is drawn again. Fixed by `seed`. Throws vpucost::Error if `rows`
/// is empty or valid mixes are too rare (fewer than 1 in 100 draws).
std::vector<Workload> synthesize_workloads(const Dataset& data, std::span<const std::size_t> rows,
                                           std::size_t count, std::uint64_t seed);

/// The workloads with, as cycles, the geometric mean of the teachers'
/// predictions (the mean of their log-cycles, which is what they are trained
/// on). Throws vpucost::Error naming the teacher if one is for another
/// device than a workload, or if `teachers` is empty.
Dataset label_with_teachers(std::vector<Workload> workloads, std::span<const CostModel> teachers,
                            std::string source);

}  // namespace vpucost
