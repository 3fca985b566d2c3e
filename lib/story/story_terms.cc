#include "nazir/story/story_terms.h"

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include "nazir/base/status.h"
#include "nazir/normalize/normalizer.h"

#include "story/internal.h"

namespace nazir {
namespace internal {

bool IsArabicWord(std::string_view s) {
  if (s.empty() || s.size() % 2 != 0) return false;
  for (size_t i = 0; i < s.size(); i += 2) {
    unsigned char b0 = static_cast<unsigned char>(s[i]);
    unsigned char b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 < 0xD8 || b0 > 0xDB || (b1 & 0xC0) != 0x80) return false;
    uint32_t cp = ((b0 & 0x1Fu) << 6) | (b1 & 0x3Fu);
    if (cp < 0x620) return false;                  // punctuation, signs
    if (cp >= 0x660 && cp <= 0x66D) return false;  // digits, separators
    if (cp == 0x6D4 || (cp >= 0x6F0 && cp <= 0x6F9)) return false;
  }
  return true;
}

}  // namespace internal

namespace {

using internal::MonthEntry;
using internal::StoryTermTables;
using internal::TokenInfo;

constexpr std::string_view kMonthTokens[13] = {
    "",         "month:01", "month:02", "month:03", "month:04", "month:05", "month:06",
    "month:07", "month:08", "month:09", "month:10", "month:11", "month:12"};

// Splits normalized text at spaces.
std::vector<std::string> Words(const std::string& normalized) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < normalized.size()) {
    size_t j = normalized.find(' ', i);
    if (j == std::string::npos) j = normalized.size();
    if (j > i) out.push_back(normalized.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool IsSingleArabicLetter(std::string_view t) { return t.size() == 2 && internal::IsArabicWord(t); }

// ASCII digits only, value in [lo, hi], at most `max_len` digits.
bool IsNumberIn(std::string_view t, size_t min_len, size_t max_len, int lo, int hi) {
  if (t.size() < min_len || t.size() > max_len) return false;
  int v = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  return v >= lo && v <= hi;
}

}  // namespace

absl::Status StoryTermOptions::Validate() const {
  if (max_body_tokens > 1'000'000) {
    return absl::InvalidArgumentError("StoryTermOptions.max_body_tokens must be <= 1000000");
  }
  if (token_cache_entries > (size_t{1} << 26)) {
    return absl::InvalidArgumentError("StoryTermOptions.token_cache_entries must be <= 2^26");
  }
  return normalizer.Validate();
}

StoryTermizer::StoryTermizer(StoryTermOptions options,
                             std::shared_ptr<const internal::StoryTermTables> t)
    : options_(std::move(options)), tables_(std::move(t)) {}

absl::StatusOr<StoryTermizer> StoryTermizer::Create(const StoryTermOptions& options) {
  NAZIR_RETURN_IF_ERROR(options.Validate());
  NAZIR_ASSIGN_OR_RETURN(Normalizer norm, Normalizer::Create(options.normalizer));
  absl::flat_hash_map<std::string, TokenInfo> info;
  auto add_words = [&](auto&& list, auto&& apply) {
    for (const auto& raw : list) {
      std::vector<std::string> words = Words(norm.Normalize(std::string_view(raw)));
      if (words.size() == 1) apply(info[words[0]]);
    }
  };
  if (options.stopwords.has_value()) {
    add_words(*options.stopwords, [](TokenInfo& ti) { ti.stop = true; });
  } else {
    add_words(DefaultStoryStopwords(), [](TokenInfo& ti) { ti.stop = true; });
  }
  if (options.protected_terms.has_value()) {
    add_words(*options.protected_terms, [](TokenInfo& ti) { ti.protect = true; });
  } else {
    add_words(DefaultStoryProtectedTerms(), [](TokenInfo& ti) { ti.protect = true; });
  }
  for (const internal::MonthName& m : internal::MonthNames()) {
    std::vector<std::string> words = Words(norm.Normalize(m.phrase));
    if (words.empty() || words.size() > 2) {
      return absl::InternalError(absl::StrCat("bad month phrase ", ToAbsl(m.phrase)));
    }
    MonthEntry e{words.size() == 2 ? words[1] : std::string(), m.month, m.ambiguous};
    auto& months = info[words[0]].months;
    bool dup = false;
    for (const MonthEntry& x : months) dup |= x.second == e.second;
    if (dup) continue;  // e.g. أبريل / إبريل coincide after ar-nd-1
    // Two-token phrases first (longest match).
    if (e.second.empty()) {
      months.push_back(std::move(e));
    } else {
      months.insert(months.begin(), std::move(e));
    }
  }
  auto tables = std::make_shared<StoryTermTables>();
  tables->words = internal::WordTable(info);
  return StoryTermizer(options, std::move(tables));
}

void StoryTermizer::Terms(std::span<const std::string_view> nd_tokens,
                          std::vector<std::string>* terms) const {
  ForEachTerm(nd_tokens, [terms](std::string_view t) { terms->emplace_back(t); });
}

const TokenInfo* StoryTermizer::Find(std::string_view token) const {
  return tables_->words.Find(token);
}

bool StoryTermizer::PlainTerm(std::string_view token, const TokenInfo* ti,
                              std::string_view* term) const {
  if (ti != nullptr && ti->stop) return false;
  if (IsSingleArabicLetter(token)) return false;
  if (options_.stem && internal::IsArabicWord(token)) {
    token = internal::LightStem(token, [this](std::string_view t) {
      const TokenInfo* p = Find(t);
      return p != nullptr && p->protect;
    });
  }
  *term = token;
  return true;
}

size_t StoryTermizer::MonthPhraseAt(std::span<const std::string_view> tok, size_t i,
                                    const TokenInfo& ti, MonthState* st,
                                    std::string_view* term) const {
  const size_t n = tok.size();
  // Month phrase starting at j: returns its entry and sets *len, or nullptr.
  auto match_month = [&](size_t j, const TokenInfo* tj, size_t* len) -> const MonthEntry* {
    if (tj == nullptr) return nullptr;
    for (const MonthEntry& e : tj->months) {
      if (e.second.empty()) {
        *len = 1;
        return &e;
      }
      if (j + 1 < n && tok[j + 1] == e.second) {
        *len = 2;
        return &e;
      }
    }
    return nullptr;
  };
  size_t len = 0;
  const MonthEntry* e = match_month(i, &ti, &len);
  if (e == nullptr) return 0;
  bool is_month = !e->ambiguous;
  if (!is_month) {
    bool prev_adjacent = i > 0 && st->last_end == i - 1;
    is_month = (i > 0 && (IsNumberIn(tok[i - 1], 1, 2, 1, 31) || tok[i - 1] == "شهر")) ||
               (i + len < n && IsNumberIn(tok[i + len], 4, 4, 1900, 2100)) ||
               (prev_adjacent && st->last_unambiguous);
    if (!is_month && i + len < n) {
      size_t len2 = 0;
      const MonthEntry* next = match_month(i + len, Find(tok[i + len]), &len2);
      is_month = next != nullptr && !next->ambiguous;
    }
  }
  if (!is_month) return 0;
  bool collapse = i > 0 && st->last_end == i - 1 && st->last_month == e->month;
  *term = collapse ? std::string_view() : kMonthTokens[e->month];
  st->last_month = e->month;
  st->last_unambiguous = !e->ambiguous;
  st->last_end = i + len - 1;
  return len;
}

void StoryTermizer::ForEachTerm(std::span<const std::string_view> tok,
                                absl::FunctionRef<void(std::string_view)> sink) const {
  MonthState month_state;
  size_t i = 0;
  while (i < tok.size()) {
    const std::string_view t = tok[i];
    const TokenInfo* ti = Find(t);
    if (ti != nullptr && !ti->months.empty()) {
      std::string_view month;
      if (size_t len = MonthPhraseAt(tok, i, *ti, &month_state, &month); len != 0) {
        if (!month.empty()) sink(month);
        i += len;
        continue;
      }
    }
    ++i;
    std::string_view term;
    if (PlainTerm(t, ti, &term)) sink(term);
  }
}

bool StoryTermizer::PlainTermAndCandidate(std::string_view token, const TokenInfo* ti,
                                          std::string_view* term, bool* arabic,
                                          std::string_view* candidate, std::string* buf) const {
  if (ti != nullptr && ti->stop) return false;
  *arabic = internal::IsArabicWord(token);
  if (*arabic && token.size() == 2) return false;  // IsSingleArabicLetter
  *candidate = {};
  if (!options_.stem || !*arabic) {  // CliticCandidate: nothing for non-words or unstemmed
    *term = token;
    return true;
  }
  // The stem of an Arabic word is an Arabic word (whole letters removed, >= 2 left).
  const internal::WordTable& words = tables_->words;
  int stem_protected;
  *term = internal::LightStemKnown(
      token, ti != nullptr && ti->protect,
      [&words](std::string_view t) {
        const TokenInfo* p = words.Find(t);
        return p != nullptr && p->protect;
      },
      &stem_protected);
  *candidate = ArabicCliticCandidate(*term, stem_protected, buf);
  return true;
}

std::string_view StoryTermizer::CliticCandidate(std::string_view term, std::string* buf) const {
  if (!options_.stem || !internal::IsArabicWord(term)) return {};
  return ArabicCliticCandidate(term, -1, buf);
}

std::string_view StoryTermizer::ArabicCliticCandidate(std::string_view term, int term_protected,
                                                      std::string* buf) const {
  const internal::WordTable& words = tables_->words;
  auto is_protected = [&words](std::string_view t) {
    const TokenInfo* p = words.Find(t);
    return p != nullptr && p->protect;
  };
  if (term_protected < 0 ? is_protected(term) : term_protected != 0) return {};
  static constexpr std::string_view kPrefixes[] = {"ب", "ل", "ف", "ك"};
  static constexpr std::string_view kSuffixes[] = {"نا", "هم", "كم", "ها"};
  // One clitic: a suffix if the term has one (لحمتنا: ل here is part of the word), else a
  // prefix. A single candidate keeps Term small; the corpus decides whether it is right.
  std::string_view t = term;
  bool changed = false;
  bool teh = false;
  for (std::string_view x : kSuffixes) {
    if (t.size() >= 10 && internal::EndsWith(t, x)) {  // >= 3 letters remain
      t.remove_suffix(x.size());
      changed = true;
      teh = internal::EndsWith(t, "ت");
      break;
    }
  }
  for (std::string_view p : kPrefixes) {
    if (changed) break;
    if (t.size() >= 8 && internal::StartsWith(t, p)) {  // >= 3 letters remain
      t.remove_prefix(p.size());
      changed = true;
      break;
    }
  }
  if (!changed) return {};
  if (teh) {  // لحمتنا -> لحمت -> لحمه (ar-nd-1 folds ة to ه)
    buf->assign(t.substr(0, t.size() - 2));
    buf->append("ه");
    t = *buf;
  }
  std::string_view stem = internal::LightStem(t, is_protected);  // a view into term or *buf
  return stem.size() < 6 ? std::string_view() : stem;
}

absl::StatusOr<std::vector<std::string>> LoadWordList(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open word list ", path));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    size_t b = line.find_first_not_of(" \t\r\n");
    if (b == std::string::npos || line[b] == '#') continue;
    size_t e = line.find_last_not_of(" \t\r\n");
    out.push_back(line.substr(b, e - b + 1));
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading word list ", path));
  return out;
}

}  // namespace nazir
