// JPEG marker walk (ITU T.81 Annex B): frame size from SOFn, density from JFIF APP0, ICC profile
// from APP2 ICC_PROFILE chunks (ICC.1 Annex B.4), orientation from the Exif APP1 IFD0.
#include "image/image_header.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>

namespace sdc::detail {
namespace {

const char* const kHintCorruptJpeg = "re-export the photo as JPEG or PNG from an image editor, or use another copy.";

Error corrupt(const std::string& what) {
  return Error(Errc::bad_image, "The JPEG file is corrupt: " + what + ".", kHintCorruptJpeg);
}

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

bool is_sof(std::uint8_t m) {
  // C0..CF except DHT (C4), JPG (C8) and DAC (CC).
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

// Exif orientation tag (0x0112) from IFD0 of the TIFF structure inside APP1.
int exif_orientation(const std::uint8_t* p, std::size_t n) {
  if (n < 8) return 1;
  const bool le = p[0] == 'I' && p[1] == 'I';
  if (!le && !(p[0] == 'M' && p[1] == 'M')) return 1;
  auto u16 = [&](std::size_t off) -> std::uint32_t {
    return le ? static_cast<std::uint32_t>(p[off] | (p[off + 1] << 8))
              : static_cast<std::uint32_t>((p[off] << 8) | p[off + 1]);
  };
  auto u32 = [&](std::size_t off) -> std::uint32_t {
    return le ? (u16(off) | (u16(off + 2) << 16)) : ((u16(off) << 16) | u16(off + 2));
  };
  if (u16(2) != 42) return 1;
  const std::size_t ifd = u32(4);
  if (ifd + 2 > n) return 1;
  const std::size_t count = u16(ifd);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t e = ifd + 2 + i * 12;
    if (e + 12 > n) break;
    if (u16(e) == 0x0112 && u16(e + 2) == 3) {  // SHORT
      const int o = static_cast<int>(u16(e + 8));
      return o >= 1 && o <= 8 ? o : 1;
    }
  }
  return 1;
}

}  // namespace

Result<ImageHeader> read_jpeg_header(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels) {
  ImageHeader h;
  h.format = ImageFormat::jpeg;
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return corrupt("it does not start with a JPEG SOI marker");

  std::map<int, std::vector<std::uint8_t>> icc_chunks;  // sequence number (1-based) -> bytes
  int icc_count = 0;
  std::size_t icc_total = 0;
  bool have_sof = false;
  std::size_t pos = 2;
  for (;;) {
    // Markers may be preceded by any number of 0xFF fill bytes (B.1.1.2).
    if (pos >= size)
      return Error(Errc::bad_image, "The JPEG file is truncated: it ends before the image data.", kHintCorruptJpeg);
    if (data[pos] != 0xFF) return corrupt("a marker was expected at byte " + std::to_string(pos));
    while (pos < size && data[pos] == 0xFF) ++pos;
    if (pos >= size)
      return Error(Errc::bad_image, "The JPEG file is truncated: it ends before the image data.", kHintCorruptJpeg);
    const std::uint8_t m = data[pos++];
    if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) continue;  // no length field
    if (m == 0xD9) return corrupt("it ends (EOI) before any image data");
    if (pos + 2 > size)
      return Error(Errc::bad_image, "The JPEG file is truncated inside a marker segment.", kHintCorruptJpeg);
    const std::size_t len = be16(data + pos);
    if (len < 2) return corrupt("a marker segment has an invalid length");
    if (pos + len > size)
      return Error(Errc::bad_image, "The JPEG file is truncated inside a marker segment.", kHintCorruptJpeg);
    const std::uint8_t* seg = data + pos + 2;
    const std::size_t seg_len = len - 2;

    if (is_sof(m)) {
      if (seg_len < 6) return corrupt("the frame header (SOF) is too short");
      h.height = be16(seg + 1);
      h.width = be16(seg + 3);
      if (h.width == 0) return corrupt("the frame header gives a width of 0");
      // Height 0 means "defined later by a DNL marker" (T.81 B.2.5): legal but never written in
      // practice; the decoder would have to scan the whole scan to learn the size.
      if (h.height == 0) {
        return Error(Errc::bad_image, "The JPEG file leaves its height to a DNL marker, which sdc does not read.",
                     "re-save the photo as a baseline JPEG or as PNG.");
      }
      have_sof = true;
      if (auto st = check_pixel_limit(h.width, h.height, max_pixels); !st) return st.error();
    } else if (m == 0xE0 && seg_len >= 12 && std::memcmp(seg, "JFIF\0", 5) == 0) {
      const int units = seg[7];
      const double xd = be16(seg + 8), yd = be16(seg + 10);
      if (units == 1) {
        h.dpi_x = xd;
        h.dpi_y = yd;
      } else if (units == 2) {  // dots per cm
        h.dpi_x = xd * 2.54;
        h.dpi_y = yd * 2.54;
      }
    } else if (m == 0xE1 && seg_len >= 6 && std::memcmp(seg, "Exif\0\0", 6) == 0) {
      h.orientation = exif_orientation(seg + 6, seg_len - 6);
    } else if (m == 0xE2 && seg_len >= 14 && std::memcmp(seg, "ICC_PROFILE\0", 12) == 0) {
      const int seq = seg[12], count = seg[13];
      // Malformed chunk numbering: ignore the profile rather than reject the photo.
      if (seq >= 1 && count >= 1 && seq <= count && (icc_count == 0 || icc_count == count) &&
          icc_total + seg_len - 14 <= kMaxIccBytes) {
        icc_count = count;
        auto& chunk = icc_chunks[seq];
        icc_total -= chunk.size();
        chunk.assign(seg + 14, seg + seg_len);
        icc_total += chunk.size();
      }
    } else if (m == 0xDA) {  // start of scan: the header is over
      if (!have_sof) return corrupt("the image data starts before the frame header (SOF)");
      // Entropy-coded data follows; a complete file ends with EOI (FFD9), possibly followed by
      // trailing bytes some cameras add. Search backwards: EOI is nearly always at the very end.
      bool eoi = false;
      for (std::size_t i = size - 1; i > pos + len; --i) {
        if (data[i] == 0xD9 && data[i - 1] == 0xFF) {
          eoi = true;
          break;
        }
      }
      if (!eoi) {
        return Error(Errc::bad_image, "The JPEG file is truncated: the image data has no end marker (EOI).",
                     "copy the photo again from its source; the transfer was probably cut short.");
      }
      break;
    }
    pos += len;
  }

  if (icc_count > 0 && static_cast<int>(icc_chunks.size()) == icc_count) {
    h.icc.reserve(icc_total);
    for (auto& [seq, bytes] : icc_chunks) h.icc.insert(h.icc.end(), bytes.begin(), bytes.end());
  }
  return h;
}

}  // namespace sdc::detail
