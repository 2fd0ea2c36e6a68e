/// @file color.hpp
/// Colour management for print: ICC transforms from sRGB (or a photo's own profile) to a CMYK
/// output profile, the total area coverage limit, and the separation of rendered planes into CMYK.
///
/// **Ink amounts.** `cmyk8` pixels hold ink amounts, 0 = no ink, 255 = 100 %. The total area
/// coverage (TAC) of a pixel is C + M + Y + K in percent (0 to 400 %).
///
/// **Black.** Items on the K ink (text, microtext, MRZ, QR) never go through the ICC transform:
/// they come out as 100 % K with C = M = Y = 0 (no rich black on fine detail, where misregistration
/// would blur it), whatever the output profile does to black.
///
/// **Threads.** A `ColorTransform` is built once (opening profiles and optimising the Little CMS
/// pipeline costs milliseconds) and is immutable afterwards: share one between threads.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/planes.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sdc {

/// ICC rendering intent of the source -> CMYK transform.
enum class Intent {
  perceptual,             ///< compresses the whole source gamut into the printer's (photos)
  relative_colorimetric,  ///< in-gamut colours exact relative to paper white; the rest clipped
};
/// "perceptual", "relative-colorimetric".
SDC_EXPORT const char* to_string(Intent intent) noexcept;

/// The CMYK output profile used when none is named: Ghostscript's `default_cmyk.icc` (a coated
/// offset characterisation) at its Debian path, installed by `scripts/deps` (package libgs-common).
SDC_EXPORT std::filesystem::path default_cmyk_profile_path();

struct ColorTransformOptions {
  /// A CMYK output ICC profile (version 2 or 4, class output/printer). Empty: the default above.
  std::filesystem::path output_profile;
  /// The CMYK output profile as ICC bytes (a vendor holding it in memory). When not empty it is used
  /// instead of the file, and `output_profile` (if set) only names it in errors and reports.
  std::vector<std::uint8_t> output_profile_bytes;
  /// The source profile as ICC bytes (for example `Image::icc_profile()` of a photo); it must be an
  /// RGB profile. Empty: sRGB (IEC 61966-2-1), which is what `Renderer` produces.
  std::vector<std::uint8_t> source_profile;
  Intent intent = Intent::relative_colorimetric;
  /// Black-point compensation: maps the source black to the printer's darkest black, keeping shadow
  /// detail. Recommended with relative colorimetric.
  bool black_point_compensation = true;
};

/// A Little CMS transform from an RGB source profile to a CMYK output profile, plus the profile's bytes
/// for embedding in the files written with it.
///
/// Immutable and thread-safe: the transform is built with Little CMS's `cmsFLAGS_NOCACHE`, so
/// `cmsDoTransform` keeps no per-call state inside the transform and any number of threads may call
/// the const methods at once. Copies are cheap (shared). A default-constructed object is `empty()`.
class SDC_EXPORT ColorTransform {
 public:
  ColorTransform() = default;

  /// Opens the profiles and builds the transform.
  /// Errors: Errc::bad_profile naming the file (missing, unreadable, not an ICC profile, not a CMYK
  /// output profile, a source that is not RGB, or no transform between the two); the hint says
  /// what to do (for the default profile: run scripts/deps, or name a profile with
  /// `output_profile`).
  static Result<ColorTransform> create(const ColorTransformOptions& options = {});

  bool empty() const noexcept { return impl_ == nullptr; }

  /// Transforms `count` pixels of rgb8 (interleaved R, G, B) into cmyk8 (ink amounts). No coverage
  /// limit is applied here: that is `separate()`'s job. Precondition: not empty, buffers hold
  /// `count` pixels. Thread-safe.
  void rgb_to_cmyk(const std::uint8_t* rgb, std::uint8_t* cmyk, std::size_t count) const;

  /// Transforms `count` cmyk8 pixels to CIE L*a*b* (D50; three doubles per pixel) through the
  /// output profile (relative colorimetric): what the print will look like. Thread-safe.
  void cmyk_to_lab(const std::uint8_t* cmyk, double* lab, std::size_t count) const;

  /// Transforms `count` rgb8 pixels to CIE L*a*b* (D50) through the source profile (relative
  /// colorimetric): the colours the artwork asks for. Thread-safe.
  void rgb_to_lab(const std::uint8_t* rgb, double* lab, std::size_t count) const;

  /// The output profile's bytes, to embed in TIFF or PDF output. Empty when `empty()`.
  const std::vector<std::uint8_t>& output_profile() const noexcept;
  /// Where the output profile was read from.
  const std::filesystem::path& output_profile_path() const noexcept;
  /// The profile's description tag ("Artifex CMYK SWOP Profile"), for reports.
  const std::string& output_profile_description() const noexcept;
  /// The source profile's description ("sRGB built-in" when none was given).
  const std::string& source_profile_description() const noexcept;
  Intent intent() const noexcept;
  bool black_point_compensation() const noexcept;

  struct Impl;

 private:
  std::shared_ptr<const Impl> impl_;
};

struct SeparationOptions {
  /// Total area coverage limit in percent, 100 to 400; 300 suits coated offset and most digital
  /// presses. Where the profile asks for more, C, M and Y are reduced in proportion and K is kept.
  int max_total_coverage = 300;
};

/// Separates rendered planes into one CMYK image (cmyk8, the size of the planes, dpi kept):
///
/// 1. the process plane goes through `transform` (sRGB -> CMYK);
/// 2. the coverage limit is applied to every pixel: if C + M + Y + K > limit, C, M and Y are scaled
///    by (limit - K) / (C + M + Y) (rounded down, so the limit is never exceeded);
/// 3. the K plane is laid on top as a knockout: with k the K coverage (0 to 1),
///    C' = C (1 - k), M' = M (1 - k), Y' = Y (1 - k), K' = K (1 - k) + 255 k.
///    Under full K coverage this gives exactly C = M = Y = 0, K = 255; on antialiased edges it
///    blends process towards pure black, as the K ink would look printed over paper. A convex mix
///    of two pixels within the limit is within the limit (the limit is at least 100 %), so step 3
///    never breaks step 2.
///
/// UV and overlay are not part of CMYK: write them as separate plates (`write_panels`, the PDF
/// proof's extra pages). Errors: Errc::invalid_argument (empty transform, planes without a process
/// plane, planes of different sizes, a limit outside 100 to 400). Thread-safe; cost is about one
/// Little CMS transform of the pixels plus one pass.
SDC_EXPORT Result<Image> separate(const Planes& planes, const ColorTransform& transform,
                                  const SeparationOptions& options = {});

/// Applies the coverage limit in place to a cmyk8 image (step 2 above). Errors:
/// Errc::invalid_argument for a non-CMYK image or a limit outside 100 to 400.
SDC_EXPORT Status limit_coverage(Image& cmyk, int max_total_coverage);

/// The highest total area coverage of any pixel of a cmyk8 view, in percent (rounded up).
SDC_EXPORT int peak_coverage(const ImageView& cmyk);

}  // namespace sdc
