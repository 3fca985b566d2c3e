// Content-defined anchors for containment search (winnowing).
//
// Winnowing (Schleimer, Wilkerson, Aiken, SIGMOD 2003) selects, in every
// window of `window` consecutive shingles, the one with the smallest key
// (rightmost on ties). Selection depends only on window contents, so two texts
// sharing a run of at least window + n - 1 tokens (n = shingle size) share at
// least one anchor, whatever surrounds the run. On random data about
// 2 / (window + 1) of the shingles are selected.
//
//   std::vector<uint32_t> anchors;  // reused across documents
//   WinnowAnchors(shingles, /*window=*/8, &anchors);
//
// Ownership: the caller owns *anchors. Thread-safety: pure function.
// Failure: none; no allocation in steady state (*anchors and a per-thread
// key buffer keep their capacity).
#ifndef NAZIR_SKETCH_WINNOW_H_
#define NAZIR_SKETCH_WINNOW_H_

#include <cstdint>
#include <span>
#include <vector>

namespace nazir {

// Clears and fills *anchors with the ShingleKey()s of the selected positions,
// sorted and de-duplicated. If shingles.size() < window, emits the minimum key
// of all shingles; empty input emits nothing. REQUIRES: window >= 1.
void WinnowAnchors(std::span<const uint64_t> shingles, uint32_t window,
                   std::vector<uint32_t>* anchors);

}  // namespace nazir

#endif  // NAZIR_SKETCH_WINNOW_H_
