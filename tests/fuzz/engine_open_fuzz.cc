// Fuzz target: Engine::Open (lib/engine/persist.cc), reopening a saved index.
//
// Input: an index file as Engine::Save writes it. Before the call the harness
// rewrites the checksums so that mutations reach the parsers instead of
// stopping there: the story state's (its last field, from the "NZSTORY1"
// magic to the file's checksum: body size and XXH3), then the file's (its last
// 8 bytes, XXH64 of the rest). The file is a memfd (no disk writes).
// Besides memory errors, UB and allocations beyond -malloc_limit_mb, it checks
// that an index Open accepts is a usable engine: its statistics, stories and
// every slot's assignment can be read, and it can look up, query and add an
// article (as `nazir add` does right after opening).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "xxhash.h"

#include "nazir/engine/engine.h"

#include "tests/fuzz/fuzz_util.h"

namespace {

// Twelve words, so that the article is long enough to be sketched and grouped.
constexpr std::string_view kText =
    "التقى وزير الخارجية الروسي سيرغي لافروف نظيره السوري أسعد الشيباني في موسكو اليوم الخميس";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto* const file = new nazir::fuzz::MemFile;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  // The story blob: "NZSTORY1", u32 version, u64 body size, u64 XXH3 of the
  // body, body (story_clusterer.cc).
  constexpr std::string_view kStoryMagic = "NZSTORY1";
  if (const size_t at = bytes.rfind(kStoryMagic);
      at != std::string::npos && bytes.size() >= at + 28 + 8) {
    const uint64_t body = bytes.size() - 8 - (at + 28);
    const uint64_t sum = XXH3_64bits(bytes.data() + at + 28, body);
    std::memcpy(bytes.data() + at + 12, &body, sizeof body);
    std::memcpy(bytes.data() + at + 20, &sum, sizeof sum);
  }
  if (bytes.size() >= 8) {
    const uint64_t sum = XXH64(bytes.data(), bytes.size() - 8, 0);
    std::memcpy(bytes.data() + bytes.size() - 8, &sum, sizeof sum);
  }
  auto engine = nazir::Engine::Open(file->Write(bytes));
  if (!engine.ok()) return 0;
  nazir::Engine& e = **engine;
  (void)e.Stats();
  (void)e.Stories();
  (void)e.NewestDate();
  for (uint32_t s = 0; s < e.num_slots(); ++s) {
    if (!e.alive(s)) continue;
    const nazir::Assignment a = e.AssignmentOf(s);
    NAZIR_FUZZ_CHECK(e.Lookup(a.id).ok());
  }
  const nazir::DocMeta meta{.id = "nazir-fuzz-new-article", .date = 1753920000};
  NAZIR_FUZZ_CHECK(e.Query(meta, kText).ok());
  (void)e.Add(meta, kText);  // AlreadyExists if the file holds that id
  return 0;
}
