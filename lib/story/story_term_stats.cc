// Term statistics of the story clusterer (internal/state.h, "Term statistics"): counting a
// document (df, per-source df, spellings), the burst clock's all-documents count, and the
// clitic reading of a document's terms. Everything BuildVector reads about the corpus.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "story/internal/state.h"

namespace nazir::internal {

StoryClustererState::StoryClustererState(const StoryOptions& o)
    : opt(o), source_df(o.source_df_log2_width) {
  const double hl = HalfLifeHours();
  hour_decay.resize(kHourTable);
  for (int32_t k = 0; k < kHourTable; ++k) hour_decay[k] = std::exp2(-k / hl);
  log_int[0] = -std::numeric_limits<double>::infinity();
  for (int k = 1; k < kLogTable; ++k) log_int[k] = std::log(static_cast<double>(k));
}

void StoryClustererState::Count(const StoryFeatures& f, uint32_t source) {
  ++num_counted;
  ++source_docs[source];
  const uint16_t tag = SourceTag(source);
  for (size_t i = 0; i < std::min(2 * kPrefetchAhead, f.terms.size()); ++i) {
    df.Prefetch(f.terms[i].id);
  }
  // Pass 1: the term table (2 * kPrefetchAhead terms ahead); the sketch keys of the terms
  // whose dominant source is another one are collected and their lines prefetched, so most
  // have arrived when pass 2 updates the sketch in the same order (a conservative update
  // depends on it), kPrefetchAhead keys ahead of the rest.
  count_keys.clear();
  for (size_t i = 0; i < f.terms.size(); ++i) {
    if (i + 2 * kPrefetchAhead < f.terms.size()) df.Prefetch(f.terms[i + 2 * kPrefetchAhead].id);
    TermStat& ts = df[f.terms[i].id];
    ++ts.df;
    if (ts.src == 0) ts.src = tag;
    if (tag != 0 && ts.src == tag) {
      if (ts.src_df != 0xFFFF) ++ts.src_df;
    } else {
      const uint64_t key = SourceDf::Key(source, f.terms[i].id);
      source_df.Prefetch(key);
      count_keys.push_back(key);
    }
  }
  const size_t nk = count_keys.size();
  for (size_t i = 0; i < nk; ++i) {
    if (i + kPrefetchAhead < nk) source_df.Prefetch(count_keys[i + kPrefetchAhead]);
    source_df.Add(count_keys[i]);
  }
}

void StoryClustererState::UpdateRecent(int64_t date) {
  if (!UsesBurst(date)) return;
  Bump(&recent_docs, static_cast<int32_t>(date / 3600), HalfLifeHours());
}

double StoryClustererState::RecentDocs(int64_t date) const {
  if (!UsesBurst(date)) return 0;
  return Decayed(recent_docs.recent, recent_docs.hour, static_cast<int32_t>(date / 3600),
                 HalfLifeHours());
}

void StoryClustererState::StoreStrings(const StoryFeatures& f) {
  size_t n = std::min(f.new_strings.size(), f.new_string_ids.size());
  for (size_t i = 0; i < n; ++i) {
    auto [it, inserted] = spellings.try_emplace(f.new_string_ids[i]);
    if (!inserted) continue;
    const std::string& s = f.new_strings[i];
    it->second = {static_cast<uint32_t>(arena.size()), static_cast<uint32_t>(s.size())};
    arena.append(s);
  }
}

const StoryFeatures& StoryClustererState::ResolveClitics(const StoryFeatures& f) {
  if (opt.clitic_min_df == 0) return f;
  alt_terms.clear();
  for (size_t i = 0; i < f.terms.size(); ++i) {
    if (f.terms[i].alt_id != StoryFeatures::kNoAlt) alt_terms.push_back(static_cast<uint32_t>(i));
  }
  auto prefetch = [&](size_t k) {
    if (k >= alt_terms.size()) return;
    df.Prefetch(f.terms[alt_terms[k]].id);
    df.Prefetch(f.terms[alt_terms[k]].alt_id);
  };
  for (size_t k = 0; k < kPrefetchAhead; ++k) prefetch(k);
  subs.clear();
  subs_at.clear();
  for (size_t k = 0; k < alt_terms.size(); ++k) {
    prefetch(k + kPrefetchAhead);
    const StoryFeatures::Term& t = f.terms[alt_terms[k]];
    const TermStat* fs = df.Find(t.id);
    const double full = fs == nullptr ? 0.0 : fs->df;
    if (full > opt.clitic_max_full_df) continue;
    const TermStat* as = df.Find(t.alt_id);
    if (as == nullptr || as->df < opt.clitic_min_df || as->df < opt.clitic_df_ratio * full) {
      continue;
    }
    subs.push_back(t);
    subs.back().id = t.alt_id;
    subs.back().alt_id = StoryFeatures::kNoAlt;
    subs_at.push_back(alt_terms[k]);  // ascending
  }
  if (subs.empty()) return f;
  // The kept terms are still sorted by id: merge the (few) read terms into them.
  std::sort(subs.begin(), subs.end(),
            [](const StoryFeatures::Term& a, const StoryFeatures::Term& b) { return a.id < b.id; });
  auto& v = resolved.terms;
  v.clear();
  auto sat = [](uint16_t a, uint16_t b) {
    return static_cast<uint16_t>(std::min<uint32_t>(uint32_t{a} + b, 0xFFFF));
  };
  auto push = [&v, &sat](const StoryFeatures::Term& t) {
    if (!v.empty() && v.back().id == t.id) {  // a term present under both forms
      StoryFeatures::Term& m = v.back();
      m.title_tf = sat(m.title_tf, t.title_tf);
      m.body_tf = sat(m.body_tf, t.body_tf);
      m.lead_tf = sat(m.lead_tf, t.lead_tf);
      m.alt_id = StoryFeatures::kNoAlt;
    } else {
      v.push_back(t);
    }
  };
  size_t skip = 0, j = 0;
  for (size_t i = 0; i < f.terms.size(); ++i) {
    if (skip < subs_at.size() && subs_at[skip] == i) {
      ++skip;
      continue;
    }
    const StoryFeatures::Term& t = f.terms[i];
    while (j < subs.size() && subs[j].id <= t.id) push(subs[j++]);
    push(t);
  }
  while (j < subs.size()) push(subs[j++]);
  return resolved;
}

}  // namespace nazir::internal
