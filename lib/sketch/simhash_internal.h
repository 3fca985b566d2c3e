// Private: SimHash64 with its AVX-512 path optional, so that tests check the
// portable path too on machines that have AVX-512.
#ifndef NAZIR_SKETCH_SIMHASH_INTERNAL_H_
#define NAZIR_SKETCH_SIMHASH_INTERNAL_H_

#include <cstdint>
#include <span>

namespace nazir::internal {

// SimHash64(shingles, seed); the AVX-512BW counting is used only if
// `allow_avx512` and the CPU has it. Both paths give the same result.
uint64_t SimHash64Impl(std::span<const uint64_t> shingles, uint64_t seed, bool allow_avx512);

}  // namespace nazir::internal

#endif  // NAZIR_SKETCH_SIMHASH_INTERNAL_H_
