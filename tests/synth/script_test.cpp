// The phase timeline and the team's behaviour: counts and durations of the protocols, their order,
// the team gathering and standing still in a Time-out, turning towards the surgeon in a StOP?.
#include "app/synth/script.h"

#include <gtest/gtest.h>

#include <cmath>

#include "app/synth/scene.h"
#include "app/synth/synth.h"

using namespace teamor::synth;

namespace {

SynthOptions options(double minutes, int timeouts, int stops, double scale) {
  SynthOptions o;
  o.minutes = minutes;
  o.timeouts = timeouts;
  o.stops = stops;
  o.time_scale = scale;
  return o;
}

double distance(Vec2 a, Vec2 b) {
  return (a - b).norm();
}

/// Mean distance moved per second by everybody over [t0, t1].
double mean_speed(const Script& script, double t0, double t1) {
  double moved = 0;
  int count = 0;
  for (std::size_t p = 0; p < script.people(); ++p)
    for (double t = t0; t + 1 <= t1; t += 1) {
      moved += distance(script.state(p, t).position, script.state(p, t + 1).position);
      ++count;
    }
  return moved / count;
}

}  // namespace

TEST(Timeline, HasRequestedCountsAndDurationsInOrder) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    for (const auto& o : {options(10, 1, 1, 1.0), options(15, 2, 2, 1.0), options(3, 3, 3, 0.1),
                          options(10, 0, 0, 1.0), options(6, 1, 2, 0.5)}) {
      Rng rng(seed);
      const Timeline tl = plan_timeline(o, rng);
      ASSERT_EQ(tl.timeouts.size(), static_cast<std::size_t>(o.timeouts));
      ASSERT_EQ(tl.stops.size(), static_cast<std::size_t>(o.stops));
      EXPECT_DOUBLE_EQ(tl.duration_s, o.minutes * 60);
      double last = 0;
      for (const auto& to : tl.timeouts) {
        const double d = to.end_s - to.start_s;
        EXPECT_GE(d, 60 * o.time_scale - 1e-9);
        EXPECT_LE(d, 150 * o.time_scale + 1e-9);
        EXPECT_GT(to.start_s, last);
        last = to.end_s;
      }
      EXPECT_LT(last, tl.incision_s) << "every Time-out comes before incision";
      for (const auto& stop : tl.stops) {
        const double d = stop.end_s - stop.start_s;
        EXPECT_GE(d, 30 * o.time_scale - 1e-9);
        EXPECT_LE(d, 90 * o.time_scale + 1e-9);
        EXPECT_GT(stop.start_s, std::max(last, tl.incision_s));
        last = stop.end_s;
      }
      EXPECT_LT(last, tl.scope_removed_s);
      EXPECT_LT(tl.scope_removed_s, tl.duration_s);
      for (const auto& pause : tl.group_pauses) {
        for (const auto& to : tl.timeouts)
          EXPECT_TRUE(pause.end_s < to.start_s || pause.start_s > to.end_s);
        for (const auto& stop : tl.stops)
          EXPECT_TRUE(pause.end_s < stop.start_s || pause.start_s > stop.end_s);
      }
    }
  }
}

TEST(Timeline, ScopeClockStandsStillInStops) {
  Rng rng(3);
  const Timeline tl = plan_timeline(options(10, 1, 2, 1.0), rng);
  const auto& stop = tl.stops[0];
  EXPECT_DOUBLE_EQ(tl.scope_clock(stop.start_s + 1), tl.scope_clock(stop.end_s - 1));
  EXPECT_NEAR(tl.scope_clock(stop.end_s + 5) - tl.scope_clock(stop.end_s), 5, 1e-9);
}

TEST(Scene, TeamHasCoreRolesAndFiveToEightPeople) {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    Rng rng(seed);
    const Scene scene = make_scene(rng);
    ASSERT_GE(scene.staff.size(), 5u);
    ASSERT_LE(scene.staff.size(), 8u);
    EXPECT_EQ(scene.staff[scene.surgeon()].role, Role::Surgeon);
    EXPECT_EQ(scene.staff[1].role, Role::Assistant);
    EXPECT_EQ(scene.staff[2].role, Role::ScrubNurse);
    EXPECT_EQ(scene.staff[3].role, Role::CirculatingNurse);
    EXPECT_EQ(scene.staff[4].role, Role::Anaesthetist);
  }
}

TEST(Script, TeamGathersAndStandsStillInTimeout) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    Rng scene_rng(seed), timeline_rng(seed + 100), script_rng(seed + 200);
    const Scene scene = make_scene(scene_rng);
    const Timeline tl = plan_timeline(options(10, 1, 1, 1.0), timeline_rng);
    const Script script(scene, tl, script_rng);
    const auto& to = tl.timeouts[0];
    // Everybody at their place around the table, a few seconds into the Time-out.
    for (std::size_t p = 0; p < script.people(); ++p) {
      for (double t = to.start_s + 4; t < to.end_s - 4; t += 7) {
        const auto s = script.state(p, t);
        EXPECT_LT(distance(s.position, scene.staff[p].table_spot.position), 0.12)
            << "seed " << seed << " person " << p << " at " << t;
        EXPECT_EQ(s.pose, Pose::Still);
      }
    }
    const double still = mean_speed(script, to.start_s + 4, to.end_s - 4);
    const double prep = mean_speed(script, 0, std::max(2.0, to.start_s - 20));
    EXPECT_LT(still, 0.02) << "seed " << seed;
    EXPECT_GT(prep, 4 * still) << "seed " << seed << ": preparation must show more motion";
  }
}

TEST(Script, TeamTurnsTowardsSurgeonInStop) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    Rng scene_rng(seed), timeline_rng(seed + 100), script_rng(seed + 200);
    const Scene scene = make_scene(scene_rng);
    const Timeline tl = plan_timeline(options(10, 1, 2, 1.0), timeline_rng);
    const Script script(scene, tl, script_rng);
    for (const auto& stop : tl.stops) {
      const double t = 0.5 * (stop.start_s + stop.end_s);
      const Vec2 surgeon = script.state(scene.surgeon(), t).position;
      for (std::size_t p = 1; p < script.people(); ++p) {
        const auto s = script.state(p, t);
        const double towards = std::atan2(surgeon.y - s.position.y, surgeon.x - s.position.x);
        EXPECT_LT(std::abs(wrap_angle(s.facing - towards)), 0.3)
            << "seed " << seed << " person " << p;
        EXPECT_EQ(s.pose, Pose::Still);
      }
    }
    // During surgery (outside the briefings) the surgeon works with moving hands.
    const double t = tl.incision_s + 3;
    if (t < tl.stops[0].start_s - 1) {
      EXPECT_EQ(script.state(scene.surgeon(), t).pose, Pose::Work);
      const auto a = script.state(scene.surgeon(), t), b = script.state(scene.surgeon(), t + 0.5);
      EXPECT_GT((a.hand_left - b.hand_left).norm() + (a.hand_right - b.hand_right).norm(), 0.005);
    }
  }
}

TEST(Script, PeopleStayInsideTheRoomAndOffTheTable) {
  Rng scene_rng(5), timeline_rng(6), script_rng(7);
  const Scene scene = make_scene(scene_rng);
  const Timeline tl = plan_timeline(options(8, 2, 2, 0.5), timeline_rng);
  const Script script(scene, tl, script_rng);
  for (std::size_t p = 0; p < script.people(); ++p) {
    for (double t = 0; t < tl.duration_s; t += 0.5) {
      const auto s = script.state(p, t);
      EXPECT_LT(std::abs(s.position.x), scene.half_x);
      EXPECT_LT(std::abs(s.position.y), scene.half_y);
      const bool on_table = std::abs(s.position.x) < scene.table_half.x - 0.05 &&
                            std::abs(s.position.y) < scene.table_half.y - 0.05;
      EXPECT_FALSE(on_table) << "person " << p << " at " << t;
    }
  }
}

TEST(Script, RouteAroundTableAvoidsIt) {
  Rng rng(1);
  const Scene scene = make_scene(rng);
  const auto path = route_around_table(scene, {0, -2}, {0, 2});
  ASSERT_GE(path.size(), 3u);
  for (std::size_t i = 0; i < path.size(); ++i) {
    // No vertex inside the table, and every vertex beyond the table's ends or sides.
    EXPECT_FALSE(std::abs(path[i].x) < scene.table_half.x &&
                 std::abs(path[i].y) < scene.table_half.y);
  }
  EXPECT_EQ(route_around_table(scene, {-3, -2}, {3, -2}).size(), 2u);
}
