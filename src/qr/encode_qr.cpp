// QR encoding with libqrencode: the only file that includes qrencode.h.
#include <sdc/qr.hpp>

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <string>

namespace sdc {

Result<QrMatrix> encode_qr(std::string_view text, QrEcLevel ec) {
  if (text.empty())
    return Error(Errc::invalid_argument, "cannot encode an empty text as a QR code", "pass the seal text to encode");
  if (text.find('\0') != std::string_view::npos)
    return Error(Errc::invalid_argument, "the text to encode as a QR code contains a NUL byte",
                 "encode binary data as Base45 text first");
  QRecLevel level = QR_ECLEVEL_M;
  switch (ec) {
    case QrEcLevel::L: level = QR_ECLEVEL_L; break;
    case QrEcLevel::M: level = QR_ECLEVEL_M; break;
    case QrEcLevel::Q: level = QR_ECLEVEL_Q; break;
    case QrEcLevel::H: level = QR_ECLEVEL_H; break;
  }
  const std::string copy(text);  // libqrencode wants a NUL-terminated string
  // Version 0: the smallest that fits. QR_MODE_8 is only the hint for non-alphanumeric runs;
  // libqrencode splits the text into numeric/alphanumeric/byte segments to minimise the bits.
  // Case-sensitive, so lower-case letters stay as they are (in byte mode).
  errno = 0;
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString(copy.c_str(), 0, level, QR_MODE_8, 1),
                                                       &QRcode_free);
  if (!code) {
    if (errno == ERANGE)
      return Error(Errc::does_not_fit,
                   "a text of " + std::to_string(text.size()) +
                       " characters does not fit a QR code (version 40, level " + to_string(ec) + ")",
                   "shorten the content or choose a lower error-correction level");
    if (errno == ENOMEM) throw std::bad_alloc();
    return Error(Errc::internal, "libqrencode failed to encode a text of " + std::to_string(text.size()) + " bytes",
                 "please report this with the text that failed");
  }
  QrMatrix m;
  m.size = code->width;
  m.version = code->version;
  m.ec_level = ec;
  const std::size_t n = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
  m.modules.resize(n);
  // Bit 0 of each libqrencode byte is the module colour (1 = dark); the other bits are metadata.
  for (std::size_t i = 0; i < n; ++i) m.modules[i] = static_cast<std::uint8_t>(code->data[i] & 1u);
  return m;
}

}  // namespace sdc
