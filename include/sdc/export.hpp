/// @file export.hpp
/// Exporting cards: PNG previews, CMYK TIFF with an ICC profile, panel sets for desktop card
/// printers, vector PDF proofs and N-up press sheets, as files or as bytes in memory.
///
/// **Three levels.** `export_card` / `export_card_to` (at the end) do what `sdc render --format`
/// does: render the sides asked for, separate, build panels and the proof, and return every output
/// as named bytes or write it into a folder. Below them, `encode_*` turn one image, planes or card
/// into the bytes of one file format, and `write_*` are thin wrappers that encode and then
/// `write_file_atomic`: a file holds exactly the bytes the encoder returns (tests check this).
/// Press sheets are the exception: `write_sheet` streams to its file, strip by strip, because a
/// whole sheet would not fit in memory comfortably; there is no `encode_sheet`.
///
/// **Ownership.** Encoders return owned byte vectors; nothing keeps a reference to the inputs after
/// the call.
///
/// **Atomic output.** Every writer writes to a temporary file in the destination folder and renames
/// it into place, so a crash or a full disk never leaves a half-written file under the final name,
/// and an existing file is replaced atomically. On an error the temporary file is removed. Only a
/// regular file is ever replaced: an output path that is a folder, FIFO, device or socket (or a
/// symbolic link to one) is refused with Errc::io and left alone; a symbolic link to a regular
/// file is replaced by the new file (the file it pointed to is not written).
///
/// **Errors.** Errc::io names the path (folder missing or not writable, disk full);
/// Errc::invalid_argument names the argument that is out of range.
///
/// **Threads.** Encoders and writers are free functions without shared state: call them from many
/// threads (writers for different files). `export_card` may be called concurrently with one shared
/// `Renderer` (its cache is internally synchronised) and a shared `ColorTransform`.
///
/// **Determinism.** The same inputs give byte-identical files (no dates are written; the PDF's
/// creation date is fixed).
#pragma once

#include <sdc/api.hpp>
#include <sdc/color.hpp>
#include <sdc/compose.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/render.hpp>
#include <sdc/resources.hpp>
#include <sdc/units.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

// ---------------------------------------------------------------------------------------------
// PNG and raw bytes

struct PngOptions {
  Dpi dpi{0};           ///< written as pHYs (pixels per metre); 0: no pHYs chunk
  bool srgb = true;     ///< mark the pixels as sRGB (sRGB chunk, perceptual intent)
  int compression = 6;  ///< zlib level 0-9; output is deterministic for a given level
};

/// Encodes a gray8, rgb8 or rgba8 image as PNG bytes. Errors: Errc::invalid_argument for an empty
/// image or a CMYK image; Errc::limit_exceeded when memory runs out.
SDC_EXPORT Result<std::vector<std::uint8_t>> encode_png(const ImageView& image, const PngOptions& options = {});

/// `encode_png`, then `write_file_atomic`. Errors as `encode_png` (naming the path), and Errc::io
/// naming the path (folder missing or not writable, disk full).
SDC_EXPORT Status write_png(const ImageView& image, const std::filesystem::path& path, const PngOptions& options = {});

/// Writes bytes to `path` atomically (temporary file + rename). The building block of every writer.
SDC_EXPORT Status write_file_atomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

// ---------------------------------------------------------------------------------------------
// CMYK TIFF

enum class TiffCompression {
  none,     ///< uncompressed strips: largest, read by everything
  deflate,  ///< zlib (Adobe deflate, compression 8) with horizontal differencing off
};

struct CmykTiffOptions {
  Dpi dpi{300};  ///< XResolution/YResolution in pixels per inch; 0 writes no resolution tags
  /// ICC profile to embed (TIFFTAG_ICCPROFILE), normally `ColorTransform::output_profile()`.
  /// Not copied: must stay alive during the call. Empty: no profile is embedded.
  std::span<const std::uint8_t> icc_profile;
  TiffCompression compression = TiffCompression::deflate;
  /// PageName tag per page ("front", "back"); missing entries are left out.
  std::vector<std::string> page_names;
  /// Rows per strip (1 to 65536); smaller strips let readers stream.
  int rows_per_strip = 64;
};

/// Encodes cmyk8 images as an 8-bit CMYK TIFF (PhotometricInterpretation separated, InkSet CMYK,
/// ink amounts as in `cmyk8`), one page (IFD) per image: one page for one side, two pages for a
/// two-page front/back file. The whole file is built in memory (a card side at 600 dpi is a few
/// megabytes). Errors: Errc::invalid_argument (no pages, an empty or non-CMYK page), Errc::io
/// (libtiff's message).
SDC_EXPORT Result<std::vector<std::uint8_t>> encode_cmyk_tiff(std::span<const ImageView> pages,
                                                              const CmykTiffOptions& options = {});

/// `encode_cmyk_tiff`, then `write_file_atomic`. Errors as `encode_cmyk_tiff` and Errc::io, naming
/// the path.
SDC_EXPORT Status write_cmyk_tiff(std::span<const ImageView> pages, const std::filesystem::path& path,
                                  const CmykTiffOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Panel sets for desktop card printers

/// Ribbon types of dye-sublimation and retransfer printers. Y, M, C: dye panels (fed from one
/// colour image); K: black resin; O: clear overlay (varnish); F: fluorescent (UV) panel.
enum class Ribbon {
  ymcko,   ///< both sides colour + resin K + overlay
  ymckok,  ///< front colour + K + overlay, back resin K only
  ymcfko,  ///< colour + UV + K + overlay on both sides
};
/// "YMCKO", "YMCKOK", "YMCFKO".
SDC_EXPORT const char* to_string(Ribbon ribbon) noexcept;
/// Parses "YMCKO", "ymckok", ... Returns false for anything else.
SDC_EXPORT bool parse_ribbon(std::string_view text, Ribbon& out) noexcept;

/// A printer's raster, as its SDK or driver takes it. Read from JSON (assets/printers/*.json, see
/// docs/print.md).
struct PrinterProfile {
  std::string id;                   ///< file stem ("evolis-primacy-300")
  std::string name;                 ///< human-readable model description
  int width_px = 0, height_px = 0;  ///< raster size before rotation, 1 to 20000
  Dpi dpi{300};
  /// Where the card's trim top-left corner lies in the raster (before rotation and mirroring), in
  /// raster pixels; negative when the raster starts inside the card (the edge is not printed).
  int origin_x_px = 0, origin_y_px = 0;
  int rotation_deg = 0;  ///< 0, 90, 180 or 270, clockwise, applied after placing the card
  bool mirror = false;   ///< mirror left-right after rotating (retransfer printers print on film)
  bool retransfer = false;
  std::vector<Ribbon> ribbons;  ///< supported ribbons, the first is the default
};

/// Reads a printer profile from JSON. Errors: Errc::io (unreadable), Errc::invalid_argument (bad
/// JSON or values out of range), naming the file and the JSON path.
SDC_EXPORT Result<PrinterProfile> load_printer_profile(const std::filesystem::path& path);

/// Parses a printer profile held in memory (JSON text, as in a profile file). `name` stands for the
/// file: errors name it and its stem becomes `PrinterProfile::id` ("acme-300.json" -> "acme-300");
/// it must not be empty. Errors as `load_printer_profile`, without Errc::io.
SDC_EXPORT Result<PrinterProfile> parse_printer_profile(std::string_view json, const std::filesystem::path& name);

/// Finds `<id>.json` in `resources.printers()`; `id` may also be a path to a JSON file. Errors as
/// `load_printer_profile`, and Errc::invalid_argument listing the shipped ids when there is no such
/// profile.
SDC_EXPORT Result<PrinterProfile> find_printer_profile(const std::string& id,
                                                       const Resources& resources = Resources::installed());

/// The ids of the printer profiles in `resources.printers()`, sorted.
SDC_EXPORT std::vector<std::string> printer_profile_ids(const Resources& resources = Resources::installed());

/// How antialiased edges of K items become a 1-bit resin plane.
enum class KEdges {
  threshold,       ///< coverage >= `k_threshold` prints
  ordered_dither,  ///< 8x8 Bayer dither of the coverage: keeps the apparent weight of thin strokes
};

struct PanelOptions {
  std::optional<Ribbon> ribbon;  ///< default: the printer's first ribbon (YMCFKO if UV is used and offered)
  KEdges k_edges = KEdges::threshold;
  int k_threshold = 128;        ///< 1 to 255, for KEdges::threshold
  int uv_threshold = 128;       ///< 1 to 255: UV coverage that prints on the F panel
  int overlay_threshold = 128;  ///< 1 to 255: overlay coverage that gets varnish
  /// The template has no overlay items on a side: varnish the whole raster (the usual default of
  /// card printers). False: no varnish at all.
  bool full_overlay_when_absent = true;
};

/// One side's panels in the printer's raster, after rotation and mirroring. `ymc` is rgb8 (sRGB,
/// the printer's driver turns it into dye amounts), white under resin K; the others are gray8 with
/// 255 = panel applied, 0 = not; `uv` is empty when the ribbon has no F panel, `ymc` and `overlay`
/// are empty for a K-only side (YMCKOK back).
struct SidePanels {
  Side side = Side::front;
  Image ymc, k, overlay, uv;
};

/// Maps planes onto the printer's raster (resampling when the planes' dpi differs from the
/// printer's), splits K to the resin plane and knocks it out of the colour image. Errors:
/// Errc::invalid_argument (empty planes, a ribbon the printer does not offer, thresholds out of range).
SDC_EXPORT Result<SidePanels> make_panels(const Planes& planes, const PrinterProfile& printer,
                                          const PanelOptions& options = {});

/// One encoded file: its name (relative, '/'-separated) and its bytes.
struct EncodedFile {
  std::string name;
  std::vector<std::uint8_t> bytes;
};

/// A panel set in memory: the files `write_panels` writes, with the same names and bytes.
struct EncodedPanelSet {
  Ribbon ribbon = Ribbon::ymcko;
  /// The images in manifest order ("front_ymc.png", "front_k.png", ...), then "panels.json".
  std::vector<EncodedFile> files;
  std::vector<std::string> warnings;  ///< as in `PanelSet`
};

/// Encodes a panel set (see `write_panels` for the files). Errors as `make_panels`, and
/// Errc::invalid_argument for no or more than two sides.
SDC_EXPORT Result<EncodedPanelSet> encode_panels(std::span<const Planes> sides, const PrinterProfile& printer,
                                                 const PanelOptions& options = {});

/// What `write_panels` wrote.
struct PanelSet {
  Ribbon ribbon = Ribbon::ymcko;
  std::filesystem::path manifest;            ///< panels.json
  std::vector<std::filesystem::path> files;  ///< the images, in manifest order
  std::vector<std::string> warnings;         ///< content a panel cannot carry ("back has colour; YMCKOK prints K only")
};

/// Writes a panel set into `out_dir` (which must exist): per side `<side>_ymc.png` (24-bit),
/// `<side>_k.png`, `<side>_o.png`, `<side>_f.png` (1-bit; black pixels = panel applied) as the
/// ribbon needs, and `panels.json` naming the printer, ribbon, dpi, raster, orientation and files.
/// `sides` holds one or two sides (front first). `encode_panels`, then each file atomically.
/// Errors as `encode_panels`, and Errc::io.
SDC_EXPORT Result<PanelSet> write_panels(std::span<const Planes> sides, const PrinterProfile& printer,
                                         const std::filesystem::path& out_dir, const PanelOptions& options = {});

// ---------------------------------------------------------------------------------------------
// PDF proof

struct PdfProofOptions {
  bool marks = true;      ///< trim (crop) marks and bleed marks around each side
  bool ink_pages = true;  ///< an extra page per side for UV and overlay when the side uses them
  bool caption = true;    ///< a line under the card: template, side, inks
  std::string title;      ///< PDF title; empty: "sdc proof"
  /// Font file of the caption; empty: NotoSans-Regular.ttf of `Resources::installed()`. A file that
  /// cannot be loaded: no caption.
  std::filesystem::path caption_font;
};

/// Encodes a vector PDF proof of a card: one page per side (the bleed box with the background,
/// process items in sRGB and K items in pure black, clipped to the bleed box, on a page with room
/// for marks), then UV / overlay pages if asked. Text stays text, with fonts embedded (subsets).
/// Errors: Errc::invalid_argument (empty card), Errc::internal (a drawing failure),
/// Errc::limit_exceeded (out of memory).
SDC_EXPORT Result<std::vector<std::uint8_t>> encode_pdf_proof(const Card& card, const PdfProofOptions& options = {});

/// `encode_pdf_proof`, then `write_file_atomic`. Errors as `encode_pdf_proof` and Errc::io, naming
/// the path.
SDC_EXPORT Status write_pdf_proof(const Card& card, const std::filesystem::path& path,
                                  const PdfProofOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Press sheets (N-up imposition)

/// Named sheet sizes: "SRA3" (320 x 450 mm), "A3" (297 x 420), "A4" (210 x 297), portrait.
SDC_EXPORT bool parse_sheet_size(std::string_view name, MmSize& out) noexcept;

struct SheetOptions {
  int columns = 3, rows = 8;           ///< cards per sheet: columns x rows, 1 to 50 each
  MmSize sheet{Mm{320.0}, Mm{450.0}};  ///< SRA3 portrait; turned to landscape if the grid fits only so
  Dpi dpi{300};                        ///< 72 to 1200; the cards must be rendered at this dpi
  /// Space between trim boxes. Negative: automatic, 2 x bleed if it fits, else as much as fits (0:
  /// cards butt and share one cut; bleed is then clipped at the shared cut line).
  Mm gutter{-1.0};
  Mm min_margin{8.0};  ///< room kept around the grid for crop marks
  /// Back side: columns are mirrored so that the backs line up with the fronts after turning the
  /// sheet over its vertical axis (work-and-turn).
  bool back_side = false;
  CmykTiffOptions tiff;  ///< profile, compression, strip height (dpi is taken from `dpi`)
};

/// What `write_sheet` wrote.
struct SheetInfo {
  int pages = 0;  ///< sheets (TIFF pages)
  int width_px = 0, height_px = 0;
  MmSize sheet;  ///< as used (maybe turned to landscape)
  Mm gutter;     ///< as used
};

/// Returns the separated card (cmyk8, the bleed box at `SheetOptions::dpi`, as `separate()` gives
/// it) for card `index` (0-based). Called once per card, in order, one sheet row at a time.
using SheetCardSource = std::function<Result<Image>(std::size_t index)>;

/// Imposes `count` cards N-up on press sheets with crop marks (100 % K) and writes them as a CMYK
/// TIFF, one page per sheet, streamed to the file in strips (this writer does not encode in memory): only one row of
/// cards and one scanline are held in memory, so a 600 dpi SRA3 sheet needs tens of megabytes, not the 300+ MB of the
/// whole sheet. `geometry` is the cards' geometry (trim and bleed). Errors: Errc::does_not_fit (the grid is larger than
/// the sheet), Errc::invalid_argument, errors from `cards` (passed through), Errc::io.
SDC_EXPORT Result<SheetInfo> write_sheet(std::size_t count, const SideGeometry& geometry, const SheetCardSource& cards,
                                         const std::filesystem::path& path, const SheetOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Exporting a card: everything `sdc render --format` writes, in memory or into a folder

/// CMYK TIFF output of `export_card`.
struct CmykExport {
  /// A colour transform built by the caller (reuse one for many cards: building it opens the
  /// profile and optimises the transform). When set, the profile, intent and BPC fields below are
  /// ignored.
  std::optional<ColorTransform> transform;
  /// The output ICC profile as a file; empty: `default_cmyk_profile_path()`.
  std::filesystem::path profile;
  /// The output ICC profile as bytes; when not empty it is used instead of `profile` (which then
  /// only names it in messages).
  std::vector<std::uint8_t> profile_bytes;
  Intent intent = Intent::relative_colorimetric;
  bool black_point_compensation = true;
  int tac = 300;          ///< total area coverage limit in percent, 100 to 400
  bool per_side = false;  ///< "front.tif" and "back.tif" instead of one two-page "card.tif"
  TiffCompression compression = TiffCompression::deflate;
};

/// Panel-set output of `export_card`: the printer profile comes from, in this order, `profile`,
/// `printer_json` (JSON text in memory, named `printer`), or `printer` (a shipped id or a JSON path,
/// see `find_printer_profile`).
struct PanelExport {
  std::optional<PrinterProfile> profile;
  std::string printer_json;
  std::string printer = "evolis-style-300";
  PanelOptions options;
};

/// What to export. Every format is off by default; turn on at least one.
struct ExportRequest {
  /// The sides, front first. Empty: every side the card has. A listed side the card lacks is an
  /// error.
  std::vector<Side> sides;
  Dpi dpi{300};  ///< 72 to 2400; render at the card's composition dpi (see compose.hpp)

  bool png = false;        ///< "<side>.png": the sRGB preview (`Renderer::preview`), pHYs = dpi
  PreviewOptions preview;  ///< UV shown, overlays drawn
  bool cmyk_tiff = false;  ///< "card.tif" (or "<side>.tif"), separated with `cmyk`
  CmykExport cmyk;
  bool panels = false;  ///< "panels/<side>_<panel>.png" and "panels/panels.json", rendered at the printer's dpi
  PanelExport panel;
  bool pdf = false;  ///< "proof.pdf"
  /// PDF options; an empty title becomes "sdc proof" plus ": <document_number>" when the record has one.
  PdfProofOptions pdf_options;
  bool seal_text = false;  ///< "seal.txt": the seal's text and a newline, when the card has a seal
  /// Where printer profiles named by id, the default CMYK profile and the proof's caption font
  /// come from; empty: `Resources::installed()`.
  std::optional<Resources> resources;
};

/// One output of `export_card`.
struct ExportOutput {
  std::string name;                 ///< relative, '/'-separated: "front.png", "card.tif", "panels/front_k.png"
  std::vector<std::uint8_t> bytes;  ///< the file's bytes (`export_card`); empty after `export_card_to`
  std::filesystem::path path;       ///< where it was written (`export_card_to`); empty in memory
};

/// What `export_card` produced, in a fixed order: previews (front, back), TIFF, panel images and
/// manifest, proof, seal text.
struct ExportResult {
  std::vector<ExportOutput> outputs;
  std::vector<std::string> warnings;  ///< from the panel set (content a ribbon cannot print)
  /// The transform the TIFF was separated with (for reporting its profile); empty without TIFF.
  ColorTransform transform;
  /// The output named `name`, or nullptr.
  const ExportOutput* find(std::string_view name) const noexcept {
    for (const auto& o : outputs)
      if (o.name == name) return &o;
    return nullptr;
  }
};

/// Renders and encodes everything `request` asks for, in memory. The same request gives the same
/// bytes as `export_card_to` writes and as `sdc render --format` writes. Errors:
/// Errc::invalid_argument (no format, dpi or tac out of range, a side the card lacks, an unknown
/// printer or ribbon the printer does not take), Errc::bad_profile (missing or unusable ICC
/// profile), and errors of rendering and encoding. Thread-safe with a shared `renderer`.
SDC_EXPORT Result<ExportResult> export_card(const Card& card, const Renderer& renderer, const ExportRequest& request);

/// The same, writing each output atomically into `dir` (which must exist; "panels/" is created) as
/// soon as it is encoded, so only one output is held in memory at a time. The outputs carry their
/// paths and no bytes. Errors as `export_card`, and Errc::io naming the path. Outputs written
/// before an error are left in place.
SDC_EXPORT Result<ExportResult> export_card_to(const Card& card, const Renderer& renderer, const ExportRequest& request,
                                               const std::filesystem::path& dir);

}  // namespace sdc
