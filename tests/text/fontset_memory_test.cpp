// Fonts held in memory load as their files do.
#include <sdc/text.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace sdc {
namespace {

std::vector<std::uint8_t> bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(FontSet, FromMemoryShapesAsFromFiles) {
  const std::filesystem::path dir = std::filesystem::path(SDC_SOURCE_DIR) / "fonts";
  auto files = FontSet::load_files({dir / "NotoSans-Regular.ttf", dir / "OCRB.otf"});
  auto memory = FontSet::from_memory(
      {{"NotoSans-Regular.ttf", bytes_of(dir / "NotoSans-Regular.ttf")}, {"OCRB.otf", bytes_of(dir / "OCRB.otf")}});
  ASSERT_TRUE(files && memory) << (memory ? "" : memory.error().to_string());
  ASSERT_EQ(memory->size(), files->size());
  for (std::uint16_t i = 0; i < memory->size(); ++i) EXPECT_EQ(memory->info(i).family, files->info(i).family);
  for (const char* family : {"Noto Sans", "OCR-B"}) {
    const auto a = shape_text(*files, "Specimen 0123 <<", TextStyle{.family = family});
    const auto b = shape_text(*memory, "Specimen 0123 <<", TextStyle{.family = family});
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->box.w.v, b->box.w.v) << family;
    EXPECT_EQ(a->glyph_count(), b->glyph_count()) << family;
  }
}

TEST(FontSet, FromMemoryRefusesWhatIsNotAFont) {
  EXPECT_EQ(FontSet::from_memory({}).error().code(), Errc::invalid_argument);
  EXPECT_EQ(FontSet::from_memory({{"", {1, 2, 3}}}).error().code(), Errc::invalid_argument);
  auto junk = FontSet::from_memory({{"junk.ttf", std::vector<std::uint8_t>(100, 0x41)}});
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().code(), Errc::bad_font);
  EXPECT_NE(junk.error().to_string().find("junk.ttf"), std::string::npos) << junk.error().to_string();
}

}  // namespace
}  // namespace sdc
