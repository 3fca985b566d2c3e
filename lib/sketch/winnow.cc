#include "nazir/sketch/winnow.h"

#include <algorithm>
#include <bit>

#include "nazir/base/check.h"
#include "nazir/sketch/shingle_set.h"

#include "sketch/keys.h"

// Kernels compiled for AVX-512 (x86-64-v4), AVX2 and the baseline, the best
// one picked at load time (an ifunc); outputs do not depend on the choice.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NAZIR_KERNEL_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define NAZIR_KERNEL_CLONES
#endif

namespace nazir {
namespace {

// dst[i] = min(src[i], src[i + offset]) for i < n.
NAZIR_KERNEL_CLONES void PairMin(const uint32_t* __restrict src, size_t n, size_t offset,
                                 uint32_t* __restrict dst) {
  for (size_t i = 0; i < n; ++i) dst[i] = std::min(src[i], src[i + offset]);
}

}  // namespace

// The selected keys are, as a set, the minimum of every window (which of
// tied positions is selected does not change the key). Window minima come
// from minima over power-of-two widths p (each pass doubles p, vectorized),
// then min(M_p[i], M_p[i + window - p]) with p the largest power of two <=
// window: no data-dependent branch per shingle, unlike the rescan algorithm
// (on real documents its "new minimum?" and "minimum left the window?"
// branches were mispredicted often). Consecutive equal minima are dropped
// without branching, the rest sorted and de-duplicated.
void WinnowAnchors(std::span<const uint64_t> shingles, uint32_t window,
                   std::vector<uint32_t>* anchors) {
  NAZIR_DCHECK(window >= 1);
  anchors->clear();
  const size_t num = shingles.size();
  if (num == 0) return;
  thread_local std::vector<uint32_t> key_buffer, a_buffer, b_buffer;
  key_buffer.resize(num);
  internal::ComputeShingleKeys(shingles.data(), num, key_buffer.data());
  if (num < window) {
    anchors->push_back(*std::min_element(key_buffer.begin(), key_buffer.end()));
    return;
  }
  a_buffer.resize(num);
  b_buffer.resize(num);
  // M_p over the first num - p + 1 positions; cur points at the latest.
  const uint32_t* cur = key_buffer.data();
  uint32_t* next = a_buffer.data();
  uint32_t* spare = b_buffer.data();
  size_t p = 1;
  while (2 * p <= window) {
    PairMin(cur, num - 2 * p + 1, p, next);
    cur = next;
    std::swap(next, spare);
    p *= 2;
  }
  const size_t num_windows = num - window + 1;
  uint32_t* mins = next;
  if (p < window) {
    PairMin(cur, num_windows, window - p, mins);
  } else {
    std::copy(cur, cur + num_windows, mins);
  }
  anchors->resize(num_windows);
  uint32_t* out = anchors->data();
  out[0] = mins[0];
  size_t count = 1;
  for (size_t i = 1; i < num_windows; ++i) {
    out[count] = mins[i];
    count += mins[i] != mins[i - 1];
  }
  anchors->resize(count);
  std::sort(anchors->begin(), anchors->end());
  anchors->erase(std::unique(anchors->begin(), anchors->end()), anchors->end());
}

}  // namespace nazir
