// Resident memory of a cost model (issue #20 item 3): what loading a shipped
// model adds to a fresh process, and what each thread that predicts in
// batches adds (CostModel keeps its batch buffers per thread, thread_local,
// so that a batch does not allocate). Measured from /proc/self/statm
// (resident pages) around each step of one fresh process per model, next to
// the sizes the data structures imply:
//  - weights: the MLP's parameters as floats, held twice (the file's parts
//    and the runtime copy with normalisation and output scale folded in);
//  - batch buffers: 256-column blocks of the 56 features, the outputs and
//    one activation matrix per hidden layer.
// Usage: memory_study MODEL.h5  -> one markdown table row.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include "vpucost/device.hpp"
#include "vpucost/features.hpp"
#include "vpucost/model_file.hpp"

namespace {

long resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

std::vector<vpucost::Workload> batch(vpucost::Device device, std::size_t n) {
  std::vector<vpucost::Workload> out;
  for (std::size_t i = 0; i < n; ++i) {
    vpucost::Workload w;
    w.device = device;
    w.operation = vpucost::Operation::CONVOLUTION;
    const std::int64_t size = 7 + static_cast<std::int64_t>(i % 50);
    w.input = {size, size, 64, vpucost::DType::UINT8};
    w.output = {size, size, 64, vpucost::DType::UINT8};
    w.mode = vpucost::device_spec(device).modes.front();
    out.push_back(w);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: memory_study MODEL.h5\n");
    return 2;
  }
  const long start = resident_bytes();
  const vpucost::CostModel model = vpucost::load_model(argv[1]);
  const long loaded = resident_bytes();
  const auto ws = batch(model.device(), 4096);
  std::vector<double> out(ws.size());
  model.predict_cycles(ws, out);  // the main thread's buffers
  const long main_thread = resident_bytes();

  constexpr int kThreads = 8;
  std::atomic<int> done{0};
  std::atomic<bool> release{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      std::vector<double> o(ws.size());
      model.predict_cycles(ws, o);
      ++done;
      while (!release) std::this_thread::yield();  // keep the thread_local buffers alive
    });
  }
  while (done < kThreads) std::this_thread::yield();
  const long with_threads = resident_bytes();
  release = true;
  for (std::thread& th : threads) th.join();

  std::size_t parameters = 0, hidden = 0;
  const auto& layers = model.parts().mlp.layers();
  for (std::size_t l = 0; l < layers.size(); ++l) {
    parameters += static_cast<std::size_t>(layers[l].weights.size() + layers[l].bias.size());
    if (l + 1 < layers.size()) hidden += static_cast<std::size_t>(layers[l].bias.size());
  }
  const double buffers = 4.0 * 256 * (double(vpucost::kFeatureCount) + 1 + double(hidden));
  std::printf("| %s | %zu | %.0f KB | %.0f KB | %.0f KB | %.0f KB |\n", argv[1], parameters,
              2 * 4.0 * double(parameters) / 1024, double(loaded - start) / 1024, buffers / 1024,
              double(with_threads - main_thread) / kThreads / 1024);
  return 0;
}
