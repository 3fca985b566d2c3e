#include "nazir/shingle/shingle.h"

#include <bit>

#include "nazir/base/check.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace nazir {
namespace {

// Rotation per position of the cyclic polynomial. Odd, so the n rotations of a
// window are distinct for n <= 64 (beyond that they repeat, which only weakens
// order sensitivity between tokens 64 positions apart).
constexpr int kRot = 23;
// Folds the token count of a shingle into its hash, so a short text (one
// shingle of m < n tokens) never shares the combination rule's output space
// with full shingles by construction.
constexpr uint64_t kCountSalt = 0x9e3779b97f4a7c15ULL;

// Breaks the GF(2)-linearity of the rolling state. The state is already a
// uniform 64-bit value (an XOR of rotated XXH3 outputs), so one multiply with
// xor-shifts on both sides is enough: the output is a bijection of the state,
// every output bit depends on every state bit, and the hot loop stays at one
// 64-bit multiply per shingle.
inline uint64_t Finalize(uint64_t x, uint64_t count) {
  x ^= count * kCountSalt;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  return x;
}

}  // namespace

void HashTokens(std::span<const std::string_view> tokens, uint64_t seed, std::span<uint64_t> out) {
  NAZIR_DCHECK(out.size() == tokens.size());
  const size_t num = tokens.size();
  const std::string_view* in = tokens.data();
  uint64_t* dst = out.data();
  for (size_t i = 0; i < num; ++i) {
    dst[i] = XXH3_64bits_withSeed(in[i].data(), in[i].size(), seed);
  }
}

size_t NumShingles(size_t num_tokens, uint32_t n) {
  NAZIR_DCHECK(n >= 1);
  if (num_tokens == 0) return 0;
  if (num_tokens < n) return 1;
  return num_tokens - n + 1;
}

// Shingle i is Finalize(x_i, n) with x_i = XOR_j rotl(h[i + j], (n - 1 - j) * kRot),
// j = 0..n-1 (Horner form of a cyclic polynomial, "buzhash"). Rolling update:
// x_{i+1} = rotl(x_i, kRot) ^ rotl(h[i], n * kRot) ^ h[i + n].
void CombineShingles(std::span<const uint64_t> token_hashes, uint32_t n, std::span<uint64_t> out) {
  NAZIR_DCHECK(n >= 1);
  NAZIR_DCHECK(out.size() == NumShingles(token_hashes.size(), n));
  const size_t num = token_hashes.size();
  if (num == 0) return;
  const uint64_t* h = token_hashes.data();
  uint64_t* dst = out.data();
  const size_t width = num < n ? num : n;
  uint64_t x = 0;
  for (size_t j = 0; j < width; ++j) x = std::rotl(x, kRot) ^ h[j];
  dst[0] = Finalize(x, width);
  if (num <= n) return;
  const int drop = static_cast<int>((static_cast<uint64_t>(n) * kRot) & 63);
  const size_t count = num - n + 1;
  for (size_t i = 1; i < count; ++i) {
    x = std::rotl(x, kRot) ^ std::rotl(h[i - 1], drop) ^ h[i + n - 1];
    dst[i] = Finalize(x, n);
  }
}

}  // namespace nazir
