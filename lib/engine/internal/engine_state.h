// Private state of nazir::Engine, shared by engine.cc and persist.cc.
#ifndef NAZIR_ENGINE_INTERNAL_ENGINE_STATE_H_
#define NAZIR_ENGINE_INTERNAL_ENGINE_STATE_H_

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

namespace nazir::internal {

struct EngineState {
  EngineState(const EngineOptions& opts, ParamsFingerprint fp);

  uint32_t SourceIndex(std::string_view source);  // 0 = no source
  uint32_t SourceMix(uint32_t src) const;
  void CountDocument(uint32_t slot);
  uint32_t GlobalThreshold() const;
  void FilterBoilerplate(uint32_t slot);
  DocStatus Classify(uint32_t slot, uint32_t keys_before_filter) const;
  // Boilerplate removal and classification; true if the document is usable.
  bool Prepare(uint32_t slot);
  // Fills `neighbors` with the verified near-duplicates of `slot` among the
  // indexed documents (and `pairs` if recording).
  void Verify(uint32_t slot);
  void IndexInsert(uint32_t slot);
  void IndexRemove(uint32_t slot);
  // Streaming: prepares, verifies, assigns the group, indexes the slot.
  uint32_t Assign(uint32_t slot);
  // Batch: prepares, verifies and indexes `order` (by date), then builds
  // star groups over the whole verified-pair graph.
  void AssignBatch(std::span<const uint32_t> order,
                   const std::function<void(uint64_t, uint64_t)>& progress);

  EngineOptions options;
  ParamsFingerprint fingerprint;
  uint64_t digest;

  SketchStore store;
  std::vector<DocMeta> metas;
  std::vector<uint32_t> source_of;
  std::vector<DocStatus> status;
  std::vector<uint8_t> indexed;  // in the candidate indexes
  absl::flat_hash_map<std::string, uint32_t> id_to_slot;
  std::vector<std::string> sources{""};
  absl::flat_hash_map<std::string, uint32_t> source_ids;
  DfSketch df_source, df_global;
  // Digests of (source, shingle set) already counted in the DF sketches.
  absl::flat_hash_set<uint64_t> counted_texts;
  LshIndex lsh;
  SimHashIndex simhash_index;
  AnchorIndex anchor_index;
  StarGroups groups;
  std::vector<uint32_t> pending;
  std::vector<VerifiedPair> pairs;
  EngineStats stats;

  // Scratch, reused across calls.
  std::vector<uint32_t> candidates, scratch_slots, scratch_keys;
  std::vector<AnchorIndex::Hit> anchor_hits;
  std::vector<StarGroups::Neighbor> neighbors;
};

}  // namespace nazir::internal

namespace nazir {

struct Engine::Impl : internal::EngineState {
  using EngineState::EngineState;
  std::optional<Sketcher> sketcher;  // lazily created for Add()
  DocSketch sketch_buf;
};

}  // namespace nazir

#endif  // NAZIR_ENGINE_INTERNAL_ENGINE_STATE_H_
