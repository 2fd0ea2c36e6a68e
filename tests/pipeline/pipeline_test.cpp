// The Pipeline entry point, explicit Resources, and absent inks as empty planes.
#include <sdc/color.hpp>
#include <sdc/export.hpp>
#include <sdc/pipeline.hpp>
#include <sdc/resources.hpp>
#include <sdc/seal.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "compose/card_support.hpp"

namespace sdc::test {
namespace {

Resources source_resources() {
  return Resources::at(source_dir());
}

PipelineOptions all_formats(Dpi dpi) {
  PipelineOptions o{.resources = source_resources(), .dpi = dpi};
  o.request.png = o.request.cmyk_tiff = o.request.panels = o.request.pdf = o.request.seal_text = true;
  return o;
}

bool same_outputs(const ExportResult& a, const ExportResult& b) {
  if (a.outputs.size() != b.outputs.size()) return false;
  for (std::size_t i = 0; i < a.outputs.size(); ++i)
    if (a.outputs[i].name != b.outputs[i].name || a.outputs[i].bytes != b.outputs[i].bytes) return false;
  return true;
}

TEST(Pipeline, RunGivesWhatComposeAndExportCardGive) {
  const Dpi dpi{150};
  auto p = Pipeline::create(env().specimen, env().issuer, all_formats(dpi));
  ASSERT_TRUE(p) << p.error().to_string();
  auto made = p->run(env().records.at(1));
  ASSERT_TRUE(made) << made.error().to_string();
  for (const char* name : {"front.png", "back.png", "card.tif", "panels/panels.json", "proof.pdf", "seal.txt"})
    EXPECT_NE(made->exported.find(name), nullptr) << name;
  EXPECT_EQ(made->card.record().get("document_number"), env().records.at(1).get("document_number"));

  // The same by hand, through the lower-level calls. The panels are exported at the printer's
  // 300 dpi, so the pipeline keeps the portrait at 300 dpi (photo_dpi 0 resolved by create).
  EXPECT_EQ(p->options().photo_dpi.v, 300);
  auto card = env().composer.compose(env().specimen, env().records.at(1), env().issuer,
                                     {.dpi = dpi, .photo_dpi = p->options().photo_dpi});
  ASSERT_TRUE(card);
  ExportRequest r = all_formats(dpi).request;
  r.dpi = dpi;
  r.resources = source_resources();
  auto by_hand = export_card(*card, env().renderer, r);
  ASSERT_TRUE(by_hand) << by_hand.error().to_string();
  EXPECT_TRUE(same_outputs(made->exported, *by_hand));
}

TEST(Pipeline, ManyThreadsGiveTheBytesOfOne) {
  const Dpi dpi{100};
  PipelineOptions o{.resources = source_resources(), .dpi = dpi};
  // The PDF proof too: scripts/test runs this test under TSan, not test_export.
  o.request.png = o.request.cmyk_tiff = o.request.pdf = true;
  auto p = Pipeline::create(env().specimen, env().issuer, o);
  ASSERT_TRUE(p) << p.error().to_string();
  const std::size_t n = std::min<std::size_t>(4, env().records.size());
  std::vector<ExportResult> serial(n), parallel(n);
  for (std::size_t i = 0; i < n; ++i) serial[i] = p->run(env().records[i]).value().exported;
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < n; ++i)
    threads.emplace_back([&, i] { parallel[i] = p->run(env().records[i]).value().exported; });
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < n; ++i) EXPECT_TRUE(same_outputs(serial[i], parallel[i])) << "record " << i + 1;
}

// Under TSan (scripts/test): one Composer composes and one TrustStore verifies from many threads
// at once, each giving what one thread gives (the seal binds the photo, the patterns and every
// field, so equal seals mean equal cards).
TEST(Pipeline, OneComposerAndOneTrustStoreServeManyThreads) {
  const std::size_t n = std::min<std::size_t>(4, env().records.size());
  const ComposeOptions o{.dpi = Dpi{100}, .photo_dpi = Dpi{150}};
  std::vector<std::string> serial(n), parallel(n);
  for (std::size_t i = 0; i < n; ++i)
    serial[i] = env().composer.compose(env().specimen, env().records[i], env().issuer, o).value().seal_text();
  std::vector<SealReason> reasons(n * 2, SealReason::valid);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      auto card = env().composer.compose(env().specimen, env().records[i], env().issuer, o);
      if (card) parallel[i] = card->seal_text();
      for (int k = 0; k < 2; ++k)  // the store is only read: find, revocation lists, signature check
        reasons[i * 2 + k] = verify_seal(serial[(i + k) % n], env().trust, 1'800'000'000 /* 2027-01-15 */).reason;
    });
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_FALSE(serial[i].empty());
    EXPECT_EQ(parallel[i], serial[i]) << "record " << i + 1;
  }
  for (std::size_t i = 0; i < reasons.size(); ++i) EXPECT_EQ(reasons[i], SealReason::valid) << i;
}

TEST(Pipeline, ProblemsThatConcernEveryCardAreFoundAtCreation) {
  PipelineOptions o = all_formats(Dpi{300});
  o.request.panel.printer = "no-such-printer";
  auto p = Pipeline::create(env().specimen, env().issuer, o);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().to_string().find("evolis-style-300"), std::string::npos) << "lists the shipped printers";

  // The same request checks as export_card: panels without any printer say so.
  o.request.panel.printer.clear();
  auto none = Pipeline::create(env().specimen, env().issuer, o);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), Errc::invalid_argument);
  EXPECT_NE(none.error().message().find("no printer profile"), std::string::npos) << none.error().to_string();

  o = all_formats(Dpi{300});
  o.request.cmyk.profile = source_dir() / "no-such-profile.icc";
  EXPECT_EQ(Pipeline::create(env().specimen, env().issuer, o).error().code(), Errc::bad_profile);

  o = all_formats(Dpi{30});
  EXPECT_EQ(Pipeline::create(env().specimen, env().issuer, o).error().code(), Errc::invalid_argument);

  o = all_formats(Dpi{300});
  o.resources = Resources::at(source_dir() / "no-such-folder");
  auto missing = Pipeline::create(env().specimen, env().issuer, o);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().to_string().find("no-such-folder"), std::string::npos) << missing.error().to_string();
}

TEST(Pipeline, SeparateUsesThePipelinesTransform) {
  PipelineOptions o{.resources = source_resources(), .dpi = Dpi{100}};
  auto no_cmyk = Pipeline::create(env().specimen, env().issuer, o);
  ASSERT_TRUE(no_cmyk);
  auto card = no_cmyk->compose(env().records.at(0));
  ASSERT_TRUE(card);
  EXPECT_FALSE(no_cmyk->separate(*card, Side::front)) << "no CMYK output asked for: no transform";
  o.request.cmyk_tiff = true;
  auto p = Pipeline::create(env().specimen, env().issuer, o);
  ASSERT_TRUE(p);
  auto cmyk = p->separate(*card, Side::front);
  ASSERT_TRUE(cmyk) << cmyk.error().to_string();
  EXPECT_EQ(cmyk->format(), PixelFormat::cmyk8);
  EXPECT_EQ(cmyk->width(), Renderer::plane_size(*card, Dpi{100}).w);
}

// The library reads no environment: SDC_DATA_DIR is the tool's business.
TEST(Resources, TheLibraryIgnoresTheEnvironment) {
  const Resources before = Resources::installed();
  ASSERT_EQ(setenv("SDC_DATA_DIR", "/nonexistent/sdc-data", 1), 0);
  const Resources after = Resources::installed();
  unsetenv("SDC_DATA_DIR");
  EXPECT_EQ(before.data_dir, after.data_dir);
  EXPECT_TRUE(after.data_dir.is_absolute());
  EXPECT_EQ(after.data_dir.filename(), "sdc");
  EXPECT_EQ(after.data_dir.parent_path().filename(), "share");
  EXPECT_NE(after.data_dir, source_dir()) << "no build or source tree compiled into the library";
}

TEST(Resources, PathsDeriveFromTheDataDirectoryUnlessSet) {
  Resources r = Resources::at("/opt/x");
  EXPECT_EQ(r.fonts(), std::filesystem::path("/opt/x/fonts"));
  EXPECT_EQ(r.printers(), std::filesystem::path("/opt/x/assets/printers"));
  r.fonts_dir = "/f";
  r.printers_dir = "/p";
  EXPECT_EQ(r.font("a.ttf"), std::filesystem::path("/f/a.ttf"));
  EXPECT_EQ(r.printers(), std::filesystem::path("/p"));
  const auto ids = printer_profile_ids(source_resources());
  EXPECT_NE(std::find(ids.begin(), ids.end(), "evolis-style-300"), ids.end());
  EXPECT_TRUE(printer_profile_ids(Resources::at("/nonexistent")).empty());
}

// A side without UV, overlay or K: those planes are empty, and every consumer takes them as no ink
// and gives what it gave for zero-filled planes.
TEST(AbsentInks, AreEmptyPlanesThatEveryConsumerAccepts) {
  auto tmpl = Template::parse(R"({"sdc_template": 1, "name": "process only", "schema": "none",
      "front": {"elements": [{"type": "rect", "name": "band", "x": 5, "y": 5, "w": 40, "h": 10,
                              "fill": "#3060a0"}]}})",
                              "process-only.json");
  ASSERT_TRUE(tmpl) << tmpl.error().to_string();
  auto card = env().composer.compose(*tmpl, Record{}, Issuer{}, {.dpi = Dpi{150}});
  ASSERT_TRUE(card) << card.error().to_string();
  auto planes = env().renderer.render(*card, Side::front, {Dpi{150}});
  ASSERT_TRUE(planes) << planes.error().to_string();
  EXPECT_FALSE(planes->process.empty());
  EXPECT_TRUE(planes->k.empty());
  EXPECT_TRUE(planes->uv.empty());
  EXPECT_TRUE(planes->overlay.empty());

  Planes zeros = *planes;
  const int w = planes->process.width(), h = planes->process.height();
  for (Image* im : {&zeros.k, &zeros.uv, &zeros.overlay}) {
    *im = Image(w, h, PixelFormat::gray8);
    std::memset(im->data(), 0, static_cast<std::size_t>(w) * h);
  }
  for (bool uv : {false, true}) {
    const Image a = composite(*planes, uv), b = composite(zeros, uv);
    ASSERT_EQ(a.width(), b.width());
    for (int y = 0; y < h; ++y) ASSERT_EQ(std::memcmp(a.row(y), b.row(y), static_cast<std::size_t>(w) * 3), 0);
  }
  auto t = ColorTransform::create({});
  ASSERT_TRUE(t) << t.error().to_string();
  auto sa = separate(*planes, *t), sb = separate(zeros, *t);
  ASSERT_TRUE(sa && sb);
  for (int y = 0; y < h; ++y) ASSERT_EQ(std::memcmp(sa->row(y), sb->row(y), static_cast<std::size_t>(w) * 4), 0);
  const auto printer = find_printer_profile("evolis-style-300", source_resources());
  ASSERT_TRUE(printer);
  auto pa = encode_panels(std::span(&*planes, 1), *printer), pb = encode_panels(std::span(&zeros, 1), *printer);
  ASSERT_TRUE(pa) << pa.error().to_string();
  ASSERT_TRUE(pb);
  ASSERT_EQ(pa->files.size(), pb->files.size());
  for (std::size_t i = 0; i < pa->files.size(); ++i) EXPECT_EQ(pa->files[i].bytes, pb->files[i].bytes);

  Planes wrong = *planes;
  wrong.k = Image(w / 2, h, PixelFormat::gray8);
  EXPECT_FALSE(make_panels(wrong, *printer)) << "a mis-sized ink plane is an error, not a read past its end";
}

}  // namespace
}  // namespace sdc::test
