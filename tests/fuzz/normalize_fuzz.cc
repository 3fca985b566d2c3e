// Fuzz target: the ar-nd-1 normalizer and tokenizer (lib/normalize).
//
// Input: byte 0 picks the hamza mode (% 3: hamza, seat letter, keep); the
// rest is the raw text, any bytes (invalid UTF-8 included).
// Besides memory errors and UB (ASan+UBSan), it checks what the headers and
// tests/normalize promise:
//   - the table-driven fast path equals the all-ICU reference path, for the
//     normalized text, the invalid-UTF-8 count and the tokens
//     (tests/normalize/differential_test.cc, on random input);
//   - normalization is idempotent and its output is valid UTF-8 with no
//     leading, trailing or doubled space (tests/normalize/normalizer_test.cc);
//   - every token is a non-empty view into the normalized text (tokenizer.h).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/utf8.h>

#include "nazir/normalize/normalizer.h"
#include "nazir/normalize/tokenizer.h"

#include "normalize/internal.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

struct State {
  nazir::Normalizer normalizers[3];
  nazir::Tokenizer tokenizer;
  nazir::internal::ReferenceTokenizer reference;
};

State* MakeState() {
  constexpr nazir::HamzaMode kModes[3] = {nazir::HamzaMode::kHamza, nazir::HamzaMode::kSeatLetter,
                                          nazir::HamzaMode::kKeep};
  auto a = nazir::Normalizer::Create({.hamza_mode = kModes[0]});
  auto b = nazir::Normalizer::Create({.hamza_mode = kModes[1]});
  auto c = nazir::Normalizer::Create({.hamza_mode = kModes[2]});
  auto t = nazir::Tokenizer::Create();
  auto r = nazir::internal::ReferenceTokenizer::Create();
  if (!a.ok() || !b.ok() || !c.ok() || !t.ok() || !r.ok()) nazir::fuzz::Fail("Create");
  return new State{{*std::move(a), *std::move(b), *std::move(c)}, *std::move(t), *std::move(r)};
}

bool ValidUtf8(std::string_view s) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static State* const state = MakeState();
  if (size == 0) return 0;
  const int mode_index = data[0] % 3;
  const nazir::Normalizer& normalizer = state->normalizers[mode_index];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::string fast, ref, twice;
  const size_t fast_invalid = normalizer.Normalize(text, &fast);
  const size_t ref_invalid =
      nazir::internal::ReferenceNormalize(text, normalizer.options().hamza_mode, &ref);
  NAZIR_FUZZ_CHECK(fast == ref);
  NAZIR_FUZZ_CHECK(fast_invalid == ref_invalid);
  NAZIR_FUZZ_CHECK(ValidUtf8(fast));
  NAZIR_FUZZ_CHECK(fast.empty() || (fast.front() != ' ' && fast.back() != ' '));
  NAZIR_FUZZ_CHECK(fast.find("  ") == std::string::npos);
  NAZIR_FUZZ_CHECK(normalizer.Normalize(fast, &twice) == 0);
  NAZIR_FUZZ_CHECK(twice == fast);

  std::vector<std::string_view> tokens, ref_tokens;
  state->tokenizer.Tokenize(fast, &tokens);
  state->reference.Tokenize(fast, &ref_tokens);
  NAZIR_FUZZ_CHECK(tokens == ref_tokens);
  for (std::string_view t : tokens) {
    NAZIR_FUZZ_CHECK(!t.empty());
    NAZIR_FUZZ_CHECK(t.data() >= fast.data() && t.data() + t.size() <= fast.data() + fast.size());
  }
  return 0;
}
