// Private state of nazir::Engine, shared by engine.cc and persist.cc.
#ifndef NAZIR_ENGINE_INTERNAL_ENGINE_STATE_H_
#define NAZIR_ENGINE_INTERNAL_ENGINE_STATE_H_

#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

#include "nazir/cluster/star_groups.h"
#include "nazir/engine/engine.h"
#include "nazir/index/anchor_index.h"
#include "nazir/index/df_sketch.h"
#include "nazir/index/lsh.h"
#include "nazir/index/simhash_index.h"
#include "nazir/index/sketch_store.h"
#include "nazir/story/story_clusterer.h"

namespace nazir::internal {

// Story features of documents added but not yet assigned (batch), packed:
// 12 bytes per term in fixed-size chunks (no per-document vectors, no
// reallocation copies): the id with a has-alternative bit, and the three
// term frequencies in one word (title saturating at 255, body and lead at
// 4095: beyond what the defaults can produce, body <= max_body_tokens 400);
// the few clitic alternative ids beside them. No spellings: the clusterer
// stored them when the document was counted (StoryClusterer::CountDocument).
// Freed by Clear() once the batch is assigned.
class PendingFeatures {
 public:
  void Add(uint32_t slot, const StoryFeatures& f);
  // Fills *out (cleared) with the features stored for `slot`; false if none.
  bool Get(uint32_t slot, StoryFeatures* out) const;
  void Clear();
  size_t MemoryUsage() const;

 private:
  static constexpr size_t kChunk = size_t{1} << 16;       // terms per chunk
  static constexpr uint64_t kAltBit = uint64_t{1} << 63;  // term ids are < 2^63
  struct Span {
    uint32_t chunk, offset, count;
    uint64_t alt_begin;
  };
  std::vector<std::vector<uint64_t>> id_chunks_;  // id | kAltBit if the term has an alt_id
  std::vector<std::vector<uint32_t>> tf_chunks_;  // title_tf << 24 | body_tf << 12 | lead_tf
  std::vector<uint64_t> alt_ids_;
  absl::flat_hash_map<uint32_t, Span> spans_;
};

// Per-thread working memory for Prepare/Verify, reused across documents.
struct Scratch {
  std::vector<uint32_t> candidates, slots_scratch;
  // seen[slot] == epoch: slot already a candidate of the current query, found
  // by the channels in channel[slot] (bit 0 LSH, 1 SimHash, 2 anchors).
  std::vector<uint32_t> seen;
  std::vector<uint8_t> channel;
  uint32_t epoch = 0;
  std::vector<uint32_t> df_global, df_source;
  std::vector<uint8_t> key_boiler, anchor_boiler;
  std::vector<StarGroups::Neighbor> neighbors;
  std::vector<StarGroups::Edge> edges;  // batch: verified pairs found
  std::vector<VerifiedPair> pairs;      // batch: recorded pairs
  EngineStats stats;                    // counters to merge into the engine's
};

struct EngineState {
  EngineState(const EngineOptions& opts, ParamsFingerprint fp);

  uint32_t SourceIndex(std::string_view source);  // 0 = no source
  // Counts the document's keys in the DF sketches, each distinct (source,
  // shingle set) once.
  void CountDocument(uint32_t slot);
  // Stores a new document (checks its fingerprint and id), counts its DF.
  // Neither assigns it nor marks it pending.
  absl::StatusOr<uint32_t> StoreDocument(const DocMeta& meta, const DocSketch& sketch);
  uint32_t GlobalThreshold() const;
  DocStatus Classify(uint32_t slot, uint32_t keys_before_filter) const;
  // Boilerplate removal and classification; true if the document is usable.
  // Touches only `slot` and `scratch`: safe to run for different slots in
  // parallel.
  bool Prepare(uint32_t slot, Scratch& scratch);
  // Fills scratch.key_boiler / anchor_boiler: which keys and anchors (a
  // sorted subset of the keys) are boilerplate for source `src`.
  void FlagBoilerplate(std::span<const uint32_t> keys, std::span<const uint32_t> anchors,
                       uint32_t src, Scratch& scratch) const;
  // Fills scratch.neighbors with the verified near-duplicates of `slot` among
  // the indexed documents (with rank[c] < rank[slot] if `rank` is given).
  // Const on the engine: safe to run in parallel.
  void Verify(uint32_t slot, Scratch& scratch, const std::vector<uint32_t>* rank) const;
  // What Verify needs of a document, stored or not.
  struct Probe {
    std::span<const uint32_t> keys, anchors, lsh_keys;
    uint64_t simhash;
    uint32_t self;  // its own slot (skipped), or kNone
    uint32_t rank;  // with `rank`: only candidates ranked before this
  };
  void VerifyProbe(const Probe& probe, Scratch& scratch, const std::vector<uint32_t>* rank) const;
  void IndexInsert(uint32_t slot);
  void IndexRemove(uint32_t slot);
  void MergeStats(const EngineStats& s);
  // Streaming: prepares, verifies, assigns the group, indexes the slot.
  // (Near-duplicate group only; see AssignStory.)
  uint32_t Assign(uint32_t slot);
  // Streaming story assignment of `slot`, whose near-duplicate group is
  // already assigned. `features` may be null (no story features).
  void AssignStory(uint32_t slot, const StoryFeatures* features);
  // Batch story assignment of `order` (date order): document frequencies
  // from all of them first, then one Assign each; near-duplicates follow the
  // first member of their group. Uses and frees pending_features.
  void AssignStoriesBatch(std::span<const uint32_t> order);
  // Batch: prepares (parallel), indexes (sequential), verifies (parallel)
  // `order` (by date), then builds star groups over the verified-pair graph.
  void AssignBatch(std::span<const uint32_t> order,
                   const std::function<void(uint64_t, uint64_t)>& progress);
  int Threads() const;

  EngineOptions options;
  ParamsFingerprint fingerprint;
  uint64_t digest;

  SketchStore store;
  // A deque: push_back never moves existing elements, so the string_views
  // handed out in Assignment and StoryInfo stay valid as documents arrive.
  std::deque<DocMeta> metas;
  std::vector<uint32_t> source_of;
  std::vector<DocStatus> status;
  std::vector<uint8_t> indexed;  // in the candidate indexes
  absl::flat_hash_map<std::string, uint32_t> id_to_slot;
  std::deque<std::string> sources{""};  // deque: views stay valid
  absl::flat_hash_map<std::string, uint32_t> source_ids;
  DfSketch df;  // shingle key document frequencies, overall and per source
  // Digests of (source, shingle set) already counted in the DF sketches.
  absl::flat_hash_set<uint64_t> counted_texts;
  LshIndex lsh;
  SimHashIndex simhash_index;
  AnchorIndex anchor_index;
  StarGroups groups;
  std::vector<uint32_t> pending;  // added, not yet counted nor assigned
  // Story features of pending documents (batch), freed once assigned.
  PendingFeatures pending_features;
  StoryFeatures features_buf;           // for unpacking pending features
  std::optional<StoryClusterer> story;  // set iff options.stories
  std::vector<VerifiedPair> pairs;
  EngineStats stats;
  Scratch scratch;  // for the sequential (streaming) path
};

}  // namespace nazir::internal

namespace nazir {

struct Engine::Impl : internal::EngineState {
  using EngineState::EngineState;
  std::optional<Sketcher> sketcher;  // lazily created for Add()
  ArticleSketch sketch_buf;
};

}  // namespace nazir

#endif  // NAZIR_ENGINE_INTERNAL_ENGINE_STATE_H_
