#include "nazir/sketch/minhash.h"

#include <algorithm>

#include "nazir/base/check.h"

#include "absl/strings/str_cat.h"
#include "sketch/mix.h"

namespace nazir {
namespace {

constexpr uint32_t kMinPerm = 16;
constexpr uint32_t kMaxPerm = 1024;
// Largest value a real OPH lane takes; kEmptyLane marks an empty bin.
constexpr uint32_t kMaxLane = kEmptyLane - 1;

// Fills the empty bins (value kEmptyLane) of an OPH signature by optimal
// densification (Shrivastava 2017): empty bin i probes bins
// p(i, 1), p(i, 2), ... given by a fixed hash of (i, attempt) and copies the
// value of the first bin that was non-empty before densification. Since the
// probe sequence depends only on (seed, i), two sets whose sketches agree on
// which bins are empty get an unbiased, low-variance estimate.
void Densify(uint64_t probe_seed, std::span<uint32_t> sig) {
  const uint32_t k = static_cast<uint32_t>(sig.size());
  uint32_t* lanes = sig.data();
  uint64_t empty[kMaxPerm / 64] = {};
  uint32_t num_empty = 0;
  uint32_t some_full = 0;
  for (uint32_t i = 0; i < k; ++i) {
    const bool is_empty = lanes[i] == kEmptyLane;
    empty[i >> 6] |= static_cast<uint64_t>(is_empty) << (i & 63);
    num_empty += is_empty;
    if (!is_empty) some_full = i;
  }
  if (num_empty == 0 || num_empty == k) return;
  if (num_empty == k - 1) {
    // Every probe sequence ends at the single non-empty bin.
    std::fill(lanes, lanes + k, lanes[some_full]);
    return;
  }
  for (uint32_t i = 0; i < k; ++i) {
    if (((empty[i >> 6] >> (i & 63)) & 1) == 0) continue;
    for (uint64_t attempt = 1;; ++attempt) {
      const uint64_t h = internal::Mix64(probe_seed ^ ((static_cast<uint64_t>(i) << 32) | attempt));
      const uint32_t j = internal::FastRange32(static_cast<uint32_t>(h >> 32), k);
      if (((empty[j >> 6] >> (j & 63)) & 1) == 0) {
        lanes[i] = lanes[j];
        break;
      }
    }
  }
}

}  // namespace

absl::Status MinHashOptions::Validate() const {
  if (num_perm < kMinPerm || num_perm > kMaxPerm || num_perm % 8 != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("MinHashOptions.num_perm must be a multiple of 8 in [", kMinPerm, ", ",
                     kMaxPerm, "], got ", num_perm));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- OPH

OphMinHasher::OphMinHasher(const MinHashOptions& options) : options_(options) {
  uint64_t state = options.seed;
  value_seed_ = internal::SplitMix64(&state);
  probe_seed_ = internal::SplitMix64(&state);
}

absl::StatusOr<OphMinHasher> OphMinHasher::Create(const MinHashOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  return OphMinHasher(options);
}

void OphMinHasher::Sketch(std::span<const uint64_t> shingles, std::span<uint32_t> sig) const {
  const uint32_t k = options_.num_perm;
  NAZIR_DCHECK(sig.size() == k);
  uint32_t* lanes = sig.data();
  std::fill(lanes, lanes + k, kEmptyLane);
  if (shingles.empty()) return;
  const uint64_t seed = value_seed_;
  for (const uint64_t s : shingles) {
    // Seeded remix; bin from the high half, value from the low half.
    const uint64_t v = internal::Mix64(s ^ seed);
    const uint32_t bin = internal::FastRange32(static_cast<uint32_t>(v >> 32), k);
    const uint32_t value = std::min(static_cast<uint32_t>(v), kMaxLane);
    lanes[bin] = std::min(lanes[bin], value);
  }
  Densify(probe_seed_, sig);
}

// ---------------------------------------------------------------- classic

ClassicMinHasher::ClassicMinHasher(const MinHashOptions& options)
    : options_(options), a_(options.num_perm), b_(options.num_perm) {
  uint64_t state = options.seed ^ 0x636c617373696331ULL;  // "classic1"
  for (uint32_t j = 0; j < options.num_perm; ++j) {
    const uint64_t r = internal::SplitMix64(&state);
    a_[j] = static_cast<uint32_t>(r) | 1u;
    b_[j] = static_cast<uint32_t>(r >> 32);
  }
}

absl::StatusOr<ClassicMinHasher> ClassicMinHasher::Create(const MinHashOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  return ClassicMinHasher(options);
}

void ClassicMinHasher::Sketch(std::span<const uint64_t> shingles, std::span<uint32_t> sig) const {
  const uint32_t k = options_.num_perm;
  NAZIR_DCHECK(sig.size() == k);
  uint32_t* __restrict lanes = sig.data();
  const uint32_t* __restrict a = a_.data();
  const uint32_t* __restrict b = b_.data();
  std::fill(lanes, lanes + k, kEmptyLane);
  for (const uint64_t s : shingles) {
    const uint32_t x = static_cast<uint32_t>(s ^ (s >> 32));
    // Vectorized by g++ -O3 (uint32 multiply-add + unsigned min).
    for (uint32_t j = 0; j < k; ++j) {
      const uint32_t h = a[j] * x + b[j];
      lanes[j] = h < lanes[j] ? h : lanes[j];
    }
  }
}

// ---------------------------------------------------------------- estimate

double EstimateJaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  NAZIR_DCHECK(a.size() == b.size() && !a.empty());
  const size_t k = a.size();
  size_t equal = 0;
  for (size_t j = 0; j < k; ++j) equal += a[j] == b[j];
  return static_cast<double>(equal) / static_cast<double>(k);
}

}  // namespace nazir
