// StoryFeaturizer's token cache: the features of a document must not depend on what the
// featurizer saw before (cache warm, cold, emptied by its bound, or off). Each document's
// features are compared with a reference built from the public term layer (StoryTermizer::Terms,
// StoryTermId, CliticCandidate), the way Featurize is specified.
#include "nazir/story/story_features.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include <gtest/gtest.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "nazir/io/corpus_reader.h"
#include "nazir/normalize/tokenizer.h"
#include "nazir/story/story_terms.h"

namespace nazir {
namespace {

struct Doc {
  std::string title;
  std::string body_text;
  std::vector<std::string_view> body;  // ar-nd-1 tokens into body_text
};

// Documents that exercise every branch of the term layer: month phrases (ambiguous ones in and
// out of date context, two-token ones, adjacent ones that collapse, a month at the lead/body
// boundary), stopwords, single letters, protected names, clitics (ب ل ف ك, نا هم كم ها, the
// ت/ه case), spelling variants, Latin words, digits, and tokens longer than the cache keeps.
std::vector<Doc> SyntheticDocs() {
  const std::string long_token(300, 'x');
  const std::string long_arabic = [] {
    std::string s;
    for (int i = 0; i < 140; ++i) s += "بت";
    return s;
  }();
  std::vector<std::pair<std::string, std::string>> raw = {
      {"بيلوسوف في سوريا", "زار بيلاوسوف سورية وقال بيلاوسوف إن سوريا مهمة في 12 مارس 2015"},
      {"مارس", "مارس الرئيس ضغوطا في مارس الماضي ثم في شهر مارس وفي 3 آب و آب 2016"},
      {"كانون الثاني", "في كانون الثاني يناير 2015 ديسمبر كانون الأول تشرين الأول ماي جوان"},
      {"عسير", "تفجير بعسير عسير لحمتنا تزيدنا بريطانيا لبنان فلسطين بالرياض وبالرياض"},
      {"", "و في من على إلى ب ل ف ك ا ي " + long_token + " " + long_arabic + " " + long_arabic},
      {"Reuters news", "Reuters reported 2015 ١٢ 12 abc def abc نتنياهو نتانياهو نتنياهو"},
      {"المفاوضات", "المفاوضات السورية الشيباني بوتين الوزراء والمسؤولون فالحكومة كالعادة"},
  };
  // One id, two clitic candidates: لحمتانا folds to لحمتنا's skeleton, but its candidate
  // (لحمتا) is not لحمتنا's (لحمه). The term's alt_id and strings are those of its first
  // spelling in the document (also the other way round, in a later document).
  raw.emplace_back("لحمتنا", "لحمتانا لحمتنا لحمتانا");
  raw.emplace_back("", "جزيرتانا جزيرتنا جزيرتانا جزيرتنا");
  // Documents with more distinct terms than a small document (the featurizer sorts those by
  // fewer bits): 3,000 and 12,000 distinct tokens (all of them read when max_body_tokens is 0).
  for (int words : {3000, 12000}) {
    static constexpr std::string_view kLetters[] = {"ب", "ت", "ث", "ج", "ح", "خ", "د",
                                                    "ذ", "ر", "ز", "س", "ش", "ص", "ض",
                                                    "ط", "ظ", "ع", "غ", "ف", "ق", "ك"};
    std::string body;
    for (int w = 0; w < words; ++w) {
      for (int x = w, k = 0; k < 4; ++k, x /= 21) body += kLetters[x % 21];
      body += w % 3 == 0 ? "ون " : " ";
    }
    raw.emplace_back("عنوان", body);
  }
  // A month phrase split by the lead/body boundary (lead_tokens 50).
  std::string boundary;
  for (int i = 0; i < 49; ++i) boundary += "كلمة" + std::to_string(i % 7) + " ";
  boundary += "كانون الثاني 2015 كانون الثاني";
  raw.emplace_back("حدود", boundary);
  std::vector<Doc> docs;
  for (auto& [t, b] : raw) docs.push_back({t, b, {}});
  return docs;
}

std::vector<Doc> LoadDocs() {
  std::vector<Doc> docs = SyntheticDocs();
  size_t max_docs = 2000;
  if (const char* n = std::getenv("NAZIR_TEST_STORY_DOCS")) {
    max_docs = std::strtoul(n, nullptr, 10);
  }
  auto read = [&](const std::string& path) {
    auto reader = CorpusReader::Open(path);
    if (!reader.ok()) return;
    std::vector<Article> batch;
    size_t read_docs = 0;
    while (read_docs < max_docs && reader->NextBatch(256, &batch, nullptr)) {
      for (Article& a : batch) {
        if (read_docs++ < max_docs) docs.push_back({a.title, a.text, {}});
      }
    }
  };
  read(std::string(NAZIR_SOURCE_DIR) + "/datasets/seed/seed_docs.jsonl");
  read(std::string(NAZIR_SHARED_DIR) + "/datasets/saudinewsnet/saudinewsnet.jsonl.zst");
  auto analyzer = TextAnalyzer::Create();
  EXPECT_TRUE(analyzer.ok());
  // Tokens as (offset, length) in the normalized text while the documents still move (a
  // short std::string keeps its bytes inline, so moving it would leave views dangling).
  std::vector<std::vector<std::pair<size_t, size_t>>> spans;
  for (Doc& d : docs) {
    std::vector<std::string_view> toks;
    analyzer->Analyze(d.body_text, &toks);
    const char* base = analyzer->normalized().data();
    auto& sp = spans.emplace_back();
    for (const auto& t : toks) sp.emplace_back(static_cast<size_t>(t.data() - base), t.size());
    d.body_text = analyzer->normalized();
  }
  // Repeat the corpus once so the second pass runs on a warm cache.
  const size_t n = docs.size();
  for (size_t i = 0; i < n; ++i) {
    docs.push_back(docs[i]);
    spans.push_back(spans[i]);
  }
  // Only now, with every document in place, the views.
  for (size_t i = 0; i < docs.size(); ++i) {
    docs[i].body.clear();
    for (const auto& [off, len] : spans[i]) {
      docs[i].body.emplace_back(docs[i].body_text.data() + off, len);
    }
  }
  return docs;
}

// Featurize as specified: the terms of the title, the lead and the rest of the body (three
// separate ForEachTerm walks), counted by id; a term's alt_id is that of the first spelling
// that made its id appear in the document; a spelling (and then its candidate's) is emitted
// when its id was never emitted by this reference before.
class Reference {
 public:
  explicit Reference(const StoryTermOptions& opt)
      : opt_(opt), termizer_(*StoryTermizer::Create(opt)), analyzer_(*TextAnalyzer::Create()) {}

  void Featurize(std::string_view title, std::span<const std::string_view> body,
                 StoryFeatures* out) {
    out->Clear();
    std::map<uint64_t, StoryFeatures::Term> terms;
    auto add = [&](std::span<const std::string_view> toks, int part) {
      std::vector<std::string> ts;
      termizer_.Terms(toks, &ts);
      for (const std::string& t : ts) {
        const uint64_t id = StoryTermId(t, opt_.fold_variants);
        auto [it, is_new] = terms.try_emplace(id, StoryFeatures::Term{id, 0, 0, 0});
        if (is_new) {
          if (opt_.emit_strings && emitted_.insert(id).second) {
            out->new_strings.push_back(t);
            out->new_string_ids.push_back(id);
          }
          std::string buf;
          std::string alt(termizer_.CliticCandidate(t, &buf));
          if (!alt.empty()) {
            const uint64_t alt_id = StoryTermId(alt, opt_.fold_variants);
            if (alt_id != id) {
              it->second.alt_id = alt_id;
              if (opt_.emit_strings && emitted_.insert(alt_id).second) {
                out->new_strings.push_back(alt);
                out->new_string_ids.push_back(alt_id);
              }
            }
          }
        }
        StoryFeatures::Term& x = it->second;
        if (part == 0) {
          x.title_tf = static_cast<uint16_t>(std::min(0xFFFF, x.title_tf + 1));
        } else {
          x.body_tf = static_cast<uint16_t>(std::min(0xFFFF, x.body_tf + 1));
          if (part == 1) x.lead_tf = static_cast<uint16_t>(std::min(0xFFFF, x.lead_tf + 1));
        }
      }
    };
    std::vector<std::string_view> title_tokens;
    analyzer_.Analyze(title, &title_tokens);
    add(title_tokens, 0);
    if (opt_.max_body_tokens != 0 && body.size() > opt_.max_body_tokens) {
      body = body.first(opt_.max_body_tokens);
    }
    const size_t lead = std::min(body.size(), opt_.lead_tokens);
    add(body.first(lead), 1);
    add(body.subspan(lead), 2);
    for (const auto& [id, t] : terms) out->terms.push_back(t);
  }

 private:
  StoryTermOptions opt_;
  StoryTermizer termizer_;
  TextAnalyzer analyzer_;
  absl::flat_hash_set<uint64_t> emitted_;
};

void ExpectSame(const StoryFeatures& want, const StoryFeatures& got, size_t doc,
                bool strings = true) {
  ASSERT_EQ(want.terms.size(), got.terms.size()) << "doc " << doc;
  for (size_t i = 0; i < want.terms.size(); ++i) {
    const auto& a = want.terms[i];
    const auto& b = got.terms[i];
    ASSERT_TRUE(a.id == b.id && a.title_tf == b.title_tf && a.body_tf == b.body_tf &&
                a.lead_tf == b.lead_tf && a.alt_id == b.alt_id)
        << "doc " << doc << " term " << i;
  }
  if (!strings) return;
  ASSERT_EQ(want.new_strings, got.new_strings) << "doc " << doc;
  ASSERT_EQ(want.new_string_ids, got.new_string_ids) << "doc " << doc;
}

// The body token hashes of Featurize's hashes overload: HashTokens (nazir/shingle) is
// XXH3_64bits_withSeed of each token.
void HashBody(std::span<const std::string_view> tokens, uint64_t seed, std::vector<uint64_t>* h) {
  h->clear();
  for (std::string_view t : tokens) h->push_back(XXH3_64bits_withSeed(t.data(), t.size(), seed));
}

void CheckOptions(const StoryTermOptions& base) {
  static const std::vector<Doc>* docs = new std::vector<Doc>(LoadDocs());
  ASSERT_GT(docs->size(), 10u);
  Reference ref(base);
  // Cache default, tiny (emptied every few tokens, also within a document), small, off; then
  // the hashes overload with the cache default and tiny.
  std::vector<StoryFeaturizer> fzs;
  for (size_t limit :
       {base.token_cache_entries, size_t{5}, size_t{300}, size_t{0}, base.token_cache_entries,
        size_t{5}, size_t{300}, base.token_cache_entries}) {
    StoryTermOptions opt = base;
    opt.token_cache_entries = limit;
    auto fz = StoryFeaturizer::Create(opt);
    ASSERT_TRUE(fz.ok()) << fz.status();
    fzs.push_back(*std::move(fz));
  }
  constexpr uint64_t kSeed = 0x6e617a6972;  // the engine's default seed
  StoryFeatures want, got;
  std::vector<uint64_t> hashes;
  for (size_t d = 0; d < docs->size(); ++d) {
    const Doc& doc = (*docs)[d];
    ref.Featurize(doc.title, doc.body, &want);
    for (size_t f = 0; f < fzs.size(); ++f) {
      if (f < 4) {
        fzs[f].Featurize(doc.title, doc.body, &got);
      } else if (f < 6) {
        HashBody(doc.body, kSeed, &hashes);
        fzs[f].Featurize(doc.title, doc.body, hashes, kSeed, &got);
      } else if (f == 6) {
        // Wrong hashes (the same token hashed differently at each position) change nothing.
        HashBody(doc.body, kSeed, &hashes);
        for (size_t i = 0; i < hashes.size(); ++i) hashes[i] ^= i * 0x9E3779B97F4A7C15u;
        fzs[f].Featurize(doc.title, doc.body, hashes, kSeed, &got);
      } else {
        // Both overloads, and seeds, on one featurizer; hashes of the wrong size are ignored.
        HashBody(doc.body, d % 3, &hashes);
        if (d % 3 == 0) {
          fzs[f].Featurize(doc.title, doc.body, &got);
        } else if (d % 5 == 0) {
          fzs[f].Featurize(doc.title, doc.body, std::span(hashes).first(hashes.size() / 2), d % 3,
                           &got);
        } else {
          fzs[f].Featurize(doc.title, doc.body, hashes, d % 3, &got);
        }
      }
      ExpectSame(want, got, d * 100 + f);
    }
    if (d % 97 == 0) {  // a fresh featurizer: the same terms (strings: all of them are new)
      auto fresh = StoryFeaturizer::Create(base);
      ASSERT_TRUE(fresh.ok());
      fresh->Featurize(doc.title, doc.body, &got);
      ExpectSame(want, got, d, /*strings=*/false);
    }
  }
}

TEST(StoryFeaturizerCacheTest, SameFeaturesWarmColdEmptiedOrOff) { CheckOptions({}); }

TEST(StoryFeaturizerCacheTest, SameFeaturesWithoutStemmingOrFolding) {
  StoryTermOptions opt;
  opt.stem = false;
  opt.fold_variants = false;
  opt.max_body_tokens = 0;
  CheckOptions(opt);
}

TEST(StoryFeaturizerCacheTest, SameFeaturesWithCustomListsAndNoStrings) {
  StoryTermOptions opt;
  opt.stopwords = std::vector<std::string>{"في", "من", "مارس", "month:03"};
  opt.protected_terms = std::vector<std::string>{"بعسير", "لحمتنا"};
  opt.emit_strings = false;
  opt.lead_tokens = 7;
  CheckOptions(opt);
}

TEST(StoryFeaturizerCacheTest, RejectsAnOversizedCache) {
  StoryTermOptions opt;
  opt.token_cache_entries = (size_t{1} << 26) + 1;
  EXPECT_FALSE(StoryFeaturizer::Create(opt).ok());
}

}  // namespace
}  // namespace nazir
