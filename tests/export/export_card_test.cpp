// encode_* return exactly the bytes write_* put on disk, and export_card (in memory) gives exactly
// what export_card_to writes, for every format; bad requests fail with errors that say what to do.
#include <gtest/gtest.h>
#include <sdc/color.hpp>
#include <sdc/export.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "color/print_support.hpp"

namespace sdc {
namespace {

using test::read_bytes;
using test::Specimen;
using test::specimen;

const ColorTransform& transform() {
  static const ColorTransform t = [] {
    auto r = ColorTransform::create();
    if (!r) throw std::runtime_error(r.error().to_string());
    return std::move(*r);
  }();
  return t;
}

ExportRequest all_formats() {
  ExportRequest r;
  r.resources = Resources::at(SDC_SOURCE_DIR);
  r.dpi = Dpi{300};
  r.png = r.cmyk_tiff = r.panels = r.pdf = r.seal_text = true;
  return r;
}

std::vector<std::string> names(const ExportResult& r) {
  std::vector<std::string> out;
  for (const auto& o : r.outputs) out.push_back(o.name);
  return out;
}

TEST(Encode, BytesEqualWhatTheWritersPutOnDisk) {
  const auto dir = test::fresh_dir("encode");
  const Specimen& s = specimen();
  auto planes = s.renderer.render(s.card, Side::front, RenderOptions{Dpi{300}});
  ASSERT_TRUE(planes) << planes.error().to_string();
  auto preview = s.renderer.preview(s.card, *planes);
  ASSERT_TRUE(preview);

  auto png = encode_png(preview->view(), {.dpi = Dpi{300}});
  ASSERT_TRUE(png);
  ASSERT_TRUE(write_png(preview->view(), dir / "a.png", {.dpi = Dpi{300}}));
  EXPECT_EQ(*png, read_bytes(dir / "a.png"));
  EXPECT_EQ(*encode_png(preview->view(), {.dpi = Dpi{300}}), *png);  // deterministic

  auto cmyk = separate(*planes, transform());
  ASSERT_TRUE(cmyk);
  const ImageView pages[] = {cmyk->view(), cmyk->view()};
  const CmykTiffOptions to{.dpi = Dpi{300}, .icc_profile = transform().output_profile(), .page_names = {"a", "b"}};
  auto tif = encode_cmyk_tiff(pages, to);
  ASSERT_TRUE(tif) << tif.error().to_string();
  ASSERT_TRUE(write_cmyk_tiff(pages, dir / "a.tif", to));
  EXPECT_EQ(*tif, read_bytes(dir / "a.tif"));
  EXPECT_EQ(std::string(tif->begin(), tif->begin() + 4), std::string("II*\0", 4));

  auto pdf = encode_pdf_proof(s.card, {.title = "t"});
  ASSERT_TRUE(pdf) << pdf.error().to_string();
  ASSERT_TRUE(write_pdf_proof(s.card, dir / "a.pdf", {.title = "t"}));
  EXPECT_EQ(*pdf, read_bytes(dir / "a.pdf"));
  EXPECT_EQ(std::string(pdf->begin(), pdf->begin() + 5), "%PDF-");

  auto printer = find_printer_profile("evolis-style-300", Resources::at(SDC_SOURCE_DIR));
  ASSERT_TRUE(printer) << printer.error().to_string();
  const Planes sides[] = {*planes};
  auto set = encode_panels(sides, *printer);
  ASSERT_TRUE(set) << set.error().to_string();
  auto written = write_panels(sides, *printer, dir);
  ASSERT_TRUE(written) << written.error().to_string();
  ASSERT_EQ(set->files.size(), written->files.size() + 1);
  for (std::size_t i = 0; i < written->files.size(); ++i) {
    EXPECT_EQ(set->files[i].name, written->files[i].filename().string());
    EXPECT_EQ(set->files[i].bytes, read_bytes(written->files[i])) << set->files[i].name;
  }
  EXPECT_EQ(set->files.back().name, "panels.json");
  EXPECT_EQ(set->files.back().bytes, read_bytes(written->manifest));
  std::filesystem::remove_all(dir);
}

TEST(Encode, BadInputIsAnErrorWithoutAFile) {
  EXPECT_EQ(encode_png(ImageView{}).error().code(), Errc::invalid_argument);
  Image cmyk(4, 4, PixelFormat::cmyk8);
  EXPECT_EQ(encode_png(cmyk.view()).error().code(), Errc::invalid_argument);
  EXPECT_EQ(encode_cmyk_tiff({}).error().code(), Errc::invalid_argument);
  Image rgb(4, 4, PixelFormat::rgb8);
  const ImageView pages[] = {rgb.view()};
  EXPECT_EQ(encode_cmyk_tiff(pages).error().code(), Errc::invalid_argument);
  EXPECT_EQ(encode_pdf_proof(Card{}).error().code(), Errc::invalid_argument);
  EXPECT_EQ(encode_panels({}, PrinterProfile{}).error().code(), Errc::invalid_argument);
}

TEST(ExportCard, InMemoryEqualsFilesForEveryFormat) {
  const Specimen& s = specimen();
  const auto dir = test::fresh_dir("export-card");
  auto mem = export_card(s.card, s.renderer, all_formats());
  ASSERT_TRUE(mem) << mem.error().to_string();
  const std::vector<std::string> expected{"front.png",          "back.png",
                                          "card.tif",           "panels/front_ymc.png",
                                          "panels/front_f.png", "panels/front_k.png",
                                          "panels/front_o.png", "panels/back_ymc.png",
                                          "panels/back_f.png",  "panels/back_k.png",
                                          "panels/back_o.png",  "panels/panels.json",
                                          "proof.pdf",          "seal.txt"};
  EXPECT_EQ(names(*mem), expected);
  EXPECT_FALSE(mem->transform.empty());
  auto files = export_card_to(s.card, s.renderer, all_formats(), dir);
  ASSERT_TRUE(files) << files.error().to_string();
  ASSERT_EQ(names(*files), expected);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_TRUE(files->outputs[i].bytes.empty());
    EXPECT_EQ(files->outputs[i].path, dir / expected[i]);
    EXPECT_FALSE(mem->outputs[i].bytes.empty()) << expected[i];
    EXPECT_EQ(mem->outputs[i].bytes, read_bytes(dir / expected[i])) << expected[i];
  }
  // The pieces are what the single encoders give.
  auto planes = s.renderer.render(s.card, Side::front, RenderOptions{Dpi{300}});
  ASSERT_TRUE(planes);
  auto preview = s.renderer.preview(s.card, *planes);
  ASSERT_TRUE(preview);
  EXPECT_EQ(mem->find("front.png")->bytes, *encode_png(preview->view(), {.dpi = Dpi{300}}));
  const std::string seal = s.card.seal_text() + "\n";
  EXPECT_EQ(mem->find("seal.txt")->bytes, std::vector<std::uint8_t>(seal.begin(), seal.end()));
  EXPECT_EQ(mem->find("nothing.png"), nullptr);
  std::filesystem::remove_all(dir);
}

TEST(ExportCard, SidesPerSideTiffAndFormatsAreHonoured) {
  const Specimen& s = specimen();
  ExportRequest r;
  r.resources = Resources::at(SDC_SOURCE_DIR);
  r.sides = {Side::back};
  r.cmyk_tiff = true;
  r.cmyk.per_side = true;
  auto out = export_card(s.card, s.renderer, r);
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_EQ(names(*out), std::vector<std::string>{"back.tif"});
  r.sides = {Side::front, Side::back};
  out = export_card(s.card, s.renderer, r);
  ASSERT_TRUE(out);
  EXPECT_EQ(names(*out), (std::vector<std::string>{"front.tif", "back.tif"}));
}

TEST(ExportCard, ProfilesFromMemoryGiveTheSameBytesAsFromFiles) {
  const Specimen& s = specimen();
  ExportRequest r;
  r.resources = Resources::at(SDC_SOURCE_DIR);
  r.sides = {Side::front};
  r.cmyk_tiff = r.panels = true;
  auto from_files = export_card(s.card, s.renderer, r);
  ASSERT_TRUE(from_files) << from_files.error().to_string();

  r.cmyk.profile_bytes = read_bytes(default_cmyk_profile_path());
  ASSERT_FALSE(r.cmyk.profile_bytes.empty());
  const auto json = read_bytes(test::source_dir() / "assets/printers/evolis-style-300.json");
  r.panel.printer_json.assign(json.begin(), json.end());
  auto from_memory = export_card(s.card, s.renderer, r);
  ASSERT_TRUE(from_memory) << from_memory.error().to_string();
  ASSERT_EQ(names(*from_memory), names(*from_files));
  for (std::size_t i = 0; i < from_files->outputs.size(); ++i)
    EXPECT_EQ(from_memory->outputs[i].bytes, from_files->outputs[i].bytes) << from_files->outputs[i].name;

  // A caller-built transform and profile are used as given.
  ExportRequest prebuilt = r;
  prebuilt.cmyk = {};
  prebuilt.cmyk.transform = transform();
  prebuilt.panel = {};
  prebuilt.panel.profile = *find_printer_profile("evolis-style-300", Resources::at(SDC_SOURCE_DIR));
  auto again = export_card(s.card, s.renderer, prebuilt);
  ASSERT_TRUE(again) << again.error().to_string();
  for (std::size_t i = 0; i < from_files->outputs.size(); ++i)
    EXPECT_EQ(again->outputs[i].bytes, from_files->outputs[i].bytes) << from_files->outputs[i].name;
}

TEST(ExportCard, BadRequestsSayWhatIsWrong) {
  const Specimen& s = specimen();
  auto message = [&](const ExportRequest& r, Errc code) {
    auto out = export_card(s.card, s.renderer, r);
    EXPECT_FALSE(out);
    if (out) return std::string();
    EXPECT_EQ(out.error().code(), code) << out.error().to_string();
    return out.error().to_string();
  };
  EXPECT_NE(message(ExportRequest{}, Errc::invalid_argument).find("no output"), std::string::npos);

  ExportRequest r;
  r.resources = Resources::at(SDC_SOURCE_DIR);
  r.panels = true;
  r.panel.printer = "no-such-printer";
  const auto unknown = message(r, Errc::invalid_argument);
  EXPECT_NE(unknown.find("no-such-printer"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("evolis-style-300"), std::string::npos) << unknown;  // lists the shipped ids

  r.panel.printer = "zebra-zc-style-300";  // offers YMCKO and YMCKOK only
  r.panel.options.ribbon = Ribbon::ymcfko;
  EXPECT_NE(message(r, Errc::invalid_argument).find("YMCFKO"), std::string::npos);

  r = {};
  r.panels = true;
  r.panel.printer_json = "{\"dpi\": 300}";
  r.panel.printer = "vendor";
  const auto bad_json = message(r, Errc::invalid_argument);
  EXPECT_NE(bad_json.find("vendor.json"), std::string::npos) << bad_json;
  EXPECT_NE(bad_json.find("raster"), std::string::npos) << bad_json;

  r = {};
  r.cmyk_tiff = true;
  r.cmyk.profile = "/nonexistent/profile.icc";
  EXPECT_NE(message(r, Errc::bad_profile).find("/nonexistent/profile.icc"), std::string::npos);
  r.cmyk.profile.clear();
  r.cmyk.profile_bytes = {1, 2, 3, 4};
  message(r, Errc::bad_profile);
  r.cmyk.profile_bytes.clear();
  r.cmyk.tac = 50;
  EXPECT_NE(message(r, Errc::invalid_argument).find("50"), std::string::npos);

  r = {};
  r.png = true;
  r.dpi = Dpi{10};
  message(r, Errc::invalid_argument);
  r.dpi = Dpi{300};
  r.sides = {Side::front, Side::front};
  message(r, Errc::invalid_argument);

  auto missing = export_card_to(s.card, s.renderer, all_formats(), "/nonexistent/out");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::io);
  EXPECT_EQ(missing.error().where().file, "/nonexistent/out");
}

TEST(ExportCard, ConcurrentExportsWithOneRendererAgree) {
  const Specimen& s = specimen();
  ExportRequest r;
  r.resources = Resources::at(SDC_SOURCE_DIR);
  r.png = r.pdf = true;
  r.cmyk_tiff = true;
  r.cmyk.transform = transform();
  auto reference = export_card(s.card, s.renderer, r);
  ASSERT_TRUE(reference);
  std::vector<Result<ExportResult>> results(2, Error(Errc::internal, "not run"));
  std::vector<std::thread> threads;
  for (auto& res : results) threads.emplace_back([&] { res = export_card(s.card, s.renderer, r); });
  for (auto& t : threads) t.join();
  for (const auto& res : results) {
    ASSERT_TRUE(res) << res.error().to_string();
    ASSERT_EQ(names(*res), names(*reference));
    for (std::size_t i = 0; i < res->outputs.size(); ++i) EXPECT_EQ(res->outputs[i].bytes, reference->outputs[i].bytes);
  }
}

TEST(PrinterProfile, ParsedFromMemoryLikeFromTheFile) {
  const auto path = test::source_dir() / "assets/printers/evolis-style-300.json";
  const auto bytes = read_bytes(path);
  auto mem = parse_printer_profile(std::string(bytes.begin(), bytes.end()), "evolis-style-300.json");
  auto file = load_printer_profile(path);
  ASSERT_TRUE(mem) << mem.error().to_string();
  ASSERT_TRUE(file);
  EXPECT_EQ(mem->id, "evolis-style-300");
  EXPECT_EQ(mem->width_px, file->width_px);
  EXPECT_EQ(mem->ribbons, file->ribbons);
  EXPECT_FALSE(parse_printer_profile("{}", ""));
  auto broken = parse_printer_profile("{not json", "mine.json");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().to_string().find("mine.json"), std::string::npos);
}

}  // namespace
}  // namespace sdc
