#include "nazir/story/story_clusterer.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <span>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

#include <Eigen/SparseCore>
#define XXH_INLINE_ALL
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include <xxhash.h>

#include "nazir/base/check.h"
#include "nazir/base/huge_pages.h"
#include "nazir/base/status.h"

#include "base/bounded_reader.h"

namespace nazir {
namespace internal {

using SparseVec = Eigen::SparseVector<float, 0, int64_t>;
constexpr int64_t kDim = std::numeric_limits<int64_t>::max();
constexpr int64_t kNoDate = std::numeric_limits<int64_t>::min();

// Count-min sketch (2 counters per key, conservative update, saturating 16-bit counters) of
// per-source document frequencies keyed by (source, term). Blocked: both counters of a key lie in
// one 64-byte line (one cache miss per key instead of two), the line chosen by the key's low
// bits, the two counters within it by high bits.
class SourceDf {
 public:
  explicit SourceDf(int log2_width = 20)
      : log2_width_(log2_width), counters_(size_t{2} << log2_width, 0) {}

  static uint64_t Key(uint32_t source, uint64_t term) {
    return XXH3_64bits_withSeed(&term, sizeof(term), 0x9E3779B97F4A7C15ull ^ source);
  }
  void Prefetch(uint64_t key) const { __builtin_prefetch(&counters_[Line(key)]); }
  void Add(uint64_t key) {
    size_t a, b;
    Slots(key, &a, &b);
    uint16_t m = std::min(counters_[a], counters_[b]);
    if (m == 0xFFFF) return;
    if (counters_[a] == m) ++counters_[a];
    if (counters_[b] == m) ++counters_[b];
  }
  uint32_t Count(uint64_t key) const {
    size_t a, b;
    Slots(key, &a, &b);
    return std::min(counters_[a], counters_[b]);
  }
  int log2_width() const { return log2_width_; }
  std::span<uint16_t> counters() { return counters_; }
  std::span<const uint16_t> counters() const { return counters_; }

 private:
  static constexpr size_t kLine = 32;  // 16-bit counters per 64-byte line
  size_t Line(uint64_t key) const {
    const size_t lines = counters_.size() / kLine;
    return (key & (lines - 1)) * kLine;
  }
  void Slots(uint64_t key, size_t* a, size_t* b) const {
    const size_t line = Line(key);
    const size_t x = (key >> 32) & (kLine - 1);
    const size_t y = x ^ (1 + (key >> 40) % (kLine - 1));  // != x, in [0, kLine)
    *a = line + x;
    *b = line + y;
  }
  int log2_width_;
  std::vector<uint16_t, LargeAllocator<uint16_t>> counters_;
};

// Per term: document frequency, an exponentially decayed count of recent documents containing
// it (burstiness), and the exact document frequency within its dominant source: the first
// source (with an id < 0xFFFF) that counted it. Most terms appear in one or two outlets, so the
// per-source count is usually read here (the entry's cache line is loaded anyway) instead of in
// the count-min sketch, which only counts the other sources.
struct TermStat {
  uint32_t df = 0;
  float recent = 0;
  int32_t hour = 0;     // hours since the epoch of the last update of `recent`
  uint16_t src = 0;     // dominant source + 1, 0: none yet
  uint16_t src_df = 0;  // documents of that source containing the term (saturating)
};
// The tag of a source in TermStat::src, 0 if it cannot be tracked there.
inline uint16_t SourceTag(uint32_t source) {
  return source < 0xFFFFu ? static_cast<uint16_t>(source + 1) : 0;
}

// Term id -> TermStat, open addressing with linear probing (ids are hashes already), so a
// lookup can be prefetched; at most 70% full.
class TermTable {
 public:
  struct Entry {
    uint64_t id;
    TermStat stat;
  };
  static constexpr uint64_t kEmpty = ~uint64_t{0};  // ids are < 2^63

  TermTable() : slots_(1024, Entry{kEmpty, {}}) {}

  void Prefetch(uint64_t id) const { __builtin_prefetch(&slots_[Home(id)]); }
  TermStat* Find(uint64_t id) {
    for (size_t h = Home(id);; h = (h + 1) & (slots_.size() - 1)) {
      if (slots_[h].id == id) return &slots_[h].stat;
      if (slots_[h].id == kEmpty) return nullptr;
    }
  }
  const TermStat* Find(uint64_t id) const { return const_cast<TermTable*>(this)->Find(id); }
  TermStat& operator[](uint64_t id) {
    size_t h = Home(id);
    for (;; h = (h + 1) & (slots_.size() - 1)) {
      if (slots_[h].id == id) return slots_[h].stat;
      if (slots_[h].id == kEmpty) break;
    }
    if ((size_ + 1) * 10 > slots_.size() * 7) {
      Grow();
      return (*this)[id];
    }
    ++size_;
    slots_[h] = Entry{id, {}};
    return slots_[h].stat;
  }
  void reserve(size_t n) {
    while (n * 10 > slots_.size() * 7) Grow();
  }
  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }
  template <typename F>
  void ForEach(F f) const {
    for (const Entry& e : slots_) {
      if (e.id != kEmpty) f(e.id, e.stat);
    }
  }

 private:
  size_t Home(uint64_t id) const { return (id ^ (id >> 31)) & (slots_.size() - 1); }
  void Grow() {
    std::vector<Entry, LargeAllocator<Entry>> old(slots_.size() * 2, Entry{kEmpty, {}});
    old.swap(slots_);
    for (const Entry& e : old) {
      if (e.id == kEmpty) continue;
      size_t h = Home(e.id);
      while (slots_[h].id != kEmpty) h = (h + 1) & (slots_.size() - 1);
      slots_[h] = e;
    }
  }
  std::vector<Entry, LargeAllocator<Entry>> slots_;
  size_t size_ = 0;
};

// Sparse dot product by merging the two sorted index arrays (the sum in index order, in float,
// as Eigen's SparseVector::dot; a branch-light loop that is ~2x faster).
inline float Dot(const SparseVec& a, const SparseVec& b) {
  const int64_t* ia = a.innerIndexPtr();
  const int64_t* ib = b.innerIndexPtr();
  const float* va = a.valuePtr();
  const float* vb = b.valuePtr();
  const int64_t na = a.nonZeros(), nb = b.nonZeros();
  int64_t i = 0, j = 0;
  float sum = 0;
  while (i < na && j < nb) {
    const int64_t x = ia[i], y = ib[j];
    if (x == y) sum += va[i] * vb[j];
    i += x <= y;
    j += y <= x;
  }
  return sum;
}

// Lookup table of one sparse vector's entries for dot products with several others:
// Dot(b) == ::Dot(a, b) bit for bit (the products of the common indices summed in index order,
// in float, a's value first), in one pass over b: a bitmap filter, computed for all of b's
// entries without branches (a hit is unpredictable), then a probe for those that pass.
class VecTable {
 public:
  void Build(const SparseVec& a) {
    for (uint32_t h : used_) slots_[h].id = kFree;
    used_.clear();
    std::fill(std::begin(filter_), std::end(filter_), 0);
    size_t want = 16;
    while (want < 4 * static_cast<size_t>(a.nonZeros())) want *= 2;
    if (slots_.size() < want) slots_.assign(want, Slot{kFree, 0});
    mask_ = slots_.size() - 1;
    for (SparseVec::InnerIterator it(a); it; ++it) {
      const uint64_t id = static_cast<uint64_t>(it.index());
      size_t h = Home(id);
      while (slots_[h].id != kFree) h = (h + 1) & mask_;
      slots_[h] = Slot{id, it.value()};
      used_.push_back(static_cast<uint32_t>(h));
      filter_[Bit(id) / 64] |= uint64_t{1} << (Bit(id) % 64);
    }
  }
  float Dot(const SparseVec& b) {
    const int64_t* idx = b.innerIndexPtr();
    const float* val = b.valuePtr();
    const size_t n = static_cast<size_t>(b.nonZeros());
    if (pos_.size() < n) pos_.resize(n);
    uint32_t* pos = pos_.data();
    size_t m = 0;
    for (size_t k = 0; k < n; ++k) {
      const size_t bit = Bit(static_cast<uint64_t>(idx[k]));
      pos[m] = static_cast<uint32_t>(k);
      m += filter_[bit / 64] >> (bit % 64) & 1;
    }
    float sum = 0;
    for (size_t j = 0; j < m; ++j) {
      const uint32_t k = pos[j];
      const uint64_t id = static_cast<uint64_t>(idx[k]);
      size_t h = Home(id);
      while (slots_[h].id != id && slots_[h].id != kFree) h = (h + 1) & mask_;
      if (slots_[h].id == id) sum += slots_[h].w * val[k];
    }
    return sum;
  }

 private:
  static constexpr uint64_t kFree = ~uint64_t{0};
  static constexpr size_t kBits = 4096;
  struct Slot {
    uint64_t id;
    float w;
  };
  static size_t Bit(uint64_t id) { return (id >> 40) & (kBits - 1); }
  size_t Home(uint64_t id) const { return (id ^ (id >> 29)) & mask_; }
  std::vector<Slot> slots_;
  std::vector<uint32_t> used_, pos_;
  uint64_t filter_[kBits / 64] = {};
  size_t mask_ = 0;
};

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
};

static_assert(std::is_nothrow_move_constructible_v<Story>, "vector<Story> must move, not copy");

struct StoryClustererState {
  StoryOptions opt;
  // Corpus statistics.
  TermTable df;
  TermStat recent_docs;  // the same decayed count over all documents

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
  void Bump(TermStat* r, int32_t hour, double hl) const {
    if (r->recent == 0 || hour >= r->hour) {
      r->recent = static_cast<float>(Decayed(r->recent, r->hour, hour, hl) + 1);
      r->hour = hour;
    } else {  // an older document arriving late: add its decayed contribution
      r->recent += static_cast<float>(HourDecay(r->hour - hour, hl));
    }
  }
  bool UsesBurst(int64_t date) const { return date != kNoDate && opt.burst_exponent != 0; }
  // Counts the document in the recent-documents total; its terms are bumped in BuildVector.
  void UpdateRecent(int64_t date) {
    if (!UsesBurst(date)) return;
    Bump(&recent_docs, static_cast<int32_t>(date / 3600), HalfLifeHours());
  }
  // (recent rate / corpus rate) of a term, smoothed with burst_prior pseudo-documents,
  // clamped to [1, 16], raised to burst_exponent.
  // `all_recent`: RecentDocs(date), the same for every term of a document.
  double RecentDocs(int64_t date) const {
    if (!UsesBurst(date)) return 0;
    return Decayed(recent_docs.recent, recent_docs.hour, static_cast<int32_t>(date / 3600),
                   HalfLifeHours());
  }
  double Burst(const TermStat* ts, double df_t, double n, int64_t date, double all_recent) const {
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
  absl::flat_hash_map<uint32_t, uint32_t> source_docs;
  SourceDf source_df;
  uint64_t num_counted = 0;      // N
  uint64_t pending_counted = 0;  // CountDocument calls not yet matched by an Assign
  // Stories.
  std::vector<Story> stories;
  std::vector<uint32_t> slot_story;  // slot -> story index, kNone if unassigned
  // stories[i].size if stories[i].active, else 0; compact (read once per posting).
  std::vector<uint32_t> live_size;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> postings;
  std::vector<uint32_t> active;  // indices of active stories (may hold inactive ones)
  int64_t max_date = kNoDate;
  uint64_t assigned = 0;
  // Term spellings: id -> (offset, length) in arena.
  std::string arena;
  absl::flat_hash_map<uint64_t, std::pair<uint32_t, uint32_t>> spellings;
  // Terms of the centroids of forgotten stories (Forget) that have a spelling: Serialize
  // still writes their spellings, as it would if the stories were kept, so a reopened
  // clusterer shows the same top terms whether it forgot stories or not.
  absl::flat_hash_set<uint64_t> forgotten_terms;
  // Scratch.
  struct Weighted {
    float w, lw;  // weight in the full and the lead vector (0: not in the lead)
    uint64_t id;
    bool linkable;  // df >= 2: may be shared with a story
  };
  std::vector<Weighted> weighted, lead_weighted;
  std::vector<uint64_t> sketch_keys;  // BuildVector: per term, its SourceDf key if it needs one
  std::vector<std::pair<float, uint64_t>> query;  // heaviest terms some other doc has
  std::vector<uint32_t> visit_stamp;
  std::vector<uint8_t> hits;      // query terms under which a story was found (this stamp)
  std::vector<uint32_t> touched;  // stories found for the current document
  std::vector<std::vector<uint32_t>*> query_lists;      // posting lists of the query terms
  std::vector<std::pair<double, uint32_t>> candidates;  // (decayed doc score, story index)
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> absorb_heap;
  uint32_t stamp = 0;
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
  }

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

  explicit StoryClustererState(const StoryOptions& o) : opt(o), source_df(o.source_df_log2_width) {
    const double hl = HalfLifeHours();
    hour_decay.resize(kHourTable);
    for (int32_t k = 0; k < kHourTable; ++k) hour_decay[k] = std::exp2(-k / hl);
    log_int[0] = -std::numeric_limits<double>::infinity();
    for (int k = 1; k < kLogTable; ++k) log_int[k] = std::log(static_cast<double>(k));
  }

  static constexpr size_t kPrefetchAhead = 8;

  void Count(const StoryFeatures& f, uint32_t source) {
    ++num_counted;
    ++source_docs[source];
    const uint16_t tag = SourceTag(source);
    for (size_t i = 0; i < std::min(2 * kPrefetchAhead, f.terms.size()); ++i) {
      df.Prefetch(f.terms[i].id);
    }
    // Pass 1: the term table (2 * kPrefetchAhead terms ahead); the sketch keys of the terms
    // whose dominant source is another one are collected and their lines prefetched, so most
    // have arrived when pass 2 updates the sketch in the same order (a conservative update
    // depends on it), kPrefetchAhead keys ahead of the rest.
    count_keys.clear();
    for (size_t i = 0; i < f.terms.size(); ++i) {
      if (i + 2 * kPrefetchAhead < f.terms.size()) df.Prefetch(f.terms[i + 2 * kPrefetchAhead].id);
      TermStat& ts = df[f.terms[i].id];
      ++ts.df;
      if (ts.src == 0) ts.src = tag;
      if (tag != 0 && ts.src == tag) {
        if (ts.src_df != 0xFFFF) ++ts.src_df;
      } else {
        const uint64_t key = SourceDf::Key(source, f.terms[i].id);
        source_df.Prefetch(key);
        count_keys.push_back(key);
      }
    }
    const size_t nk = count_keys.size();
    for (size_t i = 0; i < nk; ++i) {
      if (i + kPrefetchAhead < nk) source_df.Prefetch(count_keys[i + kPrefetchAhead]);
      source_df.Add(count_keys[i]);
    }
  }
  std::vector<uint64_t> count_keys;  // Count's scratch
  // Documents of the source tagged `tag` containing the term (exact for its dominant source,
  // else the sketch's estimate under `key`, SourceDf::Key(source, term), read only then).
  uint32_t SourceCount(const TermStat* ts, uint16_t tag, const uint64_t& key) const {
    if (ts != nullptr && tag != 0 && ts->src == tag) return ts->src_df;
    return source_df.Count(key);
  }

  // Keeps the first spelling received for each term id. CountDocument calls it in input order
  // and a featurizer sees its documents in input order, so the first spelling of an id is that
  // of the first document containing it, whichever featurizer made that document's features:
  // the shown spellings do not depend on the threads.
  void StoreStrings(const StoryFeatures& f) {
    size_t n = std::min(f.new_strings.size(), f.new_string_ids.size());
    for (size_t i = 0; i < n; ++i) {
      auto [it, inserted] = spellings.try_emplace(f.new_string_ids[i]);
      if (!inserted) continue;
      const std::string& s = f.new_strings[i];
      it->second = {static_cast<uint32_t>(arena.size()), static_cast<uint32_t>(s.size())};
      arena.append(s);
    }
  }

  // The document's terms with corpus-supported clitic readings applied (StoryOptions::
  // clitic_min_df): `f` itself if no term is read as its alt_id, else `resolved` (sorted by id,
  // a term present under both forms merged, tfs summed).
  StoryFeatures resolved;
  std::vector<uint32_t> alt_terms;        // indices of the terms with an alt_id
  std::vector<StoryFeatures::Term> subs;  // terms read as their alt_id (id = alt_id)
  std::vector<uint32_t> subs_at;          // their indices in the document's terms
  const StoryFeatures& ResolveClitics(const StoryFeatures& f) {
    if (opt.clitic_min_df == 0) return f;
    alt_terms.clear();
    for (size_t i = 0; i < f.terms.size(); ++i) {
      if (f.terms[i].alt_id != StoryFeatures::kNoAlt) alt_terms.push_back(static_cast<uint32_t>(i));
    }
    auto prefetch = [&](size_t k) {
      if (k >= alt_terms.size()) return;
      df.Prefetch(f.terms[alt_terms[k]].id);
      df.Prefetch(f.terms[alt_terms[k]].alt_id);
    };
    for (size_t k = 0; k < kPrefetchAhead; ++k) prefetch(k);
    subs.clear();
    subs_at.clear();
    for (size_t k = 0; k < alt_terms.size(); ++k) {
      prefetch(k + kPrefetchAhead);
      const StoryFeatures::Term& t = f.terms[alt_terms[k]];
      const TermStat* fs = df.Find(t.id);
      const double full = fs == nullptr ? 0.0 : fs->df;
      if (full > opt.clitic_max_full_df) continue;
      const TermStat* as = df.Find(t.alt_id);
      if (as == nullptr || as->df < opt.clitic_min_df || as->df < opt.clitic_df_ratio * full) {
        continue;
      }
      subs.push_back(t);
      subs.back().id = t.alt_id;
      subs.back().alt_id = StoryFeatures::kNoAlt;
      subs_at.push_back(alt_terms[k]);  // ascending
    }
    if (subs.empty()) return f;
    // The kept terms are still sorted by id: merge the (few) read terms into them.
    std::sort(
        subs.begin(), subs.end(),
        [](const StoryFeatures::Term& a, const StoryFeatures::Term& b) { return a.id < b.id; });
    auto& v = resolved.terms;
    v.clear();
    auto sat = [](uint16_t a, uint16_t b) {
      return static_cast<uint16_t>(std::min<uint32_t>(uint32_t{a} + b, 0xFFFF));
    };
    auto push = [&v, &sat](const StoryFeatures::Term& t) {
      if (!v.empty() && v.back().id == t.id) {  // a term present under both forms
        StoryFeatures::Term& m = v.back();
        m.title_tf = sat(m.title_tf, t.title_tf);
        m.body_tf = sat(m.body_tf, t.body_tf);
        m.lead_tf = sat(m.lead_tf, t.lead_tf);
        m.alt_id = StoryFeatures::kNoAlt;
      } else {
        v.push_back(t);
      }
    };
    size_t skip = 0, j = 0;
    for (size_t i = 0; i < f.terms.size(); ++i) {
      if (skip < subs_at.size() && subs_at[skip] == i) {
        ++skip;
        continue;
      }
      const StoryFeatures::Term& t = f.terms[i];
      while (j < subs.size() && subs[j].id <= t.id) push(subs[j++]);
      push(t);
    }
    while (j < subs.size()) push(subs[j++]);
    return resolved;
  }

  // Fills out->doc (the doc_terms heaviest terms, scaled by the full vector's norm),
  // out->lead_doc (the same for title + lead, if lead_score) and out->query (the query_terms
  // terms with df >= 2 that weigh most in either unit vector, heaviest first). Depends only on
  // the sequence of documents (df, recent counts), never on stories: AssignBatch runs it on a
  // second thread ahead of the clustering.
  void BuildVector(const StoryFeatures& f, uint32_t source, bool final_df, int64_t date,
                   DocVectors* out) {
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
      } else {
        ts = df.Find(t.id);
      }
      const double tf = t.body_tf + opt.lead_weight * t.lead_tf + opt.title_weight * t.title_tf;
      if (tf <= 0) continue;
      const uint32_t di = ts == nullptr ? 1 : std::max<uint32_t>(ts->df, 1);
      const double d = di;
      if (df_cut && d > max_df) continue;
      double idf;
      if (di < kIdfTable && idf_valid[di] == idf_stamp) {
        idf = idf_cache[di];
      } else {
        idf = std::log1p(prior_n / (d + prior_df));
        if (di < kIdfTable) {
          idf_cache[di] = idf;
          idf_valid[di] = idf_stamp;
        }
      }
      // The source discount ln(1 + ns / ds) only matters when it is below idf, i.e. when
      // ns / ds < prior_n / (d + prior_df).
      const uint32_t dsi = std::max<uint32_t>(SourceCount(ts, tag, sketch_keys[i]), 1);
      const double ds = dsi;
      if (ns * (d + prior_df) < prior_n * ds) {
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
      const double iw = idf * Burst(ts, d, n, date, all_recent);
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

  // Top-k selection under the order "heavier first, then lower id" (a strict total order on
  // entries with distinct ids) by weight alone: the k heaviest of entries visited in id order
  // are those heavier than the k-th largest weight t, then the first `equal` of weight t.
  struct TopK {
    float t;
    size_t equal;
    // Whether the next entry in id order, of weight x, is among the k heaviest.
    bool Take(float x) {
      if (x > t) return true;
      if (x < t || equal == 0) return false;
      --equal;
      return true;
    }
  };
  // *weights: the weights of n > k >= 1 entries, in any order (permuted).
  static TopK SelectTopK(std::vector<float>* weights, size_t k) {
    std::vector<float>& v = *weights;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k - 1), v.end(),
                     std::greater<float>());
    const float t = v[k - 1];  // v[0, k - 1) are >= t, the rest <= t
    size_t above = 0;
    for (size_t i = 0; i + 1 < k; ++i) above += v[i] > t;
    return TopK{t, k - above};
  }
  // BuildVector's and Fill's scratch (AssignBatch runs them on its second thread).
  std::vector<float> fill_weights;
  std::vector<uint64_t> query_ids, query_keys;

  // Writes the doc_terms heaviest entries of *ws (by field `w`, scaled by `inv`) into *out and
  // returns the squared mass of the unit vector left out.
  float Fill(std::vector<Weighted>* ws, float Weighted::*w, float inv, bool nonzero,
             SparseVec* out) {
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

  static int64_t Gap(const Story& s, int64_t date) {
    if (date == kNoDate || s.first_date == kNoDate) return 0;
    if (date < s.first_date) return s.first_date - date;
    if (date > s.last_date) return date - s.last_date;
    return 0;
  }

  // Time decay of a gap (within the window): 0.5^(gap / half-life), at least decay_floor.
  double Decay(int64_t gap) const {
    if (gap == 0) return std::max(opt.decay_floor, 1.0);  // exp2(-0.0) == 1
    return std::max(opt.decay_floor, std::exp2(-static_cast<double>(gap) /
                                               static_cast<double>(opt.decay_half_life_seconds)));
  }

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
  VecTable pair_table;              // MaybeMerge's and BestAbsorber's scratch
  std::vector<uint32_t> doc_table_used;
  uint64_t doc_filter[kFilterBits / 64] = {};

  static size_t FilterBit(uint64_t id) { return (id >> 40) & (kFilterBits - 1); }

  DocEntry* DocSlot(uint64_t id) {
    const size_t mask = doc_table.size() - 1;
    size_t h = (id ^ (id >> 29)) & mask;
    while (doc_table[h].id != kEmptyId && doc_table[h].id != id) h = (h + 1) & mask;
    return &doc_table[h];
  }

  void BuildDocTable() {
    for (uint32_t h : doc_table_used) doc_table[h].id = kEmptyId;
    doc_table_used.clear();
    std::fill(std::begin(doc_filter), std::end(doc_filter), 0);
    size_t want = 16;
    while (want < 4 * static_cast<size_t>(doc.nonZeros() + lead_doc.nonZeros())) want *= 2;
    if (doc_table.size() < want) doc_table.assign(want, DocEntry{kEmptyId, 0, 0});
    auto add = [this](const SparseVec& v, bool lead) {
      for (SparseVec::InnerIterator it(v); it; ++it) {
        const uint64_t id = static_cast<uint64_t>(it.index());
        DocEntry* e = DocSlot(id);
        if (e->id == kEmptyId) {
          *e = DocEntry{id, 0, 0};
          doc_table_used.push_back(static_cast<uint32_t>(e - doc_table.data()));
          doc_filter[FilterBit(id) / 64] |= uint64_t{1} << (FilterBit(id) % 64);
        }
        (lead ? e->lw : e->w) = it.value();
      }
    };
    add(doc, false);
    add(lead_doc, true);
  }

  // Decayed score of the current document (doc, lead_doc) against story s.
  double Score(const Story& s, int64_t gap) {
    const int64_t* idx = s.centroid.innerIndexPtr();
    const float* val = s.centroid.valuePtr();
    const int64_t n = s.centroid.nonZeros();
    // Pass 1, without branches (a filter hit is unpredictable): the positions that pass the
    // filter. Pass 2 probes them, in index order.
    if (score_pos.size() < static_cast<size_t>(n)) score_pos.resize(static_cast<size_t>(n));
    uint32_t* pos = score_pos.data();
    size_t m = 0;
    for (int64_t k = 0; k < n; ++k) {
      const size_t bit = FilterBit(static_cast<uint64_t>(idx[k]));
      pos[m] = static_cast<uint32_t>(k);
      m += doc_filter[bit / 64] >> (bit % 64) & 1;
    }
    float full = 0, lead = 0;
    for (size_t j = 0; j < m; ++j) {
      const uint32_t k = pos[j];
      const DocEntry* e = DocSlot(static_cast<uint64_t>(idx[k]));
      if (e->id == kEmptyId) continue;
      full += e->w * val[k];
      lead += e->lw * val[k];
    }
    double dot = static_cast<double>(full);
    if (opt.lead_score && lead_doc.nonZeros() > 0) dot = std::max(dot, static_cast<double>(lead));
    return dot / s.norm * Decay(gap);
  }

  // Starts a walk over posting lists: a new stamp (visit_stamp[si] == stamp: story si seen in
  // this walk, hits[si] its count), the arrays sized for every story.
  void NewVisit() {
    if (++stamp == 0) {
      std::fill(visit_stamp.begin(), visit_stamp.end(), 0);
      stamp = 1;
    }
    visit_stamp.resize(stories.size(), 0);
    hits.resize(stories.size(), 0);
  }

  // Best candidate story (index) with its decayed score, or kNone. Fills `candidates`.
  uint32_t FindStory(int64_t date, double* best_score) {
    NewVisit();
    candidates.clear();
    touched.clear();
    uint32_t best = StoryClusterer::kNone;
    *best_score = 0;
    bool table_ready = false;
    // Pass 0: all query terms' posting lists found first, their data prefetched (the lookups
    // and the list reads are independent cache misses).
    for (const auto& [w, term] : query) postings.prefetch(term);
    query_lists.clear();
    for (const auto& [w, term] : query) {
      auto pit = postings.find(term);
      if (pit == postings.end()) continue;
      std::vector<uint32_t>& list = pit->second;
      if (list.size() > opt.max_postings) continue;  // not discriminative
      __builtin_prefetch(list.data());
      query_lists.push_back(&list);
    }
    // Pass 1: count the query terms under which each story is posted.
    for (std::vector<uint32_t>* lp : query_lists) {
      std::vector<uint32_t>& list = *lp;
      for (size_t j = 0; j < list.size();) {
        const uint32_t si = list[j];
        if (live_size[si] == 0) {  // lazily drop stale stories from the index
          list[j] = list.back();
          list.pop_back();
          continue;
        }
        ++j;
        if (visit_stamp[si] != stamp) {
          visit_stamp[si] = stamp;
          hits[si] = 1;
          touched.push_back(si);
        } else if (hits[si] < 255) {
          ++hits[si];
        }
      }
    }
    // Pass 2: score the stories found under enough terms. Their Story records are prefetched
    // first, then each one's centroid arrays a story ahead of its scoring (scattered cache
    // misses: the stories found are spread over all of them).
    const uint8_t need = query.size() >= 2 ? 2 : 1;
    size_t found = 0;
    for (uint32_t si : touched) {
      if (hits[si] < need) continue;
      touched[found++] = si;  // in the same order
      __builtin_prefetch(&stories[si].first_date);
      __builtin_prefetch(&stories[si].centroid);
    }
    touched.resize(found);
    auto prefetch_centroid = [this](uint32_t si) {
      const Centroid& c = stories[si].centroid;
      __builtin_prefetch(c.innerIndexPtr());
      __builtin_prefetch(c.valuePtr());
    };
    if (found > 0) prefetch_centroid(touched[0]);
    for (size_t k = 0; k < found; ++k) {
      const uint32_t si = touched[k];
      if (k + 1 < found) prefetch_centroid(touched[k + 1]);
      const Story& s = stories[si];
      const int64_t gap = Gap(s, date);
      if (gap > opt.window_seconds || s.norm <= 0) continue;
      if (!table_ready) {
        BuildDocTable();
        table_ready = true;
      }
      const double score = Score(s, gap);
      candidates.emplace_back(score, si);
      if (score > *best_score || (score == *best_score && best != StoryClusterer::kNone &&
                                  s.anchor < stories[best].anchor)) {
        *best_score = score;
        best = si;
      }
    }
    return best;
  }

  // Rank keys: for a non-negative weight w at position pos of a list in ascending id order,
  // (bits of w) << 32 | (2^32 - 1 - pos). A larger key is heavier, or as heavy with a lower id,
  // so comparing keys as integers decides exactly as Heavier() does on (weight, id) pairs (a
  // selection over keys permutes them as it would permute the pairs).
  static uint64_t RankKey(float w, size_t pos) {
    return uint64_t{std::bit_cast<uint32_t>(w + 0.0f)} << 32 | (0xFFFFFFFFu - pos);  // -0 -> +0
  }
  static float RankWeight(uint64_t key) { return std::bit_cast<float>(uint32_t(key >> 32)); }

  // Keeps the `keep` heaviest of the n entries (ids[], ws[]) (in index order) in *v (in index
  // order), adds the squared mass removed to *residual2 (summed in std::nth_element's order).
  void SelectInto(const int64_t* ids, const float* ws, size_t n, size_t keep, float* residual2,
                  SparseVec* v) {
    std::vector<uint64_t>& keys = rank_keys;
    keys.resize(n);
    for (size_t k = 0; k < n; ++k) keys[k] = RankKey(ws[k], k);
    std::nth_element(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(keep), keys.end(),
                     std::greater<uint64_t>());
    for (size_t k = keep; k < n; ++k) {
      const float w = RankWeight(keys[k]);
      *residual2 += w * w;
    }
    // The keep heaviest are those heavier than the (keep+1)-th (a strict total order).
    const uint64_t next = keys[keep];
    v->resizeNonZeros(static_cast<int64_t>(keep));
    int64_t* vi = v->innerIndexPtr();
    float* vv = v->valuePtr();
    size_t out = 0;
    for (size_t k = 0; k < n; ++k) {
      if (RankKey(ws[k], k) <= next) continue;
      vi[out] = ids[k];
      vv[out] = ws[k];
      ++out;
    }
  }
  std::vector<uint64_t> rank_keys;  // SelectInto's scratch
  std::vector<int64_t> merged_ids;  // Truncate's and AddTruncated's scratch
  std::vector<float> merged_ws;

  // Keeps the `keep` heaviest entries of v, adds the squared mass removed to *residual2 and
  // returns the full norm sqrt(|v|^2 + *residual2).
  float Truncate(SparseVec* v, size_t keep, float* residual2) {
    const size_t n = static_cast<size_t>(v->nonZeros());
    if (n > keep) {
      merged_ids.assign(v->innerIndexPtr(), v->innerIndexPtr() + n);
      merged_ws.assign(v->valuePtr(), v->valuePtr() + n);
      SelectInto(merged_ids.data(), merged_ws.data(), n, keep, residual2, v);
    }
    return static_cast<float>(std::sqrt(v->squaredNorm() + *residual2));
  }

  // *c += d (a merge join in index order, no allocation in steady state), then Truncate's
  // selection of the `keep` heaviest entries; returns the full norm like Truncate.
  float AddTruncated(SparseVec* c, const SparseVec& d, size_t keep, float* residual2) {
    const int64_t* ia = c->innerIndexPtr();
    const int64_t* ib = d.innerIndexPtr();
    const float* va = c->valuePtr();
    const float* vb = d.valuePtr();
    const int64_t na = c->nonZeros(), nb = d.nonZeros();
    merged_ids.resize(static_cast<size_t>(na + nb));
    merged_ws.resize(static_cast<size_t>(na + nb));
    int64_t* mi = merged_ids.data();
    float* mw = merged_ws.data();
    size_t n = 0;
    int64_t i = 0, j = 0;
    while (i < na && j < nb) {
      if (ia[i] == ib[j]) {
        mi[n] = ia[i];
        mw[n++] = va[i] + vb[j];
        ++i;
        ++j;
      } else if (ia[i] < ib[j]) {
        mi[n] = ia[i];
        mw[n++] = va[i];
        ++i;
      } else {
        mi[n] = ib[j];
        mw[n++] = vb[j];
        ++j;
      }
    }
    for (; i < na; ++i) {
      mi[n] = ia[i];
      mw[n++] = va[i];
    }
    for (; j < nb; ++j) {
      mi[n] = ib[j];
      mw[n++] = vb[j];
    }
    if (n > keep) {
      SelectInto(mi, mw, n, keep, residual2, c);
    } else {
      c->resizeNonZeros(static_cast<int64_t>(n));
      std::copy(mi, mi + n, c->innerIndexPtr());
      std::copy(mw, mw + n, c->valuePtr());
    }
    return static_cast<float>(std::sqrt(c->squaredNorm() + *residual2));
  }

  // std::lower_bound's index without data-dependent branches (the probes of a posted list are
  // unpredictable).
  static size_t LowerBound(const uint64_t* first, size_t n, uint64_t key) {
    if (n == 0) return 0;
    const uint64_t* base = first;
    while (n > 1) {
      const size_t half = n / 2;
      base = base[half] < key ? base + half : base;
      n -= half;
    }
    return static_cast<size_t>(base - first) + (*base < key);
  }

  static bool Heavier(const std::pair<float, int64_t>& a, const std::pair<float, int64_t>& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  }

  // Whether IndexStory(si) would post a new term after the current document was added to
  // story si. Centroid weights never decrease while a story takes documents and truncation
  // keeps the heaviest, so the index_terms-th heaviest entry is at least as heavy as at the
  // last IndexStory; only the document's terms changed, so only they can enter the top
  // index_terms: if none of them that is at least as heavy as that entry is unposted,
  // IndexStory would change nothing.
  bool NeedsIndex(const Story& s) const {
    const std::pair<float, int64_t> floor{s.index_w, s.index_id};
    const int64_t* ic = s.centroid.innerIndexPtr();
    const float* vc = s.centroid.valuePtr();
    const int64_t* id = doc.innerIndexPtr();
    const int64_t nc = s.centroid.nonZeros(), nd = doc.nonZeros();
    for (int64_t i = 0, j = 0; i < nc && j < nd;) {
      if (ic[i] < id[j]) {
        ++i;
      } else if (id[j] < ic[i]) {
        ++j;
      } else {
        if (!Heavier(floor, {vc[i], ic[i]})) {
          const uint64_t t = static_cast<uint64_t>(ic[i]);
          const size_t pos = LowerBound(s.posted.data(), s.posted.size(), t);
          if (pos == s.posted.size() || s.posted[pos] != t) return true;
        }
        ++i;
        ++j;
      }
    }
    return false;
  }

  void IndexStory(uint32_t si) {
    Story& s = stories[si];
    const int64_t* ic = s.centroid.innerIndexPtr();
    const float* vc = s.centroid.valuePtr();
    const size_t nc = static_cast<size_t>(s.centroid.nonZeros());
    const size_t m = std::min<size_t>(opt.index_terms, nc);
    // The top m as a set (a strict total order: the same set as a sort), in id order. If at
    // least m entries are not lighter than the lightest posted-by-rank entry of the last call
    // (the floor; centroid weights only grow while a story is active, so this is the usual
    // case), the top m are among them: only their positions (found without branches) are
    // looked at.
    TopK top{-std::numeric_limits<float>::infinity(), 0};  // takes everything
    if (index_pos.size() < nc) index_pos.resize(nc);
    uint32_t* cand = index_pos.data();
    size_t nk = 0;
    if (m < nc) {
      const float fw = s.index_w;
      const int64_t fid = s.index_id;
      for (size_t k = 0; k < nc; ++k) {
        cand[nk] = static_cast<uint32_t>(k);
        nk += (vc[k] > fw) | ((vc[k] == fw) & (ic[k] <= fid));
      }
    }
    if (nk < m) {  // all entries
      nk = nc;
      for (size_t k = 0; k < nc; ++k) cand[k] = static_cast<uint32_t>(k);
    }
    if (m < nc) {
      index_weights.resize(nk);
      for (size_t j = 0; j < nk; ++j) index_weights[j] = vc[cand[j]];
      top = SelectTopK(&index_weights, m);
    }
    s.index_w = 0;
    s.index_id = std::numeric_limits<int64_t>::max();
    index_new.clear();
    size_t pos = 0;  // s.posted (sorted) is walked along
    for (size_t j = 0; j < nk; ++j) {
      const size_t k = cand[j];
      if (!top.Take(vc[k])) continue;
      if (m < nc) {  // the lightest of the top m: the last one taken of weight t
        if (vc[k] == top.t) {
          s.index_w = vc[k];
          s.index_id = ic[k];
        }
      }
      const uint64_t id = static_cast<uint64_t>(ic[k]);
      while (pos < s.posted.size() && s.posted[pos] < id) ++pos;
      if (pos < s.posted.size() && s.posted[pos] == id) continue;
      index_new.push_back(id);
      postings[id].push_back(si);
    }
    if (!index_new.empty()) {  // posted is kept sorted
      size_t i = s.posted.size(), j = index_new.size(), out = i + j;
      s.posted.resize(out);
      while (j > 0) {  // merged from the back, in place
        if (i > 0 && s.posted[i - 1] > index_new[j - 1]) {
          s.posted[--out] = s.posted[--i];
        } else {
          s.posted[--out] = index_new[--j];
        }
      }
    }
  }
  std::vector<float> index_weights;  // IndexStory's scratch
  std::vector<uint32_t> index_pos;
  std::vector<uint64_t> index_new;

  void AddToStory(uint32_t si, int64_t date, uint32_t source, bool new_group) {
    Story& s = stories[si];
    ++s.size;
    if (s.active) live_size[si] = s.size;
    if (new_group) ++s.groups;
    if (date != kNoDate) {
      if (s.first_date == kNoDate) {
        s.first_date = s.last_date = date;
      } else {
        s.first_date = std::min(s.first_date, date);
        s.last_date = std::max(s.last_date, date);
      }
    }
    auto pos = std::lower_bound(s.sources.begin(), s.sources.end(), source);
    if (pos == s.sources.end() || *pos != source) s.sources.insert(pos, source);
    s.residual2 += doc_residual2;
    s.norm = AddTruncated(&s.centroid, doc, s.active ? opt.centroid_terms : opt.summary_terms,
                          &s.residual2);
    if (s.active && NeedsIndex(s)) IndexStory(si);
  }

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

  static int64_t SpanGap(const Story& a, const Story& b) {
    if (a.first_date == kNoDate || b.first_date == kNoDate) return 0;
    if (a.last_date < b.first_date) return b.first_date - a.last_date;
    if (b.last_date < a.first_date) return a.first_date - b.last_date;
    return 0;
  }

  // Merges story `from` into story `into` (both roots).
  void Merge(uint32_t from, uint32_t into) {
    Story& a = stories[from];
    Story& b = stories[into];
    a.parent = into;
    b.size += a.size;
    b.groups += a.groups;
    b.linked = b.linked || a.linked;
    if (a.first_date != kNoDate) {
      b.first_date = b.first_date == kNoDate ? a.first_date : std::min(b.first_date, a.first_date);
      b.last_date = b.last_date == kNoDate ? a.last_date : std::max(b.last_date, a.last_date);
    }
    std::vector<uint32_t> src;
    std::set_union(a.sources.begin(), a.sources.end(), b.sources.begin(), b.sources.end(),
                   std::back_inserter(src));
    b.sources = std::move(src);
    b.centroid += a.centroid;
    b.residual2 += a.residual2;
    b.norm = Truncate(&b.centroid, opt.centroid_terms, &b.residual2);
    a.active = false;
    live_size[from] = 0;
    live_size[into] = b.size;
    a.centroid = Centroid();
    a.norm = 0;
    a.sources = {};
    a.posted = {};
    IndexStory(into);
  }

  // After story `si` took a document: merges it with candidate stories whose centroids are
  // now similar enough (the document bridged two fragments of one event). Returns the root.
  uint32_t MaybeMerge(uint32_t si) {
    if (!opt.merge_stories) return si;
    const double floor = 0.5 * opt.threshold;
    candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                    [floor](const auto& c) { return c.first < floor; }),
                     candidates.end());
    constexpr size_t kMaxTried = 8;  // only the heaviest kMaxTried are looked at
    std::partial_sort(candidates.begin(),
                      candidates.begin() + std::min(kMaxTried, candidates.size()), candidates.end(),
                      [](const auto& x, const auto& y) {
                        return x.first > y.first || (x.first == y.first && x.second < y.second);
                      });
    size_t tried = 0;
    uint32_t table_of = StoryClusterer::kNone;  // the story whose centroid is in pair_table
    for (const auto& [doc_score, ti] : candidates) {
      if (doc_score < 0.5 * opt.threshold || tried >= kMaxTried) break;
      ++tried;
      uint32_t t = Root(ti);
      si = Root(si);
      if (t == si || !stories[t].active || !stories[si].active) continue;
      const Story& a = stories[si];
      const Story& b = stories[t];
      if (a.norm <= 0 || b.norm <= 0) continue;
      int64_t gap = SpanGap(a, b);
      if (gap > opt.window_seconds) continue;
      if (table_of != si) {
        pair_table.Build(a.centroid);
        table_of = si;
      }
      double cos = pair_table.Dot(b.centroid) / (double{a.norm} * b.norm);
      cos *= Decay(gap);
      if (cos < opt.merge_threshold) continue;
      // The older story (earlier anchor) survives.
      if (stories[t].anchor < stories[si].anchor) {
        Merge(si, t);
        si = t;
      } else {
        Merge(t, si);
      }
      table_of = StoryClusterer::kNone;  // si's centroid changed
    }
    return si;
  }

  // Decayed cosine of two stories' centroids, 0 if they are more than a window apart.
  double PairScore(const Story& x, const Story& y) const {
    if (x.norm <= 0 || y.norm <= 0) return 0;
    const int64_t gap = SpanGap(x, y);
    if (gap > opt.window_seconds) return 0;
    return Dot(x.centroid, y.centroid) / (double{x.norm} * y.norm) * Decay(gap);
  }
  // A single document joins with the document criterion (threshold), fragments of several
  // documents with merge_threshold.
  double PairThreshold(const Story& x, const Story& y) const {
    return x.size == 1 || y.size == 1 ? opt.threshold : opt.merge_threshold;
  }

  // Batch refinement (StoryOptions::refine_batch): agglomerative merging of the active stories,
  // best pair first. Candidate pairs come from the inverted index (stories sharing a posted
  // term with a short posting list); a popped pair whose stories were merged meanwhile is
  // rescored against the current roots.
  void Refine() {
    struct Pair {
      double score;
      uint32_t a, b;
      bool operator<(const Pair& o) const {
        return score < o.score || (score == o.score && (a > o.a || (a == o.a && b > o.b)));
      }
    };
    std::vector<Pair> heap;
    visit_stamp.assign(stories.size(), 0);
    stamp = 0;
    for (uint32_t a : active) {
      const Story& x = stories[a];
      if (!x.active || x.parent != a) continue;
      ++stamp;
      for (uint64_t term : x.posted) {
        auto pit = postings.find(term);
        if (pit == postings.end() || pit->second.size() > opt.max_postings) continue;
        for (uint32_t b : pit->second) {
          if (b <= a || visit_stamp[b] == stamp) continue;  // each pair once
          visit_stamp[b] = stamp;
          const Story& y = stories[b];
          if (!y.active || y.parent != b) continue;
          const double score = PairScore(x, y);
          if (score >= PairThreshold(x, y)) heap.push_back({score, a, b});
        }
      }
    }
    std::make_heap(heap.begin(), heap.end());
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end());
      const Pair p = heap.back();
      heap.pop_back();
      const uint32_t ra = Root(p.a), rb = Root(p.b);
      if (ra == rb) continue;
      if (ra != p.a || rb != p.b) {  // stale: rescore the current roots
        const double score = PairScore(stories[ra], stories[rb]);
        if (score >= PairThreshold(stories[ra], stories[rb])) {
          heap.push_back({score, std::min(ra, rb), std::max(ra, rb)});
          std::push_heap(heap.begin(), heap.end());
        }
        continue;
      }
      // The older story (earlier anchor) survives.
      if (stories[ra].anchor < stories[rb].anchor) {
        Merge(rb, ra);
      } else {
        Merge(ra, rb);
      }
    }
  }

  // Story-level second look (StoryOptions::absorb_threshold). The story that would absorb
  // final story `fi`: found under at least two of fi's posted terms (posting lists of at most
  // max_postings), at least absorb_ratio times its size, overlapping it in time, their union
  // spanning at most the window, with the best centroid cosine >= absorb_threshold; kNone if
  // none.
  uint32_t BestAbsorber(uint32_t fi) {
    const Story& f = stories[fi];
    NewVisit();
    touched.clear();
    const double min_size = std::max(1.0, opt.absorb_ratio * f.size);
    for (uint64_t term : f.posted) postings.prefetch(term);  // independent cache misses
    for (uint64_t term : f.posted) {
      auto pit = postings.find(term);
      if (pit == postings.end() || pit->second.size() > opt.max_postings) continue;
      for (uint32_t si : pit->second) {
        if (live_size[si] < min_size || si == fi) continue;  // inactive (0) or too small
        if (visit_stamp[si] != stamp) {
          visit_stamp[si] = stamp;
          hits[si] = 1;
          touched.push_back(si);
        } else if (hits[si] < 255) {
          ++hits[si];
        }
      }
    }
    uint32_t best = StoryClusterer::kNone;
    double best_score = 0;
    bool table_ready = false;
    for (uint32_t si : touched) {
      const Story& s = stories[si];
      if (hits[si] < 2 || s.parent != si || s.size < min_size) continue;
      // A satellite lies within the event's time span; and a merge that would build a story
      // longer than the window joins a topic chain, not one event.
      if (SpanGap(f, s) > 0) continue;
      if (f.first_date != kNoDate && s.first_date != kNoDate &&
          std::max(f.last_date, s.last_date) - std::min(f.first_date, s.first_date) >
              opt.window_seconds) {
        continue;
      }
      // PairScore(f, s), with f's centroid in pair_table.
      double score = 0;
      if (f.norm > 0 && s.norm > 0 && SpanGap(f, s) <= opt.window_seconds) {
        if (!table_ready) {
          pair_table.Build(f.centroid);
          table_ready = true;
        }
        score = pair_table.Dot(s.centroid) / (double{f.norm} * s.norm) * Decay(SpanGap(f, s));
      }
      if (score < opt.absorb_threshold) continue;
      if (best == StoryClusterer::kNone || score > best_score ||
          (score == best_score && s.anchor < stories[best].anchor)) {
        best_score = score;
        best = si;
      }
    }
    return best;
  }

  // Absorbs the final stories among `active` (all of them if `all`, else those whose span
  // ended before `horizon`), smallest first; a story that absorbed another is looked at again
  // with its new size.
  void Absorb(int64_t horizon, bool all) {
    if (opt.absorb_threshold <= 0) return;
    auto is_final = [&](const Story& s) {
      return all || (s.last_date != kNoDate && s.last_date < horizon);
    };
    using Item = std::tuple<uint32_t, uint32_t, uint32_t>;  // size, anchor, story index
    std::vector<Item>& heap = absorb_heap;
    heap.clear();
    uint32_t max_size = 0;  // no story can absorb one of more than max_size / absorb_ratio
    for (uint32_t si : active) max_size = std::max(max_size, live_size[si]);
    for (uint32_t si : active) {
      const Story& s = stories[si];
      if (s.active && s.parent == si && s.linked && is_final(s)) {
        heap.emplace_back(s.size, s.anchor, si);
      }
    }
    std::make_heap(heap.begin(), heap.end(), std::greater<>());
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>());
      const auto [size, anchor, fi] = heap.back();
      heap.pop_back();
      if (!stories[fi].active || stories[fi].parent != fi || stories[fi].size != size) continue;
      if (opt.absorb_ratio * size > max_size) continue;  // BestAbsorber would find none
      const uint32_t si = BestAbsorber(fi);
      if (si == StoryClusterer::kNone) continue;
      const uint32_t root = stories[si].anchor < stories[fi].anchor ? si : fi;  // older survives
      Merge(root == si ? fi : si, root);
      max_size = std::max(max_size, stories[root].size);
      const Story& r = stories[root];
      if (is_final(r)) {
        heap.emplace_back(r.size, r.anchor, root);
        std::push_heap(heap.begin(), heap.end(), std::greater<>());
      }
    }
  }

  // Assign after the document's vectors are current (SwapIn): finds or starts its story,
  // updates it, merges, sweeps. Returns the story id.
  uint32_t Cluster(uint32_t slot, int64_t date, uint32_t source, uint32_t nd_group_story,
                   bool final_df);

  // Retires stories whose span ended more than a window before the newest date: no document
  // of a date-ordered stream can join them any more. First they get a second look (Absorb);
  // `all`: the batch is complete, every active story is final.
  void Sweep(bool all) {
    if (max_date == kNoDate) return;
    int64_t horizon = max_date - opt.window_seconds;
    Absorb(horizon, all);
    size_t out = 0;
    bool any = false;
    for (uint32_t si : active) {
      Story& s = stories[si];
      if (!s.active || s.parent != si) continue;
      if (s.last_date != kNoDate && s.last_date < horizon) {
        s.active = false;
        live_size[si] = 0;
        s.norm = Truncate(&s.centroid, opt.summary_terms, &s.residual2);
        s.posted.clear();
        s.posted.shrink_to_fit();
        any = true;
        continue;
      }
      active[out++] = si;
    }
    active.resize(out);
    if (!any) return;
    for (auto it = postings.begin(); it != postings.end();) {
      auto& list = it->second;
      list.erase(std::remove_if(list.begin(), list.end(),
                                [this](uint32_t si) { return live_size[si] == 0; }),
                 list.end());
      if (list.empty()) {
        postings.erase(it++);
      } else {
        ++it;
      }
    }
  }
};

}  // namespace internal

using internal::Story;
using internal::StoryClustererState;

namespace {

// The fields StoryOptions::Set knows, by name.
template <typename Fn>
void ForEachStoryOption(StoryOptions& o, Fn fn) {
  fn("threshold", &o.threshold);
  fn("window_seconds", &o.window_seconds);
  fn("decay_half_life_seconds", &o.decay_half_life_seconds);
  fn("decay_floor", &o.decay_floor);
  fn("title_weight", &o.title_weight);
  fn("lead_weight", &o.lead_weight);
  fn("lead_score", &o.lead_score);
  fn("df_prior_docs", &o.df_prior_docs);
  fn("doc_terms", &o.doc_terms);
  fn("centroid_terms", &o.centroid_terms);
  fn("max_df_fraction", &o.max_df_fraction);
  fn("min_docs_for_df_cut", &o.min_docs_for_df_cut);
  fn("min_recent_docs_for_df_cut", &o.min_recent_docs_for_df_cut);
  fn("source_prior_docs", &o.source_prior_docs);
  fn("burst_exponent", &o.burst_exponent);
  fn("burst_half_life_seconds", &o.burst_half_life_seconds);
  fn("burst_prior", &o.burst_prior);
  fn("merge_stories", &o.merge_stories);
  fn("merge_threshold", &o.merge_threshold);
  fn("absorb_threshold", &o.absorb_threshold);
  fn("absorb_ratio", &o.absorb_ratio);
  fn("refine_batch", &o.refine_batch);
  fn("clitic_min_df", &o.clitic_min_df);
  fn("clitic_df_ratio", &o.clitic_df_ratio);
  fn("clitic_max_full_df", &o.clitic_max_full_df);
  fn("query_terms", &o.query_terms);
  fn("max_postings", &o.max_postings);
  fn("index_terms", &o.index_terms);
  fn("summary_terms", &o.summary_terms);
  fn("source_df_log2_width", &o.source_df_log2_width);
}

bool ParseOption(std::string_view v, double* out) { return absl::SimpleAtod(ToAbsl(v), out); }
bool ParseOption(std::string_view v, bool* out) {
  if (v == "1" || v == "true") return *out = true, true;
  if (v == "0" || v == "false") return *out = false, true;
  return false;
}
template <typename Int>
bool ParseOption(std::string_view v, Int* out) {
  int64_t x = 0;
  if (!absl::SimpleAtoi(ToAbsl(v), &x) || x < std::numeric_limits<Int>::min() ||
      x > std::numeric_limits<Int>::max()) {
    return false;
  }
  *out = static_cast<Int>(x);
  return true;
}

}  // namespace

absl::Status StoryOptions::Set(std::string_view name, std::string_view value) {
  bool found = false, parsed = false;
  std::string names;
  ForEachStoryOption(*this, [&](std::string_view n, auto* field) {
    absl::StrAppend(&names, names.empty() ? "" : ", ", ToAbsl(n));
    if (n != name) return;
    found = true;
    parsed = ParseOption(value, field);
  });
  if (!found) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown story option \"", ToAbsl(name), "\"; known: ", names));
  }
  if (!parsed) {
    return absl::InvalidArgumentError(
        absl::StrCat("story option ", ToAbsl(name), ": cannot read \"", ToAbsl(value), "\""));
  }
  return absl::OkStatus();
}

absl::Status StoryOptions::SetAll(std::string_view assignments) {
  for (absl::string_view kv : absl::StrSplit(ToAbsl(assignments), ',', absl::SkipEmpty())) {
    const size_t eq = kv.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("story option \"", kv, "\" is not of the form name=value"));
    }
    const absl::string_view name = kv.substr(0, eq), value = kv.substr(eq + 1);
    NAZIR_RETURN_IF_ERROR(Set({name.data(), name.size()}, {value.data(), value.size()}));
  }
  return absl::OkStatus();
}

absl::Status StoryOptions::Validate() const {
  if (!(threshold > 0 && threshold <= 1)) {
    return absl::InvalidArgumentError("StoryOptions.threshold must be in (0, 1]");
  }
  if (window_seconds < 0) return absl::InvalidArgumentError("StoryOptions.window_seconds < 0");
  if (!(decay_floor >= 0 && decay_floor <= 1)) {
    return absl::InvalidArgumentError("StoryOptions.decay_floor must be in [0, 1]");
  }
  if (decay_half_life_seconds <= 0) {
    return absl::InvalidArgumentError("StoryOptions.decay_half_life_seconds must be > 0");
  }
  if (!(title_weight >= 0 && title_weight <= 100)) {
    return absl::InvalidArgumentError("StoryOptions.title_weight must be in [0, 100]");
  }
  if (!(lead_weight >= 0 && lead_weight <= 100)) {
    return absl::InvalidArgumentError("StoryOptions.lead_weight must be in [0, 100]");
  }
  if (doc_terms < 1 || doc_terms > 4096 || centroid_terms < 1 || centroid_terms > 65536) {
    return absl::InvalidArgumentError("StoryOptions.doc_terms/centroid_terms out of range");
  }
  if (max_postings < 1) return absl::InvalidArgumentError("StoryOptions.max_postings must be >= 1");
  if (df_prior_docs > 1'000'000) {
    return absl::InvalidArgumentError("StoryOptions.df_prior_docs must be <= 1000000");
  }
  if (query_terms < 1 || index_terms < 1 || summary_terms < 1) {
    return absl::InvalidArgumentError("StoryOptions query/index/summary terms must be >= 1");
  }
  if (!(max_df_fraction > 0 && max_df_fraction <= 1)) {
    return absl::InvalidArgumentError("StoryOptions.max_df_fraction must be in (0, 1]");
  }
  if (!(merge_threshold > 0 && merge_threshold <= 1)) {
    return absl::InvalidArgumentError("StoryOptions.merge_threshold must be in (0, 1]");
  }
  if (!(burst_exponent >= 0 && burst_exponent <= 4) || burst_half_life_seconds <= 0 ||
      !(burst_prior > 0)) {
    return absl::InvalidArgumentError(
        "StoryOptions: burst_exponent in [0, 4], burst_half_life_seconds > 0, burst_prior > 0");
  }
  if (!(clitic_df_ratio >= 1 && clitic_df_ratio <= 1e6)) {
    return absl::InvalidArgumentError("StoryOptions.clitic_df_ratio must be in [1, 1e6]");
  }
  if (!(absorb_threshold >= 0 && absorb_threshold <= 1)) {
    return absl::InvalidArgumentError("StoryOptions.absorb_threshold must be in [0, 1]");
  }
  if (!(absorb_ratio >= 1 && absorb_ratio <= 1e6)) {
    return absl::InvalidArgumentError("StoryOptions.absorb_ratio must be in [1, 1e6]");
  }
  if (source_df_log2_width < 8 || source_df_log2_width > 28) {
    return absl::InvalidArgumentError("StoryOptions.source_df_log2_width must be in [8, 28]");
  }
  return absl::OkStatus();
}

StoryClusterer::StoryClusterer(std::unique_ptr<internal::StoryClustererState> state)
    : state_(std::move(state)) {}
StoryClusterer::StoryClusterer(StoryClusterer&&) noexcept = default;
StoryClusterer& StoryClusterer::operator=(StoryClusterer&&) noexcept = default;
StoryClusterer::~StoryClusterer() = default;

absl::StatusOr<StoryClusterer> StoryClusterer::Create(const StoryOptions& options) {
  NAZIR_RETURN_IF_ERROR(options.Validate());
  return StoryClusterer(std::make_unique<StoryClustererState>(options));
}

const StoryOptions& StoryClusterer::options() const { return state_->opt; }

void StoryClusterer::CountDocument(const StoryFeatures& f, uint32_t source) {
  state_->Count(f, source);
  state_->StoreStrings(f);
  ++state_->pending_counted;
}

uint32_t StoryClusterer::Assign(uint32_t slot, const StoryFeatures& f, int64_t date,
                                uint32_t source, uint32_t nd_group_story) {
  StoryClustererState& s = *state_;
  if (s.slot_story.size() <= slot) s.slot_story.resize(size_t{slot} + 1, kNone);
  NAZIR_CHECK(s.slot_story[slot] == kNone);
  bool final_df = s.pending_counted > 0;
  if (final_df) {
    --s.pending_counted;  // counted, spellings stored, by CountDocument
  } else {
    s.Count(f, source);
    s.StoreStrings(f);
  }
  if (date != internal::kNoDate) s.max_date = std::max(s.max_date, date);
  s.UpdateRecent(date);
  s.BuildVector(s.ResolveClitics(f), source, final_df, date, &s.built);
  s.SwapIn(&s.built);
  return s.Cluster(slot, date, source, nd_group_story, final_df);
}

uint32_t internal::StoryClustererState::Cluster(uint32_t slot, int64_t date, uint32_t source,
                                                uint32_t nd_group_story, bool final_df) {
  StoryClustererState& s = *this;
  constexpr uint32_t kNone = StoryClusterer::kNone;

  uint32_t si = kNone;
  bool new_group = true;
  if (nd_group_story != kNone && nd_group_story < s.slot_story.size() &&
      s.slot_story[nd_group_story] != kNone) {
    si = s.Root(s.slot_story[nd_group_story]);
    new_group = false;
    s.candidates.clear();
  } else {
    double score = 0;
    uint32_t best = s.FindStory(date, &score);
    if (best != kNone && score >= s.opt.threshold) si = best;
  }
  if (si == kNone) {
    si = static_cast<uint32_t>(s.stories.size());
    s.stories.emplace_back();
    s.live_size.push_back(1);
    s.stories.back().anchor = slot;
    s.stories.back().parent = si;
    s.active.push_back(si);
  }
  s.slot_story[slot] = si;
  s.AddToStory(si, date, source, new_group);
  for (const auto& [score, ti] : s.candidates) {
    if (ti != si && score >= 0.5 * s.opt.absorb_threshold) {
      s.stories[si].linked = true;
      break;
    }
  }
  si = s.MaybeMerge(si);
  // The batch is complete: refine, then retire what the stream has left behind.
  const bool batch_done = final_df && s.pending_counted == 0;
  if (batch_done && s.opt.refine_batch) {
    s.Refine();
    si = s.Root(si);
  }
  if (++s.assigned % 1024 == 0 || batch_done) s.Sweep(batch_done);
  return s.stories[si].anchor;
}

void StoryClusterer::AssignBatch(
    size_t n, absl::FunctionRef<StoryBatchDoc(size_t i, StoryFeatures* scratch)> get,
    bool second_thread) {
  StoryClustererState& s = *state_;
  constexpr size_t kMinPipelined = 256;  // below this a thread costs more than it saves
  if (!second_thread || n < kMinPipelined || s.pending_counted < n) {
    StoryFeatures scratch;
    for (size_t i = 0; i < n; ++i) {
      const StoryBatchDoc d = get(i, &scratch);
      Assign(d.slot, *d.features, d.date, d.source, d.nd_group_slot);
    }
    return;
  }
  // Every document was counted (final df): its vectors depend only on the sequence of
  // documents, so a second thread computes them (with the recent counts and the clitic
  // reading, which nothing else touches during the batch) up to kRing documents
  // ahead of the clustering on this thread.
  constexpr size_t kRing = 64;
  struct Item {
    internal::DocVectors v;
    StoryFeatures scratch;
    uint32_t slot = 0, source = 0, nd = kNone;
    int64_t date = internal::kNoDate;
  };
  std::vector<Item> ring(kRing);
  std::atomic<size_t> produced{0}, consumed{0};
  std::thread producer([&] {
    for (size_t i = 0; i < n; ++i) {
      while (i - consumed.load(std::memory_order_acquire) >= kRing) std::this_thread::yield();
      Item& it = ring[i % kRing];
      const StoryBatchDoc d = get(i, &it.scratch);
      it.slot = d.slot;
      it.source = d.source;
      it.nd = d.nd_group_slot;
      it.date = d.date;
      s.UpdateRecent(d.date);
      s.BuildVector(s.ResolveClitics(*d.features), d.source, /*final_df=*/true, d.date, &it.v);
      produced.store(i + 1, std::memory_order_release);
    }
  });
  for (size_t i = 0; i < n; ++i) {
    while (produced.load(std::memory_order_acquire) <= i) std::this_thread::yield();
    Item& it = ring[i % kRing];
    if (s.slot_story.size() <= it.slot) s.slot_story.resize(size_t{it.slot} + 1, kNone);
    NAZIR_CHECK(s.slot_story[it.slot] == kNone);
    --s.pending_counted;
    if (it.date != internal::kNoDate) s.max_date = std::max(s.max_date, it.date);
    s.SwapIn(&it.v);
    s.Cluster(it.slot, it.date, it.source, it.nd, /*final_df=*/true);
    consumed.store(i + 1, std::memory_order_release);
  }
  producer.join();
}

void StoryClusterer::SecondLook() {
  StoryClustererState& s = *state_;
  s.Absorb(/*horizon=*/internal::kNoDate, /*all=*/true);
}

uint32_t StoryClusterer::story_of(uint32_t slot) const {
  const StoryClustererState& s = *state_;
  if (slot >= s.slot_story.size() || s.slot_story[slot] == kNone) return kNone;
  return s.stories[s.RootConst(s.slot_story[slot])].anchor;
}

void StoryClusterer::Forget(absl::FunctionRef<bool(uint32_t slot)> live) {
  StoryClustererState& s = *state_;
  const size_t n = s.stories.size();
  // 1. Which stories stay: the roots of the live slots' stories (the live slots are pointed at
  // them directly), the active ones, those still in a posting list (a stale entry counts
  // towards max_postings until it is dropped), and the roots of all of these.
  std::vector<uint8_t> keep(n, 0);
  for (uint32_t slot = 0; slot < s.slot_story.size(); ++slot) {
    uint32_t& si = s.slot_story[slot];
    if (si == kNone) continue;
    if (live(slot)) {
      si = s.Root(si);
      keep[si] = 1;
    } else {
      si = kNone;
    }
  }
  for (size_t i = 0; i < n; ++i) keep[i] |= s.stories[i].active ? 1 : 0;
  for (const auto& [term, list] : s.postings) {
    for (uint32_t si : list) keep[si] = 1;
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (keep[i]) keep[s.Root(i)] = 1;
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (keep[i]) continue;
    for (internal::SparseVec::InnerIterator it(s.stories[i].centroid); it; ++it) {
      const uint64_t id = static_cast<uint64_t>(it.index());
      if (s.spellings.contains(id)) s.forgotten_terms.insert(id);
    }
  }
  // 2. A kept story's anchor slot still names it (Assign's nd_group_story is a story id, i.e.
  // an anchor slot, which may be dead).
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t anchor = s.stories[i].anchor;
    if (keep[i] && anchor < s.slot_story.size() && s.slot_story[anchor] == kNone) {
      s.slot_story[anchor] = i;
    }
  }
  // 3. New indices, in the old order; parents point at the roots directly.
  std::vector<uint32_t> remap(n, kNone);
  uint32_t kept = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (keep[i]) remap[i] = kept++;
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (keep[i]) s.stories[i].parent = s.Root(i);  // a kept story's root is kept
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (!keep[i]) continue;
    Story& st = s.stories[i];
    st.parent = remap[st.parent];
    if (remap[i] != i) s.stories[remap[i]] = std::move(st);
  }
  s.stories.erase(s.stories.begin() + kept, s.stories.end());
  s.stories.shrink_to_fit();
  // 4. Everything indexed by story or holding story indices.
  auto compact = [&keep, n](auto* v) {
    size_t out = 0;
    for (size_t i = 0; i < v->size() && i < n; ++i) {
      if (keep[i]) (*v)[out++] = (*v)[i];
    }
    v->resize(out);
    v->shrink_to_fit();
  };
  compact(&s.live_size);
  compact(&s.visit_stamp);  // values kept: FindStory's stamps stay valid
  compact(&s.hits);
  for (uint32_t& si : s.slot_story) {
    if (si != kNone) si = remap[si];
  }
  size_t out = 0;
  for (uint32_t si : s.active) {
    if (keep[si]) s.active[out++] = remap[si];
  }
  s.active.resize(out);
  for (auto& [term, list] : s.postings) {
    for (uint32_t& si : list) si = remap[si];
  }
  // Scratch holding story indices (rebuilt before each use).
  s.touched.clear();
  s.candidates.clear();
  s.absorb_heap.clear();
  s.query_lists.clear();
}

size_t StoryClusterer::num_documents() const { return state_->assigned; }
size_t StoryClusterer::num_stories() const {
  size_t n = 0;
  for (size_t i = 0; i < state_->stories.size(); ++i) n += state_->stories[i].parent == i;
  return n;
}

size_t StoryClusterer::MemoryUsage() const {
  const StoryClustererState& s = *state_;
  size_t bytes = s.df.capacity() * sizeof(internal::TermTable::Entry);
  bytes += s.source_df.counters().size() * sizeof(uint16_t);
  bytes += s.slot_story.capacity() * sizeof(uint32_t);
  bytes += s.stories.capacity() * sizeof(Story);
  for (const Story& st : s.stories) {
    bytes += st.centroid.data().allocatedSize() * (sizeof(float) + sizeof(int64_t));
    bytes += st.posted.capacity() * sizeof(uint64_t) + st.sources.capacity() * sizeof(uint32_t);
  }
  bytes += s.postings.capacity() * (sizeof(uint64_t) + sizeof(std::vector<uint32_t>) + 1);
  for (const auto& [id, list] : s.postings) bytes += list.capacity() * sizeof(uint32_t);
  bytes += s.arena.capacity() + s.spellings.capacity() * (sizeof(uint64_t) + 8 + 1);
  bytes += s.forgotten_terms.capacity() * (sizeof(uint64_t) + 1);
  return bytes;
}

std::vector<StorySummary> StoryClusterer::Summaries(size_t top_terms) const {
  const StoryClustererState& s = *state_;
  std::vector<StorySummary> out(s.stories.size());
  for (size_t i = 0; i < s.stories.size(); ++i) {
    const Story& st = s.stories[i];
    if (st.parent != i) continue;
    StorySummary& sum = out[i];
    sum.anchor = st.anchor;
    sum.size = st.size;
    sum.groups = st.groups;
    sum.sources = st.sources;
    sum.first_date = st.first_date;
    sum.last_date = st.last_date;
    sum.members.reserve(st.size);
    std::vector<std::pair<float, int64_t>> e;
    for (internal::SparseVec::InnerIterator it(st.centroid); it; ++it) {
      e.emplace_back(it.value(), it.index());
    }
    std::sort(e.begin(), e.end(), [](const auto& a, const auto& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    for (const auto& [w, id] : e) {
      if (sum.top_terms.size() >= top_terms) break;
      auto it = s.spellings.find(static_cast<uint64_t>(id));
      if (it == s.spellings.end()) continue;
      sum.top_terms.push_back(s.arena.substr(it->second.first, it->second.second));
    }
  }
  for (uint32_t slot = 0; slot < s.slot_story.size(); ++slot) {
    if (s.slot_story[slot] != kNone) out[s.RootConst(s.slot_story[slot])].members.push_back(slot);
  }
  out.erase(
      std::remove_if(out.begin(), out.end(), [](const StorySummary& x) { return x.size == 0; }),
      out.end());
  std::sort(out.begin(), out.end(),
            [](const StorySummary& a, const StorySummary& b) { return a.anchor < b.anchor; });
  return out;
}

// ---- Serialization ----
namespace {

constexpr char kMagic[8] = {'N', 'Z', 'S', 'T', 'O', 'R', 'Y', '1'};
// 4: blocked per-source count-min sketch; 5: clitics; 6: dominant-source df in the term table;
// 7: absorb_threshold, absorb_ratio, min_recent_docs_for_df_cut.
// 8: the candidate index is saved. 7: absorb_threshold, absorb_ratio,
// min_recent_docs_for_df_cut. Versions 6 and 7 are still read (their missing
// options take the defaults; the candidate index is rebuilt).
constexpr uint32_t kFormatVersion = 8;

class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}
  template <typename T>
  void Put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_->append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void Bytes(std::string_view b) {
    Put<uint64_t>(b.size());
    out_->append(b);
  }

 private:
  std::string* out_;
};

// Every count is checked against the bytes left before it sizes anything.
using Reader = internal::BoundedReader;

}  // namespace

void StoryClusterer::Serialize(std::string* out) const {
  const StoryClustererState& s = *state_;
  std::string body;
  Writer w(&body);
  const StoryOptions& o = s.opt;
  w.Put(o.threshold);
  w.Put(o.window_seconds);
  w.Put(o.decay_half_life_seconds);
  w.Put(o.title_weight);
  w.Put(o.lead_weight);
  w.Put(o.doc_terms);
  w.Put(o.centroid_terms);
  w.Put(o.max_df_fraction);
  w.Put(o.min_docs_for_df_cut);
  w.Put(o.source_prior_docs);
  w.Put(o.query_terms);
  w.Put(o.index_terms);
  w.Put(o.summary_terms);
  w.Put<int32_t>(o.source_df_log2_width);
  w.Put<uint8_t>(o.merge_stories ? 1 : 0);
  w.Put(o.merge_threshold);
  w.Put(o.burst_exponent);
  w.Put(o.burst_half_life_seconds);
  w.Put(o.burst_prior);
  w.Put<uint8_t>(o.lead_score ? 1 : 0);
  w.Put(o.df_prior_docs);
  w.Put<uint8_t>(o.refine_batch ? 1 : 0);
  w.Put(o.max_postings);
  w.Put(o.decay_floor);
  w.Put(o.clitic_min_df);
  w.Put(o.clitic_df_ratio);
  w.Put(o.clitic_max_full_df);
  w.Put(o.absorb_threshold);
  w.Put(o.absorb_ratio);
  w.Put(o.min_recent_docs_for_df_cut);

  w.Put(s.num_counted);
  w.Put(s.pending_counted);
  w.Put(s.max_date);
  w.Put(s.assigned);
  std::vector<uint64_t> term_ids;
  term_ids.reserve(s.df.size());
  s.df.ForEach([&term_ids](uint64_t id, const internal::TermStat&) { term_ids.push_back(id); });
  std::sort(term_ids.begin(), term_ids.end());
  w.Put(s.recent_docs.recent);
  w.Put(s.recent_docs.hour);
  w.Put<uint64_t>(term_ids.size());
  for (uint64_t id : term_ids) {
    const internal::TermStat& st = *s.df.Find(id);
    w.Put(id);
    w.Put(st.df);
    w.Put(st.recent);
    w.Put(st.hour);
    w.Put(st.src);
    w.Put(st.src_df);
  }
  std::vector<std::pair<uint32_t, uint32_t>> sd(s.source_docs.begin(), s.source_docs.end());
  std::sort(sd.begin(), sd.end());
  w.Put<uint64_t>(sd.size());
  for (const auto& [src, c] : sd) {
    w.Put(src);
    w.Put(c);
  }
  const std::span<const uint16_t> cms = s.source_df.counters();
  w.Bytes(std::string_view(reinterpret_cast<const char*>(cms.data()), cms.size() * 2));
  w.Put<uint64_t>(s.slot_story.size());
  for (uint32_t v : s.slot_story) w.Put(v);
  absl::flat_hash_map<uint64_t, bool> used_terms;
  w.Put<uint64_t>(s.stories.size());
  for (const Story& st : s.stories) {
    w.Put(st.anchor);
    w.Put(st.parent);
    w.Put(st.size);
    w.Put(st.groups);
    w.Put(st.first_date);
    w.Put(st.last_date);
    w.Put<uint8_t>((st.active ? 1 : 0) | (st.linked ? 2 : 0));
    w.Put(st.residual2);
    w.Put<uint64_t>(st.sources.size());
    for (uint32_t src : st.sources) w.Put(src);
    w.Put<uint64_t>(st.centroid.nonZeros());
    for (internal::SparseVec::InnerIterator it(st.centroid); it; ++it) {
      w.Put<int64_t>(it.index());
      w.Put<float>(it.value());
      used_terms[static_cast<uint64_t>(it.index())] = true;
    }
  }
  // The candidate index exactly as it is (posting lists in their order, with
  // the stale entries not yet dropped; the active list; each story's posted
  // terms), so that a reopened clusterer decides as the saved one would have
  // (version 8; before, Deserialize re-posted each active story under its
  // current top terms, and a stream continued after a restart could differ).
  w.Put<uint64_t>(s.active.size());
  for (uint32_t si : s.active) w.Put(si);
  for (const Story& st : s.stories) {
    w.Put(st.index_w);
    w.Put(st.index_id);
    w.Put<uint64_t>(st.posted.size());
    for (uint64_t term : st.posted) w.Put(term);
  }
  std::vector<uint64_t> posting_terms;
  posting_terms.reserve(s.postings.size());
  for (const auto& [term, list] : s.postings) posting_terms.push_back(term);
  std::sort(posting_terms.begin(), posting_terms.end());
  w.Put<uint64_t>(posting_terms.size());
  for (uint64_t term : posting_terms) {
    const std::vector<uint32_t>& list = s.postings.at(term);
    w.Put(term);
    w.Put<uint64_t>(list.size());
    for (uint32_t si : list) w.Put(si);
  }
  std::vector<uint64_t> ids;
  for (const auto& [id, unused] : used_terms) {
    if (s.spellings.contains(id)) ids.push_back(id);
  }
  for (uint64_t id : s.forgotten_terms) {
    if (!used_terms.contains(id)) ids.push_back(id);  // all have spellings
  }
  std::sort(ids.begin(), ids.end());
  w.Put<uint64_t>(ids.size());
  for (uint64_t id : ids) {
    const auto& [off, len] = s.spellings.at(id);
    w.Put(id);
    w.Bytes(std::string_view(s.arena).substr(off, len));
  }

  out->append(kMagic, sizeof(kMagic));
  Writer head(out);
  head.Put(kFormatVersion);
  head.Put<uint64_t>(body.size());
  head.Put<uint64_t>(XXH3_64bits(body.data(), body.size()));
  out->append(body);
}

absl::StatusOr<StoryClusterer> StoryClusterer::Deserialize(std::string_view blob) {
  auto corrupt = [](std::string_view what) {
    return absl::DataLossError(absl::StrCat("story clusterer blob: ", ToAbsl(what)));
  };
  if (blob.size() < sizeof(kMagic) + 20 || std::memcmp(blob.data(), kMagic, sizeof(kMagic)) != 0) {
    return corrupt("bad magic");
  }
  Reader head(blob.substr(sizeof(kMagic)));
  uint32_t version = 0;
  uint64_t size = 0, checksum = 0;
  head.Get(&version);
  head.Get(&size);
  head.Get(&checksum);
  const bool has_index = version >= 8;
  if (version < 6 || version > kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat("story clusterer blob has format version ",
                                                      version, ", this build reads 6 to ",
                                                      kFormatVersion));
  }
  std::string_view body = blob.substr(sizeof(kMagic) + 20);
  if (body.size() != size) return corrupt("truncated");
  if (XXH3_64bits(body.data(), body.size()) != checksum) return corrupt("checksum mismatch");

  Reader r(body);
  StoryOptions o;
  int32_t log2w = 0;
  r.Get(&o.threshold);
  r.Get(&o.window_seconds);
  r.Get(&o.decay_half_life_seconds);
  r.Get(&o.title_weight);
  r.Get(&o.lead_weight);
  r.Get(&o.doc_terms);
  r.Get(&o.centroid_terms);
  r.Get(&o.max_df_fraction);
  r.Get(&o.min_docs_for_df_cut);
  r.Get(&o.source_prior_docs);
  r.Get(&o.query_terms);
  r.Get(&o.index_terms);
  r.Get(&o.summary_terms);
  r.Get(&log2w);
  uint8_t merge = 0;
  r.Get(&merge);
  o.merge_stories = merge != 0;
  r.Get(&o.merge_threshold);
  r.Get(&o.burst_exponent);
  r.Get(&o.burst_half_life_seconds);
  r.Get(&o.burst_prior);
  uint8_t lead_score = 0, refine = 0;
  r.Get(&lead_score);
  r.Get(&o.df_prior_docs);
  r.Get(&refine);
  r.Get(&o.max_postings);
  r.Get(&o.decay_floor);
  r.Get(&o.clitic_min_df);
  r.Get(&o.clitic_df_ratio);
  r.Get(&o.clitic_max_full_df);
  if (version >= 7) {
    r.Get(&o.absorb_threshold);
    r.Get(&o.absorb_ratio);
    r.Get(&o.min_recent_docs_for_df_cut);
  }
  o.lead_score = lead_score != 0;
  o.refine_batch = refine != 0;
  o.source_df_log2_width = log2w;
  if (!r.ok()) return corrupt("truncated options");
  if (absl::Status st = o.Validate(); !st.ok()) return corrupt("invalid options");
  // The options size the source count-min sketch (allocated with the state):
  // its counters must be in the blob.
  if (!r.Fits(uint64_t{4} << o.source_df_log2_width, 1)) {
    return corrupt(absl::StrCat("source_df_log2_width ", o.source_df_log2_width, ": ", r.error()));
  }
  auto state = std::make_unique<StoryClustererState>(o);
  StoryClustererState& s = *state;
  r.Get(&s.num_counted);
  r.Get(&s.pending_counted);
  r.Get(&s.max_date);
  r.Get(&s.assigned);
  uint64_t n = 0;
  r.Get(&s.recent_docs.recent);
  r.Get(&s.recent_docs.hour);
  if (!r.Count(&n, 24)) return corrupt("df");
  s.df.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t id = 0;
    internal::TermStat st;
    r.Get(&id);
    r.Get(&st.df);
    r.Get(&st.recent);
    r.Get(&st.hour);
    r.Get(&st.src);
    r.Get(&st.src_df);
    if (id >= internal::TermTable::kEmpty >> 1) return corrupt("term id");
    s.df[id] = st;
  }
  if (!r.Count(&n, 8)) return corrupt("source docs");
  for (uint64_t i = 0; i < n; ++i) {
    uint32_t src = 0, c = 0;
    r.Get(&src);
    r.Get(&c);
    s.source_docs[src] = c;
  }
  std::string cms;
  if (!r.Bytes(&cms) || cms.size() != s.source_df.counters().size() * 2) return corrupt("cms");
  std::memcpy(s.source_df.counters().data(), cms.data(), cms.size());
  if (!r.Count(&n, 4)) return corrupt("slots");
  s.slot_story.resize(n);
  for (uint64_t i = 0; i < n; ++i) r.Get(&s.slot_story[i]);
  if (!r.Count(&n, 45)) return corrupt("stories");
  s.stories.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    Story& st = s.stories[i];
    uint8_t active = 0;
    r.Get(&st.anchor);
    r.Get(&st.parent);
    r.Get(&st.size);
    r.Get(&st.groups);
    r.Get(&st.first_date);
    r.Get(&st.last_date);
    r.Get(&active);
    r.Get(&st.residual2);
    st.active = (active & 1) != 0;
    st.linked = (active & 2) != 0;
    uint64_t m = 0;
    if (!r.Count(&m, 4)) return corrupt("story sources");
    st.sources.resize(m);
    for (uint64_t k = 0; k < m; ++k) r.Get(&st.sources[k]);
    if (!r.Count(&m, 12)) return corrupt("centroid");
    st.centroid.reserve(static_cast<int64_t>(m));
    int64_t prev = -1;
    for (uint64_t k = 0; k < m; ++k) {
      int64_t id = 0;
      float v = 0;
      r.Get(&id);
      r.Get(&v);
      if (id <= prev) return corrupt("centroid order");
      prev = id;
      st.centroid.insertBack(id) = v;
    }
    st.norm = static_cast<float>(std::sqrt(st.centroid.squaredNorm() + st.residual2));
  }
  for (uint32_t v : s.slot_story) {
    if (v != kNone && v >= s.stories.size()) return corrupt("slot map");
  }
  for (size_t i = 0; i < s.stories.size(); ++i) {
    if (s.stories[i].parent >= s.stories.size()) return corrupt("story parent");
    // Parents always point to older stories (lower anchors), so there are no cycles.
    if (s.stories[i].parent != i && s.stories[s.stories[i].parent].anchor >= s.stories[i].anchor) {
      return corrupt("story parent order");
    }
  }
  if (has_index && !r.Count(&n, 4)) return corrupt("active list");
  s.active.resize(has_index ? n : 0);
  for (uint32_t& si : s.active) {
    r.Get(&si);
    if (si >= s.stories.size()) return corrupt("active list");
  }
  for (size_t i = 0; has_index && i < s.stories.size(); ++i) {
    Story& st = s.stories[i];
    r.Get(&st.index_w);
    r.Get(&st.index_id);
    if (!r.Count(&n, 8)) return corrupt("posted terms");
    st.posted.resize(n);
    for (uint64_t& term : st.posted) r.Get(&term);
    if (!std::is_sorted(st.posted.begin(), st.posted.end())) return corrupt("posted order");
  }
  if (has_index && !r.Count(&n, 16)) return corrupt("postings");
  for (uint64_t i = 0; has_index && i < n; ++i) {
    uint64_t term = 0, len = 0;
    r.Get(&term);
    if (!r.Count(&len, 4)) return corrupt("posting list");
    std::vector<uint32_t>& list = s.postings[term];
    list.resize(len);
    for (uint32_t& si : list) {
      r.Get(&si);
      if (si >= s.stories.size()) return corrupt("posting list");
    }
  }
  if (!r.Count(&n, 16)) return corrupt("spellings");
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t id = 0;
    std::string sp;
    r.Get(&id);
    if (!r.Bytes(&sp)) return corrupt("spelling");
    s.spellings[id] = {static_cast<uint32_t>(s.arena.size()), static_cast<uint32_t>(sp.size())};
    s.arena.append(sp);
  }
  if (!r.ok() || !r.done()) return corrupt("trailing or truncated data");
  // Spellings of terms in no centroid were written for forgotten stories (Forget).
  absl::flat_hash_set<uint64_t> centroid_terms;
  for (const Story& st : s.stories) {
    for (internal::SparseVec::InnerIterator it(st.centroid); it; ++it) {
      centroid_terms.insert(static_cast<uint64_t>(it.index()));
    }
  }
  for (const auto& [id, unused] : s.spellings) {
    if (!centroid_terms.contains(id)) s.forgotten_terms.insert(id);
  }
  s.live_size.resize(s.stories.size());
  for (uint32_t i = 0; i < s.stories.size(); ++i) {
    s.live_size[i] = s.stories[i].active ? std::max<uint32_t>(s.stories[i].size, 1) : 0;
    if (!has_index && s.stories[i].active) {  // versions 6 and 7: rebuild the index
      s.active.push_back(i);
      s.IndexStory(i);
    }
  }
  return StoryClusterer(std::move(state));
}

}  // namespace nazir
