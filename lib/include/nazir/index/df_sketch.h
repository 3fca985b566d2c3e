// DfSketch: approximate document frequency of 32-bit shingle keys.
//
// A count-min sketch (Cormode & Muthukrishnan 2005), blocked for the cache: each key maps to one
// 64-byte block of 32 saturating 16-bit counters and, inside it, to kRows counters; its count is
// their minimum. One cache line per key instead of one per row, and the batch calls prefetch ahead,
// so counting a corpus is bound by memory bandwidth, not latency. Count() never underestimates the
// number of documents that contained a key, and overestimates by the weight of colliding keys.
// nazir uses it to recognise boilerplate: shingles seen in very many documents (page chrome, agency
// sign-offs, template statements) are dropped before candidate search and verification, so they
// cannot make two articles look alike.
//
//   DfSketch df(22);
//   df.AddDocument(keys);              // sorted unique keys of one document
//   if (df.Count(key) >= max_df) ...   // boilerplate
//
// Memory: 2^log2_width counters of 2 bytes (8 MiB at log2_width = 22).
// Updates are conservative (only the counters at the key's current minimum
// are raised), which keeps the overestimate small; counters saturate at 65535.
// Thread safety: Count/CountMany are const; AddDocumentPart calls with
// different parts may run concurrently; everything else needs exclusive
// access.
#ifndef NAZIR_INDEX_DF_SKETCH_H_
#define NAZIR_INDEX_DF_SKETCH_H_

#include <cstdint>
#include <span>
#include <vector>

namespace nazir {

class DfSketch {
 public:
  static constexpr int kRows = 2;
  static constexpr uint16_t kSaturated = 0xFFFF;

  // 2^log2_width counters. REQUIRES: 8 <= log2_width <= 30.
  explicit DfSketch(int log2_width = 22);

  // Counts each key of one document once (keys must be unique).
  void AddDocument(std::span<const uint32_t> keys);
  // Undoes AddDocument for the same keys (counters never go below zero;
  // saturated counters stay saturated).
  void RemoveDocument(std::span<const uint32_t> keys);
  uint32_t Count(uint32_t key) const;
  // out[i] = Count(keys[i] ^ salt), with prefetching. out.size() == keys.size().
  void CountMany(std::span<const uint32_t> keys, uint32_t salt, std::span<uint32_t> out) const;
  // AddDocument for keys[i] ^ salt (keys unique).
  void AddDocument(std::span<const uint32_t> keys, uint32_t salt);
  // Parallel counting without locks: the counters are split into `parts`
  // disjoint stripes of blocks; AddDocumentPart counts only the keys that fall
  // in stripe `part`. If each of `parts` threads calls it with its own part
  // for the same documents in the same order, the result equals sequential
  // AddDocument calls in that order, exactly. Does not count
  // num_documents(); add them with AddDocumentCount().
  void AddDocumentPart(std::span<const uint32_t> keys, uint32_t salt, uint32_t part,
                       uint32_t parts);
  void AddDocumentCount(uint64_t n) { num_documents_ += n; }

  int log2_width() const { return log2_width_; }
  uint64_t num_documents() const { return num_documents_; }
  size_t MemoryUsage() const { return counters_.size() * sizeof(uint16_t); }

  // Raw state, for saving and loading an index.
  std::span<const uint16_t> counters() const { return counters_; }
  void Restore(std::vector<uint16_t> counters, uint64_t num_documents);

 private:
  static constexpr int kBlockBits = 5;  // 32 counters = 64 bytes per block
  uint32_t BlockIndex(uint32_t key) const;
  void Update(uint32_t key);
  // Counter indexes of `key` (all in one block).
  void Slots(uint32_t key, uint32_t* slots) const;
  const uint16_t* BlockOf(uint32_t key) const;

  int log2_width_;
  uint64_t num_documents_ = 0;
  std::vector<uint16_t> counters_;  // kRows * 2^log2_width_, row-major
};

}  // namespace nazir

#endif  // NAZIR_INDEX_DF_SKETCH_H_
