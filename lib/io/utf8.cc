#include "io/utf8.h"

#include <cstdint>

namespace nazir::internal {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Value of the 4 hex digits at s[i..i+4), or -1.
int Hex4(std::string_view s, size_t i) {
  if (i + 4 > s.size()) return -1;
  int v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    int h = HexValue(s[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

}  // namespace

size_t AppendRepairedUtf8(std::string_view in, std::string* out) {
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  const size_t n = in.size();
  size_t replaced = 0;
  size_t i = 0;
  while (i < n) {
    size_t run = i;
    while (run < n && s[run] < 0x80) ++run;
    out->append(in.data() + i, run - i);
    i = run;
    if (i >= n) break;
    const uint8_t c = s[i];
    int need = 0;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
    } else if (c == 0xE0) {
      need = 2, lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      need = 2;
    } else if (c == 0xED) {
      need = 2, hi = 0x9F;
    } else if (c == 0xF0) {
      need = 3, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      need = 3;
    } else if (c == 0xF4) {
      need = 3, hi = 0x8F;
    }
    size_t j = i + 1;
    bool ok = need > 0;
    for (int k = 0; ok && k < need; ++k, ++j) {
      if (j >= n || s[j] < (k == 0 ? lo : 0x80) || s[j] > (k == 0 ? hi : 0xBF)) ok = false;
      if (!ok) break;
    }
    if (ok) {
      out->append(in.data() + i, j - i);
    } else {
      out->append(kReplacement);
      ++replaced;
    }
    i = j;
  }
  return replaced;
}

size_t AppendWithoutLoneSurrogates(std::string_view in, std::string* out) {
  size_t replaced = 0;
  size_t copied = 0;  // in[copied..i) still to be appended
  size_t i = 0;
  while (i < in.size()) {
    if (in[i] != '\\') {
      ++i;
      continue;
    }
    if (i + 1 >= in.size() || in[i + 1] != 'u') {
      i += 2;  // some other escape (or a trailing backslash)
      continue;
    }
    const int v = Hex4(in, i + 2);
    if (v < 0xD800 || v > 0xDFFF) {  // includes v == -1 (bad escape: left to the parser)
      i += 2;
      continue;
    }
    if (v <= 0xDBFF && i + 7 < in.size() && in[i + 6] == '\\' && in[i + 7] == 'u') {
      const int low = Hex4(in, i + 8);
      if (low >= 0xDC00 && low <= 0xDFFF) {  // a proper surrogate pair
        i += 12;
        continue;
      }
    }
    out->append(in.data() + copied, i - copied);
    out->append("\\ufffd");
    ++replaced;
    i += 6;
    copied = i;
  }
  out->append(in.data() + copied, in.size() - copied);
  return replaced;
}

std::string TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<uint8_t>(s[cut]) & 0xC0) == 0x80) --cut;
  std::string out(s.substr(0, cut));
  out += "...";
  return out;
}

}  // namespace nazir::internal
