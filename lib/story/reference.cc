// Plain reference implementation of the story clusterer's document vector
// (internal/reference.h): the weighting of nazir/story/story_clusterer.h, step 1 "Document
// vector", one step at a time. Only tests link it (nothing in the library calls it).
#include "story/internal/reference.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "story/internal/state.h"
#include "story/internal/term_table.h"

namespace nazir::internal {
namespace {

// The document frequency of a term (0 if the corpus has not seen it).
double DocumentFrequency(const StoryClustererState& s, uint64_t term) {
  const TermStat* ts = s.df.Find(term);
  return ts == nullptr ? 0.0 : ts->df;
}

// Clitic reading (StoryOptions::clitic_min_df): a term whose clitic-stripped form alt_id is
// common (df >= clitic_min_df and >= clitic_df_ratio times its own df) while the term itself
// is rare (df <= clitic_max_full_df) counts as that form. Terms that end up with one id are
// one term, their frequencies summed (saturating at 16 bits).
std::map<uint64_t, StoryFeatures::Term> ReadTerms(const StoryClustererState& s,
                                                  const StoryFeatures& f) {
  const StoryOptions& o = s.opt;
  std::map<uint64_t, StoryFeatures::Term> terms;
  for (const StoryFeatures::Term& t : f.terms) {
    uint64_t id = t.id;
    if (o.clitic_min_df != 0 && t.alt_id != StoryFeatures::kNoAlt) {
      const double full = DocumentFrequency(s, t.id);
      const double alt = DocumentFrequency(s, t.alt_id);
      if (full <= o.clitic_max_full_df && alt >= o.clitic_min_df &&
          alt >= o.clitic_df_ratio * full) {
        id = t.alt_id;
      }
    }
    auto [it, inserted] = terms.try_emplace(id, t);
    StoryFeatures::Term& m = it->second;
    if (!inserted) {
      auto sum = [](uint16_t a, uint16_t b) {
        return static_cast<uint16_t>(std::min<uint32_t>(uint32_t{a} + b, 0xFFFF));
      };
      m.title_tf = sum(m.title_tf, t.title_tf);
      m.body_tf = sum(m.body_tf, t.body_tf);
      m.lead_tf = sum(m.lead_tf, t.lead_tf);
    }
    m.id = id;
    m.alt_id = StoryFeatures::kNoAlt;
  }
  return terms;
}

// A decayed count: `count` documents at hour `from`, seen from hour `hour` (half-life `hl`
// hours; a count from the future grows).
double DecayedCount(double count, int32_t from, int32_t hour, double hl) {
  if (count == 0) return 0;
  return count * std::exp2(-static_cast<double>(hour - from) / hl);
}

// The term's recent-documents count at `hour`, this document included. Counts are stored as
// float, so the bumped count is rounded to float as the term table would store it.
double RecentCount(const TermStat* ts, int32_t hour, double hl) {
  const float stored = ts == nullptr ? 0.f : ts->recent;
  const int32_t at = ts == nullptr ? 0 : ts->hour;
  if (stored == 0 || hour >= at) {  // the count moves to this hour, plus this document
    return static_cast<float>(DecayedCount(stored, at, hour, hl) + 1);
  }
  // A document older than the last update: its contribution, decayed to the newer hour.
  const float bumped = stored + static_cast<float>(std::exp2(-static_cast<double>(at - hour) / hl));
  return DecayedCount(bumped, at, hour, hl);
}

struct Weight {
  uint64_t id;
  double w, lw;   // full and lead weight (not normalized)
  bool linkable;  // df >= 2
};

// The `k` heaviest of `ws` by `field` (ties: lower id), in id order.
std::vector<Weight> Heaviest(std::vector<Weight> ws, double Weight::*field, size_t k) {
  std::sort(ws.begin(), ws.end(), [field](const Weight& a, const Weight& b) {
    return a.*field > b.*field || (a.*field == b.*field && a.id < b.id);
  });
  if (ws.size() > k) ws.resize(k);
  std::sort(ws.begin(), ws.end(), [](const Weight& a, const Weight& b) { return a.id < b.id; });
  return ws;
}

}  // namespace

ReferenceVector ReferenceDocVector(const StoryClustererState& s, const StoryFeatures& f,
                                   uint32_t source, bool final_df, int64_t date) {
  const StoryOptions& o = s.opt;
  ReferenceVector out;

  // Corpus: N documents, the source's N_s (plus its prior), the burst clock.
  const double n = std::max<double>(static_cast<double>(s.num_counted), 1.0);
  const double p = o.df_prior_docs;
  auto src = s.source_docs.find(source);
  const double ns = (src == s.source_docs.end() ? 0.0 : src->second) + o.source_prior_docs;
  const bool burst = date != kNoDate && o.burst_exponent != 0;
  const double hl = static_cast<double>(o.burst_half_life_seconds) / 3600.0;
  const int32_t hour = burst ? static_cast<int32_t>(date / 3600) : 0;
  const double all_recent =
      burst ? DecayedCount(s.recent_docs.recent, s.recent_docs.hour, hour, hl) : 0.0;
  // The df cut (terms in more than max_df_fraction of the documents are dropped) needs a
  // corpus of min_docs_for_df_cut documents and, with burst, min_recent_docs_for_df_cut of
  // them around this date.
  const bool df_cut = s.num_counted >= o.min_docs_for_df_cut &&
                      !(burst && all_recent < o.min_recent_docs_for_df_cut);

  std::vector<Weight> kept;
  double norm2 = 0, lead_norm2 = 0;
  for (const auto& [id, t] : ReadTerms(s, f)) {
    const TermStat* ts = s.df.Find(id);
    const double tf = t.body_tf + o.lead_weight * t.lead_tf + o.title_weight * t.title_tf;
    if (tf <= 0) continue;
    const double d = std::max(DocumentFrequency(s, id), 1.0);
    // A term the burst explains (its recent rate at least burst_keep_ratio times its rate in
    // the background, the corpus outside the recent documents) is never cut as common and
    // takes its idf from the background.
    bool bursty = false;
    double d_bg = d, n_bg = n;
    if (burst) {
      // The background: before the recent past. With batch counts, the causal past (the
      // documents built before this one, and this one) once it holds min_docs_for_df_cut.
      const double r = RecentCount(ts, hour, hl);
      const double built = static_cast<double>(s.num_built) + 1;
      const double seen = (ts == nullptr ? 0.0 : ts->seen) + 1.0;
      const bool past = final_df && built - all_recent >= o.min_recent_docs_for_df_cut;
      d_bg = std::max((past ? seen : d) - r, 1.0);
      n_bg = std::max((past ? built : n) - all_recent, 1.0);
      bursty =
          o.burst_keep_ratio > 0 &&
          (r + o.burst_prior) / (all_recent * d_bg / n_bg + o.burst_prior) >= o.burst_keep_ratio;
    }
    if (df_cut && d > o.max_df_fraction * n && !bursty) continue;
    // idf with priors, capped by the source discount.
    double idf = bursty ? std::log(1 + (n_bg + p) / (d_bg + p / 100))
                        : std::log(1 + (n + p) / (d + p / 100));
    uint32_t in_source;  // documents of this source containing the term
    if (ts != nullptr && SourceTag(source) != 0 && ts->src == SourceTag(source)) {
      in_source = ts->src_df;  // the term's dominant source: counted exactly
    } else {
      in_source = s.source_df.Count(SourceDf::Key(source, id));
    }
    const double ds = std::max<double>(in_source, 1);
    idf = std::min(idf, std::log(1 + ns / ds));
    // Burst: the term's recent rate over its corpus rate, smoothed, clamped to [1, 16].
    double b = 1;
    if (burst) {
      const double expected = all_recent * d / n;
      b = std::clamp((RecentCount(ts, hour, hl) + o.burst_prior) / (expected + o.burst_prior), 1.0,
                     16.0);
      b = std::pow(b, o.burst_exponent);
    }
    const double w = (1 + std::log(tf)) * (idf * b);
    const double lead_tf = o.lead_score ? static_cast<double>(t.lead_tf) + t.title_tf : 0.0;
    const double lw = lead_tf > 0 ? (1 + std::log(lead_tf)) * (idf * b) : 0.0;
    // The norms are those of the full vectors: terms dropped below still count.
    norm2 += w * w;
    lead_norm2 += lw * lw;
    // With the corpus' final counts, a term no other document has cannot link this one.
    if (final_df && d < 2) continue;
    kept.push_back({id, w, lw, d >= 2});
  }
  const double norm = std::sqrt(norm2), lead_norm = std::sqrt(lead_norm2);

  // Stored: the doc_terms heaviest, as weights of the unit vector.
  double stored2 = 0;
  for (const Weight& x : Heaviest(kept, &Weight::w, o.doc_terms)) {
    out.doc[x.id] = x.w / norm;
    stored2 += x.w * x.w;
  }
  out.residual2 = norm2 > 0 ? (norm2 - stored2) / norm2 : 0.0;
  std::vector<Weight> lead;
  for (const Weight& x : kept) {
    if (x.lw > 0) lead.push_back(x);
  }
  for (const Weight& x : Heaviest(lead, &Weight::lw, o.doc_terms)) {
    out.lead_doc[x.id] = x.lw / lead_norm;
  }

  // Query: the query_terms linkable terms heaviest in either unit vector.
  std::vector<Weight> linkable;
  for (const Weight& x : kept) {
    if (!x.linkable) continue;
    const double q = std::max(norm > 0 ? x.w / norm : 0.0, lead_norm > 0 ? x.lw / lead_norm : 0.0);
    linkable.push_back({x.id, q, 0, true});
  }
  for (const Weight& x : Heaviest(linkable, &Weight::w, o.query_terms)) {
    out.query.emplace_back(x.w, x.id);
  }
  std::sort(out.query.begin(), out.query.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  return out;
}

}  // namespace nazir::internal
