#include "nazir/io/html_entities.h"

#include <cstdint>
#include <cstring>
#include <string_view>

namespace nazir {
namespace {

struct Named {
  std::string_view name;  // without '&' and ';'
  char32_t cp;
};
constexpr Named kNamed[] = {
    {"amp", U'&'},         {"lt", U'<'},         {"gt", U'>'},          {"quot", U'"'},
    {"apos", U'\''},       {"nbsp", U'\u00A0'},  {"ensp", U'\u2002'},   {"emsp", U'\u2003'},
    {"thinsp", U'\u2009'}, {"zwnj", U'\u200C'},  {"zwj", U'\u200D'},    {"lrm", U'\u200E'},
    {"rlm", U'\u200F'},    {"shy", U'\u00AD'},   {"lsquo", U'\u2018'},  {"rsquo", U'\u2019'},
    {"sbquo", U'\u201A'},  {"ldquo", U'\u201C'}, {"rdquo", U'\u201D'},  {"bdquo", U'\u201E'},
    {"laquo", U'\u00AB'},  {"raquo", U'\u00BB'}, {"ndash", U'\u2013'},  {"mdash", U'\u2014'},
    {"hellip", U'\u2026'}, {"bull", U'\u2022'},  {"middot", U'\u00B7'}, {"copy", U'\u00A9'},
    {"reg", U'\u00AE'},    {"trade", U'\u2122'}, {"deg", U'\u00B0'},    {"times", U'\u00D7'},
    {"divide", U'\u00F7'},
};
constexpr size_t kMaxName = 6;

// HTML's reading of numeric references 0x80..0x9F (Windows-1252); 0 where
// the byte is undefined there (the code point is kept as it is).
constexpr char16_t kWindows1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

char32_t NumericValue(char32_t v) {
  if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0xFFFD;
  if (v >= 0x80 && v <= 0x9F && kWindows1252[v - 0x80] != 0) return kWindows1252[v - 0x80];
  return v;
}

// Writes cp as UTF-8 at out; returns the byte count.
size_t EncodeUtf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

int DigitValue(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (hex && c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (hex && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The reference starting at s[0] == '&': its code point and length
// (including '&' and ';'), or length 0 if there is none.
size_t ParseReference(std::string_view s, char32_t* cp) {
  if (s.size() >= 4 && s[1] == '#') {
    const bool hex = s[2] == 'x' || s[2] == 'X';
    size_t i = hex ? 3 : 2;
    const size_t start = i;
    uint32_t v = 0;
    for (; i < s.size(); ++i) {
      const int d = DigitValue(s[i], hex);
      if (d < 0) break;
      v = v * (hex ? 16 : 10) + static_cast<uint32_t>(d);
      if (v > 0x10FFFF) v = 0x110000;  // out of range whatever follows; no overflow
    }
    if (i == start || i >= s.size() || s[i] != ';') return 0;
    *cp = NumericValue(v);
    return i + 1;
  }
  const size_t semi = s.substr(1, kMaxName + 1).find(';');
  if (semi == std::string_view::npos || semi == 0) return 0;
  const std::string_view name = s.substr(1, semi);
  for (const Named& n : kNamed) {
    if (n.name == name) {
      *cp = n.cp;
      return semi + 2;
    }
  }
  return 0;
}

}  // namespace

size_t DecodeHtmlEntities(std::string* text) {
  char* const data = text->data();
  const size_t n = text->size();
  const void* first = std::memchr(data, '&', n);
  if (first == nullptr) return 0;
  size_t in = static_cast<size_t>(static_cast<const char*>(first) - data);
  size_t out = in;
  size_t decoded = 0;
  while (in < n) {
    if (data[in] != '&') {
      // Copy the run up to the next '&' (memmove: out <= in, ranges overlap).
      const void* amp = std::memchr(data + in, '&', n - in);
      const size_t end = amp ? static_cast<size_t>(static_cast<const char*>(amp) - data) : n;
      if (out != in) std::memmove(data + out, data + in, end - in);
      out += end - in;
      in = end;
      continue;
    }
    char32_t cp = 0;
    const size_t len = ParseReference(std::string_view(data + in, n - in), &cp);
    if (len == 0) {
      data[out++] = data[in++];
      continue;
    }
    // Every reference is longer than its UTF-8 (at most 4 bytes, and "&#N;"
    // with one digit is 4 bytes for at most 3), so out + written <= in + len.
    out += EncodeUtf8(cp, data + out);
    in += len;
    ++decoded;
  }
  text->resize(out);
  return decoded;
}

}  // namespace nazir
