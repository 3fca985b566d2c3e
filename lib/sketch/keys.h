// Private: ShingleKey over a whole array, shared by SortedShingleKeys and
// WinnowAnchors.
#ifndef NAZIR_SKETCH_KEYS_H_
#define NAZIR_SKETCH_KEYS_H_

#include <cstddef>
#include <cstdint>

namespace nazir::internal {

// out[i] = ShingleKey(shingles[i]) for i < n. Vectorized (two 64-bit
// multiplies per key: AVX-512 has them; clones for AVX2 and the baseline are
// picked at load time).
void ComputeShingleKeys(const uint64_t* shingles, size_t n, uint32_t* out);

}  // namespace nazir::internal

#endif  // NAZIR_SKETCH_KEYS_H_
