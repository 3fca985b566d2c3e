// Helpers for writing JSON Lines output quickly and correctly: append a JSON
// string literal, a number or an integer to a std::string, and format epoch
// seconds as ISO 8601 dates. Callers build each output line in one reused
// std::string and write it with one fwrite.
//
//   std::string line;
//   line += "{\"id\":";
//   nazir::AppendJsonString(&line, article.id);
//   line += ",\"score\":";
//   nazir::AppendJsonNumber(&line, 0.8731, 4);   // 0.8731
//   line += ",\"date\":\"" + nazir::FormatDate(article.date) + "\"}\n";
//
// Ownership: the functions only append to the caller's string.
// Thread-safety: all functions are pure and may be called concurrently.
// Failure: none. Invalid UTF-8 in a string is replaced by U+FFFD so the output
// is always valid JSON; NaN and infinities are written as null.
#ifndef NAZIR_IO_JSON_WRITER_H_
#define NAZIR_IO_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace nazir {

// Appends `utf8` as a quoted JSON string: escapes '"' and '\\'; control
// characters U+0000..U+001F as \b \f \n \r \t or \u00XX; leaves all other
// valid UTF-8 (Arabic included) as is; replaces invalid UTF-8 by U+FFFD.
void AppendJsonString(std::string* out, std::string_view utf8);

// Appends `v` with `precision` significant digits (1..17; clamped), shortest
// form ("%.*g" style, locale-independent): 0.87314 with 4 → 0.8731,
// 1.0 → 1, 1e-7 → 1e-07. NaN and ±infinity become null.
void AppendJsonNumber(std::string* out, double v, int precision);

// Appends the decimal form of `v`.
void AppendJsonInt(std::string* out, int64_t v);

// Epoch seconds (UTC) → "2015-07-21". Returns "" for Article::kNoDate
// (INT64_MIN).
std::string FormatDate(int64_t epoch_seconds);

// Epoch seconds (UTC) → "2015-07-21T02:51:32Z". Returns "" for
// Article::kNoDate (INT64_MIN).
std::string FormatDateTime(int64_t epoch_seconds);

}  // namespace nazir

#endif  // NAZIR_IO_JSON_WRITER_H_
