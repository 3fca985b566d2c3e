#include "tests/normalize/test_util.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <simdjson.h>

namespace nazir::testing {
namespace {

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
