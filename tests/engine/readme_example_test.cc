// The README's embedding example, compiled and run: if this breaks, so does
// the first thing a user copies.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nazir/base/status.h"
#include "nazir/engine/engine.h"

#include <unistd.h>

namespace {

struct Incoming {
  std::string id, outlet, title, text;
  int64_t unix_time;
};

std::vector<std::pair<std::string, std::string>> published;
void Publish(const std::string& id, std::string_view group, std::string_view story) {
  published.emplace_back(id, std::string(group) + "|" + std::string(story));
}

// --- begin README example ---
absl::Status OnArticle(nazir::Engine& engine, const Incoming& in) {
  NAZIR_ASSIGN_OR_RETURN(
      nazir::Assignment a,
      engine.Add({.id = in.id, .source = in.outlet, .date = in.unix_time, .title = in.title},
                 in.text));
  Publish(in.id, a.group, a.story);  // ids of the group's and the story's anchor articles
  return absl::OkStatus();
}
// --- end README example ---

TEST(ReadmeExampleTest, FeedSurvivesARestart) {
  const std::string text =
      "التقى وزير الخارجية الروسي سيرغي لافروف نظيره السوري أسعد الشيباني في موسكو اليوم الخميس في "
      "زيارة تعد الأولى لمسؤول سوري رفيع المستوى من الحكومة الجديدة بعد الإطاحة بحليف روسيا السابق";
  const std::string path = ::testing::TempDir() + "/readme_feed_" + std::to_string(getpid());
  {
    auto engine = nazir::Engine::Create(nazir::EngineOptions{});
    ASSERT_TRUE(engine.ok());
    ASSERT_TRUE(
        OnArticle(**engine, {"a1", "reuters", "لافروف يلتقي الشيباني", text, 1753920000}).ok());
    ASSERT_TRUE((*engine)->Save(path).ok());
  }
  auto engine = nazir::Engine::Open(path);
  ASSERT_TRUE(engine.ok()) << engine.status();
  ASSERT_TRUE(
      OnArticle(**engine, {"a2", "sana", "الشيباني في موسكو", "دمشق: " + text, 1753923600}).ok());
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[1].second, "a1|a1") << "the republished copy joins a1's group and story";
  std::remove(path.c_str());
}

}  // namespace
