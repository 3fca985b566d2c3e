#include "nazir/index/simhash_index.h"

namespace nazir {

void SimHashIndex::Insert(uint32_t slot, uint64_t fingerprint) {
  for (int b = 0; b < kBlocks; ++b) tables_[b].Add(Block(fingerprint, b), slot);
}

void SimHashIndex::Remove(uint32_t slot, uint64_t fingerprint) {
  for (int b = 0; b < kBlocks; ++b) tables_[b].Remove(Block(fingerprint, b), slot);
}

size_t SimHashIndex::MemoryUsage() const {
  size_t bytes = 0;
  for (const auto& t : tables_) bytes += t.MemoryUsage();
  return bytes;
}

}  // namespace nazir
