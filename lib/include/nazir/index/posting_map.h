// PostingMap: a compact hash multimap from keys to document slots, the
// storage behind nazir's candidate indexes (LSH buckets, SimHash tables,
// anchors).
//
// Most keys of a near-duplicate index hold a single document (a band value,
// an anchor seen once), so a key's value is one 32-bit word: the slot itself
// while the key has one posting, or a reference to a list once it has more.
// That is 8-16 bytes per key instead of the 30+ of a map of small vectors.
//
//   PostingMap<uint32_t> m;
//   m.Add(key, slot);
//   m.ForEach(key, [](uint32_t slot) { ... });
//
// Slots must be < 2^31. Order of postings within a key: insertion order.
// Thread safety: const methods may run concurrently; Add/Remove need
// exclusive access.
#ifndef NAZIR_INDEX_POSTING_MAP_H_
#define NAZIR_INDEX_POSTING_MAP_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "nazir/base/huge_pages.h"

namespace nazir {

template <typename Key>
class PostingMap {
 public:
  static constexpr uint32_t kListBit = 0x80000000u;

  void Reserve(size_t keys) { map_.reserve(keys); }

  // Adds `slot` under `key` unless the key already holds `cap` postings.
  void Add(Key key, uint32_t slot, size_t cap = SIZE_MAX) {
    auto [it, inserted] = map_.try_emplace(key, slot);
    if (inserted) return;
    uint32_t& v = it->second;
    if (!(v & kListBit)) {
      if (cap <= 1) return;
      const uint32_t list = NewList();
      lists_[list].assign({v, slot});
      v = list | kListBit;
      return;
    }
    auto& l = lists_[v & ~kListBit];
    if (l.size() < cap) l.push_back(slot);
  }

  // Removes one posting of `slot` under `key`, if present.
  void Remove(Key key, uint32_t slot) {
    auto it = map_.find(key);
    if (it == map_.end()) return;
    uint32_t& v = it->second;
    if (!(v & kListBit)) {
      if (v == slot) map_.erase(it);
      return;
    }
    const uint32_t list = v & ~kListBit;
    auto& l = lists_[list];
    auto pos = std::find(l.begin(), l.end(), slot);
    if (pos == l.end()) return;
    l.erase(pos);
    if (l.size() == 1) {
      v = l[0];
      FreeList(list);
    } else if (l.empty()) {
      FreeList(list);
      map_.erase(it);
    }
  }

  // Add(keys[i], slot, cap) for every i, with the hash-table probes of later
  // keys prefetched while earlier ones are inserted (the table is far bigger
  // than the caches: each probe is a miss).
  void AddMany(std::span<const Key> keys, uint32_t slot, size_t cap = SIZE_MAX) {
    const size_t n = keys.size();
    for (size_t i = 0; i < std::min(n, kPrefetchAhead); ++i) map_.prefetch(keys[i]);
    for (size_t i = 0; i < n; ++i) {
      if (i + kPrefetchAhead < n) map_.prefetch(keys[i + kPrefetchAhead]);
      Add(keys[i], slot, cap);
    }
  }

  // Number of postings under `key`.
  size_t Count(Key key) const {
    auto it = map_.find(key);
    if (it == map_.end()) return 0;
    return (it->second & kListBit) ? lists_[it->second & ~kListBit].size() : 1;
  }

  // Calls fn(slot) for each posting under `key`, unless it holds more than
  // `max_postings` (then nothing).
  template <typename Fn>
  void ForEach(Key key, Fn fn, size_t max_postings = SIZE_MAX) const {
    auto it = map_.find(key);
    if (it == map_.end()) return;
    const uint32_t v = it->second;
    if (!(v & kListBit)) {
      fn(v);
      return;
    }
    const auto& l = lists_[v & ~kListBit];
    if (l.size() > max_postings) return;
    for (uint32_t slot : l) fn(slot);
  }

  // ForEach(keys[i], fn, max_postings) for every i, in order, with later
  // probes prefetched.
  template <typename Fn>
  void ForEachMany(std::span<const Key> keys, Fn fn, size_t max_postings = SIZE_MAX) const {
    const size_t n = keys.size();
    for (size_t i = 0; i < std::min(n, kPrefetchAhead); ++i) map_.prefetch(keys[i]);
    for (size_t i = 0; i < n; ++i) {
      if (i + kPrefetchAhead < n) map_.prefetch(keys[i + kPrefetchAhead]);
      ForEach(keys[i], fn, max_postings);
    }
  }

  size_t size() const { return map_.size(); }
  bool empty() const { return map_.empty(); }

  size_t MemoryUsage() const {
    size_t bytes = map_.capacity() * (sizeof(std::pair<Key, uint32_t>) + 1) +
                   lists_.capacity() * sizeof(std::vector<uint32_t>) +
                   free_.capacity() * sizeof(uint32_t);
    for (const auto& l : lists_) bytes += l.capacity() * sizeof(uint32_t);
    return bytes;
  }

 private:
  static constexpr size_t kPrefetchAhead = 8;

  uint32_t NewList() {
    if (!free_.empty()) {
      const uint32_t id = free_.back();
      free_.pop_back();
      return id;
    }
    lists_.emplace_back();
    return static_cast<uint32_t>(lists_.size() - 1);
  }
  void FreeList(uint32_t id) {
    std::vector<uint32_t>().swap(lists_[id]);
    free_.push_back(id);
  }

  absl::flat_hash_map<Key, uint32_t, absl::container_internal::hash_default_hash<Key>,
                      absl::container_internal::hash_default_eq<Key>,
                      LargeAllocator<std::pair<const Key, uint32_t>>>
      map_;
  std::vector<std::vector<uint32_t>> lists_;
  std::vector<uint32_t> free_;
};

}  // namespace nazir

#endif  // NAZIR_INDEX_POSTING_MAP_H_
