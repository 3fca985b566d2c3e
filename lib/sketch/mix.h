// Private 64-bit mixers shared by the sketch kernels.
#ifndef NAZIR_SKETCH_MIX_H_
#define NAZIR_SKETCH_MIX_H_

#include <cstdint>

namespace nazir::internal {

// SplitMix64 step: derives a stream of well-spread constants from a seed.
inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A bijective 64-bit avalanche mixer (two multiplies).
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  return x;
}

// Maps a uniform 32-bit value onto [0, range) without division (Lemire).
inline uint32_t FastRange32(uint32_t x, uint32_t range) {
  return static_cast<uint32_t>((static_cast<uint64_t>(x) * range) >> 32);
}

}  // namespace nazir::internal

#endif  // NAZIR_SKETCH_MIX_H_
