// Perceptual photo hash with OpenCV's img_hash module (libopencv-contrib): the only seal file
// that includes OpenCV.
#include <sdc/seal.hpp>

#include <opencv2/core.hpp>
#include <opencv2/img_hash.hpp>
#include <opencv2/imgproc.hpp>

namespace sdc {

namespace {

// Grey (BT.601 luma, as cv::cvtColor does) of any supported pixel format, as a CV_8UC1 Mat.
cv::Mat to_grey(const ImageView& img) {
  cv::Mat grey(img.height(), img.width(), CV_8UC1);
  for (int y = 0; y < img.height(); ++y) {
    const std::uint8_t* p = img.row(y);
    auto* out = grey.ptr<std::uint8_t>(y);
    for (int x = 0; x < img.width(); ++x) {
      switch (img.format()) {
        case PixelFormat::gray8: out[x] = p[x]; break;
        case PixelFormat::rgb8:
        case PixelFormat::rgba8: {
          const std::uint8_t* q = p + x * channels(img.format());
          out[x] = static_cast<std::uint8_t>((q[0] * 299 + q[1] * 587 + q[2] * 114 + 500) / 1000);
          break;
        }
        case PixelFormat::cmyk8: {
          // Naive separation inverse: the reflectance of C, M, Y as R, G, B, darkened by K.
          const std::uint8_t* q = p + x * 4;
          const int luma = ((255 - q[0]) * 299 + (255 - q[1]) * 587 + (255 - q[2]) * 114 + 500) / 1000;
          out[x] = static_cast<std::uint8_t>(luma * (255 - q[3]) / 255);
          break;
        }
      }
    }
  }
  return grey;
}

}  // namespace

Result<std::vector<std::uint8_t>> photo_hash(const ImageView& photo) {
  if (photo.width() < 16 || photo.height() < 16)
    return Error(Errc::bad_image,
                 "the photo is " + std::to_string(photo.width()) + " x " + std::to_string(photo.height()) +
                     " pixels, too small for a perceptual hash (16 x 16 at least)",
                 "give the portrait as cropped for printing");
  try {
    const cv::Mat grey = to_grey(photo);
    cv::Mat hash;
    cv::img_hash::PHash::create()->compute(grey, hash);
    if (hash.total() != 8 || hash.type() != CV_8UC1)
      return Error(Errc::internal, "OpenCV img_hash returned an unexpected hash", "please report this");
    return std::vector<std::uint8_t>(hash.data, hash.data + 8);
  } catch (const cv::Exception& e) {
    return Error(Errc::bad_image, std::string("OpenCV could not hash the photo: ") + e.what(),
                 "check that the photo is a normal 8-bit image");
  }
}

}  // namespace sdc
