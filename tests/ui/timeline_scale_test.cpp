// TimelineScale: zoom around a point, ruler labels readable from hours down to single frames.

#include <gtest/gtest.h>

#include <set>

#include "ui/timeline_scale.h"

namespace teamor::ui {
namespace {

TEST(TimelineScale, ZoomKeepsTheTimeUnderTheMouse) {
  TimelineScale s;
  s.set_area(100, 1000, 3600, 30);
  s.fit();
  const double x = 612;
  const double t = s.time_of(x);
  s.zoom_around(x, 8);
  EXPECT_NEAR(s.time_of(x), t, 1e-6);
  s.zoom_around(x, 1.0 / 3);
  EXPECT_NEAR(s.time_of(x), t, 1e-6);
}

TEST(TimelineScale, RulerLabelsStayApartAndDistinctAtEveryZoom) {
  TimelineScale s;
  s.set_area(0, 1200, 4 * 3600, 30);  // a four-hour surgery
  s.fit();
  s.show_range(3000, 4 * 3600);
  for (int step = 0; step < 40; ++step) {
    const auto ticks = s.ticks(90);
    std::set<QString> labels;
    double last_x = -1e9;
    int majors = 0;
    for (const auto& t : ticks) {
      if (!t.major) continue;
      ++majors;
      const double x = s.x_of(t.time_s);
      EXPECT_GE(x - last_x, 89.9) << "zoom " << s.px_per_s() << " px/s";
      last_x = x;
      EXPECT_TRUE(labels.insert(t.label).second) << "duplicate label " << t.label.toStdString();
    }
    EXPECT_GE(majors, 1) << "zoom " << s.px_per_s();
    s.zoom_around(600, 1.6);
  }
  // Fully zoomed in, one frame is wide and the step is one frame.
  EXPECT_NEAR(s.major_step_s(90), 1.0 / 30, 1e-9);
}

TEST(TimelineScale, FormatsAndParsesTimes) {
  EXPECT_EQ(format_time_hms(3723.456), "1:02:03.456");
  EXPECT_EQ(format_status_time(5.5), "00:00:05.500");
  double t = 0;
  ASSERT_TRUE(parse_time("1:02:03.5", &t));
  EXPECT_DOUBLE_EQ(t, 3723.5);
  ASSERT_TRUE(parse_time("90s", &t));
  EXPECT_DOUBLE_EQ(t, 90);
  ASSERT_TRUE(parse_time("2:30", &t));
  EXPECT_DOUBLE_EQ(t, 150);
  EXPECT_FALSE(parse_time("1:75", &t));
  EXPECT_FALSE(parse_time("abc", &t));
}

}  // namespace
}  // namespace teamor::ui
