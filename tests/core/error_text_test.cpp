// Error::to_string is safe for a terminal (hostile input #13): control and bidi characters from
// records or file names are escaped, and a huge quoted value is cut.
#include <sdc/error.hpp>

#include <gtest/gtest.h>

#include <string>

namespace sdc {
namespace {

TEST(ErrorText, ControlAndBidiCharactersAreEscaped) {
  const Error e(Errc::invalid_field, "the name \"\x1b[2J\a\bX\xc2\x9b\" is odd.", "fix it\n",
                Where{.file = "rec\x1b.csv", .field = "surname\xe2\x80\xae"});
  const std::string s = e.to_string();
  for (char c : s) EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7f) << s;
  EXPECT_NE(s.find("\\x1b[2J"), std::string::npos) << s;
  EXPECT_NE(s.find("\\x07"), std::string::npos) << s;
  EXPECT_NE(s.find("\\u009b"), std::string::npos) << s;
  EXPECT_NE(s.find("\\u202e"), std::string::npos) << s;
  EXPECT_NE(s.find("rec\\x1b.csv"), std::string::npos) << s;
  EXPECT_EQ(e.message(), "the name \"\x1b[2J\a\bX\xc2\x9b\" is odd.") << "the raw message is kept for programs";
  // Ordinary UTF-8 is left alone.
  EXPECT_NE(Error(Errc::invalid_field, "Müller – Ωmega").to_string().find("Müller – Ωmega"), std::string::npos);
}

TEST(ErrorText, AHugeValueIsCut) {
  const Error e(Errc::invalid_field, "value " + std::string(100'000'000, 'A'));
  const std::string s = e.to_string();
  EXPECT_LT(s.size(), 1000u);
  EXPECT_NE(s.find("more bytes"), std::string::npos);
}

}  // namespace
}  // namespace sdc
