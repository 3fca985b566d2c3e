// Engine::Save / Engine::Open. File format (little-endian, version 1):
//
//   "NAZIRIDX" u32 version
//   str fingerprint  u64 fingerprint digest
//   options (fixed field list, see WriteOptions)
//   u32 #sources, str sources[1..]        (index 0 is the empty source)
//   u32 #slots, then per slot:
//     str id, str title, u32 source, i64 date, u8 status, u8 alive, u32 group, f32 sim,
//     u64 simhash, u32 num_tokens, u32 #keys, u32 keys[], u32 #anchors,
//     u32 anchors[], u8 has_lsh, u32 lsh band keys[bands] if has_lsh
//   u32 #pending, u32 pending[]
//   DF sketch: u64 #documents, u8 counters[]
//   u64 #counted texts, u64 digests[]
//   u8 has_story, str story clusterer blob (StoryClusterer::Serialize)
//   u64 XXH64 of every byte before it
//
// Keys are stored after boilerplate removal, exactly as the index uses them,
// so a reopened engine makes the same decisions as the one that was saved.
// The LSH, SimHash and anchor indexes are rebuilt from the stored sketches.
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "xxhash.h"

#include "nazir/base/status.h"
#include "nazir/engine/engine.h"

#include "engine/internal/engine_state.h"

namespace nazir {
namespace {

constexpr char kMagic[8] = {'N', 'A', 'Z', 'I', 'R', 'I', 'D', 'X'};
constexpr uint32_t kFormatVersion = 1;

class Writer {
 public:
  template <typename T>
  void Pod(const T& v) {
    buf_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void Str(std::string_view s) {
    Pod(static_cast<uint32_t>(s.size()));
    buf_.append(s);
  }
  template <typename T>
  void Array(std::span<const T> v) {
    Pod(static_cast<uint32_t>(v.size()));
    if (!v.empty()) buf_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  std::string& buf() { return buf_; }

 private:
  std::string buf_;
};

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  template <typename T>
  bool Pod(T* v) {
    if (data_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool Str(std::string* s) {
    uint32_t n;
    if (!Pod(&n) || data_.size() - pos_ < n) return false;
    s->assign(data_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  template <typename T>
  bool Raw(size_t n, std::vector<T>* v) {
    if ((data_.size() - pos_) / sizeof(T) < n) return false;
    v->resize(n);
    if (n != 0) std::memcpy(v->data(), data_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  template <typename T>
  bool Array(std::vector<T>* v) {
    uint32_t n;
    return Pod(&n) && Raw(n, v);
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

void WriteOptions(Writer& w, const EngineOptions& o) {
  w.Pod(static_cast<uint8_t>(o.sketch.normalizer.hamza_mode));
  w.Pod(o.sketch.shingle_size);
  w.Pod(o.sketch.num_perm);
  w.Pod(o.sketch.seed);
  w.Pod(o.sketch.winnow_window);
  w.Pod(o.verify.threshold);
  w.Pod(o.verify.min_shared);
  w.Pod(o.member_anchor_threshold);
  w.Pod(o.member_link_threshold);
  w.Pod(static_cast<uint8_t>(o.batch_star));
  w.Pod(o.lsh_threshold);
  w.Pod(static_cast<int32_t>(o.simhash_max_distance));
  w.Pod(o.min_tokens);
  w.Pod(o.source_boilerplate_df);
  w.Pod(o.global_boilerplate_min);
  w.Pod(o.global_boilerplate_fraction);
  w.Pod(static_cast<int32_t>(o.df_log2_width));
  w.Pod(static_cast<uint8_t>(o.record_pairs));
  w.Pod(static_cast<uint8_t>(o.stories));
}

bool ReadOptions(Reader& r, EngineOptions* o) {
  uint8_t hamza, record, batch_star, stories;
  int32_t simd, df;
  bool ok = r.Pod(&hamza) && r.Pod(&o->sketch.shingle_size) && r.Pod(&o->sketch.num_perm) &&
            r.Pod(&o->sketch.seed) && r.Pod(&o->sketch.winnow_window) &&
            r.Pod(&o->verify.threshold) && r.Pod(&o->verify.min_shared) &&
            r.Pod(&o->member_anchor_threshold) && r.Pod(&o->member_link_threshold) &&
            r.Pod(&batch_star) && r.Pod(&o->lsh_threshold) && r.Pod(&simd) &&
            r.Pod(&o->min_tokens) && r.Pod(&o->source_boilerplate_df) &&
            r.Pod(&o->global_boilerplate_min) && r.Pod(&o->global_boilerplate_fraction) &&
            r.Pod(&df) && r.Pod(&record) && r.Pod(&stories);
  if (!ok || hamza > 2) return false;
  o->sketch.normalizer.hamza_mode = static_cast<HamzaMode>(hamza);
  o->simhash_max_distance = simd;
  o->df_log2_width = df;
  o->record_pairs = record != 0;
  o->batch_star = batch_star != 0;
  o->stories = stories != 0;
  return true;
}

}  // namespace

absl::Status Engine::Save(const std::string& path) const {
  const Impl& m = *impl_;
  const auto& state = static_cast<const internal::EngineState&>(m);
  if (!state.pending.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        state.pending.size(), " documents are pending: call AssignPending() before Save()"));
  }
  Writer w;
  w.buf().append(kMagic, sizeof kMagic);
  w.Pod(kFormatVersion);
  w.Str(state.fingerprint.ToString());
  w.Pod(state.digest);
  WriteOptions(w, state.options);
  w.Pod(static_cast<uint32_t>(state.sources.size()));
  for (size_t i = 1; i < state.sources.size(); ++i) w.Str(state.sources[i]);
  const uint32_t n = state.store.size();
  w.Pod(n);
  for (uint32_t s = 0; s < n; ++s) {
    w.Str(state.metas[s].id);
    w.Str(state.metas[s].title);
    w.Pod(state.source_of[s]);
    w.Pod(state.metas[s].date);
    w.Pod(static_cast<uint8_t>(state.status[s]));
    w.Pod(static_cast<uint8_t>(state.store.alive(s)));
    w.Pod(state.groups.group_of(s));
    w.Pod(s < state.store.size() && state.groups.group_of(s) != StarGroups::kNone
              ? state.groups.sim_to_anchor(s)
              : 0.0f);
    w.Pod(state.store.simhash(s));
    w.Pod(state.store.num_tokens(s));
    w.Array(state.store.keys(s));
    w.Array(state.store.anchors(s));
    w.Pod(static_cast<uint8_t>(state.store.has_lsh_keys(s)));
    if (state.store.has_lsh_keys(s)) {
      std::span<const uint32_t> keys = state.store.lsh_keys(s);
      w.buf().append(reinterpret_cast<const char*>(keys.data()), keys.size() * sizeof(uint32_t));
    }
  }
  w.Array(std::span<const uint32_t>(state.pending));
  {
    w.Pod(state.df.num_documents());
    std::span<const uint8_t> c = state.df.counters();
    w.buf().append(reinterpret_cast<const char*>(c.data()), c.size());
  }
  w.Pod(static_cast<uint64_t>(state.counted_texts.size()));
  for (uint64_t t : state.counted_texts) w.Pod(t);
  w.Pod(static_cast<uint8_t>(state.story.has_value()));
  if (state.story) {
    std::string blob;
    state.story->Serialize(&blob);
    w.Str(blob);
  }
  w.Pod(static_cast<uint64_t>(XXH64(w.buf().data(), w.buf().size(), 0)));

  const std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
  const bool wrote = std::fwrite(w.buf().data(), 1, w.buf().size(), f) == w.buf().size();
  if (std::fclose(f) != 0 || !wrote) {
    std::remove(tmp.c_str());
    return absl::DataLossError(absl::StrCat("error writing ", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot rename ", tmp, " to ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::Open(const std::string& path) {
  std::string data;
  {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return absl::NotFoundError(absl::StrCat("cannot open index ", path));
    char buf[1 << 16];
    size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, got);
    const bool err = std::ferror(f);
    std::fclose(f);
    if (err) return absl::DataLossError(absl::StrCat("error reading index ", path));
  }
  auto corrupt = [&](absl::string_view what) {
    return absl::DataLossError(absl::StrCat(path, ": not a valid nazir index (", what, ")"));
  };
  if (data.size() < sizeof kMagic + 12 || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0) {
    return corrupt("bad magic");
  }
  uint64_t stored_sum;
  std::memcpy(&stored_sum, data.data() + data.size() - 8, 8);
  if (XXH64(data.data(), data.size() - 8, 0) != stored_sum) return corrupt("checksum mismatch");
  Reader r(std::string_view(data).substr(sizeof kMagic, data.size() - sizeof kMagic - 8));
  uint32_t version;
  std::string fp_string;
  uint64_t digest;
  EngineOptions options;
  if (!r.Pod(&version)) return corrupt("truncated header");
  if (version != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": index format version ", version,
                                                      ", this build reads ", kFormatVersion));
  }
  if (!r.Str(&fp_string) || !r.Pod(&digest) || !ReadOptions(r, &options)) {
    return corrupt("truncated header");
  }
  if (absl::Status s = options.Validate(); !s.ok()) return corrupt(s.message());
  NAZIR_ASSIGN_OR_RETURN(auto engine, Create(options));
  internal::EngineState& m = *engine->impl_;
  if (m.fingerprint.ToString() != fp_string || m.digest != digest) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": index was built with {", fp_string,
                                                      "}; this build sketches with {",
                                                      m.fingerprint.ToString(), "}"));
  }
  uint32_t num_sources;
  if (!r.Pod(&num_sources) || num_sources == 0) return corrupt("sources");
  for (uint32_t i = 1; i < num_sources; ++i) {
    std::string s;
    if (!r.Str(&s)) return corrupt("sources");
    m.source_ids[s] = i;
    m.sources.push_back(std::move(s));
  }
  uint32_t n;
  if (!r.Pod(&n)) return corrupt("slot count");
  const uint32_t bands = m.lsh.params().bands;
  std::vector<uint32_t> lsh_keys;
  std::vector<uint32_t> group(n);
  std::vector<float> sim(n);
  DocSketch sk;
  for (uint32_t s = 0; s < n; ++s) {
    DocMeta meta;
    uint32_t src;
    uint8_t status, alive, has_sig;
    sk.Clear();
    if (!r.Str(&meta.id) || !r.Str(&meta.title) || !r.Pod(&src) || !r.Pod(&meta.date) ||
        !r.Pod(&status) || !r.Pod(&alive) || !r.Pod(&group[s]) || !r.Pod(&sim[s]) ||
        !r.Pod(&sk.simhash) || !r.Pod(&sk.num_tokens) || !r.Array(&sk.keys) ||
        !r.Array(&sk.anchors) || !r.Pod(&has_sig) || (has_sig && !r.Raw(bands, &lsh_keys))) {
      return corrupt(absl::StrCat("document record ", s));
    }
    if (src >= num_sources || status > 3 || (group[s] != StarGroups::kNone && group[s] >= n)) {
      return corrupt(absl::StrCat("document record ", s));
    }
    meta.source = m.sources[src];
    m.store.Add(sk, has_sig ? std::span<const uint32_t>(lsh_keys) : std::span<const uint32_t>());
    m.metas.push_back(std::move(meta));
    m.source_of.push_back(src);
    m.status.push_back(static_cast<DocStatus>(status));
    if (alive) {
      if (!m.id_to_slot.try_emplace(m.metas.back().id, s).second) return corrupt("duplicate id");
    } else {
      m.store.Remove(s);
    }
  }
  if (!r.Array(&m.pending)) return corrupt("pending list");
  for (uint32_t p : m.pending) {
    if (p >= n) return corrupt("pending list");
  }
  {
    uint64_t docs;
    std::vector<uint8_t> counters;
    if (!r.Pod(&docs) || !r.Raw(m.df.counters().size(), &counters)) return corrupt("df sketch");
    m.df.Restore(std::move(counters), docs);
  }
  uint64_t num_counted;
  if (!r.Pod(&num_counted)) return corrupt("counted texts");
  for (uint64_t i = 0; i < num_counted; ++i) {
    uint64_t t;
    if (!r.Pod(&t)) return corrupt("counted texts");
    m.counted_texts.insert(t);
  }
  uint8_t has_story;
  if (!r.Pod(&has_story) || (has_story != 0) != m.story.has_value()) return corrupt("story flag");
  if (has_story) {
    std::string blob;
    if (!r.Str(&blob)) return corrupt("story clusterer");
    auto sc = StoryClusterer::Deserialize(blob);
    if (!sc.ok()) return corrupt(sc.status().message());
    m.options.story = sc->options();
    m.story.emplace(std::move(*sc));
  }
  // Groups, then the candidate indexes.
  m.indexed.assign(n, 0);
  for (uint32_t s = 0; s < n; ++s) {
    if (!m.store.alive(s) || group[s] == StarGroups::kNone) continue;
    if (m.status[s] != DocStatus::kOk) {
      m.groups.AssignSingleton(s);
    } else {
      m.groups.Restore(s, group[s], sim[s]);
      m.IndexInsert(s);
    }
  }
  return engine;
}

}  // namespace nazir
