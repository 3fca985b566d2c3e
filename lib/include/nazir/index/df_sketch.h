// DfSketch: approximate document frequency of 32-bit shingle keys, overall
// and within a group (a source).
//
// A count-min sketch (Cormode & Muthukrishnan 2005) with conservative update,
// blocked for the cache: each key maps to one 64-byte block of 64 saturating
// 8-bit counters; inside it, two counters hold the key's overall count and
// two others its count within the document's group, so one cache line serves
// both counts. A count is the minimum of its two counters. Count() never
// underestimates the number of documents that contained a key, and
// overestimates by the weight of colliding keys; counts saturate at 255
// (kSaturated), which is far above any boilerplate threshold that matters:
// callers compare against min(threshold, kSaturated). nazir uses it to recognise
// boilerplate: shingles seen in very many documents (overall), or in many
// documents of one source (page chrome, sign-offs, template statements), are
// dropped before candidate search and verification, so they cannot make two
// articles look alike.
//
//   DfSketch df(25);
//   df.AddDocument(keys, source_id);      // sorted unique keys of one document
//   df.CountMany(keys, source_id, overall, in_source);
//
// Memory: 2^log2_width one-byte counters (32 MiB at 25). Keep 2^log2_width
// at least ~4 counters per key occurrence (each document's key takes four
// counters) for small overestimates.
// Thread safety: Count/CountMany are const; Add/Remove need exclusive access.
#ifndef NAZIR_INDEX_DF_SKETCH_H_
#define NAZIR_INDEX_DF_SKETCH_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace nazir {

class DfSketch {
 public:
  static constexpr uint8_t kSaturated = 0xFF;

  // 2^log2_width counters. REQUIRES: 8 <= log2_width <= 30.
  explicit DfSketch(int log2_width = 25);
  DfSketch(DfSketch&&) noexcept = default;
  DfSketch& operator=(DfSketch&&) noexcept = default;

  // Counts one document: each key (keys must be unique) once overall and,
  // if group != 0, once within `group`.
  void AddDocument(std::span<const uint32_t> keys, uint32_t group = 0);
  // Undoes AddDocument for the same keys and group (counters never go below
  // zero; saturated counters stay saturated).
  void RemoveDocument(std::span<const uint32_t> keys, uint32_t group = 0);

  // Documents containing `key`.
  uint32_t Count(uint32_t key) const;
  // Documents of `group` (!= 0) containing `key`.
  uint32_t GroupCount(uint32_t key, uint32_t group) const;
  // overall[i] = Count(keys[i]); in_group[i] = GroupCount(keys[i], group), or
  // 0 if group == 0. Prefetches ahead. Spans have keys.size() elements.
  void CountMany(std::span<const uint32_t> keys, uint32_t group, std::span<uint32_t> overall,
                 std::span<uint32_t> in_group) const;

  int log2_width() const { return log2_width_; }
  uint64_t num_documents() const { return num_documents_; }
  size_t MemoryUsage() const { return size_; }

  // Raw state, for saving and loading an index.
  std::span<const uint8_t> counters() const { return {counters_.get(), size_}; }
  // Loading an index: fill mutable_counters() (2^log2_width bytes) with the
  // saved counters, then set the document count.
  std::span<uint8_t> mutable_counters() { return {counters_.get(), size_}; }
  void set_num_documents(uint64_t n) { num_documents_ = n; }

 private:
  static constexpr int kBlockBits = 6;  // 64 counters = 64 bytes per block
  struct Slots {
    uint32_t overall[2];
    uint32_t group[2];  // valid if group != 0
  };
  uint32_t BlockIndex(uint32_t key) const;
  Slots SlotsOf(uint32_t key, uint32_t group) const;
  void Raise(const uint32_t* s);  // conservative update of a counter pair

  int log2_width_;
  uint64_t num_documents_ = 0;
  // Counters on huge pages where the kernel allows, zero pages until touched
  // (AllocateZeroedLarge, nazir/base/huge_pages.h).
  struct FreeDeleter {
    size_t bytes = 0;
    void operator()(uint8_t* p) const;
  };
  size_t size_;
  std::unique_ptr<uint8_t[], FreeDeleter> counters_;
};

}  // namespace nazir

#endif  // NAZIR_INDEX_DF_SKETCH_H_
