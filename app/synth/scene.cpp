#include "app/synth/scene.h"

#include <algorithm>

#include "common/error.h"

namespace teamor::synth {
namespace {

constexpr double kHalfPi = kPi / 2;

Color jitter(Color c, Rng& rng, double amount) {
  const double s = 1.0 + rng.uniform(-amount, amount);
  return {std::clamp(c.b * s + rng.uniform(-8, 8), 0.0, 255.0),
          std::clamp(c.g * s + rng.uniform(-8, 8), 0.0, 255.0),
          std::clamp(c.r * s + rng.uniform(-8, 8), 0.0, 255.0)};
}

Station spot(const std::string& name, double x, double y, double facing, bool busy) {
  return Station{name, {x, y}, facing, busy};
}

/// Facing (radians) from @p from towards @p to.
double facing_towards(Vec2 from, Vec2 to) {
  return std::atan2(to.y - from.y, to.x - from.x);
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::Surgeon:
      return "surgeon";
    case Role::Assistant:
      return "assistant";
    case Role::ScrubNurse:
      return "scrub nurse";
    case Role::CirculatingNurse:
      return "circulating nurse";
    case Role::Anaesthetist:
      return "anaesthetist";
    case Role::SecondAssistant:
      return "second assistant";
    case Role::AnaesthesiaNurse:
      return "anaesthesia nurse";
    case Role::Student:
      return "student";
  }
  return "?";
}

int Scene::station_index(const std::string& name) const {
  for (std::size_t i = 0; i < stations.size(); ++i)
    if (stations[i].name == name) return static_cast<int>(i);
  TEAMOR_ASSERT(!"unknown station name");
  return -1;
}

Scene make_scene(Rng& rng) {
  Scene s;
  // Furniture. The patient lies along x with the head at x = -1 (towards anaesthesia).
  const Color steel{175, 172, 168}, drape{150, 118, 52}, dark{70, 72, 75}, cabinet{185, 190, 188};
  s.furniture = {
      {"table base", {-0.2, -0.15, 0.0}, {0.2, 0.15, 0.75}, dark},
      {"table", {-1.05, -0.32, 0.75}, {1.05, 0.32, 0.9}, steel},
      {"patient", {-0.95, -0.3, 0.9}, {0.95, 0.3, 1.05}, drape},
      {"instrument table", {0.7, -1.75, 0.0}, {1.9, -1.15, 0.92}, steel},
      {"instrument tray", {0.85, -1.65, 0.92}, {1.7, -1.25, 0.96}, Color{120, 150, 60}},
      {"anaesthesia machine", {-2.7, 0.25, 0.0}, {-2.05, 0.95, 1.45}, Color{95, 98, 100}},
      {"anaesthesia monitor", {-2.6, 0.3, 1.45}, {-2.2, 0.85, 1.8}, Color{40, 40, 45}},
      {"back table", {2.0, -3.25, 0.0}, {3.1, -2.6, 0.9}, steel},
      {"cabinets", {-1.2, 3.05, 0.0}, {1.6, 3.5, 1.9}, cabinet},
      {"desk", {2.6, 2.85, 0.0}, {3.7, 3.45, 0.78}, Color{120, 150, 175}},
      {"screen tower", {-0.12, -1.62, 0.0}, {0.22, -1.32, 1.35}, Color{95, 98, 102}},
  };
  for (auto& box : s.furniture)
    box.color = jitter(box.color, rng, 0.05);

  s.stations = {
      spot("door", 4.0, -1.9, 0.0, false),
      spot("sink", 3.9, 0.6, 0.0, true),
      spot("instrument table", 1.3, -0.95, -kHalfPi, true),
      spot("back table", 2.55, -2.3, -kHalfPi, true),
      spot("anaesthesia", -1.85, 0.6, kPi, true),
      spot("head", -1.45, -0.2, 0.0, true),
      spot("cabinets", 0.2, 2.7, kHalfPi, true),
      spot("computer", 3.15, 2.45, kHalfPi, true),
      spot("wall east", 3.6, -0.6, kPi, false),
      spot("wall west", -3.7, -2.4, 0.6, false),
      spot("corner north", -3.4, 2.6, -0.8, false),
      spot("screen", 0.05, -1.0, -kHalfPi, false),
  };
  auto idx = [&](const char* name) { return s.station_index(name); };

  // The team: five core roles, then up to three more.
  const int extra = rng.integer(0, 3);
  std::vector<Role> roles = {Role::Surgeon, Role::Assistant, Role::ScrubNurse,
                             Role::CirculatingNurse, Role::Anaesthetist};
  const Role extras[] = {Role::SecondAssistant, Role::AnaesthesiaNurse, Role::Student};
  for (int i = 0; i < extra; ++i)
    roles.push_back(extras[i]);

  const Color skins[] = {
      {150, 180, 225}, {110, 145, 195}, {80, 110, 160}, {60, 80, 120}, {140, 170, 215}};
  const Color caps[] = {{160, 110, 40},  {90, 150, 70},  {60, 60, 170}, {40, 160, 200},
                        {200, 200, 200}, {140, 60, 120}, {170, 140, 90}};
  const Vec2 table_center{0, 0};
  for (Role role : roles) {
    Person p;
    p.role = role;
    p.height_m = rng.uniform(1.62, 1.92);
    p.speed_mps = rng.uniform(0.85, 1.3);
    p.skin = skins[rng.integer(0, 4)];
    p.cap = jitter(caps[rng.integer(0, 6)], rng, 0.1);
    p.mask = jitter(Color{210, 190, 150}, rng, 0.05);
    switch (role) {
      case Role::Surgeon:
      case Role::Assistant:
      case Role::SecondAssistant:
      case Role::ScrubNurse:
        p.sterile = true;
        p.gown = jitter(rng.uniform() < 0.7 ? Color{165, 115, 55} : Color{120, 140, 70}, rng, 0.08);
        p.glove = jitter(Color{150, 195, 215}, rng, 0.05);
        break;
      case Role::CirculatingNurse:
        p.gown = jitter(Color{120, 70, 40}, rng, 0.1);
        break;
      case Role::Anaesthetist:
      case Role::AnaesthesiaNurse:
        p.gown = jitter(Color{110, 130, 70}, rng, 0.1);
        break;
      case Role::Student:
        p.gown = jitter(Color{205, 200, 190}, rng, 0.05);
        break;
    }
    p.sleeve = p.gown * 0.85;
    if (!p.sterile) p.glove = p.skin;
    switch (role) {
      case Role::Surgeon:
        p.table_spot = spot("surgeon", 0.15, -0.62, kHalfPi, true);
        p.prep_stations = {idx("sink"), idx("computer"), idx("door"), idx("screen")};
        p.at_table_in_surgery = true;
        break;
      case Role::Assistant:
        p.table_spot = spot("assistant", 0.2, 0.63, -kHalfPi, true);
        p.prep_stations = {idx("sink"), idx("door"), idx("cabinets"), idx("computer")};
        p.at_table_in_surgery = true;
        break;
      case Role::SecondAssistant:
        p.table_spot = spot("second assistant", -0.45, 0.63, -kHalfPi, true);
        p.prep_stations = {idx("sink"), idx("door"), idx("corner north")};
        p.at_table_in_surgery = true;
        break;
      case Role::ScrubNurse:
        p.table_spot = spot("scrub nurse", 0.95, -0.62, kHalfPi, true);
        p.prep_stations = {idx("instrument table"), idx("back table"), idx("instrument table")};
        p.surgery_stations = {idx("instrument table"), idx("back table")};
        break;
      case Role::CirculatingNurse:
        p.table_spot = spot("circulating", 1.45, 0.35, kPi, false);
        p.prep_stations = {idx("cabinets"),   idx("computer"),  idx("door"),
                           idx("back table"), idx("wall east"), idx("anaesthesia")};
        p.surgery_stations = p.prep_stations;
        break;
      case Role::Anaesthetist:
        p.table_spot = spot("anaesthetist", -1.45, 0.05, 0.0, true);
        p.prep_stations = {idx("anaesthesia"), idx("head"), idx("anaesthesia"), idx("computer")};
        p.surgery_stations = {idx("anaesthesia"), idx("head"), idx("anaesthesia")};
        break;
      case Role::AnaesthesiaNurse:
        p.table_spot = spot("anaesthesia nurse", -1.3, -0.65, 0.5, false);
        p.prep_stations = {idx("anaesthesia"), idx("cabinets"), idx("head"), idx("wall west")};
        p.surgery_stations = {idx("anaesthesia"), idx("wall west"), idx("corner north")};
        break;
      case Role::Student:
        p.table_spot = spot("student", 1.25, 0.95, -2.4, false);
        p.prep_stations = {idx("wall east"), idx("corner north"), idx("wall west")};
        p.surgery_stations = p.prep_stations;
        break;
    }
    if (p.surgery_stations.empty()) p.surgery_stations = p.prep_stations;
    s.staff.push_back(p);
  }
  // StOP? spots: people at the table stay put, the others step a little towards the table; all face
  // the surgeon (set per spot here, the script adds turning and noise).
  const Vec2 surgeon_pos = s.staff[0].table_spot.position;
  for (auto& p : s.staff) {
    p.stop_spot = p.table_spot;
    p.stop_spot.name = "stop " + p.table_spot.name;
    if (!p.at_table_in_surgery && p.role != Role::ScrubNurse) {
      const Vec2 out = p.table_spot.position - table_center;
      p.stop_spot.position = p.table_spot.position + out * (0.25 / std::max(out.norm(), 0.1));
    }
    if (p.role != Role::Surgeon)
      p.stop_spot.facing = facing_towards(p.stop_spot.position, surgeon_pos);
    p.stop_spot.hands_busy = false;
  }
  return s;
}

std::vector<Camera> make_ceiling_cameras(const Scene& scene, int count, int width, int height,
                                         Rng& rng) {
  std::vector<Camera> cameras;
  // Mounts spread around the room (corners and wall middles), starting at a random one.
  const double start = rng.uniform(0, 2 * kPi);
  for (int i = 0; i < count; ++i) {
    const double angle = start + 2 * kPi * i / count + rng.uniform(-0.2, 0.2);
    const double c = std::cos(angle), s = std::sin(angle);
    // Push the mount onto the room's walls (the larger of the two ratios hits a wall first).
    const double k = 0.93 / std::max(std::abs(c) / scene.half_x, std::abs(s) / scene.half_y);
    const Vec3 eye{c * k, s * k, scene.ceiling_z - rng.uniform(0.08, 0.35)};
    const Vec3 target{rng.uniform(-0.5, 0.5), rng.uniform(-0.4, 0.4), rng.uniform(0.3, 0.8)};
    cameras.push_back(Camera::look_at(eye, target, rng.uniform(72, 88), width, height));
  }
  return cameras;
}

}  // namespace teamor::synth
