#pragma once
// A fixed team of worker threads that runs one task per shard and waits for
// all of them. The trainer splits every mini-batch into as many column
// shards as there are threads; shard t always goes to the same code path and
// its partial results are combined in shard order, so a run is bit-identical
// for a given thread count whatever the OS scheduling.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vpucost::detail {

class ShardPool {
 public:
  /// `threads` >= 1; the calling thread runs shard 0, so threads - 1 workers start.
  explicit ShardPool(int threads);
  ShardPool(const ShardPool&) = delete;
  ShardPool& operator=(const ShardPool&) = delete;
  ~ShardPool();

  int size() const { return threads_; }

  /// Runs task(0) ... task(size() - 1) concurrently and returns when all are
  /// done. Rethrows the exception of the lowest-numbered failing shard.
  void run(const std::function<void(int)>& task);

 private:
  void worker_loop(int shard);

  int threads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_;
  std::condition_variable done_;
  const std::function<void(int)>* task_ = nullptr;
  std::uint64_t generation_ = 0;
  int pending_ = 0;
  bool stopping_ = false;
  std::vector<std::exception_ptr> errors_;
};

}  // namespace vpucost::detail
