// Corpus statistics of the story clusterer: the term table (document frequency, recent-count
// burst state, dominant-source count per term) and the per-source document-frequency sketch.
// Read per term by BuildVector and updated per term by Count: all inline. Not thread-safe:
// one writer, or readers only.
#ifndef NAZIR_STORY_INTERNAL_TERM_TABLE_H_
#define NAZIR_STORY_INTERNAL_TERM_TABLE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

#include "nazir/base/huge_pages.h"

namespace nazir::internal {

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
  // Dated documents whose vector was built so far containing the term (batch: the causal
  // past, as `df` is in a stream; BuildVector's burst background).
  uint32_t seen = 0;
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

}  // namespace nazir::internal

#endif  // NAZIR_STORY_INTERNAL_TERM_TABLE_H_
