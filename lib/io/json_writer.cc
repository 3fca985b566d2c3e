#include "nazir/io/json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include <simdjson.h>

#include "io/civil_time.h"
#include "io/utf8.h"

namespace nazir {
namespace {

// 0: copy; otherwise the escape letter ('u' for \u00XX).
constexpr std::array<char, 256> MakeEscapeTable() {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 'u';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['"'] = '"';
  t['\\'] = '\\';
  return t;
}
constexpr std::array<char, 256> kEscape = MakeEscapeTable();

void AppendEscapedValid(std::string* out, std::string_view s) {
  out->push_back('"');
  size_t copied = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char e = kEscape[static_cast<unsigned char>(s[i])];
    if (e == 0) continue;
    out->append(s.data() + copied, i - copied);
    copied = i + 1;
    if (e == 'u') {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto c = static_cast<unsigned char>(s[i]);
      const char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out->append(buf, 6);
    } else {
      const char buf[2] = {'\\', e};
      out->append(buf, 2);
    }
  }
  out->append(s.data() + copied, s.size() - copied);
  out->push_back('"');
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view utf8) {
  if (simdjson::validate_utf8(utf8.data(), utf8.size())) {
    AppendEscapedValid(out, utf8);
    return;
  }
  std::string repaired;
  internal::AppendRepairedUtf8(utf8, &repaired);
  AppendEscapedValid(out, repaired);
}

void AppendJsonNumber(std::string* out, double v, int precision) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  precision = std::clamp(precision, 1, 17);
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, precision);
  out->append(buf, res.ptr);
}

void AppendJsonInt(std::string* out, int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, res.ptr);
}

std::string FormatDate(int64_t epoch_seconds) {
  if (epoch_seconds == INT64_MIN) return "";
  const auto c = internal::CivilFromDays(internal::FloorDiv(epoch_seconds, 86400));
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(c.year),
                        c.month, c.day);
  return std::string(buf, n);
}

std::string FormatDateTime(int64_t epoch_seconds) {
  if (epoch_seconds == INT64_MIN) return "";
  const int64_t days = internal::FloorDiv(epoch_seconds, 86400);
  const int64_t secs = epoch_seconds - days * 86400;
  const auto c = internal::CivilFromDays(days);
  char buf[48];
  int n =
      std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
                    static_cast<long long>(c.year), c.month, c.day, static_cast<int>(secs / 3600),
                    static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return std::string(buf, n);
}

}  // namespace nazir
