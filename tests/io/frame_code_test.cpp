#include "io/frame_code.h"

#include <gtest/gtest.h>

using teamor::io::Frame;
using teamor::io::PixelFormat;

TEST(FrameCode, RoundTripsInRgbAndGray) {
  for (auto format : {PixelFormat::Rgb24, PixelFormat::Gray8}) {
    Frame frame;
    frame.width = 96;
    frame.height = 40;
    frame.pixel_format = format;
    frame.stride = frame.width * teamor::io::bytes_per_pixel(format);
    frame.data.assign(static_cast<std::size_t>(frame.stride) * frame.height, 128);
    for (std::uint32_t index : {0u, 1u, 812u, 65535u, 16777215u}) {
      teamor::io::stamp_frame_code(frame.data.data(), frame.width, frame.height, frame.stride, format,
                                   index);
      auto read = teamor::io::read_frame_code(frame);
      ASSERT_TRUE(read.has_value());
      EXPECT_EQ(*read, index);
    }
  }
}

TEST(FrameCode, GreyCornerIsNotACode) {
  Frame frame;
  frame.width = 96;
  frame.height = 40;
  frame.stride = 96 * 3;
  frame.data.assign(static_cast<std::size_t>(frame.stride) * frame.height, 128);
  EXPECT_FALSE(teamor::io::read_frame_code(frame).has_value());
}
