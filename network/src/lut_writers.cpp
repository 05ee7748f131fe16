#include "vpucost/lut_writers.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "batch_coster.hpp"
#include "vpucost/error.hpp"
#include "vpucost/version.hpp"

namespace vpucost {
namespace {

using std::to_string;

std::string header_line(const LatencyTable& t) {
  return "space " + t.space + ", resolution " + to_string(t.resolution) + ", " +
         std::string(to_string(t.device)) + " " + std::string(to_string(t.dtype)) +
         ", cycles from " + t.source;
}

std::string shape(const Tensor& t) {
  return to_string(t.width) + "x" + to_string(t.height) + "x" + to_string(t.channels);
}

// "expand: CONVOLUTION 112x112x16->112x112x48 k1x1 s1 p0,0,0,0 CUBOID_4x16 14936"
std::string workload_summary(const LayerCost& layer) {
  std::string s;
  const std::size_t n = layer.cost.workloads.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Workload& w = layer.cost.workloads[i].workload;
    if (!s.empty()) s += " | ";
    s += layer.layer.name;
    if (n > 1) s += "[" + to_string(i + 1) + "/" + to_string(n) + "]";
    s += ": " + std::string(to_string(w.operation)) + " " + shape(w.input) + "->" +
         shape(w.output) + " k" + to_string(w.kernel_w) + "x" + to_string(w.kernel_h) + " s" +
         to_string(w.stride_h) + " p" + to_string(w.padding.top) + "." +
         to_string(w.padding.bottom) + "." + to_string(w.padding.left) + "." +
         to_string(w.padding.right) + " " + std::string(to_string(w.mode)) + " " +
         exact_decimal(layer.cost.workloads[i].cycles);
  }
  return s;
}

std::size_t workload_count(const LutEntry& e) {
  std::size_t n = 0;
  for (const LayerCost& l : e.layers) n += l.cost.workloads.size();
  return n;
}

nlohmann::ordered_json workload_json(const CostedWorkload& cw) {
  const Workload& w = cw.workload;
  return {{"operation", std::string(to_string(w.operation))},
          {"input", {w.input.width, w.input.height, w.input.channels}},
          {"output", {w.output.width, w.output.height, w.output.channels}},
          {"kernel", {w.kernel_w, w.kernel_h}},
          {"stride", {w.stride_w, w.stride_h}},
          {"padding", {w.padding.top, w.padding.bottom, w.padding.left, w.padding.right}},
          {"dtype", std::string(to_string(w.input.dtype))},
          {"execution_mode", std::string(to_string(w.mode))},
          {"output_write_tiles", w.output_write_tiles},
          {"isi_strategy", std::string(to_string(w.isi_strategy))},
          {"cycles", cw.cycles}};
}

nlohmann::ordered_json entry_json(const LutEntry& e) {
  nlohmann::ordered_json j{
      {"kind", std::string(to_string(e.kind))}, {"key", e.key}, {"cycles", e.cycles}, {"ms", e.ms}};
  if (e.kind == PartKind::Block) {
    j["position"] = e.position;
    j["stage"] = e.stage;
    j["candidate"] = e.candidate;
    j["candidate_name"] = e.candidate_name;
  }
  j["layers"] = nlohmann::ordered_json::array();
  for (const LayerCost& l : e.layers) {
    nlohmann::ordered_json layer{
        {"name", l.layer.name},    {"kind", std::string(to_string(l.layer.kind))},
        {"split", l.cost.split},   {"split_reason", std::string(to_string(l.cost.split_reason))},
        {"cycles", l.cost.cycles}, {"workloads", nlohmann::ordered_json::array()}};
    for (const CostedWorkload& cw : l.cost.workloads)
      layer["workloads"].push_back(workload_json(cw));
    j["layers"].push_back(std::move(layer));
  }
  if (!e.shave.empty()) {
    j["shave"] = nlohmann::ordered_json::array();
    for (const ShaveCost& sc : e.shave) {
      j["shave"].push_back({{"name", sc.step.name},
                            {"operation", std::string(to_string(sc.step.op))},
                            {"width", sc.step.width},
                            {"height", sc.step.height},
                            {"channels", sc.step.channels},
                            {"cycles", sc.cycles}});
    }
  }
  if (!e.dma.empty()) {
    j["dma"] = nlohmann::ordered_json::array();
    for (const DmaCost& dc : e.dma) {
      j["dma"].push_back({{"name", dc.step.name},
                          {"direction", std::string(to_string(dc.transfer.direction))},
                          {"width", dc.step.width},
                          {"height", dc.step.height},
                          {"channels", dc.step.channels},
                          {"cycles", dc.cycles}});
    }
  }
  return j;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::string exact_decimal(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc{}) throw Error("cannot format a number");
  return std::string(buffer, end);
}

std::string ofa_lut_file_name(int resolution) {
  return to_string(resolution) + "_lookup_table.yaml";
}

std::string proxyless_yaml(const LatencyTable& table) {
  // Several positions share a key (same shapes, same candidate); their costs
  // are equal by construction, so the first one stands for all.
  std::map<std::string, double> by_key;
  for (const LutEntry* e : table.entries()) {
    if (!e->key.empty()) by_key.emplace(e->key, e->ms);
  }
  std::string out = "# vpucost " + std::string(kVersion) +
                    " latency look-up table: " + header_line(table) +
                    "\n# mean: predicted DPU latency in milliseconds\n";
  for (const auto& [key, ms] : by_key) {
    out += key + ":\n  count: 1\n  mean: " + exact_decimal(ms) + "\n  std: 0.0\n";
  }
  return out;
}

std::string workload_csv_header() {
  return "device,operation,input_width,input_height,input_channels,output_width,output_height,"
         "output_channels,kernel_width,kernel_height,stride_width,stride_height,pad_top,pad_bottom,"
         "pad_left,pad_right,input_dtype,output_dtype,execution_mode,activation_function,"
         "input_sparsity,weight_sparsity,output_write_tiles,isi_strategy";
}

std::string workload_csv_fields(const Workload& w) {
  const auto s = [](const auto& v) { return std::string(to_string(v)); };
  return s(w.device) + "," + s(w.operation) + "," + to_string(w.input.width) + "," +
         to_string(w.input.height) + "," + to_string(w.input.channels) + "," +
         to_string(w.output.width) + "," + to_string(w.output.height) + "," +
         to_string(w.output.channels) + "," + to_string(w.kernel_w) + "," + to_string(w.kernel_h) +
         "," + to_string(w.stride_w) + "," + to_string(w.stride_h) + "," +
         to_string(w.padding.top) + "," + to_string(w.padding.bottom) + "," +
         to_string(w.padding.left) + "," + to_string(w.padding.right) + "," + s(w.input.dtype) +
         "," + s(w.output.dtype) + "," + s(w.mode) + "," + s(w.activation) + "," +
         exact_decimal(w.input_sparsity) + "," + exact_decimal(w.weight_sparsity) + "," +
         to_string(w.output_write_tiles) + "," + s(w.isi_strategy);
}

std::string workloads_csv(std::span<const Workload> workloads) {
  std::string out = workload_csv_header() + "\n";
  std::unordered_set<Workload, detail::WorkloadHash> seen;
  for (const Workload& w : workloads) {
    if (seen.insert(w).second) out += workload_csv_fields(w) + "\n";
  }
  return out;
}

std::string workloads_csv(std::span<const LayerCost* const> layers) {
  std::vector<Workload> workloads;
  for (const LayerCost* l : layers) {
    for (const CostedWorkload& cw : l->cost.workloads) workloads.push_back(cw.workload);
  }
  return workloads_csv(workloads);
}

std::string shave_operations_csv(std::span<const ShaveOperation* const> ops) {
  std::string out =
      "device,operation,input_width,input_height,input_channels,input_dtype,output_width,"
      "output_height,output_channels,output_dtype,params,layout\n";
  std::vector<ShaveOperation> seen;
  const auto s = [](const auto& v) { return std::string(to_string(v)); };
  for (const ShaveOperation* op : ops) {
    if (std::find(seen.begin(), seen.end(), *op) != seen.end()) continue;
    seen.push_back(*op);
    out += s(op->device) + "," + s(op->operation) + "," + to_string(op->input.width) + "," +
           to_string(op->input.height) + "," + to_string(op->input.channels) + "," +
           s(op->input.dtype) + "," + to_string(op->output.width) + "," +
           to_string(op->output.height) + "," + to_string(op->output.channels) + "," +
           s(op->output.dtype) + "," + (takes_param(op->operation) ? to_string(op->param) : "") +
           "," + std::string(shave_layout(op->operation)) + "\n";
  }
  return out;
}

std::string dma_transfers_csv(std::span<const DmaTransfer> transfers) {
  std::string out = "device,direction,width,height,channels,dtype,bytes\n";
  std::vector<DmaTransfer> seen;
  const auto s = [](const auto& v) { return std::string(to_string(v)); };
  for (const DmaTransfer& t : transfers) {
    if (std::find(seen.begin(), seen.end(), t) != seen.end()) continue;
    seen.push_back(t);
    out += s(t.device) + "," + s(t.direction) + "," + to_string(t.tensor.width) + "," +
           to_string(t.tensor.height) + "," + to_string(t.tensor.channels) + "," +
           s(t.tensor.dtype) + "," + to_string(transfer_bytes(t)) + "\n";
  }
  return out;
}

std::string lut_shave_operations_csv(std::span<const LatencyTable> tables) {
  std::vector<const ShaveOperation*> ops;
  for (const LatencyTable& t : tables) {
    for (const LutEntry* e : t.entries()) {
      for (const ShaveCost& sc : e->shave) ops.push_back(&sc.operation);
    }
  }
  return shave_operations_csv(ops);
}

std::string lut_workloads_csv(std::span<const LatencyTable> tables) {
  std::vector<const LayerCost*> layers;
  for (const LatencyTable& t : tables) {
    for (const LutEntry* e : t.entries()) {
      for (const LayerCost& l : e->layers) layers.push_back(&l);
    }
  }
  return workloads_csv(layers);
}

std::string lut_csv(std::span<const LatencyTable> tables) {
  std::string out =
      "space,resolution,device,dtype,source,kind,key,position,stage,candidate,candidate_name,"
      "cycles,ms,n_workloads,workloads\n";
  for (const LatencyTable& t : tables) {
    for (const LutEntry* e : t.entries()) {
      std::string workloads;
      for (const LayerCost& l : e->layers) {
        workloads += (workloads.empty() ? "" : " | ") + workload_summary(l);
      }
      for (const ShaveCost& sc : e->shave) {  // MobileNetV3's SHAVE steps
        workloads += (workloads.empty() ? "" : " | ") + sc.step.name + " " +
                     describe(sc.operation) + " " + exact_decimal(sc.cycles);
      }
      const bool block = e->kind == PartKind::Block;
      out += csv_field(t.space) + "," + to_string(t.resolution) + "," +
             std::string(to_string(t.device)) + "," + std::string(to_string(t.dtype)) + "," +
             t.source + "," + std::string(to_string(e->kind)) + "," + csv_field(e->key) + "," +
             (block ? to_string(e->position) : "") + "," + (block ? to_string(e->stage) : "") +
             "," + (block ? to_string(e->candidate) : "") + "," + csv_field(e->candidate_name) +
             "," + exact_decimal(e->cycles) + "," + exact_decimal(e->ms) + "," +
             to_string(workload_count(*e)) + "," + csv_field(workloads) + "\n";
    }
  }
  return out;
}

std::string lut_json(std::span<const LatencyTable> tables) {
  nlohmann::ordered_json doc{{"format", "vpucost-lut"},
                             {"vpucost_version", kVersion},
                             {"tables", nlohmann::ordered_json::array()}};
  for (const LatencyTable& t : tables) {
    nlohmann::ordered_json table{{"space", t.space},
                                 {"resolution", t.resolution},
                                 {"device", std::string(to_string(t.device))},
                                 {"dtype", std::string(to_string(t.dtype))},
                                 {"source", t.source},
                                 {"fixed_ms", t.fixed_ms()},
                                 {"entries", nlohmann::ordered_json::array()}};
    for (const LutEntry* e : t.entries()) table["entries"].push_back(entry_json(*e));
    doc["tables"].push_back(std::move(table));
  }
  return doc.dump(1) + "\n";
}

}  // namespace vpucost
