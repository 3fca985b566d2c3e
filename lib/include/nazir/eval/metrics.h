// Clustering quality metrics for `nazir eval` and the benchmarks: pairwise
// precision/recall/F1, B-cubed, and the adjusted Rand index, comparing a
// predicted clustering with a gold one; and a variant scored against gold
// pairs (an undirected "these two are near-duplicates" edge list).
//
//   std::vector<int64_t> pred = {0, 0, 1, 2}, gold = {7, 7, 7, 9};
//   nazir::ClusteringScores s = nazir::CompareClusterings(pred, gold);
//   // s.pairwise.precision == 1, s.pairwise.recall == 1.0 / 3, s.ari == 4.0 / 7 ...
//
// Labels are arbitrary int64 values: documents with equal labels form one
// cluster, and a label used once is a singleton cluster. Everything is
// computed from contingency counts (hash maps over label pairs), O(n) time
// and memory, never O(n^2).
//
// Conventions for empty denominators: a ratio 0/0 counts as 1 (no predicted
// pairs means no wrong pairs: precision 1; no gold pairs to find: recall 1),
// and F1 = 0 when precision + recall = 0. ARI is 1 when both clusterings are
// identical up to relabeling even in the degenerate cases (all singletons,
// one cluster, n < 2), as in scikit-learn's adjusted_rand_score.
//
// Thread-safety: pure functions. Failure: NAZIR_CHECK on misuse (different
// lengths, pair indices out of range) — those are caller bugs.
#ifndef NAZIR_EVAL_METRICS_H_
#define NAZIR_EVAL_METRICS_H_

#include <cstdint>
#include <span>
#include <utility>

namespace nazir {

struct PairScores {
  double precision = 1, recall = 1, f1 = 1;
  // CompareClusterings: pairs that share both a predicted and a gold
  // cluster. ComparePairs: gold pairs whose two documents share a predicted
  // cluster (the recall numerator).
  int64_t true_pos = 0;
  int64_t pred_pairs = 0;  // unordered same-predicted-cluster pairs
  int64_t gold_pairs = 0;  // unordered same-gold-cluster pairs / distinct gold edges
  // Predicted pairs judged correct (the precision numerator). Equals
  // true_pos for CompareClusterings; for ComparePairs it counts predicted
  // pairs that lie in one connected component of the gold graph.
  int64_t pred_true_pos = 0;
};

struct ClusteringScores {
  PairScores pairwise;
  // B-cubed (Bagga & Baldwin 1998): per document, precision = |pred ∩ gold
  // cluster| / |pred cluster|, recall = |pred ∩ gold| / |gold cluster|,
  // averaged over documents; F1 is the harmonic mean of the two averages.
  double bcubed_precision = 1, bcubed_recall = 1, bcubed_f1 = 1;
  // Adjusted Rand index (Hubert & Arabie 1985): 1 for identical
  // clusterings, ≈ 0 for independent ones, may be negative.
  double ari = 1;
  int64_t docs = 0;
};

// pred[i] and gold[i] are the cluster labels of document i.
// REQUIRES: pred.size() == gold.size().
ClusteringScores CompareClusterings(std::span<const int64_t> pred, std::span<const int64_t> gold);

// Scores a predicted clustering of n = pred.size() documents against gold
// pairs, undirected edges between document indices (duplicates and self
// loops are ignored). Recall = fraction of distinct gold edges whose two
// documents share a predicted cluster. Precision = fraction of predicted
// same-cluster pairs whose documents are connected in the gold graph (same
// connected component). Documents in no gold pair are gold singletons.
// REQUIRES: every index in [0, n).
PairScores ComparePairs(std::span<const int64_t> pred,
                        std::span<const std::pair<int64_t, int64_t>> gold_pairs);

}  // namespace nazir

#endif  // NAZIR_EVAL_METRICS_H_
