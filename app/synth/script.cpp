#include "app/synth/script.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "app/synth/synth.h"
#include "common/error.h"

namespace teamor::synth {
namespace {

// Protocol durations before --time-scale (the ranges), seconds.
constexpr double kTimeoutMin = 60, kTimeoutMax = 150;
constexpr double kStopMin = 30, kStopMax = 90;
// Shortest stretches between events, seconds: people need real time to walk, whatever the scale.
constexpr double kPrepMin = 14, kBetweenTimeouts = 10, kBeforeIncision = 4;
constexpr double kSurgeryEdge = 6, kSurgeryNoStops = 10, kClosingMin = 6;

double smoothstep(double x) {
  x = std::clamp(x, 0.0, 1.0);
  return x * x * (3 - 2 * x);
}

double lerp_angle(double a, double b, double w) {
  return a + wrap_angle(b - a) * w;
}

double path_length(const std::vector<Vec2>& path) {
  double length = 0;
  for (std::size_t i = 1; i < path.size(); ++i)
    length += (path[i] - path[i - 1]).norm();
  return length;
}

/// True when segment a-b passes through the axis-aligned rectangle |x| < hx, |y| < hy.
bool segment_hits_rect(Vec2 a, Vec2 b, double hx, double hy) {
  double t0 = 0, t1 = 1;
  const Vec2 d = b - a;
  const double p[4] = {-d.x, d.x, -d.y, d.y};
  const double q[4] = {a.x + hx, hx - a.x, a.y + hy, hy - a.y};
  for (int i = 0; i < 4; ++i) {
    if (std::abs(p[i]) < 1e-12) {
      if (q[i] < 0) return false;
      continue;
    }
    const double r = q[i] / p[i];
    if (p[i] < 0)
      t0 = std::max(t0, r);
    else
      t1 = std::min(t1, r);
    if (t0 > t1) return false;
  }
  return true;
}

// Motion noise amplitudes per pose: position (metres) and facing (radians).
double position_amplitude(Pose pose) {
  switch (pose) {
    case Pose::Idle:
      return 0.07;
    case Pose::Work:
      return 0.03;
    case Pose::Still:
      return 0.008;
    case Pose::Walk:
      return 0.015;
  }
  return 0;
}
double facing_amplitude(Pose pose) {
  switch (pose) {
    case Pose::Idle:
      return 0.4;
    case Pose::Work:
      return 0.15;
    case Pose::Still:
      return 0.035;
    case Pose::Walk:
      return 0.05;
  }
  return 0;
}

}  // namespace

double Timeline::scope_clock(double t) const {
  double clock = t;
  for (const auto& stop : stops) {
    if (t >= stop.end_s)
      clock -= stop.end_s - stop.start_s;
    else if (t > stop.start_s)
      clock -= t - stop.start_s;
  }
  return clock;
}

/// Without protocols nobody has to gather, so the phases may shrink to fit a very short clip.
double gap_shrink(const SynthOptions& o) {
  if (o.timeouts > 0 || o.stops > 0) return 1.0;
  return std::min(1.0, o.minutes * 60.0 / (kPrepMin + kSurgeryNoStops + kClosingMin));
}

double minimum_duration_s(const SynthOptions& o) {
  if (o.timeouts == 0 && o.stops == 0) return 2.0;
  double total = kPrepMin + kClosingMin;
  if (o.timeouts > 0)
    total += o.timeouts * kTimeoutMax * o.time_scale + (o.timeouts - 1) * kBetweenTimeouts +
             kBeforeIncision;
  if (o.stops > 0)
    total += 2 * kSurgeryEdge + o.stops * kStopMax * o.time_scale + (o.stops - 1) * kSurgeryEdge;
  else
    total += kSurgeryNoStops;
  return total;
}

void check_protocols_fit(const SynthOptions& o) {
  const double needed = minimum_duration_s(o);
  if (needed <= o.minutes * 60.0) return;
  std::ostringstream msg;
  msg << o.minutes << " minutes are too short for " << o.timeouts << " Time-out(s) and " << o.stops
      << " StOP?(s) at --time-scale " << o.time_scale << ": expected at least "
      << std::ceil(needed / 6.0) / 10.0 << " minutes";
  throw ConfigError(msg.str(), {}, "--minutes");
}

Timeline plan_timeline(const SynthOptions& o, Rng& rng) {
  Timeline tl;
  tl.duration_s = o.minutes * 60.0;
  check_protocols_fit(o);
  std::vector<double> to_len, stop_len;
  for (int i = 0; i < o.timeouts; ++i)
    to_len.push_back(rng.uniform(kTimeoutMin, kTimeoutMax) * o.time_scale);
  for (int i = 0; i < o.stops; ++i)
    stop_len.push_back(rng.uniform(kStopMin, kStopMax) * o.time_scale);

  // Fixed minimum gaps, then the spare time shared out with random weights.
  std::vector<double> gap_min, gap_weight;
  gap_min.push_back(kPrepMin);
  gap_weight.push_back(rng.uniform(0.15, 0.3));
  for (int i = 1; i < o.timeouts; ++i) {
    gap_min.push_back(kBetweenTimeouts);
    gap_weight.push_back(rng.uniform(0.01, 0.04));
  }
  if (o.timeouts > 0) {
    gap_min.push_back(kBeforeIncision);
    gap_weight.push_back(rng.uniform(0.01, 0.04));
  }
  const int surgery_gaps = o.stops + 1;
  for (int i = 0; i < surgery_gaps; ++i) {
    gap_min.push_back(o.stops > 0 ? kSurgeryEdge : kSurgeryNoStops);
    gap_weight.push_back(rng.uniform(0.3, 0.8) / surgery_gaps);
  }
  gap_min.push_back(kClosingMin);
  gap_weight.push_back(rng.uniform(0.05, 0.12));

  const double shrink = gap_shrink(o);
  for (double& g : gap_min)
    g *= shrink;
  double fixed = 0, weights = 0;
  for (double g : gap_min)
    fixed += g;
  for (double l : to_len)
    fixed += l;
  for (double l : stop_len)
    fixed += l;
  for (double w : gap_weight)
    weights += w;
  const double spare = std::max(0.0, tl.duration_s - fixed);
  std::vector<double> gaps;
  for (std::size_t i = 0; i < gap_min.size(); ++i)
    gaps.push_back(gap_min[i] + spare * gap_weight[i] / weights);

  std::size_t g = 0;
  double t = gaps[g++];
  for (int i = 0; i < o.timeouts; ++i) {
    if (i > 0) t += gaps[g++];
    tl.timeouts.push_back({t, t + to_len[i]});
    t += to_len[i];
  }
  if (o.timeouts > 0) t += gaps[g++];
  tl.incision_s = t;
  for (int i = 0; i < o.stops; ++i) {
    t += gaps[g++];
    tl.stops.push_back({t, t + stop_len[i]});
    t += stop_len[i];
  }
  t += gaps[g++];
  tl.scope_removed_s = t;

  // Distractors: a few short pauses of two or three people, away from the protocols.
  const int pauses = 1 + static_cast<int>(tl.duration_s / 200.0) + rng.integer(0, 1);
  const double pause_scale = std::max(o.time_scale, 0.25);
  for (int attempt = 0; attempt < 40 && static_cast<int>(tl.group_pauses.size()) < pauses;
       ++attempt) {
    const double length = rng.uniform(12, 40) * pause_scale;
    const double start = rng.uniform(8, std::max(8.0, tl.duration_s - length - 4));
    const Interval pause{start, start + length};
    bool clear = pause.end_s < tl.duration_s - 2;
    auto far_from = [&](const Interval& other) {
      return pause.end_s + 12 < other.start_s || pause.start_s > other.end_s + 12;
    };
    for (const auto& iv : tl.timeouts)
      clear = clear && far_from(iv);
    for (const auto& iv : tl.stops)
      clear = clear && far_from(iv);
    for (const auto& iv : tl.group_pauses)
      clear = clear && far_from(iv);
    if (clear) tl.group_pauses.push_back(pause);
  }
  std::sort(tl.group_pauses.begin(), tl.group_pauses.end(),
            [](const Interval& a, const Interval& b) { return a.start_s < b.start_s; });
  return tl;
}

std::vector<Vec2> route_around_table(const Scene& scene, Vec2 a, Vec2 b) {
  const double hx = scene.table_half.x + 0.25, hy = scene.table_half.y + 0.2;
  if (!segment_hits_rect(a, b, hx, hy)) return {a, b};
  const double cx = hx + 0.12, cy = hy + 0.12;
  const Vec2 corners[4] = {{-cx, -cy}, {cx, -cy}, {cx, cy}, {-cx, cy}};
  std::vector<Vec2> best;
  double best_length = 1e9;
  auto consider = [&](std::vector<Vec2> path) {
    for (std::size_t i = 1; i < path.size(); ++i)
      if (segment_hits_rect(path[i - 1], path[i], hx, hy)) return;
    const double length = path_length(path);
    if (length < best_length) {
      best_length = length;
      best = std::move(path);
    }
  };
  for (int i = 0; i < 4; ++i) {
    consider({a, corners[i], b});
    consider({a, corners[i], corners[(i + 1) % 4], b});
    consider({a, corners[(i + 1) % 4], corners[i], b});
  }
  if (best.empty()) return {a, b};
  return best;
}

double Script::Wobble::at(double t) const {
  double v = 0;
  for (int i = 0; i < 3; ++i)
    v += weight[i] * std::sin(2 * kPi * freq[i] * t + phase[i]);
  return v;
}

namespace {

struct Appointment {
  double start_s, end_s;
  Station place;
  Pose pose;
  double noise;
};

/// Who takes part in each group pause: two or three people free at that time.
std::vector<std::vector<int>> pause_members(const Scene& scene, const Timeline& tl, Rng& rng) {
  std::vector<std::vector<int>> members;
  for (const auto& pause : tl.group_pauses) {
    const bool surgery =
        pause.end_s > tl.incision_s - 20 && pause.start_s < tl.scope_removed_s + 30;
    std::vector<int> free;
    for (std::size_t i = 0; i < scene.staff.size(); ++i)
      if (!(surgery && scene.staff[i].at_table_in_surgery)) free.push_back(static_cast<int>(i));
    std::vector<int> chosen;
    const int want = std::min<int>(rng.integer(2, 3), static_cast<int>(free.size()));
    for (int k = 0; k < want; ++k) {
      const int pick = rng.integer(0, static_cast<int>(free.size()) - 1);
      chosen.push_back(free[pick]);
      free.erase(free.begin() + pick);
    }
    members.push_back(chosen);
  }
  return members;
}

}  // namespace

Script::Script(const Scene& scene, const Timeline& timeline, Rng& rng)
    : scene_(scene), timeline_(timeline) {
  plans_.resize(scene.staff.size());
  Rng shared = rng.fork(1000);  // drawn once: every person's plan sees the same pause groups
  pause_members_ = pause_members(scene, timeline, shared);
  for (std::size_t p = 0; p < plans_.size(); ++p) {
    Rng person_rng = rng.fork(p + 1);
    build_plan(p, person_rng);
  }
}

void Script::build_plan(std::size_t person, Rng& rng) {
  const Person& me = scene_.staff[person];
  const Timeline& tl = timeline_;
  Plan& plan = plans_[person];
  auto make_wobble = [&](double fmin, double fmax) {
    Wobble w{};
    double total = 0;
    for (int i = 0; i < 3; ++i) {
      w.freq[i] = rng.uniform(fmin, fmax);
      w.phase[i] = rng.uniform(0, 2 * kPi);
      w.weight[i] = rng.uniform(0.3, 1.0);
      total += w.weight[i];
    }
    for (double& weight : w.weight)
      weight /= total;
    return w;
  };
  plan.wx = make_wobble(0.02, 0.2);
  plan.wy = make_wobble(0.02, 0.2);
  plan.wf = make_wobble(0.02, 0.15);
  plan.hands = make_wobble(0.4, 1.6);
  plan.hands2 = make_wobble(0.4, 1.6);
  plan.stride_m = 0.65 + 0.15 * (me.height_m - 1.6);

  // Fixed appointments: protocols, group pauses, work at the table.
  std::vector<Appointment> appts;
  auto latency = [&](double lo, double hi) { return rng.uniform(lo, hi); };
  for (const auto& to : tl.timeouts)
    appts.push_back({to.start_s + latency(-1.5, 2.0), to.end_s + latency(-1.5, 2.0), me.table_spot,
                     Pose::Still, 1.0});
  for (const auto& stop : tl.stops)
    appts.push_back({stop.start_s + latency(-0.5, 2.5), stop.end_s + latency(-2.0, 1.0),
                     me.stop_spot, Pose::Still, 1.0});
  {
    const auto& members = pause_members_;
    for (std::size_t i = 0; i < members.size(); ++i) {
      const auto& who = members[i];
      const auto it = std::find(who.begin(), who.end(), static_cast<int>(person));
      if (it == who.end()) continue;
      // Meet at a station away from the table, standing in a small circle facing its centre.
      const char* places[] = {"door", "wall east", "computer", "corner north", "back table"};
      const Station& meet = scene_.stations[scene_.station_index(places[hash64(i, 7) % 5])];
      const double angle = 2 * kPi * static_cast<double>(it - who.begin()) / who.size() +
                           static_cast<double>(hash64(i, 9) % 628) / 100.0;
      Station spot = meet;
      spot.position = meet.position + Vec2{std::cos(angle), std::sin(angle)} * 0.45;
      spot.position.x = std::clamp(spot.position.x, -scene_.half_x + 0.3, scene_.half_x - 0.3);
      spot.position.y = std::clamp(spot.position.y, -scene_.half_y + 0.3, scene_.half_y - 0.3);
      spot.facing =
          std::atan2(meet.position.y - spot.position.y, meet.position.x - spot.position.x);
      appts.push_back({tl.group_pauses[i].start_s + latency(0, 2),
                       tl.group_pauses[i].end_s - latency(0, 2), spot, Pose::Still, 1.6});
    }
  }
  if (me.at_table_in_surgery) {
    // Working at the table from just before incision until a little after the scope is out,
    // except for the StOP? briefings (already appointments).
    double t = tl.incision_s - rng.uniform(5, 12);
    const double end = tl.scope_removed_s + rng.uniform(3, 25);
    std::vector<Interval> busy;
    for (const auto& a : appts)
      busy.push_back({a.start_s, a.end_s});
    std::sort(busy.begin(), busy.end(),
              [](const Interval& a, const Interval& b) { return a.start_s < b.start_s; });
    for (const auto& b : busy) {
      if (b.end_s <= t) continue;
      if (b.start_s >= end) break;
      if (b.start_s > t) appts.push_back({t, b.start_s, me.table_spot, Pose::Work, 1.0});
      t = std::max(t, b.end_s);
    }
    if (t < end) appts.push_back({t, end, me.table_spot, Pose::Work, 1.0});
  }
  std::sort(appts.begin(), appts.end(),
            [](const Appointment& a, const Appointment& b) { return a.start_s < b.start_s; });
  for (std::size_t i = 1; i < appts.size(); ++i) {
    appts[i].start_s = std::max(appts[i].start_s, appts[i - 1].end_s);
    appts[i].end_s = std::max(appts[i].end_s, appts[i].start_s);
  }

  // Fill the gaps with walks between the role's stations, arriving at each appointment in time.
  auto& acts = plan.activities;
  const auto& start_station = scene_.stations[me.prep_stations[rng.integer(
      0, static_cast<int>(me.prep_stations.size()) - 1)]];
  Vec2 pos = start_station.position;
  double facing = start_station.facing;
  double noise = 1.0;
  double t = 0;
  auto add_stay = [&](double t1, const Station& at, Pose pose, double n) {
    if (t1 <= t) return;
    acts.push_back({t, t1, {at.position}, facing, at.facing, pose, noise, n});
    pos = at.position;
    facing = at.facing;
    noise = n;
    t = t1;
  };
  auto add_walk = [&](double t1, std::vector<Vec2> path) {
    if (path_length(path) < 0.05) return;
    t1 = std::max(t1, t + 0.4);
    const Vec2 last = path.back(), before = path[path.size() - 2];
    acts.push_back({t, t1, std::move(path), facing,
                    std::atan2(last.y - before.y, last.x - before.x), Pose::Walk, noise, 1.0});
    pos = last;
    facing = acts.back().facing_to;
    noise = 1.0;
    t = t1;
  };
  auto candidates = [&](double time) -> std::vector<Station> {
    const bool surgery = time >= tl.incision_s && time < tl.scope_removed_s;
    std::vector<Station> list;
    for (int s : surgery ? me.surgery_stations : me.prep_stations)
      list.push_back(scene_.stations[s]);
    if (surgery && me.role == Role::ScrubNurse) {
      list.push_back(me.table_spot);  // mostly at the table, handing instruments
      list.push_back(me.table_spot);
    }
    return list;
  };
  auto stay_pose = [&](const Station& st) {
    if (st.hands_busy) return Pose::Work;
    return rng.uniform() < 0.5 ? Pose::Still : Pose::Idle;  // standing still away from the table
  };

  appts.push_back({tl.duration_s + 1e6, tl.duration_s + 1e6, me.table_spot, Pose::Idle, 1.0});
  for (const auto& appt : appts) {
    const bool sentinel = appt.start_s > tl.duration_s + 1;
    const double deadline = sentinel ? tl.duration_s + 1 : appt.start_s;
    for (int guard = 0; guard < 10000 && t < deadline; ++guard) {
      const auto list = candidates(t);
      const Station& st = list[rng.integer(0, static_cast<int>(list.size()) - 1)];
      if ((st.position - pos).norm() < 0.3 && list.size() > 1) continue;
      auto path1 = route_around_table(scene_, pos, st.position);
      const double w1 = path_length(path1) / me.speed_mps;
      const double dwell = st.hands_busy ? rng.uniform(10, 60) : rng.uniform(6, 35);
      const double w2 =
          sentinel ? 0
                   : path_length(route_around_table(scene_, st.position, appt.place.position)) /
                         me.speed_mps;
      if (t + w1 + dwell + w2 + 2 > deadline && !sentinel) break;
      add_walk(t + w1, std::move(path1));
      add_stay(t + dwell, st, stay_pose(st), st.hands_busy ? 1.0 : 0.8);
    }
    if (sentinel) break;
    // Go to the appointment: leave so as to arrive a little early, then wait there.
    auto path = route_around_table(scene_, pos, appt.place.position);
    const double walk = path_length(path) / me.speed_mps;
    const double slack = std::max(0.0, deadline - t - walk);
    const double leave = t + slack * rng.uniform(0.3, 0.95);
    if (leave > t) {
      Station here{"here", pos, facing, false};
      add_stay(leave, here, Pose::Idle, noise);
    }
    add_walk(std::min(std::max(t + walk, t + 0.4), std::max(deadline, t + 0.4)), std::move(path));
    add_stay(deadline, appt.place, Pose::Idle, 1.0);
    add_stay(appt.end_s, appt.place, appt.pose, appt.noise);
  }
  if (acts.empty() || acts.back().end_s < tl.duration_s + 1) {
    Station here{"here", pos, facing, false};
    add_stay(tl.duration_s + 1, here, Pose::Idle, 1.0);
  }
}

PersonState Script::state(std::size_t person, double t) const {
  TEAMOR_ASSERT(person < plans_.size());
  const Plan& plan = plans_[person];
  const Person& me = scene_.staff[person];
  const auto& acts = plan.activities;
  auto it = std::upper_bound(acts.begin(), acts.end(), t,
                             [](double value, const Activity& a) { return value < a.start_s; });
  const Activity& a = it == acts.begin() ? acts.front() : *(it - 1);
  const double local = t - a.start_s;
  const double settle = smoothstep(local / 1.0);
  const double noise = a.noise_from + (a.noise - a.noise_from) * settle;
  const double scale = me.height_m / 1.75;

  PersonState s;
  s.pose = a.pose;
  double walked = 0;
  if (a.pose == Pose::Walk) {
    const double length = path_length(a.path);
    const double span = std::max(a.end_s - a.start_s, 1e-6);
    walked = std::clamp(local / span, 0.0, 1.0) * length;
    double left = walked;
    Vec2 dir{1, 0};
    s.position = a.path.back();
    for (std::size_t i = 1; i < a.path.size(); ++i) {
      const Vec2 seg = a.path[i] - a.path[i - 1];
      const double l = seg.norm();
      if (l > 1e-9) dir = seg * (1.0 / l);
      if (left <= l) {
        s.position = a.path[i - 1] + dir * left;
        break;
      }
      left -= l;
    }
    const double heading = std::atan2(dir.y, dir.x);
    s.facing = lerp_angle(a.facing_from, heading, smoothstep(local / 0.6));
    s.bob_m = 0.025 * std::abs(std::sin(kPi * walked / plan.stride_m));
  } else {
    s.position = a.path.front();
    s.facing = lerp_angle(a.facing_from, a.facing_to, smoothstep(local / 1.2));
  }
  const double pos_amp = position_amplitude(a.pose) * noise;
  s.position = s.position + Vec2{plan.wx.at(t), plan.wy.at(t)} * pos_amp;
  s.facing = wrap_angle(s.facing + plan.wf.at(t) * facing_amplitude(a.pose) * noise);

  // Hands, in the person's frame (forward f, left l), then to world coordinates.
  const Vec2 f{std::cos(s.facing), std::sin(s.facing)};
  const Vec2 l{-f.y, f.x};
  auto world = [&](double fwd, double side, double z) {
    const Vec2 p = s.position + f * (fwd * scale) + l * (side * scale);
    return Vec3{p.x, p.y, z * scale + s.bob_m};
  };
  switch (a.pose) {
    case Pose::Walk:
      if (me.sterile) {
        s.hand_left = world(0.28, 0.08, 1.2);
        s.hand_right = world(0.28, -0.08, 1.2);
      } else {
        const double swing = 0.18 * std::sin(kPi * walked / plan.stride_m);
        s.hand_left = world(swing, 0.26, 0.82);
        s.hand_right = world(-swing, -0.26, 0.82);
      }
      break;
    case Pose::Work: {
      const double h1 = plan.hands.at(t * 1.0) * 0.09 * noise;
      const double h2 = plan.hands2.at(t * 1.1) * 0.09 * noise;
      s.hand_left = world(0.45 + h1, 0.14 + h2 * 0.5, 1.0 + 0.3 * h2);
      s.hand_right = world(0.45 - h2, -0.14 + h1 * 0.5, 1.0 + 0.3 * h1);
      if (!me.sterile) {  // non-sterile staff at their stations work a little higher
        s.hand_left.z += 0.05;
        s.hand_right.z += 0.05;
      }
      break;
    }
    case Pose::Idle:
    case Pose::Still: {
      const double m = a.pose == Pose::Idle ? 0.04 * noise : 0.004;
      const double h = plan.hands.at(t * 0.3) * m;
      if (me.sterile) {
        s.hand_left = world(0.27 + h, 0.07, 1.18);
        s.hand_right = world(0.27 - h, -0.07, 1.18);
      } else {
        s.hand_left = world(0.04 + h, 0.27, 0.8);
        s.hand_right = world(0.04 - h, -0.27, 0.8);
      }
      break;
    }
  }
  return s;
}

}  // namespace teamor::synth
