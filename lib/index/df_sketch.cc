#include "nazir/index/df_sketch.h"

#include <algorithm>

#include "nazir/base/check.h"

namespace nazir {
namespace {
constexpr uint32_t kRowSeeds[DfSketch::kRows] = {0x9e3779b1u, 0x85ebca77u};
}  // namespace

DfSketch::DfSketch(int log2_width) : log2_width_(log2_width) {
  NAZIR_CHECK(log2_width >= 8 && log2_width <= 30);
  counters_.assign(static_cast<size_t>(kRows) << log2_width, 0);
}

uint32_t DfSketch::Slot(int row, uint32_t key) const {
  // Keys are already well mixed; a multiply-shift per row decorrelates rows.
  const uint32_t h = (key ^ kRowSeeds[row]) * 0x2c1b3c6dU;
  return (static_cast<uint32_t>(row) << log2_width_) | (h >> (32 - log2_width_));
}

void DfSketch::AddDocument(std::span<const uint32_t> keys) {
  ++num_documents_;
  for (uint32_t key : keys) {
    uint32_t s[kRows];
    uint16_t lo = kSaturated;
    for (int r = 0; r < kRows; ++r) {
      s[r] = Slot(r, key);
      lo = std::min(lo, counters_[s[r]]);
    }
    if (lo == kSaturated) continue;
    // Conservative update: raise only the counters at the current minimum.
    for (int r = 0; r < kRows; ++r) {
      if (counters_[s[r]] == lo) counters_[s[r]] = lo + 1;
    }
  }
}

void DfSketch::RemoveDocument(std::span<const uint32_t> keys) {
  if (num_documents_ > 0) --num_documents_;
  for (uint32_t key : keys) {
    for (int r = 0; r < kRows; ++r) {
      uint16_t& c = counters_[Slot(r, key)];
      if (c != 0 && c != kSaturated) --c;
    }
  }
}

uint32_t DfSketch::Count(uint32_t key) const {
  uint16_t lo = kSaturated;
  for (int r = 0; r < kRows; ++r) lo = std::min(lo, counters_[Slot(r, key)]);
  return lo;
}

void DfSketch::Restore(std::vector<uint16_t> counters, uint64_t num_documents) {
  NAZIR_CHECK(counters.size() == counters_.size());
  counters_ = std::move(counters);
  num_documents_ = num_documents;
}

}  // namespace nazir
