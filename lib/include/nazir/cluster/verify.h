// Exact verification of a candidate pair on stored shingle keys.
//
// Candidates come from three probabilistic channels (MinHash LSH, SimHash
// tables, anchors); every one is verified here before it can join two
// documents. Scores are exact over the two documents' sorted unique shingle
// keys after boilerplate removal:
//   containment = |A ∩ B| / min(|A|, |B|)   (how much of the shorter text the
//                                           longer one contains)
//   jaccard     = |A ∩ B| / |A ∪ B|
// A pair is a near-duplicate when containment >= threshold and the texts share
// at least min_shared shingles (so two three-word snippets cannot match on a
// single common phrase). Containment, not Jaccard, decides: news sites often
// republish a truncated wire story, whose Jaccard with the full story is low.
//
// Pure functions; thread-safe.
#ifndef NAZIR_CLUSTER_VERIFY_H_
#define NAZIR_CLUSTER_VERIFY_H_

#include <cstdint>
#include <span>

#include "absl/status/status.h"

namespace nazir {

struct PairScore {
  uint32_t shared = 0;  // |A ∩ B|
  uint32_t size_a = 0;  // |A|
  uint32_t size_b = 0;  // |B|
  float containment = 0;
  float jaccard = 0;
};

struct VerifyOptions {
  // Minimum containment of the shorter document in the longer one.
  double threshold = 0.5;
  // Minimum number of shared shingles, whatever the containment.
  uint32_t min_shared = 5;

  absl::Status Validate() const;
};

// REQUIRES: both spans sorted and unique.
PairScore ScorePair(std::span<const uint32_t> a, std::span<const uint32_t> b);

inline bool IsNearDuplicate(const PairScore& s, const VerifyOptions& o) {
  return s.shared >= o.min_shared && s.containment >= o.threshold;
}

}  // namespace nazir

#endif  // NAZIR_CLUSTER_VERIFY_H_
