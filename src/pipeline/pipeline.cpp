#include <sdc/color.hpp>
#include <sdc/lint.hpp>
#include <sdc/pipeline.hpp>

#include <algorithm>

#include "export/export_workspace.hpp"

namespace sdc {

struct Pipeline::Impl {
  Template tmpl;
  Issuer issuer;
  PipelineOptions options;  ///< options.request resolved: dpi, resources, transform, printer profile
  Composer composer;
  Renderer renderer;
  std::vector<std::string> warnings;
};

namespace {

Error bad(std::string what, std::string hint) {
  return Error(Errc::invalid_argument, std::move(what), std::move(hint));
}

}  // namespace

Result<Pipeline> Pipeline::create(Template tmpl, Issuer issuer, PipelineOptions options) {
  if (options.dpi.v < 72 || options.dpi.v > 2400)
    return bad("pipeline dpi " + std::to_string(options.dpi.v) + " is outside 72 to 2400.",
               "use 300 for desktop card printers, 600 for central production.");
  auto impl = std::make_shared<Impl>();
  SDC_TRY_ASSIGN(impl->composer, Composer::create(options.resources));
  SDC_TRY_ASSIGN(impl->renderer, Renderer::create(impl->composer.fonts()));

  ExportRequest& r = options.request;
  r.dpi = options.dpi;
  r.resources = options.resources;
  SDC_TRY_ASSIGN(r, detail::resolve_request(std::move(r), options.resources));
  if (options.photo_dpi.v == 0) {
    options.photo_dpi = options.dpi;
    if (r.panels) {
      SDC_TRY_ASSIGN(const PrinterProfile printer, detail::printer_for(r.panel, options.resources));
      options.photo_dpi = Dpi{std::max(options.dpi.v, printer.dpi.v)};
    }
  }

  for (const auto& w : lint(tmpl, options.dpi)) impl->warnings.push_back(w.to_string());
  impl->tmpl = std::move(tmpl);
  impl->issuer = std::move(issuer);
  impl->options = std::move(options);
  Pipeline p;
  p.impl_ = std::move(impl);
  return p;
}

namespace {

ComposeOptions compose_options(const PipelineOptions& o, const Image* photo) {
  return ComposeOptions{.photo = photo,
                        .dpi = o.dpi,
                        .photo_dpi = o.photo_dpi,
                        .now_unix = o.now_unix,
                        .photo_root = o.photo_root,
                        .allow_any_photo_path = o.allow_any_photo_path};
}

}  // namespace

Result<Card> Pipeline::compose(const Record& record, const Image* photo) const {
  if (!impl_) return bad("the pipeline is empty.", "create it with Pipeline::create.");
  return impl_->composer.compose(impl_->tmpl, record, impl_->issuer, compose_options(impl_->options, photo));
}

Result<ExportResult> Pipeline::export_card(const Card& card) const {
  if (!impl_) return bad("the pipeline is empty.", "create it with Pipeline::create.");
  return sdc::export_card(card, impl_->renderer, impl_->options.request);
}

Result<ExportResult> Pipeline::export_card_to(const Card& card, const std::filesystem::path& dir) const {
  if (!impl_) return bad("the pipeline is empty.", "create it with Pipeline::create.");
  return sdc::export_card_to(card, impl_->renderer, impl_->options.request, dir);
}

struct PipelineWorkspace::Impl {
  ComposeScratch compose;
  detail::ExportWorkspace ws;
};
PipelineWorkspace::PipelineWorkspace() : impl_(std::make_unique<Impl>()) {}
PipelineWorkspace::~PipelineWorkspace() = default;
PipelineWorkspace::PipelineWorkspace(PipelineWorkspace&&) noexcept = default;
PipelineWorkspace& PipelineWorkspace::operator=(PipelineWorkspace&&) noexcept = default;
void PipelineWorkspace::reuse_separation(bool on) noexcept {
  impl_->ws.use_memo = on;
}
void PipelineWorkspace::give_back(std::vector<std::uint8_t>&& bytes) {
  impl_->ws.give_back(std::move(bytes));
}

namespace {

std::int64_t ns_since(std::int64_t t0) {
  return detail::thread_cpu_ns() - t0;
}

void add(StageTimes& t, const detail::ExportTimes& e) {
  t.render_ns += e.render_ns;
  t.separate_ns += e.separate_ns;
  t.encode_ns += e.encode_ns;
  t.write_ns += e.write_ns;
}

}  // namespace

Result<PipelineOutput> Pipeline::run(const Record& record, PipelineWorkspace& workspace, const Image* photo) const {
  if (!impl_) return bad("the pipeline is empty.", "create it with Pipeline::create.");
  PipelineOutput out;
  const auto t0 = detail::thread_cpu_ns();
  SDC_TRY_ASSIGN(out.card, impl_->composer.compose(impl_->tmpl, record, impl_->issuer,
                                                   compose_options(impl_->options, photo), workspace.impl_->compose));
  out.times.compose_ns = ns_since(t0);
  detail::ExportWorkspace& ws = workspace.impl_->ws;
  SDC_TRY_ASSIGN(out.exported, detail::export_card_with(out.card, impl_->renderer, impl_->options.request, ws));
  add(out.times, ws.times);
  return out;
}

Result<PipelineOutput> Pipeline::run(const Record& record, const Image* photo) const {
  PipelineWorkspace workspace;
  return run(record, workspace, photo);
}

Result<PipelineOutput> Pipeline::run_to(const Record& record, const std::filesystem::path& dir,
                                        const Image* photo) const {
  if (!impl_) return bad("the pipeline is empty.", "create it with Pipeline::create.");
  PipelineOutput out;
  const auto t0 = detail::thread_cpu_ns();
  SDC_TRY_ASSIGN(out.card, compose(record, photo));
  out.times.compose_ns = ns_since(t0);
  detail::ExportWorkspace ws;
  SDC_TRY_ASSIGN(out.exported, detail::export_card_with(out.card, impl_->renderer, impl_->options.request, ws, &dir));
  add(out.times, ws.times);
  return out;
}

Result<Image> Pipeline::separate(const Card& card, Side side) const {
  if (!impl_) return bad("the pipeline is empty.", "create it with Pipeline::create.");
  const ExportRequest& r = impl_->options.request;
  if (!r.cmyk.transform)
    return bad("the pipeline has no CMYK transform.", "turn on request.cmyk_tiff when creating the pipeline.");
  SDC_TRY_ASSIGN(const Planes planes, impl_->renderer.render(card, side, RenderOptions{r.dpi}));
  return sdc::separate(planes, *r.cmyk.transform, {.max_total_coverage = r.cmyk.tac});
}

static const std::vector<std::string> kNone;

const std::vector<std::string>& Pipeline::warnings() const noexcept {
  return impl_ ? impl_->warnings : kNone;
}
const Template& Pipeline::tmpl() const noexcept {
  static const Template none;
  return impl_ ? impl_->tmpl : none;
}
const Issuer& Pipeline::issuer() const noexcept {
  static const Issuer none;
  return impl_ ? impl_->issuer : none;
}
const Composer& Pipeline::composer() const noexcept {
  static const Composer none;
  return impl_ ? impl_->composer : none;
}
const Renderer& Pipeline::renderer() const noexcept {
  static const Renderer none;
  return impl_ ? impl_->renderer : none;
}
const ExportRequest& Pipeline::request() const noexcept {
  static const ExportRequest none;
  return impl_ ? impl_->options.request : none;
}
const PipelineOptions& Pipeline::options() const noexcept {
  static const PipelineOptions none{.resources = Resources{}};
  return impl_ ? impl_->options : none;
}

}  // namespace sdc
