#pragma once
// Reads the teacher data's <device>_mbconv_blocks.csv (tests/network/data/)
// and maps each of its blocks to the parts vpucost builds for the same
// block of the ProxylessNAS space at 224.
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "vpucost/lut.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost::test {

struct TeacherRow {
  std::map<std::string, std::string> fields;
  const std::string& operator[](const std::string& column) const { return fields.at(column); }
  std::int64_t num(const std::string& column) const { return std::stoll(fields.at(column)); }
};

inline std::vector<TeacherRow> read_teacher_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  const auto split = [](const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, ',')) out.push_back(field);
    return out;
  };
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  std::vector<TeacherRow> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto values = split(line);
    TeacherRow row;
    for (std::size_t i = 0; i < header.size() && i < values.size(); ++i) {
      row.fields[header[i]] = values[i];
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

inline std::string teacher_csv_path(Device device) {
  const std::string name = device == Device::VPU_2_0   ? "vpu_2_0"
                           : device == Device::VPU_2_7 ? "vpu_2_7"
                                                       : "vpu_4_0";
  return std::string(VPUCOST_TEST_DATA_DIR) + "/" + name + "_mbconv_blocks.csv";
}

/// The layers vpucost builds for a teacher block id ("stem_first_conv",
/// "stem_first_block_mbconv1", "s3b1_k7e6", "head_feature_mix",
/// "head_global_avgpool", "head_classifier").
inline std::vector<Layer> layers_of_teacher_block(const std::string& block_id) {
  const SearchSpace space = proxyless_space();
  if (block_id == "stem_first_conv") return stem_part(224, 3, 32).layers;
  if (block_id == "stem_first_block_mbconv1") return candidate_part(space, 224, 0, 0).layers;
  if (block_id == "head_feature_mix") return feature_mix_part(7, 320, 1280).layers;
  if (block_id == "head_global_avgpool") return {logits_part(7, 1280, 1000).layers[0]};
  if (block_id == "head_classifier") return {logits_part(7, 1280, 1000).layers[1]};
  int stage = 0, block = 0, kernel = 0, expand = 0;
  if (std::sscanf(block_id.c_str(), "s%db%d_k%de%d", &stage, &block, &kernel, &expand) != 4) {
    throw std::runtime_error("unknown teacher block id " + block_id);
  }
  int position = -1;
  int in_stage = -1;
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    if (space.positions[p].stage != stage) continue;
    if (++in_stage == block) position = static_cast<int>(p);
  }
  const auto& candidates = space.positions.at(static_cast<std::size_t>(position)).candidates;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (candidates[c] == Candidate::mbconv(kernel, expand)) {
      return candidate_part(space, 224, position, static_cast<int>(c)).layers;
    }
  }
  throw std::runtime_error("no candidate for " + block_id);
}

}  // namespace vpucost::test
