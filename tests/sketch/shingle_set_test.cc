#include "nazir/sketch/shingle_set.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace nazir {
namespace {

std::vector<uint32_t> RandomSortedUnique(std::mt19937_64& rng, size_t n, uint32_t range) {
  std::set<uint32_t> s;
  while (s.size() < n) s.insert(static_cast<uint32_t>(rng() % range));
  return {s.begin(), s.end()};
}

TEST(ShingleSetTest, SortedShingleKeysAreSortedUniqueKeys) {
  std::mt19937_64 rng(1);
  std::vector<uint64_t> shingles(500);
  for (auto& x : shingles) x = rng();
  shingles.insert(shingles.end(), shingles.begin(), shingles.begin() + 100);  // duplicates
  std::vector<uint32_t> keys = {7, 7, 7};  // stale content is cleared
  SortedShingleKeys(shingles, &keys);
  std::set<uint32_t> want;
  for (uint64_t x : shingles) want.insert(ShingleKey(x));
  EXPECT_EQ(keys, std::vector<uint32_t>(want.begin(), want.end()));
  EXPECT_EQ(keys.size(), 500u);

  // Capacity is reused: a smaller document does not reallocate.
  const uint32_t* data = keys.data();
  SortedShingleKeys(std::span<const uint64_t>(shingles).first(200), &keys);
  EXPECT_EQ(keys.data(), data);
  EXPECT_EQ(keys.size(), 200u);
  SortedShingleKeys({}, &keys);
  EXPECT_TRUE(keys.empty());
}

TEST(ShingleSetTest, ShingleKeyIsWellMixed) {
  // Sequential 64-bit inputs must give balanced key bits.
  for (int bit = 0; bit < 32; ++bit) {
    int ones = 0;
    for (uint64_t x = 0; x < 20000; ++x) ones += (ShingleKey(x) >> bit) & 1;
    EXPECT_NEAR(ones / 20000.0, 0.5, 0.021) << bit;  // 6 sigma
  }
}

TEST(ShingleSetTest, IntersectionSizeMatchesBruteForce) {
  std::mt19937_64 rng(2);
  const size_t sizes[] = {0, 1, 2, 10, 100, 1000, 20000};
  for (size_t na : sizes) {
    for (size_t nb : sizes) {
      for (uint32_t range : {50u, 3000u, 100000u}) {
        if (na > range / 2 || nb > range / 2) continue;
        const auto a = RandomSortedUnique(rng, na, range);
        const auto b = RandomSortedUnique(rng, nb, range);
        std::vector<uint32_t> both;
        std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
        EXPECT_EQ(IntersectionSize(a, b), both.size()) << na << " " << nb << " " << range;
        EXPECT_EQ(IntersectionSize(b, a), both.size()) << na << " " << nb << " " << range;
      }
    }
  }
  // Galloping path hitting both ends of the large array.
  const std::vector<uint32_t> big = RandomSortedUnique(rng, 5000, 1u << 31);
  const std::vector<uint32_t> small = {big.front(), big[2500], big.back()};
  EXPECT_EQ(IntersectionSize(small, big), 3u);
  EXPECT_EQ(IntersectionSize(big, small), 3u);
  EXPECT_EQ(IntersectionSize(big, big), big.size());
}

}  // namespace
}  // namespace nazir

namespace nazir {
namespace {

// Sizes on both sides of the bucket-sort cut-off, with many duplicates, and
// keys crowded into one bucket (not what hashing produces, but it must stay
// correct), against std::set.
TEST(SortedShingleKeysTest, MatchesStdSetForAllSizesAndDuplicates) {
  std::mt19937_64 rng(23);
  for (size_t n : {0u, 1u, 2u, 31u, 32u, 33u, 100u, 257u, 1000u, 5000u}) {
    for (uint64_t vocab : {uint64_t{3}, uint64_t{50}, uint64_t{1} << 40}) {
      std::vector<uint64_t> shingles(n);
      for (auto& s : shingles) s = rng() % vocab;
      std::vector<uint32_t> keys;
      SortedShingleKeys(shingles, &keys);
      std::set<uint32_t> want;
      for (uint64_t s : shingles) want.insert(ShingleKey(s));
      EXPECT_EQ(keys, std::vector<uint32_t>(want.begin(), want.end())) << n << " " << vocab;
    }
  }
}

}  // namespace
}  // namespace nazir
