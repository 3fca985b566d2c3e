#include "nazir/index/lsh.h"

#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "nazir/sketch/minhash.h"

namespace nazir {
namespace {

TEST(LshParamsTest, ChosenParamsMeetRecallAndArePinned) {
  const LshParams p5 = ChooseLshParams(128, 0.5);
  EXPECT_EQ(p5.rows, 3u);
  EXPECT_EQ(p5.bands, 42u);
  const LshParams p4 = ChooseLshParams(128, 0.4);
  EXPECT_EQ(p4.rows, 2u);
  EXPECT_EQ(p4.bands, 64u);
  for (double t : {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}) {
    for (uint32_t k : {64u, 128u, 256u}) {
      const LshParams p = ChooseLshParams(k, t);
      EXPECT_LE(p.bands * p.rows, k);
      EXPECT_GE(LshCollisionProbability(t, p.bands, p.rows), 0.99) << t << " " << k;
      // Largest rows: one more row would drop below the recall target.
      const uint32_t r2 = p.rows + 1;
      if (r2 <= k) {
        EXPECT_LT(LshCollisionProbability(t, k / r2, r2), 0.99) << t << " " << k;
      }
      // The knee (1/b)^(1/r) lies below the threshold.
      EXPECT_LT(std::pow(1.0 / p.bands, 1.0 / p.rows), t);
    }
  }
}

TEST(LshParamsTest, SCurveIsMonotone) {
  double prev = 0;
  for (int i = 1; i < 100; ++i) {
    const double p = LshCollisionProbability(i / 100.0, 42, 3);
    EXPECT_GE(p, prev);
    prev = p;
  }
  EXPECT_NEAR(LshCollisionProbability(0.5, 42, 3), 1 - std::pow(1 - 0.125, 42), 1e-12);
}

// Random sets with a planted Jaccard similarity.
std::pair<std::vector<uint64_t>, std::vector<uint64_t>> PlantedPair(double j, int n,
                                                                    std::mt19937_64& rng) {
  // |A ∩ B| = c, |A| = |B| = n: J = c / (2n - c) -> c = 2nJ / (1 + J).
  const int c = static_cast<int>(2.0 * n * j / (1.0 + j) + 0.5);
  std::vector<uint64_t> a, b;
  for (int i = 0; i < c; ++i) {
    uint64_t x = rng();
    a.push_back(x);
    b.push_back(x);
  }
  for (int i = c; i < n; ++i) {
    a.push_back(rng());
    b.push_back(rng());
  }
  return {a, b};
}

TEST(LshIndexTest, EmpiricalCollisionRateFollowsSCurve) {
  auto hasher = OphMinHasher::Create({.num_perm = 128});
  ASSERT_TRUE(hasher.ok());
  const LshParams params = ChooseLshParams(128, 0.5);
  std::mt19937_64 rng(7);
  std::vector<uint32_t> sa(128), sb(128), out;
  for (double j : {0.2, 0.5, 0.8}) {
    const int trials = 300;
    int hits = 0;
    for (int t = 0; t < trials; ++t) {
      auto [a, b] = PlantedPair(j, 200, rng);
      hasher->Sketch(a, sa);
      hasher->Sketch(b, sb);
      LshIndex index(params);
      index.Insert(1, sa);
      out.clear();
      index.Query(sb, &out);
      hits += !out.empty();
    }
    const double p = LshCollisionProbability(j, params.bands, params.rows);
    const double rate = static_cast<double>(hits) / trials;
    // Binomial standard deviation bound (4 sigma, plus slack for the estimator).
    const double sd = std::sqrt(p * (1 - p) / trials);
    EXPECT_NEAR(rate, p, 4 * sd + 0.05) << "J=" << j;
  }
}

TEST(LshIndexTest, MatchesBruteForceBandComparison) {
  const LshParams params{8, 2};
  LshIndex index(params);
  std::mt19937 rng(3);
  std::vector<std::vector<uint32_t>> sigs(300, std::vector<uint32_t>(16));
  for (auto& s : sigs) {
    for (auto& v : s) v = rng() % 3;  // tiny alphabet: many collisions
  }
  for (uint32_t i = 0; i < sigs.size(); ++i) index.Insert(i, sigs[i]);
  for (uint32_t q = 0; q < 20; ++q) {
    std::vector<uint32_t> got;
    index.Query(sigs[q], &got);
    std::vector<uint32_t> want;
    for (uint32_t i = 0; i < sigs.size(); ++i) {
      bool any = false;
      for (uint32_t b = 0; b < params.bands && !any; ++b) {
        any = std::equal(sigs[i].begin() + 2 * b, sigs[i].begin() + 2 * b + 2,
                         sigs[q].begin() + 2 * b);
      }
      if (any) want.push_back(i);
    }
    EXPECT_EQ(got, want);
  }
}

TEST(LshIndexTest, KeyMethodsEqualSignatureMethods) {
  const LshParams params{8, 2};
  LshIndex by_sig(params), by_keys(params);
  std::mt19937 rng(4);
  std::vector<std::vector<uint32_t>> sigs(200, std::vector<uint32_t>(16));
  for (auto& s : sigs) {
    for (auto& v : s) v = rng() % 4;
  }
  std::vector<uint32_t> keys(params.bands);
  for (uint32_t i = 0; i < sigs.size(); ++i) {
    by_sig.Insert(i, sigs[i]);
    by_keys.BandKeys(sigs[i], keys);
    by_keys.InsertKeys(i, keys);
  }
  for (uint32_t q = 0; q < 30; ++q) {
    std::vector<uint32_t> a, b;
    by_sig.Query(sigs[q], &a);
    by_keys.BandKeys(sigs[q], keys);
    by_keys.ForEachCandidateKeys(keys, [&](uint32_t s) { b.push_back(s); });
    std::sort(b.begin(), b.end());
    b.erase(std::unique(b.begin(), b.end()), b.end());
    EXPECT_EQ(a, b);
  }
  by_keys.BandKeys(sigs[0], keys);
  by_keys.RemoveKeys(0, keys);
  std::vector<uint32_t> c;
  by_keys.ForEachCandidateKeys(keys, [&](uint32_t s) { c.push_back(s); });
  EXPECT_EQ(std::count(c.begin(), c.end(), 0u), 0);
}

TEST(LshIndexTest, RemoveForgetsTheSlot) {
  LshIndex index(LshParams{4, 2});
  std::vector<uint32_t> sig = {1, 2, 3, 4, 5, 6, 7, 8};
  index.Insert(5, sig);
  index.Insert(6, sig);
  index.Remove(5, sig);
  std::vector<uint32_t> out;
  index.Query(sig, &out);
  EXPECT_EQ(out, std::vector<uint32_t>{6});
  index.Remove(6, sig);
  EXPECT_EQ(index.num_buckets(), 0u);
}

}  // namespace
}  // namespace nazir
