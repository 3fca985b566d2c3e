#include "nazir/index/df_sketch.h"

#include <algorithm>

#include "nazir/base/check.h"

namespace nazir {
namespace {
constexpr int kPrefetchDistance = 16;
inline uint32_t Remix(uint32_t key) {
  // Keys are already well mixed; one multiply decorrelates block and slot bits
  // from anything the caller derived from the same bits.
  return key * 0x2c1b3c6dU ^ (key >> 15);
}
}  // namespace

DfSketch::DfSketch(int log2_width) : log2_width_(log2_width) {
  NAZIR_CHECK(log2_width >= 8 && log2_width <= 30);
  counters_.assign(size_t{1} << log2_width, 0);
}

uint32_t DfSketch::BlockIndex(uint32_t key) const {
  return Remix(key) >> (32 - (log2_width_ - kBlockBits));
}

const uint16_t* DfSketch::BlockOf(uint32_t key) const {
  return counters_.data() + (static_cast<size_t>(BlockIndex(key)) << kBlockBits);
}

void DfSketch::Slots(uint32_t key, uint32_t* slots) const {
  const uint32_t base = BlockIndex(key) << kBlockBits;
  const uint32_t a = key & 31, b = (key >> 5) & 31;
  slots[0] = base | a;
  slots[1] = base | (b == a ? a ^ 1 : b);
}

void DfSketch::Update(uint32_t key) {
  uint32_t s[kRows];
  Slots(key, s);
  const uint16_t lo = std::min(counters_[s[0]], counters_[s[1]]);
  if (lo == kSaturated) return;
  // Conservative update: raise only the counters at the current minimum.
  for (int r = 0; r < kRows; ++r) {
    if (counters_[s[r]] == lo) counters_[s[r]] = lo + 1;
  }
}

void DfSketch::AddDocument(std::span<const uint32_t> keys) { AddDocument(keys, 0); }

void DfSketch::AddDocument(std::span<const uint32_t> keys, uint32_t salt) {
  ++num_documents_;
  const size_t n = keys.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + kPrefetchDistance < n) {
      __builtin_prefetch(BlockOf(keys[i + kPrefetchDistance] ^ salt), 1);
    }
    Update(keys[i] ^ salt);
  }
}

void DfSketch::AddDocumentPart(std::span<const uint32_t> keys, uint32_t salt, uint32_t part,
                               uint32_t parts) {
  const size_t n = keys.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + kPrefetchDistance < n) {
      const uint32_t ahead = keys[i + kPrefetchDistance] ^ salt;
      if (BlockIndex(ahead) % parts == part) __builtin_prefetch(BlockOf(ahead), 1);
    }
    const uint32_t key = keys[i] ^ salt;
    if (BlockIndex(key) % parts == part) Update(key);
  }
}

void DfSketch::RemoveDocument(std::span<const uint32_t> keys) {
  if (num_documents_ > 0) --num_documents_;
  for (uint32_t key : keys) {
    uint32_t s[kRows];
    Slots(key, s);
    for (int r = 0; r < kRows; ++r) {
      uint16_t& c = counters_[s[r]];
      if (c != 0 && c != kSaturated) --c;
    }
  }
}

uint32_t DfSketch::Count(uint32_t key) const {
  uint32_t s[kRows];
  Slots(key, s);
  return std::min(counters_[s[0]], counters_[s[1]]);
}

void DfSketch::CountMany(std::span<const uint32_t> keys, uint32_t salt,
                         std::span<uint32_t> out) const {
  const size_t n = keys.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + kPrefetchDistance < n) __builtin_prefetch(BlockOf(keys[i + kPrefetchDistance] ^ salt));
    out[i] = Count(keys[i] ^ salt);
  }
}

void DfSketch::Restore(std::vector<uint16_t> counters, uint64_t num_documents) {
  NAZIR_CHECK(counters.size() == counters_.size());
  counters_ = std::move(counters);
  num_documents_ = num_documents;
}

}  // namespace nazir
