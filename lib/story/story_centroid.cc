// Centroids of the story clusterer (internal/state.h, "Centroids"): a story takes a document
// (AddToStory), centroid sums truncated to their heaviest entries with the mass left out kept
// in the story's residual.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

#include "story/internal/state.h"
#include "story/kernels.h"

namespace nazir::internal {

void StoryClustererState::AddToStory(uint32_t si, int64_t date, uint32_t source, bool new_group) {
  Story& s = stories[si];
  ++s.size;
  if (s.active) live_size[si] = s.size;
  if (new_group) ++s.groups;
  bool core = true;
  if (date != kNoDate) {
    if (s.first_date == kNoDate) {
      s.first_date = s.last_date = s.core_last = date;
    } else {
      s.first_date = std::min(s.first_date, date);
      s.last_date = std::max(s.last_date, date);
      core = date - s.first_date <= opt.core_seconds;
      if (core) s.core_last = std::max(s.core_last, date);
    }
  }
  auto pos = std::lower_bound(s.sources.begin(), s.sources.end(), source);
  if (pos == s.sources.end() || *pos != source) s.sources.insert(pos, source);
  if (!core) return;  // a later member: the centroid stays the core's
  s.residual2 += doc_residual2;
  s.norm = AddTruncated(&s.centroid, doc, s.active ? opt.centroid_terms : opt.summary_terms,
                        &s.residual2);
  if (s.active && NeedsIndex(s)) IndexStory(si);
}

float StoryClustererState::Truncate(SparseVec* v, size_t keep, float* residual2) {
  const size_t n = static_cast<size_t>(v->nonZeros());
  if (n > keep) {
    merged_ids.assign(v->innerIndexPtr(), v->innerIndexPtr() + n);
    merged_ws.assign(v->valuePtr(), v->valuePtr() + n);
    SelectInto(merged_ids.data(), merged_ws.data(), n, keep, residual2, v);
  }
  return static_cast<float>(std::sqrt(v->squaredNorm() + *residual2));
}

float StoryClustererState::AddTruncated(SparseVec* c, const SparseVec& d, size_t keep,
                                        float* residual2) {
  const int64_t* ia = c->innerIndexPtr();
  const int64_t* ib = d.innerIndexPtr();
  const float* va = c->valuePtr();
  const float* vb = d.valuePtr();
  const int64_t na = c->nonZeros(), nb = d.nonZeros();
  merged_ids.resize(static_cast<size_t>(na + nb));
  merged_ws.resize(static_cast<size_t>(na + nb));
  int64_t* mi = merged_ids.data();
  float* mw = merged_ws.data();
  size_t n = 0;
  int64_t i = 0, j = 0;
  while (i < na && j < nb) {
    if (ia[i] == ib[j]) {
      mi[n] = ia[i];
      mw[n++] = va[i] + vb[j];
      ++i;
      ++j;
    } else if (ia[i] < ib[j]) {
      mi[n] = ia[i];
      mw[n++] = va[i];
      ++i;
    } else {
      mi[n] = ib[j];
      mw[n++] = vb[j];
      ++j;
    }
  }
  for (; i < na; ++i) {
    mi[n] = ia[i];
    mw[n++] = va[i];
  }
  for (; j < nb; ++j) {
    mi[n] = ib[j];
    mw[n++] = vb[j];
  }
  if (n > keep) {
    SelectInto(mi, mw, n, keep, residual2, c);
  } else {
    c->resizeNonZeros(static_cast<int64_t>(n));
    std::copy(mi, mi + n, c->innerIndexPtr());
    std::copy(mw, mw + n, c->valuePtr());
  }
  return static_cast<float>(std::sqrt(c->squaredNorm() + *residual2));
}

void StoryClustererState::SelectInto(const int64_t* ids, const float* ws, size_t n, size_t keep,
                                     float* residual2, SparseVec* v) {
  std::vector<uint64_t>& keys = rank_keys;
  keys.resize(n);
  for (size_t k = 0; k < n; ++k) keys[k] = RankKey(ws[k], k);
  std::nth_element(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(keep), keys.end(),
                   std::greater<uint64_t>());
  for (size_t k = keep; k < n; ++k) {
    const float w = RankWeight(keys[k]);
    *residual2 += w * w;
  }
  // The keep heaviest are those heavier than the (keep+1)-th (a strict total order).
  const uint64_t next = keys[keep];
  v->resizeNonZeros(static_cast<int64_t>(keep));
  int64_t* vi = v->innerIndexPtr();
  float* vv = v->valuePtr();
  size_t out = 0;
  for (size_t k = 0; k < n; ++k) {
    if (RankKey(ws[k], k) <= next) continue;
    vi[out] = ids[k];
    vv[out] = ws[k];
    ++out;
  }
}

}  // namespace nazir::internal
