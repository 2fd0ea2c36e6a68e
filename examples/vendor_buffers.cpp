// A card-printer vendor embedding sdc: cards render into the vendor's own buffers (strided, reused
// from card to card, nothing allocated per card by the renderer), the printer driver gets raw
// planes, and the print files are produced in memory, never touching the disk.
//
// Usage: example_vendor_buffers SDC_ROOT OUT_DIR
#include <sdc/sdc.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace {

int fail(const sdc::Error& e) {
  std::fprintf(stderr, "error: %s\n", e.to_string().c_str());
  return 1;
}

/// The vendor's frame buffers: rows padded to 64 bytes, as a print head driver might want them.
struct DriverBuffers {
  int w = 0, h = 0;
  std::ptrdiff_t rgb_stride = 0, gray_stride = 0;
  std::vector<std::uint8_t> rgb, k, uv, overlay;
  DriverBuffers(int width, int height) : w(width), h(height) {
    rgb_stride = (w * 3 + 63) / 64 * 64;
    gray_stride = (w + 63) / 64 * 64;
    rgb.resize(static_cast<std::size_t>(rgb_stride) * h);
    k.resize(static_cast<std::size_t>(gray_stride) * h);
    uv.resize(k.size());
    overlay.resize(k.size());
  }
  sdc::PlanesView view() {
    return {.width = w,
            .height = h,
            .process = rgb.data(),
            .process_stride = rgb_stride,
            .k = k.data(),
            .k_stride = gray_stride,
            .uv = uv.data(),
            .uv_stride = gray_stride,
            .overlay = overlay.data(),
            .overlay_stride = gray_stride};
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s SDC_ROOT OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root = argv[1], out = argv[2];
  auto tmpl = sdc::Template::load(root / "assets/templates/specimen.json");
  if (!tmpl) return fail(tmpl.error());
  auto records = sdc::load_records(root / "assets/records/specimen.csv");
  if (!records) return fail(records.error());
  sdc::Issuer issuer;
  const auto keys = root / "assets/keys/specimen-ed25519";
  auto signer = sdc::load_signer(keys / "key.pem", keys / "cert.pem");
  if (!signer) return fail(signer.error());
  issuer.signer = *signer;

  // Everything shared by all cards is prepared once: fonts, face model, renderer, colour transform,
  // printer profile. The data (fonts, printer profiles) comes from where the vendor installed it.
  const sdc::Dpi dpi{300};
  sdc::PipelineOptions options{.resources = sdc::Resources::at(root), .dpi = dpi};
  options.request = {.png = true, .cmyk_tiff = true, .panels = true, .pdf = true, .seal_text = true};
  auto pipeline = sdc::Pipeline::create(*tmpl, issuer, options);
  if (!pipeline) return fail(pipeline.error());
  sdc::RenderScratch scratch;  // one per worker thread
  std::optional<DriverBuffers> buffers;
  std::size_t k_pixels = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    auto card = pipeline->compose((*records)[i]);
    if (!card) return fail(card.error());
    const sdc::PxSize size = sdc::Renderer::plane_size(*card, dpi);
    if (!buffers) buffers.emplace(size.w, size.h);
    for (sdc::Side side : {sdc::Side::front, sdc::Side::back}) {
      auto info = pipeline->renderer().render_into(*card, side, {dpi}, buffers->view(), scratch);
      if (!info) return fail(info.error());
      // The driver would now send the planes to the print head; count the K coverage instead.
      for (int y = 0; y < size.h; ++y)
        for (int x = 0; x < size.w; ++x) k_pixels += buffers->k[y * buffers->gray_stride + x] > 127;
    }
    std::printf("record %zu: %s rendered into the driver's buffers (%d x %d px)\n", i + 1,
                card->record().get("document_number").value_or("?").c_str(), size.w, size.h);
  }
  if (k_pixels == 0) return fail(sdc::Error(sdc::Errc::internal, "the K planes are empty", ""));

  // A preview straight from the driver's buffer (a view, no copy), encoded in memory.
  const sdc::ImageView preview(buffers->rgb.data(), buffers->w, buffers->h, sdc::PixelFormat::rgb8,
                               buffers->rgb_stride);
  auto png = sdc::encode_png(preview, {.dpi = dpi});
  if (!png) return fail(png.error());

  // Everything the print shop needs, in memory: PNG previews, CMYK TIFF, panels, proof, seal.
  auto made = pipeline->run((*records)[0]);
  if (!made) return fail(made.error());
  const sdc::ExportResult* exported = &made->exported;
  std::filesystem::create_directories(out);
  std::size_t total = 0;
  for (const auto& o : exported->outputs) {
    total += o.bytes.size();
    std::printf("  %-24s %8zu bytes in memory\n", o.name.c_str(), o.bytes.size());
  }
  const auto* tiff = exported->find("card.tif");
  if (!tiff || tiff->bytes.size() < 8 || std::memcmp(tiff->bytes.data(), "II*\0", 4) != 0)
    return fail(sdc::Error(sdc::Errc::internal, "no CMYK TIFF in the export", ""));
  // Only here does anything reach the disk, atomically.
  if (auto st = sdc::write_file_atomic(out / "last-back.png", *png); !st) return fail(st.error());
  std::printf("%zu outputs, %zu bytes; the last back preview is in %s\n", exported->outputs.size(), total,
              (out / "last-back.png").string().c_str());
  return 0;
}
