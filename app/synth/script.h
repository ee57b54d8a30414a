#pragma once
// What happens when: the phase timeline (preparation, Time-outs, incision, surgery with StOP?
// briefings, closing) and, for every person, a list of walks and stays with motion noise. A
// person's state is a pure function of time, so every view can be rendered independently and in any
// order.

#include <vector>

#include "app/synth/geometry.h"
#include "app/synth/rng.h"
#include "app/synth/scene.h"

namespace teamor::synth {

struct SynthOptions;

struct Interval {
  double start_s = 0;
  double end_s = 0;
  bool contains(double t) const { return t >= start_s && t < end_s; }
};

/// @brief The phases of the recording, seconds on the recording timeline.
struct Timeline {
  double duration_s = 0;
  std::vector<Interval> timeouts;      ///< all before incision_s
  std::vector<Interval> stops;         ///< all between incision_s and scope_removed_s
  double incision_s = 0;               ///< laparoscope inserted
  double scope_removed_s = 0;          ///< laparoscope removed, closing starts
  std::vector<Interval> group_pauses;  ///< distractors: two or three people pause together

  /// Seconds of scope motion up to @p t (time stands still in StOP? briefings).
  double scope_clock(double t) const;
};

/// @brief Shortest recording (seconds) that fits the options' protocols at their longest.
double minimum_duration_s(const SynthOptions& options);

/// @brief Throws ConfigError naming --minutes when the protocols cannot fit into the recording.
void check_protocols_fit(const SynthOptions& options);

/// @brief Places the phases. @throws ConfigError when they do not fit (see minimum_duration_s()).
Timeline plan_timeline(const SynthOptions& options, Rng& rng);

/// How a person holds their body at a moment.
enum class Pose { Walk, Idle, Work, Still };

/// @brief A person at one moment: where, facing where, and where the hands are (world, metres).
struct PersonState {
  Vec2 position;
  double facing = 0;  ///< radians, 0 = +x
  Pose pose = Pose::Idle;
  Vec3 hand_left, hand_right;
  double bob_m = 0;  ///< vertical bounce while walking
};

/// @brief Every person's plan for the whole recording.
class Script {
 public:
  Script(const Scene& scene, const Timeline& timeline, Rng& rng);

  const Timeline& timeline() const { return timeline_; }
  std::size_t people() const { return plans_.size(); }
  /// @brief State of person @p person at @p t seconds.
  PersonState state(std::size_t person, double t) const;

  /// One stretch of a plan: a walk along a path or a stay at a place.
  struct Activity {
    double start_s = 0, end_s = 0;
    std::vector<Vec2> path;  ///< walk: polyline from start to end; stay: one point
    double facing_from = 0;  ///< facing at start_s (turns to facing_to over the first second)
    double facing_to = 0;    ///< facing at the place (stays); walks face along the path
    Pose pose = Pose::Idle;
    double noise_from = 1, noise = 1;  ///< motion noise amplitude at start, and after a second
  };

 private:
  struct Wobble {  // smooth per-person noise: a few sines with random frequencies and phases
    double freq[3], phase[3], weight[3];
    double at(double t) const;
  };
  struct Plan {
    std::vector<Activity> activities;  // contiguous, covering [0, duration]
    Wobble wx, wy, wf, hands, hands2;
    double stride_m = 0.7;
  };
  const Scene& scene_;
  Timeline timeline_;
  std::vector<Plan> plans_;
  std::vector<std::vector<int>> pause_members_;  // staff indices per Timeline::group_pauses entry

  void build_plan(std::size_t person, Rng& rng);
};

/// @brief A walking path from @p a to @p b around the operating table (polyline incl. both ends).
std::vector<Vec2> route_around_table(const Scene& scene, Vec2 a, Vec2 b);

}  // namespace teamor::synth
