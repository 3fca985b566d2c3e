// UTF-8 repair helpers used by the corpus reader and the JSON writer.
// Internal.
#ifndef NAZIR_IO_UTF8_H_
#define NAZIR_IO_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace nazir::internal {

// Appends `in` to *out, replacing each maximal invalid subpart (Unicode §3.9,
// "U+FFFD substitution of maximal subparts", as the WHATWG decoder does) by
// U+FFFD. Returns the number of replacements made (0 iff `in` is valid).
size_t AppendRepairedUtf8(std::string_view in, std::string* out);

// Appends the raw JSON text `in` to *out, replacing every \uXXXX escape that
// encodes a lone UTF-16 surrogate by \ufffd (JSON parsers reject those).
// Returns the number of replacements.
size_t AppendWithoutLoneSurrogates(std::string_view in, std::string* out);

// Truncates `s` to at most `max_bytes` bytes without splitting a UTF-8
// sequence; appends "..." when it cut something.
std::string TruncateUtf8(std::string_view s, size_t max_bytes);

}  // namespace nazir::internal

#endif  // NAZIR_IO_UTF8_H_
