#include "nazir/engine/engine.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "xxhash.h"

#include "nazir/base/check.h"
#include "nazir/base/status.h"
#include "nazir/cluster/star_groups.h"

#include "engine/internal/engine_state.h"

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
  if (df_log2_width < 10 || df_log2_width > 28) {
    return absl::InvalidArgumentError(
        absl::StrCat("df_log2_width must be in [10, 28], got ", df_log2_width));
  }
  return absl::OkStatus();
}

namespace internal {

EngineState::EngineState(const EngineOptions& opts, ParamsFingerprint fp)
    : options(opts),
      fingerprint(std::move(fp)),
      digest(fingerprint.Digest()),
      store(opts.sketch.num_perm),
      df_source(opts.df_log2_width),
      df_global(opts.df_log2_width),
      lsh(ChooseLshParams(opts.sketch.num_perm, opts.lsh_threshold)) {}

uint32_t EngineState::SourceIndex(std::string_view source) {
  if (source.empty()) return 0;
  auto [it, inserted] = source_ids.try_emplace(std::string(source), sources.size());
  if (inserted) sources.emplace_back(source);
  return it->second;
}

uint32_t EngineState::SourceMix(uint32_t src) const {
  // Per-source salt for the per-source DF sketch: a fixed mix of the index.
  uint32_t x = src * 0x9e3779b1u + 0x7f4a7c15u;
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  return x;
}

void EngineState::CountDocument(uint32_t slot) {
  std::span<const uint32_t> keys = store.keys(slot);
  if (keys.empty()) return;
  // Identical shingle sets (re-crawls, one article under two URLs) count
  // once: otherwise an article crawled eight times by one outlet would make
  // its own text look like that outlet's boilerplate.
  const uint64_t text_id =
      XXH3_64bits_withSeed(keys.data(), keys.size() * sizeof(uint32_t), source_of[slot]);
  if (!counted_texts.insert(text_id).second) return;
  df_global.AddDocument(keys);
  const uint32_t src = source_of[slot];
  if (src != 0) {
    const uint32_t mix = SourceMix(src);
    scratch_keys.assign(keys.begin(), keys.end());
    for (uint32_t& k : scratch_keys) k ^= mix;
    df_source.AddDocument(scratch_keys);
  }
}

uint32_t EngineState::GlobalThreshold() const {
  const double frac =
      options.global_boilerplate_fraction * static_cast<double>(df_global.num_documents());
  return std::max<uint32_t>(options.global_boilerplate_min, static_cast<uint32_t>(frac));
}

void EngineState::FilterBoilerplate(uint32_t slot) {
  const uint32_t src = source_of[slot];
  const uint32_t mix = SourceMix(src);
  const uint32_t global_thr = GlobalThreshold();
  const uint32_t source_thr = options.source_boilerplate_df;
  stats.boilerplate_keys_dropped += store.FilterKeys(slot, [&](uint32_t key) {
    if (df_global.Count(key) >= global_thr) return true;
    return src != 0 && df_source.Count(key ^ mix) >= source_thr;
  });
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

bool EngineState::Prepare(uint32_t slot) {
  const uint32_t before = static_cast<uint32_t>(store.keys(slot).size());
  FilterBoilerplate(slot);
  status[slot] = Classify(slot, before);
  return status[slot] == DocStatus::kOk;
}

void EngineState::Verify(uint32_t slot) {
  // Candidates from the three channels.
  candidates.clear();
  if (store.has_sig(slot)) lsh.Query(store.sig(slot), &candidates);
  const size_t n_lsh = candidates.size();
  simhash_index.Query(
      store.simhash(slot), options.simhash_max_distance,
      [this](uint32_t s) { return store.simhash(s); }, &candidates);
  const size_t n_sim = candidates.size() - n_lsh;
  anchor_index.Query(
      store.anchors(slot), [](uint32_t) { return false; }, &anchor_hits, &scratch_slots);
  for (const auto& h : anchor_hits) candidates.push_back(h.slot);
  stats.cand_lsh += n_lsh;
  stats.cand_simhash += n_sim;
  stats.cand_anchor += anchor_hits.size();
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  // Exact verification against indexed (usable, assigned or batch-pending) docs.
  neighbors.clear();
  const std::span<const uint32_t> keys = store.keys(slot);
  for (uint32_t c : candidates) {
    if (c == slot || !store.alive(c) || !indexed[c]) continue;
    ++stats.candidates;
    const PairScore s = ScorePair(keys, store.keys(c));
    if (!IsNearDuplicate(s, options.verify)) continue;
    ++stats.verified;
    neighbors.push_back({c, s});
    if (options.record_pairs) pairs.push_back({c, slot, s});
  }
}

void EngineState::IndexInsert(uint32_t slot) {
  if (store.has_sig(slot)) lsh.Insert(slot, store.sig(slot));
  simhash_index.Insert(slot, store.simhash(slot));
  anchor_index.Insert(slot, store.anchors(slot));
  indexed[slot] = 1;
}

void EngineState::IndexRemove(uint32_t slot) {
  if (!indexed[slot]) return;
  if (store.has_sig(slot)) lsh.Remove(slot, store.sig(slot));
  simhash_index.Remove(slot, store.simhash(slot));
  anchor_index.Remove(slot, store.anchors(slot));
  indexed[slot] = 0;
}

uint32_t EngineState::Assign(uint32_t slot) {
  if (!Prepare(slot)) {
    groups.AssignSingleton(slot);
    return slot;
  }
  Verify(slot);
  const std::span<const uint32_t> keys = store.keys(slot);
  const uint32_t g = groups.Assign(
      slot, neighbors, [&](uint32_t anchor) { return ScorePair(keys, store.keys(anchor)); },
      options.member_anchor_threshold);
  IndexInsert(slot);
  return g;
}

void EngineState::AssignBatch(std::span<const uint32_t> order,
                              const std::function<void(uint64_t, uint64_t)>& progress) {
  std::vector<uint32_t> usable;
  std::vector<StarGroups::Edge> edges;
  const uint64_t total = order.size();
  uint64_t done = 0;
  for (uint32_t slot : order) {
    if (++done % 4096 == 0 && progress) progress(done, total);
    if (!Prepare(slot)) {
      groups.AssignSingleton(slot);
      continue;
    }
    Verify(slot);
    for (const auto& n : neighbors) edges.push_back({n.slot, slot, n.score.containment});
    usable.push_back(slot);
    IndexInsert(slot);
  }
  groups.BuildStars(
      usable, edges,
      [this](uint32_t a, uint32_t b) {
        return ScorePair(store.keys(a), store.keys(b)).containment;
      },
      options.member_anchor_threshold, options.member_link_threshold);
  if (progress) progress(total, total);
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
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

absl::StatusOr<Sketcher> Engine::NewSketcher() const {
  return Sketcher::Create(impl_->options.sketch);
}

absl::StatusOr<uint32_t> Engine::AddSketched(const DocMeta& meta, const DocSketch& sketch) {
  Impl& m = *impl_;
  if (sketch.params_digest != m.digest) {
    return absl::FailedPreconditionError(absl::StrCat(
        "sketch for \"", meta.id, "\" was made under other parameters than this index {",
        m.fingerprint.ToString(), "}"));
  }
  auto [it, inserted] = m.id_to_slot.try_emplace(meta.id, m.store.size());
  if (!inserted) {
    return absl::AlreadyExistsError(absl::StrCat("duplicate document id \"", meta.id, "\""));
  }
  const uint32_t slot = m.store.Add(sketch);
  m.metas.push_back(meta);
  m.source_of.push_back(m.SourceIndex(meta.source));
  m.status.push_back(DocStatus::kOk);
  m.indexed.push_back(0);
  m.CountDocument(slot);
  m.pending.push_back(slot);
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
  } else {
    const uint64_t total = m.pending.size();
    uint64_t done = 0;
    for (uint32_t slot : m.pending) {
      m.Assign(slot);
      if (progress && (++done % 4096 == 0 || done == total)) progress(done, total);
    }
  }
  m.pending.clear();
}

absl::StatusOr<Assignment> Engine::AddSketch(const DocMeta& meta, const DocSketch& sketch) {
  NAZIR_ASSIGN_OR_RETURN(uint32_t slot, AddSketched(meta, sketch));
  impl_->pending.pop_back();
  impl_->Assign(slot);
  return AssignmentOf(slot);
}

absl::StatusOr<Assignment> Engine::Add(const DocMeta& meta, std::string_view text) {
  Impl& m = *impl_;
  if (!m.sketcher) {
    NAZIR_ASSIGN_OR_RETURN(Sketcher sk, Sketcher::Create(m.options.sketch));
    m.sketcher.emplace(std::move(sk));
  }
  m.sketcher->Sketch(text, &m.sketch_buf);
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

Assignment Engine::AssignmentOf(uint32_t slot) const {
  const Impl& m = *impl_;
  Assignment a;
  a.slot = slot;
  a.id = m.metas[slot].id;
  const uint32_t g = m.groups.group_of(slot);
  if (g == StarGroups::kNone) {  // pending
    a.group = a.id;
    a.status = m.status[slot];
    return a;
  }
  a.group = m.metas[g].id;
  a.group_size = m.groups.group_size(g);
  a.similarity = m.groups.sim_to_anchor(slot);
  a.status = m.status[slot];
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
  s.memory_bytes = m.store.MemoryUsage() + m.lsh.MemoryUsage() + m.simhash_index.MemoryUsage() +
                   m.anchor_index.MemoryUsage() + m.df_global.MemoryUsage() +
                   m.df_source.MemoryUsage();
  return s;
}

}  // namespace nazir
