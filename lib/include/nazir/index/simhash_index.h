// SimHashIndex: finds stored 64-bit SimHashes within a small Hamming distance
// of a query (Manku, Jain & Das Sarma, "Detecting near-duplicates for web
// crawling", WWW 2007).
//
// The 64 bits are cut into kBlocks = 4 blocks of 16 bits. Two fingerprints
// within Hamming distance d <= 3 agree exactly on at least one block
// (pigeonhole), so one table per block, keyed by that block, finds every such
// pair; each table lookup is then checked with a popcount. This is nazir's fast
// path for exact and near-exact copies (re-crawls, one article under two URLs).
//
//   SimHashIndex index;
//   index.Insert(slot, fp);
//   index.Query(fp, 3, &hits);     // slots with HammingDistance(fp, .) <= 3
//
// Thread safety: Query is const; Insert/Remove need exclusive access.
#ifndef NAZIR_INDEX_SIMHASH_INDEX_H_
#define NAZIR_INDEX_SIMHASH_INDEX_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "nazir/index/posting_map.h"

namespace nazir {

class SimHashIndex {
 public:
  static constexpr int kBlocks = 4;
  // Largest distance for which Query is exact (finds every stored match).
  static constexpr int kMaxExactDistance = kBlocks - 1;

  void Insert(uint32_t slot, uint64_t fingerprint);
  void Remove(uint32_t slot, uint64_t fingerprint);
  // Appends (slot) of every stored fingerprint within `max_distance`
  // (REQUIRES: max_distance <= kMaxExactDistance), de-duplicated.
  // `fingerprint_of(slot)` returns the stored fingerprint of a slot.
  template <typename FingerprintOf>
  void Query(uint64_t fingerprint, int max_distance, FingerprintOf fingerprint_of,
             std::vector<uint32_t>* out) const;

  size_t MemoryUsage() const;

 private:
  using Table = PostingMap<uint16_t>;
  static uint16_t Block(uint64_t fp, int b) { return static_cast<uint16_t>(fp >> (16 * b)); }
  std::array<Table, kBlocks> tables_;
};

template <typename FingerprintOf>
void SimHashIndex::Query(uint64_t fingerprint, int max_distance, FingerprintOf fingerprint_of,
                         std::vector<uint32_t>* out) const {
  const size_t start = out->size();
  for (int b = 0; b < kBlocks; ++b) {
    tables_[b].ForEach(Block(fingerprint, b), [&](uint32_t slot) {
      if (__builtin_popcountll(fingerprint_of(slot) ^ fingerprint) <= max_distance) {
        out->push_back(slot);
      }
    });
  }
  std::sort(out->begin() + start, out->end());
  out->erase(std::unique(out->begin() + start, out->end()), out->end());
}

}  // namespace nazir

#endif  // NAZIR_INDEX_SIMHASH_INDEX_H_
