#include "nazir/index/sketch_store.h"

#include "nazir/base/check.h"

namespace nazir {

uint32_t SketchStore::Add(const DocSketch& sketch) {
  NAZIR_CHECK(sketch.sig.empty() || sketch.sig.size() == num_perm_);
  const uint32_t slot = size();
  key_off_.push_back(keys_.size());
  key_len_.push_back(static_cast<uint32_t>(sketch.keys.size()));
  keys_.insert(keys_.end(), sketch.keys.begin(), sketch.keys.end());
  anchor_off_.push_back(anchors_.size());
  anchor_len_.push_back(static_cast<uint32_t>(sketch.anchors.size()));
  anchors_.insert(anchors_.end(), sketch.anchors.begin(), sketch.anchors.end());
  if (sketch.sig.empty()) {
    sigs_.resize(sigs_.size() + num_perm_, 0xFFFFFFFFu);
  } else {
    sigs_.insert(sigs_.end(), sketch.sig.begin(), sketch.sig.end());
  }
  has_sig_.push_back(!sketch.sig.empty());
  simhash_.push_back(sketch.simhash);
  num_tokens_.push_back(sketch.num_tokens);
  alive_.push_back(true);
  return slot;
}

void SketchStore::Reserve(size_t docs, size_t keys) {
  keys_.reserve(keys);
  sigs_.reserve(docs * num_perm_);
  key_off_.reserve(docs);
  anchor_off_.reserve(docs);
  key_len_.reserve(docs);
  anchor_len_.reserve(docs);
  simhash_.reserve(docs);
  num_tokens_.reserve(docs);
}

size_t SketchStore::MemoryUsage() const {
  return (keys_.capacity() + anchors_.capacity() + sigs_.capacity() + num_tokens_.capacity() +
          key_len_.capacity() + anchor_len_.capacity()) *
             sizeof(uint32_t) +
         (key_off_.capacity() + anchor_off_.capacity() + simhash_.capacity()) * sizeof(uint64_t) +
         (alive_.capacity() + has_sig_.capacity()) / 8;
}

}  // namespace nazir
