#include "nazir/index/anchor_index.h"

#include <algorithm>

namespace nazir {

void AnchorIndex::Insert(uint32_t slot, std::span<const uint32_t> anchors) {
  for (uint32_t a : anchors) {
    auto& v = postings_[a];
    if (v.size() < kMaxPostings) v.push_back(slot);
  }
}

void AnchorIndex::Remove(uint32_t slot, std::span<const uint32_t> anchors) {
  for (uint32_t a : anchors) {
    auto it = postings_.find(a);
    if (it == postings_.end()) continue;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), slot), v.end());
    if (v.empty()) postings_.erase(it);
  }
}

size_t AnchorIndex::MemoryUsage() const {
  size_t bytes =
      postings_.capacity() * (sizeof(uint32_t) + sizeof(absl::InlinedVector<uint32_t, 2>) + 1);
  for (const auto& [k, v] : postings_) {
    if (v.size() > 2) bytes += v.capacity() * sizeof(uint32_t);
  }
  return bytes;
}

}  // namespace nazir
