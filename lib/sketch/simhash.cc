#include "nazir/sketch/simhash.h"

#include <array>
#include <cstddef>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define NAZIR_SIMHASH_AVX512 1
#endif

#include "sketch/mix.h"
#include "sketch/simhash_internal.h"

namespace nazir {
namespace {

// kSpread[b] holds bit j of byte b in the lowest bit of byte j, so adding
// kSpread[byte] to a uint64 counts 8 bit positions at once in 8 byte lanes.
constexpr std::array<uint64_t, 256> MakeSpread() {
  std::array<uint64_t, 256> t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint64_t v = 0;
    for (uint32_t j = 0; j < 8; ++j) v |= static_cast<uint64_t>((b >> j) & 1) << (8 * j);
    t[b] = v;
  }
  return t;
}
constexpr std::array<uint64_t, 256> kSpread = MakeSpread();

// Byte lanes overflow after 255 additions.
constexpr size_t kFlushEvery = 255;

// Bit b set iff more than half of the num shingles have it.
uint64_t Majority(const uint32_t* counts, size_t num) {
  uint64_t out = 0;
  for (int bit = 0; bit < 64; ++bit) {
    out |= static_cast<uint64_t>(2 * static_cast<uint64_t>(counts[bit]) > num) << bit;
  }
  return out;
}

#if defined(NAZIR_SIMHASH_AVX512)
// counts[b] += number of shingles whose remix has bit b set, with AVX-512BW:
// each remix (computed 8 at a time) becomes a 64-bit mask, expanded to 64
// bytes of -1/0 (vpmovm2b) and subtracted from 64 byte counters; about 4
// instructions per shingle instead of 8 table lookups. Same counts.
__attribute__((target("avx512f,avx512bw,avx512dq"))) void CountBitsAvx512(const uint64_t* in,
                                                                          size_t num, uint64_t key,
                                                                          uint32_t* counts) {
  for (size_t begin = 0; begin < num; begin += kFlushEvery) {
    const size_t end = begin + kFlushEvery < num ? begin + kFlushEvery : num;
    uint64_t mixed[kFlushEvery];
    for (size_t i = begin; i < end; ++i) mixed[i - begin] = internal::Mix64(in[i] ^ key);
    __m512i acc = _mm512_setzero_si512();
    for (size_t i = 0; i < end - begin; ++i) {
      acc = _mm512_sub_epi8(acc, _mm512_movm_epi8(_cvtu64_mask64(mixed[i])));
    }
    alignas(64) uint8_t bytes[64];
    _mm512_store_si512(bytes, acc);
    for (int b = 0; b < 64; ++b) counts[b] += bytes[b];
  }
}

bool HasAvx512bw() {
  static const bool has = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
  return has;
}
#endif

}  // namespace

namespace internal {

uint64_t SimHash64Impl(std::span<const uint64_t> shingles, uint64_t seed, bool allow_avx512) {
  const size_t num = shingles.size();
  if (num == 0) return 0;
  uint64_t state = seed;
  const uint64_t key = internal::SplitMix64(&state);
  uint32_t counts[64] = {};
  const uint64_t* in = shingles.data();
#if defined(NAZIR_SIMHASH_AVX512)
  if (allow_avx512 && HasAvx512bw()) {
    CountBitsAvx512(in, num, key, counts);
    return Majority(counts, num);
  }
#else
  (void)allow_avx512;
#endif
  for (size_t begin = 0; begin < num; begin += kFlushEvery) {
    const size_t end = begin + kFlushEvery < num ? begin + kFlushEvery : num;
    uint64_t acc[8] = {};
    for (size_t i = begin; i < end; ++i) {
      const uint64_t v = internal::Mix64(in[i] ^ key);
      for (int byte = 0; byte < 8; ++byte) acc[byte] += kSpread[(v >> (8 * byte)) & 0xff];
    }
    for (int byte = 0; byte < 8; ++byte) {
      for (int j = 0; j < 8; ++j) counts[8 * byte + j] += (acc[byte] >> (8 * j)) & 0xff;
    }
  }
  return Majority(counts, num);
}

}  // namespace internal

uint64_t SimHash64(std::span<const uint64_t> shingles, uint64_t seed) {
  return internal::SimHash64Impl(shingles, seed, /*allow_avx512=*/true);
}

}  // namespace nazir
