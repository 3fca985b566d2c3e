// Runs build/tools/nazir on small files and checks what a user sees.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "simdjson.h"
#include <gtest/gtest.h>

#include "tests/tools/cli_util.h"
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace {

using nazir::testing::CliRun;
using nazir::testing::Lines;
using nazir::testing::Nazir;
using nazir::testing::Slurp;
using nazir::testing::Temp;

std::string Article(const std::string& id, const std::string& text) {
  return "{\"id\":\"" + id + "\",\"text\":\"" + text +
         "\",\"source\":\"s\",\"date\":\"2025-07-31\"}";
}

const char kText[] =
    "التقى وزير الخارجية الروسي سيرغي لافروف نظيره السوري أسعد الشيباني في موسكو اليوم الخميس "
    "في زيارة تعد الأولى لمسؤول سوري رفيع المستوى من الحكومة الجديدة بعد الإطاحة بحليف روسيا "
    "السابق وقال لافروف إن روسيا تأمل أن يحضر الرئيس السوري القمة الروسية العربية الأولى";

TEST(CliTest, HelpExplainsEveryCommand) {
  CliRun r = Nazir("--help");
  EXPECT_EQ(r.status, 0);
  for (const char* cmd : {"add", "cluster", "eval", "export", "normalize"}) {
    EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
    CliRun h = Nazir(std::string(cmd) + " --help");
    EXPECT_EQ(h.status, 0) << cmd;
    EXPECT_NE(h.out.find("Usage: nazir " + std::string(cmd)), std::string::npos) << h.out;
  }
  EXPECT_EQ(Nazir("no-such-command").status, 2);
  CliRun bad_opt = Nazir("cluster --story-opt treshold=0.3 /dev/null");
  EXPECT_EQ(bad_opt.status, 2);
  EXPECT_NE(bad_opt.err.find("unknown story option \"treshold\""), std::string::npos)
      << bad_opt.err;
  EXPECT_EQ(Nazir("cluster --story-opt absorb_threshold=1.5 /dev/null").status, 2);
  EXPECT_EQ(Nazir("cluster --no-such-flag").status, 2);
}

// `nazir --version` prints the version of CMakeLists.txt's project().
TEST(CliTest, VersionIsTheProjectVersion) {
  for (const char* flag : {"--version", "-V"}) {
    CliRun r = Nazir(flag);
    EXPECT_EQ(r.status, 0) << flag << "\n" << r.err;
    EXPECT_EQ(r.out, std::string("nazir ") + NAZIR_VERSION + "\n") << flag;
  }
}

TEST(CliTest, BadLinesAreReportedWithFileAndLineAndSkipped) {
  const std::string path = Temp("bad.jsonl");
  {
    std::ofstream f(path);
    f << Article("a1", kText) << "\n";                                        // 1 ok
    f << "{\"id\": \"a2\", \"text\": \"unterminated\n";                       // 2 malformed
    f << "{\"id\": 17, \"text\": \"numeric id\"}\n";                          // 3 non-string id
    f << "{\"text\": \"no id\"}\n";                                           // 4 missing id
    f << Article("a1", "duplicate id") << "\n";                               // 5 duplicate
    f << Article("a6", "") << "\n";                                           // 6 empty text: kept
    f << "{\"id\":\"a7\",\"text\":\"bad \xff\xfe utf8 " << kText << "\"}\n";  // 7 repaired
    f << Article("a8", kText) << "\n";                                        // 8 ok, copy of a1
  }
  CliRun r = Nazir("cluster " + path);
  EXPECT_EQ(r.status, 0) << r.err;
  for (const char* want : {":2:", ":3:", ":4:", ":5:", ":6:", ":7:"}) {
    EXPECT_NE(r.err.find(path + want), std::string::npos) << want << "\n" << r.err;
  }
  EXPECT_NE(r.err.find("4 lines skipped"), std::string::npos) << r.err;
  const auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;  // a1, a6, a7, a8 in input order
  simdjson::dom::parser parser;
  std::vector<std::string> ids, groups, statuses;
  for (const auto& l : lines) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(l).get(doc), simdjson::SUCCESS) << l;
    ids.emplace_back(std::string_view(doc["id"]));
    groups.emplace_back(std::string_view(doc["group"]));
    statuses.emplace_back(std::string_view(doc["status"]));
    EXPECT_TRUE(doc["story"].is_string());
    EXPECT_TRUE(doc["group_size"].is_uint64() || doc["group_size"].is_int64());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"a1", "a6", "a7", "a8"}));
  EXPECT_EQ(statuses[1], "empty");
  EXPECT_EQ(groups[3], "a1") << "a8 is a copy of a1";
  EXPECT_EQ(groups[1], "a6") << "empty documents stay alone";
  // --strict turns the same problems into a failure.
  EXPECT_EQ(Nazir("cluster --strict " + path).status, 1);
  std::remove(path.c_str());
}

TEST(CliTest, MissingInputIsAClearError) {
  CliRun r = Nazir("cluster /nonexistent/corpus.jsonl");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("/nonexistent/corpus.jsonl"), std::string::npos) << r.err;
}

TEST(CliTest, PairsAndStoriesFilesAndEvalRoundTrip) {
  const std::string in = Temp("in.jsonl"), out = Temp("out.jsonl"), pairs = Temp("pairs.tsv"),
                    stories = Temp("stories.jsonl"), gold = Temp("gold.jsonl");
  {
    std::ofstream f(in), g(gold);
    f << Article("x1", kText) << "\n" << Article("x2", kText) << "\n";
    f << Article("x3",
                 "خبر مختلف تماما عن مباراة كرة القدم بين الهلال والنصر في الرياض مساء امس "
                 "وانتهت بفوز الهلال بهدفين مقابل هدف واحد امام جمهور كبير")
      << "\n";
    g << "{\"id\":\"x1\",\"g\":\"a\"}\n{\"id\":\"x2\",\"g\":\"a\"}\n{\"id\":\"x3\",\"g\":\"b\"}\n";
  }
  CliRun r = Nazir("cluster " + in + " -o " + out + " --pairs " + pairs + " --stories " + stories);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto pair_lines = Lines(Slurp(pairs));
  ASSERT_EQ(pair_lines.size(), 2u);
  EXPECT_EQ(pair_lines[0].rfind("id_a\tid_b\t", 0), 0u);
  EXPECT_EQ(pair_lines[1].rfind("x1\tx2\t1.0000", 0), 0u) << pair_lines[1];
  EXPECT_GE(Lines(Slurp(stories)).size(), 2u);
  CliRun e = Nazir("eval --pred " + out + " --gold " + gold + " --gold-field g --json");
  ASSERT_EQ(e.status, 0) << e.err;
  EXPECT_NE(e.out.find("\"f1\":1"), std::string::npos) << e.out;
  for (const auto& p : {in, out, pairs, stories, gold}) std::remove(p.c_str());
}

// A copy whose words are quoted with &quot; is the same text once the
// references are decoded (the default); kept, "quot" becomes a word between
// every two and the copy no longer matches.
TEST(CliTest, HtmlEntitiesAreDecodedUnlessKept) {
  const std::string in = Temp("entities.jsonl"), pairs = Temp("entities_pairs.tsv");
  {
    std::string quoted;
    std::istringstream words(kText);
    for (std::string w; words >> w;) quoted += "&quot;" + w + "&quot; ";
    std::ofstream f(in);
    f << Article("e1", kText) << "\n" << Article("e2", quoted) << "\n";
  }
  CliRun r = Nazir("cluster " + in + " -o /dev/null --no-stories --pairs " + pairs);
  ASSERT_EQ(r.status, 0) << r.err;
  auto lines = Lines(Slurp(pairs));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].rfind("e1\te2\t1.0000", 0), 0u) << lines[1];
  r = Nazir("cluster " + in + " -o /dev/null --no-stories --keep-html-entities --pairs " + pairs);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Lines(Slurp(pairs)).size(), 1u);  // the header only
  for (const auto& p : {in, pairs}) std::remove(p.c_str());
}

TEST(CliTest, NormalizePrintsTokens) {
  const std::string in = Temp("norm.txt");
  {
    std::ofstream f(in);
    f << "وزير الخارجية الروسي سيرغي لافروف\n";
  }
  CliRun r = Nazir("normalize --tokens " + in);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "وزير الخارجيه الروسي سيرغي لافروف\n");
  std::remove(in.c_str());
}

}  // namespace

// `nazir add`: the feed pipeline across restarts. Adding a file in two runs
// (save, reopen) gives the same groups as adding it in one run.
TEST(CliTest, AddAcrossRestartsMatchesOneRun) {
  const std::string part1 = Temp("add1.jsonl"), part2 = Temp("add2.jsonl"), all = Temp("all.jsonl");
  const std::string one = Temp("one.nzi"), two = Temp("two.nzi");
  {
    std::ofstream f1(part1), f2(part2), fa(all);
    const std::string a = Article("w1", kText);
    const std::string b = Article("other",
                                  "أعلنت وزارة الصحة اليوم افتتاح مستشفى جديد في مدينة جدة بسعة "
                                  "مئتي سرير يضم أقساما للطوارئ والعناية المركزة والأطفال");
    const std::string c = Article("w2", std::string("نقلا عن رويترز ") + kText);
    const std::string d = Article("w3", std::string(kText) + " وأضاف أن المحادثات ستستمر");
    f1 << a << "\n" << b << "\n";
    f2 << c << "\n" << d << "\n";
    fa << a << "\n" << b << "\n" << c << "\n" << d << "\n";
  }
  std::remove(one.c_str());
  std::remove(two.c_str());
  CliRun r_all = Nazir("add --index " + one + " " + all);
  ASSERT_EQ(r_all.status, 0) << r_all.err;
  EXPECT_NE(r_all.err.find("created index"), std::string::npos) << r_all.err;
  CliRun r1 = Nazir("add --index " + two + " " + part1);
  ASSERT_EQ(r1.status, 0) << r1.err;
  CliRun r2 = Nazir("add --index " + two + " " + part2);
  ASSERT_EQ(r2.status, 0) << r2.err;
  EXPECT_NE(r2.err.find("opened index"), std::string::npos) << r2.err;
  EXPECT_NE(r2.err.find("(2 docs"), std::string::npos) << r2.err;
  EXPECT_EQ(r1.out + r2.out, r_all.out);
  simdjson::dom::parser parser;
  std::vector<std::string> groups;
  for (const auto& l : Lines(r_all.out)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(l).get(doc), simdjson::SUCCESS) << l;
    groups.emplace_back(std::string_view(doc["group"]));
  }
  EXPECT_EQ(groups, (std::vector<std::string>{"w1", "other", "w1", "w1"}));

  // An id already in the index is an input problem: reported, skipped.
  CliRun again = Nazir("add --index " + two + " --no-save " + part2);
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.err.find(part2 + ":1: id \"w2\" is already in the index"), std::string::npos)
      << again.err;
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(Nazir("add --strict --no-save --index " + two + " " + part2).status, 1);
  EXPECT_EQ(Nazir("add " + part2).status, 2) << "--index is required";
  for (const std::string& p : {part1, part2, all, one, two}) std::remove(p.c_str());
}

// --keep-days: a daily job keeps a window of days in its index. Articles
// older than the window are removed (a removed anchor's copies re-form their
// group without it) and are gone when the index is reopened.
TEST(CliTest, AddKeepDaysKeepsAWindow) {
  auto dated = [](const std::string& id, const std::string& text, const std::string& date) {
    return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\",\"date\":\"" + date + "\"}\n";
  };
  const std::string day1 = Temp("keep1.jsonl"), day2 = Temp("keep2.jsonl"),
                    day3 = Temp("keep3.jsonl"), index = Temp("keep.nzi");
  {
    std::ofstream f1(day1), f2(day2), f3(day3);
    f1 << dated("w1", kText, "2025-07-01")
       << dated("other", "خبر مختلف تماما عن مباراة كرة القدم بين الهلال والنصر في الرياض",
                "2025-07-01");
    f2 << dated("w2", std::string("نقلا عن رويترز ") + kText, "2025-07-20")
       << dated("w3", std::string(kText) + " وأضاف أن المحادثات ستستمر", "2025-07-21");
    f3 << dated("w4", kText, "2025-07-22");
  }
  std::remove(index.c_str());
  ASSERT_EQ(Nazir("add --index " + index + " " + day1).status, 0);
  CliRun r2 = Nazir("add --keep-days 7 --index " + index + " " + day2);
  ASSERT_EQ(r2.status, 0) << r2.err;
  EXPECT_NE(r2.out.find("\"id\":\"w2\",\"group\":\"w1\""), std::string::npos) << r2.out;
  EXPECT_NE(r2.err.find("removed 2 docs dated before 2025-07-14"), std::string::npos) << r2.err;
  CliRun r3 = Nazir("add --no-save --index " + index + " " + day3);
  ASSERT_EQ(r3.status, 0) << r3.err;
  EXPECT_NE(r3.err.find("opened index " + index + " (2 docs"), std::string::npos) << r3.err;
  EXPECT_NE(r3.out.find("\"id\":\"w4\",\"group\":\"w2\""), std::string::npos) << r3.out;
  EXPECT_EQ(Nazir("add --keep-days -1 --index " + index + " " + day3).status, 2);
  // Where the kept articles stand now: w2 joined w1's group on arrival; w1
  // is gone, so the group was re-formed around w2.
  CliRun now = Nazir("export --index " + index);
  ASSERT_EQ(now.status, 0) << now.err;
  const auto lines = Lines(now.out);
  ASSERT_EQ(lines.size(), 2u) << now.out;
  EXPECT_EQ(lines[0].rfind("{\"id\":\"w2\",\"group\":\"w2\",\"group_size\":2", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("{\"id\":\"w3\",\"group\":\"w2\",\"group_size\":2", 0), 0u) << lines[1];
  for (const std::string& p : {day1, day2, day3, index}) std::remove(p.c_str());
}

// Every numeric flag is range-checked: a value that does not fit the flag's
// type or range is a usage error (status 2) naming the flag. Before,
// --shingle-size 4294967297 ran as 1 (cast to uint32), --threads -3 was
// accepted, and --keep-days 999999999999999 overflowed days * 86400 into a
// cut-off after every date: every article was removed, an empty index saved,
// exit 0. The cut-off now saturates: such a window keeps everything.
TEST(CliTest, NumericFlagsAreRangeCheckedAndTheKeepDaysCutoffSaturates) {
  const std::string in = Temp("range.jsonl"), index = Temp("range.nzi");
  {
    std::ofstream f(in);
    f << Article("r1", kText) << "\n" << Article("r2", std::string(kText) + " وأضاف") << "\n";
  }
  for (const std::string& args : std::vector<std::string>{
           "cluster --shingle-size 4294967297 ", "cluster --num-perm 4294967424 ",
           "cluster --threads -3 ", "cluster --batch-docs 0 ", "cluster --max-messages -1 ",
           "cluster --window 99999999999999999999 ", "cluster --df-width -1 ", "cluster --seed -5 ",
           "add --index " + index + " --threads -3 ",
           "add --index " + index + " --keep-days 99999999999999999999 ",
           "add --index " + index + " --batch-docs 4294967296 "}) {
    CliRun r = Nazir(args + in);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    const std::string flag =
        args.substr(args.rfind("--"), args.find(' ', args.rfind("--")) - args.rfind("--"));
    EXPECT_NE(r.err.find("'" + flag + "'"), std::string::npos) << args << "\n" << r.err;
  }
  std::remove(index.c_str());
  CliRun keep = Nazir("add --keep-days 999999999999999 --index " + index + " " + in);
  ASSERT_EQ(keep.status, 0) << keep.err;
  EXPECT_NE(keep.err.find("removed 0 docs"), std::string::npos) << keep.err;
  CliRun now = Nazir("export --index " + index);
  ASSERT_EQ(now.status, 0) << now.err;
  EXPECT_EQ(Lines(now.out).size(), 2u) << now.out;
  for (const std::string& p : {in, index}) std::remove(p.c_str());
}

// An output that is the same file as an input (or as another output) is
// refused before any work, whatever the spelling (./x, a hard link, a
// symlink), and the input is untouched; `cluster x.jsonl -o x.jsonl` used to
// truncate the input before reading it and report "0 docs", exit 0. Every
// output is checked to be writable before the run, so a run never fails at
// the end after its work (and after writing -o); `-` is stdout for each.
TEST(CliTest, OutputsThatAreInputsOrUnwritableAreRefusedBeforeAnyWork) {
  const std::string in = Temp("same.jsonl"), link = Temp("same_link.jsonl"),
                    sym = Temp("same_sym.jsonl"), index = Temp("same.nzi"),
                    out = Temp("same_out.jsonl");
  {
    std::ofstream f(in);
    f << Article("s1", kText) << "\n" << Article("s2", std::string(kText) + " وأضاف") << "\n";
  }
  const std::string original = Slurp(in);
  std::remove(link.c_str());
  std::remove(sym.c_str());
  ASSERT_EQ(::link(in.c_str(), link.c_str()), 0);
  ASSERT_EQ(::symlink(in.c_str(), sym.c_str()), 0);
  std::remove(index.c_str());
  ASSERT_EQ(Nazir("cluster " + in + " --save " + index).status, 0);
  const std::string saved = Slurp(index);
  const std::string dir = in.substr(0, in.rfind('/')), base = in.substr(in.rfind('/') + 1);
  struct Case {
    std::string args, flag;
  };
  for (const Case& c : std::vector<Case>{
           {"cluster " + in + " -o " + in, "-o"},
           {"cluster " + in + " -o " + dir + "/./" + base, "-o"},
           {"cluster " + in + " -o " + link, "-o"},
           {"cluster " + in + " -o " + sym, "-o"},
           {"cluster " + in + " --pairs " + link, "--pairs"},
           {"cluster " + in + " --stories " + in, "--stories"},
           {"cluster " + in + " --save " + sym, "--save"},
           {"cluster " + in + " -o " + out + " --pairs " + out, "--pairs"},
           {"add --no-save --index " + index + " " + in + " -o " + in, "-o"},
           {"add --index " + index + " " + in + " -o " + index, "-o"},
           {"add --index " + index + " " + in + " --stories " + index, "--stories"},
           {"export --index " + index + " -o " + index, "-o"},
           {"export --index " + index + " --stories " + index, "--stories"},
       }) {
    CliRun r = Nazir(c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.flag + " "), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find("same file"), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_EQ(r.out, "") << c.args;
    ASSERT_EQ(Slurp(in), original) << c.args;
    ASSERT_EQ(Slurp(index), saved) << c.args;
  }
  // An output that cannot be written fails the run before it writes -o.
  for (const std::string flag : {"--pairs", "--stories", "--save"}) {
    std::remove(out.c_str());
    CliRun r = Nazir("cluster " + in + " -o " + out + " " + flag + " /nonexistent_dir/x");
    EXPECT_NE(r.status, 0) << flag;
    EXPECT_NE(r.err.find(flag), std::string::npos) << flag << "\n" << r.err;
    EXPECT_FALSE(std::ifstream(out).good()) << flag << ": -o was written before the failure";
  }
  // `-` is stdout for each output.
  CliRun dash = Nazir("cluster " + in + " -o /dev/null --pairs - --stories -");
  ASSERT_EQ(dash.status, 0) << dash.err;
  EXPECT_NE(dash.out.find("id_a\tid_b"), std::string::npos) << dash.out;
  EXPECT_NE(dash.out.find("\"story\":"), std::string::npos) << dash.out;
  for (const std::string& p : {in, link, sym, index, out}) std::remove(p.c_str());
}

// A run that read no article (every line malformed: a gzip file passed as
// JSONL; an empty input), or no article with text (a misspelled
// --text-field), fails with a message saying what was probably wrong,
// instead of "0 docs" and exit 0; `nazir add` then does not save. `nazir
// eval` fails when its label field is absent from every line (a misspelled
// --gold-field made every gold doc a singleton: B-cubed 0.99, exit 0).
TEST(CliTest, RunsThatReadNothingFailAndSayWhy) {
  const std::string in = Temp("nothing.jsonl"), binary = Temp("nothing.jsonl.gz"),
                    empty = Temp("nothing_empty.jsonl"), index = Temp("nothing.nzi"),
                    out = Temp("nothing_out.jsonl"), gold = Temp("nothing_gold.jsonl");
  {
    std::ofstream f(in), b(binary, std::ios::binary), e(empty), g(gold);
    f << Article("n1", kText) << "\n" << Article("n2", std::string(kText) + " وأضاف") << "\n";
    b << std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xed\x9b\x5b", 13)
      << "\n\xab\xcd{}[\n\x01\x02\x03\n";
    g << "{\"id\":\"n1\",\"g\":\"a\"}\n{\"id\":\"n2\",\"g\":\"a\"}\n";
  }
  std::remove(index.c_str());
  struct Case {
    std::string args, want;
  };
  for (const Case& c : std::vector<Case>{
           {"cluster " + binary, "is it JSON Lines"},
           {"cluster " + empty, "the input is empty"},
           {"cluster --text-field txt " + in,
            "no article had a non-empty \"txt\" field: is --text-field right?"},
           {"add --index " + index + " " + binary, "is it JSON Lines"},
           {"add --index " + index + " --text-field body " + in, "--text-field"},
       }) {
    CliRun r = Nazir(c.args);
    EXPECT_EQ(r.status, 1) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.want), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_FALSE(std::ifstream(index).good()) << c.args << ": an index was saved";
  }
  ASSERT_EQ(Nazir("cluster " + in + " -o " + out).status, 0);
  CliRun good = Nazir("eval --pred " + out + " --gold " + gold + " --gold-field g");
  ASSERT_EQ(good.status, 0) << good.err;
  CliRun gold_field = Nazir("eval --pred " + out + " --gold " + gold + " --gold-field story");
  EXPECT_EQ(gold_field.status, 1) << gold_field.out;
  EXPECT_NE(gold_field.err.find("--gold-field"), std::string::npos) << gold_field.err;
  EXPECT_EQ(gold_field.out, "");
  CliRun pred_field =
      Nazir("eval --pred " + out + " --gold " + gold + " --gold-field g --pred-field grp");
  EXPECT_EQ(pred_field.status, 1) << pred_field.out;
  EXPECT_NE(pred_field.err.find("--pred-field"), std::string::npos) << pred_field.err;
  for (const std::string& p : {in, binary, empty, index, out, gold}) std::remove(p.c_str());
}

// nazir eval on a gold file that shares no document with the predictions
// (another corpus, another id scheme) fails; it used to print perfect scores
// (P = R = F1 = 1 over zero documents), exit 0.
TEST(CliTest, EvalFailsWhenGoldAndPredictionsShareNothing) {
  const std::string in = Temp("share.jsonl"), pred = Temp("share_pred.jsonl"),
                    gold = Temp("share_gold.jsonl"), pairs = Temp("share_pairs.tsv");
  {
    std::ofstream f(in), g(gold), gp(pairs);
    f << Article("p1", kText) << "\n" << Article("p2", kText) << "\n";
    g << "{\"id\":\"q1\",\"g\":\"a\"}\n{\"id\":\"q2\",\"g\":\"a\"}\n";
    gp << "id_a\tid_b\nq1\tq2\n";
  }
  ASSERT_EQ(Nazir("cluster " + in + " -o " + pred).status, 0);
  CliRun labels = Nazir("eval --pred " + pred + " --gold " + gold + " --gold-field g");
  EXPECT_EQ(labels.status, 1) << labels.out;
  EXPECT_NE(labels.err.find("no document of " + gold), std::string::npos) << labels.err;
  EXPECT_EQ(labels.out, "");
  CliRun gold_pairs = Nazir("eval --pred " + pred + " --gold-pairs " + pairs);
  EXPECT_EQ(gold_pairs.status, 1) << gold_pairs.out;
  EXPECT_NE(gold_pairs.err.find("no pair of " + pairs), std::string::npos) << gold_pairs.err;
  for (const std::string& p : {in, pred, gold, pairs}) std::remove(p.c_str());
}

// nazir export writes a saved index as it stands: for an index saved by
// nazir cluster, exactly what cluster wrote (articles and stories); it does
// not change the index, not even with --settle; nazir add --stories writes
// the summaries export writes.
TEST(CliTest, ExportWritesTheIndexAsItStands) {
  const std::string in = Temp("exp.jsonl"), index = Temp("exp.nzi"), out1 = Temp("exp1.jsonl"),
                    st1 = Temp("exp1_st.jsonl"), out2 = Temp("exp2.jsonl"),
                    st2 = Temp("exp2_st.jsonl"), st3 = Temp("exp3_st.jsonl"),
                    index2 = Temp("exp2.nzi");
  {
    std::ofstream f(in);
    f << Article("x1", kText) << "\n"
      << Article("x2", std::string("نقلا عن رويترز ") + kText) << "\n"
      << Article("x3",
                 "خبر مختلف تماما عن مباراة كرة القدم بين الهلال والنصر في الرياض مساء امس "
                 "وانتهت بفوز الهلال بهدفين مقابل هدف واحد امام جمهور كبير")
      << "\n"
      << Article("x4", std::string(kText) + " وأضاف أن المحادثات ستستمر") << "\n";
  }
  std::remove(index.c_str());
  CliRun c = Nazir("cluster " + in + " -o " + out1 + " --stories " + st1 + " --save " + index);
  ASSERT_EQ(c.status, 0) << c.err;
  const std::string saved = Slurp(index);
  CliRun e = Nazir("export --index " + index + " -o " + out2 + " --stories " + st2);
  ASSERT_EQ(e.status, 0) << e.err;
  EXPECT_NE(e.err.find("4 docs, 2 groups"), std::string::npos) << e.err;
  EXPECT_EQ(Lines(Slurp(out1)).size(), 4u);
  EXPECT_EQ(Slurp(out2), Slurp(out1));
  EXPECT_EQ(Slurp(st2), Slurp(st1));
  CliRun settled = Nazir("export --settle --quiet --index " + index);
  ASSERT_EQ(settled.status, 0) << settled.err;
  EXPECT_EQ(settled.out, Slurp(out1));  // a finished batch has had its second look
  EXPECT_EQ(settled.err, "");
  EXPECT_EQ(Slurp(index), saved) << "export changed the index";

  std::remove(index2.c_str());
  CliRun a = Nazir("add --quiet --index " + index2 + " --stories " + st3 + " " + in);
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(Lines(Slurp(st3)).size(), 2u) << Slurp(st3);
  CliRun e2 = Nazir("export --quiet --index " + index2 + " --stories " + st2);
  ASSERT_EQ(e2.status, 0) << e2.err;
  EXPECT_EQ(Slurp(st2), Slurp(st3));
  EXPECT_EQ(Lines(e2.out).size(), 4u);

  // An index saved without stories reopens too (it used to be refused).
  std::remove(index2.c_str());
  CliRun ns = Nazir("cluster --quiet --no-stories " + in + " -o " + out1 + " --save " + index2);
  ASSERT_EQ(ns.status, 0) << ns.err;
  CliRun ens = Nazir("export --quiet --index " + index2);
  ASSERT_EQ(ens.status, 0) << ens.err;
  EXPECT_EQ(ens.out, Slurp(out1));

  EXPECT_EQ(Nazir("export").status, 2) << "--index is required";
  EXPECT_EQ(Nazir("export --index " + index + " " + in).status, 2) << "no INPUT";
  CliRun missing = Nazir("export --index " + Temp("no_such.nzi"));
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("no_such.nzi"), std::string::npos) << missing.err;
  for (const std::string& p : {in, index, out1, st1, out2, st2, st3, index2}) {
    std::remove(p.c_str());
  }
}

// nazir add sketches on several threads, then adds one article at a time. An article refused
// as a duplicate id was sketched too, and the featurizer that sketched it gave the spelling of
// each of its terms to it alone (issue #13, bug 4): dropped with it, a term shared by later
// articles had no spelling on 1 thread (missing from the top terms) and one that depended on
// the schedule on 3. Now the stories are the same bytes on 1 and 3 threads and show the term.
TEST(CliTest, AddStoriesDoNotDependOnThreadsWithRefusedDuplicates) {
  const std::string first = Temp("dup_first.jsonl"), in = Temp("dup_spell.jsonl");
  const std::string index = Temp("dup_spell.nzi");
  const std::string st1 = Temp("dup_spell1.jsonl"), st3 = Temp("dup_spell3.jsonl");
  {
    std::ofstream f0(first), f(in);
    uint32_t x = 7;
    auto words = [&x](int n) {
      static const char* kLetters[] = {"ب", "ت", "ث", "ج", "ح", "خ", "د", "ر", "س", "ش",
                                       "ص", "ع", "ف", "ق", "ك", "ل", "م", "ن", "ه"};
      std::string out;
      for (int w = 0; w < n; ++w) {
        for (int k = 0; k < 5; ++k) out += kLetters[(x = x * 1103515245u + 12345u) >> 16 & 15];
        out += ' ';
      }
      return out;
    };
    f0 << Article("a", kText) << "\n";
    // "a" resent (refused: it is in the index), the first article with بيلاوسوف / بيلوسوف
    // (one term id).
    f << Article("a", "زار بيلاوسوف المدينة وقال بيلاوسوف " + words(30)) << "\n";
    for (int i = 0; i < 240; ++i) {
      const std::string text =
          i % 3 == 0 ? "زار بيلوسوف المدينة وقال بيلوسوف " + words(30) : words(40);
      f << Article("n" + std::to_string(i), text) << "\n";
    }
  }
  std::remove(index.c_str());
  CliRun made = Nazir("add --quiet --index " + index + " " + first);
  ASSERT_EQ(made.status, 0) << made.err;
  CliRun one = Nazir("add --no-save --threads 1 --batch-docs 100 --index " + index + " --stories " +
                     st1 + " " + in);
  ASSERT_EQ(one.status, 0) << one.err;
  EXPECT_NE(one.err.find("id \"a\" is already in the index"), std::string::npos) << one.err;
  CliRun three = Nazir("add --quiet --no-save --threads 3 --batch-docs 100 --index " + index +
                       " --stories " + st3 + " " + in);
  ASSERT_EQ(three.status, 0) << three.err;
  EXPECT_EQ(one.out, three.out);
  const std::string stories = Slurp(st1);
  EXPECT_TRUE(stories == Slurp(st3)) << "--stories differs between 1 and 3 threads";
  // The spelling of the term's first article in the input, refused or not.
  EXPECT_NE(stories.find("\"بيلاوسوف\""), std::string::npos) << stories.substr(0, 2000);
  EXPECT_EQ(stories.find("\"بيلوسوف\""), std::string::npos) << stories.substr(0, 2000);
  for (const std::string& p : {first, in, index, st1, st3}) std::remove(p.c_str());
}

// Runs that update one index take turns: while another process holds
// INDEX.lock, nazir add waits (here: gives up after --lock-timeout); a
// --no-save run does not wait.
TEST(CliTest, AddWaitsForTheIndexLock) {
  const std::string in = Temp("lock.jsonl"), index = Temp("lock.nzi");
  {
    std::ofstream f(in);
    f << Article("l1", kText) << "\n";
  }
  std::remove(index.c_str());
  const int fd = ::open((index + ".lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  CliRun busy = Nazir("add --lock-timeout 0.3 --index " + index + " " + in);
  EXPECT_EQ(busy.status, 1);
  EXPECT_NE(busy.err.find("waiting for another nazir add"), std::string::npos) << busy.err;
  EXPECT_NE(busy.err.find("is being updated by another nazir add"), std::string::npos) << busy.err;
  EXPECT_EQ(busy.out, "");
  CliRun dry = Nazir("add --no-save --index " + index + " " + in);
  EXPECT_EQ(dry.status, 0) << dry.err;
  ::close(fd);  // releases the lock
  CliRun ok = Nazir("add --lock-timeout 0.3 --index " + index + " " + in);
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.err.find("created index"), std::string::npos) << ok.err;
  for (const std::string& p : {in, index, index + ".lock"}) std::remove(p.c_str());
}
