// Engine: near-duplicate groups and stories for a stream or a batch of news
// articles.
//
// The engine keeps, per article, only its sketch (shingle keys, anchors,
// MinHash LSH band keys, SimHash) and metadata (id, source, date, title);
// article text is dropped once sketched. Every added article gets its near-duplicate
// group and its story at once; the whole state can be saved to a file and
// reopened.
//
// Streaming use (a feed pipeline):
//
//   NAZIR_ASSIGN_OR_RETURN(auto engine, Engine::Create({}));
//   NAZIR_ASSIGN_OR_RETURN(Assignment a,
//                          engine->Add({.id = id, .source = outlet, .date = t}, text));
//   // a.group: id of the group's anchor (the first article of the group),
//   // a.story: id of the story's anchor
//   NAZIR_RETURN_IF_ERROR(engine->Save("feed.nzi"));
//   ...after a restart:
//   NAZIR_ASSIGN_OR_RETURN(auto engine, Engine::Open("feed.nzi"));
//
// Batch use: sketch in parallel with one Sketcher per thread, hand the sketches
// to AddSketched() (cheap, sequential), then AssignPending() inserts all of
// them, in (date, insertion) order, into the same indexes Add() uses. When the
// engine held no assigned document before, the groups are then built by batch
// star clustering over the whole verified-pair graph (centers by degree);
// otherwise each pending document is assigned as Add() would. The
// `nazir cluster` command does exactly this.
//
// How a group is formed (see nazir/cluster/star_groups.h for the rule):
//   1. Boilerplate removal: shingles that occur in many documents of the same
//      source (page chrome, sign-offs, template statements), or in a large
//      fraction of all documents, are dropped from the document's keys.
//   2. Candidates: MinHash LSH (Jaccard channel), SimHash tables (near-exact
//      copies), anchors (containment channel: truncated republications).
//   3. Every candidate is verified exactly on shingle keys (verify.h).
//   4. Star assignment: a document joins the group of the most similar anchor
//      it is a near-duplicate of; otherwise it anchors a new group.
// Documents with fewer than min_tokens tokens (empty or a few words) are never
// grouped: they stay singletons and are flagged.
//
// Stories (see nazir/story/story_clusterer.h): one level up, every article
// joins the story of its near-duplicate group if the group already has one;
// otherwise tf-idf cosine against recent story centroids decides (time window
// and decay: stories are events). In batch, term document frequencies are
// learned from the whole corpus first.
//
// Removing an article takes it out of its group (the group is re-formed if it
// was the anchor); story centroids keep what it contributed.
//
// Thread safety: an Engine is thread-compatible: const methods may run
// concurrently; Add/Query/AddSketched/AssignPending/Remove need exclusive
// access (Query reuses the internal Sketcher). Save is const.
// Errors: invalid options -> InvalidArgument; duplicate id -> AlreadyExists;
// sketch made under other parameters -> FailedPrecondition; I/O -> the OS
// error with the path; a corrupt or foreign file -> DataLoss.
#ifndef NAZIR_ENGINE_ENGINE_H_
#define NAZIR_ENGINE_ENGINE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "nazir/base/fingerprint.h"
#include "nazir/cluster/verify.h"
#include "nazir/engine/sketcher.h"
#include "nazir/index/sketch_store.h"
#include "nazir/story/story_clusterer.h"

namespace nazir {

struct EngineOptions {
  SketchOptions sketch;
  // Exact near-duplicate test: containment of the shorter text in the longer
  // >= verify.threshold (default 0.5) and >= verify.min_shared shingles.
  VerifyOptions verify;
  // A document may join a group through a member it near-duplicates only if
  // its containment with the group's anchor is at least this (bounded drift;
  // see nazir/cluster/star_groups.h). Lower = bigger groups; 1.0 = members
  // must be near-duplicates of the anchor itself.
  double member_anchor_threshold = 0.2;
  // Batch only: a small group (or lone document) left by the star pass moves
  // into a neighbouring group if one of its members near-duplicates a member
  // there at this containment or more (and member_anchor_threshold holds for
  // every moving member).
  double member_link_threshold = 0.7;
  // AssignPending on a fresh engine builds groups by batch star clustering
  // (centers by degree in the whole near-duplicate graph). false: assign one
  // document at a time in date order exactly as a feed would (Add()).
  bool batch_star = true;
  // Jaccard similarity at which the MinHash LSH channel has >= 99% recall
  // (bands x rows are derived from it, see nazir/index/lsh.h).
  double lsh_threshold = 0.8;
  // SimHash fast path: Hamming distance for near-exact copies (<= 3).
  int simhash_max_distance = 3;
  // Documents with fewer tokens are "short": flagged and never grouped.
  uint32_t min_tokens = 10;
  // Boilerplate: a shingle seen in at least this many documents of one source
  // is that source's boilerplate (documents with a non-empty source only).
  uint32_t source_boilerplate_df = 6;
  // Boilerplate: a shingle seen in at least max(global_boilerplate_min,
  // global_boilerplate_fraction * documents) documents of any source.
  uint32_t global_boilerplate_min = 50;
  double global_boilerplate_fraction = 0.002;
  // Size of the document-frequency sketch (overall and per source counts of
  // shingle keys): 2^df_log2_width one-byte counters (32 MiB at 25). Each
  // document's key takes four counters; keep 2^df_log2_width at least about
  // four times the corpus' word count, or boilerplate detection overcounts
  // (on SaudiNewsNet, 8.8M words: 2^23 counters cost recall 0.973 -> 0.959).
  int df_log2_width = 25;
  // Record every verified pair (for `nazir cluster --pairs`).
  bool record_pairs = false;
  // Story clustering on top of near-duplicate groups. Off: a document's
  // story is its near-duplicate group and no story features are computed.
  bool stories = true;
  StoryOptions story;
  // Threads for the parallel phases of AssignPending (0 = all cores).
  // Results do not depend on it.
  int threads = 0;

  absl::Status Validate() const;
};

// Per-document metadata the engine keeps.
struct DocMeta {
  std::string id;
  std::string source;      // outlet; may be empty
  int64_t date = kNoDate;  // seconds since the Unix epoch, UTC
  std::string title;       // for story features and summaries; may be empty
  static constexpr int64_t kNoDate = INT64_MIN;
};

enum class DocStatus : uint8_t {
  kOk = 0,
  kEmpty,            // no tokens at all
  kShort,            // fewer than min_tokens tokens
  kBoilerplateOnly,  // nothing left after boilerplate removal
};
std::string_view DocStatusName(DocStatus s);  // "ok", "empty", "short", "boilerplate"

struct Assignment {
  uint32_t slot = 0;  // dense internal number of the document
  // The string_views here and in StoryInfo point into the engine's own copies
  // of ids, sources and titles: valid as long as the engine lives (removed
  // documents' metadata is kept).
  std::string_view id;
  std::string_view group;   // id of the group's anchor
  uint32_t group_size = 1;  // at the time of the call
  float similarity = 1;     // containment with the anchor (1 for the anchor)
  DocStatus status = DocStatus::kOk;
  std::string_view story;  // id of the story's anchor (its first article)
};

// One story, for reports (`nazir cluster --stories`).
struct StoryInfo {
  std::string_view id;                    // the story's anchor article
  uint32_t size = 0;                      // live articles
  std::vector<std::string_view> groups;   // near-duplicate groups (their anchor ids)
  std::vector<std::string_view> sources;  // outlets
  int64_t first_date = DocMeta::kNoDate, last_date = DocMeta::kNoDate;
  std::string_view title;              // of the most republished member (ties: earliest)
  std::vector<std::string> top_terms;  // heaviest ar-sc-1 terms of the story centroid
};

struct VerifiedPair {
  uint32_t a, b;  // slots, a assigned before b
  PairScore score;
};

struct EngineStats {
  uint64_t docs = 0, alive = 0, groups = 0, multi_doc_groups = 0;
  uint64_t candidates = 0, verified = 0;  // pairs examined / accepted
  // Candidate pairs, and verified pairs, that each channel produced (a pair
  // found by several channels counts for each).
  uint64_t cand_lsh = 0, cand_simhash = 0, cand_anchor = 0;
  uint64_t verified_lsh = 0, verified_simhash = 0, verified_anchor = 0;
  uint64_t boilerplate_keys_dropped = 0;
  size_t memory_bytes = 0;  // all of the below
  size_t memory_store = 0, memory_lsh = 0, memory_simhash = 0, memory_anchors = 0, memory_df = 0,
         memory_story = 0, memory_meta = 0;
  // Wall seconds spent in the engine's phases (accumulated over calls).
  double seconds_count = 0;    // document frequencies (in AddSketched)
  double seconds_prepare = 0;  // boilerplate removal (parallel)
  double seconds_index = 0;    // candidate index inserts (sequential)
  double seconds_verify = 0;   // candidate search and exact verification (parallel)
  double seconds_groups = 0;   // star groups
  double seconds_stories = 0;  // story clustering
};

class Engine {
 public:
  static absl::StatusOr<std::unique_ptr<Engine>> Create(const EngineOptions& options);
  // Reopens a file written by Save(). The options and fingerprint come from
  // the file. DataLoss if the file is corrupt or not a nazir index (a count
  // in it that the rest of the file cannot hold is refused before it sizes
  // any allocation, so memory stays within a small multiple of the file);
  // FailedPrecondition for another file format version, or, naming both
  // fingerprints, if this build would sketch differently (another normalizer
  // or ICU version, hash version, or story-term options other than the
  // defaults: EngineOptions::sketch.story_terms is not saved, so an index
  // made with custom StoryTermOptions cannot be reopened yet).
  static absl::StatusOr<std::unique_ptr<Engine>> Open(const std::string& path);
  ~Engine();

  // Writes the whole state, atomically and durably: a temp file, fsynced,
  // renamed over `path` (then the directory fsynced): after a crash `path`
  // holds the old index or the new one.
  // FailedPrecondition while documents are pending (call AssignPending).
  absl::Status Save(const std::string& path) const;

  // Streaming: sketches `text`, stores the document and assigns its group.
  // `text` is plain text (CorpusReader decodes HTML character references;
  // text from elsewhere may need DecodeHtmlEntities, nazir/io/html_entities.h).
  // AlreadyExists if the id is taken. Not for concurrent use (one internal
  // Sketcher); for parallel sketching use Sketcher + AddSketched.
  absl::StatusOr<Assignment> Add(const DocMeta& meta, std::string_view text);
  // Streaming with an externally made sketch; assigns at once.
  absl::StatusOr<Assignment> AddSketch(const DocMeta& meta, const DocSketch& sketch);

  absl::StatusOr<Assignment> AddSketch(const DocMeta& meta, const ArticleSketch& sketch);

  // Batch: stores the document without assigning it. FailedPrecondition if
  // the sketch was made under other parameters; AlreadyExists on a duplicate id.
  // Pending documents keep their story features until AssignPending.
  absl::StatusOr<uint32_t> AddSketched(const DocMeta& meta, const ArticleSketch& sketch);
  // Same without story features (the document's story is decided by its
  // near-duplicate group, or it is a story of its own).
  absl::StatusOr<uint32_t> AddSketched(const DocMeta& meta, const DocSketch& sketch);
  // Assigns every pending document, ordered by (date, insertion); documents
  // without a date come after dated ones. On an engine with no assigned
  // document yet this is batch star clustering (see the header comment);
  // otherwise streaming assignment in that order. `progress(done, total)` is
  // called now and then if set.
  void AssignPending(const std::function<void(uint64_t, uint64_t)>& progress = nullptr);

  // Removes a document. If it anchored a group, the remaining members are
  // re-assigned (each joins another group or anchors a new one).
  // NotFound if the id is unknown.
  absl::Status Remove(std::string_view id);

  // Retention for a long-running feed: removes every document dated before
  // `cutoff` (seconds since the epoch; undated documents stay), as Remove()
  // would, newest first so that a removed anchor's members that are removed
  // too are not re-assigned in between. Returns how many were removed.
  // A removed document's sketch is still in memory until the index is saved
  // and reopened: Save() writes removed documents as their id alone, so the
  // file, and the engine Open() makes of it, stay the size of what is kept
  // (SaudiNewsNet fed one day at a time keeping 7 days: see the README).
  // Their story ids stay valid: a story keeps the id of its first article.
  // The stories that no live document belongs to and that no document can
  // join any more are dropped as well (StoryClusterer::Forget), so the story
  // state also stays the size of the window; no later assignment changes.
  // Pending documents are removed as well. Cost: Remove() per document, plus
  // one pass over all slots and stories.
  size_t RemoveBefore(int64_t cutoff);
  // The second look of story clustering (StoryOptions::absorb_threshold) for
  // the stories still open now: a batch gives it to every story once all of
  // its articles are in; a feed gives it to a story only when the stream has
  // moved a window past it, so the last days' reactions and side reports
  // stay satellites of their event until then. Call it for a settled view
  // (`nazir export --settle` does, on its in-memory copy) or at the end of a
  // feed's input. Stories stay open: later articles may still join them.
  // Story ids of earlier articles may change (a satellite takes its event's
  // id); groups do not. No-op without stories. Cost: one pass over the open
  // stories and their candidates.
  void SettleStories();

  // The latest date of a live document, or DocMeta::kNoDate if none has one:
  // `RemoveBefore(NewestDate() - 30 * 86400)` keeps the last 30 days.
  int64_t NewestDate() const;

  // Which group (and story) an article WOULD join, without adding it: the
  // streaming rule against the documents assigned so far. `group` and `story`
  // are empty if it would start a group of its own; `slot` is meaningless.
  // Not for concurrent use (shares Add's internal Sketcher).
  absl::StatusOr<Assignment> Query(const DocMeta& meta, std::string_view text);

  // The current assignment of a document. NotFound if unknown or removed.
  absl::StatusOr<Assignment> Lookup(std::string_view id) const;
  Assignment AssignmentOf(uint32_t slot) const;
  // Number of slots ever used (removed ones included).
  uint32_t num_slots() const;
  bool alive(uint32_t slot) const;

  const std::vector<VerifiedPair>& pairs() const;
  // All stories with at least one live document, ordered by anchor slot.
  std::vector<StoryInfo> Stories(size_t top_terms = 8) const;
  const EngineOptions& options() const;
  const ParamsFingerprint& fingerprint() const;
  const DocMeta& meta(uint32_t slot) const;
  EngineStats Stats() const;

  // Creates a Sketcher with this engine's parameters (one per thread).
  absl::StatusOr<Sketcher> NewSketcher() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nazir

#endif  // NAZIR_ENGINE_ENGINE_H_
