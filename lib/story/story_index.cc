// The candidate index of the story clusterer (internal/state.h, "Candidate index and
// scoring"): stories posted under their heaviest centroid terms, the lookup of a document's
// candidate stories (FindStory) and their decayed scores (Score).
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <vector>

#include "nazir/story/story_clusterer.h"

#include "story/internal/state.h"
#include "story/kernels.h"

namespace nazir::internal {

// Score and its helpers are inline (declared so in state.h): FindStory, their only caller,
// runs them per candidate story and per filter hit.

inline StoryClustererState::DocEntry* StoryClustererState::DocSlot(uint64_t id) {
  const size_t mask = doc_table.size() - 1;
  size_t h = (id ^ (id >> 29)) & mask;
  while (doc_table[h].id != kEmptyId && doc_table[h].id != id) h = (h + 1) & mask;
  return &doc_table[h];
}

inline void StoryClustererState::BuildDocTable() {
  for (uint32_t h : doc_table_used) doc_table[h].id = kEmptyId;
  doc_table_used.clear();
  std::fill(std::begin(doc_filter), std::end(doc_filter), 0);
  size_t want = 16;
  while (want < 4 * static_cast<size_t>(doc.nonZeros() + lead_doc.nonZeros())) want *= 2;
  if (doc_table.size() < want) doc_table.assign(want, DocEntry{kEmptyId, 0, 0});
  auto add = [this](const SparseVec& v, bool lead) {
    for (SparseVec::InnerIterator it(v); it; ++it) {
      const uint64_t id = static_cast<uint64_t>(it.index());
      DocEntry* e = DocSlot(id);
      if (e->id == kEmptyId) {
        *e = DocEntry{id, 0, 0};
        doc_table_used.push_back(static_cast<uint32_t>(e - doc_table.data()));
        doc_filter[FilterBit(id) / 64] |= uint64_t{1} << (FilterBit(id) % 64);
      }
      (lead ? e->lw : e->w) = it.value();
    }
  };
  add(doc, false);
  add(lead_doc, true);
}

inline double StoryClustererState::Score(const Story& s, int64_t gap) {
  const int64_t* idx = s.centroid.innerIndexPtr();
  const float* val = s.centroid.valuePtr();
  const int64_t n = s.centroid.nonZeros();
  // Pass 1, without branches (a filter hit is unpredictable): the positions that pass the
  // filter. Pass 2 probes them, in index order.
  if (score_pos.size() < static_cast<size_t>(n)) score_pos.resize(static_cast<size_t>(n));
  uint32_t* pos = score_pos.data();
  size_t m = 0;
  for (int64_t k = 0; k < n; ++k) {
    const size_t bit = FilterBit(static_cast<uint64_t>(idx[k]));
    pos[m] = static_cast<uint32_t>(k);
    m += doc_filter[bit / 64] >> (bit % 64) & 1;
  }
  float full = 0, lead = 0;
  for (size_t j = 0; j < m; ++j) {
    const uint32_t k = pos[j];
    const DocEntry* e = DocSlot(static_cast<uint64_t>(idx[k]));
    if (e->id == kEmptyId) continue;
    full += e->w * val[k];
    lead += e->lw * val[k];
  }
  double dot = static_cast<double>(full);
  if (opt.lead_score && lead_doc.nonZeros() > 0) dot = std::max(dot, static_cast<double>(lead));
  return dot / s.norm * Decay(gap);
}

uint32_t StoryClustererState::FindStory(int64_t date, double* best_score) {
  NewVisit();
  candidates.clear();
  touched.clear();
  uint32_t best = StoryClusterer::kNone;
  *best_score = 0;
  bool table_ready = false;
  // Pass 0: all query terms' posting lists found first, their data prefetched (the lookups
  // and the list reads are independent cache misses).
  for (const auto& [w, term] : query) postings.prefetch(term);
  query_lists.clear();
  for (const auto& [w, term] : query) {
    auto pit = postings.find(term);
    if (pit == postings.end()) continue;
    std::vector<uint32_t>& list = pit->second;
    if (list.size() > opt.max_postings) continue;  // not discriminative
    __builtin_prefetch(list.data());
    query_lists.push_back(&list);
  }
  // Pass 1: count the query terms under which each story is posted.
  for (std::vector<uint32_t>* lp : query_lists) {
    std::vector<uint32_t>& list = *lp;
    for (size_t j = 0; j < list.size();) {
      const uint32_t si = list[j];
      if (live_size[si] == 0) {  // lazily drop stale stories from the index
        list[j] = list.back();
        list.pop_back();
        continue;
      }
      ++j;
      Visit(si);
    }
  }
  // Pass 2: score the stories found under enough terms. Their Story records are prefetched
  // first, then each one's centroid arrays a story ahead of its scoring (scattered cache
  // misses: the stories found are spread over all of them).
  const uint8_t need = doc_textless ? 3 : query.size() >= 2 ? 2 : 1;
  size_t found = 0;
  for (uint32_t si : touched) {
    if (hits[si] < need) continue;
    touched[found++] = si;  // in the same order
    __builtin_prefetch(&stories[si].first_date);
    __builtin_prefetch(&stories[si].centroid);
  }
  touched.resize(found);
  auto prefetch_centroid = [this](uint32_t si) {
    const Centroid& c = stories[si].centroid;
    __builtin_prefetch(c.innerIndexPtr());
    __builtin_prefetch(c.valuePtr());
  };
  if (found > 0) prefetch_centroid(touched[0]);
  for (size_t k = 0; k < found; ++k) {
    const uint32_t si = touched[k];
    if (k + 1 < found) prefetch_centroid(touched[k + 1]);
    const Story& s = stories[si];
    const int64_t gap = Gap(s, date);
    if (gap > opt.window_seconds || s.norm <= 0) continue;
    if (!table_ready) {
      BuildDocTable();
      table_ready = true;
    }
    const double score = Score(s, DecayGap(s, date));
    candidates.emplace_back(score, si);
    if (score > *best_score || (score == *best_score && best != StoryClusterer::kNone &&
                                s.anchor < stories[best].anchor)) {
      *best_score = score;
      best = si;
    }
  }
  return best;
}

void StoryClustererState::NewVisit() {
  if (++stamp == 0) {
    std::fill(visit_stamp.begin(), visit_stamp.end(), 0);
    stamp = 1;
  }
  visit_stamp.resize(stories.size(), 0);
  hits.resize(stories.size(), 0);
}

bool StoryClustererState::NeedsIndex(const Story& s) const {
  const std::pair<float, int64_t> floor{s.index_w, s.index_id};
  const int64_t* ic = s.centroid.innerIndexPtr();
  const float* vc = s.centroid.valuePtr();
  const int64_t* id = doc.innerIndexPtr();
  const int64_t nc = s.centroid.nonZeros(), nd = doc.nonZeros();
  for (int64_t i = 0, j = 0; i < nc && j < nd;) {
    if (ic[i] < id[j]) {
      ++i;
    } else if (id[j] < ic[i]) {
      ++j;
    } else {
      if (!Heavier(floor, {vc[i], ic[i]})) {
        const uint64_t t = static_cast<uint64_t>(ic[i]);
        const size_t pos = LowerBound(s.posted.data(), s.posted.size(), t);
        if (pos == s.posted.size() || s.posted[pos] != t) return true;
      }
      ++i;
      ++j;
    }
  }
  return false;
}

void StoryClustererState::IndexStory(uint32_t si) {
  Story& s = stories[si];
  const int64_t* ic = s.centroid.innerIndexPtr();
  const float* vc = s.centroid.valuePtr();
  const size_t nc = static_cast<size_t>(s.centroid.nonZeros());
  const size_t m = std::min<size_t>(opt.index_terms, nc);
  // The top m as a set (a strict total order: the same set as a sort), in id order. If at
  // least m entries are not lighter than the lightest posted-by-rank entry of the last call
  // (the floor; centroid weights only grow while a story is active, so this is the usual
  // case), the top m are among them: only their positions (found without branches) are
  // looked at.
  TopK top{-std::numeric_limits<float>::infinity(), 0};  // takes everything
  if (index_pos.size() < nc) index_pos.resize(nc);
  uint32_t* cand = index_pos.data();
  size_t nk = 0;
  if (m < nc) {
    const float fw = s.index_w;
    const int64_t fid = s.index_id;
    for (size_t k = 0; k < nc; ++k) {
      cand[nk] = static_cast<uint32_t>(k);
      nk += (vc[k] > fw) | ((vc[k] == fw) & (ic[k] <= fid));
    }
  }
  if (nk < m) {  // all entries
    nk = nc;
    for (size_t k = 0; k < nc; ++k) cand[k] = static_cast<uint32_t>(k);
  }
  if (m < nc) {
    index_weights.resize(nk);
    for (size_t j = 0; j < nk; ++j) index_weights[j] = vc[cand[j]];
    top = SelectTopK(&index_weights, m);
  }
  s.index_w = 0;
  s.index_id = std::numeric_limits<int64_t>::max();
  index_new.clear();
  size_t pos = 0;  // s.posted (sorted) is walked along
  for (size_t j = 0; j < nk; ++j) {
    const size_t k = cand[j];
    if (!top.Take(vc[k])) continue;
    if (m < nc) {  // the lightest of the top m: the last one taken of weight t
      if (vc[k] == top.t) {
        s.index_w = vc[k];
        s.index_id = ic[k];
      }
    }
    const uint64_t id = static_cast<uint64_t>(ic[k]);
    while (pos < s.posted.size() && s.posted[pos] < id) ++pos;
    if (pos < s.posted.size() && s.posted[pos] == id) continue;
    index_new.push_back(id);
    postings[id].push_back(si);
  }
  if (!index_new.empty()) {  // posted is kept sorted
    size_t i = s.posted.size(), j = index_new.size(), out = i + j;
    s.posted.resize(out);
    while (j > 0) {  // merged from the back, in place
      if (i > 0 && s.posted[i - 1] > index_new[j - 1]) {
        s.posted[--out] = s.posted[--i];
      } else {
        s.posted[--out] = index_new[--j];
      }
    }
  }
}

}  // namespace nazir::internal
