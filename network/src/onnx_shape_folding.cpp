#include "onnx_shape_folding.hpp"

#include <cstring>
#include <optional>
#include <unordered_set>

namespace vpucost::onnx_import {
namespace {

using Dims = std::vector<std::int64_t>;

/// A small integer tensor (shape arithmetic never holds more).
struct IntTensor {
  Dims dims;
  std::vector<std::int64_t> v;
};
constexpr std::size_t kMaxElements = 4096;

std::optional<IntTensor> int_tensor(const onnx::TensorProto& t) {
  IntTensor out;
  std::size_t count = 1;
  for (const std::int64_t d : t.dims()) {
    if (d < 0 || static_cast<std::size_t>(d) > kMaxElements) return std::nullopt;
    count *= static_cast<std::size_t>(d);
    if (count > kMaxElements) return std::nullopt;
    out.dims.push_back(d);
  }
  const auto from_raw = [&](auto sample) -> bool {
    using T = decltype(sample);
    const std::string& raw = t.raw_data();
    if (raw.size() != count * sizeof(T)) return false;
    for (std::size_t i = 0; i < count; ++i) {
      T x;
      std::memcpy(&x, raw.data() + i * sizeof(T), sizeof(T));
      out.v.push_back(x);
    }
    return true;
  };
  if (t.data_type() == onnx::TensorProto::INT64) {
    if (t.has_raw_data()) return from_raw(std::int64_t{}) ? std::optional(out) : std::nullopt;
    out.v.assign(t.int64_data().begin(), t.int64_data().end());
  } else if (t.data_type() == onnx::TensorProto::INT32) {
    if (t.has_raw_data()) return from_raw(std::int32_t{}) ? std::optional(out) : std::nullopt;
    out.v.assign(t.int32_data().begin(), t.int32_data().end());
  } else {
    return std::nullopt;
  }
  if (out.v.size() != count) return std::nullopt;
  return out;
}

const onnx::AttributeProto* find_attr(const onnx::NodeProto& node, const char* name) {
  for (const onnx::AttributeProto& a : node.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

std::int64_t wrap(std::int64_t i, std::int64_t n) {
  return i < 0 ? i + n : i;
}

class Folder {
 public:
  explicit Folder(const std::unordered_map<std::string, Dims>& shapes) : shapes_(shapes) {}

  std::optional<IntTensor> known(const std::string& name) const {
    const auto it = known_.find(name);
    return it == known_.end() ? std::nullopt : std::optional(it->second);
  }
  void add(const std::string& name, IntTensor t) { known_[name] = std::move(t); }

  /// The node's one output, or nullopt when it cannot be evaluated.
  std::optional<IntTensor> eval(const onnx::NodeProto& node) const {
    const std::string& op = node.op_type();
    const auto in = [&](int i) -> std::optional<IntTensor> {
      return i < node.input_size() && !node.input(i).empty() ? known(node.input(i)) : std::nullopt;
    };
    if (node.output_size() != 1) return std::nullopt;
    if (op == "Constant") {
      const onnx::AttributeProto* a = find_attr(node, "value");
      return a && a->has_t() ? int_tensor(a->t()) : std::nullopt;
    }
    if (op == "Shape") {
      const auto it = node.input_size() == 1 ? shapes_.find(node.input(0)) : shapes_.end();
      if (it == shapes_.end()) return std::nullopt;
      const auto n = static_cast<std::int64_t>(it->second.size());
      const onnx::AttributeProto* s = find_attr(node, "start");
      const onnx::AttributeProto* e = find_attr(node, "end");
      const std::int64_t start = std::clamp<std::int64_t>(s ? wrap(s->i(), n) : 0, 0, n);
      const std::int64_t end = std::clamp<std::int64_t>(e ? wrap(e->i(), n) : n, 0, n);
      IntTensor t;
      for (std::int64_t i = start; i < end; ++i)
        t.v.push_back(it->second[static_cast<std::size_t>(i)]);
      t.dims = {static_cast<std::int64_t>(t.v.size())};
      return t;
    }
    if (op == "Identity" || op == "Cast") return in(0);
    if (op == "Gather") {
      const auto data = in(0), idx = in(1);
      if (!data || !idx || data->dims.size() != 1) return std::nullopt;
      const auto n = static_cast<std::int64_t>(data->v.size());
      IntTensor t{idx->dims, {}};
      for (const std::int64_t i : idx->v) {
        const std::int64_t j = wrap(i, n);
        if (j < 0 || j >= n) return std::nullopt;
        t.v.push_back(data->v[static_cast<std::size_t>(j)]);
      }
      return t;
    }
    if (op == "Unsqueeze" || op == "Squeeze") {
      auto t = in(0);
      if (!t) return std::nullopt;
      // Shape arithmetic only moves between a scalar and a 1-element vector.
      if (op == "Unsqueeze" && t->dims.empty())
        t->dims = {1};
      else if (op == "Squeeze" && t->dims == Dims{1})
        t->dims = {};
      else
        return std::nullopt;
      return t;
    }
    if (op == "Concat") {
      const onnx::AttributeProto* axis = find_attr(node, "axis");
      if (!axis || axis->i() != 0) return std::nullopt;
      IntTensor t;
      for (int i = 0; i < node.input_size(); ++i) {
        const auto part = in(i);
        if (!part || part->dims.size() != 1) return std::nullopt;
        t.v.insert(t.v.end(), part->v.begin(), part->v.end());
      }
      t.dims = {static_cast<std::int64_t>(t.v.size())};
      return t;
    }
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
      const auto a = in(0), b = in(1);
      if (!a || !b) return std::nullopt;
      const bool a_one = a->v.size() == 1, b_one = b->v.size() == 1;
      if (!a_one && !b_one && a->dims != b->dims) return std::nullopt;
      IntTensor t{a_one ? b->dims : a->dims, {}};
      const std::size_t n = std::max(a->v.size(), b->v.size());
      for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t x = a->v[a_one ? 0 : i], y = b->v[b_one ? 0 : i];
        if (op == "Div" && y == 0) return std::nullopt;
        t.v.push_back(op == "Add" ? x + y : op == "Sub" ? x - y : op == "Mul" ? x * y : x / y);
      }
      return t;
    }
    if (op == "Slice") {
      const auto data = in(0), starts = in(1), ends = in(2);
      if (!data || !starts || !ends || data->dims.size() != 1 || starts->v.size() != 1 ||
          ends->v.size() != 1) {
        return std::nullopt;
      }
      const auto steps = in(4);
      const std::int64_t step = steps && steps->v.size() == 1 ? steps->v[0] : 1;
      if (step != 1) return std::nullopt;
      const auto n = static_cast<std::int64_t>(data->v.size());
      const std::int64_t s = std::clamp<std::int64_t>(wrap(starts->v[0], n), 0, n);
      const std::int64_t e = std::clamp<std::int64_t>(wrap(ends->v[0], n), 0, n);
      IntTensor t;
      for (std::int64_t i = s; i < e; ++i) t.v.push_back(data->v[static_cast<std::size_t>(i)]);
      t.dims = {static_cast<std::int64_t>(t.v.size())};
      return t;
    }
    return std::nullopt;
  }

 private:
  const std::unordered_map<std::string, Dims>& shapes_;
  std::unordered_map<std::string, IntTensor> known_;
};

}  // namespace

int fold_shape_arithmetic(onnx::GraphProto& graph,
                          const std::unordered_map<std::string, Dims>& shapes) {
  Folder folder(shapes);
  for (const onnx::TensorProto& t : graph.initializer()) {
    if (auto v = int_tensor(t)) folder.add(t.name(), std::move(*v));
  }
  std::unordered_set<std::string> outputs;
  for (const onnx::ValueInfoProto& v : graph.output()) outputs.insert(v.name());
  std::vector<bool> folded(static_cast<std::size_t>(graph.node_size()), false);
  int count = 0;
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto& node = graph.node(i);
    if (node.output_size() != 1 || outputs.count(node.output(0))) continue;
    std::optional<IntTensor> value = folder.eval(node);
    if (!value || value->v.size() > kMaxElements) continue;
    onnx::TensorProto* t = graph.add_initializer();
    t->set_name(node.output(0));
    t->set_data_type(onnx::TensorProto::INT64);
    for (const std::int64_t d : value->dims) t->add_dims(d);
    for (const std::int64_t x : value->v) t->add_int64_data(x);
    folder.add(node.output(0), std::move(*value));
    folded[static_cast<std::size_t>(i)] = true;
    ++count;
  }
  if (count == 0) return 0;
  google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
  for (int i = 0; i < graph.node_size(); ++i) {
    if (!folded[static_cast<std::size_t>(i)]) kept.Add()->Swap(graph.mutable_node(i));
  }
  graph.mutable_node()->Swap(&kept);
  return count;
}

}  // namespace vpucost::onnx_import
