// StoryClusterer: groups articles into stories (an event, its reports, follow-ups and analysis).
//
// Near-duplicate groups answer "is this the same text?"; stories answer "is this the same
// event?". Articles are assigned one at a time (batch: in date order; streaming: in arrival
// order), single-pass clustering in the TDT tradition:
//
//   1. Document vector. Each term of StoryFeatures gets
//        w = (1 + ln(body_tf + lead_weight * lead_tf + title_weight * title_tf)) * idf * burst,
//        idf = min(ln(1 + (N + p) / (df + p/100)), ln(1 + (N_s + source_prior_docs) / df_s))
//      N/df: documents seen / containing the term, p = df_prior_docs (learned from the corpus:
//      CountDocument in a batch pass, or updated by Assign as documents stream in). N_s/df_s: the
//      same within the document's source, so terms that a source prints on most of its pages (page
//      chrome, sign-offs, the outlet's own name) weigh almost nothing there. Terms found in more
//      than max_df_fraction of all documents are dropped (news-specific stopwords found by df),
//      unless a burst explains their frequency (burst_keep_ratio: the event's own words, common
//      because of the event, keep the idf of the background outside the recent past).
//      burst > 1 for terms much more frequent in the last days than in the corpus (the event's
//      vocabulary; see burst_exponent). The doc_terms heaviest terms are kept, scaled by the
//      norm of the full vector (so truncation never inflates cosines); terms no other document
//      has (df = 1 with batch counts) are dropped. Rare terms and names count for more than
//      common words through idf. Before weighting, a rare term with a common clitic-stripped
//      form (StoryFeatures::Term::alt_id, e.g. بعسير -> عسير) is read as that form
//      (clitic_min_df).
//   2. Candidates. An inverted index maps each story's index_terms heaviest centroid terms to
//      the story; the document's query_terms heaviest terms (of the full and the lead vector)
//      are looked up, skipping posting lists longer than max_postings; a story must be found
//      under two of them (three for a document without body text: no story through a title
//      word alone). Stories outside the time window are skipped (and dropped from the
//      index, their centroid cut to summary_terms, once the stream has moved a window past
//      them).
//   3. Score. max(cos(document, centroid), cos(lead, centroid)) *
//      max(decay_floor, 0.5^(gap / decay_half_life))
//      (lead: title + first paragraph, see lead_score), gap = distance in time
//      from the document's date to the story's [first_date, last_date] span (0 inside it or if
//      a date is unknown). The window counts from the story's core instead (its members of the
//      first core_seconds): a story closes a window after its core, however long a topic keeps
//      it fed. The best story scoring >= threshold is joined; otherwise the document starts a
//      new story. Stories are events: the same minister in 2015 and in 2025 gives two stories,
//      because gap > window. A near-duplicate of a closed story's article starts over too.
//   4. Update. The story centroid is the sum of its core members' unit vectors, truncated to
//      the centroid_terms heaviest terms (memory stays bounded per story): later members join
//      for what they share with the event's first coverage and never move the centroid, so a
//      story cannot drift from an event to a topic. Stories that a document bridges are merged
//      if they started within one core period (merge_stories); optionally a complete batch
//      gets one agglomerative refinement pass (refine_batch, off by default).
//   5. Second look. A story that is final (retired, or the batch is complete) is absorbed by a
//      much bigger story of the same event it is similar enough to (absorb_threshold): a
//      reaction, follow-up or run-up piece (up to runup_seconds before the event) that matched
//      its own kind better than the event when it came.
//
//   NAZIR_ASSIGN_OR_RETURN(auto sc, nazir::StoryClusterer::Create());
//   for (...) sc.CountDocument(features[i], source[i]);            // optional batch pass
//   for (slot in date order)
//     sc.Assign(slot, features[slot], date[slot], source[slot], nd_story_or_kNone);
//   for (const nazir::StorySummary& s : sc.Summaries()) ...
//
// Ownership: Assign/CountDocument borrow their input; nothing of it is kept but the weighted
// terms merged into centroids and the term spellings in new_strings.
// Thread-safety: thread-compatible; the caller serializes all calls (const methods may run
// concurrently with each other).
// Failure: Create (InvalidArgument from Validate) and Deserialize (DataLoss for a corrupt or
// foreign blob, FailedPrecondition for a format version it does not read: it reads its own
// and versions 6-7, whose candidate index it rebuilds) fail; the rest never fails.
// Misuse (a slot assigned twice) is a NAZIR_CHECK failure.
// Memory: term table (24 bytes per slot, at most 70% full: 34-69 bytes per distinct term; it
// also holds the exact df of the term's dominant source), per-source count-min sketch for the
// other sources (2 * 2^source_df_log2_width * 2 bytes), 4 bytes per slot, and per
// story at most centroid_terms (id, weight) pairs while it is active, summary_terms after it
// went stale.
#ifndef NAZIR_STORY_STORY_CLUSTERER_H_
#define NAZIR_STORY_STORY_CLUSTERER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "nazir/story/story_features.h"

namespace nazir {

struct StoryOptions {
  // --- Quality knobs ---

  // Minimum decayed cosine (document vs. story centroid) to join a story. Higher = purer,
  // smaller stories; lower = bigger stories that may swallow different events about the same
  // actors. Range (0, 1]. Default 0.20 (sensitivity: tests/story/README.md).
  double threshold = 0.20;

  // Time window in seconds: a document never joins a story whose core [first_date, last date
  // of a core member] (core_seconds) is more than this far from its date, so a story spans at
  // most about core_seconds + window_seconds. Default 7 days: follow-ups and analysis come
  // within days; a longer window lets long-running topics chain into one "story".
  int64_t window_seconds = 7 * 86400;

  // A story's core: its members dated at most this long after its first one. Only they shape
  // the story's centroid, and the window counts from the core's last date: an article joins
  // for what it shares with the event's first coverage, never with the latest member, so a
  // story cannot drift from an event to a topic (a war, an election campaign, daily market
  // reports). Default 2 days.
  int64_t core_seconds = 2 * 86400;

  // Run-up: a story of at most this long before an event's first report ("X will announce his
  // decision today") may join the event in the second look (absorb_threshold). Default 1 day.
  int64_t runup_seconds = 86400;

  // Half-life of the time decay in seconds: the cosine is multiplied by 0.5^(gap/half_life).
  // Default 3 days: a follow-up two days later needs ~1.6x the similarity of a same-day report.
  int64_t decay_half_life_seconds = 3 * 86400;

  // Lower bound of the time decay within the window: a document never needs more than
  // 1 / decay_floor times the similarity of a same-day report to join a story. Analysis pieces
  // and follow-ups come days later and are written in their own words; without a floor a
  // 3-day-old story needs twice the similarity, which a long essay about the event cannot reach
  // (the seed's analysis pieces of 2 and 3 Aug). Events about the same actors on consecutive
  // days are still kept apart by the full decay below the floor (0.79 at one day). Range
  // [0, 1]; 0 = plain exponential decay. Default 0.7 (sensitivity: tests/story/README.md).
  double decay_floor = 0.7;

  // Title terms count title_weight times a body occurrence. Default 3 (titles name the event).
  double title_weight = 3.0;

  // Lead terms (StoryTermOptions::lead_tokens) count 1 + lead_weight times. Default 0 (off): news
  // is written as an inverted pyramid, so the lead names the event even in analysis pieces whose
  // body wanders off to side topics.
  double lead_weight = 0.0;

  // Lead score. A document is also scored by its lead vector (the StoryTermOptions::lead_tokens
  // first body tokens plus the title, counted once), and the higher of the two cosines counts:
  // score = max(cos(doc, story), cos(lead, story)). News is written as an inverted pyramid, so
  // the lead names the event even when the body wanders off (an analysis piece that goes on to
  // a country's domestic politics, a condolence statement that goes on in its own words).
  // The story centroid is still built from full document vectors. Default true.
  bool lead_score = true;

  // Pseudo-documents in the idf prior: idf = ln(1 + (N + p) / (df + p / 100)), i.e. p documents
  // in which every term has a 1% document frequency. Keeps idf sane while few documents are
  // counted (with 4 documents, plain idf calls every shared word "common" and every unshared
  // one "rare") and hardly changes it for large corpora (31k documents: df 2 -> idf 9.3 instead
  // of 9.6). 0 = plain ln(1 + N/df). Default 100.
  uint32_t df_prior_docs = 100;

  // Terms kept per document vector (the heaviest by tf-idf). Default 64. Fewer = faster and
  // less noise from side topics, but short overlaps are lost.
  uint32_t doc_terms = 64;

  // Terms kept per story centroid. Default 128 (2 x doc_terms: a story's vocabulary is the
  // union of its members'). Bounds memory per story.
  uint32_t centroid_terms = 128;

  // Terms found in more than this fraction of all documents carry no story signal and are
  // dropped (applied once at least min_docs_for_df_cut documents are counted). Default 0.05.
  double max_df_fraction = 0.05;
  uint32_t min_docs_for_df_cut = 2000;
  // The cut also needs a populated neighbourhood in time: it is not applied to a dated
  // document with fewer than this many documents in its recent past (the decayed count of
  // the burst statistics, burst_half_life_seconds; ~4,000 on a day of SaudiNewsNet). Which
  // words are too common to mean anything is a property of the news around a date: the
  // 2025 seed articles mixed into 2015 SaudiNewsNet found "Syria", "minister", "foreign"
  // above 5% there and lost them (their analysis piece split off); alone they keep them.
  // Needs burst_exponent > 0. 0 = global gate only. Default 100.
  uint32_t min_recent_docs_for_df_cut = 100;

  // Pseudo-documents added to a source's count in its chrome discount ln(1 + (N_s + p)/df_s):
  // a source must have printed a term on many pages before the term is discounted below the
  // global idf. Default 50.
  uint32_t source_prior_docs = 50;

  // Burstiness (He, Chang & Lim, "Using burstiness to improve clustering of topics in news
  // streams", ICDM 2007): a term's weight is multiplied by
  //   clamp((r + p) / (R * df / N + p), 1, 16) ^ burst_exponent,
  // r = documents containing the term in the recent past and R = all recent documents (counts
  // decayed with burst_half_life_seconds), p = burst_prior. An event's vocabulary is bursty
  // (عسير, طوارئ after a bombing) while the names in each single reaction are not, so the shared
  // event terms count for more. Causal: only documents assigned before (and the document
  // itself) count. 0 disables it. Defaults 0.5, 2 days, 3 documents.
  double burst_exponent = 0.5;
  int64_t burst_half_life_seconds = 2 * 86400;
  double burst_prior = 3.0;
  // A term whose recent rate is at least this many times its background rate (the corpus
  // outside the recent past) is the vocabulary of an event happening now: it keeps the idf of
  // the background and is never cut as common (max_df_fraction), however many of today's
  // articles use it. 0 = off. Default 2.
  double burst_keep_ratio = 2.0;

  // Story merging. Single-pass clustering fragments big events: early reports start several
  // parallel stories (the attack, the first condemnations, the visit to the injured) and later
  // documents split between them. When a document joins a story, the stories it also scored
  // well against are merged into it if the two centroids' decayed cosine is >= merge_threshold.
  // The older story's id survives: story_of() of earlier documents may change after a merge.
  // Default on, 0.4.
  bool merge_stories = true;
  double merge_threshold = 0.4;

  // Story-level second look (absorption). Single-pass clustering leaves satellites around a
  // big event: reactions, statements and side reports that matched each other's wording
  // better than the event's centroid when they came, so they started or joined small stories
  // of their own (the Asir bombing's condolence statements: a 46-article story and a dozen
  // fragments through the CLI). When a story is final (about to be retired because the
  // stream moved a window past it, or the batch counted with CountDocument is complete), it
  // joins the most similar story that is at least absorb_ratio times its size if their
  // centroid cosine is >= absorb_threshold, it starts within the event's span [first_date,
  // last_date] or at most runup_seconds before it (a run-up piece), and it ends within the
  // window of the event's core (its documents could have joined the event one by one; a
  // longer union would be a topic chain: daily market reports, election news).
  // Only stories one of whose documents also scored >= absorb_threshold / 2 against another
  // story are looked at. Smallest first; a story that absorbed one is looked at again. The
  // older story's id survives (story_of() of earlier documents may change). Streaming callers
  // get it as stories retire; SecondLook() applies it to the last window's stories (at the end
  // of a stream). absorb_threshold 0 disables it. Defaults 0.15 (a little below threshold:
  // the fragment's own words dilute its centroid; on both gold sets of datasets/stories) and
  // 10 (sensitivity: tests/story/README.md).
  double absorb_threshold = 0.15;
  double absorb_ratio = 10.0;

  // Batch refinement. When the last document counted with CountDocument has been assigned (the
  // batch is complete), one agglomerative pass over the active stories merges, best pair
  // first, every pair of stories within the window whose decayed centroid cosine is at least
  // merge_threshold, or at least threshold if one of them is a single document (a document
  // that came before the story had grown gets a second look with hindsight). Merges never
  // split near-duplicate groups. Streaming (no CountDocument) never runs it. Default false:
  // on SaudiNewsNet it merged nothing that changed the gold set's figures (B-cubed F1 0.881
  // with, 0.883 without) and cost ~0.4 s of the sequential phase for 31k documents.
  bool refine_batch = false;

  // Corpus-supported clitic reading. The light stemmer keeps attached clitics (لعسير "for
  // Asir", تزيدنا "(it) increases us"), so reactions to one event written in the first person
  // or with a preposition share fewer terms than they should. StoryFeatures::Term::alt_id
  // carries the form without the clitic; a term is read as that form when the corpus says so:
  // the full form is rare (document frequency <= clitic_max_full_df), the stripped form is
  // itself a common term (df >= clitic_min_df) and at least clitic_df_ratio times as frequent
  // (so بريطانيا, whose own df is high, is never read as ريطاني). Document frequencies are
  // counted under the full form either way. Reading frequent full forms too (لرئيس -> رئيس,
  // بعمل -> عمل) raised recall but merged reports of one genre (stock markets, elections):
  // through the CLI B-cubed P 0.960 -> 0.932 without the cap. clitic_min_df 0 disables it.
  // Defaults 20 documents, ratio 10, full df <= 10 (sensitivity: tests/story/README.md).
  uint32_t clitic_min_df = 20;
  double clitic_df_ratio = 10.0;
  uint32_t clitic_max_full_df = 10;

  // --- Performance knobs (do not change results much) ---

  // The document's heaviest terms looked up in the inverted index. Default 16.
  uint32_t query_terms = 16;
  // Posting lists longer than this (stories of the window indexed under one term) are not
  // scanned: such a term is not discriminative, and the story is found through its other
  // terms. Stories must share at least two query terms to be scored (one if the document has
  // a single query term). Default 256.
  uint32_t max_postings = 256;
  // A story's heaviest centroid terms posted in the inverted index. Default 32.
  uint32_t index_terms = 32;
  // Terms kept for StorySummary::top_terms once a story is out of the window. Default 16.
  uint32_t summary_terms = 16;
  // log2 of the width of the per-source document-frequency count-min sketch (2 rows of 16-bit
  // counters). Default 20 (4 MiB).
  int source_df_log2_width = 20;

  // InvalidArgument if a value is out of range.
  // Sets the field called `name` (as spelled above, e.g. "absorb_threshold") from its text
  // (a number; 0/1 or false/true for flags). InvalidArgument naming the known fields for an
  // unknown name, or for a value that does not parse. Call Validate() afterwards.
  absl::Status Set(std::string_view name, std::string_view value);
  // "name=value,name=value" -> Set for each.
  absl::Status SetAll(std::string_view assignments);

  absl::Status Validate() const;
};

struct StorySummary {
  uint32_t anchor = 0;            // story id: slot of its first document
  uint32_t size = 0;              // documents
  uint32_t groups = 0;            // near-duplicate groups among them (Assign calls with kNone)
  std::vector<uint32_t> members;  // slots, ascending
  std::vector<uint32_t> sources;  // distinct source ids, ascending
  int64_t first_date = INT64_MIN, last_date = INT64_MIN;  // INT64_MIN: no dated member
  std::vector<std::string> top_terms;  // heaviest centroid terms (spellings known to the clusterer)
};

namespace internal {
struct StoryClustererState;
}  // namespace internal

// A document for StoryClusterer::AssignBatch.
struct StoryBatchDoc {
  uint32_t slot = 0;
  const StoryFeatures* features = nullptr;  // valid until the next call of the callback
  int64_t date = INT64_MIN;
  uint32_t source = 0;
  // An earlier document of the same near-duplicate group (assigned before this one, in this
  // batch or before), or kNone (0xFFFFFFFF): as Assign's nd_group_story.
  uint32_t nd_group_slot = 0xFFFFFFFFu;
};

class StoryClusterer {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  static absl::StatusOr<StoryClusterer> Create(const StoryOptions& options = {});

  StoryClusterer(StoryClusterer&&) noexcept;
  StoryClusterer& operator=(StoryClusterer&&) noexcept;
  ~StoryClusterer();

  // Batch pass 1 (optional): counts the document frequencies of one document before any Assign,
  // so idf is learned from the whole corpus, and keeps its new spellings (the first spelling of
  // each term id wins: call it in input order). Each counted document must later be Assigned
  // once; Assign then neither counts it nor reads its spellings again (the first
  // `CountDocument` calls are matched with the first Assign calls). Streaming callers skip
  // this; Assign counts as it goes.
  void CountDocument(const StoryFeatures& f, uint32_t source);

  // Assigns document `slot` (dense ids, each at most once) and returns its story id (the slot
  // of the story's first document). `nd_group_story`: the story of an already assigned
  // near-duplicate of this document, or kNone; if given, the document joins that story and
  // updates its centroid. `date`: seconds since the epoch, or INT64_MIN if unknown (an undated
  // document matches stories at any date and does not change story dates). `source`: any
  // dense or sparse id of the outlet (for the chrome discount and summaries).
  uint32_t Assign(uint32_t slot, const StoryFeatures& f, int64_t date, uint32_t source,
                  uint32_t nd_group_story);

  // The second look (StoryOptions::absorb_threshold) for every active story now, as at the end
  // of a batch counted with CountDocument (which does this itself): for streaming callers at
  // the end of their input, or when they want settled stories. Stories stay active (later
  // documents may still join them). story_of() of earlier documents may change.
  void SecondLook();

  // Assigns n documents in order: document i is get(i, scratch) (the callback may fill
  // *scratch and point features at it). The results are those of Assign for each in turn. If
  // all n were counted with CountDocument (a batch; n >= 256), the document vectors, which
  // depend only on the sequence of documents, are computed on a second thread up to 64
  // documents ahead of the clustering: `get` is then called on that thread, in order, never
  // concurrently with itself. All of SaudiNewsNet through story_bench, when the second core is
  // free: batch Assign 703-722 ms -> AssignBatch 412-418 ms wall (749-756 ms CPU in all).
  // second_thread = false keeps it all on the calling thread (same results).
  void AssignBatch(size_t n, absl::FunctionRef<StoryBatchDoc(size_t i, StoryFeatures* scratch)> get,
                   bool second_thread = true);

  // Story id of an assigned slot, kNone otherwise.
  uint32_t story_of(uint32_t slot) const;

  // Retention: drops the stories that can no longer matter once the slots for which
  // `live(slot)` is false are gone for good (Engine::RemoveBefore). A story is dropped if it
  // is no longer active (retired by the sweep, or merged into another one), no live slot's
  // story has it as its root, and it is not in the candidate index any more (a merged story's
  // stale posting entries still count towards max_postings until they are dropped; such a
  // story goes at a later call). Live slots are first pointed at their roots directly. The
  // remaining stories are renumbered in their order and every reference rewritten; a dead
  // slot's story becomes kNone, except the anchor slot of a kept story (Assign's
  // nd_group_story names a story by its anchor). Term statistics and spellings stay (corpus
  // statistics; Serialize still writes the spellings of the dropped stories' centroid terms,
  // as it would if they were kept, so top terms after a reopen do not depend on Forget).
  // Every later result (Assign, story_of and Summaries of live slots,
  // Serialize/Deserialize) is what it would have been without the call; Summaries list no
  // dead slot but the anchors of kept stories. Cost: O(slots + stories + posting entries), one call
  // of `live` per assigned slot. Thread-safety: as Assign. Never fails.
  void Forget(absl::FunctionRef<bool(uint32_t slot)> live);

  // One summary per story with at least one document, ordered by anchor.
  std::vector<StorySummary> Summaries(size_t top_terms = 8) const;

  size_t num_documents() const;
  size_t num_stories() const;
  // Approximate heap bytes held.
  size_t MemoryUsage() const;

  const StoryOptions& options() const;

  // Persistence: appends a self-describing blob (versioned, with a checksum) to *out. The
  // blob holds options, df statistics, stories and the slot map; term spellings only for
  // terms still in some centroid or in that of a story dropped by Forget.
  void Serialize(std::string* out) const;
  static absl::StatusOr<StoryClusterer> Deserialize(std::string_view blob);

 private:
  explicit StoryClusterer(std::unique_ptr<internal::StoryClustererState> state);
  std::unique_ptr<internal::StoryClustererState> state_;
};

}  // namespace nazir

#endif  // NAZIR_STORY_STORY_CLUSTERER_H_
