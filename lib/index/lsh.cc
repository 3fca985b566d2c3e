#include "nazir/index/lsh.h"

#include <algorithm>
#include <cmath>

#include "nazir/base/check.h"

namespace nazir {
namespace {

inline uint64_t Mix64(uint64_t x) {
  // splitmix64 finalizer.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

double LshCollisionProbability(double s, uint32_t bands, uint32_t rows) {
  return 1.0 - std::pow(1.0 - std::pow(s, rows), bands);
}

LshParams ChooseLshParams(uint32_t num_perm, double threshold, double min_recall) {
  NAZIR_CHECK(num_perm >= 1 && threshold > 0 && threshold < 1);
  LshParams best{num_perm, 1};
  for (uint32_t rows = 1; rows <= num_perm; ++rows) {
    uint32_t bands = num_perm / rows;
    if (LshCollisionProbability(threshold, bands, rows) >= min_recall) best = {bands, rows};
  }
  return best;
}

LshIndex::LshIndex(LshParams params) : params_(params) {
  NAZIR_CHECK(params.bands >= 1 && params.rows >= 1);
}

uint32_t LshIndex::BandKey(uint32_t band, std::span<const uint32_t> sig) const {
  uint64_t h = Mix64(0x9e3779b97f4a7c15ULL ^ band);
  const uint32_t* lanes = sig.data() + static_cast<size_t>(band) * params_.rows;
  for (uint32_t r = 0; r < params_.rows; ++r) h = Mix64(h ^ lanes[r]);
  return static_cast<uint32_t>(h >> 32);
}

void LshIndex::BandKeys(std::span<const uint32_t> sig, std::span<uint32_t> keys) const {
  NAZIR_DCHECK(keys.size() == params_.bands);
  for (uint32_t b = 0; b < params_.bands; ++b) keys[b] = BandKey(b, sig);
}

void LshIndex::InsertKeys(uint32_t slot, std::span<const uint32_t> keys) {
  buckets_.AddMany(keys, slot);
}

void LshIndex::RemoveKeys(uint32_t slot, std::span<const uint32_t> keys) {
  for (uint32_t key : keys) buckets_.Remove(key, slot);
}

void LshIndex::Insert(uint32_t slot, std::span<const uint32_t> sig) {
  NAZIR_DCHECK(sig.size() >= static_cast<size_t>(params_.bands) * params_.rows);
  for (uint32_t b = 0; b < params_.bands; ++b) buckets_.Add(BandKey(b, sig), slot);
}

void LshIndex::Remove(uint32_t slot, std::span<const uint32_t> sig) {
  for (uint32_t b = 0; b < params_.bands; ++b) buckets_.Remove(BandKey(b, sig), slot);
}

void LshIndex::Query(std::span<const uint32_t> sig, std::vector<uint32_t>* out) const {
  const size_t start = out->size();
  ForEachCandidate(sig, [out](uint32_t slot) { out->push_back(slot); });
  std::sort(out->begin() + start, out->end());
  out->erase(std::unique(out->begin() + start, out->end()), out->end());
}

}  // namespace nazir
