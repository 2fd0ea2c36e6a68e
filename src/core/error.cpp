#include <sdc/error.hpp>

#include <algorithm>

namespace sdc {

const char* to_string(Errc code) noexcept {
  switch (code) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::invalid_template: return "invalid_template";
    case Errc::invalid_record: return "invalid_record";
    case Errc::missing_field: return "missing_field";
    case Errc::invalid_field: return "invalid_field";
    case Errc::bad_image: return "bad_image";
    case Errc::bad_font: return "bad_font";
    case Errc::bad_key: return "bad_key";
    case Errc::bad_seal: return "bad_seal";
    case Errc::bad_profile: return "bad_profile";
    case Errc::does_not_fit: return "does_not_fit";
    case Errc::limit_exceeded: return "limit_exceeded";
    case Errc::io: return "io";
    case Errc::unsupported: return "unsupported";
    case Errc::internal: return "internal";
  }
  return "unknown";
}

Error& Error::in_file(const std::string& file) {
  if (where_.file.empty()) where_.file = file;
  return *this;
}
Error& Error::at_record(long record) {
  if (where_.record < 0) where_.record = record;
  return *this;
}
Error& Error::at_element(const std::string& element) {
  if (where_.element.empty()) where_.element = element;
  return *this;
}
Error& Error::at_field(const std::string& field) {
  if (where_.field.empty()) where_.field = field;
  return *this;
}

namespace {

// A part of a message for a terminal or a log: control characters (C0, DEL, C1) and the Unicode
// bidi controls that reorder text on screen are shown escaped, and a part longer than kMaxPart bytes
// is cut, so a hostile value (a record field, a file name) cannot rewrite the operator's terminal or
// flood it (hostile input #13).
constexpr std::size_t kMaxPart = 600;

std::string printable(const std::string& s) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  const std::size_t n = std::min(s.size(), kMaxPart);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      out += c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : std::string("\\x") + hex[c >> 4] + hex[c & 15];
    } else if (c == 0xc2 && i + 1 < n && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9f) {  // C1 controls U+0080..U+009F
      const auto d = static_cast<unsigned char>(s[i + 1]);
      out += std::string("\\u00") + hex[d >> 4] + hex[d & 15];
      ++i;
    } else if (c == 0xe2 && i + 2 < n && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               static_cast<unsigned char>(s[i + 2]) >= 0xaa && static_cast<unsigned char>(s[i + 2]) <= 0xae) {
      out += std::string("\\u202") + hex[static_cast<unsigned char>(s[i + 2]) - 0xa0];  // U+202A..U+202E
      i += 2;
    } else if (c == 0xe2 && i + 2 < n && static_cast<unsigned char>(s[i + 1]) == 0x81 &&
               static_cast<unsigned char>(s[i + 2]) >= 0xa6 && static_cast<unsigned char>(s[i + 2]) <= 0xa9) {
      out += std::string("\\u206") + hex[static_cast<unsigned char>(s[i + 2]) - 0xa0];  // U+2066..U+2069
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > kMaxPart) out += "... (" + std::to_string(s.size() - kMaxPart) + " more bytes)";
  return out;
}

}  // namespace

std::string Error::to_string() const {
  std::string out;
  auto part = [&out](const std::string& s) {
    if (!out.empty()) out += ", ";
    out += s;
  };
  if (!where_.file.empty()) {
    out = printable(where_.file);
    if (where_.line > 0) {
      out += ":" + std::to_string(where_.line);
      if (where_.column > 0) out += ":" + std::to_string(where_.column);
    }
  }
  if (!where_.json_path.empty()) part(printable(where_.json_path));
  if (where_.record >= 0) part("record " + std::to_string(where_.record + 1));
  if (!where_.element.empty()) part("element '" + printable(where_.element) + "'");
  if (!where_.field.empty()) part("field " + printable(where_.field));
  if (!out.empty()) out += ": ";
  out += printable(message_);
  if (!hint_.empty()) out += " Fix: " + printable(hint_);
  return out;
}

}  // namespace sdc
