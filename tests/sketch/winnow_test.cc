#include "nazir/sketch/winnow.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "nazir/shingle/shingle.h"
#include "nazir/sketch/shingle_set.h"

namespace nazir {
namespace {

// Brute force: for every window, the rightmost minimum key; collect keys.
std::vector<uint32_t> ReferenceWinnow(const std::vector<uint64_t>& s, uint32_t w) {
  std::set<uint32_t> out;
  if (s.empty()) return {};
  const size_t num_windows = s.size() < w ? 1 : s.size() - w + 1;
  const size_t width = s.size() < w ? s.size() : w;
  for (size_t start = 0; start < num_windows; ++start) {
    size_t best = start;
    for (size_t i = start; i < start + width; ++i) {
      if (ShingleKey(s[i]) <= ShingleKey(s[best])) best = i;
    }
    out.insert(ShingleKey(s[best]));
  }
  return {out.begin(), out.end()};
}

std::vector<uint64_t> Shingles(const std::vector<uint64_t>& token_hashes, uint32_t n) {
  std::vector<uint64_t> out(NumShingles(token_hashes.size(), n));
  CombineShingles(token_hashes, n, out);
  return out;
}

TEST(WinnowTest, MatchesBruteForce) {
  std::mt19937_64 rng(1);
  std::vector<uint32_t> anchors;
  for (uint32_t w : {1u, 2u, 3u, 4u, 8u, 12u, 17u, 64u}) {
    for (size_t n : {0u, 1u, 3u, 8u, 9u, 12u, 13u, 50u, 64u, 65u, 400u}) {
      std::vector<uint64_t> s(n);
      // Small alphabet so ties (equal keys) actually occur.
      for (auto& x : s) x = rng() % 13;
      WinnowAnchors(s, w, &anchors);
      EXPECT_EQ(anchors, ReferenceWinnow(s, w)) << "w=" << w << " n=" << n;
      for (auto& x : s) x = rng();
      WinnowAnchors(s, w, &anchors);
      EXPECT_EQ(anchors, ReferenceWinnow(s, w)) << "w=" << w << " n=" << n;
    }
  }
}

TEST(WinnowTest, ShortInputEmitsMinimum) {
  std::vector<uint32_t> anchors = {1, 2, 3};
  WinnowAnchors({}, 4, &anchors);
  EXPECT_TRUE(anchors.empty());
  const std::vector<uint64_t> s = {11, 22, 33};
  WinnowAnchors(s, 8, &anchors);
  ASSERT_EQ(anchors.size(), 1u);
  EXPECT_EQ(anchors[0], std::min({ShingleKey(11), ShingleKey(22), ShingleKey(33)}));
}

TEST(WinnowTest, SharedRunGuaranteesSharedAnchor) {
  // Two random token sequences share one planted run of exactly w + n - 1
  // tokens at random offsets: they must share an anchor, every time.
  std::mt19937_64 rng(2);
  std::vector<uint32_t> aa, ab;
  for (uint32_t n : {1u, 3u, 4u}) {
    for (uint32_t w : {1u, 4u, 8u, 16u}) {
      for (int trial = 0; trial < 200; ++trial) {
        const size_t run = w + n - 1;
        std::vector<uint64_t> shared(run);
        for (auto& x : shared) x = rng();
        std::vector<uint64_t> a(rng() % 300), b(rng() % 300);
        for (auto& x : a) x = rng();
        for (auto& x : b) x = rng();
        a.insert(a.begin() + static_cast<std::ptrdiff_t>(rng() % (a.size() + 1)), shared.begin(),
                 shared.end());
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(rng() % (b.size() + 1)), shared.begin(),
                 shared.end());
        WinnowAnchors(Shingles(a, n), w, &aa);
        WinnowAnchors(Shingles(b, n), w, &ab);
        ASSERT_GE(IntersectionSize(aa, ab), 1u) << "n=" << n << " w=" << w << " trial=" << trial;
      }
    }
  }
}

TEST(WinnowTest, DensityIsAboutTwoOverWPlusOne) {
  std::mt19937_64 rng(3);
  std::vector<uint64_t> s(200000);
  for (auto& x : s) x = rng();
  std::vector<uint32_t> anchors;
  for (uint32_t w : {4u, 8u, 16u, 32u}) {
    WinnowAnchors(s, w, &anchors);
    const double density = static_cast<double>(anchors.size()) / static_cast<double>(s.size());
    EXPECT_NEAR(density, 2.0 / (w + 1), 0.05 * 2.0 / (w + 1)) << "w=" << w;
  }
  // Steady state: a second, equal-size document does not reallocate.
  const uint32_t* data = anchors.data();
  for (auto& x : s) x = rng();
  WinnowAnchors(s, 32, &anchors);
  EXPECT_EQ(anchors.data(), data);
}

}  // namespace
}  // namespace nazir
