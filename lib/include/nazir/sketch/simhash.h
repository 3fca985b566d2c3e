// 64-bit SimHash (Charikar, STOC 2002) of a document's shingle hashes.
//
// Near-duplicates have SimHashes at a small Hamming distance; unrelated
// documents differ in about 32 of 64 bits. Cheaper than MinHash to store and
// index (one word), coarser as an estimator.
//
//   uint64_t a = SimHash64(shingles_a, seed), b = SimHash64(shingles_b, seed);
//   if (HammingDistance(a, b) <= 3) { /* likely near-duplicates */ }
//
// Ownership: borrows the shingles. Thread-safety: pure function.
// Failure: none; no allocation. Output pinned by golden tests.
#ifndef NAZIR_SKETCH_SIMHASH_H_
#define NAZIR_SKETCH_SIMHASH_H_

#include <bit>
#include <cstdint>
#include <span>

namespace nazir {

// Unit weights: bit b of the result is 1 iff more than half of the shingles
// (each re-mixed with `seed`) have bit b set. Empty input gives 0.
uint64_t SimHash64(std::span<const uint64_t> shingles, uint64_t seed);

inline int HammingDistance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

}  // namespace nazir

#endif  // NAZIR_SKETCH_SIMHASH_H_
