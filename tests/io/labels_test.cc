#include "nazir/eval/labels.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace nazir {
namespace {

std::string WriteTemp(const std::string& name, const std::string& contents) {
  std::string path = ::testing::TempDir() + "/nazir_labels_" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(LabelsTest, JsonlLabels) {
  const std::string path =
      WriteTemp("pred.jsonl",
                "{\"id\":\"a\",\"group\":\"a\",\"story\":3}\n"
                "\n"
                "{\"id\":\"b\",\"group\":\"a\",\"story\":3,\"empty\":false}\r\n"
                "{\"id\":\"c\",\"group\":null}\n"
                "{\"id\":\"d\",\"group\":\"d\",\"empty\":true}\n");
  auto docs = ReadLabels(path, {.label_field = "group", .skip_if_true_field = "empty"});
  ASSERT_TRUE(docs.ok()) << docs.status();
  EXPECT_EQ(docs->ids, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(docs->labels, (std::vector<std::string>{"a", "a", ""}));
  EXPECT_EQ(docs->has_label, (std::vector<bool>{true, true, false}));
  EXPECT_EQ(docs->lines, (std::vector<int64_t>{1, 3, 4}));
  EXPECT_EQ(docs->skipped, 1);
  auto stories = ReadLabels(path, {.label_field = "story"});
  ASSERT_TRUE(stories.ok());
  EXPECT_EQ(stories->labels[0], "3");  // numbers compared by their text
  EXPECT_EQ(stories->ids.size(), 4u);
}

TEST(LabelsTest, JsonlErrorsNameFileAndLine) {
  auto dup = ReadLabels(WriteTemp("dup.jsonl", "{\"id\":\"a\",\"s\":1}\n{\"id\":\"a\",\"s\":2}\n"),
                        {.label_field = "s"});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("dup.jsonl:2: duplicate id \"a\" (first seen on line 1)"),
            absl::string_view::npos)
      << dup.status();
  auto bad =
      ReadLabels(WriteTemp("bad.jsonl", "{\"id\":\"a\",\"s\":1}\n{oops\n"), {.label_field = "s"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(bad.status().message().find("bad.jsonl:2: malformed"), absl::string_view::npos);
  auto noid = ReadLabels(WriteTemp("noid.jsonl", "{\"s\":1}\n"), {.label_field = "s"});
  EXPECT_NE(noid.status().message().find("noid.jsonl:1: missing id"), absl::string_view::npos);
  auto missing = ReadLabels("/nonexistent.jsonl", {.label_field = "s"});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

TEST(LabelsTest, TsvLabels) {
  const std::string path =
      WriteTemp("gold.tsv", "story\tid\tnote\ns1\tx\tfoo\n\ns1\ty\n\tz\tno story\n");
  auto docs = ReadLabels(path, {.label_field = "story"});
  ASSERT_TRUE(docs.ok()) << docs.status();
  EXPECT_EQ(docs->ids, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(docs->has_label, (std::vector<bool>{true, true, false}));
  auto nocol = ReadLabels(path, {.label_field = "cluster"});
  ASSERT_FALSE(nocol.ok());
  EXPECT_NE(nocol.status().message().find("gold.tsv:1: header lacks column \"cluster\""),
            absl::string_view::npos);
  auto short_row = ReadLabels(WriteTemp("short.tsv", "id\tstory\nx\n"), {.label_field = "story"});
  EXPECT_NE(short_row.status().message().find("short.tsv:2:"), absl::string_view::npos);
}

TEST(LabelsTest, PairsTsv) {
  auto pairs = ReadPairsTsv(WriteTemp("pairs.tsv", "id_a\tid_b\tscore\na\tb\t0.5\nc\td\n"));
  ASSERT_TRUE(pairs.ok());
  ASSERT_EQ(pairs->size(), 2u);
  EXPECT_EQ((*pairs)[0].a, "a");
  EXPECT_EQ((*pairs)[0].b, "b");
  EXPECT_EQ((*pairs)[1].line, 3);
  auto bad = ReadPairsTsv(WriteTemp("badpairs.tsv", "id_a\tid_b\nonly\n"));
  EXPECT_NE(bad.status().message().find("badpairs.tsv:2:"), absl::string_view::npos);
}

}  // namespace
}  // namespace nazir
