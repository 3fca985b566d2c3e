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
// A removed document (alive = 0) keeps its record with its id and source and
// date only (empty title and arrays, no group): Engine::RemoveBefore frees
// what a feed no longer needs at the next save.
// Keys are stored after boilerplate removal, exactly as the index uses them,
// so a reopened engine makes the same decisions as the one that was saved.
// The LSH, SimHash and anchor indexes are rebuilt from the stored sketches.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "xxhash.h"

#include "nazir/base/status.h"
#include "nazir/engine/engine.h"

#include "base/bounded_reader.h"
#include "engine/internal/engine_state.h"
#include <fcntl.h>
#include <unistd.h>

namespace nazir {
namespace {

constexpr char kMagic[8] = {'N', 'A', 'Z', 'I', 'R', 'I', 'D', 'X'};
constexpr uint32_t kFormatVersion = 1;

// Buffered file output that checksums (XXH64) everything it writes, so Save
// never holds the whole index in memory.
class Writer {
 public:
  explicit Writer(FILE* f) : f_(f), hash_(XXH64_createState()) {
    XXH64_reset(hash_, 0);
    buf_.reserve(kBuffer);
  }
  ~Writer() { XXH64_freeState(hash_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Bytes(const void* p, size_t n) {
    XXH64_update(hash_, p, n);
    if (buf_.size() + n > kBuffer) Flush();
    if (n >= kBuffer) {
      ok_ = ok_ && std::fwrite(p, 1, n, f_) == n;
    } else {
      buf_.append(static_cast<const char*>(p), n);
    }
  }
  template <typename T>
  void Pod(const T& v) {
    Bytes(&v, sizeof v);
  }
  void Str(std::string_view s) {
    Pod(static_cast<uint32_t>(s.size()));
    Bytes(s.data(), s.size());
  }
  template <typename T>
  void Array(std::span<const T> v) {
    Pod(static_cast<uint32_t>(v.size()));
    Bytes(v.data(), v.size() * sizeof(T));
  }
  // Appends the checksum of everything written (not itself checksummed) and
  // flushes. False if any write failed.
  bool Finish() {
    const uint64_t sum = XXH64_digest(hash_);
    buf_.append(reinterpret_cast<const char*>(&sum), sizeof sum);
    Flush();
    return ok_;
  }

 private:
  static constexpr size_t kBuffer = size_t{1} << 20;
  void Flush() {
    ok_ = ok_ && std::fwrite(buf_.data(), 1, buf_.size(), f_) == buf_.size();
    buf_.clear();
  }
  FILE* f_;
  XXH64_state_t* hash_;
  std::string buf_;
  bool ok_ = true;
};

// Reads the checksummed part of an index file (all but its last 8 bytes).
// Every count is checked against the bytes left before it sizes anything,
// so a corrupt or crafted count cannot make Open allocate more than the file
// holds (base/bounded_reader.h).
using Reader = internal::BoundedReader;

// The smallest record a slot takes in the file: empty id and title (u32
// lengths), source, date, status, alive, group, similarity, simhash,
// #tokens, empty keys and anchors (u32 counts), has_lsh.
constexpr uint64_t kMinSlotBytes = 4 + 4 + 4 + 8 + 1 + 1 + 4 + 4 + 8 + 4 + 4 + 4 + 1;

// Whether the file's last 8 bytes are the XXH64 of the rest (read in chunks:
// the file is checked before anything in it is trusted).
absl::StatusOr<bool> ChecksumMatches(FILE* f, uint64_t size) {
  XXH64_state_t* st = XXH64_createState();
  XXH64_reset(st, 0);
  std::vector<char> buf(size_t{1} << 20);
  uint64_t left = size - 8;
  bool ok = true;
  while (left > 0 && ok) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), left));
    ok = std::fread(buf.data(), 1, n, f) == n;
    XXH64_update(st, buf.data(), n);
    left -= n;
  }
  uint64_t stored = 0;
  ok = ok && std::fread(&stored, 1, 8, f) == 8;
  const uint64_t sum = XXH64_digest(st);
  XXH64_freeState(st);
  if (!ok) return absl::DataLossError("read error");
  return sum == stored;
}

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
  bool ok = r.Get(&hamza) && r.Get(&o->sketch.shingle_size) && r.Get(&o->sketch.num_perm) &&
            r.Get(&o->sketch.seed) && r.Get(&o->sketch.winnow_window) &&
            r.Get(&o->verify.threshold) && r.Get(&o->verify.min_shared) &&
            r.Get(&o->member_anchor_threshold) && r.Get(&o->member_link_threshold) &&
            r.Get(&batch_star) && r.Get(&o->lsh_threshold) && r.Get(&simd) &&
            r.Get(&o->min_tokens) && r.Get(&o->source_boilerplate_df) &&
            r.Get(&o->global_boilerplate_min) && r.Get(&o->global_boilerplate_fraction) &&
            r.Get(&df) && r.Get(&record) && r.Get(&stories);
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
  const std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
  Writer w(f);
  w.Bytes(kMagic, sizeof kMagic);
  w.Pod(kFormatVersion);
  w.Str(state.fingerprint.ToString());
  w.Pod(state.digest);
  WriteOptions(w, state.options);
  w.Pod(static_cast<uint32_t>(state.sources.size()));
  for (size_t i = 1; i < state.sources.size(); ++i) w.Str(state.sources[i]);
  const uint32_t n = state.store.size();
  w.Pod(n);
  for (uint32_t s = 0; s < n; ++s) {
    // A removed document keeps its slot and id (a story may still be named
    // after it) and nothing else: what Engine::RemoveBefore frees.
    const bool alive = state.store.alive(s);
    w.Str(state.metas[s].id);
    w.Str(alive ? std::string_view(state.metas[s].title) : std::string_view());
    w.Pod(state.source_of[s]);
    w.Pod(state.metas[s].date);
    w.Pod(static_cast<uint8_t>(state.status[s]));
    w.Pod(static_cast<uint8_t>(alive));
    w.Pod(alive ? state.groups.group_of(s) : StarGroups::kNone);
    w.Pod(alive && state.groups.group_of(s) != StarGroups::kNone ? state.groups.sim_to_anchor(s)
                                                                 : 0.0f);
    w.Pod(alive ? state.store.simhash(s) : uint64_t{0});
    w.Pod(alive ? state.store.num_tokens(s) : uint32_t{0});
    w.Array(alive ? state.store.keys(s) : std::span<const uint32_t>());
    w.Array(alive ? state.store.anchors(s) : std::span<const uint32_t>());
    w.Pod(static_cast<uint8_t>(alive && state.store.has_lsh_keys(s)));
    if (alive && state.store.has_lsh_keys(s)) {
      std::span<const uint32_t> keys = state.store.lsh_keys(s);
      w.Bytes(keys.data(), keys.size() * sizeof(uint32_t));
    }
  }
  w.Array(std::span<const uint32_t>(state.pending));
  {
    w.Pod(state.df.num_documents());
    std::span<const uint8_t> c = state.df.counters();
    w.Bytes(c.data(), c.size());
  }
  // Sorted, so that the same state always makes the same file.
  std::vector<uint64_t> counted(state.counted_texts.begin(), state.counted_texts.end());
  std::sort(counted.begin(), counted.end());
  w.Pod(static_cast<uint64_t>(counted.size()));
  w.Bytes(counted.data(), counted.size() * sizeof(uint64_t));
  w.Pod(static_cast<uint8_t>(state.story.has_value()));
  if (state.story) {
    std::string blob;
    state.story->Serialize(&blob);
    w.Str(blob);
  }
  // Durable before it replaces the old file: the data reaches the disk
  // (fsync) before the rename, and the rename itself (fsync of the
  // directory) before Save returns, so a crash leaves the old index or the
  // new one, never a truncated one.
  const bool wrote = w.Finish() && std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  if (std::fclose(f) != 0 || !wrote) {
    std::remove(tmp.c_str());
    return absl::DataLossError(absl::StrCat("error writing ", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return absl::UnavailableError(absl::StrCat("cannot rename ", tmp, " to ", path));
  }
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  if (const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
    ::fsync(fd);  // best effort: some filesystems refuse fsync on directories
    ::close(fd);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::Open(const std::string& path) {
  auto corrupt = [&](absl::string_view what) {
    return absl::DataLossError(absl::StrCat(path, ": not a valid nazir index (", what, ")"));
  };
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot open index ", path));
  FILE* f = file.get();
  uint64_t size = 0;
  if (std::fseek(f, 0, SEEK_END) != 0 || (size = static_cast<uint64_t>(std::ftell(f))) == 0 ||
      std::fseek(f, 0, SEEK_SET) != 0) {
    if (size == 0) return corrupt("empty file");
    return absl::DataLossError(absl::StrCat("error reading index ", path));
  }
  char magic[sizeof kMagic];
  if (size < sizeof kMagic + 12 || std::fread(magic, 1, sizeof magic, f) != sizeof magic ||
      std::memcmp(magic, kMagic, sizeof kMagic) != 0) {
    return corrupt("bad magic");
  }
  std::fseek(f, 0, SEEK_SET);
  NAZIR_ASSIGN_OR_RETURN(bool sum_ok, ChecksumMatches(f, size));
  if (!sum_ok) return corrupt("checksum mismatch");
  std::fseek(f, sizeof kMagic, SEEK_SET);
  Reader r(f, size - sizeof kMagic - 8);
  uint32_t version;
  std::string fp_string;
  uint64_t digest;
  EngineOptions options;
  if (!r.Get(&version)) return corrupt("truncated header");
  if (version != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": index format version ", version,
                                                      ", this build reads ", kFormatVersion));
  }
  if (!r.Bytes<uint32_t>(&fp_string) || !r.Get(&digest) || !ReadOptions(r, &options)) {
    return corrupt("truncated header");
  }
  if (absl::Status s = options.Validate(); !s.ok()) return corrupt(s.message());
  // The options size the DF sketch (Create allocates it): its counters must
  // be in the file.
  if (!r.Fits(uint64_t{1} << options.df_log2_width, 1)) {
    return corrupt(
        absl::StrCat("DF sketch of 2^", options.df_log2_width, " counters: ", r.error()));
  }
  // Whether the sketches carried story features is not in the options record:
  // the fingerprint's story part is empty when they did not (an index saved
  // by `nazir cluster --no-stories`), and the engine must sketch the same way.
  options.sketch.story_features = fp_string.find(";story=;") == std::string::npos;
  NAZIR_ASSIGN_OR_RETURN(auto engine, Create(options));
  internal::EngineState& m = *engine->impl_;
  if (m.fingerprint.ToString() != fp_string || m.digest != digest) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": index was built with {", fp_string,
                                                      "}; this build sketches with {",
                                                      m.fingerprint.ToString(), "}"));
  }
  uint32_t num_sources;
  if (!r.Get(&num_sources) || num_sources == 0) return corrupt("sources");
  if (!r.Fits(num_sources - 1, 4)) return corrupt(absl::StrCat("source count: ", r.error()));
  for (uint32_t i = 1; i < num_sources; ++i) {
    std::string s;
    if (!r.Bytes<uint32_t>(&s)) return corrupt("sources");
    m.source_ids[s] = i;
    m.sources.push_back(std::move(s));
  }
  uint32_t n;
  if (!r.Count(&n, kMinSlotBytes)) return corrupt(absl::StrCat("slot count: ", r.error()));
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
    if (!r.Bytes<uint32_t>(&meta.id) || !r.Bytes<uint32_t>(&meta.title) || !r.Get(&src) ||
        !r.Get(&meta.date) || !r.Get(&status) || !r.Get(&alive) || !r.Get(&group[s]) ||
        !r.Get(&sim[s]) || !r.Get(&sk.simhash) || !r.Get(&sk.num_tokens) ||
        !r.Array<uint32_t>(&sk.keys) || !r.Array<uint32_t>(&sk.anchors) || !r.Get(&has_sig) ||
        (has_sig && !r.Vector(bands, &lsh_keys))) {
      return corrupt(absl::StrCat("document record ", s, ": ", r.error()));
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
  if (!r.Array<uint32_t>(&m.pending)) return corrupt(absl::StrCat("pending list: ", r.error()));
  for (uint32_t p : m.pending) {
    if (p >= n) return corrupt("pending list");
  }
  {
    uint64_t docs;
    const std::span<uint8_t> counters = m.df.mutable_counters();
    if (!r.Get(&docs) || !r.Read(counters.data(), counters.size())) {
      return corrupt(absl::StrCat("df sketch: ", r.error()));
    }
    m.df.set_num_documents(docs);
  }
  uint64_t num_counted;
  if (!r.Count(&num_counted, sizeof(uint64_t))) {
    return corrupt(absl::StrCat("counted texts: ", r.error()));
  }
  for (uint64_t i = 0; i < num_counted; ++i) {
    uint64_t t;
    if (!r.Get(&t)) return corrupt("counted texts");
    m.counted_texts.insert(t);
  }
  uint8_t has_story;
  if (!r.Get(&has_story) || (has_story != 0) != m.story.has_value()) return corrupt("story flag");
  if (has_story) {
    std::string blob;
    if (!r.Bytes<uint32_t>(&blob)) return corrupt(absl::StrCat("story clusterer: ", r.error()));
    auto sc = StoryClusterer::Deserialize(blob);
    if (!sc.ok()) return corrupt(sc.status().message());
    m.options.story = sc->options();
    m.story.emplace(std::move(*sc));
  }
  if (!r.done()) return corrupt("trailing data");
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
