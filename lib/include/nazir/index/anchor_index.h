// AnchorIndex: inverted index from anchor keys to the documents holding them,
// nazir's containment channel.
//
// MinHash LSH finds pairs whose Jaccard similarity is high. It misses the most
// common kind of republication in news: a truncated wire story, whose shingles
// are mostly contained in the full story while the Jaccard similarity of the
// two is low (a 150-word excerpt of a 600-word story has J <= 0.25). Anchors
// are winnowed shingle keys (see nazir/sketch/winnow.h): any run of at least
// window + n - 1 words shared by two texts yields a shared anchor, whatever
// the texts' lengths. Query returns every stored document sharing at least one
// non-boilerplate anchor with the query, with the number shared, so the caller
// can verify the pair exactly.
//
//   AnchorIndex index;
//   index.Insert(slot, anchors);
//   index.Query(anchors, is_boilerplate, &hits);   // (slot, shared anchors)
//
// Posting lists stop growing at kMaxPostings slots: such an anchor is
// boilerplate under any sane threshold, and keeping its list would make every
// query touch it.
// Thread safety: Query is const; Insert/Remove need exclusive access.
#ifndef NAZIR_INDEX_ANCHOR_INDEX_H_
#define NAZIR_INDEX_ANCHOR_INDEX_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "nazir/index/posting_map.h"

namespace nazir {

class AnchorIndex {
 public:
  static constexpr size_t kMaxPostings = 4096;

  struct Hit {
    uint32_t slot;
    uint32_t shared;  // anchors in common (boilerplate anchors excluded)
  };

  void Insert(uint32_t slot, std::span<const uint32_t> anchors);
  void Remove(uint32_t slot, std::span<const uint32_t> anchors);

  // Clears *hits and fills it with the documents sharing at least one anchor
  // with `anchors` for which skip(anchor) is false, sorted by slot.
  // `scratch` is caller-owned reusable memory.
  template <typename Skip>
  void Query(std::span<const uint32_t> anchors, Skip skip, std::vector<Hit>* hits,
             std::vector<uint32_t>* scratch) const;

  // Calls fn(slot) for every posting of every anchor in `anchors` (capped
  // boilerplate anchors excluded); a slot sharing k anchors is visited k
  // times. Allocation-free.
  template <typename Fn>
  void ForEachPosting(std::span<const uint32_t> anchors, Fn fn) const {
    for (uint32_t a : anchors) postings_.ForEach(a, fn, kMaxPostings - 1);
  }

  void Reserve(size_t anchors) { postings_.Reserve(anchors); }
  size_t num_anchors() const { return postings_.size(); }
  size_t MemoryUsage() const { return postings_.MemoryUsage(); }

 private:
  PostingMap<uint32_t> postings_;
};

template <typename Skip>
void AnchorIndex::Query(std::span<const uint32_t> anchors, Skip skip, std::vector<Hit>* hits,
                        std::vector<uint32_t>* scratch) const {
  hits->clear();
  scratch->clear();
  for (uint32_t a : anchors) {
    if (skip(a)) continue;
    postings_.ForEach(
        a, [scratch](uint32_t slot) { scratch->push_back(slot); }, kMaxPostings - 1);
  }
  std::sort(scratch->begin(), scratch->end());
  for (size_t i = 0; i < scratch->size();) {
    size_t j = i;
    while (j < scratch->size() && (*scratch)[j] == (*scratch)[i]) ++j;
    hits->push_back({(*scratch)[i], static_cast<uint32_t>(j - i)});
    i = j;
  }
}

}  // namespace nazir

#endif  // NAZIR_INDEX_ANCHOR_INDEX_H_
