#include "nazir/engine/engine.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "xxhash.h"

#include "nazir/base/check.h"
#include "nazir/base/status.h"
#include "nazir/cluster/star_groups.h"

#include "engine/internal/engine_state.h"
#include <omp.h>

namespace nazir {

std::string_view DocStatusName(DocStatus s) {
  switch (s) {
    case DocStatus::kOk:
      return "ok";
    case DocStatus::kEmpty:
      return "empty";
    case DocStatus::kShort:
      return "short";
    case DocStatus::kBoilerplateOnly:
      return "boilerplate";
  }
  return "?";
}

absl::Status EngineOptions::Validate() const {
  NAZIR_RETURN_IF_ERROR(sketch.Validate());
  NAZIR_RETURN_IF_ERROR(verify.Validate());
  if (stories) NAZIR_RETURN_IF_ERROR(story.Validate());
  if (!(member_anchor_threshold > 0 && member_anchor_threshold <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("member_anchor_threshold must be in (0, 1], got ", member_anchor_threshold));
  }
  if (!(member_link_threshold > 0 && member_link_threshold <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("member_link_threshold must be in (0, 1], got ", member_link_threshold));
  }
  if (!(lsh_threshold > 0 && lsh_threshold < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("lsh_threshold must be in (0, 1), got ", lsh_threshold));
  }
  if (simhash_max_distance < 0 || simhash_max_distance > SimHashIndex::kMaxExactDistance) {
    return absl::InvalidArgumentError(absl::StrCat("simhash_max_distance must be in [0, ",
                                                   SimHashIndex::kMaxExactDistance, "], got ",
                                                   simhash_max_distance));
  }
  if (min_tokens < 1) return absl::InvalidArgumentError("min_tokens must be >= 1");
  if (source_boilerplate_df < 2) {
    return absl::InvalidArgumentError("source_boilerplate_df must be >= 2");
  }
  if (global_boilerplate_min < 2) {
    return absl::InvalidArgumentError("global_boilerplate_min must be >= 2");
  }
  if (!(global_boilerplate_fraction > 0 && global_boilerplate_fraction <= 1)) {
    return absl::InvalidArgumentError("global_boilerplate_fraction must be in (0, 1]");
  }
  if (df_log2_width < 12 || df_log2_width > 30) {
    return absl::InvalidArgumentError(
        absl::StrCat("df_log2_width must be in [12, 30], got ", df_log2_width));
  }
  return absl::OkStatus();
}

namespace internal {

void PendingFeatures::Add(uint32_t slot, const StoryFeatures& f) {
  const size_t n = f.terms.size();
  if (id_chunks_.empty() || id_chunks_.back().size() + n > std::max(kChunk, n)) {
    id_chunks_.emplace_back().reserve(std::max(kChunk, n));
    tf_chunks_.emplace_back().reserve(std::max(kChunk, n));
  }
  auto& ids = id_chunks_.back();
  auto& tfs = tf_chunks_.back();
  const Span span{static_cast<uint32_t>(id_chunks_.size() - 1), static_cast<uint32_t>(ids.size()),
                  static_cast<uint32_t>(n), alt_ids_.size()};
  for (const StoryFeatures::Term& t : f.terms) {
    const bool alt = t.alt_id != StoryFeatures::kNoAlt;
    ids.push_back(t.id | (alt ? kAltBit : 0));
    tfs.push_back(uint32_t{std::min<uint16_t>(t.title_tf, 255)} << 24 |
                  uint32_t{std::min<uint16_t>(t.body_tf, 4095)} << 12 |
                  std::min<uint16_t>(t.lead_tf, 4095));
    if (alt) alt_ids_.push_back(t.alt_id);
  }
  spans_[slot] = span;
}

bool PendingFeatures::Get(uint32_t slot, StoryFeatures* out) const {
  out->Clear();
  auto it = spans_.find(slot);
  if (it == spans_.end()) return false;
  const Span& s = it->second;
  const uint64_t* ids = id_chunks_[s.chunk].data() + s.offset;
  const uint32_t* tfs = tf_chunks_[s.chunk].data() + s.offset;
  uint64_t alt = s.alt_begin;
  out->terms.resize(s.count);
  for (uint32_t i = 0; i < s.count; ++i) {
    StoryFeatures::Term& t = out->terms[i];
    t.id = ids[i] & ~kAltBit;
    t.title_tf = static_cast<uint16_t>(tfs[i] >> 24);
    t.body_tf = static_cast<uint16_t>((tfs[i] >> 12) & 4095);
    t.lead_tf = static_cast<uint16_t>(tfs[i] & 4095);
    t.alt_id = (ids[i] & kAltBit) ? alt_ids_[alt++] : StoryFeatures::kNoAlt;
  }
  return true;
}

void PendingFeatures::Clear() {
  std::vector<std::vector<uint64_t>>().swap(id_chunks_);
  std::vector<std::vector<uint32_t>>().swap(tf_chunks_);
  std::vector<uint64_t>().swap(alt_ids_);
  absl::flat_hash_map<uint32_t, Span>().swap(spans_);
}

size_t PendingFeatures::MemoryUsage() const {
  size_t bytes = spans_.capacity() * (sizeof(uint32_t) + sizeof(Span) + 1) +
                 alt_ids_.capacity() * sizeof(uint64_t);
  for (const auto& c : id_chunks_) bytes += c.capacity() * sizeof(uint64_t);
  for (const auto& c : tf_chunks_) bytes += c.capacity() * sizeof(uint32_t);
  return bytes;
}

class PhaseTimer {
 public:
  explicit PhaseTimer(double* acc) : acc_(acc), start_(std::chrono::steady_clock::now()) {}
  ~PhaseTimer() {
    *acc_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  double* acc_;
  std::chrono::steady_clock::time_point start_;
};

EngineState::EngineState(const EngineOptions& opts, ParamsFingerprint fp)
    : options(opts),
      fingerprint(std::move(fp)),
      digest(fingerprint.Digest()),
      store(ChooseLshParams(opts.sketch.num_perm, opts.lsh_threshold).bands),
      df(opts.df_log2_width),
      lsh(ChooseLshParams(opts.sketch.num_perm, opts.lsh_threshold)) {}

uint32_t EngineState::SourceIndex(std::string_view source) {
  if (source.empty()) return 0;
  auto [it, inserted] = source_ids.try_emplace(std::string(source), sources.size());
  if (inserted) sources.emplace_back(source);
  return it->second;
}

int EngineState::Threads() const {
  return options.threads > 0 ? options.threads : omp_get_max_threads();
}

void EngineState::CountDocument(uint32_t slot) {
  // Identical shingle sets (re-crawls, one article under two URLs) count
  // once: otherwise an article crawled eight times by one outlet would make
  // its own text look like that outlet's boilerplate.
  std::span<const uint32_t> keys = store.keys(slot);
  if (keys.empty()) return;
  const uint64_t text_id =
      XXH3_64bits_withSeed(keys.data(), keys.size() * sizeof(uint32_t), source_of[slot]);
  if (!counted_texts.insert(text_id).second) return;
  df.AddDocument(keys, source_of[slot]);
}

uint32_t EngineState::GlobalThreshold() const {
  const double frac = options.global_boilerplate_fraction * static_cast<double>(df.num_documents());
  // The DF sketch saturates at 255: past that every count is "very many". (The document count
  // may come from a saved index: the fraction saturates before it is converted.)
  const uint32_t by_fraction = frac < static_cast<double>(DfSketch::kSaturated)
                                   ? static_cast<uint32_t>(frac)
                                   : DfSketch::kSaturated;
  return std::min<uint32_t>(DfSketch::kSaturated,
                            std::max<uint32_t>(options.global_boilerplate_min, by_fraction));
}

void EngineState::FlagBoilerplate(std::span<const uint32_t> keys, std::span<const uint32_t> anchors,
                                  uint32_t src, Scratch& sc) const {
  const uint32_t global_thr = GlobalThreshold();
  const uint32_t source_thr =
      std::min<uint32_t>(options.source_boilerplate_df, DfSketch::kSaturated);
  sc.df_global.resize(keys.size());
  sc.df_source.resize(keys.size());
  df.CountMany(keys, src, sc.df_global, sc.df_source);
  sc.key_boiler.resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    sc.key_boiler[i] = sc.df_global[i] >= global_thr || sc.df_source[i] >= source_thr;
  }
  // Anchors are a subset of the keys (both sorted): take their flags by a
  // merge instead of counting them again.
  sc.anchor_boiler.assign(anchors.size(), 0);
  size_t k = 0;
  for (size_t i = 0; i < anchors.size(); ++i) {
    while (k < keys.size() && keys[k] < anchors[i]) ++k;
    if (k < keys.size() && keys[k] == anchors[i]) sc.anchor_boiler[i] = sc.key_boiler[k];
  }
}

bool EngineState::Prepare(uint32_t slot, Scratch& sc) {
  const uint32_t before = static_cast<uint32_t>(store.keys(slot).size());
  FlagBoilerplate(store.keys(slot), store.anchors(slot), source_of[slot], sc);
  sc.stats.boilerplate_keys_dropped += store.FilterKeys(
      slot, [&](uint32_t i, uint32_t) { return sc.key_boiler[i] != 0; },
      [&](uint32_t i, uint32_t) { return sc.anchor_boiler[i] != 0; });
  status[slot] = Classify(slot, before);
  return status[slot] == DocStatus::kOk;
}

DocStatus EngineState::Classify(uint32_t slot, uint32_t keys_before_filter) const {
  const uint32_t tokens = store.num_tokens(slot);
  if (tokens == 0) return DocStatus::kEmpty;
  if (tokens < options.min_tokens || keys_before_filter < options.verify.min_shared) {
    return DocStatus::kShort;
  }
  if (store.keys(slot).size() < options.verify.min_shared) return DocStatus::kBoilerplateOnly;
  return DocStatus::kOk;
}

void EngineState::Verify(uint32_t slot, Scratch& sc, const std::vector<uint32_t>* rank) const {
  Probe p{store.keys(slot),
          store.anchors(slot),
          store.has_lsh_keys(slot) ? store.lsh_keys(slot) : std::span<const uint32_t>(),
          store.simhash(slot),
          slot,
          rank ? (*rank)[slot] : 0xFFFFFFFFu};
  VerifyProbe(p, sc, rank);
}

void EngineState::VerifyProbe(const Probe& p, Scratch& sc,
                              const std::vector<uint32_t>* rank) const {
  // Candidates from the three channels, de-duplicated with an epoch array
  // (no sorting, no allocation once warm).
  if (sc.seen.size() < store.size()) {
    sc.seen.resize(store.size(), 0);
    sc.channel.resize(store.size(), 0);
  }
  if (++sc.epoch == 0) {  // wrapped: reset
    std::fill(sc.seen.begin(), sc.seen.end(), 0);
    sc.epoch = 1;
  }
  sc.candidates.clear();
  auto add = [&](uint32_t c, uint8_t bit) {
    if (sc.seen[c] != sc.epoch) {
      if (c == p.self || !indexed[c] || !store.alive(c)) return;
      if (rank != nullptr && (*rank)[c] >= p.rank) return;
      sc.seen[c] = sc.epoch;
      sc.channel[c] = 0;
      sc.candidates.push_back(c);
    }
    sc.channel[c] |= bit;
  };
  if (!p.lsh_keys.empty()) lsh.ForEachCandidateKeys(p.lsh_keys, [&](uint32_t c) { add(c, 1); });
  sc.slots_scratch.clear();
  simhash_index.Query(
      p.simhash, options.simhash_max_distance, [this](uint32_t s) { return store.simhash(s); },
      &sc.slots_scratch);
  for (uint32_t c : sc.slots_scratch) add(c, 2);
  anchor_index.ForEachPosting(p.anchors, [&](uint32_t c) { add(c, 4); });

  // Exact verification.
  sc.neighbors.clear();
  for (uint32_t c : sc.candidates) {
    ++sc.stats.candidates;
    const uint8_t ch = sc.channel[c];
    sc.stats.cand_lsh += ch & 1;
    sc.stats.cand_simhash += (ch >> 1) & 1;
    sc.stats.cand_anchor += (ch >> 2) & 1;
    const PairScore s = ScorePair(p.keys, store.keys(c));
    if (!IsNearDuplicate(s, options.verify)) continue;
    ++sc.stats.verified;
    sc.stats.verified_lsh += ch & 1;
    sc.stats.verified_simhash += (ch >> 1) & 1;
    sc.stats.verified_anchor += (ch >> 2) & 1;
    sc.neighbors.push_back({c, s});
  }
}

void EngineState::IndexInsert(uint32_t slot) {
  if (store.has_lsh_keys(slot)) lsh.InsertKeys(slot, store.lsh_keys(slot));
  simhash_index.Insert(slot, store.simhash(slot));
  anchor_index.Insert(slot, store.anchors(slot));
  indexed[slot] = 1;
}

void EngineState::IndexRemove(uint32_t slot) {
  if (!indexed[slot]) return;
  if (store.has_lsh_keys(slot)) lsh.RemoveKeys(slot, store.lsh_keys(slot));
  simhash_index.Remove(slot, store.simhash(slot));
  anchor_index.Remove(slot, store.anchors(slot));
  indexed[slot] = 0;
}

void EngineState::MergeStats(const EngineStats& s) {
  stats.candidates += s.candidates;
  stats.verified += s.verified;
  stats.cand_lsh += s.cand_lsh;
  stats.cand_simhash += s.cand_simhash;
  stats.cand_anchor += s.cand_anchor;
  stats.verified_lsh += s.verified_lsh;
  stats.verified_simhash += s.verified_simhash;
  stats.verified_anchor += s.verified_anchor;
  stats.boilerplate_keys_dropped += s.boilerplate_keys_dropped;
}

uint32_t EngineState::Assign(uint32_t slot) {
  scratch.stats = {};
  if (!Prepare(slot, scratch)) {
    MergeStats(scratch.stats);
    groups.AssignSingleton(slot);
    return slot;
  }
  Verify(slot, scratch, nullptr);
  MergeStats(scratch.stats);
  if (options.record_pairs) {
    for (const auto& n : scratch.neighbors) pairs.push_back({n.slot, slot, n.score});
  }
  const std::span<const uint32_t> keys = store.keys(slot);
  const uint32_t g = groups.Assign(
      slot, scratch.neighbors, [&](uint32_t anchor) { return ScorePair(keys, store.keys(anchor)); },
      options.member_anchor_threshold);
  IndexInsert(slot);
  return g;
}

void EngineState::AssignStory(uint32_t slot, const StoryFeatures* features) {
  if (!story) return;
  static const StoryFeatures kNoFeatures;
  const uint32_t g = groups.group_of(slot);
  const uint32_t nd_story = g != slot ? story->story_of(g) : StoryClusterer::kNone;
  story->Assign(slot, features ? *features : kNoFeatures, metas[slot].date, source_of[slot],
                nd_story);
}

void EngineState::AssignStoriesBatch(std::span<const uint32_t> order) {
  if (!story) return;
  PhaseTimer timer(&stats.seconds_stories);
  // Document frequencies were counted as the documents were added
  // (AddSketched). A document that is not the first of its near-duplicate
  // group joins the story of the group's first document.
  absl::flat_hash_map<uint32_t, uint32_t> first_of_group;
  std::vector<uint32_t> nd_slot(order.size());
  for (size_t k = 0; k < order.size(); ++k) {
    auto [it, first] = first_of_group.try_emplace(groups.group_of(order[k]), order[k]);
    nd_slot[k] = first ? StoryClusterer::kNone : it->second;
  }
  // With two threads the clusterer builds document vectors on a second one,
  // ahead of the clustering: `get` then runs there, reading only what this
  // thread does not change meanwhile (pending features, metadata).
  story->AssignBatch(
      order.size(),
      [&](size_t k, StoryFeatures* buf) {
        const uint32_t slot = order[k];
        pending_features.Get(slot, buf);  // empty if none
        return StoryBatchDoc{slot, buf, metas[slot].date, source_of[slot], nd_slot[k]};
      },
      /*second_thread=*/Threads() >= 2);
  pending_features.Clear();
}

void EngineState::AssignBatch(std::span<const uint32_t> order,
                              const std::function<void(uint64_t, uint64_t)>& progress) {
  const int threads = Threads();
  const int64_t n = static_cast<int64_t>(order.size());
  std::vector<Scratch> tls(threads);
  std::vector<uint8_t> usable(n);
  // 1. Boilerplate removal and classification, in parallel.
  std::optional<PhaseTimer> timer(&stats.seconds_prepare);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
  for (int64_t i = 0; i < n; ++i) usable[i] = Prepare(order[i], tls[omp_get_thread_num()]);
  timer.emplace(&stats.seconds_index);
  // 2. Index every usable document (sequential: the indexes are not
  //    concurrent), in date order.
  std::vector<uint32_t> rank(store.size(), 0xFFFFFFFFu);
  std::vector<uint32_t> nodes;
  size_t anchors = 0;
  for (int64_t i = 0; i < n; ++i) anchors += usable[i] ? store.anchors(order[i]).size() : 0;
  anchor_index.Reserve(anchor_index.num_anchors() + anchors);
  lsh.Reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    rank[order[i]] = static_cast<uint32_t>(i);
    if (usable[i]) {
      nodes.push_back(order[i]);
    } else {
      groups.AssignSingleton(order[i]);
    }
  }
  // The anchor index and the LSH + SimHash tables are independent
  // structures: fill them concurrently, each in date order (the result is
  // the same as IndexInsert() one document at a time).
#pragma omp parallel sections num_threads(std::min(threads, 2))
  {
#pragma omp section
    for (uint32_t s : nodes) anchor_index.Insert(s, store.anchors(s));
#pragma omp section
    for (uint32_t s : nodes) {
      if (store.has_lsh_keys(s)) lsh.InsertKeys(s, store.lsh_keys(s));
      simhash_index.Insert(s, store.simhash(s));
    }
  }
  for (uint32_t s : nodes) indexed[s] = 1;
  if (progress) progress(n / 2, n);
  // 3. Verify each document against the earlier ones, in parallel.
  timer.emplace(&stats.seconds_verify);
  const int64_t m = static_cast<int64_t>(nodes.size());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 32)
  for (int64_t i = 0; i < m; ++i) {
    Scratch& sc = tls[omp_get_thread_num()];
    Verify(nodes[i], sc, &rank);
    for (const auto& nb : sc.neighbors) {
      sc.edges.push_back({nb.slot, nodes[i], nb.score.containment});
      if (options.record_pairs) sc.pairs.push_back({nb.slot, nodes[i], nb.score});
    }
  }
  // 4. Star groups over the whole graph. Edges are put in a canonical order
  //    so the result does not depend on the thread schedule.
  timer.emplace(&stats.seconds_groups);
  std::vector<StarGroups::Edge> edges;
  for (Scratch& sc : tls) {
    MergeStats(sc.stats);
    edges.insert(edges.end(), sc.edges.begin(), sc.edges.end());
    pairs.insert(pairs.end(), sc.pairs.begin(), sc.pairs.end());
  }
  auto edge_key = [&](uint32_t a, uint32_t b) { return std::make_pair(rank[b], rank[a]); };
  std::sort(edges.begin(), edges.end(),
            [&](const auto& x, const auto& y) { return edge_key(x.a, x.b) < edge_key(y.a, y.b); });
  std::sort(pairs.begin(), pairs.end(),
            [&](const auto& x, const auto& y) { return edge_key(x.a, x.b) < edge_key(y.a, y.b); });
  groups.BuildStars(
      nodes, edges,
      [this](uint32_t a, uint32_t b) {
        return ScorePair(store.keys(a), store.keys(b)).containment;
      },
      options.member_anchor_threshold, options.member_link_threshold);
  if (progress) progress(n, n);
}

}  // namespace internal

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(const EngineOptions& options) {
  NAZIR_RETURN_IF_ERROR(options.Validate());
  // A throwaway Sketcher tells the fingerprint (normalizer id includes ICU).
  NAZIR_ASSIGN_OR_RETURN(Sketcher sk, Sketcher::Create(options.sketch));
  auto impl = std::make_unique<Impl>(options, sk.fingerprint());
  impl->sketcher.emplace(std::move(sk));
  if (options.stories) {
    NAZIR_ASSIGN_OR_RETURN(StoryClusterer sc, StoryClusterer::Create(options.story));
    impl->story.emplace(std::move(sc));
  }
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

absl::StatusOr<Sketcher> Engine::NewSketcher() const {
  return Sketcher::Create(impl_->options.sketch);
}

namespace internal {

absl::StatusOr<uint32_t> EngineState::StoreDocument(const DocMeta& meta, const DocSketch& sketch) {
  if (sketch.params_digest != digest) {
    return absl::FailedPreconditionError(absl::StrCat(
        "sketch for \"", meta.id, "\" was made under other parameters than this index {",
        fingerprint.ToString(), "}"));
  }
  auto [it, inserted] = id_to_slot.try_emplace(meta.id, store.size());
  if (!inserted) {
    return absl::AlreadyExistsError(absl::StrCat("duplicate document id \"", meta.id, "\""));
  }
  uint32_t band_keys[1024];
  std::span<uint32_t> lsh_keys;
  if (!sketch.sig.empty()) {
    lsh_keys = std::span<uint32_t>(band_keys, lsh.params().bands);
    lsh.BandKeys(sketch.sig, lsh_keys);
  }
  const uint32_t slot = store.Add(sketch, lsh_keys);
  metas.push_back(meta);
  source_of.push_back(SourceIndex(meta.source));
  status.push_back(DocStatus::kOk);
  indexed.push_back(0);
  PhaseTimer timer(&stats.seconds_count);
  CountDocument(slot);
  return slot;
}

}  // namespace internal

absl::StatusOr<uint32_t> Engine::AddSketched(const DocMeta& meta, const ArticleSketch& sketch) {
  Impl& m = *impl_;
  NAZIR_ASSIGN_OR_RETURN(uint32_t slot, m.StoreDocument(meta, sketch.near_dup));
  m.pending.push_back(slot);
  if (m.story) {
    // Story document frequencies are learned from every pending document
    // before any is assigned; counting here overlaps with sketching in the CLI.
    m.story->CountDocument(sketch.story, m.source_of[slot]);
    if (!sketch.story.terms.empty()) m.pending_features.Add(slot, sketch.story);
  }
  return slot;
}

absl::StatusOr<uint32_t> Engine::AddSketched(const DocMeta& meta, const DocSketch& sketch) {
  Impl& m = *impl_;
  NAZIR_ASSIGN_OR_RETURN(uint32_t slot, m.StoreDocument(meta, sketch));
  m.pending.push_back(slot);
  if (m.story) m.story->CountDocument(StoryFeatures{}, m.source_of[slot]);
  return slot;
}

void Engine::AssignPending(const std::function<void(uint64_t, uint64_t)>& progress) {
  Impl& m = *impl_;
  auto key = [&](uint32_t s) {
    const int64_t d = m.metas[s].date;
    return std::make_tuple(d == DocMeta::kNoDate, d, s);
  };
  std::erase_if(m.pending, [&](uint32_t s) { return !m.store.alive(s); });
  std::sort(m.pending.begin(), m.pending.end(),
            [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
  bool fresh = m.options.batch_star;  // no document assigned yet: the graph is ours
  for (uint32_t s = 0; s < m.store.size() && fresh; ++s) {
    fresh = m.groups.group_of(s) == StarGroups::kNone;
  }
  if (fresh) {
    m.AssignBatch(m.pending, progress);
    m.AssignStoriesBatch(m.pending);
  } else {
    const uint64_t total = m.pending.size();
    uint64_t done = 0;
    for (uint32_t slot : m.pending) {
      m.Assign(slot);
      const bool has = m.pending_features.Get(slot, &m.features_buf);
      m.AssignStory(slot, has ? &m.features_buf : nullptr);
      if (progress && (++done % 4096 == 0 || done == total)) progress(done, total);
    }
    m.pending_features.Clear();
  }
  m.pending.clear();
}

absl::StatusOr<Assignment> Engine::AddSketch(const DocMeta& meta, const DocSketch& sketch) {
  NAZIR_ASSIGN_OR_RETURN(uint32_t slot, impl_->StoreDocument(meta, sketch));
  impl_->Assign(slot);
  impl_->AssignStory(slot, nullptr);
  return AssignmentOf(slot);
}

absl::StatusOr<Assignment> Engine::AddSketch(const DocMeta& meta, const ArticleSketch& sketch) {
  NAZIR_ASSIGN_OR_RETURN(uint32_t slot, impl_->StoreDocument(meta, sketch.near_dup));
  impl_->Assign(slot);
  impl_->AssignStory(slot, &sketch.story);
  return AssignmentOf(slot);
}

absl::StatusOr<Assignment> Engine::Add(const DocMeta& meta, std::string_view text) {
  Impl& m = *impl_;
  if (!m.sketcher) {
    NAZIR_ASSIGN_OR_RETURN(Sketcher sk, Sketcher::Create(m.options.sketch));
    m.sketcher.emplace(std::move(sk));
  }
  m.sketcher->Sketch(meta.title, text, &m.sketch_buf);
  return AddSketch(meta, m.sketch_buf);
}

absl::Status Engine::Remove(std::string_view id) {
  Impl& m = *impl_;
  auto it = m.id_to_slot.find(ToAbsl(id));
  if (it == m.id_to_slot.end() || !m.store.alive(it->second)) {
    return absl::NotFoundError(absl::StrCat("no document with id \"", ToAbsl(id), "\""));
  }
  const uint32_t slot = it->second;
  m.id_to_slot.erase(it);
  m.store.Remove(slot);
  auto pend = std::find(m.pending.begin(), m.pending.end(), slot);
  if (pend != m.pending.end()) {
    m.pending.erase(pend);
    return absl::OkStatus();
  }
  m.IndexRemove(slot);
  std::vector<uint32_t> orphans = m.groups.Remove(slot);
  for (uint32_t o : orphans) m.IndexRemove(o);
  for (uint32_t o : orphans) m.Assign(o);
  return absl::OkStatus();
}

size_t Engine::RemoveBefore(int64_t cutoff) {
  Impl& m = *impl_;
  std::vector<uint32_t> old;
  for (uint32_t s = 0; s < m.store.size(); ++s) {
    const int64_t d = m.metas[s].date;
    if (m.store.alive(s) && d != DocMeta::kNoDate && d < cutoff) old.push_back(s);
  }
  // Newest first (ties: later slot first): a group's members are removed
  // before its anchor, so only the members that stay get re-assigned.
  std::sort(old.begin(), old.end(), [&m](uint32_t a, uint32_t b) {
    return std::make_pair(m.metas[a].date, a) > std::make_pair(m.metas[b].date, b);
  });
  for (uint32_t s : old) {
    const absl::Status st = Remove(m.metas[s].id);
    NAZIR_CHECK(st.ok());  // alive slots are in id_to_slot
  }
  // The stories no live document can reach or join any more go too (Remove
  // keeps them: it is called one document at a time and must stay cheap).
  if (m.story) m.story->Forget([&m](uint32_t slot) { return m.store.alive(slot); });
  return old.size();
}

void Engine::SettleStories() {
  if (impl_->story) impl_->story->SecondLook();
}

int64_t Engine::NewestDate() const {
  const Impl& m = *impl_;
  int64_t newest = DocMeta::kNoDate;
  for (uint32_t s = 0; s < m.store.size(); ++s) {
    const int64_t d = m.metas[s].date;
    if (m.store.alive(s) && d != DocMeta::kNoDate && (newest == DocMeta::kNoDate || d > newest)) {
      newest = d;
    }
  }
  return newest;
}

Assignment Engine::AssignmentOf(uint32_t slot) const {
  const Impl& m = *impl_;
  Assignment a;
  a.slot = slot;
  a.id = m.metas[slot].id;
  const uint32_t g = m.groups.group_of(slot);
  if (g == StarGroups::kNone) {  // pending
    a.group = a.story = a.id;
    a.status = m.status[slot];
    return a;
  }
  a.group = m.metas[g].id;
  a.group_size = m.groups.group_size(g);
  a.similarity = m.groups.sim_to_anchor(slot);
  a.status = m.status[slot];
  const uint32_t st = m.story ? m.story->story_of(slot) : StoryClusterer::kNone;
  a.story = st == StoryClusterer::kNone ? a.group : std::string_view(m.metas[st].id);
  return a;
}

absl::StatusOr<Assignment> Engine::Query(const DocMeta& meta, std::string_view text) {
  Impl& m = *impl_;
  if (!m.sketcher) {
    NAZIR_ASSIGN_OR_RETURN(Sketcher sk, Sketcher::Create(m.options.sketch));
    m.sketcher.emplace(std::move(sk));
  }
  DocSketch& sk = m.sketch_buf.near_dup;
  m.sketcher->Sketch(text, &sk);
  Assignment a;
  a.slot = StarGroups::kNone;
  a.id = meta.id;
  a.group = a.story = std::string_view();
  a.similarity = 0;
  // Boilerplate removal with the current document frequencies (the query is
  // not counted). An unknown source has no per-source statistics.
  auto src_it = m.source_ids.find(meta.source);
  const uint32_t src = src_it == m.source_ids.end() ? 0 : src_it->second;
  const uint32_t before = static_cast<uint32_t>(sk.keys.size());
  m.FlagBoilerplate(sk.keys, sk.anchors, src, m.scratch);
  auto compact = [](std::vector<uint32_t>* v, const std::vector<uint8_t>& drop) {
    size_t out = 0;
    for (size_t i = 0; i < v->size(); ++i) {
      if (!drop[i]) (*v)[out++] = (*v)[i];
    }
    v->resize(out);
  };
  compact(&sk.keys, m.scratch.key_boiler);
  compact(&sk.anchors, m.scratch.anchor_boiler);
  if (sk.num_tokens == 0) {
    a.status = DocStatus::kEmpty;
  } else if (sk.num_tokens < m.options.min_tokens || before < m.options.verify.min_shared) {
    a.status = DocStatus::kShort;
  } else if (sk.keys.size() < m.options.verify.min_shared) {
    a.status = DocStatus::kBoilerplateOnly;
  }
  if (a.status != DocStatus::kOk) return a;
  uint32_t band_keys[1024];
  std::span<const uint32_t> lsh_keys;
  if (!sk.sig.empty()) {
    std::span<uint32_t> out(band_keys, m.lsh.params().bands);
    m.lsh.BandKeys(sk.sig, out);
    lsh_keys = out;
  }
  m.VerifyProbe({sk.keys, sk.anchors, lsh_keys, sk.simhash, StarGroups::kNone, 0}, m.scratch,
                nullptr);
  float sim = 0;
  const std::span<const uint32_t> keys = sk.keys;
  const uint32_t g = m.groups.Choose(
      m.scratch.neighbors, [&](uint32_t anchor) { return ScorePair(keys, m.store.keys(anchor)); },
      m.options.member_anchor_threshold, &sim);
  if (g == StarGroups::kNone) return a;
  a.group = m.metas[g].id;
  a.group_size = m.groups.group_size(g);
  a.similarity = sim;
  const uint32_t st = m.story ? m.story->story_of(g) : StoryClusterer::kNone;
  a.story = st == StoryClusterer::kNone ? a.group : std::string_view(m.metas[st].id);
  return a;
}

absl::StatusOr<Assignment> Engine::Lookup(std::string_view id) const {
  auto it = impl_->id_to_slot.find(ToAbsl(id));
  if (it == impl_->id_to_slot.end()) {
    return absl::NotFoundError(absl::StrCat("no document with id \"", ToAbsl(id), "\""));
  }
  return AssignmentOf(it->second);
}

uint32_t Engine::num_slots() const { return impl_->store.size(); }
bool Engine::alive(uint32_t slot) const { return impl_->store.alive(slot); }
const std::vector<VerifiedPair>& Engine::pairs() const { return impl_->pairs; }
const EngineOptions& Engine::options() const { return impl_->options; }
const ParamsFingerprint& Engine::fingerprint() const { return impl_->fingerprint; }
const DocMeta& Engine::meta(uint32_t slot) const { return impl_->metas[slot]; }

std::vector<StoryInfo> Engine::Stories(size_t top_terms) const {
  const Impl& m = *impl_;
  std::vector<StoryInfo> out;
  if (!m.story) return out;
  for (StorySummary& sum : m.story->Summaries(top_terms)) {
    StoryInfo info;
    info.id = m.metas[sum.anchor].id;
    std::vector<uint32_t> groups, sources;
    uint32_t best = StarGroups::kNone, best_size = 0;
    for (uint32_t slot : sum.members) {
      if (!m.store.alive(slot)) continue;
      ++info.size;
      const uint32_t g = m.groups.group_of(slot);
      if (g != StarGroups::kNone) groups.push_back(g);
      if (m.source_of[slot] != 0) sources.push_back(m.source_of[slot]);
      const int64_t d = m.metas[slot].date;
      if (d != DocMeta::kNoDate) {
        if (info.first_date == DocMeta::kNoDate || d < info.first_date) info.first_date = d;
        if (info.last_date == DocMeta::kNoDate || d > info.last_date) info.last_date = d;
      }
      const uint32_t gs = g == StarGroups::kNone ? 1 : m.groups.group_size(g);
      if (!m.metas[slot].title.empty() &&
          (best == StarGroups::kNone || gs > best_size ||
           (gs == best_size && m.metas[slot].date < m.metas[best].date))) {
        best = slot;
        best_size = gs;
      }
    }
    if (info.size == 0) continue;
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    for (uint32_t g : groups) info.groups.push_back(m.metas[g].id);
    std::sort(sources.begin(), sources.end());
    sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
    for (uint32_t src : sources) info.sources.push_back(m.sources[src]);
    if (best != StarGroups::kNone) info.title = m.metas[best].title;
    info.top_terms = std::move(sum.top_terms);
    out.push_back(std::move(info));
  }
  return out;
}

EngineStats Engine::Stats() const {
  const Impl& m = *impl_;
  EngineStats s = m.stats;
  s.docs = m.store.size();
  for (uint32_t slot = 0; slot < m.store.size(); ++slot) {
    if (!m.store.alive(slot)) continue;
    ++s.alive;
    if (m.groups.is_anchor(slot)) {
      ++s.groups;
      if (m.groups.group_size(slot) > 1) ++s.multi_doc_groups;
    }
  }
  s.memory_store = m.store.MemoryUsage();
  s.memory_lsh = m.lsh.MemoryUsage();
  s.memory_simhash = m.simhash_index.MemoryUsage();
  s.memory_anchors = m.anchor_index.MemoryUsage();
  s.memory_df = m.df.MemoryUsage() + m.counted_texts.capacity() * (sizeof(uint64_t) + 1);
  s.memory_story = (m.story ? m.story->MemoryUsage() : 0) + m.pending_features.MemoryUsage();
  s.memory_meta = m.metas.size() * sizeof(DocMeta) +
                  m.id_to_slot.capacity() * (sizeof(std::string) + sizeof(uint32_t) + 1);
  for (const DocMeta& d : m.metas) {
    s.memory_meta += d.id.capacity() + d.title.capacity() + d.source.capacity();
  }
  s.memory_bytes = s.memory_store + s.memory_lsh + s.memory_simhash + s.memory_anchors +
                   s.memory_df + s.memory_story + s.memory_meta;
  return s;
}

}  // namespace nazir
