#include "nazir/eval/metrics.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "nazir/base/check.h"

namespace nazir {
namespace {

int64_t Choose2(int64_t n) { return n * (n - 1) / 2; }

double Ratio(double num, double den) { return den == 0 ? 1.0 : num / den; }

double HarmonicMean(double p, double r) { return p + r == 0 ? 0.0 : 2 * p * r / (p + r); }

void FinishPairs(PairScores* s) {
  s->precision = Ratio(static_cast<double>(s->pred_true_pos), static_cast<double>(s->pred_pairs));
  s->recall = Ratio(static_cast<double>(s->true_pos), static_cast<double>(s->gold_pairs));
  s->f1 = HarmonicMean(s->precision, s->recall);
}

// Maps arbitrary labels to dense ids 0..k-1 (in order of first appearance).
std::vector<int64_t> Densify(std::span<const int64_t> labels, int64_t* num_clusters) {
  absl::flat_hash_map<int64_t, int64_t> ids;
  ids.reserve(labels.size());
  std::vector<int64_t> dense(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    dense[i] = ids.try_emplace(labels[i], static_cast<int64_t>(ids.size())).first->second;
  }
  *num_clusters = static_cast<int64_t>(ids.size());
  return dense;
}

// Contingency table of two dense labelings: cell counts plus marginals.
struct Contingency {
  absl::flat_hash_map<std::pair<int64_t, int64_t>, int64_t> cells;
  std::vector<int64_t> pred_sizes, gold_sizes;
};

Contingency Count(std::span<const int64_t> pred, std::span<const int64_t> gold) {
  int64_t kp = 0, kg = 0;
  std::vector<int64_t> p = Densify(pred, &kp);
  std::vector<int64_t> g = Densify(gold, &kg);
  Contingency c;
  c.pred_sizes.assign(kp, 0);
  c.gold_sizes.assign(kg, 0);
  c.cells.reserve(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    ++c.cells[{p[i], g[i]}];
    ++c.pred_sizes[p[i]];
    ++c.gold_sizes[g[i]];
  }
  return c;
}

int64_t SumChoose2(const std::vector<int64_t>& sizes) {
  int64_t s = 0;
  for (int64_t n : sizes) s += Choose2(n);
  return s;
}

// Disjoint-set forest with path halving and union by size.
class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n), size_(n, 1) {
    std::iota(parent_.begin(), parent_.end(), int64_t{0});
  }
  int64_t Find(int64_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void Union(int64_t a, int64_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
  }

 private:
  std::vector<int64_t> parent_, size_;
};

}  // namespace

ClusteringScores CompareClusterings(std::span<const int64_t> pred, std::span<const int64_t> gold) {
  NAZIR_CHECK(pred.size() == gold.size());
  ClusteringScores s;
  s.docs = static_cast<int64_t>(pred.size());
  if (pred.empty()) return s;
  const Contingency c = Count(pred, gold);

  PairScores& pw = s.pairwise;
  double bp = 0, br = 0;
  for (const auto& [cell, n] : c.cells) {
    pw.true_pos += Choose2(n);
    bp += static_cast<double>(n) * n / c.pred_sizes[cell.first];
    br += static_cast<double>(n) * n / c.gold_sizes[cell.second];
  }
  pw.pred_true_pos = pw.true_pos;
  pw.pred_pairs = SumChoose2(c.pred_sizes);
  pw.gold_pairs = SumChoose2(c.gold_sizes);
  FinishPairs(&pw);

  s.bcubed_precision = bp / s.docs;
  s.bcubed_recall = br / s.docs;
  s.bcubed_f1 = HarmonicMean(s.bcubed_precision, s.bcubed_recall);

  // ARI = (index - expected) / (max - expected) over pair counts.
  const double index = static_cast<double>(pw.true_pos);
  const double a = static_cast<double>(pw.pred_pairs), b = static_cast<double>(pw.gold_pairs);
  const double total = static_cast<double>(Choose2(s.docs));
  const double expected = total == 0 ? 0 : a * b / total;
  const double max_index = (a + b) / 2;
  if (max_index == expected) {
    // Degenerate: both all-singletons, both one cluster, or n < 2. The
    // clusterings then agree on every pair iff a == b == index.
    s.ari = (a == b && b == index) ? 1.0 : 0.0;
  } else {
    s.ari = (index - expected) / (max_index - expected);
  }
  return s;
}

PairScores ComparePairs(std::span<const int64_t> pred,
                        std::span<const std::pair<int64_t, int64_t>> gold_pairs) {
  const int64_t n = static_cast<int64_t>(pred.size());
  std::vector<std::pair<int64_t, int64_t>> edges;
  edges.reserve(gold_pairs.size());
  for (auto [a, b] : gold_pairs) {
    NAZIR_CHECK(a >= 0 && a < n && b >= 0 && b < n);
    if (a == b) continue;
    edges.emplace_back(std::min(a, b), std::max(a, b));
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());

  PairScores s;
  s.gold_pairs = static_cast<int64_t>(edges.size());
  UnionFind uf(pred.size());
  for (auto [a, b] : edges) {
    if (pred[a] == pred[b]) ++s.true_pos;
    uf.Union(a, b);
  }
  std::vector<int64_t> component(pred.size());
  for (int64_t i = 0; i < n; ++i) component[i] = uf.Find(i);
  const Contingency c = Count(pred, component);
  for (const auto& [cell, count] : c.cells) s.pred_true_pos += Choose2(count);
  s.pred_pairs = SumChoose2(c.pred_sizes);
  FinishPairs(&s);
  return s;
}

}  // namespace nazir
