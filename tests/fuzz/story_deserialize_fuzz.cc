// Fuzz target: StoryClusterer::Deserialize (lib/story/story_clusterer.cc), the
// story state inside every saved index.
//
// Input: a story clusterer blob as Serialize writes it ("NZSTORY1", u32
// version, u64 body size, u64 XXH3 of the body, body). The harness rewrites
// the size and checksum fields to match the body before the call, so that
// mutations reach the parser instead of stopping at the checksum (a file
// with a valid checksum is what a crafted or buggy writer produces).
// Besides memory errors, UB and allocations beyond -malloc_limit_mb, it checks
// that a blob Deserialize accepts is a usable state: Summaries() runs, and
// Serialize() writes a blob that Deserialize accepts again and that
// serializes to the same bytes (a saved index reopens as the same state).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "xxhash.h"

#include "nazir/story/story_clusterer.h"

#include "tests/fuzz/fuzz_util.h"

namespace {

// Layout of the blob's header (story_clusterer.cc).
constexpr size_t kSizeAt = 8 + 4, kSumAt = kSizeAt + 8, kBodyAt = kSumAt + 8;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string blob(reinterpret_cast<const char*>(data), size);
  if (blob.size() >= kBodyAt) {
    const uint64_t body = blob.size() - kBodyAt;
    const uint64_t sum = XXH3_64bits(blob.data() + kBodyAt, body);
    std::memcpy(blob.data() + kSizeAt, &body, sizeof body);
    std::memcpy(blob.data() + kSumAt, &sum, sizeof sum);
  }
  auto sc = nazir::StoryClusterer::Deserialize(blob);
  if (!sc.ok()) return 0;
  (void)sc->Summaries();
  std::string once, twice;
  sc->Serialize(&once);
  auto again = nazir::StoryClusterer::Deserialize(once);
  NAZIR_FUZZ_CHECK(again.ok());
  again->Serialize(&twice);
  NAZIR_FUZZ_CHECK(once == twice);
  return 0;
}
