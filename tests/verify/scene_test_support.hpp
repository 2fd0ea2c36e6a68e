// Test helper: lays a generated ID-1 card into a generated scene, as a camera sees it. Header-only,
// shared by the locator's tests (tests/verify/locate_test.cpp) and its measurement on random scenes
// (bench/locate_scenes.cpp).
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cstdint>
#include <vector>

namespace sdc::test {

// Places `card` at corners `dst` (TL TR BR BL, image coordinates with pixel centres at +0.5) with
// its rounded corners (3.18 mm), anti-aliased.
inline void place_card(cv::Mat& scene, const cv::Mat& card, const std::array<cv::Point2d, 4>& dst) {
  const float W = static_cast<float>(card.cols), H = static_cast<float>(card.rows);
  std::vector<cv::Point2f> from{{-0.5f, -0.5f}, {W - 0.5f, -0.5f}, {W - 0.5f, H - 0.5f}, {-0.5f, H - 0.5f}}, to;
  for (const auto& p : dst) to.emplace_back(static_cast<float>(p.x - 0.5), static_cast<float>(p.y - 0.5));
  const cv::Mat h = cv::getPerspectiveTransform(from, to);
  cv::Mat warped, mask;
  cv::warpPerspective(card, warped, h, scene.size(), cv::INTER_AREA);
  cv::Mat m4(card.rows * 2, card.cols * 2, CV_8UC1, cv::Scalar(0));
  const int r = static_cast<int>(3.18 / 25.4 * 300 * 2);
  cv::rectangle(m4, cv::Rect(r, 0, m4.cols - 2 * r, m4.rows), 255, -1);
  cv::rectangle(m4, cv::Rect(0, r, m4.cols, m4.rows - 2 * r), 255, -1);
  for (auto c :
       {cv::Point(r, r), cv::Point(m4.cols - r, r), cv::Point(r, m4.rows - r), cv::Point(m4.cols - r, m4.rows - r)})
    cv::circle(m4, c, r, 255, -1, cv::LINE_AA);
  cv::Mat m1;
  cv::resize(m4, m1, card.size(), 0, 0, cv::INTER_AREA);
  cv::warpPerspective(m1, mask, h, scene.size(), cv::INTER_LINEAR);
  for (int y = 0; y < scene.rows; ++y)
    for (int x = 0; x < scene.cols; ++x) {
      const int a = mask.at<std::uint8_t>(y, x);
      if (!a) continue;
      auto& s = scene.at<cv::Vec3b>(y, x);
      const auto& c = warped.at<cv::Vec3b>(y, x);
      for (int k = 0; k < 3; ++k) s[k] = static_cast<std::uint8_t>((c[k] * a + s[k] * (255 - a)) / 255);
    }
}

}  // namespace sdc::test
