// SketchStore: the per-document sketches the index keeps, in flat arrays.
//
// A document is represented by a dense slot number (0, 1, 2, ...). For each
// slot the store holds the document's sorted unique shingle keys (the exact
// set used to verify candidate pairs), its winnowed anchors, its MinHash LSH
// band keys (what the LSH index needs, far smaller than the signature) and
// its SimHash. Article text is never stored. Slots are never
// reused: Remove() marks a slot dead and frees nothing until Compact-on-save.
//
//   SketchStore store(lsh.params().bands);
//   uint32_t slot = store.Add(sketch, band_keys);
//   std::span<const uint32_t> keys = store.keys(slot);
//
// Thread safety: const methods may run concurrently; Add/Remove need
// exclusive access. Spans returned by accessors are invalidated by Add.
#ifndef NAZIR_INDEX_SKETCH_STORE_H_
#define NAZIR_INDEX_SKETCH_STORE_H_

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <vector>

namespace nazir {

// Everything nazir derives from one document's text for near-duplicate search.
struct DocSketch {
  std::vector<uint32_t> keys;     // sorted unique shingle keys (ShingleKey)
  std::vector<uint32_t> anchors;  // sorted unique winnowed keys, a subset of keys
  std::vector<uint32_t> sig;      // MinHash signature, num_perm lanes (empty if no shingles)
  uint64_t simhash = 0;
  uint32_t num_tokens = 0;
  uint32_t num_shingles = 0;  // before de-duplication and boilerplate removal
  // ParamsFingerprint::Digest() of the parameters that made this sketch; the
  // index refuses sketches made under other parameters.
  uint64_t params_digest = 0;

  void Clear() {
    keys.clear();
    anchors.clear();
    sig.clear();
    simhash = 0;
    num_tokens = num_shingles = 0;
    params_digest = 0;
  }
};

class SketchStore {
 public:
  // `lsh_width`: band keys per document.
  explicit SketchStore(uint32_t lsh_width) : lsh_width_(lsh_width) {}

  // Copies the sketch's keys and anchors, its SimHash and `lsh_keys` (empty,
  // or lsh_width band keys) into the store; sketch.sig is not kept.
  uint32_t Add(const DocSketch& sketch, std::span<const uint32_t> lsh_keys);
  void Remove(uint32_t slot) { alive_[slot] = false; }

  uint32_t size() const { return static_cast<uint32_t>(alive_.size()); }
  bool alive(uint32_t slot) const { return alive_[slot]; }
  std::span<const uint32_t> keys(uint32_t slot) const { return {keys_[slot], key_len_[slot]}; }
  std::span<const uint32_t> anchors(uint32_t slot) const {
    return {anchors_[slot], anchor_len_[slot]};
  }
  // Drops, in place, every key of `slot` for which drop_key(i, key) is true
  // and every anchor for which drop_anchor(i, anchor) is true (boilerplate
  // removal; i is the position in keys(slot) / anchors(slot)). Returns the
  // number of keys dropped.
  template <typename DropKey, typename DropAnchor>
  uint32_t FilterKeys(uint32_t slot, DropKey drop_key, DropAnchor drop_anchor);
  bool has_lsh_keys(uint32_t slot) const { return lsh_keys_[slot] != nullptr; }
  // REQUIRES: has_lsh_keys(slot).
  std::span<const uint32_t> lsh_keys(uint32_t slot) const { return {lsh_keys_[slot], lsh_width_}; }
  uint64_t simhash(uint32_t slot) const { return simhash_[slot]; }
  uint32_t num_tokens(uint32_t slot) const { return num_tokens_[slot]; }
  uint32_t lsh_width() const { return lsh_width_; }

  size_t MemoryUsage() const;

 private:
  // Append-only storage in fixed chunks: growing never moves what is stored
  // (no reallocation copies, no 2x capacity slack), so spans stay valid.
  class Arena {
   public:
    uint32_t* Append(std::span<const uint32_t> v);
    size_t MemoryUsage() const { return chunks_.size() * kChunk * sizeof(uint32_t); }

   private:
    static constexpr size_t kChunk = size_t{1} << 19;  // 2 MiB: one huge page
    struct FreeDeleter {
      void operator()(uint32_t* p) const { std::free(p); }
    };
    using Chunk = std::unique_ptr<uint32_t[], FreeDeleter>;
    std::vector<Chunk> chunks_;
    size_t used_ = kChunk;  // in the last chunk
  };

  uint32_t lsh_width_;
  Arena keys_arena_, anchors_arena_, lsh_arena_;
  std::vector<uint32_t*> keys_, anchors_;
  std::vector<const uint32_t*> lsh_keys_;
  std::vector<uint32_t> key_len_, anchor_len_;
  std::vector<uint64_t> simhash_;
  std::vector<uint32_t> num_tokens_;
  std::vector<bool> alive_;
};

template <typename DropKey, typename DropAnchor>
uint32_t SketchStore::FilterKeys(uint32_t slot, DropKey drop_key, DropAnchor drop_anchor) {
  auto compact = [](uint32_t* p, uint32_t& len, auto drop) {
    uint32_t out = 0;
    for (uint32_t i = 0; i < len; ++i) {
      if (!drop(i, p[i])) p[out++] = p[i];
    }
    const uint32_t dropped = len - out;
    len = out;
    return dropped;
  };
  const uint32_t dropped = compact(keys_[slot], key_len_[slot], drop_key);
  compact(anchors_[slot], anchor_len_[slot], drop_anchor);
  return dropped;
}

}  // namespace nazir

#endif  // NAZIR_INDEX_SKETCH_STORE_H_
