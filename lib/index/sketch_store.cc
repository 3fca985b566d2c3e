#include "nazir/index/sketch_store.h"

#include <algorithm>

#include "nazir/base/check.h"
#include "nazir/base/huge_pages.h"

namespace nazir {

uint32_t* SketchStore::Arena::Append(std::span<const uint32_t> v) {
  if (v.empty()) return nullptr;
  if (v.size() > kChunk) {  // a huge document gets a chunk of its own
    Chunk big(static_cast<uint32_t*>(AllocateLarge(v.size() * sizeof(uint32_t))));
    std::copy(v.begin(), v.end(), big.get());
    uint32_t* p = big.get();
    // Keep the current chunk last so its free space is still used.
    chunks_.insert(chunks_.end() - (chunks_.empty() ? 0 : 1), std::move(big));
    return p;
  }
  if (kChunk - used_ < v.size()) {
    chunks_.emplace_back(static_cast<uint32_t*>(AllocateLarge(kChunk * sizeof(uint32_t))));
    used_ = 0;
  }
  uint32_t* p = chunks_.back().get() + used_;
  std::copy(v.begin(), v.end(), p);
  used_ += v.size();
  return p;
}

uint32_t SketchStore::Add(const DocSketch& sketch, std::span<const uint32_t> lsh_keys) {
  NAZIR_CHECK(lsh_keys.empty() || lsh_keys.size() == lsh_width_);
  const uint32_t slot = size();
  keys_.push_back(keys_arena_.Append(sketch.keys));
  key_len_.push_back(static_cast<uint32_t>(sketch.keys.size()));
  anchors_.push_back(anchors_arena_.Append(sketch.anchors));
  anchor_len_.push_back(static_cast<uint32_t>(sketch.anchors.size()));
  lsh_keys_.push_back(lsh_arena_.Append(lsh_keys));
  simhash_.push_back(sketch.simhash);
  num_tokens_.push_back(sketch.num_tokens);
  alive_.push_back(true);
  return slot;
}

size_t SketchStore::MemoryUsage() const {
  return keys_arena_.MemoryUsage() + anchors_arena_.MemoryUsage() + lsh_arena_.MemoryUsage() +
         (keys_.capacity() + anchors_.capacity() + lsh_keys_.capacity()) * sizeof(void*) +
         (num_tokens_.capacity() + key_len_.capacity() + anchor_len_.capacity()) *
             sizeof(uint32_t) +
         simhash_.capacity() * sizeof(uint64_t) + alive_.capacity() / 8;
}

}  // namespace nazir
