// DfSketch: approximate document frequency of 32-bit shingle keys.
//
// A count-min sketch (Cormode & Muthukrishnan 2005) with conservative update:
// `rows` arrays of 2^log2_width saturating 16-bit counters. Count() never
// underestimates the true number of documents that contained a key, and
// overestimates by the (small) weight of colliding keys. nazir uses it to
// recognise boilerplate: shingles seen in very many documents (page chrome,
// agency sign-offs, template statements) are dropped before candidate search
// and verification, so they cannot make two articles look alike.
//
//   DfSketch df(22);
//   df.AddDocument(keys);              // sorted unique keys of one document
//   if (df.Count(key) >= max_df) ...   // boilerplate
//
// Memory: 2 * 2^log2_width * 2 bytes (16 MiB at log2_width = 22).
// Thread safety: Count is const; AddDocument/RemoveDocument need exclusive access.
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

  // REQUIRES: 8 <= log2_width <= 30.
  explicit DfSketch(int log2_width = 22);

  // Counts each key of one document once (keys must be unique).
  void AddDocument(std::span<const uint32_t> keys);
  // Undoes AddDocument for the same keys (counters never go below zero;
  // saturated counters stay saturated).
  void RemoveDocument(std::span<const uint32_t> keys);
  uint32_t Count(uint32_t key) const;

  int log2_width() const { return log2_width_; }
  uint64_t num_documents() const { return num_documents_; }
  size_t MemoryUsage() const { return counters_.size() * sizeof(uint16_t); }

  // Raw state, for saving and loading an index.
  std::span<const uint16_t> counters() const { return counters_; }
  void Restore(std::vector<uint16_t> counters, uint64_t num_documents);

 private:
  uint32_t Slot(int row, uint32_t key) const;

  int log2_width_;
  uint64_t num_documents_ = 0;
  std::vector<uint16_t> counters_;  // kRows * 2^log2_width_, row-major
};

}  // namespace nazir

#endif  // NAZIR_INDEX_DF_SKETCH_H_
