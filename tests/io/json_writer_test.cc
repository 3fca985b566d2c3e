#include "nazir/io/json_writer.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "nazir/io/corpus_reader.h"

namespace nazir {
namespace {

// Parses `json` (one JSON string literal) back with simdjson.
std::string RoundTrip(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  std::string_view s;
  auto err = parser.parse(padded).get(s);
  EXPECT_FALSE(err) << simdjson::error_message(err) << " in " << json;
  return std::string(s);
}

double ParseNumber(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  double v = 0;
  auto err = parser.parse(padded).get(v);
  EXPECT_FALSE(err) << simdjson::error_message(err) << " in " << json;
  return v;
}

std::string Str(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

TEST(JsonWriterTest, EscapesExactly) {
  EXPECT_EQ(Str(""), "\"\"");
  EXPECT_EQ(Str("plain"), "\"plain\"");
  EXPECT_EQ(Str("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Str("l1\nl2\tx\r\b\f"), "\"l1\\nl2\\tx\\r\\b\\f\"");
  EXPECT_EQ(Str(std::string("\x01\x1f\x00", 3)), "\"\\u0001\\u001f\\u0000\"");
  EXPECT_EQ(Str("/\x7f"), "\"/\x7f\"");
  EXPECT_EQ(Str("مرحبا 😀"), "\"مرحبا 😀\"");  // valid UTF-8 untouched
}

TEST(JsonWriterTest, InvalidUtf8BecomesReplacementChar) {
  EXPECT_EQ(Str("a\xFF"
                "b"),
            "\"a\uFFFDb\"");
  EXPECT_EQ(RoundTrip(Str("\xD8")), "\uFFFD");
}

TEST(JsonWriterTest, RandomStringsRoundTrip) {
  std::mt19937 rng(42);
  const std::string alphabet[] = {"a",    "\"",   "\\",    "\n", std::string(1, '\0'),
                                  "\x1b", "ا",    "ة",     "😀",  "\t",
                                  " ",    "\x7f", "\u2028"};
  for (int t = 0; t < 2000; ++t) {
    std::string s;
    const int len = static_cast<int>(rng() % 30);
    for (int i = 0; i < len; ++i) s += alphabet[rng() % std::size(alphabet)];
    EXPECT_EQ(RoundTrip(Str(s)), s);
  }
}

TEST(JsonWriterTest, Numbers) {
  auto num = [](double v, int p) {
    std::string out;
    AppendJsonNumber(&out, v, p);
    return out;
  };
  EXPECT_EQ(num(0.87314, 4), "0.8731");
  EXPECT_EQ(num(1.0, 4), "1");
  EXPECT_EQ(num(0, 6), "0");
  EXPECT_EQ(num(-2.5, 3), "-2.5");
  EXPECT_EQ(num(1e-7, 3), "1e-07");
  EXPECT_EQ(num(std::nan(""), 4), "null");
  EXPECT_EQ(num(std::numeric_limits<double>::infinity(), 4), "null");
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1e6, 1e6);
  for (int t = 0; t < 1000; ++t) {
    const double v = u(rng) * std::pow(10.0, static_cast<int>(rng() % 40) - 20);
    EXPECT_EQ(ParseNumber(num(v, 17)), v);  // 17 digits round-trip exactly
  }
  std::string i;
  AppendJsonInt(&i, -9223372036854775807LL - 1);
  EXPECT_EQ(i, "-9223372036854775808");
}

TEST(JsonWriterTest, Dates) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(1437447092), "2015-07-21");
  EXPECT_EQ(FormatDateTime(1437447092), "2015-07-21T02:51:32Z");
  EXPECT_EQ(FormatDateTime(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatDate(951782400), "2000-02-29");
  EXPECT_EQ(FormatDate(Article::kNoDate), "");
  EXPECT_EQ(FormatDateTime(Article::kNoDate), "");
  // FormatDateTime and ParseDate are inverse over a wide range.
  for (int64_t t = -5'000'000'000; t < 5'000'000'000; t += 12'345'679) {
    EXPECT_EQ(ParseDate(FormatDateTime(t)), t) << FormatDateTime(t);
    EXPECT_EQ(ParseDate(FormatDate(t)), t - ((t % 86400) + 86400) % 86400);
  }
}

}  // namespace
}  // namespace nazir
