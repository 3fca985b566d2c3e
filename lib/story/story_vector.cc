// The document vector of the story clusterer (internal/state.h, "Document vector"): term
// weights (tf, idf with priors, source discount, df cut, burst, lead), the doc_terms heaviest
// kept and scaled by the full vector's norm, and the query terms. internal/reference.h has the
// same weighting written plainly; tests/story/vector_reference_test.cc compares the two.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iterator>

#include "story/internal/state.h"
#include "story/kernels.h"

namespace nazir::internal {

void StoryClustererState::BuildVector(const StoryFeatures& f, uint32_t source, bool final_df,
                                      int64_t date, DocVectors* out) {
  std::vector<std::pair<float, uint64_t>>& q_out = out->query;
  weighted.clear();
  lead_weighted.clear();
  q_out.clear();
  double full_norm2 = 0, lead_norm2 = 0;
  const double n = static_cast<double>(std::max<uint64_t>(num_counted, 1));
  const double prior_n = n + opt.df_prior_docs, prior_df = opt.df_prior_docs / 100.0;
  bool df_cut = num_counted >= opt.min_docs_for_df_cut;
  const double max_df = opt.max_df_fraction * n;
  if (num_counted != idf_n) {
    idf_n = num_counted;
    ++idf_stamp;
  }
  const bool burst = UsesBurst(date);
  const double all_recent = RecentDocs(date);
  if (UsesBurst(date)) ++num_built;
  // The cut also needs documents around this one's date (StoryOptions::
  // min_recent_docs_for_df_cut): an island in time is weighted like a small corpus.
  if (UsesBurst(date) && all_recent < opt.min_recent_docs_for_df_cut) df_cut = false;
  const int32_t hour = burst ? static_cast<int32_t>(date / 3600) : 0;
  const double hl = HalfLifeHours();
  auto sit = source_docs.find(source);
  const double ns = (sit == source_docs.end() ? 0.0 : sit->second) + opt.source_prior_docs;
  const uint16_t tag = SourceTag(source);
  DiscCache& dc = disc_caches[source & 15];
  if (dc.ns != ns) {
    dc.ns = ns;
    if (++dc.stamp == 0) {
      std::fill(std::begin(dc.valid), std::end(dc.valid), 0);
      dc.stamp = 1;
    }
  }
  // Two-stage prefetch: a term's table entry 2k terms ahead; k terms ahead, the entry (now
  // cached) tells whether its per-source count is in the sketch, whose line is prefetched.
  // The sketch key computed for the prefetch is kept for the read (sketch_keys[k]): whenever
  // SourceCount reads the sketch, the prefetch saw the same entry (or none) and computed it.
  const size_t nt = f.terms.size();
  out->textless = true;
  for (const StoryFeatures::Term& t : f.terms) {
    if (t.body_tf > 0) {
      out->textless = false;
      break;
    }
  }
  if (sketch_keys.size() < nt) sketch_keys.resize(nt);
  auto prefetch_sketch = [&](size_t k) {
    const TermStat* p = df.Find(f.terms[k].id);
    if (p == nullptr || tag == 0 || p->src != tag) {
      sketch_keys[k] = SourceDf::Key(source, f.terms[k].id);
      source_df.Prefetch(sketch_keys[k]);
    }
  };
  for (size_t k = 0; k < std::min(2 * kPrefetchAhead, nt); ++k) df.Prefetch(f.terms[k].id);
  for (size_t k = 0; k < std::min(kPrefetchAhead, nt); ++k) prefetch_sketch(k);
  for (size_t i = 0; i < nt; ++i) {
    if (i + 2 * kPrefetchAhead < nt) df.Prefetch(f.terms[i + 2 * kPrefetchAhead].id);
    if (i + kPrefetchAhead < nt) prefetch_sketch(i + kPrefetchAhead);
    const StoryFeatures::Term& t = f.terms[i];
    TermStat* ts;
    if (burst) {
      ts = &df[t.id];  // the term's recent count includes this document
      Bump(ts, hour, hl);
      ++ts->seen;
    } else {
      ts = df.Find(t.id);
    }
    const double tf = t.body_tf + opt.lead_weight * t.lead_tf + opt.title_weight * t.title_tf;
    if (tf <= 0) continue;
    const uint32_t di = ts == nullptr ? 1 : std::max<uint32_t>(ts->df, 1);
    const double d = di;
    // Time-local statistics: the term's documents in the recent past (r, decayed) and the
    // background outside them (d_bg of n_bg). A term whose recent rate a burst explains
    // (r / R well above d_bg / n_bg: the event's own words, common right now) keeps its
    // background idf and is not cut as common; other terms use the corpus counts.
    // The background is the documents before the recent past; with batch counts (which
    // include the documents still to come, the rest of a burst too) it is the causal past
    // once that holds min_docs_for_df_cut documents, the batch's counts before.
    double d_bg = d, n_bg = n, burst_ratio = 1;
    bool bursty = false;
    if (burst && ts != nullptr) {
      const double r = Decayed(ts->recent, ts->hour, hour, hl);
      const bool past = final_df && num_built - all_recent >= opt.min_recent_docs_for_df_cut;
      d_bg = std::max((past ? ts->seen : d) - r, 1.0);
      n_bg = std::max((past ? num_built : n) - all_recent, 1.0);
      burst_ratio = (r + opt.burst_prior) / (all_recent * d_bg / n_bg + opt.burst_prior);
      bursty = opt.burst_keep_ratio > 0 && burst_ratio >= opt.burst_keep_ratio;
    }
    if (df_cut && d > max_df && !bursty) continue;
    double idf;
    if (bursty) {
      idf = std::log1p((n_bg + opt.df_prior_docs) / (d_bg + prior_df));
    } else if (di < kIdfTable && idf_valid[di] == idf_stamp) {
      idf = idf_cache[di];
    } else {
      idf = std::log1p(prior_n / (d + prior_df));
      if (di < kIdfTable) {
        idf_cache[di] = idf;
        idf_valid[di] = idf_stamp;
      }
    }
    // The source discount ln(1 + ns / ds) only matters when it is below idf, i.e. (for the
    // corpus idf) when ns / ds < prior_n / (d + prior_df).
    const uint32_t dsi = std::max<uint32_t>(SourceCount(ts, tag, sketch_keys[i]), 1);
    const double ds = dsi;
    if (bursty || ns * (d + prior_df) < prior_n * ds) {
      double disc;
      if (dsi < kDiscTable && dc.valid[dsi] == dc.stamp) {
        disc = dc.value[dsi];
      } else {
        disc = std::log1p(ns / ds);
        if (dsi < kDiscTable) {
          dc.value[dsi] = disc;
          dc.valid[dsi] = dc.stamp;
        }
      }
      idf = std::min(idf, disc);
    }
    const double bw = Burst(ts, d, n, date, all_recent);
    const double iw = idf * bw;
    const double w = (1.0 + Log(tf)) * iw;
    // The norm is that of the full vector: dropping terms (below) must not inflate cosines.
    full_norm2 += w * w;
    const double lead_tf = opt.lead_score ? static_cast<double>(t.lead_tf) + t.title_tf : 0.0;
    const double lw = lead_tf > 0 ? (1.0 + Log(lead_tf)) * iw : 0.0;
    lead_norm2 += lw * lw;
    // A term no other document has (yet) cannot find a story. With the corpus' final
    // counts it cannot link this document to anything either, and is dropped.
    if (final_df && d < 2) continue;
    weighted.push_back({static_cast<float>(w), static_cast<float>(lw), t.id, d >= 2});
  }
  const float inv = full_norm2 > 0 ? static_cast<float>(1.0 / std::sqrt(full_norm2)) : 0.f;
  const float lead_inv = lead_norm2 > 0 ? static_cast<float>(1.0 / std::sqrt(lead_norm2)) : 0.f;
  // The query: heaviest first, ties by id (weighted is in id order), sorted by RankKey.
  query_ids.clear();
  query_keys.clear();
  for (const Weighted& x : weighted) {
    if (x.linkable) {
      query_keys.push_back(RankKey(std::max(x.w * inv, x.lw * lead_inv), query_ids.size()));
      query_ids.push_back(x.id);
    }
    if (x.lw > 0) lead_weighted.push_back(x);
  }
  const size_t q = std::min<size_t>(opt.query_terms, query_keys.size());
  const auto q_end = query_keys.begin() + static_cast<std::ptrdiff_t>(q);
  if (q < query_keys.size()) {
    std::nth_element(query_keys.begin(), q_end, query_keys.end(), std::greater<uint64_t>());
  }
  std::sort(query_keys.begin(), q_end, std::greater<uint64_t>());
  for (size_t k = 0; k < q; ++k) {
    q_out.emplace_back(RankWeight(query_keys[k]),
                       query_ids[0xFFFFFFFFu - (query_keys[k] & 0xFFFFFFFFu)]);
  }
  out->residual2 = Fill(&weighted, &Weighted::w, inv, full_norm2 > 0, &out->doc);
  Fill(&lead_weighted, &Weighted::lw, lead_inv, lead_norm2 > 0, &out->lead_doc);
}

float StoryClustererState::Fill(std::vector<Weighted>* ws, float Weighted::*w, float inv,
                                bool nonzero, SparseVec* out) {
  // *ws is in StoryFeatures order, i.e. sorted by id (distinct ids): the doc_terms heaviest
  // are selected by weight alone (SelectTopK), kept in id order without re-sorting.
  if (ws->size() > opt.doc_terms) {
    fill_weights.clear();
    for (const Weighted& x : *ws) fill_weights.push_back(x.*w);
    TopK top = SelectTopK(&fill_weights, opt.doc_terms);
    size_t kept = 0;
    for (const Weighted& x : *ws) {
      if (top.Take(x.*w)) (*ws)[kept++] = x;
    }
    ws->resize(kept);
  }
  out->resizeNonZeros(static_cast<int64_t>(ws->size()));  // written in place, in id order
  int64_t* oi = out->innerIndexPtr();
  float* ov = out->valuePtr();
  double stored2 = 0;
  for (size_t k = 0; k < ws->size(); ++k) {
    const Weighted& x = (*ws)[k];
    const float v = x.*w * inv;
    oi[k] = static_cast<int64_t>(x.id);
    ov[k] = v;
    stored2 += double{v} * v;
  }
  return nonzero ? static_cast<float>(std::max(0.0, 1.0 - stored2)) : 0.f;
}

}  // namespace nazir::internal
