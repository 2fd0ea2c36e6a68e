// Test support shared by tests/guilloche, tests/microtext and tests/mrz (header only): compose and
// render a template held in memory, and run the tesseract OCR engine on an image.
#pragma once

#include "cli/cli_support.hpp"

#include <gtest/gtest.h>
#include <sdc/compose.hpp>
#include <sdc/export.hpp>
#include <sdc/record.hpp>
#include <sdc/render.hpp>
#include <sdc/template.hpp>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace sdc::test {

inline const Composer& composer() {
  static const Composer c = Composer::create(Resources::at(SDC_SOURCE_DIR)).value();
  return c;
}

/// The specimen record (assets/records/specimen.json), with `changes` applied.
inline Record specimen_record(const std::vector<std::pair<std::string, std::string>>& changes = {}) {
  auto recs = load_records(std::filesystem::path(SDC_SOURCE_DIR) / "assets/records/specimen.json");
  Record r = recs.value().at(0);
  for (const auto& [k, v] : changes) r.set(k, v);
  return r;
}

/// A template with one side ("front") holding `elements` (a JSON array body).
inline std::string one_side(const std::string& elements, const std::string& background = "#ffffff") {
  return R"({"sdc_template": 1, "name": "test", "bleed": 1.0, "issuer": {"code": "XXA", "pattern_seed": "0011223344"},
            "front": {"background": ")" +
         background + R"(", "elements": [)" + elements + "]}}";
}

inline Result<Card> compose_json(const std::string& json, const Record& rec) {
  auto t = Template::parse(json, "test.json", std::filesystem::path(SDC_SOURCE_DIR) / "assets/templates");
  if (!t) return std::move(t).error();
  return composer().compose(*t, rec, Issuer{});
}

inline Planes render_card(const Card& card, int dpi, Side side = Side::front) {
  auto r = Renderer::create(composer().fonts(), RendererConfig{.cache_entries = 0}).value();
  return r.render(card, side, RenderOptions{Dpi{dpi}}).value();
}

inline Planes render_json(const std::string& json, int dpi, const Record& rec = specimen_record()) {
  auto card = compose_json(json, rec);
  if (!card) ADD_FAILURE() << card.error().to_string();
  return render_card(card.value(), dpi);
}

/// The tesseract binary, or "" if absent.
inline std::string tesseract_binary() {
  for (const char* p : {"/usr/bin/tesseract", "/usr/local/bin/tesseract"})
    if (access(p, X_OK) == 0) return p;
  return "";
}

/// Runs tesseract on `img` (written to a temporary PNG) with the given options; returns its text
/// with whitespace runs collapsed to single spaces and trimmed.
inline std::string ocr(const Image& img, const std::string& options) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sdc_ocr_" + std::to_string(getpid()) + "_" + std::to_string(std::rand()));
  std::filesystem::create_directories(dir);
  const auto png = dir / "in.png";
  EXPECT_TRUE(write_png(img.view(), png, PngOptions{.dpi = img.dpi()}).has_value());
  const std::string cmd = tesseract_binary() + " " + png.string() + " stdout " + options + " 2>/dev/null";
  std::string out = command_output(cmd);
  std::filesystem::remove_all(dir);
  return out;
}

/// Gray crop of `img` (rgb8 or gray8) in the pixel rectangle r.
inline Image crop_gray(const Image& img, PxRect r) {
  Image out(r.w, r.h, PixelFormat::gray8);
  const int ch = channels(img.format());
  for (int y = 0; y < r.h; ++y)
    for (int x = 0; x < r.w; ++x) {
      const std::uint8_t* p = img.row(r.y + y) + (r.x + x) * ch;
      out.row(y)[x] = ch == 1 ? p[0] : static_cast<std::uint8_t>((299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000);
    }
  out.set_dpi(img.dpi());
  return out;
}

/// Levenshtein distance (for OCR comparisons).
inline std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> d(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t prev = d[0];
    d[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cur = d[j];
      d[j] = std::min({d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return d[b.size()];
}

inline std::string squeeze(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace sdc::test
