/// @file simulate.hpp
/// A print-scan channel simulator: what happens to a card image between the file sent to the
/// printer and the picture a checker receives. Vendors use it to test their own checkers; sdc uses
/// it to calibrate and evaluate its checker (bench/eval).
///
/// A `Channel` is one or more `Pass`es. Each pass prints the current artwork (`PrintStep`:
/// resample to the printer's grid, dot gain, ink spread, per-dot density noise) and captures the
/// printed card (`CaptureStep`: placement on a background with rotation and perspective, lighting
/// gradient, optics and motion blur, sensor noise, sharpening, resampling to the capture
/// resolution, JPEG). A copy is two passes: the first pass's capture (a flat scan) is cropped to
/// the card and becomes the artwork of the second print.
///
/// **Model.** Pixels are processed as linear-in-code-value reflectance 0..1 per RGB channel
/// (ink = 1 − reflectance). Dot gain raises mid-tones: ink' = ink + 4·g·ink·(1 − ink), so g is the
/// gain at 50 % ink. Ink spread is a Gaussian of σ `blur_mm` on the printed card. Noise is
/// Gaussian (Box–Muller over std::mt19937_64, no library distribution), so the bytes are the same
/// on every platform with the same OpenCV build.
///
/// **Determinism.** `simulate(image, channel, seed)` is a pure function: the same image, channel
/// and seed give byte-identical output, whatever the thread count. No global state.
///
/// **Threads.** All functions are thread-safe.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/units.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

/// Printing the artwork on a card, or showing it on a screen (a replay attack).
struct PrintStep {
  Dpi dpi{600};           ///< printer grid (72..2400): the artwork is resampled to it first
  double dot_gain = 0.1;  ///< 0..0.5: extra ink at 50 % coverage (tone curve above)
  double blur_mm = 0.02;  ///< 0..0.5 mm: σ of the ink spread on the card
  double noise = 0.02;    ///< 0..0.5: σ of the per-dot ink density noise (fraction of full ink)
  /// Shown on a screen at the card's size instead of printed: `dpi` is the screen's pixels per
  /// inch, each pixel three vertical stripes (red, green, blue) over its top two thirds, the black
  /// matrix below, and light emitted as the artwork's value (no dot gain, ink noise or spread).
  bool screen = false;
};

/// What the card lies on in a capture.
enum class Background {
  white,  ///< a flatbed's lid: near-white, uniform
  desk,   ///< a cluttered desk: textured colour with random shapes (a phone photo)
};

/// Capturing a printed card: a flatbed scan or a phone photo.
struct CaptureStep {
  Dpi dpi{600};             ///< pixels per inch on the card in the capture (72..2400)
  double blur_px = 0.5;     ///< 0..10: σ of the optics and defocus blur, in capture pixels
  double noise = 1.5;       ///< 0..50: σ of the sensor noise, in 8-bit levels
  double rotation_deg = 0;  ///< 0..180: the card is rotated by a uniform angle in ±rotation_deg
  double perspective = 0;   ///< 0..0.2: each corner moves by up to this fraction of the card width
  double lighting = 0;      ///< 0..0.8: strength of a linear lighting gradient (and vignetting)
  int jpeg_quality = 0;     ///< 0: no JPEG; 1..100: encode and decode with libjpeg at this quality
  double margin_mm = 8;     ///< 0..100: background shown around the card's bounding box
  Background background = Background::white;
  // Added later, so last: a positional initialiser written before them keeps its meaning.
  /// 0..60: length in capture pixels of a straight motion blur (a hand that moved during the
  /// exposure), in a direction drawn from the seed; 0 (the presets): none.
  double motion_px = 0;
  /// 0..3: a phone's sharpening (unsharp mask of σ 1 capture pixel, applied after the sensor
  /// noise): the capture plus this times its difference from a blurred copy; 0 (the presets): none.
  double sharpen = 0;
  /// 0..2: a specular highlight on the card's laminate (a lamp or the sky reflected): white light
  /// added in an elliptical Gaussian spot, this much at its centre (1 clips the paper white over
  /// most of the spot), before the optics' blur; 0 (the presets): none.
  double glare = 0;
  /// Where the spot's centre is, in fractions of the card's width and height (0..1, from its
  /// top-left corner as printed); negative: drawn from the seed, inside the card.
  double glare_x = -1, glare_y = -1;
  /// The spot's size: σ of its shorter axis in fractions of the card's width (0.01..0.5); 0: drawn
  /// from the seed (0.05 to 0.12); the longer axis is 1 to 2.5 times that, turned at random.
  double glare_size = 0;
  /// 0..3: a phone's noise reduction (before its sharpening): an edge-preserving smoothing, a
  /// bilateral filter of spatial σ `denoise` capture pixels and range σ `8 * denoise` 8-bit
  /// levels. It flattens low-contrast texture (the sensor noise, faint fine lines) and keeps
  /// strong edges (the card's outline, text) sharp; 0 (the presets): none.
  double denoise = 0;
  /// 0..60: the card tilted by this many degrees before a phone's camera, about an axis in its
  /// plane drawn from the seed (after the rotation and `perspective`'s corner moves): a true
  /// pinhole view, whose near side is longer than its far one. The focal length is 1.2 times the
  /// card's diagonal (a phone's main camera 12 cm from the card: the card about half the frame
  /// across), the card's centre on the optical axis at the distance where the capture has `dpi`,
  /// and the frame a phone's (4:3) centred on the axis; 0 (the presets): none.
  double tilt_deg = 0;
  /// 0..0.9: a shadow across the scene (the phone's or a hand's, in the light): the light times
  /// 1 - `shadow` on one side of a straight edge, in a direction drawn from the seed, through a
  /// point of the card's middle half drawn from the seed (after the lighting gradient, before
  /// the glare and the optics); 0 (the presets): none.
  double shadow = 0;
  /// 0.05..20: the shadow's penumbra, the millimetres of the card over which the light goes from
  /// full to shadowed. A phone 12 cm over the card under a ceiling lamp casts several millimetres;
  /// a small lamp or the sun about one; a finger on the card a tenth.
  double shadow_edge_mm = 1;
};

/// One print followed by one capture.
struct Pass {
  PrintStep print;
  CaptureStep capture;
};

/// A channel: the passes in order. A pass other than the last is a copier's scan: its capture is
/// warped back to the card rectangle (the forger crops and straightens the scan) and printed by the
/// next pass.
struct Channel {
  std::string name;
  std::vector<Pass> passes;
};

/// The named channels, for a card printed at `print_dpi` (72..2400):
///
/// | name     | what                                                                                 |
/// |----------|--------------------------------------------------------------------------------------|
/// | `mild`   | flatbed scan at 600 dpi, ±2°, JPEG 95, white lid                                      |
/// | `medium` | phone photo: about 400 dpi on the card, ±15°, 4 % perspective, light gradient, JPEG 85, desk |
/// | `harsh`  | poor phone photo: 300 dpi, any rotation, 8 % perspective, strong gradient, blur, JPEG 70, desk |
/// | `copy`   | print at `print_dpi` → flatbed scan at 300 dpi (JPEG 90) → print again on a 300 dpi dye-sublimation
/// printer → `medium` capture |
/// | `copy-fine` | a careful forger: print at `print_dpi` → flatbed scan at 1200 dpi, lossless → print again on a
/// printer like the issuer's (`print_dpi`, the same gain and spread) → `medium` capture |
/// | `screen` | a replay: print at `print_dpi` → flatbed scan at 600 dpi (JPEG 95) → shown at the card's size on
/// a phone's screen of 460 pixels per inch → `medium` capture |
///
/// Errors: Errc::invalid_argument for another name (the message lists the names) or a dpi out of
/// range.
SDC_EXPORT Result<Channel> channel_preset(std::string_view name, Dpi print_dpi = Dpi{600});

/// The preset names, in the order of the table above.
SDC_EXPORT std::vector<std::string> channel_preset_names();

/// A point in image pixels (x right, y down), sub-pixel.
struct PointF {
  double x = 0, y = 0;
};

/// What `simulate` returns.
struct Capture {
  Image image;  ///< rgb8 at the last capture's dpi (Image::dpi() set)
  /// The card's trim corners in `image`: top-left, top-right, bottom-right, bottom-left of the
  /// card as printed (they turn with the card), in pixel-centre coordinates.
  std::array<PointF, 4> corners{};
};

/// Sends one card side through a channel. `card` is the artwork at `dpi` (gray8, rgb8 or rgba8
/// over white), and `trim` the card's edge inside it (e.g. `Planes::trim` of a rendered side,
/// whose planes cover the bleed box): what lies outside `trim` is cut off, as when cards are
/// punched. `seed` drives every random choice; the same inputs give the same bytes.
/// Errors: Errc::invalid_argument (empty or cmyk8 image, `trim` outside the image or under
/// 16 × 16 px, a channel with no pass or a parameter out of the documented ranges, naming it),
/// Errc::limit_exceeded (an intermediate image over 200 megapixels), Errc::internal (OpenCV or
/// libjpeg failed; not expected).
SDC_EXPORT Result<Capture> simulate(const ImageView& card, Dpi dpi, PxRect trim, const Channel& channel,
                                    std::uint64_t seed);

/// Warps the quadrilateral `corners` (top-left, top-right, bottom-right, bottom-left, as in
/// `Capture::corners`) of `image` to an upright rectangle of `size` millimetres at `dpi`: the card
/// rectified, covering its trim box (pixel (0, 0) is the card's top-left corner). rgb8 output
/// (gray8 for a gray8 input). Bilinear. For tests and evaluation with known corners; a checker
/// finds the corners itself. Errors: Errc::invalid_argument (empty or cmyk8 image, dpi out of
/// 72..2400, a degenerate quadrilateral), Errc::limit_exceeded (over 200 megapixels).
SDC_EXPORT Result<Image> rectify_quad(const ImageView& image, const std::array<PointF, 4>& corners, MmSize size,
                                      Dpi dpi);

/// Encodes `image` (gray8 or rgb8) as a baseline JPEG at `quality` (1..100) and decodes it again,
/// as a camera or scanner would store it. Deterministic (libjpeg-turbo's integer DCT).
/// Errors: Errc::invalid_argument (other formats, quality out of range), Errc::internal.
SDC_EXPORT Result<Image> jpeg_roundtrip(const ImageView& image, int quality);

}  // namespace sdc
