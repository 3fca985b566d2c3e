// A plain reference implementation of the story clusterer's document vector
// (StoryClustererState::ResolveClitics + BuildVector), written to follow the weighting of
// nazir/story/story_clusterer.h step by step, for clarity, not speed: no caches, no prefetch,
// no tables, double precision throughout, std::map and full sorts. Tests compare the fast path
// with it (tests/story/vector_reference_test.cc). Like lib/normalize/reference.cc is for the
// normalizer, it pins what the fast code must compute.
#ifndef NAZIR_STORY_INTERNAL_REFERENCE_H_
#define NAZIR_STORY_INTERNAL_REFERENCE_H_

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "nazir/story/story_features.h"

#include "story/internal/state.h"

namespace nazir::internal {

struct ReferenceVector {
  std::map<uint64_t, double> doc;       // term -> weight in the unit vector (kept terms only)
  std::map<uint64_t, double> lead_doc;  // the same for title + lead (empty unless lead_score)
  // The query terms, heaviest first: (max of the two unit-vector weights, term).
  std::vector<std::pair<double, uint64_t>> query;
  double residual2 = 0;  // squared mass of the unit vector not in `doc`
};

// The vectors of document `f` (from `source`, dated `date` or kNoDate) as BuildVector would
// compute them from state `s`: `s` as it is just before that call, i.e. after the document was
// counted (Count) and UpdateRecent(date) ran, before its terms' recent counts are bumped.
// `final_df`: the corpus' final counts (batch), as BuildVector's argument. Reads `s` only.
ReferenceVector ReferenceDocVector(const StoryClustererState& s, const StoryFeatures& f,
                                   uint32_t source, bool final_df, int64_t date);

}  // namespace nazir::internal

#endif  // NAZIR_STORY_INTERNAL_REFERENCE_H_
