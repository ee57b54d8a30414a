#pragma once
// The synthetic operating room: room box, furniture, stations people walk between, the team with
// roles and colours, and the ceiling cameras (internal to teamor_synth).

#include <string>
#include <vector>

#include "app/synth/geometry.h"
#include "app/synth/rng.h"

namespace teamor::synth {

/// Colour as blue, green, red in 0..255 (OpenCV's channel order, used by the renderer).
struct Color {
  double b = 0, g = 0, r = 0;
  Color operator*(double s) const { return {b * s, g * s, r * s}; }
};

/// An axis-aligned box of furniture, metres.
struct Box {
  std::string name;
  Vec3 min, max;
  Color color;
};

enum class Role {
  Surgeon,
  Assistant,
  ScrubNurse,
  CirculatingNurse,
  Anaesthetist,
  SecondAssistant,
  AnaesthesiaNurse,
  Student,
};

std::string_view to_string(Role role);

/// A place people go to: floor position, the direction they face there (radians, 0 = +x), and
/// whether they work with their hands there.
struct Station {
  std::string name;
  Vec2 position;
  double facing = 0;
  bool hands_busy = false;
};

/// One member of the team.
struct Person {
  Role role = Role::Surgeon;
  bool sterile = false;  ///< gowned and gloved: hands kept in front, never hanging
  Color gown, sleeve, cap, skin, glove, mask;
  double height_m = 1.75;             ///< scale of the figure
  double speed_mps = 1.1;             ///< walking speed
  Station table_spot;                 ///< where the person stands at the table (Time-out, surgery)
  Station stop_spot;                  ///< where the person stands during a StOP? briefing
  std::vector<int> prep_stations;     ///< indices into Scene::stations used before incision
  std::vector<int> surgery_stations;  ///< indices used during surgery
  bool at_table_in_surgery = false;   ///< surgeon/assistants: stay working at the table
};

struct Scene {
  double half_x = 4.5;  ///< room extends over [-half_x, half_x] in x, metres
  double half_y = 3.5;  ///< and [-half_y, half_y] in y
  double ceiling_z = 3.0;
  Vec3 table_top_center{0, 0, 1.05};  ///< top of the draped patient on the operating table
  Vec2 table_half{1.05, 0.32};        ///< half extents of the operating table, metres
  Vec3 lamp_center{0.25, 0.15, 2.05};
  double lamp_radius = 0.33;
  std::vector<Box> furniture;
  std::vector<Station> stations;
  std::vector<Person> staff;

  int station_index(const std::string& name) const;
  /// The surgeon's index in staff (everyone turns towards them during a StOP? briefing).
  int surgeon() const { return 0; }
};

/// @brief Builds the room and a team of 5-8 people whose size, colours and habits come from @p rng.
Scene make_scene(Rng& rng);

/// @brief Ceiling cameras at different wall/corner positions, all looking at the table region.
std::vector<Camera> make_ceiling_cameras(const Scene& scene, int count, int width, int height,
                                         Rng& rng);

}  // namespace teamor::synth
