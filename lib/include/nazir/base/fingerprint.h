// ParamsFingerprint: the parameters that decide what a sketch *is*.
//
// Two sketches (MinHash signatures, SimHashes, shingle sets, anchors, story
// terms) are comparable only if they were produced with the same normalizer
// rule set (and ICU major version, whose data shapes normalization and word
// breaks), the same shingle size, number of permutations, seed and winnowing
// window, and the same story-term rules. Every
// signature, index and saved file records one of these; combining sketches
// whose fingerprints differ is a FailedPrecondition error, never silent.
//
//   ParamsFingerprint fp{.normalizer = normalizer.Id(), .shingle_size = 4,
//                        .num_perm = 128, .seed = 42};
//   if (!(fp == other)) return fp.MismatchError(other);
//
// Plain value type; thread-compatible.
#ifndef NAZIR_BASE_FINGERPRINT_H_
#define NAZIR_BASE_FINGERPRINT_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace nazir {

struct ParamsFingerprint {
  // Normalizer identity, e.g. "ar-nd-1+hamza+icu72" (see Normalizer::Id()).
  std::string normalizer;
  // Words per shingle.
  uint32_t shingle_size = 0;
  // Winnowing window of the anchors, in shingles.
  uint32_t winnow_window = 0;
  // MinHash permutations (signature lanes).
  uint32_t num_perm = 0;
  // Seed of every hash function derived for sketching.
  uint64_t seed = 0;
  // Story-term rules, e.g. "ar-sc-1+stem+fold+b400+l50"; empty if story
  // features are not made.
  std::string story;
  // Version of nazir's hashing scheme (token hash, shingle combiner, OPH
  // densification, SimHash). Bumped whenever golden hash outputs change.
  uint32_t hash_version = kHashVersion;

  static constexpr uint32_t kHashVersion = 1;

  // Human-readable canonical form, e.g.
  // "norm=ar-nd-1+hamza+icu72;n=8;w=12;k=128;seed=42;story=ar-sc-1+stem;hv=1".
  std::string ToString() const;
  // 64-bit digest of ToString(); stable across platforms and releases.
  uint64_t Digest() const;

  // OK if equal; otherwise FailedPrecondition naming both fingerprints.
  absl::Status CheckCompatible(const ParamsFingerprint& other) const;

  friend bool operator==(const ParamsFingerprint&, const ParamsFingerprint&) = default;
};

}  // namespace nazir

#endif  // NAZIR_BASE_FINGERPRINT_H_
