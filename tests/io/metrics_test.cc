#include "nazir/eval/metrics.h"

#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace nazir {
namespace {

using Labels = std::vector<int64_t>;

double Ari(const Labels& p, const Labels& g) { return CompareClusterings(p, g).ari; }

// Values from scikit-learn's adjusted_rand_score documentation, checked by
// hand: e.g. [0,0,1,2] vs [0,0,1,1]: index 1, expected 1*2/6, max 1.5 →
// (1 - 1/3) / (1.5 - 1/3) = 4/7.
TEST(MetricsTest, AriSklearnExamples) {
  EXPECT_DOUBLE_EQ(Ari({0, 0, 1, 1}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(Ari({0, 0, 1, 1}, {1, 1, 0, 0}), 1.0);
  EXPECT_DOUBLE_EQ(Ari({0, 0, 1, 2}, {0, 0, 1, 1}), 4.0 / 7);
  EXPECT_DOUBLE_EQ(Ari({0, 0, 1, 1}, {0, 0, 1, 2}), 4.0 / 7);
  EXPECT_DOUBLE_EQ(Ari({0, 0, 0, 0}, {0, 1, 2, 3}), 0.0);
  EXPECT_DOUBLE_EQ(Ari({0, 0, 1, 1}, {0, 1, 0, 1}), -0.5);
}

TEST(MetricsTest, HandComputedExample) {
  // Contingency (pred,gold): (0,0)=2, (0,1)=1, (1,1)=2; pred sizes 3,2; gold 2,3.
  const Labels pred = {0, 0, 0, 1, 1}, gold = {5, 5, 6, 6, 6};
  ClusteringScores s = CompareClusterings(pred, gold);
  EXPECT_EQ(s.docs, 5);
  EXPECT_EQ(s.pairwise.true_pos, 2);
  EXPECT_EQ(s.pairwise.pred_true_pos, 2);
  EXPECT_EQ(s.pairwise.pred_pairs, 4);
  EXPECT_EQ(s.pairwise.gold_pairs, 4);
  EXPECT_DOUBLE_EQ(s.pairwise.precision, 0.5);
  EXPECT_DOUBLE_EQ(s.pairwise.recall, 0.5);
  EXPECT_DOUBLE_EQ(s.pairwise.f1, 0.5);
  // B-cubed precision: (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15; recall symmetric.
  EXPECT_DOUBLE_EQ(s.bcubed_precision, 11.0 / 15);
  EXPECT_DOUBLE_EQ(s.bcubed_recall, 11.0 / 15);
  EXPECT_DOUBLE_EQ(s.bcubed_f1, 11.0 / 15);
  // ARI: index 2, expected 4*4/10 = 1.6, max 4 → 0.4 / 2.4.
  EXPECT_DOUBLE_EQ(s.ari, 1.0 / 6);
}

TEST(MetricsTest, AsymmetricHandExample) {
  // pred merges two gold clusters: {0,1,2,3} vs gold {0,1},{2,3}.
  ClusteringScores s = CompareClusterings(Labels{1, 1, 1, 1}, Labels{0, 0, 1, 1});
  EXPECT_DOUBLE_EQ(s.pairwise.precision, 2.0 / 6);
  EXPECT_DOUBLE_EQ(s.pairwise.recall, 1.0);
  EXPECT_DOUBLE_EQ(s.pairwise.f1, 0.5);
  EXPECT_DOUBLE_EQ(s.bcubed_precision, 0.5);  // each item: 2 of 4 correct
  EXPECT_DOUBLE_EQ(s.bcubed_recall, 1.0);
  EXPECT_DOUBLE_EQ(s.bcubed_f1, 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.ari, 0.0);
}

TEST(MetricsTest, PerfectAndDegenerate) {
  const Labels gold = {3, 3, 9, 9, 9, 4};
  const Labels relabeled = {7, 7, -1, -1, -1, 100};
  ClusteringScores s = CompareClusterings(relabeled, gold);
  EXPECT_DOUBLE_EQ(s.pairwise.f1, 1.0);
  EXPECT_DOUBLE_EQ(s.bcubed_f1, 1.0);
  EXPECT_DOUBLE_EQ(s.ari, 1.0);

  const Labels singletons = {0, 1, 2, 3, 4, 5}, one = {0, 0, 0, 0, 0, 0};
  s = CompareClusterings(singletons, gold);
  EXPECT_EQ(s.pairwise.pred_pairs, 0);
  EXPECT_DOUBLE_EQ(s.pairwise.precision, 1.0);  // 0/0 convention
  EXPECT_DOUBLE_EQ(s.pairwise.recall, 0.0);
  EXPECT_DOUBLE_EQ(s.pairwise.f1, 0.0);
  EXPECT_DOUBLE_EQ(s.bcubed_precision, 1.0);
  EXPECT_DOUBLE_EQ(s.bcubed_recall, (0.5 * 2 + 1.0 / 3 * 3 + 1) / 6);
  EXPECT_DOUBLE_EQ(s.ari, 0.0);

  s = CompareClusterings(one, gold);
  EXPECT_DOUBLE_EQ(s.pairwise.recall, 1.0);
  EXPECT_DOUBLE_EQ(s.pairwise.precision, 4.0 / 15);
  EXPECT_DOUBLE_EQ(s.bcubed_recall, 1.0);
  EXPECT_DOUBLE_EQ(s.ari, 0.0);

  EXPECT_DOUBLE_EQ(CompareClusterings(singletons, singletons).ari, 1.0);
  EXPECT_DOUBLE_EQ(CompareClusterings(one, one).ari, 1.0);
  EXPECT_DOUBLE_EQ(CompareClusterings(singletons, singletons).pairwise.f1, 1.0);
  s = CompareClusterings(Labels{}, Labels{});
  EXPECT_EQ(s.docs, 0);
  EXPECT_DOUBLE_EQ(s.ari, 1.0);
}

struct Brute {
  int64_t tp = 0, pred_pairs = 0, gold_pairs = 0;
  double bp = 0, br = 0, rand_index = 0;
};

Brute BruteForce(const Labels& p, const Labels& g) {
  Brute b;
  const size_t n = p.size();
  int64_t agree = 0;
  for (size_t i = 0; i < n; ++i) {
    double same_p = 0, same_g = 0, same_both = 0;
    for (size_t j = 0; j < n; ++j) {
      same_p += p[i] == p[j];
      same_g += g[i] == g[j];
      same_both += p[i] == p[j] && g[i] == g[j];
      if (j > i) {
        b.pred_pairs += p[i] == p[j];
        b.gold_pairs += g[i] == g[j];
        b.tp += p[i] == p[j] && g[i] == g[j];
        agree += (p[i] == p[j]) == (g[i] == g[j]);
      }
    }
    b.bp += same_both / same_p;
    b.br += same_both / same_g;
  }
  b.bp /= static_cast<double>(n);
  b.br /= static_cast<double>(n);
  b.rand_index = static_cast<double>(agree) / (static_cast<double>(n) * (n - 1) / 2);
  return b;
}

TEST(MetricsTest, MatchesBruteForceOnRandomLabelings) {
  std::mt19937_64 rng(2024);
  for (int t = 0; t < 200; ++t) {
    const size_t n = 2 + rng() % 120;
    const int64_t kp = 1 + static_cast<int64_t>(rng() % n),
                  kg = 1 + static_cast<int64_t>(rng() % n);
    Labels p(n), g(n);
    for (size_t i = 0; i < n; ++i) {
      p[i] = static_cast<int64_t>(rng() % kp) * 1000003 - 5;  // arbitrary label values
      g[i] = static_cast<int64_t>(rng() % kg);
      if (rng() % 3 == 0) g[i] = p[i] % 7;  // some correlation
    }
    const ClusteringScores s = CompareClusterings(p, g);
    const Brute b = BruteForce(p, g);
    ASSERT_EQ(s.pairwise.true_pos, b.tp);
    ASSERT_EQ(s.pairwise.pred_pairs, b.pred_pairs);
    ASSERT_EQ(s.pairwise.gold_pairs, b.gold_pairs);
    EXPECT_NEAR(s.bcubed_precision, b.bp, 1e-12);
    EXPECT_NEAR(s.bcubed_recall, b.br, 1e-12);
    // ARI ≤ 1, and it orders like the (unadjusted) Rand index for a fixed
    // pair of marginals; here just check the bounds and symmetry.
    EXPECT_LE(s.ari, 1.0 + 1e-12);
    EXPECT_NEAR(CompareClusterings(g, p).ari, s.ari, 1e-12);
  }
}

TEST(MetricsTest, AriOfIndependentLabelingsIsNearZero) {
  std::mt19937_64 rng(99);
  double sum = 0;
  const int trials = 20;
  for (int t = 0; t < trials; ++t) {
    const size_t n = 5000;
    Labels p(n), g(n);
    for (size_t i = 0; i < n; ++i) {
      p[i] = static_cast<int64_t>(rng() % 50);
      g[i] = static_cast<int64_t>(rng() % 50);
    }
    const double ari = Ari(p, g);
    EXPECT_LT(std::abs(ari), 0.01);  // sd is about 0.001 at this size
    sum += ari;
  }
  EXPECT_LT(std::abs(sum / trials), 0.003);
}

// Brute force for ComparePairs: components by flood fill, then all pairs.
PairScores BrutePairs(const Labels& pred, const std::vector<std::pair<int64_t, int64_t>>& edges) {
  const int64_t n = static_cast<int64_t>(pred.size());
  std::vector<std::vector<bool>> adj(n, std::vector<bool>(n, false));
  for (auto [a, b] : edges) adj[a][b] = adj[b][a] = true;
  std::vector<int64_t> comp(n, -1);
  for (int64_t s = 0; s < n; ++s) {
    if (comp[s] >= 0) continue;
    std::vector<int64_t> stack = {s};
    comp[s] = s;
    while (!stack.empty()) {
      int64_t x = stack.back();
      stack.pop_back();
      for (int64_t y = 0; y < n; ++y) {
        if (adj[x][y] && comp[y] < 0) comp[y] = s, stack.push_back(y);
      }
    }
  }
  PairScores r;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = i + 1; j < n; ++j) {
      if (adj[i][j]) {
        ++r.gold_pairs;
        r.true_pos += pred[i] == pred[j];
      }
      if (pred[i] == pred[j]) {
        ++r.pred_pairs;
        r.pred_true_pos += comp[i] == comp[j];
      }
    }
  }
  return r;
}

TEST(MetricsTest, ComparePairsHandExample) {
  // Gold edges (0,1), (3,4): components {0,1}, {2}, {3,4}.
  const Labels pred = {0, 0, 0, 1, 2};
  std::vector<std::pair<int64_t, int64_t>> gold = {{0, 1}, {4, 3}, {1, 0}, {2, 2}};
  PairScores s = ComparePairs(pred, gold);
  EXPECT_EQ(s.gold_pairs, 2);  // duplicate and self loop ignored
  EXPECT_EQ(s.true_pos, 1);
  EXPECT_DOUBLE_EQ(s.recall, 0.5);
  EXPECT_EQ(s.pred_pairs, 3);
  EXPECT_EQ(s.pred_true_pos, 1);
  EXPECT_DOUBLE_EQ(s.precision, 1.0 / 3);
  EXPECT_DOUBLE_EQ(s.f1, 2 * (0.5 / 3) / (0.5 + 1.0 / 3));
  // A chain 0-1-2 makes all three predicted pairs correct (transitivity).
  s = ComparePairs(pred, std::vector<std::pair<int64_t, int64_t>>{{0, 1}, {1, 2}});
  EXPECT_DOUBLE_EQ(s.precision, 1.0);
  EXPECT_DOUBLE_EQ(s.recall, 1.0);
  // No gold pairs, all singletons predicted: 0/0 → 1 each.
  s = ComparePairs(Labels{0, 1, 2}, {});
  EXPECT_DOUBLE_EQ(s.f1, 1.0);
}

TEST(MetricsTest, ComparePairsMatchesBruteForce) {
  std::mt19937_64 rng(5);
  for (int t = 0; t < 200; ++t) {
    const int64_t n = 2 + static_cast<int64_t>(rng() % 60);
    Labels pred(n);
    const int64_t k = 1 + static_cast<int64_t>(rng() % n);
    for (auto& x : pred) x = static_cast<int64_t>(rng() % k);
    std::vector<std::pair<int64_t, int64_t>> edges(rng() % (2 * n));
    for (auto& e : edges) {
      e = {static_cast<int64_t>(rng() % n), static_cast<int64_t>(rng() % n)};
      if (rng() % 2) e.second = pred[e.first] == pred[e.second] ? e.second : e.first;
    }
    const PairScores s = ComparePairs(pred, edges);
    const PairScores b = BrutePairs(pred, edges);
    ASSERT_EQ(s.gold_pairs, b.gold_pairs);
    ASSERT_EQ(s.true_pos, b.true_pos);
    ASSERT_EQ(s.pred_pairs, b.pred_pairs);
    ASSERT_EQ(s.pred_true_pos, b.pred_true_pos);
  }
}

}  // namespace
}  // namespace nazir
