// Word n-gram shingles as 64-bit hashes: the first stage of the hashing hot path.
//
// A document's tokens are hashed once each (XXH3-64 with a seed), then every
// run of `n` consecutive token hashes is combined into one well-mixed 64-bit
// shingle hash, without concatenating strings. The shingle hashes feed MinHash
// (nazir/sketch/minhash.h), SimHash and the exact shingle-set store directly.
//
//   std::vector<uint64_t> th(tokens.size()), sh(NumShingles(tokens.size(), 4));
//   HashTokens(tokens, seed, th);
//   CombineShingles(th, 4, sh);
//
// Ownership: callers own every buffer; the functions borrow spans and never
// allocate. Thread-safety: pure functions, safe to call concurrently.
// Failure: none at run time; size preconditions are NAZIR_DCHECKed (debug only).
// Outputs are pinned by golden tests: changing them is a hash_version bump
// (ParamsFingerprint::kHashVersion).
#ifndef NAZIR_SHINGLE_SHINGLE_H_
#define NAZIR_SHINGLE_SHINGLE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace nazir {

// Hashes each token once: out[i] = XXH3_64bits_withSeed(tokens[i], seed).
// REQUIRES: out.size() == tokens.size().
void HashTokens(std::span<const std::string_view> tokens, uint64_t seed, std::span<uint64_t> out);

// Number of word n-gram shingles for `num_tokens` tokens: 0 if num_tokens == 0;
// 1 if 0 < num_tokens < n (a short text is one shingle of all its tokens);
// else num_tokens - n + 1. REQUIRES: n >= 1.
size_t NumShingles(size_t num_tokens, uint32_t n);

// Combines each run of n consecutive token hashes into one 64-bit shingle hash.
// Order-sensitive (a cyclic-polynomial "buzhash" over the token hashes, rolled
// in O(1) per shingle, then a 64-bit avalanche finalizer that also folds in the
// number of tokens combined). A short input (fewer than n tokens) yields one
// shingle over all of its tokens.
// REQUIRES: n >= 1; out.size() == NumShingles(token_hashes.size(), n).
void CombineShingles(std::span<const uint64_t> token_hashes, uint32_t n, std::span<uint64_t> out);

}  // namespace nazir

#endif  // NAZIR_SHINGLE_SHINGLE_H_
