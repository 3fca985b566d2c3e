#include "nazir/sketch/simhash.h"

#include <array>
#include <cstddef>

#include "sketch/mix.h"

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

}  // namespace

uint64_t SimHash64(std::span<const uint64_t> shingles, uint64_t seed) {
  const size_t num = shingles.size();
  if (num == 0) return 0;
  uint64_t state = seed;
  const uint64_t key = internal::SplitMix64(&state);
  uint32_t counts[64] = {};
  const uint64_t* in = shingles.data();
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
  uint64_t out = 0;
  for (int bit = 0; bit < 64; ++bit) {
    out |= static_cast<uint64_t>(2 * static_cast<uint64_t>(counts[bit]) > num) << bit;
  }
  return out;
}

}  // namespace nazir
