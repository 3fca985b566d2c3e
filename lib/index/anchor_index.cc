#include "nazir/index/anchor_index.h"

namespace nazir {

void AnchorIndex::Insert(uint32_t slot, std::span<const uint32_t> anchors) {
  postings_.AddMany(anchors, slot, kMaxPostings);
}

void AnchorIndex::Remove(uint32_t slot, std::span<const uint32_t> anchors) {
  for (uint32_t a : anchors) postings_.Remove(a, slot);
}

}  // namespace nazir
