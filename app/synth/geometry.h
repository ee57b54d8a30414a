#pragma once
// Small 3-D vector maths and the pinhole camera used by the synthetic renderer (internal to synth).
// World coordinates are metres: x along the operating table, y across it, z up, floor at z = 0.

#include <cmath>

namespace teamor::synth {

inline constexpr double kPi = 3.14159265358979323846;

struct Vec3 {
  double x = 0, y = 0, z = 0;
  Vec3 operator+(const Vec3& o) const { return {x + o.x, y + o.y, z + o.z}; }
  Vec3 operator-(const Vec3& o) const { return {x - o.x, y - o.y, z - o.z}; }
  Vec3 operator*(double s) const { return {x * s, y * s, z * s}; }
  double dot(const Vec3& o) const { return x * o.x + y * o.y + z * o.z; }
  Vec3 cross(const Vec3& o) const {
    return {y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x};
  }
  double norm() const { return std::sqrt(dot(*this)); }
  Vec3 normalized() const {
    const double n = norm();
    return n > 0 ? *this * (1.0 / n) : *this;
  }
};

struct Vec2 {
  double x = 0, y = 0;
  Vec2 operator+(const Vec2& o) const { return {x + o.x, y + o.y}; }
  Vec2 operator-(const Vec2& o) const { return {x - o.x, y - o.y}; }
  Vec2 operator*(double s) const { return {x * s, y * s}; }
  double norm() const { return std::hypot(x, y); }
};

/// Wraps an angle to (-pi, pi].
inline double wrap_angle(double a) {
  while (a > kPi)
    a -= 2 * kPi;
  while (a <= -kPi)
    a += 2 * kPi;
  return a;
}

/// @brief Pinhole camera: position, orientation from a look-at target, focal length in pixels.
struct Camera {
  Vec3 position;
  Vec3 forward, right, down;  ///< orthonormal camera axes in world coordinates
  double fx = 500, fy = 500;  ///< focal lengths, pixels
  double cx = 320, cy = 180;  ///< principal point, pixels
  int width = 640, height = 360;

  /// @brief Camera at @p eye looking at @p target (z is up), horizontal field of view @p hfov_deg.
  static Camera look_at(const Vec3& eye, const Vec3& target, double hfov_deg, int width,
                        int height) {
    Camera c;
    c.position = eye;
    c.forward = (target - eye).normalized();
    c.right = c.forward.cross({0, 0, 1}).normalized();
    c.down = c.forward.cross(c.right);
    c.width = width;
    c.height = height;
    c.fx = c.fy = 0.5 * width / std::tan(0.5 * hfov_deg * kPi / 180.0);
    c.cx = 0.5 * width;
    c.cy = 0.5 * height;
    return c;
  }

  /// Depth of a world point along the optical axis, metres (<= 0: behind the camera).
  double depth(const Vec3& p) const { return (p - position).dot(forward); }

  /// @brief Projects a world point to pixel coordinates; @return false when behind the camera.
  bool project(const Vec3& p, double& u, double& v) const {
    const Vec3 d = p - position;
    const double z = d.dot(forward);
    if (z < 0.05) return false;
    u = cx + fx * d.dot(right) / z;
    v = cy + fy * d.dot(down) / z;
    return true;
  }

  /// World direction of the ray through pixel (u, v) (not normalised).
  Vec3 ray(double u, double v) const {
    return forward + right * ((u - cx) / fx) + down * ((v - cy) / fy);
  }
};

}  // namespace teamor::synth
