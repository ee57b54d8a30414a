#include "common/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace teamor {
namespace {

TEST(BoundedQueue, DeliversInOrderAndEndsAfterClose) {
  BoundedQueue<int> queue(3);
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i)
      ASSERT_TRUE(queue.push(i));
    queue.close();
  });
  std::vector<int> got;
  while (auto item = queue.pop())
    got.push_back(*item);
  producer.join();
  ASSERT_EQ(got.size(), 100u);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(got[i], i);
  EXPECT_LE(queue.high_water(), 3u);
}

TEST(BoundedQueue, NeverHoldsMoreThanItsCapacity) {
  // The consumer is slower than the producer: without the bound the queue would grow to 1000.
  BoundedQueue<std::vector<char>> queue(2);
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i)
      queue.push(std::vector<char>(16, 'x'));
    queue.close();
  });
  int count = 0;
  while (auto item = queue.pop()) {
    ++count;
    if (count % 100 == 0) std::this_thread::yield();
  }
  producer.join();
  EXPECT_EQ(count, 1000);
  EXPECT_LE(queue.high_water(), 2u);
}

TEST(BoundedQueue, AbortReleasesABlockedProducerAndConsumer) {
  BoundedQueue<int> full(1);
  ASSERT_TRUE(full.push(1));
  std::atomic<int> push_result{-1};
  std::thread producer([&] { push_result = full.push(2) ? 1 : 0; });  // blocks: queue is full
  BoundedQueue<int> empty(1);
  std::atomic<int> pop_result{-1};
  std::thread consumer([&] { pop_result = empty.pop().has_value() ? 1 : 0; });  // blocks: empty
  full.abort();
  empty.abort();
  producer.join();
  consumer.join();
  EXPECT_EQ(push_result, 0);
  EXPECT_EQ(pop_result, 0);
  EXPECT_FALSE(full.pop().has_value());  // aborted queues drop what they held
}

TEST(BoundedQueue, PushAfterCloseIsRefusedButQueuedItemsDrain) {
  BoundedQueue<int> queue(4);
  ASSERT_TRUE(queue.push(7));
  queue.close();
  EXPECT_FALSE(queue.push(8));
  EXPECT_EQ(queue.pop(), 7);
  EXPECT_FALSE(queue.pop().has_value());
}

}  // namespace
}  // namespace teamor
