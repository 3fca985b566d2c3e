// Banded MinHash LSH (Indyk & Motwani 1998; Broder 1997; Leskovec, Rajaraman &
// Ullman, "Mining of Massive Datasets", ch. 3.4).
//
// A signature of k = bands * rows lanes is cut into `bands` bands of `rows`
// lanes; two documents become candidates when any band matches exactly. For a
// pair with Jaccard similarity s the collision probability is
//     P(s) = 1 - (1 - s^rows)^bands,
// an S-curve whose knee sits near (1/bands)^(1/rows).
//
// ChooseLshParams picks (bands, rows) from the verification threshold: among
// all rows r with bands = floor(k / r) it takes the LARGEST r (fewest false
// candidates) whose recall at the threshold, P(threshold), is at least
// `min_recall` (default 0.99). The knee then lies below the threshold. For
// k = 128: threshold 0.5 -> 42 bands x 3 rows (P(0.5) = 0.996);
// threshold 0.3 -> 64 x 2 (P(0.3) = 0.998).
//
//   LshParams p = ChooseLshParams(128, 0.5);
//   LshIndex index(p);
//   index.Insert(slot, sig);          // sig: 128 uint32 lanes
//   index.Query(sig, &candidates);    // slots sharing >= 1 band
//
// A band is reduced to a 32-bit band key (a hash of the band index and its
// rows); callers that keep documents may store the `bands` keys instead of
// the k-lane signature (84 bytes instead of 512 at k = 128) and use the
// *Keys methods. Two different bands colliding on a key only adds a
// candidate, which the caller verifies anyway.
//
// Thread safety: Query is const and may run concurrently with other Queries;
// Insert/Remove need exclusive access. The index stores slots (uint32) and
// band keys, never signatures: the caller owns them. Inserting the same slot
// twice, or removing a slot with other keys than it was inserted with, is a
// caller bug.
#ifndef NAZIR_INDEX_LSH_H_
#define NAZIR_INDEX_LSH_H_

#include <cstdint>
#include <span>
#include <vector>

#include "nazir/index/posting_map.h"

namespace nazir {

struct LshParams {
  uint32_t bands = 0;
  uint32_t rows = 0;
};

// Probability that a pair with Jaccard similarity s shares at least one band.
double LshCollisionProbability(double s, uint32_t bands, uint32_t rows);

// See the header comment for the rule. REQUIRES: num_perm >= 1, 0 < threshold < 1.
LshParams ChooseLshParams(uint32_t num_perm, double threshold, double min_recall = 0.99);

class LshIndex {
 public:
  explicit LshIndex(LshParams params);

  const LshParams& params() const { return params_; }

  // The band keys of `sig`: keys.size() == bands, sig.size() >= bands * rows.
  void BandKeys(std::span<const uint32_t> sig, std::span<uint32_t> keys) const;

  // Adds `slot` under each band of `sig` (sig.size() >= bands * rows).
  void Insert(uint32_t slot, std::span<const uint32_t> sig);
  // Removes `slot` from the buckets of `sig` (the signature it was inserted with).
  void Remove(uint32_t slot, std::span<const uint32_t> sig);
  // Appends to *out every slot sharing at least one band with `sig`,
  // de-duplicated, in no particular order. Does not clear *out.
  void Query(std::span<const uint32_t> sig, std::vector<uint32_t>* out) const;

  // Calls fn(slot) for every slot in a bucket shared with `sig`; a slot
  // sharing several bands is visited several times. Allocation-free.
  template <typename Fn>
  void ForEachCandidate(std::span<const uint32_t> sig, Fn fn) const {
    for (uint32_t b = 0; b < params_.bands; ++b) buckets_.ForEach(BandKey(b, sig), fn);
  }

  // The same with precomputed band keys (keys.size() == bands).
  void InsertKeys(uint32_t slot, std::span<const uint32_t> keys);
  void RemoveKeys(uint32_t slot, std::span<const uint32_t> keys);
  template <typename Fn>
  void ForEachCandidateKeys(std::span<const uint32_t> keys, Fn fn) const {
    buckets_.ForEachMany(keys, fn);
  }

  // Number of non-empty buckets (for stats and tests).
  size_t num_buckets() const { return buckets_.size(); }
  // Bytes held by the index (approximate).
  size_t MemoryUsage() const { return buckets_.MemoryUsage(); }
  // Expects about `docs` documents (avoids rehashing while they arrive).
  void Reserve(size_t docs) { buckets_.Reserve(docs * params_.bands); }

 private:
  uint32_t BandKey(uint32_t band, std::span<const uint32_t> sig) const;

  LshParams params_;
  PostingMap<uint32_t> buckets_;
};

}  // namespace nazir

#endif  // NAZIR_INDEX_LSH_H_
