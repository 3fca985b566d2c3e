// StoryClusterer::Serialize and Deserialize: the clusterer's whole state (options, corpus
// statistics, stories, candidate index, spellings) in a checksummed little-endian blob.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

#include "nazir/base/status.h"
#include "nazir/story/story_clusterer.h"

#include "base/bounded_reader.h"
#include "story/internal/state.h"

namespace nazir {

using internal::Story;
using internal::StoryClustererState;

namespace {

constexpr char kMagic[8] = {'N', 'Z', 'S', 'T', 'O', 'R', 'Y', '1'};
// 4: blocked per-source count-min sketch; 5: clitics; 6: dominant-source df in the term table;
// 7: absorb_threshold, absorb_ratio, min_recent_docs_for_df_cut.
// 8: the candidate index is saved. 7: absorb_threshold, absorb_ratio,
// min_recent_docs_for_df_cut. Versions 6 and 7 are still read (their missing
// options take the defaults; the candidate index is rebuilt).
// 9: story cores (core_seconds, Story::core_last), runup_seconds, burst_keep_ratio; a blob of
// versions 6-8 goes on without a core, a run-up or the burst exemption (its stories were built
// without them); the second look's time rule and the textless rule are this version's.
constexpr uint32_t kFormatVersion = 9;

class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}
  template <typename T>
  void Put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_->append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void Bytes(std::string_view b) {
    Put<uint64_t>(b.size());
    out_->append(b);
  }

 private:
  std::string* out_;
};

// Every count is checked against the bytes left before it sizes anything.
using Reader = internal::BoundedReader;

}  // namespace

void StoryClusterer::Serialize(std::string* out) const {
  const StoryClustererState& s = *state_;
  std::string body;
  Writer w(&body);
  const StoryOptions& o = s.opt;
  w.Put(o.threshold);
  w.Put(o.window_seconds);
  w.Put(o.decay_half_life_seconds);
  w.Put(o.title_weight);
  w.Put(o.lead_weight);
  w.Put(o.doc_terms);
  w.Put(o.centroid_terms);
  w.Put(o.max_df_fraction);
  w.Put(o.min_docs_for_df_cut);
  w.Put(o.source_prior_docs);
  w.Put(o.query_terms);
  w.Put(o.index_terms);
  w.Put(o.summary_terms);
  w.Put<int32_t>(o.source_df_log2_width);
  w.Put<uint8_t>(o.merge_stories ? 1 : 0);
  w.Put(o.merge_threshold);
  w.Put(o.burst_exponent);
  w.Put(o.burst_half_life_seconds);
  w.Put(o.burst_prior);
  w.Put<uint8_t>(o.lead_score ? 1 : 0);
  w.Put(o.df_prior_docs);
  w.Put<uint8_t>(o.refine_batch ? 1 : 0);
  w.Put(o.max_postings);
  w.Put(o.decay_floor);
  w.Put(o.clitic_min_df);
  w.Put(o.clitic_df_ratio);
  w.Put(o.clitic_max_full_df);
  w.Put(o.absorb_threshold);
  w.Put(o.absorb_ratio);
  w.Put(o.min_recent_docs_for_df_cut);
  w.Put(o.core_seconds);
  w.Put(o.runup_seconds);
  w.Put(o.burst_keep_ratio);

  w.Put(s.num_counted);
  w.Put(s.pending_counted);
  w.Put(s.max_date);
  w.Put(s.assigned);
  std::vector<uint64_t> term_ids;
  term_ids.reserve(s.df.size());
  s.df.ForEach([&term_ids](uint64_t id, const internal::TermStat&) { term_ids.push_back(id); });
  std::sort(term_ids.begin(), term_ids.end());
  w.Put(s.recent_docs.recent);
  w.Put(s.recent_docs.hour);
  w.Put<uint64_t>(term_ids.size());
  for (uint64_t id : term_ids) {
    const internal::TermStat& st = *s.df.Find(id);
    w.Put(id);
    w.Put(st.df);
    w.Put(st.recent);
    w.Put(st.hour);
    w.Put(st.src);
    w.Put(st.src_df);
  }
  std::vector<std::pair<uint32_t, uint32_t>> sd(s.source_docs.begin(), s.source_docs.end());
  std::sort(sd.begin(), sd.end());
  w.Put<uint64_t>(sd.size());
  for (const auto& [src, c] : sd) {
    w.Put(src);
    w.Put(c);
  }
  const std::span<const uint16_t> cms = s.source_df.counters();
  w.Bytes(std::string_view(reinterpret_cast<const char*>(cms.data()), cms.size() * 2));
  w.Put<uint64_t>(s.slot_story.size());
  for (uint32_t v : s.slot_story) w.Put(v);
  absl::flat_hash_map<uint64_t, bool> used_terms;
  w.Put<uint64_t>(s.stories.size());
  for (const Story& st : s.stories) {
    w.Put(st.anchor);
    w.Put(st.parent);
    w.Put(st.size);
    w.Put(st.groups);
    w.Put(st.first_date);
    w.Put(st.last_date);
    w.Put(st.core_last);
    w.Put<uint8_t>((st.active ? 1 : 0) | (st.linked ? 2 : 0));
    w.Put(st.residual2);
    w.Put<uint64_t>(st.sources.size());
    for (uint32_t src : st.sources) w.Put(src);
    w.Put<uint64_t>(st.centroid.nonZeros());
    for (internal::SparseVec::InnerIterator it(st.centroid); it; ++it) {
      w.Put<int64_t>(it.index());
      w.Put<float>(it.value());
      used_terms[static_cast<uint64_t>(it.index())] = true;
    }
  }
  // The candidate index exactly as it is (posting lists in their order, with
  // the stale entries not yet dropped; the active list; each story's posted
  // terms), so that a reopened clusterer decides as the saved one would have
  // (version 8; before, Deserialize re-posted each active story under its
  // current top terms, and a stream continued after a restart could differ).
  w.Put<uint64_t>(s.active.size());
  for (uint32_t si : s.active) w.Put(si);
  for (const Story& st : s.stories) {
    w.Put(st.index_w);
    w.Put(st.index_id);
    w.Put<uint64_t>(st.posted.size());
    for (uint64_t term : st.posted) w.Put(term);
  }
  std::vector<uint64_t> posting_terms;
  posting_terms.reserve(s.postings.size());
  for (const auto& [term, list] : s.postings) posting_terms.push_back(term);
  std::sort(posting_terms.begin(), posting_terms.end());
  w.Put<uint64_t>(posting_terms.size());
  for (uint64_t term : posting_terms) {
    const std::vector<uint32_t>& list = s.postings.at(term);
    w.Put(term);
    w.Put<uint64_t>(list.size());
    for (uint32_t si : list) w.Put(si);
  }
  std::vector<uint64_t> ids;
  for (const auto& [id, unused] : used_terms) {
    if (s.spellings.contains(id)) ids.push_back(id);
  }
  for (uint64_t id : s.forgotten_terms) {
    if (!used_terms.contains(id)) ids.push_back(id);  // all have spellings
  }
  std::sort(ids.begin(), ids.end());
  w.Put<uint64_t>(ids.size());
  for (uint64_t id : ids) {
    const auto& [off, len] = s.spellings.at(id);
    w.Put(id);
    w.Bytes(std::string_view(s.arena).substr(off, len));
  }

  out->append(kMagic, sizeof(kMagic));
  Writer head(out);
  head.Put(kFormatVersion);
  head.Put<uint64_t>(body.size());
  head.Put<uint64_t>(XXH3_64bits(body.data(), body.size()));
  out->append(body);
}

absl::StatusOr<StoryClusterer> StoryClusterer::Deserialize(std::string_view blob) {
  auto corrupt = [](std::string_view what) {
    return absl::DataLossError(absl::StrCat("story clusterer blob: ", ToAbsl(what)));
  };
  if (blob.size() < sizeof(kMagic) + 20 || std::memcmp(blob.data(), kMagic, sizeof(kMagic)) != 0) {
    return corrupt("bad magic");
  }
  Reader head(blob.substr(sizeof(kMagic)));
  uint32_t version = 0;
  uint64_t size = 0, checksum = 0;
  head.Get(&version);
  head.Get(&size);
  head.Get(&checksum);
  const bool has_index = version >= 8;
  if (version < 6 || version > kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat("story clusterer blob has format version ",
                                                      version, ", this build reads 6 to ",
                                                      kFormatVersion));
  }
  std::string_view body = blob.substr(sizeof(kMagic) + 20);
  if (body.size() != size) return corrupt("truncated");
  if (XXH3_64bits(body.data(), body.size()) != checksum) return corrupt("checksum mismatch");

  Reader r(body);
  StoryOptions o;
  int32_t log2w = 0;
  r.Get(&o.threshold);
  r.Get(&o.window_seconds);
  r.Get(&o.decay_half_life_seconds);
  r.Get(&o.title_weight);
  r.Get(&o.lead_weight);
  r.Get(&o.doc_terms);
  r.Get(&o.centroid_terms);
  r.Get(&o.max_df_fraction);
  r.Get(&o.min_docs_for_df_cut);
  r.Get(&o.source_prior_docs);
  r.Get(&o.query_terms);
  r.Get(&o.index_terms);
  r.Get(&o.summary_terms);
  r.Get(&log2w);
  uint8_t merge = 0;
  r.Get(&merge);
  o.merge_stories = merge != 0;
  r.Get(&o.merge_threshold);
  r.Get(&o.burst_exponent);
  r.Get(&o.burst_half_life_seconds);
  r.Get(&o.burst_prior);
  uint8_t lead_score = 0, refine = 0;
  r.Get(&lead_score);
  r.Get(&o.df_prior_docs);
  r.Get(&refine);
  r.Get(&o.max_postings);
  r.Get(&o.decay_floor);
  r.Get(&o.clitic_min_df);
  r.Get(&o.clitic_df_ratio);
  r.Get(&o.clitic_max_full_df);
  if (version >= 7) {
    r.Get(&o.absorb_threshold);
    r.Get(&o.absorb_ratio);
    r.Get(&o.min_recent_docs_for_df_cut);
  }
  if (version >= 9) {
    r.Get(&o.core_seconds);
    r.Get(&o.runup_seconds);
    r.Get(&o.burst_keep_ratio);
  } else {  // the model of versions 6-8: no core, no run-up, no burst exemption
    o.core_seconds = std::numeric_limits<int64_t>::max() / 4;
    o.runup_seconds = 0;
    o.burst_keep_ratio = 0;
  }
  o.lead_score = lead_score != 0;
  o.refine_batch = refine != 0;
  o.source_df_log2_width = log2w;
  if (!r.ok()) return corrupt("truncated options");
  if (absl::Status st = o.Validate(); !st.ok()) return corrupt("invalid options");
  // The options size the source count-min sketch (allocated with the state):
  // its counters must be in the blob.
  if (!r.Fits(uint64_t{4} << o.source_df_log2_width, 1)) {
    return corrupt(absl::StrCat("source_df_log2_width ", o.source_df_log2_width, ": ", r.error()));
  }
  auto state = std::make_unique<StoryClustererState>(o);
  StoryClustererState& s = *state;
  r.Get(&s.num_counted);
  r.Get(&s.pending_counted);
  r.Get(&s.max_date);
  r.Get(&s.assigned);
  uint64_t n = 0;
  r.Get(&s.recent_docs.recent);
  r.Get(&s.recent_docs.hour);
  if (!r.Count(&n, 24)) return corrupt("df");
  s.df.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t id = 0;
    internal::TermStat st;
    r.Get(&id);
    r.Get(&st.df);
    r.Get(&st.recent);
    r.Get(&st.hour);
    r.Get(&st.src);
    r.Get(&st.src_df);
    if (id >= internal::TermTable::kEmpty >> 1) return corrupt("term id");
    s.df[id] = st;
  }
  if (!r.Count(&n, 8)) return corrupt("source docs");
  for (uint64_t i = 0; i < n; ++i) {
    uint32_t src = 0, c = 0;
    r.Get(&src);
    r.Get(&c);
    s.source_docs[src] = c;
  }
  std::string cms;
  if (!r.Bytes(&cms) || cms.size() != s.source_df.counters().size() * 2) return corrupt("cms");
  std::memcpy(s.source_df.counters().data(), cms.data(), cms.size());
  if (!r.Count(&n, 4)) return corrupt("slots");
  s.slot_story.resize(n);
  for (uint64_t i = 0; i < n; ++i) r.Get(&s.slot_story[i]);
  if (!r.Count(&n, 45)) return corrupt("stories");
  s.stories.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    Story& st = s.stories[i];
    uint8_t active = 0;
    r.Get(&st.anchor);
    r.Get(&st.parent);
    r.Get(&st.size);
    r.Get(&st.groups);
    // Summaries() sizes each story's member list by its size: no story holds more documents
    // than there are slots.
    if (st.size > s.slot_story.size() || st.groups > st.size) return corrupt("story size");
    r.Get(&st.first_date);
    r.Get(&st.last_date);
    st.core_last = st.last_date;
    if (version >= 9) r.Get(&st.core_last);
    r.Get(&active);
    r.Get(&st.residual2);
    st.active = (active & 1) != 0;
    st.linked = (active & 2) != 0;
    uint64_t m = 0;
    if (!r.Count(&m, 4)) return corrupt("story sources");
    st.sources.resize(m);
    for (uint64_t k = 0; k < m; ++k) r.Get(&st.sources[k]);
    if (!r.Count(&m, 12)) return corrupt("centroid");
    st.centroid.reserve(static_cast<int64_t>(m));
    int64_t prev = -1;
    for (uint64_t k = 0; k < m; ++k) {
      int64_t id = 0;
      float v = 0;
      r.Get(&id);
      r.Get(&v);
      if (id <= prev) return corrupt("centroid order");
      prev = id;
      st.centroid.insertBack(id) = v;
    }
    st.norm = static_cast<float>(std::sqrt(st.centroid.squaredNorm() + st.residual2));
  }
  for (uint32_t v : s.slot_story) {
    if (v != kNone && v >= s.stories.size()) return corrupt("slot map");
  }
  for (size_t i = 0; i < s.stories.size(); ++i) {
    if (s.stories[i].parent >= s.stories.size()) return corrupt("story parent");
    // Parents always point to older stories (lower anchors), so there are no cycles.
    if (s.stories[i].parent != i && s.stories[s.stories[i].parent].anchor >= s.stories[i].anchor) {
      return corrupt("story parent order");
    }
  }
  if (has_index && !r.Count(&n, 4)) return corrupt("active list");
  s.active.resize(has_index ? n : 0);
  for (uint32_t& si : s.active) {
    r.Get(&si);
    if (si >= s.stories.size()) return corrupt("active list");
  }
  for (size_t i = 0; has_index && i < s.stories.size(); ++i) {
    Story& st = s.stories[i];
    r.Get(&st.index_w);
    r.Get(&st.index_id);
    if (!r.Count(&n, 8)) return corrupt("posted terms");
    st.posted.resize(n);
    for (uint64_t& term : st.posted) r.Get(&term);
    if (!std::is_sorted(st.posted.begin(), st.posted.end())) return corrupt("posted order");
  }
  if (has_index && !r.Count(&n, 16)) return corrupt("postings");
  for (uint64_t i = 0; has_index && i < n; ++i) {
    uint64_t term = 0, len = 0;
    r.Get(&term);
    if (!r.Count(&len, 4)) return corrupt("posting list");
    std::vector<uint32_t>& list = s.postings[term];
    list.resize(len);
    for (uint32_t& si : list) {
      r.Get(&si);
      if (si >= s.stories.size()) return corrupt("posting list");
    }
  }
  if (!r.Count(&n, 16)) return corrupt("spellings");
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t id = 0;
    std::string sp;
    r.Get(&id);
    if (!r.Bytes(&sp)) return corrupt("spelling");
    s.spellings[id] = {static_cast<uint32_t>(s.arena.size()), static_cast<uint32_t>(sp.size())};
    s.arena.append(sp);
  }
  if (!r.ok() || !r.done()) return corrupt("trailing or truncated data");
  // Spellings of terms in no centroid were written for forgotten stories (Forget).
  absl::flat_hash_set<uint64_t> centroid_terms;
  for (const Story& st : s.stories) {
    for (internal::SparseVec::InnerIterator it(st.centroid); it; ++it) {
      centroid_terms.insert(static_cast<uint64_t>(it.index()));
    }
  }
  for (const auto& [id, unused] : s.spellings) {
    if (!centroid_terms.contains(id)) s.forgotten_terms.insert(id);
  }
  s.live_size.resize(s.stories.size());
  for (uint32_t i = 0; i < s.stories.size(); ++i) {
    s.live_size[i] = s.stories[i].active ? std::max<uint32_t>(s.stories[i].size, 1) : 0;
    if (!has_index && s.stories[i].active) {  // versions 6 and 7: rebuild the index
      s.active.push_back(i);
      s.IndexStory(i);
    }
  }
  return StoryClusterer(std::move(state));
}

}  // namespace nazir
