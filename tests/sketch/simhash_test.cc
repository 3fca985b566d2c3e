#include "nazir/sketch/simhash.h"

#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "sketch/mix.h"
#include "sketch/simhash_internal.h"

namespace nazir {
namespace {

std::vector<uint64_t> RandomShingles(std::mt19937_64& rng, size_t n) {
  std::vector<uint64_t> s(n);
  for (auto& x : s) x = rng();
  return s;
}

// Brute-force SimHash: one counter per bit, no byte-lane tricks.
uint64_t ReferenceSimHash(const std::vector<uint64_t>& s, uint64_t seed) {
  uint64_t state = seed;
  const uint64_t key = internal::SplitMix64(&state);
  int64_t votes[64] = {};
  for (uint64_t x : s) {
    const uint64_t v = internal::Mix64(x ^ key);
    for (int b = 0; b < 64; ++b) votes[b] += ((v >> b) & 1) ? 1 : -1;
  }
  uint64_t out = 0;
  for (int b = 0; b < 64; ++b) out |= static_cast<uint64_t>(votes[b] > 0) << b;
  return out;
}

TEST(SimHashTest, MatchesBruteForce) {
  std::mt19937_64 rng(4);
  // Sizes around the 255-shingle flush of the byte-lane counters.
  for (size_t n : {1u, 2u, 3u, 254u, 255u, 256u, 510u, 511u, 1000u, 5000u}) {
    const auto s = RandomShingles(rng, n);
    EXPECT_EQ(SimHash64(s, 99), ReferenceSimHash(s, 99)) << n;
    // The portable path (SimHash64 takes the AVX-512BW one when the CPU has it).
    EXPECT_EQ(internal::SimHash64Impl(s, 99, /*allow_avx512=*/false), ReferenceSimHash(s, 99)) << n;
  }
  // All-equal shingles: every vote is unanimous.
  const std::vector<uint64_t> same(700, 12345);
  EXPECT_EQ(SimHash64(same, 1), ReferenceSimHash(same, 1));
  EXPECT_EQ(SimHash64(same, 1), SimHash64(std::vector<uint64_t>{12345}, 1));
}

TEST(SimHashTest, EmptyIsZeroAndSeedMatters) {
  EXPECT_EQ(SimHash64({}, 5), 0u);
  std::mt19937_64 rng(6);
  const auto s = RandomShingles(rng, 300);
  EXPECT_GT(HammingDistance(SimHash64(s, 1), SimHash64(s, 2)), 10);
}

TEST(SimHashTest, IdenticalDocumentsHaveDistanceZero) {
  std::mt19937_64 rng(7);
  const auto s = RandomShingles(rng, 300);
  std::vector<uint64_t> shuffled = s;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  EXPECT_EQ(HammingDistance(SimHash64(s, 3), SimHash64(shuffled, 3)), 0);
}

TEST(SimHashTest, OneShingleChangeGivesSmallDistance) {
  // Changing 1 of 300 votes flips a bit only if its vote was within one of the
  // tie: P ~= P(Binomial(300, 1/2) in {150, 151}) / 2 ~= 0.046 per bit, so the
  // expected distance is ~3.
  std::mt19937_64 rng(8);
  constexpr int kTrials = 200;
  int total = 0;
  for (int t = 0; t < kTrials; ++t) {
    auto s = RandomShingles(rng, 300);
    const uint64_t before = SimHash64(s, 3);
    s[rng() % s.size()] = rng();
    const int d = HammingDistance(before, SimHash64(s, 3));
    EXPECT_LE(d, 14);
    total += d;
  }
  const double mean = static_cast<double>(total) / kTrials;
  EXPECT_LT(mean, 5.0);
  EXPECT_GT(mean, 1.0);
}

TEST(SimHashTest, UnrelatedDocumentsAreAboutHalfApart) {
  // Independent documents: distance ~ Binomial(64, 1/2), mean 32, sd 4.
  std::mt19937_64 rng(9);
  constexpr int kTrials = 500;
  double sum = 0;
  for (int t = 0; t < kTrials; ++t) {
    const int d = HammingDistance(SimHash64(RandomShingles(rng, 300), 3),
                                  SimHash64(RandomShingles(rng, 300), 3));
    EXPECT_GE(d, 8);  // 6 sd
    EXPECT_LE(d, 56);
    sum += d;
  }
  EXPECT_NEAR(sum / kTrials, 32.0, 4 * 4.0 / std::sqrt(double{kTrials}));
}

}  // namespace
}  // namespace nazir
