#include "nazir/sketch/winnow.h"

#include <algorithm>

#include "nazir/base/check.h"
#include "nazir/sketch/shingle_set.h"

#include "sketch/keys.h"

namespace nazir {
namespace {

// Position of the rightmost minimum key in [begin, end).
size_t RightmostMin(const uint32_t* keys, size_t begin, size_t end, uint32_t* min_key) {
  size_t pos = begin;
  uint32_t best = keys[begin];
  for (size_t i = begin + 1; i < end; ++i) {
    const uint32_t k = keys[i];
    if (k <= best) {
      best = k;
      pos = i;
    }
  }
  *min_key = best;
  return pos;
}

}  // namespace

// The rescan form of winnowing from Schleimer et al.: keep the current
// window's minimum; when it slides out of the window, rescan the window.
// Expected O(1) work per shingle on random keys. The keys are computed first,
// all at once (vectorized), into a per-thread buffer.
void WinnowAnchors(std::span<const uint64_t> shingles, uint32_t window,
                   std::vector<uint32_t>* anchors) {
  NAZIR_DCHECK(window >= 1);
  anchors->clear();
  const size_t num = shingles.size();
  if (num == 0) return;
  thread_local std::vector<uint32_t> key_buffer;
  key_buffer.resize(num);
  const uint32_t* keys = key_buffer.data();
  internal::ComputeShingleKeys(shingles.data(), num, key_buffer.data());
  uint32_t min_key = 0;
  if (num < window) {
    RightmostMin(keys, 0, num, &min_key);
    anchors->push_back(min_key);
    return;
  }
  size_t min_pos = RightmostMin(keys, 0, window, &min_key);
  anchors->push_back(min_key);
  size_t last = min_pos;
  for (size_t end = window; end < num; ++end) {
    const size_t begin = end + 1 - window;
    if (min_pos < begin) {
      min_pos = RightmostMin(keys, begin, end + 1, &min_key);
    } else {
      const uint32_t k = keys[end];
      if (k <= min_key) {
        min_key = k;
        min_pos = end;
      }
    }
    if (min_pos != last) {
      anchors->push_back(min_key);
      last = min_pos;
    }
  }
  std::sort(anchors->begin(), anchors->end());
  anchors->erase(std::unique(anchors->begin(), anchors->end()), anchors->end());
}

}  // namespace nazir
