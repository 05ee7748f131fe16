// Issue #16, item 5: does the whole-device latency rank architectures as the
// device does? For random architectures of the ProxylessNAS space at 224
// (UINT8), the latency from vpucost's tables in each mode (dpu, compute,
// ddr) against the teacher's: every block summed from layers/<device>_
// proxyless_224.csv (VPUNN's layer model; compute = cycles_best, ddr = plus
// the three DMA terms). Prints Kendall's tau, the share of the 10 % our
// table calls fastest that really are, and the kernel-7 / kernel-3 cost of
// an expand-6 block on 7x7 maps. Usage:
//   device_rank_study MODEL.h5 DMA_MODEL.h5 PROXYLESS_224.csv [ARCHITECTURES]
// Results: network/NETWORK.md section 12.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "vpucost/dma_model_file.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/model_file.hpp"

namespace {

using namespace vpucost;

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string c; std::getline(ss, c, ',');) out.push_back(c);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

double kendall_tau(const std::vector<double>& a, const std::vector<double>& b) {
  long long concordant = 0, discordant = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = i + 1; j < a.size(); ++j) {
      const double x = (a[i] - a[j]) * (b[i] - b[j]);
      concordant += x > 0;
      discordant += x < 0;
    }
  }
  return double(concordant - discordant) / double(concordant + discordant);
}

// Of the `share` fastest by `ours`, the fraction also among the `share`
// fastest by `truth`.
double top_overlap(const std::vector<double>& ours, const std::vector<double>& truth,
                   double share) {
  const std::size_t n = ours.size(), k = std::max<std::size_t>(1, std::size_t(share * double(n)));
  std::vector<std::size_t> a(n), b(n);
  for (std::size_t i = 0; i < n; ++i) a[i] = b[i] = i;
  std::sort(a.begin(), a.end(), [&](auto x, auto y) { return ours[x] < ours[y]; });
  std::sort(b.begin(), b.end(), [&](auto x, auto y) { return truth[x] < truth[y]; });
  std::vector<bool> fast(n, false);
  for (std::size_t i = 0; i < k; ++i) fast[b[i]] = true;
  std::size_t hit = 0;
  for (std::size_t i = 0; i < k; ++i) hit += fast[a[i]];
  return double(hit) / double(k);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: device_rank_study MODEL.h5 DMA_MODEL.h5 PROXYLESS_224.csv [ARCHS]\n");
    return 2;
  }
  const CostModel model = load_model(argv[1]);
  const DmaModel dma = load_dma_model(argv[2]);
  const std::size_t archs = argc > 4 ? std::stoul(argv[4]) : 3000;
  // The teacher's blocks (UINT8): compute and fully-in-DDR cycles.
  std::map<std::string, std::pair<double, double>> teacher;
  std::ifstream in(argv[3]);
  std::string line;
  std::getline(in, line);
  std::map<std::string, std::size_t> col;
  const auto header = split_csv(line);
  for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  while (std::getline(in, line)) {
    const auto c = split_csv(line);
    if (c.at(col.at("input_dtype")) != "UINT8") continue;
    const double compute = std::stod(c.at(col.at("cycles_best")));
    const double ddr = compute + std::stod(c.at(col.at("dma_weights_cycles"))) +
                       std::stod(c.at(col.at("dma_input_cycles"))) +
                       std::stod(c.at(col.at("dma_output_cycles")));
    auto& t = teacher[c.at(col.at("block_id"))];
    t.first += compute;
    t.second += ddr;
  }
  const SearchSpace space = proxyless_space();
  const LatencyMode modes[] = {LatencyMode::dpu_only, LatencyMode::compute, LatencyMode::ddr,
                               LatencyMode::device};
  std::vector<LatencyTable> tables;
  for (const LatencyMode m : modes) {
    const NetworkCoster coster(model, model.device(), DType::UINT8, m, &dma);
    tables.push_back(build_latency_table(space, 224, coster));
  }
  // Teacher block id of (position, candidate).
  const auto block_id = [&](std::size_t p, const Candidate& c) {
    if (space.positions[p].stage == 0) return std::string("stem_first_block_mbconv1");
    int in_stage = 0;
    for (std::size_t q = 0; q < p; ++q)
      in_stage += space.positions[q].stage == space.positions[p].stage;
    return "s" + std::to_string(space.positions[p].stage) + "b" + std::to_string(in_stage) + "_k" +
           std::to_string(c.kernel) + "e" + std::to_string(c.expand_ratio);
  };
  const double fixed_compute =
      teacher.at("stem_first_conv").first + teacher.at("head_feature_mix").first +
      teacher.at("head_global_avgpool").first + teacher.at("head_classifier").first;
  const double fixed_ddr =
      teacher.at("stem_first_conv").second + teacher.at("head_feature_mix").second +
      teacher.at("head_global_avgpool").second + teacher.at("head_classifier").second;
  std::mt19937 rng(2026);
  std::vector<std::vector<double>> ours(std::size(modes));
  std::vector<double> truth_compute, truth_ddr;
  for (std::size_t a = 0; a < archs; ++a) {
    std::vector<int> arch;
    double tc = fixed_compute, td = fixed_ddr;
    for (std::size_t p = 0; p < space.positions.size(); ++p) {
      const auto& cands = space.positions[p].candidates;
      const int c = static_cast<int>(rng() % cands.size());
      arch.push_back(c);
      if (cands[std::size_t(c)].zero) continue;
      const auto& t = teacher.at(block_id(p, cands[std::size_t(c)]));
      tc += t.first;
      td += t.second;
    }
    for (std::size_t m = 0; m < std::size(modes); ++m)
      ours[m].push_back(tables[m].latency_ms(arch));
    truth_compute.push_back(tc);
    truth_ddr.push_back(td);
  }
  std::printf("%s, %zu random architectures, UINT8 at 224\n",
              std::string(to_string(model.device())).c_str(), archs);
  std::printf("%-8s  tau vs compute  top-10%% vs compute  tau vs ddr  top-10%% vs ddr\n", "ours");
  for (std::size_t m = 0; m < std::size(modes); ++m) {
    std::printf("%-8s  %14.3f  %18.1f %%  %10.3f  %13.1f %%\n",
                std::string(to_string(modes[m])).c_str(), kendall_tau(ours[m], truth_compute),
                100 * top_overlap(ours[m], truth_compute, 0.1), kendall_tau(ours[m], truth_ddr),
                100 * top_overlap(ours[m], truth_ddr, 0.1));
  }
  // Large kernels on small maps: the last stage's first expand-6 block, k7 / k3.
  const std::size_t last = space.positions.size() - 1;
  const auto ratio = [&](const LatencyTable& t) {
    double k3 = 0, k7 = 0;
    for (std::size_t c = 0; c < space.positions[last].candidates.size(); ++c) {
      const Candidate& cand = space.positions[last].candidates[c];
      if (cand == Candidate::mbconv(3, 6)) k3 = t.blocks[last][c].cycles;
      if (cand == Candidate::mbconv(7, 6)) k7 = t.blocks[last][c].cycles;
    }
    return k7 / k3;
  };
  const double teacher_ratio = teacher.at(block_id(last, Candidate::mbconv(7, 6))).first /
                               teacher.at(block_id(last, Candidate::mbconv(3, 6))).first;
  std::printf(
      "k7/k3 expand-6 block at the last position (7x7): teacher %.2f; ours dpu %.2f, "
      "compute %.2f, ddr %.2f\n",
      teacher_ratio, ratio(tables[0]), ratio(tables[1]), ratio(tables[2]));
  return 0;
}
