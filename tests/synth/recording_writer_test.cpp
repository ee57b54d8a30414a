// render_recording end to end on a short, small recording: files, manifest, ActivityNet ground
// truth, frame codes in the decoded ceiling videos, the laparoscope following the phases, agreement
// of the views, determinism for a seed, cancellation.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/synth/synth.h"
#include "common/error.h"
#include "io/frame_code.h"
#include "io/recording.h"

namespace fs = std::filesystem;
using teamor::synth::SynthOptions;
using teamor::synth::SynthResult;

namespace {

constexpr int kWidth = 192, kHeight = 108;

SynthOptions small_options(std::uint64_t seed) {
  SynthOptions o;
  o.minutes = 1.0;
  o.views = 3;
  o.fps = 10;
  o.width = kWidth;
  o.height = kHeight;
  o.seed = seed;
  o.timeouts = 1;
  o.stops = 1;
  o.time_scale = 0.1;
  o.threads = 2;
  return o;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool has_ffmpeg_cli() {
  return std::system("ffmpeg -version > /dev/null 2>&1") == 0;
}

/// Every frame of @p path as packed RGB24 bytes, decoded by the ffmpeg CLI.
std::vector<std::vector<std::uint8_t>> decode(const fs::path& path) {
  const std::string cmd =
      "ffmpeg -v error -i '" + path.string() + "' -f rawvideo -pix_fmt rgb24 - 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  std::vector<std::vector<std::uint8_t>> frames;
  if (!pipe) return frames;
  std::vector<std::uint8_t> frame(static_cast<std::size_t>(kWidth) * kHeight * 3);
  while (fread(frame.data(), 1, frame.size(), pipe.get()) == frame.size())
    frames.push_back(frame);
  return frames;
}

teamor::io::Frame as_frame(const std::vector<std::uint8_t>& rgb) {
  teamor::io::Frame f;
  f.width = kWidth;
  f.height = kHeight;
  f.stride = kWidth * 3;
  f.pixel_format = teamor::io::PixelFormat::Rgb24;
  f.data = rgb;
  return f;
}

/// Mean of channel @p c over the central region of an RGB frame.
double center_mean(const std::vector<std::uint8_t>& rgb, int c) {
  double sum = 0;
  int n = 0;
  for (int y = kHeight / 3; y < 2 * kHeight / 3; ++y)
    for (int x = kWidth / 3; x < 2 * kWidth / 3; ++x, ++n)
      sum += rgb[(y * kWidth + x) * 3 + c];
  return sum / n;
}

double mean_abs_diff(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    sum += std::abs(int(a[i]) - int(b[i]));
  return sum / a.size();
}

class SynthRecording : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One folder per process: ctest runs each test in its own process, two at a time.
    dir_ = fs::temp_directory_path() / ("teamor_synth_test_a_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    result_ =
        std::make_unique<SynthResult>(teamor::synth::render_recording(small_options(7), dir_));
  }
  static void TearDownTestSuite() {
    result_.reset();
    fs::remove_all(dir_);
  }
  static inline fs::path dir_;
  static inline std::unique_ptr<SynthResult> result_;
};

}  // namespace

TEST_F(SynthRecording, WritesVideosManifestAndGroundTruth) {
  ASSERT_EQ(result_->videos.size(), 3u);
  EXPECT_EQ(result_->videos[0].filename(), "ceiling1.mp4");
  EXPECT_EQ(result_->videos[1].filename(), "ceiling2.mp4");
  EXPECT_EQ(result_->videos[2].filename(), "endoscope.mp4");
  for (const auto& v : result_->videos)
    EXPECT_TRUE(fs::exists(v)) << v;
  EXPECT_EQ(result_->frames_per_view, 600);

  const auto manifest = nlohmann::json::parse(read_text(dir_ / "recording.json"));
  EXPECT_EQ(manifest["id"], "synth-7");
  ASSERT_EQ(manifest["views"].size(), 3u);
  EXPECT_EQ(manifest["views"][0]["name"], "ceiling1");
  EXPECT_EQ(manifest["views"][0]["path"], "ceiling1.mp4");
  EXPECT_EQ(manifest["views"][0]["role"], "ceiling");
  EXPECT_EQ(manifest["views"][2]["role"], "endoscope");
  EXPECT_EQ(manifest["views"][1]["offset_s"], 0.0);
  EXPECT_EQ(manifest["annotations"], "ground_truth.json");

  const auto rec = teamor::io::Recording::open(dir_);
  EXPECT_EQ(rec.id, "synth-7");
  ASSERT_EQ(rec.views.size(), 3u);
  EXPECT_EQ(rec.views[2].role, teamor::io::ViewRole::Endoscope);
  EXPECT_EQ(rec.views[0].path, fs::canonical(dir_ / "ceiling1.mp4"));
  ASSERT_TRUE(rec.annotations.has_value());
  EXPECT_NO_THROW(rec.check_views_exist());
}

TEST_F(SynthRecording, GroundTruthIsActivityNetWithTheRequestedProtocols) {
  const auto gt = nlohmann::json::parse(read_text(dir_ / "ground_truth.json"));
  EXPECT_EQ(gt["version"], "VERSION 1.3");
  EXPECT_TRUE(gt["taxonomy"].is_array());
  const auto& entry = gt["database"]["synth-7"];
  EXPECT_EQ(entry["subset"], "validation");
  EXPECT_DOUBLE_EQ(entry["duration"].get<double>(), 60.0);
  EXPECT_DOUBLE_EQ(entry["fps"].get<double>(), 10.0);
  const auto& anns = entry["annotations"];
  ASSERT_EQ(anns.size(), 2u);
  EXPECT_EQ(anns[0]["label"], "Time-out");
  EXPECT_EQ(anns[1]["label"], "StOP?");
  const double to_len = anns[0]["segment"][1].get<double>() - anns[0]["segment"][0].get<double>();
  const double stop_len = anns[1]["segment"][1].get<double>() - anns[1]["segment"][0].get<double>();
  EXPECT_GE(to_len, 6.0 - 1e-3);
  EXPECT_LE(to_len, 15.0 + 1e-3);
  EXPECT_GE(stop_len, 3.0 - 1e-3);
  EXPECT_LE(stop_len, 9.0 + 1e-3);
  EXPECT_LT(anns[0]["segment"][1].get<double>(), result_->incision_s);
  EXPECT_GT(anns[1]["segment"][0].get<double>(), result_->incision_s);
  EXPECT_LT(anns[1]["segment"][1].get<double>(), result_->scope_removed_s);
  ASSERT_EQ(result_->ground_truth.size(), 2u);
  EXPECT_DOUBLE_EQ(result_->ground_truth[0].start_s, anns[0]["segment"][0].get<double>());
}

TEST_F(SynthRecording, DecodedCeilingFramesCarryTheirIndex) {
  if (!has_ffmpeg_cli()) GTEST_SKIP() << "ffmpeg CLI not installed";
  for (int v = 0; v < 2; ++v) {
    const auto frames = decode(result_->videos[v]);
    ASSERT_EQ(frames.size(), 600u);
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const auto code = teamor::io::read_frame_code(as_frame(frames[i]));
      ASSERT_TRUE(code.has_value()) << "view " << v << " frame " << i;
      ASSERT_EQ(*code, i) << "view " << v;
    }
  }
}

TEST_F(SynthRecording, LaparoscopeDarkBeforeIncisionTexturedAfterFrozenInStop) {
  if (!has_ffmpeg_cli()) GTEST_SKIP() << "ffmpeg CLI not installed";
  const auto frames = decode(result_->videos[2]);
  ASSERT_EQ(frames.size(), 600u);
  const auto& gt = result_->ground_truth;
  auto frame_at = [&](double t) { return frames[static_cast<std::size_t>(t * 10)]; };
  const double timeout_mid = 0.5 * (gt[0].start_s + gt[0].end_s);
  EXPECT_LT(center_mean(frame_at(timeout_mid), 0), 70) << "dark during the Time-out";
  const double surgery = result_->incision_s + 3;
  EXPECT_GT(center_mean(frame_at(surgery), 0), 110) << "red tissue after insertion";
  EXPECT_GT(center_mean(frame_at(surgery), 0), center_mean(frame_at(surgery), 2) + 30);
  EXPECT_LT(center_mean(frame_at(result_->scope_removed_s + 1), 0), 70) << "dark after removal";
  const double s0 = gt[1].start_s + 0.5, s1 = gt[1].end_s - 0.5;
  const double frozen = mean_abs_diff(frame_at(s0), frame_at(s1));
  const double moving = mean_abs_diff(frame_at(surgery), frame_at(surgery + 2));
  EXPECT_LT(frozen, 4.0);
  EXPECT_GT(moving, frozen + 4.0);
}

TEST_F(SynthRecording, ViewsAgreeOnWhereTheTableIs) {
  if (!has_ffmpeg_cli()) GTEST_SKIP() << "ffmpeg CLI not installed";
  ASSERT_EQ(result_->table_center_px.size(), 2u);
  for (int v = 0; v < 2; ++v) {
    const auto [u, pv] = result_->table_center_px[v];
    ASSERT_GT(u, 2);
    ASSERT_LT(u, kWidth - 2);
    ASSERT_GT(pv, 2);
    ASSERT_LT(pv, kHeight - 2);
    const auto frames = decode(result_->videos[v]);
    int drape = 0, checked = 0;
    for (std::size_t i = 0; i < frames.size(); i += 20, ++checked) {
      const auto* px = &frames[i][(static_cast<int>(pv) * kWidth + static_cast<int>(u)) * 3];
      if (px[2] > px[0] + 30) ++drape;  // blue-green drape: blue well above red
    }
    EXPECT_GE(drape * 10, checked * 7) << "view " << v << ": the table centre must show the drape";
  }
}

TEST_F(SynthRecording, TeamIsStillerInTimeoutThanInPreparation) {
  if (!has_ffmpeg_cli()) GTEST_SKIP() << "ffmpeg CLI not installed";
  const auto frames = decode(result_->videos[0]);
  const auto& to = result_->ground_truth[0];
  auto motion = [&](double t0, double t1) {
    double sum = 0;
    int n = 0;
    for (double t = t0; t + 1 <= t1; t += 1, ++n)
      sum += mean_abs_diff(frames[static_cast<std::size_t>(t * 10)],
                           frames[static_cast<std::size_t>((t + 1) * 10)]);
    return sum / n;
  };
  const double still = motion(to.start_s + 3, to.end_s - 1);
  const double prep = motion(0.5, to.start_s - 4);
  EXPECT_LT(still * 1.3, prep) << "still " << still << " prep " << prep;
}

TEST(SynthRecordingDeterminism, SameSeedSameBytesOtherSeedOtherRecording) {
  const auto a = fs::temp_directory_path() / "teamor_synth_test_det_a";
  const auto b = fs::temp_directory_path() / "teamor_synth_test_det_b";
  const auto c = fs::temp_directory_path() / "teamor_synth_test_det_c";
  for (const auto& d : {a, b, c})
    fs::remove_all(d);
  auto o = small_options(21);
  const auto ra = teamor::synth::render_recording(o, a);
  o.threads = 1;  // scheduling must not matter
  const auto rb = teamor::synth::render_recording(o, b);
  EXPECT_EQ(read_text(a / "ground_truth.json"), read_text(b / "ground_truth.json"));
  EXPECT_EQ(read_text(a / "recording.json"), read_text(b / "recording.json"));
  for (const auto& name : {"ceiling1.mp4", "ceiling2.mp4", "endoscope.mp4"}) {
    if (has_ffmpeg_cli()) {
      const auto fa = decode(a / name), fb = decode(b / name);
      ASSERT_EQ(fa.size(), fb.size());
      for (std::size_t i = 0; i < fa.size(); ++i)
        ASSERT_EQ(fa[i], fb[i]) << name << " frame " << i;
    }
    EXPECT_EQ(read_text(a / name), read_text(b / name)) << name;
  }
  o.seed = 22;
  const auto rc = teamor::synth::render_recording(o, c);
  EXPECT_NE(read_text(a / "ground_truth.json"), read_text(c / "ground_truth.json"));
  EXPECT_NE(read_text(a / "ceiling1.mp4"), read_text(c / "ceiling1.mp4"));
}

TEST(SynthRecordingErrors, CancelledRenderPublishesNoVideo) {
  const auto dir = fs::temp_directory_path() / "teamor_synth_test_cancel";
  fs::remove_all(dir);
  teamor::CancelToken cancel;
  cancel.cancel();
  EXPECT_THROW(teamor::synth::render_recording(small_options(3), dir, {}, &cancel),
               teamor::CancelledError);
  ASSERT_TRUE(fs::exists(dir));
  EXPECT_TRUE(fs::is_empty(dir)) << "no video, temporary file or manifest may remain";
}

TEST(SynthRecordingErrors, InvalidOptionsThrowBeforeWriting) {
  const auto dir = fs::temp_directory_path() / "teamor_synth_test_invalid";
  fs::remove_all(dir);
  auto o = small_options(3);
  o.views = 1;
  EXPECT_THROW(teamor::synth::render_recording(o, dir), teamor::ConfigError);
  EXPECT_FALSE(fs::exists(dir));
}

TEST(SynthRecordingErrors, UnwritableFolderIsAnIoError) {
  auto o = small_options(3);
  EXPECT_THROW(teamor::synth::render_recording(o, "/proc/teamor_cannot_write_here"),
               teamor::IoError);
}
