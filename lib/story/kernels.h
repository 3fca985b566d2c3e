// Speed kernels of the story clusterer: sparse dot products and the top-k selections. Hot
// (run per term, per story scored, per centroid update): everything here is inline, and the
// bit-for-bit contracts below are what keeps the clusterer's output independent of which
// kernel computes a value. Stateless, or per-object scratch: not thread-safe per object.
#ifndef NAZIR_STORY_KERNELS_H_
#define NAZIR_STORY_KERNELS_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <utility>
#include <vector>

#include <Eigen/SparseCore>

namespace nazir::internal {

// A sparse term vector: term id (a 63-bit hash) -> weight, indices sorted.
using SparseVec = Eigen::SparseVector<float, 0, int64_t>;
constexpr int64_t kDim = std::numeric_limits<int64_t>::max();

// ---- Dot products ----

// Sparse dot product by merging the two sorted index arrays (the sum in index order, in float,
// as Eigen's SparseVector::dot; a branch-light loop that is ~2x faster).
inline float Dot(const SparseVec& a, const SparseVec& b) {
  const int64_t* ia = a.innerIndexPtr();
  const int64_t* ib = b.innerIndexPtr();
  const float* va = a.valuePtr();
  const float* vb = b.valuePtr();
  const int64_t na = a.nonZeros(), nb = b.nonZeros();
  int64_t i = 0, j = 0;
  float sum = 0;
  while (i < na && j < nb) {
    const int64_t x = ia[i], y = ib[j];
    if (x == y) sum += va[i] * vb[j];
    i += x <= y;
    j += y <= x;
  }
  return sum;
}

// Lookup table of one sparse vector's entries for dot products with several others:
// Dot(b) == ::Dot(a, b) bit for bit (the products of the common indices summed in index order,
// in float, a's value first), in one pass over b: a bitmap filter, computed for all of b's
// entries without branches (a hit is unpredictable), then a probe for those that pass.
class VecTable {
 public:
  void Build(const SparseVec& a) {
    for (uint32_t h : used_) slots_[h].id = kFree;
    used_.clear();
    std::fill(std::begin(filter_), std::end(filter_), 0);
    size_t want = 16;
    while (want < 4 * static_cast<size_t>(a.nonZeros())) want *= 2;
    if (slots_.size() < want) slots_.assign(want, Slot{kFree, 0});
    mask_ = slots_.size() - 1;
    for (SparseVec::InnerIterator it(a); it; ++it) {
      const uint64_t id = static_cast<uint64_t>(it.index());
      size_t h = Home(id);
      while (slots_[h].id != kFree) h = (h + 1) & mask_;
      slots_[h] = Slot{id, it.value()};
      used_.push_back(static_cast<uint32_t>(h));
      filter_[Bit(id) / 64] |= uint64_t{1} << (Bit(id) % 64);
    }
  }
  float Dot(const SparseVec& b) {
    const int64_t* idx = b.innerIndexPtr();
    const float* val = b.valuePtr();
    const size_t n = static_cast<size_t>(b.nonZeros());
    if (pos_.size() < n) pos_.resize(n);
    uint32_t* pos = pos_.data();
    size_t m = 0;
    for (size_t k = 0; k < n; ++k) {
      const size_t bit = Bit(static_cast<uint64_t>(idx[k]));
      pos[m] = static_cast<uint32_t>(k);
      m += filter_[bit / 64] >> (bit % 64) & 1;
    }
    float sum = 0;
    for (size_t j = 0; j < m; ++j) {
      const uint32_t k = pos[j];
      const uint64_t id = static_cast<uint64_t>(idx[k]);
      size_t h = Home(id);
      while (slots_[h].id != id && slots_[h].id != kFree) h = (h + 1) & mask_;
      if (slots_[h].id == id) sum += slots_[h].w * val[k];
    }
    return sum;
  }

 private:
  static constexpr uint64_t kFree = ~uint64_t{0};
  static constexpr size_t kBits = 4096;
  struct Slot {
    uint64_t id;
    float w;
  };
  static size_t Bit(uint64_t id) { return (id >> 40) & (kBits - 1); }
  size_t Home(uint64_t id) const { return (id ^ (id >> 29)) & mask_; }
  std::vector<Slot> slots_;
  std::vector<uint32_t> used_, pos_;
  uint64_t filter_[kBits / 64] = {};
  size_t mask_ = 0;
};

// ---- Top-k selection ----

// Top-k selection under the order "heavier first, then lower id" (a strict total order on
// entries with distinct ids) by weight alone: the k heaviest of entries visited in id order
// are those heavier than the k-th largest weight t, then the first `equal` of weight t.
struct TopK {
  float t;
  size_t equal;
  // Whether the next entry in id order, of weight x, is among the k heaviest.
  bool Take(float x) {
    if (x > t) return true;
    if (x < t || equal == 0) return false;
    --equal;
    return true;
  }
};
// *weights: the weights of n > k >= 1 entries, in any order (permuted).
inline TopK SelectTopK(std::vector<float>* weights, size_t k) {
  std::vector<float>& v = *weights;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k - 1), v.end(),
                   std::greater<float>());
  const float t = v[k - 1];  // v[0, k - 1) are >= t, the rest <= t
  size_t above = 0;
  for (size_t i = 0; i + 1 < k; ++i) above += v[i] > t;
  return TopK{t, k - above};
}

// Rank keys: for a non-negative weight w at position pos of a list in ascending id order,
// (bits of w) << 32 | (2^32 - 1 - pos). A larger key is heavier, or as heavy with a lower id,
// so comparing keys as integers decides exactly as Heavier() does on (weight, id) pairs (a
// selection over keys permutes them as it would permute the pairs).
inline uint64_t RankKey(float w, size_t pos) {
  return uint64_t{std::bit_cast<uint32_t>(w + 0.0f)} << 32 | (0xFFFFFFFFu - pos);  // -0 -> +0
}
inline float RankWeight(uint64_t key) { return std::bit_cast<float>(uint32_t(key >> 32)); }

// std::lower_bound's index without data-dependent branches (the probes of a posted list are
// unpredictable).
inline size_t LowerBound(const uint64_t* first, size_t n, uint64_t key) {
  if (n == 0) return 0;
  const uint64_t* base = first;
  while (n > 1) {
    const size_t half = n / 2;
    base = base[half] < key ? base + half : base;
    n -= half;
  }
  return static_cast<size_t>(base - first) + (*base < key);
}

// The order of the top-k selections on (weight, id) pairs: heavier first, then lower id.
inline bool Heavier(const std::pair<float, int64_t>& a, const std::pair<float, int64_t>& b) {
  return a.first > b.first || (a.first == b.first && a.second < b.second);
}

}  // namespace nazir::internal

#endif  // NAZIR_STORY_KERNELS_H_
