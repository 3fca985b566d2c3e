#include "nazir/index/df_sketch.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "nazir/base/check.h"
#include "nazir/base/huge_pages.h"

namespace nazir {
namespace {

constexpr int kPrefetchDistance = 16;

inline uint32_t Remix(uint32_t key) {
  // Keys are already well mixed; one multiply decorrelates block and slot bits
  // from anything the caller derived from the same bits.
  return key * 0x2c1b3c6dU ^ (key >> 15);
}

inline uint32_t GroupHash(uint32_t key, uint32_t group) {
  uint32_t x = key ^ (group * 0x9e3779b1u);
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  return x;
}

// Next position in a block not in `taken`.
inline uint32_t Free(uint32_t p, const uint32_t* taken, int n) {
  for (;;) {
    bool clash = false;
    for (int i = 0; i < n; ++i) clash |= p == taken[i];
    if (!clash) return p;
    p = (p + 1) & 63;
  }
}

}  // namespace

void DfSketch::FreeDeleter::operator()(uint8_t* p) const { FreeZeroedLarge(p, bytes); }

DfSketch::DfSketch(int log2_width)
    : log2_width_(log2_width),
      size_(size_t{1} << log2_width),
      counters_(static_cast<uint8_t*>(AllocateZeroedLarge(size_)), FreeDeleter{size_}) {
  NAZIR_CHECK(log2_width >= 8 && log2_width <= 30);
}

uint32_t DfSketch::BlockIndex(uint32_t key) const {
  return Remix(key) >> (32 - (log2_width_ - kBlockBits));
}

DfSketch::Slots DfSketch::SlotsOf(uint32_t key, uint32_t group) const {
  const uint32_t base = BlockIndex(key) << kBlockBits;
  uint32_t pos[4];
  pos[0] = key & 63;
  pos[1] = Free((key >> 6) & 63, pos, 1);
  Slots s;
  s.overall[0] = base | pos[0];
  s.overall[1] = base | pos[1];
  if (group != 0) {
    const uint32_t h = GroupHash(key, group);
    pos[2] = Free(h & 63, pos, 2);
    pos[3] = Free((h >> 6) & 63, pos, 3);
    s.group[0] = base | pos[2];
    s.group[1] = base | pos[3];
  }
  return s;
}

void DfSketch::Raise(const uint32_t* s) {
  const uint8_t lo = std::min(counters_[s[0]], counters_[s[1]]);
  if (lo == kSaturated) return;
  // Conservative update: raise only the counters at the current minimum.
  for (int r = 0; r < 2; ++r) {
    if (counters_[s[r]] == lo) counters_[s[r]] = static_cast<uint8_t>(lo + 1);
  }
}

void DfSketch::AddDocument(std::span<const uint32_t> keys, uint32_t group) {
  ++num_documents_;
  // Two passes per batch of keys: compute the slots and prefetch their blocks
  // (many misses in flight), then update.
  constexpr size_t kBatch = 64;
  Slots slots[kBatch];
  const uint8_t* base = counters_.get();
  for (size_t start = 0; start < keys.size(); start += kBatch) {
    const size_t n = std::min(kBatch, keys.size() - start);
    for (size_t i = 0; i < n; ++i) {
      slots[i] = SlotsOf(keys[start + i], group);
      __builtin_prefetch(base + slots[i].overall[0], 1);
    }
    for (size_t i = 0; i < n; ++i) {
      Raise(slots[i].overall);
      if (group != 0) Raise(slots[i].group);
    }
  }
}

void DfSketch::RemoveDocument(std::span<const uint32_t> keys, uint32_t group) {
  if (num_documents_ > 0) --num_documents_;
  for (uint32_t key : keys) {
    const Slots s = SlotsOf(key, group);
    for (int r = 0; r < (group != 0 ? 4 : 2); ++r) {
      uint8_t& c = counters_[r < 2 ? s.overall[r] : s.group[r - 2]];
      if (c != 0 && c != kSaturated) --c;
    }
  }
}

uint32_t DfSketch::Count(uint32_t key) const {
  const Slots s = SlotsOf(key, 0);
  return std::min(counters_[s.overall[0]], counters_[s.overall[1]]);
}

uint32_t DfSketch::GroupCount(uint32_t key, uint32_t group) const {
  const Slots s = SlotsOf(key, group);
  return std::min(counters_[s.group[0]], counters_[s.group[1]]);
}

void DfSketch::CountMany(std::span<const uint32_t> keys, uint32_t group,
                         std::span<uint32_t> overall, std::span<uint32_t> in_group) const {
  constexpr size_t kBatch = 64;
  Slots slots[kBatch];
  const uint8_t* base = counters_.get();
  for (size_t start = 0; start < keys.size(); start += kBatch) {
    const size_t n = std::min(kBatch, keys.size() - start);
    for (size_t i = 0; i < n; ++i) {
      slots[i] = SlotsOf(keys[start + i], group);
      __builtin_prefetch(base + slots[i].overall[0]);
    }
    for (size_t i = 0; i < n; ++i) {
      const Slots& s = slots[i];
      overall[start + i] = std::min(counters_[s.overall[0]], counters_[s.overall[1]]);
      in_group[start + i] = group != 0 ? std::min(counters_[s.group[0]], counters_[s.group[1]]) : 0;
    }
  }
}

}  // namespace nazir
