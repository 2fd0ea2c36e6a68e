/// @file photo.hpp
/// The holder's photo: face detection, the portrait crop placed by ICAO proportions, and the
/// photo-based security features (ghost image, line-screened portrait).
///
/// Everything here is deterministic: the same pixels and options give the same bytes and the same
/// geometry on every run and thread count. Pixel inputs are `sdc::ImageView`s, so a camera frame or
/// any caller-owned buffer is used in place, without a copy; overloads taking an `sdc::Image` (from
/// `sdc::load_image`) forward its view and also carry over its ICC profile or resolution where the
/// output keeps them. No function modifies or retains its input.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/units.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sdc {

// ---------------------------------------------------------------------------------------------
// Face detection
// ---------------------------------------------------------------------------------------------

/// Settings of a `FaceDetector`.
struct FaceDetectorOptions {
  /// OpenCV Haar cascade XML for frontal faces. Empty means the default from Debian's opencv-data
  /// package: `/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml`.
  std::string cascade_path;
  /// Photos are reduced so their longer side is at most this many pixels before detection (speed;
  /// faces on an ID photo are large). 200 to 4000. Face rectangles are reported in source pixels.
  int max_detection_side = 800;
  /// Smallest face searched, as a fraction of the photo's shorter side (0.02 to 1).
  double min_face_fraction = 0.10;
  /// Haar `minNeighbors`: higher rejects more false positives (and more faint faces). 1 to 20.
  int min_neighbors = 5;
  /// Coarse-to-fine search (speed): a photo whose reduced size is larger than this (longer side,
  /// pixels) is first searched on a copy this small; each face found there is then searched again
  /// in a window twice its size around it, at sizes near its own, and those boxes are reported (the
  /// window is searched with the face about 72 px, where the cascade's steps are as fine as at the
  /// detection size). When the coarse search finds nothing that the fine search confirms, the whole photo
  /// is searched as with 0. 0: always search the whole photo at the detection size (about three
  /// times slower on a portrait). 0 or 100 to 4000.
  int coarse_side = 200;
  /// Where the coarse search's candidates come from (speed). true: an LBP cascade (about four times
  /// faster than Haar on the copy) proposes them, and each is confirmed and measured by the Haar
  /// cascade as above; when none is confirmed (LBP misses more turned or faint faces), the copy is
  /// searched with the Haar cascade, and then the whole photo. false: the Haar cascade only.
  bool lbp_candidates = true;
  /// Which cascade confirms and measures the LBP candidates (speed; only with `lbp_candidates`).
  /// false: the Haar cascade, as above. true: the LBP cascade, in the same window and at the same
  /// sizes, about 5 ms less per portrait (one core, all of OpenCV's threads counted: about 12.5 ->
  /// 7 ms). Its box differs from Haar's by up to a tenth of the face, like the coarse search's own
  /// (bench/RESULTS.md), so it suits framing a portrait (`Composer` uses it) more than measuring a
  /// printed one. When it confirms nothing, the Haar searches of `lbp_candidates` follow.
  bool lbp_confirmation = false;
  /// OpenCV LBP cascade XML for `lbp_candidates`. Empty means Debian's opencv-data
  /// `/usr/share/opencv4/lbpcascades/lbpcascade_frontalface.xml`.
  std::string lbp_cascade_path;
};

/// One caller's classifiers for `FaceDetector::detect`, kept from photo to photo: with one, a
/// detection takes no lock (the pool of shared classifiers is not touched). Not thread-safe: one
/// per thread. Used with another detector, it makes that detector's classifiers (about 30 ms).
class SDC_EXPORT FaceScratch {
 public:
  FaceScratch();
  ~FaceScratch();
  FaceScratch(FaceScratch&&) noexcept;
  FaceScratch& operator=(FaceScratch&&) noexcept;
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  friend class FaceDetector;
};

/// A frontal face detector (OpenCV Haar cascade), loaded once and shared.
///
/// A heavy, immutable, thread-safe object: create it once per process (or per batch) and pass it
/// to `crop_portrait`, so a batch does not parse the cascade per card (about 30 ms). Copies share
/// the same state. `detect` may be called from many threads at once: each concurrent call uses its
/// own classifier instance from a small pool (cloned from the XML held in memory), so calls do not
/// wait for one another and results do not depend on the thread.
class SDC_EXPORT FaceDetector {
 public:
  /// An empty detector (no cascade): `detect` returns Errc::invalid_argument. Allocates nothing.
  FaceDetector() = default;

  /// Loads and checks the cascade. Errors: Errc::io when the cascade file is missing or unreadable
  /// (hint: install Debian's opencv-data package or set `cascade_path`) or is not a cascade OpenCV
  /// can read; Errc::invalid_argument for options out of range.
  static Result<FaceDetector> create(const FaceDetectorOptions& options = {});

  /// Frontal faces in `photo` (gray8, rgb8 or rgba8; alpha is ignored), in source pixel
  /// coordinates, largest first (ties broken by position, so the order is deterministic). The Haar
  /// box covers roughly the eyebrows to the mouth or chin. An empty or cmyk8 image gives
  /// Errc::invalid_argument. Thread-safe.
  Result<std::vector<PxRect>> detect(const ImageView& photo) const;
  /// The same with the caller's own classifiers (the batch path): no lock, the same faces.
  Result<std::vector<PxRect>> detect(const ImageView& photo, FaceScratch& scratch) const;

  /// The options the detector was created with (cascade_path filled in); defaults when empty.
  const FaceDetectorOptions& options() const noexcept;
  bool empty() const noexcept { return impl_ == nullptr; }

 private:
  struct Impl;
  explicit FaceDetector(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// Portrait crop
// ---------------------------------------------------------------------------------------------

/// Where the head goes in the cropped portrait. The defaults follow ICAO Doc 9303 Part 3 and
/// ISO/IEC 19794-5 (full frontal image): head from chin to crown 70–80 % of the photo height, eyes
/// 30–50 % of the height from the top, face centred horizontally.
///
/// The Haar face box does not show the chin or the crown, so they are estimated from the box
/// height `s` (measured on frontal ID-style photos; the box top lies on the forehead):
///   eyes = box top + 0.37 s,  chin = box top + 1.15 s,
///   crown = box top - 0.50 s (between the top of the skull, about -0.40 s, and the top of
///   ordinary hair, about -0.55 s: ICAO guides differ on whether hair counts).
/// The head is then `1.65 s` tall and the eyes sit 0.53 of the head height below the crown.
struct PortraitOptions {
  /// Chin-to-crown height as a fraction of the output height (ICAO: 0.70 to 0.80). 0.5 to 0.9.
  double head_fraction = 0.75;
  /// Space above the crown as a fraction of the output height. 0 to 0.3. With the defaults the eye
  /// line falls at 0.07 + 0.53 * 0.75 = 0.47 of the height from the top (ICAO band: 0.30–0.50);
  /// a placement that would put the eyes outside [eye_line_min, eye_line_max] is shifted into it.
  double crown_margin = 0.07;
  double eye_line_min = 0.30;  ///< fraction of the output height from the top
  double eye_line_max = 0.50;  ///< fraction of the output height from the top
  /// Warn when the crop has to be enlarged by more than this factor (the photo has too few pixels
  /// for the box). >= 1.
  double max_upscale = 1.0;
  /// The output resolution, used only to word the upscale warning ("at 600 dpi"); 0 = unknown.
  Dpi dpi{0};
  /// Faces smaller than this fraction of the largest face's area are treated as background
  /// detections and do not trigger the "several faces" warning. 0 to 1.
  double other_face_area_fraction = 0.25;
  /// Used only by the overload without a FaceDetector (which loads a detector per call).
  FaceDetectorOptions detector;
};

/// Why a crop is not an ideal ICAO placement. The crop still succeeded.
enum class PortraitWarningKind : std::uint8_t {
  no_face,         ///< no face found: a centred crop of the box's aspect was made
  several_faces,   ///< more than one face of comparable size: the largest was used
  upscaled,        ///< the photo has too few pixels for the box at this size
  padded,          ///< the ICAO placement reaches past the photo's edge: padded with the background
  eye_line_moved,  ///< the estimated eye line was shifted into the ICAO band
};

struct PortraitWarning {
  PortraitWarningKind kind = PortraitWarningKind::no_face;
  std::string message;  ///< one sentence for people, with the numbers ("no face found: centred crop")
};

/// The result of `crop_portrait`.
struct PortraitCrop {
  Image image;  ///< rgb8, exactly the requested size; ICC profile copied from the source, dpi = options.dpi
  /// The face used, in source pixels (the Haar box), or nothing when no face was found.
  std::optional<PxRect> face;
  /// The source rectangle that became the output (may extend past the photo where padded). Its
  /// aspect equals the output's to within one source pixel.
  PxRect source_rect;
  /// Chin-to-crown height and eye line in the output, as fractions of its height (estimated from
  /// the face box as documented on PortraitOptions); 0 when no face was found.
  double head_fraction = 0;
  double eye_line = 0;
  std::vector<PortraitWarning> warnings;
};

/// Crops `photo` (gray8, rgb8 or rgba8; alpha is composited over white) to an `out_width_px` x
/// `out_height_px` rgb8 portrait with the face placed by `options`. Shrinking uses area averaging,
/// enlarging bicubic interpolation. Where the placement reaches past the photo, the missing part is
/// filled with the background colour (the per-channel median of the photo's top band and the upper
/// parts of its side bands) and a `padded` warning is added. With no face, the largest centred crop
/// of the output aspect is used with a `no_face` warning.
///
/// A view carries no ICC profile: the result's image has none (set it with `set_icc_profile`, or
/// pass an `Image`, whose profile is copied). The view is only read during the call.
///
/// Errors: Errc::invalid_argument for an empty or cmyk8 photo, sizes outside 1..20000 px, or
/// options out of range (the message names the option). Thread-safe; deterministic.
SDC_EXPORT Result<PortraitCrop> crop_portrait(const ImageView& photo, int out_width_px, int out_height_px,
                                              const FaceDetector& detector, const PortraitOptions& options = {});

/// As above, detecting with the caller's own classifiers (`FaceDetector::detect` with `scratch`).
SDC_EXPORT Result<PortraitCrop> crop_portrait(const ImageView& photo, int out_width_px, int out_height_px,
                                              const FaceDetector& detector, const PortraitOptions& options,
                                              FaceScratch& scratch);

/// As above, but loads a FaceDetector from `options.detector` on each call (about 30 ms). Errors
/// also include those of `FaceDetector::create` (a missing cascade file is an error, not a
/// silent centred crop).
SDC_EXPORT Result<PortraitCrop> crop_portrait(const ImageView& photo, int out_width_px, int out_height_px,
                                              const PortraitOptions& options = {});

/// As the view overload; the portrait keeps `photo`'s ICC profile.
inline Result<PortraitCrop> crop_portrait(const Image& photo, int out_width_px, int out_height_px,
                                          const FaceDetector& detector, const PortraitOptions& options = {}) {
  auto crop = crop_portrait(photo.view(), out_width_px, out_height_px, detector, options);
  if (crop) crop->image.set_icc_profile(photo.icc_profile());
  return crop;
}

/// As the view overload with a scratch; the portrait keeps `photo`'s ICC profile.
inline Result<PortraitCrop> crop_portrait(const Image& photo, int out_width_px, int out_height_px,
                                          const FaceDetector& detector, const PortraitOptions& options,
                                          FaceScratch& scratch) {
  auto crop = crop_portrait(photo.view(), out_width_px, out_height_px, detector, options, scratch);
  if (crop) crop->image.set_icc_profile(photo.icc_profile());
  return crop;
}

/// As the view overload (a detector per call); the portrait keeps `photo`'s ICC profile.
inline Result<PortraitCrop> crop_portrait(const Image& photo, int out_width_px, int out_height_px,
                                          const PortraitOptions& options = {}) {
  auto crop = crop_portrait(photo.view(), out_width_px, out_height_px, options);
  if (crop) crop->image.set_icc_profile(photo.icc_profile());
  return crop;
}

// ---------------------------------------------------------------------------------------------
// Ghost image
// ---------------------------------------------------------------------------------------------

/// Settings of `ghost_image`.
struct GhostOptions {
  /// 0 keeps the grey tones of the portrait; 1 gives white. Tones are mapped
  /// `out = 255 - (255 - grey) * (1 - lightness)`, which both lightens and lowers the contrast.
  /// Clamped to 0..1.
  double lightness = 0.6;
  /// Width of the soft edge that fades the portrait to white, as a fraction of the shorter side
  /// (0 = hard edge). Clamped to 0..0.5. The fade is a smoothstep, so it has no visible band.
  double vignette = 0.12;
  /// The ghost's size in pixels (both or neither): the portrait is area-averaged to it before it
  /// is lightened, so a ghost printed smaller than the portrait is computed, and drawn, at the
  /// size it is printed. 0 x 0: the portrait's size.
  int width = 0;
  int height = 0;
};

/// A lightened grey copy of `portrait` for the ghost image (a second, smaller portrait of the
/// holder), to be drawn as a raster. Output is gray8 of `options`' size (the portrait's when 0 x 0;
/// an empty image when only one of them is 0 or either is negative), 255 = no ink: the
/// renderer multiplies it over the background in process ink, or uses `255 - value` as the ink
/// amount of a UV or spot panel. rgb8 is converted with Rec. 601 luma; rgba8 is composited over
/// white first; cmyk8 or an empty image gives an empty image. The output's dpi is 0 (unknown) for
/// a view. Thread-safe; deterministic.
SDC_EXPORT Image ghost_image(const ImageView& portrait, const GhostOptions& options = {});

/// As the view overload; the output keeps `portrait`'s dpi.
inline Image ghost_image(const Image& portrait, const GhostOptions& options = {}) {
  Image out = ghost_image(portrait.view(), options);
  out.set_dpi(portrait.dpi());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Line screen
// ---------------------------------------------------------------------------------------------

/// Settings of `line_screen`. Lengths in mm.
struct LineScreenOptions {
  /// Distance between neighbouring line centres. 0.05 to 5 mm.
  double pitch_mm = 0.25;
  /// Stroke width at full darkness; the width is `max_width_mm * darkness`, clamped to
  /// [min_width_mm, pitch_mm]. 0 < max_width_mm <= 5 mm.
  double max_width_mm = 0.22;
  /// The thinnest stroke. With 0, the line breaks where the photo is white (narrower than 0.005 mm);
  /// with more, lines run unbroken across highlights. 0 to max_width_mm.
  double min_width_mm = 0.0;
  /// Line direction in degrees, counter-clockwise from the +x axis (0 = horizontal lines).
  double angle_deg = 0.0;
  /// Optional sine modulation of the centre line: amplitude (0 = straight, up to 5 mm) and
  /// wavelength along the line (0.2 to 100 mm when the amplitude is not 0). Each line's phase is
  /// shifted by `wave_phase_step` turns from the previous one.
  double wave_amplitude_mm = 0.0;
  double wave_length_mm = 2.0;
  double wave_phase_step = 0.0;
  /// Tone curve: darkness = (1 - grey / 255) ^ gamma. 0.2 to 5.
  double gamma = 1.0;
  /// Target resolution: outlines are sampled so that curves deviate by under a quarter of a
  /// device pixel and tone changes are followed at the photo's own resolution. 72 to 2400.
  Dpi dpi{600};
  /// Refuse output beyond this many outline points in total (Errc::limit_exceeded), before any is
  /// generated. 1000 to 50,000,000.
  std::int64_t max_points = 4'000'000;
};

/// One filled stroke: a closed polygon (the last point joins the first), in mm relative to the
/// box's top-left corner, y down. Points go along one side of the stroke and back along the other,
/// so the polygon does not self-intersect for widths <= pitch (and gentle waves).
struct LineScreenStroke {
  std::vector<MmPoint> outline;
};

/// Line-screened portrait: parallel lines `pitch_mm` apart across `box`, whose width follows the
/// darkness of `portrait` (gray8, rgb8 or rgba8 over white) stretched to fill the box (crop it to
/// the box's aspect first, for example with `crop_portrait`). Vector geometry for the ghost image
/// in process or UV ink, or for a line-modulated main photo; the renderer fills the polygons
/// (non-zero or even-odd: they do not overlap one another) and clips them to the box: stroke ends
/// of angled lines and wave crests may reach past it by up to `pitch_mm / 2 + wave_amplitude_mm`.
/// The tone is averaged over about half a pitch around each point, so a line follows the mean
/// darkness of its band. Strokes are ordered line by line, then along the line.
///
/// Errors: Errc::invalid_argument for an empty/cmyk8 portrait, a box outside 0.5..500 mm, or an
/// option out of its range (the message names it; pitch below 0.05 mm is refused);
/// Errc::limit_exceeded when the estimated output exceeds `max_points`. Output is bounded by
/// `max_points`. Thread-safe; deterministic.
SDC_EXPORT Result<std::vector<LineScreenStroke>> line_screen(const ImageView& portrait, MmSize box,
                                                             const LineScreenOptions& options = {});

/// As the view overload.
inline Result<std::vector<LineScreenStroke>> line_screen(const Image& portrait, MmSize box,
                                                         const LineScreenOptions& options = {}) {
  return line_screen(portrait.view(), box, options);
}

}  // namespace sdc
