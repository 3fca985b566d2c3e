// MinHash signatures of shingle sets, for Jaccard estimation and LSH banding.
//
// OphMinHasher is the production sketcher: one-permutation hashing (Li, Owen,
// Zhang, NIPS 2012) splits the hash range into `num_perm` bins and keeps the
// minimum per bin in one pass over the shingles; empty bins are then filled by
// optimal densification (Shrivastava, ICML 2017), so the fraction of equal lanes
// of two signatures is an unbiased estimate of the Jaccard similarity of the
// two shingle sets. ClassicMinHasher (k independent hashes, min over shingles)
// costs O(k) per shingle and is the reference estimator for tests and benches.
//
//   NAZIR_ASSIGN_OR_RETURN(auto mh, OphMinHasher::Create({.num_perm = 128}));
//   std::vector<uint32_t> a(128), b(128);
//   mh.Sketch(shingles_a, a);
//   mh.Sketch(shingles_b, b);
//   double j = EstimateJaccard(a, b);
//
// Ownership: Sketch borrows the shingles and writes into a caller-owned span.
// Thread-safety: a hasher is immutable after Create; Sketch is const and may be
// called concurrently. Failure: only Create fails (InvalidArgument for bad
// options); Sketch has no error path and does not allocate. Only signatures made
// with equal options (and the same shingling) are comparable; callers record a
// ParamsFingerprint. Lane values are pinned by golden tests.
#ifndef NAZIR_SKETCH_MINHASH_H_
#define NAZIR_SKETCH_MINHASH_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace nazir {

// Lane value of the signature of an empty shingle set. OPH treats a bin whose
// minimum is exactly kEmptyLane as empty and densifies it (probability about
// 2^-32 per bin: harmless, and it keeps the hot loop free of a clamp), so a
// non-empty set's OPH signature has no kEmptyLane lane.
inline constexpr uint32_t kEmptyLane = 0xFFFFFFFFu;

struct MinHashOptions {
  // k, the number of signature lanes ("permutations"; bins for OPH). Standard
  // error of the Jaccard estimate is about sqrt(J(1-J)/k). Range 16..1024,
  // multiple of 8. Default 128.
  uint32_t num_perm = 128;
  // Seed from which every hash function of the sketcher is derived.
  uint64_t seed = 0x6e617a6972ULL;  // "nazir"

  // InvalidArgument if num_perm is out of range or not a multiple of 8.
  absl::Status Validate() const;
};

// One-permutation hashing with optimal densification.
class OphMinHasher {
 public:
  // Validates `options`; InvalidArgument on bad options.
  static absl::StatusOr<OphMinHasher> Create(const MinHashOptions& options);

  // Writes the signature of the set of `shingles` (duplicates are harmless).
  // Empty `shingles` fills sig with kEmptyLane. No allocation.
  // Cost: O(|shingles| + k) plus densification probes, expected
  // O(e * k / m) for e empty bins and m non-empty ones (only large when a set
  // has far fewer shingles than k).
  // REQUIRES: sig.size() == options().num_perm.
  void Sketch(std::span<const uint64_t> shingles, std::span<uint32_t> sig) const;

  const MinHashOptions& options() const { return options_; }

 private:
  explicit OphMinHasher(const MinHashOptions& options);

  MinHashOptions options_;
  uint64_t value_seed_;  // remix of shingle hashes before binning
  uint64_t probe_seed_;  // densification probe hash
  // First probes of every bin's densification sequence (bin-major), derived
  // from probe_seed_.
  std::vector<uint16_t> probes_;
};

// Classic k-hash MinHash: lane j = min over shingles of
// h_j(x) = a_j * x + b_j (mod 2^32) over the 32-bit folded shingle hash x.
class ClassicMinHasher {
 public:
  // Validates `options`; InvalidArgument on bad options.
  static absl::StatusOr<ClassicMinHasher> Create(const MinHashOptions& options);

  // Same contract as OphMinHasher::Sketch. Cost O(|shingles| * k), vectorized.
  void Sketch(std::span<const uint64_t> shingles, std::span<uint32_t> sig) const;

  const MinHashOptions& options() const { return options_; }

 private:
  explicit ClassicMinHasher(const MinHashOptions& options);

  MinHashOptions options_;
  std::vector<uint32_t> a_;  // odd multipliers
  std::vector<uint32_t> b_;  // offsets
};

// Fraction of equal lanes. REQUIRES: a.size() == b.size() > 0; neither is the
// signature of an empty set.
double EstimateJaccard(std::span<const uint32_t> a, std::span<const uint32_t> b);

}  // namespace nazir

#endif  // NAZIR_SKETCH_MINHASH_H_
