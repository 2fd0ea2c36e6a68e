/// @file guilloche.hpp
/// Guilloché: parametric curve families turned into polylines, and their seeded variants.
///
/// A guilloché is a set of fine, interlaced curves (spirograph figures, rosettes, lathe waves)
/// whose exact geometry is hard to reproduce without the parameters. sdc describes one pattern
/// with a `GuillocheSpec` (a plain aggregate: family, sizes in mm, integer frequencies, the number
/// of strokes and the phase step between them) and flattens it with `guilloche_polylines()` to
/// polylines in millimetres for a given flattening tolerance.
///
/// **Closure.** Closed families (trochoids, roses, Lissajous figures, rings, borders) are traced
/// over exactly one period, computed from their integer frequency ratios with a gcd: the last
/// point of each stroke equals its first point and the polyline is flagged `closed`.
///
/// **Accuracy.** Flattening is adaptive: every segment of the polyline stays within `tolerance`
/// (mm) of the true curve. For printing, use `flattening_tolerance(dpi)` (a quarter of a device
/// pixel), so the curves are as clean at 1200 dpi as at 300 dpi.
///
/// **Seeds.** `perturb()` derives a deterministic variant of a spec from a secret seed: the
/// issuer seed for the static background, the card's personal seed for a personal band. The
/// derivation is documented in docs/security-features.md so a checker holding the seed can
/// regenerate the exact pattern.
///
/// **Bounds.** Generation never allocates without bound: a spec whose output would exceed
/// `GuillocheLimits::max_points` is refused with Errc::limit_exceeded before (or as soon as) it
/// gets there.
///
/// Everything here is a pure function: thread-safe, deterministic, locale-free.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/units.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

/// The curve families.
enum class GuillocheFamily {
  /// Spirograph, a circle rolling inside a fixed circle: fixed radius R = `radius`, rolling radius
  /// r = R * `freq_b` / `freq_a`, pen at `pen` (mm) from the rolling circle's centre.
  /// Period 2π * freq_b / gcd(freq_a, freq_b).
  hypotrochoid,
  /// As hypotrochoid, the circle rolling outside; R = (radius - pen) / (1 + freq_b / freq_a), so
  /// the farthest reach R + r + pen equals `radius` (for pen up to 0.9 radius).
  epitrochoid,
  /// Rosette in polar form: ρ(θ) = (radius - amplitude) + amplitude * cos(k θ), k = freq_a / freq_b.
  /// With amplitude = radius this is the classic rose ρ = a cos(kθ). Period 2π * freq_b /
  /// gcd(freq_a, freq_b), half of that for a pure rose (amplitude = radius) with k's reduced
  /// numerator and denominator both odd.
  rose,
  /// x = radius * sin(freq_a t + π/2), y = radius_y * sin(freq_b t). Period 2π / gcd(freq_a, freq_b).
  lissajous,
  /// Concentric rings: ring i has ρ(θ) = radius - i * `spacing` + amplitude * sin(freq_a θ + φ_i).
  rings,
  /// Lathe background: stroke i is y = y0 + i * `spacing` + amplitude * sin(2π x / wavelength + φ_i)
  /// across the spec's `box` (open curves, left to right).
  waves,
  /// Border following the rounded rectangle `box` (corner `corner_radius`) inset by `inset` + i *
  /// spacing: a sine of `freq_a` whole waves around the perimeter displaces it along its normal.
  border,
};

/// Text names of the families ("hypotrochoid", ...), as used in templates.
SDC_EXPORT const char* to_string(GuillocheFamily family) noexcept;

/// One guilloché pattern. A plain aggregate; units are mm, angles degrees, frequencies whole numbers.
/// Ranges are checked by `validate()` (and by every function that takes a spec).
struct GuillocheSpec {
  GuillocheFamily family = GuillocheFamily::hypotrochoid;
  /// Centre of the centred families (trochoids, rose, Lissajous, rings), in card mm.
  MmPoint center{Mm{0}, Mm{0}};
  /// The area of `waves` and `border` (waves span its width, start at its top + `offset`).
  MmRect box{Mm{0}, Mm{0}, Mm{10}, Mm{10}};
  /// Main radius (outer size) in mm: 0.1 to 500. Lissajous: x amplitude.
  double radius = 10;
  /// Lissajous y amplitude in mm (0 means same as radius): 0 to 500.
  double radius_y = 0;
  /// Trochoid pen distance from the rolling circle's centre, in mm: 0 to 500.
  double pen = 3;
  /// Amplitude of roses, rings, waves and border waves, in mm: 0 to 500.
  double amplitude = 1;
  /// Integer frequencies: 1 to 1000 each. Meaning per family (see GuillocheFamily).
  int freq_a = 7;
  int freq_b = 3;
  /// Waves: wavelength in mm (0.2 to 500).
  double wavelength = 5;
  /// Spacing between strokes (rings, waves, border) in mm: 0 to 100.
  double spacing = 0.5;
  /// Waves: y of the first stroke from the box's top, in mm (may be negative).
  double offset = 0;
  /// Border: distance of the first stroke's centre line from the box edge; corner radius. mm, 0-100.
  double inset = 1;
  double corner_radius = 3.18;
  /// Number of strokes (copies): 1 to 2000.
  int strokes = 1;
  /// Phase of stroke 0 and the step from one stroke to the next, in degrees (-36000 to 36000).
  /// Centred families rotate each stroke by the phase; rings, waves and border shift the sine.
  double phase = 0;
  double phase_step = 0;
  /// Radial modulation of the centred families: the radius is multiplied by
  /// 1 + modulation * cos(modulation_freq * angle about the centre). 0 to 0.9; freq 0 to 1000.
  /// Waves: the amplitude is multiplied by 1 + modulation * cos(2π * modulation_freq * x / box.w).
  double modulation = 0;
  int modulation_freq = 0;
  /// Scale step of the centred families: stroke i is scaled by (1 - i * scale_step). 0 to 0.5, and
  /// strokes * scale_step must stay below 1.
  double scale_step = 0;
};

/// One flattened stroke: points in card mm; `closed` when the curve returns to its start (the last
/// point then equals the first). `t` holds, per point, the fraction 0..1 of the stroke's parameter
/// range (for colour ramps along the curve).
struct GuillochePolyline {
  std::vector<MmPoint> points;
  std::vector<float> t;
  bool closed = false;
};

/// Safety limits of generation.
struct GuillocheLimits {
  /// Refuse a pattern of more points than this, over all its strokes (Errc::limit_exceeded).
  /// 1000 to 50,000,000.
  std::int64_t max_points = 2'000'000;
};

/// The flattening tolerance for printing at `dpi`: a quarter of a device pixel, in mm (25.4 / dpi / 4).
SDC_EXPORT double flattening_tolerance(Dpi dpi) noexcept;

/// Checks a spec's ranges. Errors: Errc::invalid_argument naming the parameter ("radius",
/// "freq_a", ...) with its value and allowed range in the message.
SDC_EXPORT Status validate(const GuillocheSpec& spec);

/// The parameter range of one closed stroke (for example 2π * 3 for a hypotrochoid with
/// freq_a = 7, freq_b = 3), computed exactly from the frequencies; 0 for open families (waves).
SDC_EXPORT double guilloche_period(const GuillocheSpec& spec) noexcept;

/// Flattens every stroke of `spec` into polylines whose segments stay within `tolerance_mm` of the
/// curve (0.0005 to 1 mm). Cost grows with the curve's length and curvature: a full-card lathe of
/// 100 strokes at 600 dpi is about 0.5 M points.
/// Errors: those of `validate()`; Errc::invalid_argument for a tolerance out of range;
/// Errc::limit_exceeded when the output would exceed `limits.max_points` (the message gives the
/// estimate and the hint says which parameter to lower). Thread-safe; deterministic.
SDC_EXPORT Result<std::vector<GuillochePolyline>> guilloche_polylines(const GuillocheSpec& spec, double tolerance_mm,
                                                                      const GuillocheLimits& limits = {});

/// A deterministic variant of `spec`, derived from `seed` (any bytes) and `label` (a name that
/// keeps variants of several elements apart, usually the element name):
///
///   k_j = HMAC-SHA256(seed, "sdc/guilloche/v1/" + label + "/" + j) for j = 0, 1, ...
///   u_0, u_1, ... = the 64-bit big-endian words of k_0 || k_1 || ... divided by 2^64 (in [0, 1))
///
/// then: phase += 360 u_0; phase_step *= 1 + amount (2 u_1 - 1) * 0.5; amplitude *= 1 + amount
/// (2 u_2 - 1) * 0.5; pen *= 1 + amount (2 u_3 - 1) * 0.5; wavelength *= 1 + amount (2 u_4 - 1) *
/// 0.5; a non-zero modulation += amount (2 u_5 - 1) * 0.1 (clamped to 0..0.9). Integer frequencies are never
/// changed, so closure and the design's character are kept. `amount` 0 to 1 (0 changes only the
/// phase). Ranges are clamped back into `validate()`'s limits. Pure, thread-safe.
SDC_EXPORT GuillocheSpec perturb(const GuillocheSpec& spec, std::span<const std::uint8_t> seed, std::string_view label,
                                 double amount);

}  // namespace sdc
