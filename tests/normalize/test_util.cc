#include "tests/normalize/test_util.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <simdjson.h>

namespace nazir::testing {
void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    fields.push_back(
        line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return fields;
}

}  // namespace

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == 'u' || s[i + 1] == 'U')) {
      const size_t digits = s[i + 1] == 'u' ? 4 : 8;
      if (i + 2 + digits <= s.size()) {
        const std::string hex(s.substr(i + 2, digits));
        AppendUtf8(static_cast<uint32_t>(std::stoul(hex, nullptr, 16)), &out);
        i += 1 + digits;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

bool LoadGolden(const std::string& path, std::vector<GoldenRow>* rows, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot open " + path;
    return false;
  }
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line_no == 1) continue;  // header
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> f = SplitTabs(line);
    if (f.size() != 4) {
      *error = path + ":" + std::to_string(line_no) + ": expected 4 fields, got " +
               std::to_string(f.size());
      return false;
    }
    GoldenRow row;
    row.line = line_no;
    row.name = f[0];
    row.input = Unescape(f[1]);
    row.expected_normalized = Unescape(f[2]);
    std::string_view toks = f[3];
    while (!toks.empty()) {
      size_t sp = toks.find(' ');
      row.expected_tokens.emplace_back(toks.substr(0, sp));
      if (sp == std::string_view::npos) break;
      toks.remove_prefix(sp + 1);
    }
    rows->push_back(std::move(row));
  }
  return true;
}

bool LoadJsonlTexts(const std::string& path, size_t max_docs, std::vector<std::string>* texts) {
  if (!std::ifstream(path)) return false;
  const bool zst = path.size() > 4 && path.compare(path.size() - 4, 4, ".zst") == 0;
  FILE* f = zst ? popen(("zstd -dc '" + path + "' 2>/dev/null").c_str(), "r")
                : std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  simdjson::ondemand::parser parser;
  std::string line;
  size_t docs = 0;
  char buf[1 << 16];
  bool ok = true;
  auto handle_line = [&]() {
    if (line.empty()) return;
    simdjson::padded_string padded(line);
    simdjson::ondemand::document doc;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return;
    for (const char* field : {"title", "text"}) {
      std::string_view v;
      if (doc[field].get_string().get(v) == simdjson::SUCCESS) texts->emplace_back(v);
    }
    ++docs;
  };
  while (docs < max_docs && std::fgets(buf, sizeof buf, f) != nullptr) {
    line += buf;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      handle_line();
      line.clear();
    }
  }
  if (docs < max_docs) handle_line();
  if (zst) {
    // Reading stops early on purpose; drain nothing, just close (zstd gets SIGPIPE).
    pclose(f);
  } else {
    std::fclose(f);
  }
  return ok;
}

std::string JoinTokens(const std::vector<std::string_view>& tokens) {
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i) out += ' ';
    out += tokens[i];
  }
  return out;
}

}  // namespace nazir::testing

namespace nazir::testing {
namespace {

struct CpRange {
  uint32_t lo, hi;
};

// Single code points drawn from these ranges (weights: each range equally likely).
constexpr CpRange kNastyRanges[] = {
    {0x0621, 0x064A},   {0x0621, 0x064A},
    {0x0621, 0x064A},  // Arabic letters (frequent)
    {0x0600, 0x06FF},  // the whole Arabic block
    {0x064B, 0x0655},   {0x0670, 0x0670},
    {0x0640, 0x0640},  // harakat, U+0653..0655, tatweel
    {0x0671, 0x06D5},   {0x0750, 0x077F},
    {0x08A0, 0x08FF},  // extended Arabic letters, marks
    {0x0660, 0x0669},   {0x06F0, 0x06F9},
    {0x0966, 0x096F},  // digits: Arabic, Persian, Devanagari
    {0xFF10, 0xFF19},   {0x0030, 0x0039},
    {0x0030, 0x0039},                      // fullwidth, ASCII
    {0xFB50, 0xFDFF},   {0xFE70, 0xFEFF},  // presentation forms
    {0x0041, 0x005A},   {0x0061, 0x007A},
    {0x0061, 0x007A},  // Latin
    {0x00C0, 0x017F},   {0x0300, 0x036F},
    {0x1E00, 0x1EFF},  // accented Latin, combining marks
    {0x200B, 0x200F},   {0x202A, 0x202E},
    {0x2066, 0x2069},  // ZW*, bidi controls
    {0x2060, 0x2060},   {0xFEFF, 0xFEFF},
    {0x00AD, 0x00AD},  // WJ, BOM, soft hyphen
    {0x061C, 0x061C},   {0xFE00, 0xFE0F},
    {0x20D0, 0x20F0},  // ALM, variation selectors, keycap
    {0x0000, 0x001F},   {0x007F, 0x009F},
    {0xFFFD, 0xFFFD},  // controls, replacement char
    {0x0020, 0x0020},   {0x0020, 0x0020},
    {0x00A0, 0x00A0},  // spaces
    {0x2000, 0x200A},   {0x3000, 0x3000},
    {0x202F, 0x202F},  // Unicode spaces
    {0x2028, 0x2029},   {0x0021, 0x002F},
    {0x003A, 0x0040},  // separators, ASCII punctuation
    {0x005B, 0x0060},   {0x007B, 0x007E},
    {0x2010, 0x205E},  // ASCII & general punctuation
    {0x00A1, 0x00BF},   {0x060C, 0x061F},
    {0x066A, 0x066D},  // Latin-1 and Arabic punctuation
    {0x1F300, 0x1F64F}, {0x1F3FB, 0x1F3FF},
    {0x1F1E6, 0x1F1FF},  // emoji, skin tones, flags
    {0x2600, 0x27BF},   {0x05D0, 0x05EA},
    {0x0915, 0x094D},  // symbols, Hebrew, Devanagari
    {0x0E01, 0x0E4E},   {0x4E00, 0x4E20},
    {0x3041, 0x30FF},  // Thai, CJK, kana
    {0xAC00, 0xAC10},   {0x0400, 0x045F},
    {0xFDF0, 0xFDFD},  // Hangul, Cyrillic, word ligatures
    {0x10EFD, 0x10EFF}, {0x1D400, 0x1D7FF},
    {0xE0020, 0xE007F},  // Arabic ext-C, math, tags
};

constexpr const char* kNastyStrings[] = {
    "https://",
    "http://",
    "www.",
    ".com/",
    ".net",
    "t.co/",
    "pic.twitter.com/",
    "@",
    "@abc",
    "#",
    "#\u0633\u0648\u0631\u064a\u0627_\u0627\u0644\u0627\u0646",
    "_",
    "info@x.com",
    "&#",
    "\u0644\u0627\u0641\u0631\u0648\u0641",
    "\u0648\u0632\u064a\u0631",
    "..",
    "'s",
    "u.s.",
    "3.5",
    "1,234",
    "\u0648\u0661\u0665",
    "\u0627\u0644\u0640",
    "\u064a\u0654",
    "\u0649\u0654",
    "\u0627\u0653",
    "\r\n",
    "\t",
};

// Fast-alphabet pieces for the tokenizer.
constexpr const char* kFastPieces[] = {
    "a",      "b",      "z",      "Q",      "0",      "7",      ".",      "'",
    ",",      ";",      "_",      "@",      ":",      "-",      "\"",     "/",
    "(",      "#",      "%",      "&",      "!",      "?",      " ",      " ",
    " ",      "\u0628", "\u0627", "\u0644", "\u0647", "\u064a", "\u0621", "\u06a9",
    "\u06cc", "\u0671", "\u06d5", "\u066e", "\u06fa",
};

// Code points outside the fast alphabet that stress the ICU fallback.
constexpr uint32_t kSlowCps[] = {
    0x0903, 0x0301,  0x1F3FD, 0x200D,  0x00AD, 0x05D0, 0x05F4, 0x0E01, 0x4E2D, 0x30AB, 0x3042,
    0xAC00, 0x1F1F7, 0x1F1FA, 0x1F44D, 0x2764, 0xFE0F, 0x20E3, 0x00E9, 0x0660, 0x066B, 0x066C,
    0x060C, 0x2019,  0x00B7,  0x0387,  0x2027, 0xFE13, 0xFF1A, 0x202F, 0x203F, 0x000A, 0x000D,
    0x0085, 0x2028,  0x00A0,  0x3000,  0x0640, 0x064E, 0x0670, 0x06DD, 0x0600, 0x00AA, 0x1D7CE,
};

}  // namespace

std::string NastyString(std::mt19937_64& rng, size_t items) {
  std::string out;
  constexpr size_t kRanges = sizeof(kNastyRanges) / sizeof(kNastyRanges[0]);
  constexpr size_t kStrings = sizeof(kNastyStrings) / sizeof(kNastyStrings[0]);
  for (size_t i = 0; i < items; ++i) {
    const uint64_t r = rng();
    if (r % 8 == 0) {
      out += Unescape(kNastyStrings[(r >> 8) % kStrings]);
      continue;
    }
    const CpRange& range = kNastyRanges[(r >> 8) % kRanges];
    uint32_t cp = range.lo + static_cast<uint32_t>((r >> 32) % (range.hi - range.lo + 1));
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    AppendUtf8(cp, &out);
  }
  return out;
}

std::string FastAlphabetString(std::mt19937_64& rng, size_t items, double slow_rate) {
  std::string out;
  constexpr size_t kPieces = sizeof(kFastPieces) / sizeof(kFastPieces[0]);
  constexpr size_t kSlow = sizeof(kSlowCps) / sizeof(kSlowCps[0]);
  std::uniform_real_distribution<double> coin(0, 1);
  for (size_t i = 0; i < items; ++i) {
    if (coin(rng) < slow_rate) {
      AppendUtf8(kSlowCps[rng() % kSlow], &out);
    } else {
      out += Unescape(kFastPieces[rng() % kPieces]);
    }
  }
  return out;
}

}  // namespace nazir::testing
