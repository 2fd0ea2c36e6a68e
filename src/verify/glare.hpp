// Glare on a rectified card: where a highlight washed out the print that the template says is there
// (the MRZ, the QR code), told apart from a print that is simply not there, so that the checker can
// ask for a retake away from the light; and a copy of the card whose print under a highlight is
// stretched back to full contrast, for the QR decoder.
#pragma once

#include <sdc/image.hpp>
#include <sdc/units.hpp>

#include <vector>

namespace sdc::detail {

/// Glare over a printed zone: how many of its cells a highlight washed out, of how many.
struct ZoneGlare {
  int washed = 0;
  int cells = 0;
  std::vector<int> washed_in_row;  ///< washed cells per row of cells, top first (empty when none measured)
};

/// Measures glare over `zone` (gray8, rgb8 or rgba8; the template's box on the rectified card),
/// cut into `rows` x `cols` cells, each of which holds ink where the light is as it should be (a
/// pair of MRZ characters, a block of QR modules). A cell is washed out when glare lifted it
/// above the paper (its median lighter than the lowest quarter of the cells' medians by a third
/// of the way to white, 8 levels at least, or white) and left it less than a third of the print's
/// contrast (median less 2nd percentile; the upper quarter of the cells' contrasts; under 24
/// levels anyway), or when a quarter of it is clipped (250 and lighter) where the paper is at 242
/// or darker (a spot over part of the cell). A margin without ink is as light as the paper, not
/// lighter; a finger or a shadow makes cells darker. A zone clipped white as a whole (its paper at
/// 250 and more, with under 40 levels of contrast) is washed out in every cell. A capture whose
/// paper clips anyway (lighter than 250: a flatbed's white) shows no glare. Nothing is measured
/// (`cells` 0) on an empty or CMYK zone, or one with fewer than two pixels per cell each way.
ZoneGlare zone_glare(const ImageView& zone, int rows, int cols);

/// The share of `r` (clipped to `img`) that is clipped white: every colour channel of the pixel at
/// 250 or lighter, as a specular highlight leaves it. 0 for an empty or CMYK image or an empty
/// part. A printed face is never that light (the paper beside it may be, on a flatbed).
double clipped_white_share(const ImageView& img, PxRect r);

/// A grey copy of `card` (gray8, rgb8 or rgba8, at `dpi`) with its contrast stretched locally:
/// each pixel between the darkest and the lightest of the 3 mm around it (both smoothed), from 0
/// to 255; where those differ by under 12 levels (plain paper, a flat tint), white. A highlight or
/// a shadow over a QR code leaves its modules a few levels apart, which a QR binarizer takes for a
/// flat area (zxing-cpp's needs 24); stretched, they read again. For decoding only: its levels
/// mean nothing else. Empty for an empty or cmyk8 image.
Image flatten_glare(const ImageView& card, Dpi dpi);

/// A grey copy of `card` (gray8, rgb8 or rgba8, at `dpi`) divided by its paper's light: each pixel
/// over the lightest of the 3 mm around it, taken back in by as much (a morphological closing,
/// which bridges a QR code's modules and finder patterns and keeps a shadow's edge where it is),
/// times 235. A shadow with a sharp edge across a QR code (a phone or a hand between the light and
/// the card) leaves a step that a binarizer's blocks straddle, and the stretch of `flatten_glare`
/// spreads it over its 3 mm; divided out, both sides keep their contrast. For decoding only. Empty
/// for an empty or cmyk8 image.
Image even_out_light(const ImageView& card, Dpi dpi);

/// The part `box` of `card` (gray8, rgb8 or rgba8, at `dpi`; a printed photo's box) with the light
/// of a shadow's straight edge across it evened out, or empty when the paper around it shows no
/// such edge. A photo holds no paper to read the light from, but the band of paper 0.5 to 2 mm
/// around its box does: where it is lit less than kShadowLight times its best-lit part (each 1.5 mm
/// cell's lightest twentieth), the line that best parts its lit cells from its shadowed ones is the
/// shadow's edge, and the paper's light across that line (in 0.2 mm steps, from the band's pixels
/// on either side of both places where it crosses the band) is the light across the box. Each
/// pixel is multiplied by the lit paper's light over the light at its distance from the line (at
/// most 8 times). A phone's or a hand's shadow across a portrait moves its perceptual hash by a
/// step the seal's hash takes for another face (24 bits under a simulated shadow of 0.8).
Image even_out_shadow_edge(const ImageView& card, Dpi dpi, PxRect box);

}  // namespace sdc::detail
