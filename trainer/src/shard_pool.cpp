#include "shard_pool.hpp"

#include "vpucost/error.hpp"

namespace vpucost::detail {

ShardPool::ShardPool(int threads) : threads_(threads), errors_(static_cast<std::size_t>(threads)) {
  if (threads < 1) throw Error("thread count must be at least 1, got " + std::to_string(threads));
  workers_.reserve(static_cast<std::size_t>(threads - 1));
  for (int t = 1; t < threads; ++t) workers_.emplace_back([this, t] { worker_loop(t); });
}

ShardPool::~ShardPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  start_.notify_all();
  for (auto& w : workers_) w.join();
}

void ShardPool::worker_loop(int shard) {
  std::uint64_t seen = 0;
  for (;;) {
    const std::function<void(int)>* task = nullptr;
    {
      std::unique_lock lock(mutex_);
      start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      task = task_;
    }
    try {
      (*task)(shard);
    } catch (...) {
      errors_[static_cast<std::size_t>(shard)] = std::current_exception();
    }
    std::lock_guard lock(mutex_);
    if (--pending_ == 0) done_.notify_one();
  }
}

void ShardPool::run(const std::function<void(int)>& task) {
  for (auto& e : errors_) e = nullptr;
  if (threads_ > 1) {
    std::lock_guard lock(mutex_);
    task_ = &task;
    pending_ = threads_ - 1;
    ++generation_;
  }
  start_.notify_all();
  try {
    task(0);
  } catch (...) {
    errors_[0] = std::current_exception();
  }
  if (threads_ > 1) {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    task_ = nullptr;
  }
  for (const auto& e : errors_) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace vpucost::detail
