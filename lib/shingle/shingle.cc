#include "nazir/shingle/shingle.h"

#include <bit>

#include "nazir/base/check.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

// Kernels marked NAZIR_KERNEL_CLONES are compiled per ISA, picked at load time.
#include "base/kernel_clones.h"

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

// Outputs per block of the window-doubling combiner (stack buffers of 2 * (kBlock + 6) words).
constexpr size_t kBlock = 256;

// CombineShingles for n == 8 and at least 8 tokens, in window-doubling form: with
// P_i = rotl(h[i], kRot) ^ h[i + 1] (windows of 2) and Q_i = rotl(P_i, 2 kRot) ^ P_{i+2}
// (windows of 4), x_i = rotl(Q_i, 4 kRot) ^ Q_{i+4}, the same XOR of rotated hashes as the
// rolling form (rotations add up: token j of the window is rotated by (7 - j) kRot in both).
// Three rotations per shingle instead of two, but no loop-carried dependency, so every step
// vectorizes (the rolling loop is bound by its rotl-xor chain, ~2 cycles per shingle).
NAZIR_KERNEL_CLONES void CombineWindows8(const uint64_t* __restrict h, size_t count,
                                         uint64_t* __restrict out) {
  uint64_t pairs[kBlock + 6];
  uint64_t quads[kBlock + 4];
  for (size_t base = 0; base < count; base += kBlock) {
    const size_t m = count - base < kBlock ? count - base : kBlock;
    const uint64_t* hb = h + base;
    for (size_t i = 0; i < m + 6; ++i) pairs[i] = std::rotl(hb[i], kRot) ^ hb[i + 1];
    for (size_t i = 0; i < m + 4; ++i) quads[i] = std::rotl(pairs[i], 2 * kRot) ^ pairs[i + 2];
    uint64_t* ob = out + base;
    for (size_t i = 0; i < m; ++i) {
      ob[i] = Finalize(std::rotl(quads[i], (4 * kRot) & 63) ^ quads[i + 4], 8);
    }
  }
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
  if (n == 8 && num >= 8) {
    CombineWindows8(h, num - 7, dst);
    return;
  }
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
