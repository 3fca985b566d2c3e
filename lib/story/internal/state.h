// The state of a StoryClusterer (nazir/story/story_clusterer.h), shared by the stage files
// of lib/story/ that define its methods:
//   story_term_stats.cc  corpus statistics: document counting (df, per-source df, spellings),
//                        the burst clock, clitic reading
//   story_vector.cc      the document vector (BuildVector, Fill); reference.cc
//                        (internal/reference.h) is a plain version that tests compare it with
//   story_index.cc       the candidate index and scoring (IndexStory, FindStory, Score)
//   story_centroid.cc    a story takes a document; centroid sums and truncation
//   story_merge.cc       merging, absorbing, refining, retiring stories; Forget
//   story_clusterer.cc   the public API, Cluster (the assignment step), AssignBatch
//   story_options.cc     StoryOptions::Set/SetAll/Validate
//   story_serialize.cc   Serialize/Deserialize
// Speed kernels (dot products, top-k selection) are in kernels.h, the term table and the
// per-source sketch in internal/term_table.h.
//
// Not thread-safe; AssignBatch's second thread runs the term-statistics and document-vector
// stage (UpdateRecent, ResolveClitics, BuildVector), which touch only their own fields (the
// sections "Term statistics" and "Document vector" below), while the first thread clusters.
#ifndef NAZIR_STORY_INTERNAL_STATE_H_
#define NAZIR_STORY_INTERNAL_STATE_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

#include "nazir/story/story_clusterer.h"
#include "nazir/story/story_features.h"

#include "story/internal/term_table.h"
#include "story/kernels.h"

namespace nazir::internal {

constexpr int64_t kNoDate = std::numeric_limits<int64_t>::min();

// A SparseVec that moves by swapping. Eigen 3.4's SparseVector has no move constructor, so
// without this a std::vector<Story> deep-copies every centroid each time it grows.
struct Centroid : SparseVec {
  Centroid() : SparseVec(kDim) {}
  Centroid(const Centroid&) = default;
  Centroid& operator=(const Centroid&) = default;
  Centroid(Centroid&& o) noexcept : SparseVec(kDim) { swap(o); }
  Centroid& operator=(Centroid&& o) noexcept {
    swap(o);
    return *this;
  }
  ~Centroid() = default;
};

struct Story {
  uint32_t anchor = 0;
  uint32_t parent = 0;  // index of the story this one was merged into (itself if a root)
  uint32_t size = 0;
  uint32_t groups = 0;
  int64_t first_date = kNoDate, last_date = kNoDate;
  // The last date of the story's core: its members dated at most core_seconds after
  // first_date. Only core members shape the centroid, and the time window is measured from
  // [first_date, core_last]: later members join for what they share with the event's core.
  int64_t core_last = kNoDate;
  bool active = true;
  // A member document also scored >= absorb_threshold / 2 against another story: only such
  // stories get the second look (Absorb); the others share too little with any story.
  bool linked = false;
  float norm = 0;       // of the full centroid: sqrt(|centroid|^2 + residual2)
  float residual2 = 0;  // squared mass of the members' terms not stored (dropped, truncated)
  std::vector<uint32_t> sources;  // sorted, unique
  Centroid centroid;              // sum of member unit vectors, truncated
  std::vector<uint64_t> posted;   // terms under which the story is in the index (sorted)
  // The lightest posted-by-rank centroid entry (weight, id) at the last IndexStory: the
  // index_terms-th heaviest then, or (0, max) if the centroid had no more entries than that.
  float index_w = 0;
  int64_t index_id = std::numeric_limits<int64_t>::max();
};

// A document's vectors (StoryClustererState::BuildVector).
struct DocVectors {
  SparseVec doc{kDim};
  SparseVec lead_doc{kDim};
  std::vector<std::pair<float, uint64_t>> query;
  float residual2 = 0;
  // No body term (an empty, chrome-only or title-only article): it joins a story only through
  // three of its terms, never through a title word alone.
  bool textless = false;
};

static_assert(std::is_nothrow_move_constructible_v<Story>, "vector<Story> must move, not copy");

struct StoryClustererState {
  explicit StoryClustererState(const StoryOptions& o);  // story_term_stats.cc

  StoryOptions opt;

  // ==== Term statistics (story_term_stats.cc) ====
  // Corpus statistics.
  TermTable df;
  TermStat recent_docs;  // the same decayed count over all documents
  absl::flat_hash_map<uint32_t, uint32_t> source_docs;
  SourceDf source_df;
  uint64_t num_counted = 0;      // N
  uint64_t num_built = 0;        // dated documents whose vector was built (TermStat::seen)
  uint64_t pending_counted = 0;  // CountDocument calls not yet matched by an Assign

  static constexpr size_t kPrefetchAhead = 8;

  // Counts a document: N, its source's documents, each term's df and per-source df.
  void Count(const StoryFeatures& f, uint32_t source);
  std::vector<uint64_t> count_keys;  // Count's scratch
  // Documents of the source tagged `tag` containing the term (exact for its dominant source,
  // else the sketch's estimate under `key`, SourceDf::Key(source, term), read only then).
  uint32_t SourceCount(const TermStat* ts, uint16_t tag, const uint64_t& key) const {
    if (ts != nullptr && tag != 0 && ts->src == tag) return ts->src_df;
    return source_df.Count(key);
  }

  // The burst clock: exponentially decayed counts of recent documents, per term (TermStat::
  // recent, bumped in BuildVector) and over all documents (recent_docs).
  double HalfLifeHours() const { return opt.burst_half_life_seconds / 3600.0; }
  // exp2(-k / half_life_hours) for k < kHourTable (the same value std::exp2 gives).
  static constexpr int32_t kHourTable = 1024;
  std::vector<double> hour_decay;
  double HourDecay(int32_t k, double hl) const {
    if (k >= 0 && k < kHourTable) return hour_decay[k];
    return std::exp2(-k / hl);
  }
  double Decayed(float count, int32_t from_hour, int32_t hour, double hl) const {
    if (count == 0) return 0;
    return count * HourDecay(hour - from_hour, hl);
  }
  // Adds a document of hour `hour` to the decayed count *r.
  void Bump(TermStat* r, int32_t hour, double hl) const;
  bool UsesBurst(int64_t date) const { return date != kNoDate && opt.burst_exponent != 0; }
  // Counts the document in the recent-documents total; its terms are bumped in BuildVector.
  void UpdateRecent(int64_t date);
  // The decayed count of all documents at `date` (0 without burst).
  double RecentDocs(int64_t date) const;
  // (recent rate / corpus rate) of a term, smoothed with burst_prior pseudo-documents,
  // clamped to [1, 16], raised to burst_exponent.
  // `all_recent`: RecentDocs(date), the same for every term of a document.
  double Burst(const TermStat* ts, double df_t, double n, int64_t date, double all_recent) const;

  // Term spellings: id -> (offset, length) in arena.
  std::string arena;
  absl::flat_hash_map<uint64_t, std::pair<uint32_t, uint32_t>> spellings;
  // Terms of the centroids of forgotten stories (Forget) that have a spelling: Serialize
  // still writes their spellings, as it would if the stories were kept, so a reopened
  // clusterer shows the same top terms whether it forgot stories or not.
  absl::flat_hash_set<uint64_t> forgotten_terms;
  // Keeps the first spelling received for each term id. CountDocument calls it in input order,
  // and featurizers put each id's spelling on the first document in input order that has it
  // (StoryFeaturizer::Featurize's `order`), whichever featurizer made its features and when:
  // the shown spellings do not depend on the threads or their schedule.
  void StoreStrings(const StoryFeatures& f);

  // The document's terms with corpus-supported clitic readings applied (StoryOptions::
  // clitic_min_df): `f` itself if no term is read as its alt_id, else `resolved` (sorted by id,
  // a term present under both forms merged, tfs summed).
  const StoryFeatures& ResolveClitics(const StoryFeatures& f);
  StoryFeatures resolved;
  std::vector<uint32_t> alt_terms;        // indices of the terms with an alt_id
  std::vector<StoryFeatures::Term> subs;  // terms read as their alt_id (id = alt_id)
  std::vector<uint32_t> subs_at;          // their indices in the document's terms

  // ==== Document vector (story_vector.cc) ====
  // Fills out->doc (the doc_terms heaviest terms, scaled by the full vector's norm),
  // out->lead_doc (the same for title + lead, if lead_score) and out->query (the query_terms
  // terms with df >= 2 that weigh most in either unit vector, heaviest first). Depends only on
  // the sequence of documents (df, recent counts), never on stories: AssignBatch runs it on a
  // second thread ahead of the clustering.
  void BuildVector(const StoryFeatures& f, uint32_t source, bool final_df, int64_t date,
                   DocVectors* out);

  struct Weighted {
    float w, lw;  // weight in the full and the lead vector (0: not in the lead)
    uint64_t id;
    bool linkable;  // df >= 2: may be shared with a story
  };
  // Writes the doc_terms heaviest entries of *ws (by field `w`, scaled by `inv`) into *out and
  // returns the squared mass of the unit vector left out.
  float Fill(std::vector<Weighted>* ws, float Weighted::*w, float inv, bool nonzero,
             SparseVec* out);

  // BuildVector's and Fill's scratch (AssignBatch runs them on its second thread).
  std::vector<Weighted> weighted, lead_weighted;
  std::vector<uint64_t> sketch_keys;  // BuildVector: per term, its SourceDf key if it needs one
  std::vector<float> fill_weights;
  std::vector<uint64_t> query_ids, query_keys;

  // ln(k) for small integer term frequencies.
  static constexpr int kLogTable = 256;
  double log_int[kLogTable];
  double Log(double x) const {
    const int k = static_cast<int>(x);
    return k == x && k < kLogTable ? log_int[k] : std::log(x);
  }
  // idf by df for the current N (idf_n): idf_cache[d] valid when idf_valid[d] == idf_stamp.
  static constexpr uint32_t kIdfTable = 4096;
  std::vector<double> idf_cache = std::vector<double>(kIdfTable);
  std::vector<uint64_t> idf_valid = std::vector<uint64_t>(kIdfTable, 0);
  uint64_t idf_stamp = 0, idf_n = ~uint64_t{0};
  // The source discount ln(1 + ns / ds) by ds for one value of ns (a source's documents plus
  // source_prior_docs): value[ds] valid when valid[ds] == stamp. One cache per source & 15, so
  // with batch counts (ns fixed per source) it survives from one document of a source to the
  // next; a new ns starts a new stamp.
  static constexpr uint32_t kDiscTable = 256;
  struct DiscCache {
    double ns = -1;
    uint32_t stamp = 0;
    double value[kDiscTable];
    uint32_t valid[kDiscTable] = {};
  };
  std::vector<DiscCache> disc_caches = std::vector<DiscCache>(16);

  // ==== The current document's vectors (read by the stages below) ====
  std::vector<std::pair<float, uint64_t>> query;  // heaviest terms some other doc has
  SparseVec doc{kDim};
  SparseVec lead_doc{kDim};  // empty unless lead_score
  float doc_residual2 = 0;   // 1 - |doc|^2: the part of the unit vector not stored
  DocVectors built;          // BuildVector's output before SwapIn (sequential Assign)
  // Makes `v` the current document's vectors (O(1) swaps; v gets the previous ones).
  void SwapIn(DocVectors* v) {
    doc.swap(v->doc);
    lead_doc.swap(v->lead_doc);
    query.swap(v->query);
    std::swap(doc_residual2, v->residual2);
    std::swap(doc_textless, v->textless);
  }
  bool doc_textless = false;  // DocVectors::textless of the current document

  // ==== Stories ====
  std::vector<Story> stories;
  std::vector<uint32_t> slot_story;  // slot -> story index, kNone if unassigned
  // stories[i].size if stories[i].active, else 0; compact (read once per posting).
  std::vector<uint32_t> live_size;
  std::vector<uint32_t> active;  // indices of active stories (may hold inactive ones)
  int64_t max_date = kNoDate;
  uint64_t assigned = 0;

  // The root of story si's merge tree (compresses the path).
  uint32_t Root(uint32_t si) {
    uint32_t r = si;
    while (stories[r].parent != r) r = stories[r].parent;
    while (stories[si].parent != r) {  // path compression
      uint32_t next = stories[si].parent;
      stories[si].parent = r;
      si = next;
    }
    return r;
  }
  uint32_t RootConst(uint32_t si) const {
    while (stories[si].parent != si) si = stories[si].parent;
    return si;
  }

  // Time decay of a gap (within the window): 0.5^(gap / half-life), at least decay_floor.
  double Decay(int64_t gap) const {
    if (gap == 0) return std::max(opt.decay_floor, 1.0);  // exp2(-0.0) == 1
    return std::max(opt.decay_floor, std::exp2(-static_cast<double>(gap) /
                                               static_cast<double>(opt.decay_half_life_seconds)));
  }

  // ==== Candidate index and scoring (story_index.cc) ====
  // Term -> stories posted under it (each active story under its index_terms heaviest
  // centroid terms; entries of retired stories are dropped lazily).
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> postings;

  // Best candidate story (index) with its decayed score, or kNone. Fills `candidates`.
  uint32_t FindStory(int64_t date, double* best_score);
  std::vector<std::pair<double, uint32_t>> candidates;  // (decayed doc score, story index)

  // Starts a walk over posting lists: a new stamp (visit_stamp[si] == stamp: story si seen in
  // this walk, hits[si] its count), the arrays sized for every story.
  void NewVisit();
  // Counts story si as found once more in this walk (the first time: into `touched`).
  void Visit(uint32_t si) {
    if (visit_stamp[si] != stamp) {
      visit_stamp[si] = stamp;
      hits[si] = 1;
      touched.push_back(si);
    } else if (hits[si] < 255) {
      ++hits[si];
    }
  }
  std::vector<uint32_t> visit_stamp;
  std::vector<uint8_t> hits;      // query terms under which a story was found (this stamp)
  std::vector<uint32_t> touched;  // stories found for the current document
  std::vector<std::vector<uint32_t>*> query_lists;  // posting lists of the query terms
  uint32_t stamp = 0;

  // Distance in time from a date to a story's core [first_date, core_last] (0: inside, or no
  // date): the window counts from it.
  static int64_t Gap(const Story& s, int64_t date) {
    if (date == kNoDate || s.first_date == kNoDate) return 0;
    if (date < s.first_date) return s.first_date - date;
    if (date > s.core_last) return date - s.core_last;
    return 0;
  }
  // Distance in time from a date to a story's whole span [first_date, last_date]: the decay
  // counts from it (a story still being covered is live).
  static int64_t DecayGap(const Story& s, int64_t date) {
    if (date == kNoDate || s.first_date == kNoDate) return 0;
    if (date < s.first_date) return s.first_date - date;
    if (date > s.last_date) return date - s.last_date;
    return 0;
  }
  // DocSlot, BuildDocTable and Score are inline, defined in story_index.cc beside FindStory,
  // their only caller (per candidate story and per term).

  // Lookup table of the current document's stored terms (doc and lead_doc), so a story is
  // scored by one pass over its centroid: a bitmap filter (most centroid terms are not in the
  // document), then an open-addressing probe. Both dot products are summed in index order, in
  // float, exactly as Dot() does (an absent entry weighs 0 and adds +0).
  struct DocEntry {
    uint64_t id;  // kEmptyId: free
    float w, lw;  // weight in doc and in lead_doc (0: not stored there)
  };
  static constexpr uint64_t kEmptyId = ~uint64_t{0};
  static constexpr uint32_t kFilterBits = 4096;
  std::vector<DocEntry> doc_table;
  std::vector<uint32_t> score_pos;  // Score's scratch
  std::vector<uint32_t> doc_table_used;
  uint64_t doc_filter[kFilterBits / 64] = {};
  static size_t FilterBit(uint64_t id) { return (id >> 40) & (kFilterBits - 1); }
  // The slot of `id` in doc_table: its entry, or the free slot where it would go.
  inline DocEntry* DocSlot(uint64_t id);
  inline void BuildDocTable();
  // Decayed score of the current document (doc, lead_doc) against story s.
  inline double Score(const Story& s, int64_t gap);

  // Whether IndexStory(si) would post a new term after the current document was added to
  // story si. Centroid weights never decrease while a story takes documents and truncation
  // keeps the heaviest, so the index_terms-th heaviest entry is at least as heavy as at the
  // last IndexStory; only the document's terms changed, so only they can enter the top
  // index_terms: if none of them that is at least as heavy as that entry is unposted,
  // IndexStory would change nothing.
  bool NeedsIndex(const Story& s) const;
  // Posts story si under those of its index_terms heaviest centroid terms it is not yet
  // posted under.
  void IndexStory(uint32_t si);
  std::vector<float> index_weights;  // IndexStory's scratch
  std::vector<uint32_t> index_pos;
  std::vector<uint64_t> index_new;

  // ==== Centroids (story_centroid.cc) ====
  // Story si takes the current document: size, groups, dates, sources, centroid (truncated),
  // index.
  void AddToStory(uint32_t si, int64_t date, uint32_t source, bool new_group);

  // Keeps the `keep` heaviest entries of v, adds the squared mass removed to *residual2 and
  // returns the full norm sqrt(|v|^2 + *residual2).
  float Truncate(SparseVec* v, size_t keep, float* residual2);

  // *c += d (a merge join in index order, no allocation in steady state), then Truncate's
  // selection of the `keep` heaviest entries; returns the full norm like Truncate.
  float AddTruncated(SparseVec* c, const SparseVec& d, size_t keep, float* residual2);

  // Keeps the `keep` heaviest of the n entries (ids[], ws[]) (in index order) in *v (in index
  // order), adds the squared mass removed to *residual2 (summed in std::nth_element's order).
  void SelectInto(const int64_t* ids, const float* ws, size_t n, size_t keep, float* residual2,
                  SparseVec* v);
  std::vector<uint64_t> rank_keys;  // SelectInto's scratch
  std::vector<int64_t> merged_ids;  // Truncate's and AddTruncated's scratch
  std::vector<float> merged_ws;

  // ==== Merging, absorbing, refining, retiring (story_merge.cc) ====
  // Merges story `from` into story `into` (both roots).
  void Merge(uint32_t from, uint32_t into);

  // After story `si` took a document: merges it with candidate stories whose centroids are
  // now similar enough (the document bridged two fragments of one event). Returns the root.
  uint32_t MaybeMerge(uint32_t si);
  VecTable pair_table;  // MaybeMerge's and BestAbsorber's scratch

  // Distance in time between two stories' spans (0: overlapping, or no dates).
  static int64_t SpanGap(const Story& a, const Story& b);
  // Decayed cosine of two stories' centroids, 0 if they are more than a window apart.
  double PairScore(const Story& x, const Story& y) const;
  // A single document joins with the document criterion (threshold), fragments of several
  // documents with merge_threshold.
  double PairThreshold(const Story& x, const Story& y) const;

  // Batch refinement (StoryOptions::refine_batch): agglomerative merging of the active stories,
  // best pair first. Candidate pairs come from the inverted index (stories sharing a posted
  // term with a short posting list); a popped pair whose stories were merged meanwhile is
  // rescored against the current roots.
  void Refine();

  // Story-level second look (StoryOptions::absorb_threshold). The story that would absorb
  // final story `fi`: found under at least two of fi's posted terms (posting lists of at most
  // max_postings), at least absorb_ratio times its size, overlapping it in time, their union
  // spanning at most the window, with the best centroid cosine >= absorb_threshold; kNone if
  // none.
  uint32_t BestAbsorber(uint32_t fi);

  // Absorbs the final stories among `active` (all of them if `all`, else those whose span
  // ended before `horizon`), smallest first; a story that absorbed another is looked at again
  // with its new size.
  void Absorb(int64_t horizon, bool all);
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> absorb_heap;

  // Retires stories whose span ended more than a window before the newest date: no document
  // of a date-ordered stream can join them any more. First they get a second look (Absorb);
  // `all`: the batch is complete, every active story is final.
  void Sweep(bool all);

  // ==== Assignment (story_clusterer.cc) ====
  // Assign after the document's vectors are current (SwapIn): finds or starts its story,
  // updates it, merges, sweeps. Returns the story id.
  uint32_t Cluster(uint32_t slot, int64_t date, uint32_t source, uint32_t nd_group_story,
                   bool final_df);
};

// ---- Inline per-term helpers of BuildVector (hot) ----

inline void StoryClustererState::Bump(TermStat* r, int32_t hour, double hl) const {
  if (r->recent == 0 || hour >= r->hour) {
    r->recent = static_cast<float>(Decayed(r->recent, r->hour, hour, hl) + 1);
    r->hour = hour;
  } else {  // an older document arriving late: add its decayed contribution
    r->recent += static_cast<float>(HourDecay(r->hour - hour, hl));
  }
}

inline double StoryClustererState::Burst(const TermStat* ts, double df_t, double n, int64_t date,
                                         double all_recent) const {
  if (date == kNoDate || opt.burst_exponent == 0 || ts == nullptr) return 1.0;
  const int32_t hour = static_cast<int32_t>(date / 3600);
  const double hl = HalfLifeHours();
  double r = Decayed(ts->recent, ts->hour, hour, hl);
  double expected = all_recent * df_t / n;
  const double num = r + opt.burst_prior, den = expected + opt.burst_prior;
  if (num <= den) return 1.0;  // num / den <= 1 (correctly rounded), clamped to 1
  const double b = std::clamp(num / den, 1.0, 16.0);
  if (b == 1.0) return 1.0;
  return opt.burst_exponent == 0.5 ? std::sqrt(b) : std::pow(b, opt.burst_exponent);
}

}  // namespace nazir::internal

#endif  // NAZIR_STORY_INTERNAL_STATE_H_
