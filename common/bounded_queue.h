#pragma once
// BoundedQueue: a fixed-capacity, thread-safe FIFO that connects the stages of the detection
// pipeline (decode -> features -> network). A full queue blocks the producer, so a fast decoder
// cannot run ahead of feature extraction and memory stays flat however long the recording is.
//
//   BoundedQueue<Clip> clips(4);
//   std::thread decoder([&] { while (auto c = next_clip()) if (!clips.push(std::move(*c))) break;
//                             clips.close(); });
//   while (auto clip = clips.pop()) consume(*clip);   // nullopt once closed and drained
//   decoder.join();
//
// close() ends the stream normally (consumers drain what is left); abort() stops both sides at once
// (pending items are dropped), which is how an error or Ctrl-C in one stage stops the others.

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

#include "common/error.h"

namespace teamor {

template <typename T>
class BoundedQueue {
 public:
  /// @param capacity most items held at once (>= 1)
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {
    TEAMOR_ASSERT(capacity >= 1);
  }
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  /// @brief Appends @p item, waiting while the queue is full.
  /// @return false when the queue was closed or aborted (the item is dropped)
  bool push(T item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_ || closed_ || aborted_; });
    if (closed_ || aborted_) return false;
    items_.push_back(std::move(item));
    high_water_ = std::max(high_water_, items_.size());
    not_empty_.notify_one();
    return true;
  }

  /// @brief Takes the oldest item, waiting while the queue is empty and still open.
  /// @return the item, or nullopt when the queue is closed and drained, or aborted
  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_ || aborted_; });
    if (aborted_ || items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  /// @brief No more pushes; consumers still receive what is queued, then nullopt.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  /// @brief Stops producers and consumers immediately and drops queued items.
  void abort() {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    items_.clear();
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  bool aborted() const {
    std::lock_guard lock(mutex_);
    return aborted_;
  }
  std::size_t capacity() const { return capacity_; }
  /// Most items ever held at once (the memory bound actually reached).
  std::size_t high_water() const {
    std::lock_guard lock(mutex_);
    return high_water_;
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<T> items_;
  std::size_t high_water_ = 0;
  bool closed_ = false;
  bool aborted_ = false;
};

}  // namespace teamor
