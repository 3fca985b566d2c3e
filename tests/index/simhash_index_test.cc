#include "nazir/index/simhash_index.h"

#include <bit>
#include <random>

#include <gtest/gtest.h>

namespace nazir {
namespace {

TEST(SimHashIndexTest, FindsEveryFingerprintWithinDistanceLikeBruteForce) {
  std::mt19937_64 rng(11);
  std::vector<uint64_t> fps;
  // Clusters of nearby fingerprints plus random ones.
  for (int c = 0; c < 50; ++c) {
    const uint64_t base = rng();
    fps.push_back(base);
    for (int i = 0; i < 5; ++i) {
      uint64_t x = base;
      const int flips = static_cast<int>(rng() % 6);
      for (int f = 0; f < flips; ++f) x ^= 1ULL << (rng() % 64);
      fps.push_back(x);
    }
  }
  SimHashIndex index;
  for (uint32_t i = 0; i < fps.size(); ++i) index.Insert(i, fps[i]);
  auto fp_of = [&](uint32_t s) { return fps[s]; };
  for (int d = 0; d <= SimHashIndex::kMaxExactDistance; ++d) {
    for (uint32_t q = 0; q < fps.size(); q += 7) {
      std::vector<uint32_t> got;
      index.Query(fps[q], d, fp_of, &got);
      std::vector<uint32_t> want;
      for (uint32_t i = 0; i < fps.size(); ++i) {
        if (std::popcount(fps[i] ^ fps[q]) <= d) want.push_back(i);
      }
      EXPECT_EQ(got, want) << "d=" << d << " q=" << q;
    }
  }
}

TEST(SimHashIndexTest, Remove) {
  SimHashIndex index;
  index.Insert(1, 42);
  index.Insert(2, 42);
  index.Remove(1, 42);
  std::vector<uint32_t> got;
  index.Query(
      42, 0, [](uint32_t) { return uint64_t{42}; }, &got);
  EXPECT_EQ(got, std::vector<uint32_t>{2});
}

}  // namespace
}  // namespace nazir
