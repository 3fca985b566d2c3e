#include "nazir/shingle/shingle.h"

#include <bit>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace nazir {
namespace {

std::vector<uint64_t> Hash(const std::vector<std::string_view>& tokens, uint64_t seed = 7) {
  std::vector<uint64_t> out(tokens.size());
  HashTokens(tokens, seed, out);
  return out;
}

std::vector<uint64_t> Combine(const std::vector<uint64_t>& th, uint32_t n) {
  std::vector<uint64_t> out(NumShingles(th.size(), n));
  CombineShingles(th, n, out);
  return out;
}

TEST(ShingleTest, NumShingles) {
  EXPECT_EQ(NumShingles(0, 1), 0u);
  EXPECT_EQ(NumShingles(0, 4), 0u);
  EXPECT_EQ(NumShingles(1, 4), 1u);
  EXPECT_EQ(NumShingles(3, 4), 1u);
  EXPECT_EQ(NumShingles(4, 4), 1u);
  EXPECT_EQ(NumShingles(5, 4), 2u);
  EXPECT_EQ(NumShingles(300, 4), 297u);
  EXPECT_EQ(NumShingles(7, 1), 7u);
}

TEST(ShingleTest, HashTokensIsPerTokenAndSeeded) {
  const std::vector<std::string_view> tokens = {"موسكو", "لافروف", "موسكو", ""};
  const auto a = Hash(tokens, 1);
  const auto b = Hash(tokens, 2);
  EXPECT_EQ(a[0], a[2]);
  EXPECT_NE(a[0], a[1]);
  EXPECT_NE(a[0], b[0]);
  // Each token is hashed on its own: a prefix of the input gives a prefix.
  const auto prefix = Hash({tokens[0], tokens[1]}, 1);
  EXPECT_EQ(prefix[0], a[0]);
  EXPECT_EQ(prefix[1], a[1]);
}

// Direct (non-rolling) form of the cyclic polynomial, written independently of
// the kernel: rolling must agree with it exactly, for every n and length.
uint64_t ReferenceShingle(const uint64_t* h, size_t count) {
  uint64_t x = 0;
  for (size_t j = 0; j < count; ++j)
    x ^= std::rotl(h[j], static_cast<int>(((count - 1 - j) * 23) % 64));
  x ^= count * 0x9e3779b97f4a7c15ULL;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  return x;
}

TEST(ShingleTest, RollingMatchesDirectComputation) {
  std::mt19937_64 rng(42);
  // n = 8 (the engine default) takes the window-doubling kernel: lengths around its 256-shingle
  // blocks too.
  for (uint32_t n : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 16u, 64u, 65u, 70u}) {
    for (size_t len : {size_t{0}, size_t{1}, size_t{3}, size_t{n - 1}, size_t{n}, size_t{n + 1},
                       size_t{200}, size_t{262}, size_t{263}, size_t{264}, size_t{600}}) {
      std::vector<uint64_t> th(len);
      for (auto& h : th) h = rng();
      const auto got = Combine(th, n);
      ASSERT_EQ(got.size(), NumShingles(len, n));
      for (size_t i = 0; i < got.size(); ++i) {
        const size_t count = len < n ? len : n;
        ASSERT_EQ(got[i], ReferenceShingle(th.data() + i, count))
            << "n=" << n << " len=" << len << " i=" << i;
      }
    }
  }
}

TEST(ShingleTest, OrderSensitiveAndPositionFree) {
  const std::vector<std::string_view> abcd = {"قال", "وزير", "الخارجية", "الروسي"};
  const std::vector<std::string_view> bacd = {"وزير", "قال", "الخارجية", "الروسي"};
  const auto s1 = Combine(Hash(abcd), 4);
  const auto s2 = Combine(Hash(bacd), 4);
  ASSERT_EQ(s1.size(), 1u);
  EXPECT_NE(s1[0], s2[0]);
  // The same 4 tokens inside a longer text give the same shingle.
  const std::vector<std::string_view> longer = {"موسكو:",   "قال",    "وزير",
                                                "الخارجية", "الروسي", "اليوم"};
  const auto s3 = Combine(Hash(longer), 4);
  ASSERT_EQ(s3.size(), 3u);
  EXPECT_EQ(s3[1], s1[0]);
  EXPECT_NE(s3[0], s1[0]);
  EXPECT_NE(s3[2], s1[0]);
}

TEST(ShingleTest, ShortTextIsOneShingleDistinctFromPrefixes) {
  const std::vector<std::string_view> two = {"قال", "وزير"};
  const std::vector<std::string_view> three = {"قال", "وزير", "الخارجية"};
  const auto a = Combine(Hash(two), 4);
  const auto b = Combine(Hash(three), 4);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_NE(a[0], b[0]);
}

TEST(ShingleTest, RepeatedTokensStayDistinct) {
  // Degenerate inputs a linear combiner could collapse: runs of one token and
  // period-2 patterns must still give distinct shingles.
  std::mt19937_64 rng(3);
  std::set<uint64_t> seen;
  size_t total = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const uint64_t a = rng();
    const uint64_t b = rng();
    for (const auto& th : {std::vector<uint64_t>{a, a, a, a}, std::vector<uint64_t>{a, b, a, b},
                           std::vector<uint64_t>{b, a, b, a}, std::vector<uint64_t>{a, a, b, b}}) {
      seen.insert(Combine(th, 4)[0]);
      ++total;
    }
  }
  EXPECT_EQ(seen.size(), total);
}

TEST(ShingleTest, OutputBitsAreBalanced) {
  // Shingles feed MinHash directly: every output bit should be set about half
  // the time over consecutive shingles of random tokens (sequential inputs
  // share n-1 tokens, the worst case for a weak mixer).
  std::mt19937_64 rng(9);
  std::vector<uint64_t> th(20000);
  for (auto& h : th) h = rng() & 0xffff;  // low-entropy token hashes
  const auto sh = Combine(th, 4);
  for (int bit = 0; bit < 64; ++bit) {
    size_t ones = 0;
    for (uint64_t s : sh) ones += (s >> bit) & 1;
    const double frac = static_cast<double>(ones) / static_cast<double>(sh.size());
    // 6 sigma for a fair coin over ~20000 draws is ~0.021.
    EXPECT_NEAR(frac, 0.5, 0.021) << "bit " << bit;
  }
}

// Golden outputs: a change to token hashing or the shingle combiner must fail
// here (and bump ParamsFingerprint::kHashVersion).
TEST(ShingleGoldenTest, PinnedOutputs) {
  const std::vector<std::string_view> tokens = {"موسكو",  "التقى", "وزير",  "الخارجية",
                                                "الروسي", "سيرغي", "لافروف"};
  const auto th = Hash(tokens, 0x6e617a6972ULL);
  const std::vector<uint64_t> want_tokens = {
      0x2d3453ec834206fbULL, 0xd99556b9ed15ccc5ULL, 0x549b8dc05682b903ULL, 0xb9f0fe442abbf4cfULL,
      0xc66425dce3289207ULL, 0x92abb123cd3df3c8ULL, 0x9900dbde80e93edbULL};
  EXPECT_EQ(th, want_tokens);
  const std::vector<uint64_t> want_n4 = {0x64bcad57507e3c78ULL, 0x9bedee0d50256330ULL,
                                         0x2b43f1bdcf6c2674ULL, 0x5b2b4878682a6324ULL};
  EXPECT_EQ(Combine(th, 4), want_n4);
  const std::vector<uint64_t> want_short = {0x2a8de486542b988cULL};
  EXPECT_EQ(Combine({th[0], th[1]}, 4), want_short);
}

// n = 8, the engine default (its own kernel), pinned to the rolling form's outputs.
TEST(ShingleGoldenTest, PinnedOutputsN8) {
  const std::vector<std::string_view> tokens = {
      "موسكو",  "التقى", "وزير",     "الخارجية", "الروسي", "سيرغي", "لافروف", "نظيره",
      "السوري", "أسعد",  "الشيباني", "في",       "موسكو",  "اليوم", "الخميس", "في",
      "زيارة",  "تعد",   "الأولى",   "لمسؤول",   "سوري",   "رفيع",  "المستوى"};
  const auto th = Hash(tokens, 0x6e617a6972ULL);
  const std::vector<uint64_t> want = {
      0x1e82dafe012d8fcbULL, 0x2f778fa9ba53e7daULL, 0x5acd9c4a1ef3888fULL, 0x5dbe22eb0c18cf74ULL,
      0x2fde8c0dea64dee3ULL, 0xe90a3f84aa3d6696ULL, 0xf8b48b29b7762d03ULL, 0xb5abcf8c05ad8df4ULL,
      0x618994e20f30ceceULL, 0xde91ac1bb9b5952bULL, 0xae81f91d9123b6f9ULL, 0xf2b0849cc6cd7eebULL,
      0x4a50b418236d6e0bULL, 0x7e88f15b4894011aULL, 0x77f8adcfe2a5f09fULL, 0x6f0d14c3a94644e0ULL};
  EXPECT_EQ(Combine(th, 8), want);
}

}  // namespace
}  // namespace nazir
