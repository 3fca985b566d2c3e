// AnchorIndex: inverted index from anchor keys to the documents holding them,
// nazir's containment channel.
//
// MinHash LSH finds pairs whose Jaccard similarity is high. It misses the most
// common kind of republication in news: a truncated wire story, whose shingles
// are mostly contained in the full story while the Jaccard similarity of the
// two is low (a 150-word excerpt of a 600-word story has J <= 0.25). Anchors
// are winnowed shingle keys (see nazir/sketch/winnow.h): any run of at least
// window + n - 1 words shared by two texts yields a shared anchor, whatever
// the texts' lengths. ForEachPosting visits every stored document sharing an
// anchor with the query (once per shared anchor), so the caller can verify
// the pair exactly.
//
//   AnchorIndex index;
//   index.Insert(slot, anchors);
//   index.ForEachPosting(anchors, [&](uint32_t slot) { ... });
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

  void Insert(uint32_t slot, std::span<const uint32_t> anchors);
  void Remove(uint32_t slot, std::span<const uint32_t> anchors);

  // Calls fn(slot) for every posting of every anchor in `anchors` (capped
  // boilerplate anchors excluded); a slot sharing k anchors is visited k
  // times. Allocation-free.
  template <typename Fn>
  void ForEachPosting(std::span<const uint32_t> anchors, Fn fn) const {
    postings_.ForEachMany(anchors, fn, kMaxPostings - 1);
  }

  void Reserve(size_t anchors) { postings_.Reserve(anchors); }
  size_t num_anchors() const { return postings_.size(); }
  size_t MemoryUsage() const { return postings_.MemoryUsage(); }

 private:
  PostingMap<uint32_t> postings_;
};

}  // namespace nazir

#endif  // NAZIR_INDEX_ANCHOR_INDEX_H_
