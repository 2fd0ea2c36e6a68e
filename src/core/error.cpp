#include <sdc/error.hpp>

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

std::string Error::to_string() const {
  std::string out;
  auto part = [&out](const std::string& s) {
    if (!out.empty()) out += ", ";
    out += s;
  };
  if (!where_.file.empty()) {
    out = where_.file;
    if (where_.line > 0) {
      out += ":" + std::to_string(where_.line);
      if (where_.column > 0) out += ":" + std::to_string(where_.column);
    }
  }
  if (!where_.json_path.empty()) part(where_.json_path);
  if (where_.record >= 0) part("record " + std::to_string(where_.record + 1));
  if (!where_.element.empty()) part("element '" + where_.element + "'");
  if (!where_.field.empty()) part("field " + where_.field);
  if (!out.empty()) out += ": ";
  out += message_;
  if (!hint_.empty()) out += " Fix: " + hint_;
  return out;
}

}  // namespace sdc
