#include "nazir/io/corpus_reader.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#ifdef NAZIR_HAVE_ZSTD
#include <zstd.h>
#endif

#include "nazir/io/json_writer.h"

namespace nazir {
namespace {

std::string WriteTemp(const std::string& name, const std::string& contents) {
  std::string path = ::testing::TempDir() + "/nazir_reader_" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

struct ReadResult {
  std::vector<Article> docs;
  std::vector<InputIssue> issues;
  absl::Status status;
};

ReadResult ReadAll(const std::string& path, ReaderOptions options = {}, size_t batch = 1000) {
  ReadResult r;
  auto reader = CorpusReader::Open(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return r;
  std::vector<Article> b;
  while (reader->NextBatch(batch, &b, &r.issues)) {
    EXPECT_FALSE(b.empty());
    EXPECT_LE(b.size(), batch);
    r.docs.insert(r.docs.end(), b.begin(), b.end());
  }
  r.status = reader->status();
  return r;
}

ReadResult ReadString(const std::string& name, const std::string& contents,
                      ReaderOptions options = {}) {
  return ReadAll(WriteTemp(name, contents), options);
}

std::string Doc(const std::string& id, const std::string& text) {
  std::string s = "{\"id\":";
  AppendJsonString(&s, id);
  s += ",\"text\":";
  AppendJsonString(&s, text);
  s += "}";
  return s;
}

// Three good lines around a bad line 2; checks the bad line's single issue
// (kind, line, message fragment, skipped) and that the good lines are intact.
void ExpectOneIssueOnLine2(const std::string& name, const std::string& bad_line, IssueKind kind,
                           const std::string& fragment, bool skipped,
                           const ReaderOptions& options = {}) {
  SCOPED_TRACE(name);
  const std::string path =
      WriteTemp(name, Doc("a", "alpha") + "\n" + bad_line + "\n" + Doc("c", "gamma") + "\n");
  ReadResult r = ReadAll(path, options);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.issues.size(), 1u);
  const InputIssue& issue = r.issues[0];
  EXPECT_EQ(issue.kind, kind) << IssueKindName(issue.kind);
  EXPECT_EQ(issue.line, 2);
  EXPECT_EQ(issue.skipped, skipped);
  const std::string formatted = FormatIssue(path, issue);
  EXPECT_EQ(formatted.rfind(path + ":2: ", 0), 0u) << formatted;
  EXPECT_NE(formatted.find(fragment), std::string::npos) << formatted;
  EXPECT_NE(formatted.find(skipped ? "line skipped" : "document kept"), std::string::npos);
  ASSERT_EQ(r.docs.size(), skipped ? 2u : 3u);
  EXPECT_EQ(r.docs.front().id, "a");
  EXPECT_EQ(r.docs.front().text, "alpha");
  EXPECT_EQ(r.docs.front().line, 1);
  EXPECT_FALSE(r.docs.front().text_repaired);
  EXPECT_EQ(r.docs.back().id, "c");
  EXPECT_EQ(r.docs.back().text, "gamma");
  EXPECT_EQ(r.docs.back().line, 3);
  if (!skipped) {
    EXPECT_EQ(r.docs[1].line, 2);
  }
}

TEST(CorpusReaderTest, ReadsAllFields) {
  ReadResult r = ReadString(
      "fields",
      "{\"id\":\"snn-1\",\"source\":\"aawsat\",\"date\":\"2015-07-21 02:51:32\",\"title\":"
      "\"\\u0639\\u0646\\u0648\\u0627\\u0646\",\"text\":\"نص \\\"مقتبس\\\"\\n\\ud83d\\ude00\","
      "\"url\":\"http://x\",\"extra\":{\"a\":[1,2,{\"b\":null}]}}\n");
  ASSERT_TRUE(r.status.ok());
  EXPECT_TRUE(r.issues.empty());
  ASSERT_EQ(r.docs.size(), 1u);
  const Article& a = r.docs[0];
  EXPECT_EQ(a.id, "snn-1");
  EXPECT_EQ(a.source, "aawsat");
  EXPECT_EQ(a.title, "عنوان");
  EXPECT_EQ(a.text, "نص \"مقتبس\"\n\xF0\x9F\x98\x80");  // surrogate pair → U+1F600
  EXPECT_EQ(a.date, 1437447092);                        // 2015-07-21T02:51:32Z
  EXPECT_EQ(a.line, 1);
  EXPECT_FALSE(a.text_repaired);
}

TEST(CorpusReaderTest, RenamedFields) {
  ReaderOptions o;
  o.fields = {
      .id = "doc_id", .text = "body", .title = "headline", .date = "when", .source = "outlet"};
  ReadResult r =
      ReadString("renamed",
                 "{\"doc_id\":\"x\",\"body\":\"b\",\"headline\":\"h\",\"when\":\"2020-01-"
                 "01\",\"outlet\":\"o\",\"id\":5,\"text\":7}\n",
                 o);
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_TRUE(r.issues.empty());
  EXPECT_EQ(r.docs[0].id, "x");
  EXPECT_EQ(r.docs[0].text, "b");
  EXPECT_EQ(r.docs[0].title, "h");
  EXPECT_EQ(r.docs[0].source, "o");
  EXPECT_EQ(r.docs[0].date, 1577836800);
}

TEST(CorpusReaderTest, IssueMalformedJson) {
  ExpectOneIssueOnLine2("malformed", "{\"id\":\"b\",\"text\":", IssueKind::kMalformedJson,
                        "malformed JSON", true);
  ExpectOneIssueOnLine2("notobject", "[\"b\",\"text\"]", IssueKind::kMalformedJson,
                        "expected an object, got an array", true);
  ExpectOneIssueOnLine2("trailing", Doc("b", "beta") + " x", IssueKind::kMalformedJson,
                        "malformed JSON", true);
  ExpectOneIssueOnLine2("twodocs", Doc("b", "beta") + Doc("b2", "beta"), IssueKind::kMalformedJson,
                        "malformed JSON", true);
  // Garbage inside a field the reader does not use is still caught.
  ExpectOneIssueOnLine2("badextra", "{\"id\":\"b\",\"text\":\"t\",\"x\":{\"c\":1 \"d\":2}}",
                        IssueKind::kMalformedJson, "malformed JSON", true);
}

TEST(CorpusReaderTest, IssueMissingId) {
  ExpectOneIssueOnLine2("missingid", "{\"text\":\"beta\"}", IssueKind::kMissingId,
                        "missing id field \"id\"", true);
  ExpectOneIssueOnLine2("emptyid", "{\"id\":\"\",\"text\":\"beta\"}", IssueKind::kMissingId,
                        "empty id", true);
}

TEST(CorpusReaderTest, IssueNonStringId) {
  ExpectOneIssueOnLine2("numid", "{\"id\":17,\"text\":\"beta\"}", IssueKind::kNonStringId,
                        "is a number (17); ids must be strings", true);
  ExpectOneIssueOnLine2("nullid", "{\"id\":null,\"text\":\"beta\"}", IssueKind::kNonStringId,
                        "is null", true);
}

TEST(CorpusReaderTest, IssueDuplicateId) {
  ExpectOneIssueOnLine2("dup", Doc("a", "again"), IssueKind::kDuplicateId,
                        "duplicate id \"a\" (first seen on line 1); line skipped", true);
}

TEST(CorpusReaderTest, DuplicateIdAcrossBatches) {
  const std::string path =
      WriteTemp("dupbatches", Doc("a", "1") + "\n" + Doc("b", "2") + "\n" + Doc("a", "3") + "\n");
  ReadResult r = ReadAll(path, {}, /*batch=*/1);
  ASSERT_EQ(r.docs.size(), 2u);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].kind, IssueKind::kDuplicateId);
  EXPECT_EQ(r.issues[0].line, 3);
}

TEST(CorpusReaderTest, IssueInvalidUtf8) {
  // "\xD8" is a truncated 2-byte sequence (Arabic lead byte) before an ASCII
  // space; "\xFF" is never valid; "\xE2\x82" is a truncated 3-byte sequence.
  const std::string bad = "{\"id\":\"b\",\"text\":\"x\xD8 y\xFFz\xE2\x82\"}";
  ExpectOneIssueOnLine2("utf8", bad, IssueKind::kInvalidUtf8, "3 invalid UTF-8 sequence(s)", false);
  ReadResult r = ReadString("utf8b", bad + "\n");
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].text, "x\uFFFD y\uFFFDz\uFFFD");
  EXPECT_TRUE(r.docs[0].text_repaired);
}

TEST(CorpusReaderTest, LoneSurrogateEscapeIsRepaired) {
  ReadResult r = ReadString("surrogate", "{\"id\":\"b\",\"text\":\"a\\ud800b\\udc00\\\\ud800\"}\n");
  ASSERT_EQ(r.docs.size(), 1u);
  // The last "\\ud800" is an escaped backslash followed by "ud800": kept.
  EXPECT_EQ(r.docs[0].text, "a\uFFFDb\uFFFD\\ud800");
  EXPECT_TRUE(r.docs[0].text_repaired);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].kind, IssueKind::kInvalidUtf8);
  EXPECT_NE(r.issues[0].message.find("2 lone surrogate"), std::string::npos);
}

TEST(CorpusReaderTest, IssueEmptyText) {
  ExpectOneIssueOnLine2("emptytext", Doc("b", ""), IssueKind::kEmptyText, "empty text", false);
  ExpectOneIssueOnLine2("spacetext", Doc("b", " \n\t "), IssueKind::kEmptyText,
                        "whitespace-only text", false);
  ExpectOneIssueOnLine2("nbsptext", Doc("b", "\u00a0 \u3000\u200b\ufeff"), IssueKind::kEmptyText,
                        "whitespace-only text", false);
  // A single non-space letter makes the text non-empty.
  ReadResult r = ReadString("nbspword", Doc("b", "\u00a0\u0627\u00a0") + "\n");
  EXPECT_TRUE(r.issues.empty());
}

// HTML character references in the text and title are decoded (default),
// ids and sources are not; a text made only of &nbsp; is empty text.
TEST(CorpusReaderTest, DecodesHtmlEntitiesInTextAndTitle) {
  const std::string contents =
      "{\"id\":\"a&amp;b\",\"title\":\"&#8220;\u0639\u0627\u062c\u0644&#8221;\","
      "\"source\":\"x&amp;y\",\"text\":\"&quot;\u0627\u0644\u0631\u064a\u0627\u0636"
      "&quot;&nbsp;AT&T\"}\n" +
      Doc("b", "&nbsp;&nbsp;") + "\n";
  ReadResult r = ReadString("entities", contents);
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].id, "a&amp;b");
  EXPECT_EQ(r.docs[0].source, "x&amp;y");
  EXPECT_EQ(r.docs[0].title, "\u201C\u0639\u0627\u062c\u0644\u201D");
  EXPECT_EQ(r.docs[0].text, "\"\u0627\u0644\u0631\u064a\u0627\u0636\"\u00A0AT&T");
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].kind, IssueKind::kEmptyText);
  EXPECT_EQ(r.issues[0].line, 2);

  ReaderOptions keep;
  keep.decode_html_entities = false;
  r = ReadString("entities_kept", contents, keep);
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].title, "&#8220;\u0639\u0627\u062c\u0644&#8221;");
  EXPECT_EQ(r.docs[1].text, "&nbsp;&nbsp;");
  EXPECT_TRUE(r.issues.empty());
}

TEST(CorpusReaderTest, IssueBadDate) {
  ExpectOneIssueOnLine2("baddate", "{\"id\":\"b\",\"text\":\"t\",\"date\":\"21/07/2015\"}",
                        IssueKind::kBadDate, "unrecognized date \"21/07/2015\"", false);
  ReadResult r = ReadString("baddate2", "{\"id\":\"b\",\"text\":\"t\",\"date\":\"2015-02-30\"}\n");
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].date, Article::kNoDate);
}

TEST(CorpusReaderTest, IssueMissingText) {
  ExpectOneIssueOnLine2("notext", "{\"id\":\"b\",\"title\":\"t\"}", IssueKind::kMissingText,
                        "missing text field \"text\"", false);
  ExpectOneIssueOnLine2("nulltext", "{\"id\":\"b\",\"text\":null}", IssueKind::kMissingText,
                        "missing text", false);
}

TEST(CorpusReaderTest, IssueNonStringField) {
  ExpectOneIssueOnLine2("numtitle", "{\"id\":\"b\",\"text\":\"t\",\"title\":42}",
                        IssueKind::kNonStringField, "title field \"title\" is a number", false);
  ExpectOneIssueOnLine2("arrsource", "{\"id\":\"b\",\"text\":\"t\",\"source\":[\"x\"]}",
                        IssueKind::kNonStringField, "source field \"source\" is an array", false);
  ExpectOneIssueOnLine2("objtext", "{\"id\":\"b\",\"text\":{\"p\":1}}", IssueKind::kNonStringField,
                        "text field \"text\" is an object", false);
  // null optional fields are simply absent.
  ReadResult r =
      ReadString("nulls", "{\"id\":\"b\",\"text\":\"t\",\"title\":null,\"date\":null}\n");
  EXPECT_TRUE(r.issues.empty());
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].date, Article::kNoDate);
}

TEST(CorpusReaderTest, IssueLineTooLong) {
  ReaderOptions o;
  o.max_line_bytes = 100;
  ExpectOneIssueOnLine2("toolong", Doc("b", std::string(200, 'x')), IssueKind::kLineTooLong,
                        "longer than the limit of 100 bytes", true, o);
  // Same with a block much smaller than the line, so the reader skips it in
  // pieces without buffering it.
  o.block_bytes = 7;
  ExpectOneIssueOnLine2("toolong_tiny", Doc("b", std::string(200, 'x')), IssueKind::kLineTooLong,
                        "line of 220 bytes", true, o);
}

TEST(CorpusReaderTest, TooLongLastLineWithoutNewline) {
  ReaderOptions o;
  o.max_line_bytes = 50;
  o.block_bytes = 8;
  ReadResult r =
      ReadString("toolong_last", Doc("a", "1") + "\n" + Doc("b", std::string(100, 'y')), o);
  ASSERT_EQ(r.docs.size(), 1u);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].kind, IssueKind::kLineTooLong);
  EXPECT_EQ(r.issues[0].line, 2);
}

TEST(CorpusReaderTest, CrlfAndBlankLinesAndNoFinalNewline) {
  const std::string path = WriteTemp("crlf", Doc("a", "one") + "\r\n\r\n   \t\r\n" +
                                                 Doc("b", "two") + "\r\n\n" + Doc("c", "three"));
  ReadResult r = ReadAll(path);
  EXPECT_TRUE(r.issues.empty());
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[0].text, "one");
  EXPECT_EQ(r.docs[1].text, "two");
  EXPECT_EQ(r.docs[1].line, 4);
  EXPECT_EQ(r.docs[2].text, "three");
  EXPECT_EQ(r.docs[2].line, 6);
}

// A UTF-8 byte order mark at the start of the input (Windows editors, Excel
// exports) is skipped; it used to make line 1 malformed JSON. Only there:
// elsewhere it is a character like any other (and not valid before JSON).
TEST(CorpusReaderTest, ByteOrderMarkAtTheStartIsSkipped) {
  const std::string bom = "\xEF\xBB\xBF";
  ReadResult r = ReadString("bom", bom + Doc("a", "one") + "\n" + bom + Doc("b", "two") + "\n");
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].id, "a");
  EXPECT_EQ(r.docs[0].line, 1);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].kind, IssueKind::kMalformedJson);
  EXPECT_EQ(r.issues[0].line, 2);
  ReadResult blank = ReadString("bom_blank", bom + "\n" + Doc("c", "three") + "\n");
  EXPECT_TRUE(blank.issues.empty());
  ASSERT_EQ(blank.docs.size(), 1u);
  EXPECT_EQ(blank.docs[0].line, 2);
}

TEST(CorpusReaderTest, EmptyFile) {
  ReadResult r = ReadString("empty", "");
  EXPECT_TRUE(r.docs.empty());
  EXPECT_TRUE(r.issues.empty());
  EXPECT_TRUE(r.status.ok());
}

TEST(CorpusReaderTest, OneMegabyteLine) {
  std::string text;
  for (int i = 0; i < 1 << 20; i += 10) text += "كلمة نص ";  // 14 bytes each
  ReadResult r = ReadString("big", Doc("a", "x") + "\n" + Doc("big", text) + "\n" + Doc("c", "z"));
  EXPECT_TRUE(r.issues.empty());
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_GT(r.docs[1].text.size(), 1u << 20);
  EXPECT_EQ(r.docs[1].text, text);
  EXPECT_EQ(r.docs[2].text, "z");
}

// Every block size gives the same documents, issues and line numbers,
// whichever way the lines straddle block boundaries.
TEST(CorpusReaderTest, BlockBoundaries) {
  std::string contents;
  for (int i = 0; i < 40; ++i) {
    if (i % 7 == 3) contents += "\r\n";
    if (i % 11 == 5) contents += "{broken\n";
    contents += Doc("id" + std::to_string(i), std::string(i * 3, 'a' + i % 26) + "نص") + "\n";
  }
  contents += Doc("last", "no newline");
  const std::string path = WriteTemp("blocks", contents);
  ReadResult want = ReadAll(path);
  ASSERT_EQ(want.docs.size(), 41u);
  ASSERT_EQ(want.issues.size(), 4u);
  for (size_t block : {1, 2, 3, 5, 16, 63, 64, 65, 100, 257, 4096}) {
    SCOPED_TRACE(block);
    ReaderOptions o;
    o.block_bytes = block;
    for (size_t batch : {1, 3, 1000}) {
      ReadResult got = ReadAll(path, o, batch);
      ASSERT_TRUE(got.status.ok());
      ASSERT_EQ(got.docs.size(), want.docs.size());
      for (size_t i = 0; i < want.docs.size(); ++i) {
        EXPECT_EQ(got.docs[i].id, want.docs[i].id);
        EXPECT_EQ(got.docs[i].text, want.docs[i].text);
        EXPECT_EQ(got.docs[i].line, want.docs[i].line);
      }
      ASSERT_EQ(got.issues.size(), want.issues.size());
      for (size_t i = 0; i < want.issues.size(); ++i) {
        EXPECT_EQ(got.issues[i].line, want.issues[i].line);
        EXPECT_EQ(got.issues[i].kind, want.issues[i].kind);
      }
    }
  }
}

TEST(CorpusReaderTest, ProgressCounters) {
  const std::string contents = Doc("a", "1") + "\n" + Doc("b", "2") + "\n";
  const std::string path = WriteTemp("progress", contents);
  auto reader = CorpusReader::Open(path);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->total_bytes(), static_cast<int64_t>(contents.size()));
  EXPECT_EQ(reader->path(), path);
  std::vector<Article> b;
  while (reader->NextBatch(10, &b, nullptr)) {
  }
  EXPECT_EQ(reader->bytes_read(), static_cast<int64_t>(contents.size()));
  EXPECT_EQ(reader->bytes_decoded(), static_cast<int64_t>(contents.size()));
  EXPECT_EQ(reader->lines_read(), 2);
  EXPECT_FALSE(reader->NextBatch(10, &b, nullptr));
}

TEST(CorpusReaderTest, OpenErrorsNameThePath) {
  auto r = CorpusReader::Open("/nonexistent/dir/corpus.jsonl");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/dir/corpus.jsonl"), absl::string_view::npos);
  auto d = CorpusReader::Open(::testing::TempDir());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CorpusReaderTest, OptionsValidate) {
  EXPECT_TRUE(ReaderOptions{}.Validate().ok());
  ReaderOptions o;
  o.fields.text = "id";
  EXPECT_EQ(o.Validate().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CorpusReader::Open("/dev/null", o).status().code(), absl::StatusCode::kInvalidArgument);
  o = {};
  o.fields.title = "";
  EXPECT_FALSE(o.Validate().ok());
  o = {};
  o.block_bytes = 0;
  EXPECT_FALSE(o.Validate().ok());
  o = {};
  o.max_line_bytes = 0;
  EXPECT_FALSE(o.Validate().ok());
}

#ifdef NAZIR_HAVE_ZSTD
TEST(CorpusReaderTest, ReadsZstd) {
  std::string plain;
  for (int i = 0; i < 20000; ++i) {  // ~0.8 MB: several zstd blocks
    const std::string n = std::to_string(i);
    std::string id = "z";
    id += n;
    std::string text = "نص رقم ";
    text += n;
    plain += Doc(id, text);
    plain += '\n';
  }
  std::string packed(ZSTD_compressBound(plain.size()), '\0');
  const size_t n = ZSTD_compress(packed.data(), packed.size(), plain.data(), plain.size(), 3);
  ASSERT_FALSE(ZSTD_isError(n));
  packed.resize(n);
  ReaderOptions o;
  o.block_bytes = 1000;
  ReadResult r = ReadAll(WriteTemp("c.jsonl.zst", packed), o);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.docs.size(), 20000u);
  EXPECT_EQ(r.docs[19999].id, "z19999");
  // A truncated stream is a DataLoss error after the documents before it.
  ReadResult t = ReadAll(WriteTemp("t.jsonl.zst", packed.substr(0, n / 2)), o);
  EXPECT_EQ(t.status.code(), absl::StatusCode::kDataLoss) << t.status;
  EXPECT_GT(t.docs.size(), 0u);
  EXPECT_LT(t.docs.size(), 20000u);
}
#endif

TEST(ParseDateTest, AcceptedFormats) {
  EXPECT_EQ(ParseDate("1970-01-01"), 0);
  EXPECT_EQ(ParseDate("2015-07-21"), 1437436800);
  EXPECT_EQ(ParseDate("2015-07-21 02:51:32"), 1437447092);
  EXPECT_EQ(ParseDate("2015-07-21T02:51:32"), 1437447092);
  EXPECT_EQ(ParseDate("2015-07-21T02:51:32Z"), 1437447092);
  EXPECT_EQ(ParseDate("2015-07-21T02:51:32.123Z"), 1437447092);
  EXPECT_EQ(ParseDate("2015-07-21T05:51:32+03:00"), 1437447092);
  EXPECT_EQ(ParseDate("2015-07-20T23:51:32-03:00"), 1437447092);
  EXPECT_EQ(ParseDate("2000-02-29"), 951782400);
  EXPECT_EQ(ParseDate("1969-12-31T23:59:59Z"), -1);
}

TEST(ParseDateTest, RejectedFormats) {
  for (const char* s :
       {"", "2015", "2015-7-21", "2015-07-21T", "2015-07-21 02:51", "2015-13-01", "2015-02-29",
        "1900-02-29", "2015-07-21T24:00:00", "2015-07-21T02:51:32+0300", "2015-07-21T02:51:32.Z",
        "2015-07-21 02:51:32Z", "21/07/2015", "2015-07-21x", "2015-07-21T02:51:32Zjunk"}) {
    EXPECT_FALSE(ParseDate(s).has_value()) << s;
  }
}

TEST(IssueTest, KindNamesAreDistinct) {
  std::vector<std::string_view> names;
  for (IssueKind k : {IssueKind::kMalformedJson, IssueKind::kMissingId, IssueKind::kNonStringId,
                      IssueKind::kDuplicateId, IssueKind::kInvalidUtf8, IssueKind::kEmptyText,
                      IssueKind::kBadDate, IssueKind::kMissingText, IssueKind::kNonStringField,
                      IssueKind::kLineTooLong}) {
    std::string_view n = IssueKindName(k);
    EXPECT_NE(n, "unknown");
    for (auto prev : names) EXPECT_NE(prev, n);
    names.push_back(n);
  }
  EXPECT_EQ(IssueKindName(IssueKind::kMalformedJson), "malformed_json");
  EXPECT_EQ(FormatIssue("c.jsonl", {IssueKind::kDuplicateId, 17,
                                    "duplicate id \"a3\" (first seen on line 4)", true}),
            "c.jsonl:17: duplicate id \"a3\" (first seen on line 4); line skipped");
}

}  // namespace
}  // namespace nazir
