#include "nazir/sketch/shingle_set.h"

#include <algorithm>

namespace nazir {
namespace {

// Below this size ratio a branch-free merge beats galloping.
constexpr size_t kGallopRatio = 16;

// First index in [lo, size) with v[index] >= target, by exponential then
// binary search from lo.
size_t GallopLowerBound(const uint32_t* v, size_t size, size_t lo, uint32_t target) {
  size_t step = 1;
  size_t hi = lo;
  while (hi < size && v[hi] < target) {
    lo = hi + 1;
    hi += step;
    step <<= 1;
  }
  if (hi > size) hi = size;
  return static_cast<size_t>(std::lower_bound(v + lo, v + hi, target) - v);
}

}  // namespace

void SortedShingleKeys(std::span<const uint64_t> shingles, std::vector<uint32_t>* keys) {
  keys->resize(shingles.size());
  uint32_t* out = keys->data();
  for (size_t i = 0; i < shingles.size(); ++i) out[i] = ShingleKey(shingles[i]);
  std::sort(keys->begin(), keys->end());
  keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
}

size_t IntersectionSize(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  if (a.size() > b.size()) std::swap(a, b);
  const size_t na = a.size();
  const size_t nb = b.size();
  if (na == 0) return 0;
  size_t count = 0;
  if (na * kGallopRatio < nb) {
    size_t j = 0;
    for (size_t i = 0; i < na && j < nb; ++i) {
      j = GallopLowerBound(b.data(), nb, j, a[i]);
      if (j < nb && b[j] == a[i]) {
        ++count;
        ++j;
      }
    }
    return count;
  }
  size_t i = 0;
  size_t j = 0;
  while (i < na && j < nb) {
    const uint32_t x = a[i];
    const uint32_t y = b[j];
    count += x == y;
    i += x <= y;
    j += y <= x;
  }
  return count;
}

}  // namespace nazir
