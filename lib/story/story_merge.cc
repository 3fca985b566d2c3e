// Settling the stories of the story clusterer (internal/state.h, "Merging, absorbing,
// refining, retiring"): merges after a document bridged two stories (MaybeMerge), the batch
// refinement (Refine), the second look that lets a big story absorb a small one (Absorb),
// retiring stories the stream has left behind (Sweep), and StoryClusterer::Forget.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <tuple>
#include <utility>
#include <vector>

#include "nazir/story/story_clusterer.h"

#include "story/internal/state.h"
#include "story/kernels.h"

namespace nazir {
namespace internal {

void StoryClustererState::Merge(uint32_t from, uint32_t into) {
  Story& a = stories[from];
  Story& b = stories[into];
  a.parent = into;
  b.size += a.size;
  b.groups += a.groups;
  b.linked = b.linked || a.linked;
  if (a.first_date != kNoDate) {
    b.first_date = b.first_date == kNoDate ? a.first_date : std::min(b.first_date, a.first_date);
    b.last_date = b.last_date == kNoDate ? a.last_date : std::max(b.last_date, a.last_date);
    b.core_last = b.core_last == kNoDate ? a.core_last : std::max(b.core_last, a.core_last);
  }
  std::vector<uint32_t> src;
  std::set_union(a.sources.begin(), a.sources.end(), b.sources.begin(), b.sources.end(),
                 std::back_inserter(src));
  b.sources = std::move(src);
  b.centroid += a.centroid;
  b.residual2 += a.residual2;
  b.norm = Truncate(&b.centroid, opt.centroid_terms, &b.residual2);
  a.active = false;
  live_size[from] = 0;
  live_size[into] = b.size;
  a.centroid = Centroid();
  a.norm = 0;
  a.sources = {};
  a.posted = {};
  IndexStory(into);
}

uint32_t StoryClustererState::MaybeMerge(uint32_t si) {
  if (!opt.merge_stories) return si;
  const double floor = 0.5 * opt.threshold;
  candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                  [floor](const auto& c) { return c.first < floor; }),
                   candidates.end());
  constexpr size_t kMaxTried = 8;  // only the heaviest kMaxTried are looked at
  std::partial_sort(candidates.begin(), candidates.begin() + std::min(kMaxTried, candidates.size()),
                    candidates.end(), [](const auto& x, const auto& y) {
                      return x.first > y.first || (x.first == y.first && x.second < y.second);
                    });
  size_t tried = 0;
  uint32_t table_of = StoryClusterer::kNone;  // the story whose centroid is in pair_table
  for (const auto& [doc_score, ti] : candidates) {
    if (doc_score < 0.5 * opt.threshold || tried >= kMaxTried) break;
    ++tried;
    uint32_t t = Root(ti);
    si = Root(si);
    if (t == si || !stories[t].active || !stories[si].active) continue;
    const Story& a = stories[si];
    const Story& b = stories[t];
    if (a.norm <= 0 || b.norm <= 0) continue;
    int64_t gap = SpanGap(a, b);
    if (gap > opt.window_seconds) continue;
    // Fragments of one event start within one core period; a story that started later is a
    // later event of the same kind (tomorrow's market report, the next hearing).
    if (a.first_date != kNoDate && b.first_date != kNoDate &&
        std::max(a.first_date, b.first_date) - std::min(a.first_date, b.first_date) >
            opt.core_seconds) {
      continue;
    }
    if (table_of != si) {
      pair_table.Build(a.centroid);
      table_of = si;
    }
    double cos = pair_table.Dot(b.centroid) / (double{a.norm} * b.norm);
    cos *= Decay(gap);
    if (cos < opt.merge_threshold) continue;
    // The older story (earlier anchor) survives.
    if (stories[t].anchor < stories[si].anchor) {
      Merge(si, t);
      si = t;
    } else {
      Merge(t, si);
    }
    table_of = StoryClusterer::kNone;  // si's centroid changed
  }
  return si;
}

int64_t StoryClustererState::SpanGap(const Story& a, const Story& b) {
  if (a.first_date == kNoDate || b.first_date == kNoDate) return 0;
  if (a.core_last < b.first_date) return b.first_date - a.core_last;
  if (b.core_last < a.first_date) return a.first_date - b.core_last;
  return 0;
}

double StoryClustererState::PairScore(const Story& x, const Story& y) const {
  if (x.norm <= 0 || y.norm <= 0) return 0;
  const int64_t gap = SpanGap(x, y);
  if (gap > opt.window_seconds) return 0;
  return Dot(x.centroid, y.centroid) / (double{x.norm} * y.norm) * Decay(gap);
}

double StoryClustererState::PairThreshold(const Story& x, const Story& y) const {
  return x.size == 1 || y.size == 1 ? opt.threshold : opt.merge_threshold;
}

void StoryClustererState::Refine() {
  struct Pair {
    double score;
    uint32_t a, b;
    bool operator<(const Pair& o) const {
      return score < o.score || (score == o.score && (a > o.a || (a == o.a && b > o.b)));
    }
  };
  std::vector<Pair> heap;
  visit_stamp.assign(stories.size(), 0);
  stamp = 0;
  for (uint32_t a : active) {
    const Story& x = stories[a];
    if (!x.active || x.parent != a) continue;
    ++stamp;
    for (uint64_t term : x.posted) {
      auto pit = postings.find(term);
      if (pit == postings.end() || pit->second.size() > opt.max_postings) continue;
      for (uint32_t b : pit->second) {
        if (b <= a || visit_stamp[b] == stamp) continue;  // each pair once
        visit_stamp[b] = stamp;
        const Story& y = stories[b];
        if (!y.active || y.parent != b) continue;
        const double score = PairScore(x, y);
        if (score >= PairThreshold(x, y)) heap.push_back({score, a, b});
      }
    }
  }
  std::make_heap(heap.begin(), heap.end());
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end());
    const Pair p = heap.back();
    heap.pop_back();
    const uint32_t ra = Root(p.a), rb = Root(p.b);
    if (ra == rb) continue;
    if (ra != p.a || rb != p.b) {  // stale: rescore the current roots
      const double score = PairScore(stories[ra], stories[rb]);
      if (score >= PairThreshold(stories[ra], stories[rb])) {
        heap.push_back({score, std::min(ra, rb), std::max(ra, rb)});
        std::push_heap(heap.begin(), heap.end());
      }
      continue;
    }
    // The older story (earlier anchor) survives.
    if (stories[ra].anchor < stories[rb].anchor) {
      Merge(rb, ra);
    } else {
      Merge(ra, rb);
    }
  }
}

uint32_t StoryClustererState::BestAbsorber(uint32_t fi) {
  const Story& f = stories[fi];
  NewVisit();
  touched.clear();
  const double min_size = std::max(1.0, opt.absorb_ratio * f.size);
  for (uint64_t term : f.posted) postings.prefetch(term);  // independent cache misses
  for (uint64_t term : f.posted) {
    auto pit = postings.find(term);
    if (pit == postings.end() || pit->second.size() > opt.max_postings) continue;
    for (uint32_t si : pit->second) {
      if (live_size[si] < min_size || si == fi) continue;  // inactive (0) or too small
      Visit(si);
    }
  }
  uint32_t best = StoryClusterer::kNone;
  double best_score = 0;
  bool table_ready = false;
  for (uint32_t si : touched) {
    const Story& s = stories[si];
    if (hits[si] < 2 || s.parent != si || s.size < min_size) continue;
    // A satellite starts within the event's coverage [first_date, last_date], or is its
    // run-up (at most runup_seconds before it), and its core lies within the event's window:
    // its documents could have joined the event one by one.
    if (f.first_date != kNoDate && s.first_date != kNoDate) {
      if (f.first_date > s.last_date || f.first_date < s.first_date - opt.runup_seconds ||
          f.last_date > s.core_last + opt.window_seconds) {
        continue;
      }
    }
    // PairScore(f, s), with f's centroid in pair_table.
    double score = 0;
    if (f.norm > 0 && s.norm > 0) {
      if (!table_ready) {
        pair_table.Build(f.centroid);
        table_ready = true;
      }
      score = pair_table.Dot(s.centroid) / (double{f.norm} * s.norm);
    }
    if (score < opt.absorb_threshold) continue;
    if (best == StoryClusterer::kNone || score > best_score ||
        (score == best_score && s.anchor < stories[best].anchor)) {
      best_score = score;
      best = si;
    }
  }
  return best;
}

void StoryClustererState::Absorb(int64_t horizon, bool all) {
  if (opt.absorb_threshold <= 0) return;
  auto is_final = [&](const Story& s) {
    return all || (s.core_last != kNoDate && s.core_last < horizon);
  };
  using Item = std::tuple<uint32_t, uint32_t, uint32_t>;  // size, anchor, story index
  std::vector<Item>& heap = absorb_heap;
  heap.clear();
  uint32_t max_size = 0;  // no story can absorb one of more than max_size / absorb_ratio
  for (uint32_t si : active) max_size = std::max(max_size, live_size[si]);
  for (uint32_t si : active) {
    const Story& s = stories[si];
    if (s.active && s.parent == si && s.linked && is_final(s)) {
      heap.emplace_back(s.size, s.anchor, si);
    }
  }
  std::make_heap(heap.begin(), heap.end(), std::greater<>());
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    const auto [size, anchor, fi] = heap.back();
    heap.pop_back();
    if (!stories[fi].active || stories[fi].parent != fi || stories[fi].size != size) continue;
    if (opt.absorb_ratio * size > max_size) continue;  // BestAbsorber would find none
    const uint32_t si = BestAbsorber(fi);
    if (si == StoryClusterer::kNone) continue;
    const uint32_t root = stories[si].anchor < stories[fi].anchor ? si : fi;  // older survives
    Merge(root == si ? fi : si, root);
    max_size = std::max(max_size, stories[root].size);
    const Story& r = stories[root];
    if (is_final(r)) {
      heap.emplace_back(r.size, r.anchor, root);
      std::push_heap(heap.begin(), heap.end(), std::greater<>());
    }
  }
}

void StoryClustererState::Sweep(bool all) {
  if (max_date == kNoDate) return;
  int64_t horizon = max_date - opt.window_seconds;
  Absorb(horizon, all);
  size_t out = 0;
  bool any = false;
  for (uint32_t si : active) {
    Story& s = stories[si];
    if (!s.active || s.parent != si) continue;
    if (s.core_last != kNoDate && s.core_last < horizon) {
      s.active = false;
      live_size[si] = 0;
      s.norm = Truncate(&s.centroid, opt.summary_terms, &s.residual2);
      s.posted.clear();
      s.posted.shrink_to_fit();
      any = true;
      continue;
    }
    active[out++] = si;
  }
  active.resize(out);
  if (!any) return;
  for (auto it = postings.begin(); it != postings.end();) {
    auto& list = it->second;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [this](uint32_t si) { return live_size[si] == 0; }),
               list.end());
    if (list.empty()) {
      postings.erase(it++);
    } else {
      ++it;
    }
  }
}

}  // namespace internal

using internal::Story;
using internal::StoryClustererState;

void StoryClusterer::Forget(absl::FunctionRef<bool(uint32_t slot)> live) {
  StoryClustererState& s = *state_;
  const size_t n = s.stories.size();
  // 1. Which stories stay: the roots of the live slots' stories (the live slots are pointed at
  // them directly), the active ones, those still in a posting list (a stale entry counts
  // towards max_postings until it is dropped), and the roots of all of these.
  std::vector<uint8_t> keep(n, 0);
  for (uint32_t slot = 0; slot < s.slot_story.size(); ++slot) {
    uint32_t& si = s.slot_story[slot];
    if (si == kNone) continue;
    if (live(slot)) {
      si = s.Root(si);
      keep[si] = 1;
    } else {
      si = kNone;
    }
  }
  for (size_t i = 0; i < n; ++i) keep[i] |= s.stories[i].active ? 1 : 0;
  for (const auto& [term, list] : s.postings) {
    for (uint32_t si : list) keep[si] = 1;
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (keep[i]) keep[s.Root(i)] = 1;
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (keep[i]) continue;
    for (internal::SparseVec::InnerIterator it(s.stories[i].centroid); it; ++it) {
      const uint64_t id = static_cast<uint64_t>(it.index());
      if (s.spellings.contains(id)) s.forgotten_terms.insert(id);
    }
  }
  // 2. A kept story's anchor slot still names it (Assign's nd_group_story is a story id, i.e.
  // an anchor slot, which may be dead).
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t anchor = s.stories[i].anchor;
    if (keep[i] && anchor < s.slot_story.size() && s.slot_story[anchor] == kNone) {
      s.slot_story[anchor] = i;
    }
  }
  // 3. New indices, in the old order; parents point at the roots directly.
  std::vector<uint32_t> remap(n, kNone);
  uint32_t kept = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (keep[i]) remap[i] = kept++;
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (keep[i]) s.stories[i].parent = s.Root(i);  // a kept story's root is kept
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (!keep[i]) continue;
    Story& st = s.stories[i];
    st.parent = remap[st.parent];
    if (remap[i] != i) s.stories[remap[i]] = std::move(st);
  }
  s.stories.erase(s.stories.begin() + kept, s.stories.end());
  s.stories.shrink_to_fit();
  // 4. Everything indexed by story or holding story indices.
  auto compact = [&keep, n](auto* v) {
    size_t out = 0;
    for (size_t i = 0; i < v->size() && i < n; ++i) {
      if (keep[i]) (*v)[out++] = (*v)[i];
    }
    v->resize(out);
    v->shrink_to_fit();
  };
  compact(&s.live_size);
  compact(&s.visit_stamp);  // values kept: FindStory's stamps stay valid
  compact(&s.hits);
  for (uint32_t& si : s.slot_story) {
    if (si != kNone) si = remap[si];
  }
  size_t out = 0;
  for (uint32_t si : s.active) {
    if (keep[si]) s.active[out++] = remap[si];
  }
  s.active.resize(out);
  for (auto& [term, list] : s.postings) {
    for (uint32_t& si : list) si = remap[si];
  }
  // Scratch holding story indices (rebuilt before each use).
  s.touched.clear();
  s.candidates.clear();
  s.absorb_heap.clear();
  s.query_lists.clear();
}

}  // namespace nazir
