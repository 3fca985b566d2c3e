// Exact shingle sets, used to verify candidate pairs found by LSH.
//
// A document's shingle hashes are reduced to 32-bit keys (ShingleKey), sorted
// and de-duplicated. Exact Jaccard is then |A ∩ B| / (|A| + |B| - |A ∩ B|),
// with IntersectionSize doing the merge. 32-bit keys keep the store small;
// key collisions (about n^2 / 2^33 pairs per document) bias Jaccard upward
// negligibly for news-sized documents.
//
//   std::vector<uint32_t> a, b;  // reused across documents
//   SortedShingleKeys(shingles_a, &a);
//   SortedShingleKeys(shingles_b, &b);
//   size_t inter = IntersectionSize(a, b);
//   double j = double(inter) / double(a.size() + b.size() - inter);
//
// Ownership: callers own the key vectors; functions borrow spans.
// Thread-safety: pure functions. Failure: none. ShingleKey is pinned by golden
// tests (stored shingle sets and winnowing anchors depend on it).
#ifndef NAZIR_SKETCH_SHINGLE_SET_H_
#define NAZIR_SKETCH_SHINGLE_SET_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nazir {

// The well-mixed 32-bit key of a 64-bit shingle hash (high half of a 64-bit
// avalanche of h). Shared by SortedShingleKeys and WinnowAnchors.
inline uint32_t ShingleKey(uint64_t h) {
  h ^= 0x9e3779b97f4a7c15ULL;
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ULL;
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ULL;
  return static_cast<uint32_t>(h >> 32);
}

// Sorted, de-duplicated keys of a document's shingles. Clears and fills *keys,
// reusing its capacity (no allocation once capacity suffices).
void SortedShingleKeys(std::span<const uint64_t> shingles, std::vector<uint32_t>* keys);

// |a ∩ b| for sorted unique key arrays: linear merge, or galloping search when
// one array is much smaller than the other.
size_t IntersectionSize(std::span<const uint32_t> a, std::span<const uint32_t> b);

}  // namespace nazir

#endif  // NAZIR_SKETCH_SHINGLE_SET_H_
