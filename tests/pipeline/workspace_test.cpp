// Per-worker workspaces: buffers reused from card to card and the previous card's separation
// reused for the pixels that did not change must give exactly the bytes of a fresh export.
#include <sdc/color.hpp>
#include <sdc/export.hpp>
#include <sdc/pipeline.hpp>

#include <gtest/gtest.h>

#include "color/separate_detail.hpp"
#include "compose/card_support.hpp"

namespace sdc::test {
namespace {

void expect_same(const ExportResult& a, const ExportResult& b, const std::string& what) {
  ASSERT_EQ(a.outputs.size(), b.outputs.size()) << what;
  for (std::size_t i = 0; i < a.outputs.size(); ++i) {
    EXPECT_EQ(a.outputs[i].name, b.outputs[i].name) << what;
    EXPECT_TRUE(a.outputs[i].bytes == b.outputs[i].bytes) << what << ": " << a.outputs[i].name << " differs";
  }
}

TEST(Workspace, AReusedWorkspaceGivesTheBytesOfAFreshExport) {
  PipelineOptions o{.resources = Resources::at(source_dir()), .dpi = Dpi{100}};
  o.request.png = o.request.cmyk_tiff = o.request.panels = o.request.seal_text = true;
  auto p = Pipeline::create(env().specimen, env().issuer, o);
  ASSERT_TRUE(p) << p.error().to_string();
  PipelineWorkspace reuse, no_memo;
  no_memo.reuse_separation(false);
  const std::size_t n = std::min<std::size_t>(2, env().records.size());
  // Cards in turn, then the first again: the memo then holds a different card of the same sides.
  for (std::size_t k = 0; k <= n; ++k) {
    const Record& r = env().records[k % n];
    auto fresh = p->run(r);
    auto a = p->run(r, reuse);
    auto b = p->run(r, no_memo);
    ASSERT_TRUE(fresh && a && b);
    expect_same(fresh->exported, a->exported, "reused workspace, card " + std::to_string(k));
    expect_same(fresh->exported, b->exported, "workspace without separation reuse, card " + std::to_string(k));
    EXPECT_GT(a->times.compose_ns, 0);
    EXPECT_GT(a->times.render_ns, 0);
    EXPECT_GT(a->times.separate_ns, 0);
    EXPECT_GT(a->times.encode_ns, 0);
  }
}

TEST(SeparationMemo, TransformsOnlyWhatChangedAndGivesTheBytesOfSeparate) {
  const Dpi dpi{100};
  auto transform = ColorTransform::create({});
  ASSERT_TRUE(transform) << transform.error().to_string();
  auto card_a = env().composer.compose(env().specimen, env().records.at(0), env().issuer, {.dpi = dpi});
  auto card_b = env().composer.compose(env().specimen, env().records.at(1), env().issuer, {.dpi = dpi});
  ASSERT_TRUE(card_a && card_b);
  std::int64_t changed = 0;  // the back's process plane may not change at all (its personal items are K)
  for (Side side : {Side::front, Side::back}) {
    auto a = env().renderer.render(*card_a, side, {dpi});
    auto b = env().renderer.render(*card_b, side, {dpi});
    ASSERT_TRUE(a && b);
    detail::SeparationMemo memo;
    Image out;
    ASSERT_TRUE(detail::separate_into(*a, *transform, {}, out, &memo));
    const std::int64_t all = static_cast<std::int64_t>(a->process.width()) * a->process.height();
    EXPECT_EQ(memo.transformed_pixels, all) << "the first card goes through whole";
    EXPECT_TRUE(out.view().data() != nullptr);
    ASSERT_TRUE(detail::separate_into(*b, *transform, {}, out, &memo));
    EXPECT_LT(memo.transformed_pixels, all / 2) << "the static layers are the larger part of a side";
    changed += memo.transformed_pixels;
    auto expected = separate(*b, *transform);
    ASSERT_TRUE(expected);
    EXPECT_TRUE(std::equal(out.data(), out.data() + out.row_stride() * out.height(), expected->data()))
        << to_string(side);
    // Another coverage limit: the memo is not valid for it and starts again.
    ASSERT_TRUE(detail::separate_into(*b, *transform, {.max_total_coverage = 240}, out, &memo));
    EXPECT_EQ(memo.transformed_pixels, all);
    auto limited = separate(*b, *transform, {.max_total_coverage = 240});
    ASSERT_TRUE(limited);
    EXPECT_TRUE(std::equal(out.data(), out.data() + out.row_stride() * out.height(), limited->data()));
  }
  EXPECT_GT(changed, 0) << "two people's cards differ (the photo on the front)";
}

}  // namespace
}  // namespace sdc::test
