// Token rules shared by the fast tokenizer and the all-ICU reference tokenizer: character
// classes, T1 (entity pre-pass), T3 (post-splits) and T2 through ICU's word BreakIterator.
#include <array>
#include <bit>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include <unicode/brkiter.h>
#include <unicode/rbbi.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "nazir/base/check.h"

#include "normalize/internal.h"

namespace nazir::internal {

// ---- Character classes ---------------------------------------------------------------------

namespace {

CharInfo ClassifyWithIcu(int32_t cp) {
  CharInfo info;
  if (cp == '_' || cp == '@') {
    info.kind = CharKind::kSplit;
    info.word = cp == '_';
    return info;
  }
  if (cp >= '0' && cp <= '9') {
    info.kind = CharKind::kAsciiDigit;
    info.word = true;
    return info;
  }
  const uint32_t mask = U_MASK(u_charType(cp));
  if (mask & U_GC_L_MASK) {
    info.kind = CharKind::kLetter;
    info.word = true;
    UErrorCode st = U_ZERO_ERROR;
    info.script = static_cast<int16_t>(uscript_getScript(cp, &st));
  } else if (mask & U_GC_M_MASK) {
    info.kind = CharKind::kMark;
    info.word = true;
  } else if (mask & U_GC_ND_MASK) {
    info.word = true;
  }
  return info;
}

// Classes of U+0000..U+07FF, computed once from ICU (covers ASCII and the Arabic block).
const std::array<CharInfo, 0x800>& LowTable() {
  static const auto* table = [] {
    auto* t = new std::array<CharInfo, 0x800>;
    for (int32_t cp = 0; cp < 0x800; ++cp) (*t)[cp] = ClassifyWithIcu(cp);
    return t;
  }();
  return *table;
}

}  // namespace

CharInfo Classify(int32_t cp) {
  if (cp >= 0 && cp < 0x800) return LowTable()[cp];
  return ClassifyWithIcu(cp);
}

int32_t DecodeAt(std::string_view text, size_t pos, size_t* len) {
  const auto b = static_cast<uint8_t>(text[pos]);
  if (b < 0x80) {
    *len = 1;
    return b;
  }
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_NEXT(p, i, static_cast<int32_t>(text.size()), c);
  *len = static_cast<size_t>(i) - pos;
  return c < 0 ? 0xFFFD : c;
}

int32_t DecodeBefore(std::string_view text, size_t pos) {
  if (pos == 0) return -1;
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_PREV(p, 0, i, c);
  return c < 0 ? 0xFFFD : c;
}

// ---- T1 ------------------------------------------------------------------------------------

namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLabelChar(char c) { return IsLower(c) || IsDigit(c) || c == '-'; }
bool IsHostChar(char c) { return IsLabelChar(c) || c == '.'; }
bool IsLocalChar(char c) { return IsLabelChar(c) || c == '.' || c == '_' || c == '%' || c == '+'; }
bool IsHandleChar(char c) { return IsLower(c) || IsDigit(c) || c == '_'; }
bool IsGiveBack(char c) { return std::strchr(".,;:!?'\")]}", c) != nullptr && c != '\0'; }

bool IsWordCp(int32_t cp) { return cp >= 0 && Classify(cp).word; }

// Scans one whitespace-free chunk text[begin, end) for entities (spec §4.2 T1).
class ChunkScanner {
 public:
  ChunkScanner(std::string_view text, size_t begin, size_t end, std::vector<Entity>* out)
      : t_(text), begin_(begin), end_(end), out_(out) {}

  void Run() {
    size_t i = begin_;
    while (i < end_) {
      size_t match_end;
      if (MatchUrl(i, &match_end) || MatchEmail(i, &match_end)) {
        out_->push_back({i, match_end, Entity::kDrop});
      } else if (MatchHandle(i, &match_end)) {
        out_->push_back({i, match_end, Entity::kHandle});
      } else if (MatchHashtag(i, &match_end)) {
        out_->push_back({i, match_end, Entity::kHashtag});
      } else {
        size_t len;
        DecodeAt(t_, i, &len);
        i += len;
        continue;
      }
      i = match_end;
      host_memo_end_ = email_memo_end_ = 0;
    }
  }

 private:
  bool StartsWith(size_t i, std::string_view prefix) const {
    return end_ - i >= prefix.size() && t_.compare(i, prefix.size(), prefix) == 0;
  }

  // The URL runs to the end of the chunk; trailing punctuation is given back.
  size_t UrlEnd(size_t min_end) const {
    size_t e = end_;
    while (e > min_end && IsGiveBack(t_[e - 1])) --e;
    return e;
  }

  bool MatchUrl(size_t i, size_t* match_end) {
    const char c = t_[i];
    if (c == 'h') {
      for (std::string_view scheme : {"http://", "https://"}) {
        if (StartsWith(i, scheme)) {
          size_t e = UrlEnd(i + scheme.size());
          if (e > i + scheme.size()) {
            *match_end = e;
            return true;
          }
        }
      }
    }
    if (c == 'w' && StartsWith(i, "www.")) {
      size_t e = UrlEnd(i + 4);
      if (e > i + 4) {
        *match_end = e;
        return true;
      }
    }
    if (!IsLabelChar(c)) return false;
    // Bare host `label(.label)*.tld` immediately followed by '/'. The host must end right before
    // the '/', so it is the whole host-character run from its start; the run's valid starts do
    // not depend on where the scan entered it, which lets one computation serve the whole run.
    if (i >= host_memo_end_) {
      size_t j = i;
      while (j < end_ && IsHostChar(t_[j])) ++j;
      host_memo_end_ = j;
      host_valid_start_ = std::string_view::npos;
      if (j < end_ && t_[j] == '/' && t_[j - 1] != '.') {
        size_t last_dot = j;
        while (last_dot > i && t_[last_dot - 1] != '.') --last_dot;
        last_dot = last_dot > i ? last_dot - 1 : std::string_view::npos;  // bounded: no rescans
        bool tld_ok = last_dot != std::string_view::npos && j - last_dot - 1 >= 2;
        for (size_t k = last_dot + 1; tld_ok && k < j; ++k) tld_ok = IsLower(t_[k]);
        if (tld_ok) {
          // No empty label: start after the last "..", on a label character, before last_dot.
          size_t s = i;
          for (size_t k = i; k + 1 < last_dot; ++k) {
            if (t_[k] == '.' && t_[k + 1] == '.') s = k + 2;
          }
          while (s < last_dot && t_[s] == '.') ++s;
          if (s < last_dot) host_valid_start_ = s;
        }
      }
    }
    if (i != host_valid_start_) return false;
    *match_end = UrlEnd(host_memo_end_ + 1);
    return true;
  }

  // Longest `label(.label)*.tld` (tld: 2+ lower-case letters) starting at i; 0 if none.
  size_t HostEnd(size_t i) const {
    size_t best = 0;
    size_t label_len = 0;
    for (size_t k = i; k < end_ && IsHostChar(t_[k]); ++k) {
      if (t_[k] != '.') {
        ++label_len;
        continue;
      }
      if (label_len == 0) break;  // empty label
      label_len = 0;
      size_t letters = 0;
      while (k + 1 + letters < end_ && IsLower(t_[k + 1 + letters])) ++letters;
      if (letters >= 2) best = k + 1 + letters;
    }
    return best;
  }

  bool MatchEmail(size_t i, size_t* match_end) {
    if (!IsLocalChar(t_[i]) || i < email_memo_end_) return false;
    size_t j = i;
    while (j < end_ && IsLocalChar(t_[j])) ++j;
    if (j < end_ && t_[j] == '@') {
      if (size_t h = HostEnd(j + 1); h != 0) {
        *match_end = h;
        return true;
      }
    }
    email_memo_end_ = j;  // every start inside this run fails the same way
    return false;
  }

  bool MatchHandle(size_t i, size_t* match_end) const {
    if (t_[i] != '@' || IsWordCp(DecodeBefore(t_, i))) return false;
    size_t j = i + 1;
    while (j < end_ && IsHandleChar(t_[j])) ++j;
    const size_t len = j - i - 1;
    if (len < 1 || len > 50) return false;
    if (j < end_) {
      size_t cp_len;
      if (IsWordCp(DecodeAt(t_, j, &cp_len))) return false;
    }
    *match_end = j;
    return true;
  }

  bool MatchHashtag(size_t i, size_t* match_end) const {
    if (t_[i] != '#') return false;
    const int32_t prev = DecodeBefore(t_, i);
    if (prev == '&' || IsWordCp(prev)) return false;
    size_t j = i + 1;
    while (j < end_) {
      size_t len;
      if (!IsWordCp(DecodeAt(t_, j, &len))) break;
      j += len;
    }
    if (j == i + 1) return false;
    *match_end = j;
    return true;
  }

  std::string_view t_;
  size_t begin_, end_;
  std::vector<Entity>* out_;
  size_t host_memo_end_ = 0;
  size_t host_valid_start_ = std::string_view::npos;
  size_t email_memo_end_ = 0;
};

// Bytes that can take part in an entity: every T1 pattern contains one of them ("www." is
// checked at its '.').
constexpr std::array<bool, 256> kTrigger = [] {
  std::array<bool, 256> t{};
  t['/'] = t['@'] = t['#'] = t['.'] = true;
  return t;
}();

// Position of the first trigger byte in text[from, size), or size. Arabic news text has about
// one trigger per 100 bytes, so the scan is 16 bytes at a time.
size_t NextTrigger(std::string_view text, size_t from) {
  const size_t n = text.size();
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
#if defined(__SSE2__)
  const __m128i slash = _mm_set1_epi8('/');
  const __m128i at = _mm_set1_epi8('@');
  const __m128i hash = _mm_set1_epi8('#');
  const __m128i dot = _mm_set1_epi8('.');
  for (; from + 16 <= n; from += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + from));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, slash), _mm_cmpeq_epi8(v, at)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, hash), _mm_cmpeq_epi8(v, dot)));
    const auto mask = static_cast<uint32_t>(_mm_movemask_epi8(hit));
    if (mask != 0) return from + static_cast<size_t>(std::countr_zero(mask));
  }
#endif
  while (from < n && !kTrigger[p[from]]) ++from;
  return from;
}

}  // namespace

void FindEntities(std::string_view text, std::vector<Entity>* entities) {
  entities->clear();
  const size_t n = text.size();
  size_t scanned_until = 0;
  for (size_t k = NextTrigger(text, 0); k < n; k = NextTrigger(text, k + 1)) {
    if (text[k] == '.' &&
        (k < 3 || text[k - 3] != 'w' || text[k - 2] != 'w' || text[k - 1] != 'w')) {
      continue;
    }
    if (k < scanned_until) continue;
    size_t begin = text.rfind(' ', k);
    begin = begin == std::string_view::npos ? 0 : begin + 1;
    if (begin < scanned_until) begin = scanned_until;
    size_t end = text.find(' ', k);
    if (end == std::string_view::npos) end = n;
    ChunkScanner(text, begin, end, entities).Run();
    scanned_until = end;
    k = end;
  }
}

// ---- T3 ------------------------------------------------------------------------------------

void SplitSegment(std::string_view text, size_t begin, size_t end,
                  std::vector<std::string_view>* tokens) {
  size_t start = begin;
  CharKind prev = CharKind::kOther;
  int last_script = -1;
  auto emit = [&](size_t e) {
    if (e > start) tokens->push_back(text.substr(start, e - start));
  };
  for (size_t i = begin; i < end;) {
    size_t len;
    const CharInfo info = Classify(DecodeAt(text, i, &len));
    if (info.kind == CharKind::kSplit) {
      emit(i);
      start = i + len;
      prev = CharKind::kOther;
      last_script = -1;
      i += len;
      continue;
    }
    const bool letter_like = info.kind == CharKind::kLetter || info.kind == CharKind::kMark;
    const bool prev_letter_like = prev == CharKind::kLetter || prev == CharKind::kMark;
    const bool real_script = info.kind == CharKind::kLetter && info.script > USCRIPT_INHERITED;
    bool split = (info.kind == CharKind::kAsciiDigit && prev_letter_like) ||
                 (letter_like && prev == CharKind::kAsciiDigit) ||
                 (real_script && last_script >= 0 && last_script != info.script);
    if (split) {
      emit(i);
      start = i;
      last_script = -1;
    }
    if (real_script) last_script = info.script;
    prev = info.kind;
    i += len;
  }
  emit(end);
}

// ---- T2 (ICU) ------------------------------------------------------------------------------

struct IcuWordSegmenter::Impl {
  std::unique_ptr<icu::BreakIterator> bi;
  UText ut = UTEXT_INITIALIZER;
  ~Impl() { utext_close(&ut); }

  void SetText(std::string_view piece) {
    UErrorCode st = U_ZERO_ERROR;
    utext_openUTF8(&ut, piece.data(), static_cast<int64_t>(piece.size()), &st);
    bi->setText(&ut, st);
    NAZIR_CHECK(U_SUCCESS(st));
  }
};

IcuWordSegmenter::IcuWordSegmenter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IcuWordSegmenter::IcuWordSegmenter(IcuWordSegmenter&&) noexcept = default;
IcuWordSegmenter& IcuWordSegmenter::operator=(IcuWordSegmenter&&) noexcept = default;
IcuWordSegmenter::~IcuWordSegmenter() = default;

absl::StatusOr<IcuWordSegmenter> IcuWordSegmenter::Create() {
  UErrorCode st = U_ZERO_ERROR;
  auto impl = std::make_unique<Impl>();
  impl->bi.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), st));
  if (U_FAILURE(st) || impl->bi == nullptr) {
    return absl::InternalError(std::string("ICU word break iterator unavailable: ") +
                               u_errorName(st));
  }
  return IcuWordSegmenter(std::move(impl));
}

void IcuWordSegmenter::Segment(std::string_view text, size_t begin, size_t end,
                               std::vector<std::string_view>* tokens) {
  if (begin >= end) return;
  impl_->SetText(text.substr(begin, end - begin));
  icu::BreakIterator& bi = *impl_->bi;
  int32_t start = bi.first();
  for (int32_t stop = bi.next(); stop != icu::BreakIterator::DONE; start = stop, stop = bi.next()) {
    if (bi.getRuleStatus() >= UBRK_WORD_NUMBER) {
      SplitSegment(text, begin + static_cast<size_t>(start), begin + static_cast<size_t>(stop),
                   tokens);
    }
  }
}

void IcuWordSegmenter::RawSegments(std::string_view text, std::vector<RawSegment>* segments) {
  segments->clear();
  if (text.empty()) return;
  impl_->SetText(text);
  icu::BreakIterator& bi = *impl_->bi;
  int32_t start = bi.first();
  for (int32_t stop = bi.next(); stop != icu::BreakIterator::DONE; start = stop, stop = bi.next()) {
    segments->push_back(
        {static_cast<size_t>(start), static_cast<size_t>(stop), bi.getRuleStatus()});
  }
}

// ---- Reference tokenizer -------------------------------------------------------------------

absl::StatusOr<ReferenceTokenizer> ReferenceTokenizer::Create() {
  auto seg = IcuWordSegmenter::Create();
  if (!seg.ok()) return seg.status();
  return ReferenceTokenizer(std::move(*seg));
}

void ReferenceTokenizer::Tokenize(std::string_view normalized,
                                  std::vector<std::string_view>* tokens) {
  tokens->clear();
  FindEntities(normalized, &entities_);
  ForEachPiece(
      normalized, entities_,
      [&](size_t b, size_t e) { segmenter_.Segment(normalized, b, e, tokens); },
      [&](size_t b, size_t e) { tokens->push_back(normalized.substr(b, e - b)); });
}

}  // namespace nazir::internal
