#include "nazir/base/huge_pages.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

namespace nazir {
namespace {

// Zero-filled whatever the size, huge blocks 2 MiB-aligned, every byte
// writable, and a released block's memory is not handed out dirty.
TEST(HugePagesTest, ZeroedLargeBlocksAreZeroAlignedAndWritable) {
  constexpr size_t kHugePage = size_t{2} << 20;
  for (size_t bytes : {size_t{0}, size_t{1}, size_t{4096}, kHugePage - 1, kHugePage, kHugePage + 1,
                       3 * kHugePage + 12345}) {
    for (int round = 0; round < 2; ++round) {
      auto* p = static_cast<uint8_t*>(AllocateZeroedLarge(bytes));
      ASSERT_NE(p, nullptr);
      if (bytes >= kHugePage) {
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kHugePage, 0u) << bytes;
      }
      size_t nonzero = 0;
      for (size_t i = 0; i < bytes; ++i) nonzero += p[i] != 0;
      EXPECT_EQ(nonzero, 0u) << bytes << " bytes, round " << round;
      std::memset(p, 0xAB, bytes);  // dirty it: the next round must see zeros again
      FreeZeroedLarge(p, bytes);
    }
  }
  FreeZeroedLarge(nullptr, 1 << 22);  // no-op
}

TEST(HugePagesTest, LargeAllocatorBacksAContainer) {
  std::vector<uint64_t, LargeAllocator<uint64_t>> v(size_t{1} << 19, 7);  // 4 MiB
  EXPECT_EQ(v.front() + v.back(), 14u);
}

}  // namespace
}  // namespace nazir
