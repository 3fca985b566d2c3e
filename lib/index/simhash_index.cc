#include "nazir/index/simhash_index.h"

#include <algorithm>

namespace nazir {

void SimHashIndex::Insert(uint32_t slot, uint64_t fingerprint) {
  for (int b = 0; b < kBlocks; ++b) tables_[b][Block(fingerprint, b)].push_back(slot);
}

void SimHashIndex::Remove(uint32_t slot, uint64_t fingerprint) {
  for (int b = 0; b < kBlocks; ++b) {
    auto it = tables_[b].find(Block(fingerprint, b));
    if (it == tables_[b].end()) continue;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), slot), v.end());
    if (v.empty()) tables_[b].erase(it);
  }
}

size_t SimHashIndex::MemoryUsage() const {
  size_t bytes = 0;
  for (const auto& t : tables_) {
    bytes += t.capacity() * (sizeof(uint16_t) + sizeof(absl::InlinedVector<uint32_t, 2>) + 1);
    for (const auto& [k, v] : t) {
      if (v.size() > 2) bytes += v.capacity() * sizeof(uint32_t);
    }
  }
  return bytes;
}

}  // namespace nazir
