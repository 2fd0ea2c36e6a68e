/// @file export.hpp
/// Writing cards to files: PNG previews, CMYK TIFF with an ICC profile, panel sets for desktop
/// card printers, vector PDF proofs and N-up press sheets.
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
/// **Threads.** Writers are free functions without shared state: call them from many threads for
/// different files.
///
/// **Determinism.** The same inputs give byte-identical files (no dates are written; the PDF's
/// creation date is fixed).
#pragma once

#include <sdc/api.hpp>
#include <sdc/compose.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/render.hpp>
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

/// Writes a gray8, rgb8 or rgba8 image as PNG. Errors: Errc::io naming the path (folder missing
/// or not writable, disk full), Errc::invalid_argument for an empty image or a CMYK image.
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

/// Writes cmyk8 images as an 8-bit CMYK TIFF (PhotometricInterpretation separated, InkSet CMYK,
/// ink amounts as in `cmyk8`), one page (IFD) per image: one page for one side, two pages for a
/// two-page front/back file. Errors: Errc::invalid_argument (no pages, an empty or non-CMYK page),
/// Errc::io (libtiff's message and the path).
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

/// Finds `<data dir>/assets/printers/<id>.json` (see `default_data_dir()`); `id` may also be a path
/// to a JSON file. Errors as `load_printer_profile`, and Errc::invalid_argument listing the shipped
/// ids when there is no such profile.
SDC_EXPORT Result<PrinterProfile> find_printer_profile(const std::string& id);

/// The ids of the printer profiles shipped in the data directory, sorted.
SDC_EXPORT std::vector<std::string> printer_profile_ids();

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
/// `sides` holds one or two sides (front first). Errors as `make_panels`, and Errc::io.
SDC_EXPORT Result<PanelSet> write_panels(std::span<const Planes> sides, const PrinterProfile& printer,
                                         const std::filesystem::path& out_dir, const PanelOptions& options = {});

// ---------------------------------------------------------------------------------------------
// PDF proof

struct PdfProofOptions {
  bool marks = true;      ///< trim (crop) marks and bleed marks around each side
  bool ink_pages = true;  ///< an extra page per side for UV and overlay when the side uses them
  bool caption = true;    ///< a line under the card: template, side, inks
  std::string title;      ///< PDF title; empty: "sdc proof"
};

/// Writes a vector PDF proof of a card: one page per side (the bleed box with the background,
/// process items in sRGB and K items in pure black, clipped to the bleed box, on a page with room
/// for marks), then UV / overlay pages if asked. Text stays text, with fonts embedded (subsets).
/// Errors: Errc::invalid_argument (empty card), Errc::io.
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
/// TIFF, one page per sheet, in strips: only one row of cards and one scanline are held in memory,
/// so a 600 dpi SRA3 sheet needs tens of megabytes, not the 300+ MB of the whole sheet.
/// `geometry` is the cards' geometry (trim and bleed). Errors: Errc::does_not_fit (the grid is
/// larger than the sheet), Errc::invalid_argument, errors from `cards` (passed through), Errc::io.
SDC_EXPORT Result<SheetInfo> write_sheet(std::size_t count, const SideGeometry& geometry, const SheetCardSource& cards,
                                         const std::filesystem::path& path, const SheetOptions& options = {});

}  // namespace sdc
