// Recording: the recording.json manifest (strict) and discovery of a plain folder of videos.
#include "io/recording.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "common/error.h"
#include "tests/io/video_fixtures.h"

namespace {

namespace fs = std::filesystem;
using teamor::FormatError;
using teamor::IoError;
using teamor::io::View;
using teamor::io::ViewRole;
using teamor::io::testing::TempDir;
using RecordingClass = teamor::io::Recording;

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

/// Opens a manifest with @p text and returns the FormatError it must raise.
FormatError manifest_error(const TempDir& dir, const std::string& text) {
  write(dir / "recording.json", text);
  try {
    RecordingClass::open(dir.path());
  } catch (const FormatError& e) {
    return e;
  }
  ADD_FAILURE() << "no FormatError for: " << text;
  return FormatError("none");
}

TEST(Recording, OpensAManifestWithRelativePathsRolesAndOffsets) {
  TempDir dir;
  write(dir / "videos/cam1.mp4", "x");
  write(dir / "lap.mkv", "x");
  write(dir / "recording.json", R"({
    "id": "OR12",
    "views": [
      {"name": "ceiling1", "path": "videos/cam1.mp4", "role": "ceiling", "offset_s": 0.5},
      {"name": "scope", "path": "lap.mkv", "role": "endoscope", "offset_s": -1.25},
      {"name": "extra", "path": "videos/../lap.mkv"}
    ],
    "annotations": "gt/ground_truth.json"
  })");
  for (const fs::path& where : {dir.path(), dir / "recording.json"}) {
    const RecordingClass rec = RecordingClass::open(where);
    EXPECT_EQ(rec.id, "OR12");
    EXPECT_EQ(rec.root, dir.path());
    EXPECT_EQ(rec.manifest, dir / "recording.json");
    ASSERT_EQ(rec.views.size(), 3u);
    EXPECT_EQ(rec.views[0].name, "ceiling1");
    EXPECT_EQ(rec.views[0].path, dir / "videos/cam1.mp4");
    EXPECT_EQ(rec.views[0].role, ViewRole::Ceiling);
    EXPECT_DOUBLE_EQ(rec.views[0].offset_s, 0.5);
    EXPECT_EQ(rec.views[1].role, ViewRole::Endoscope);
    EXPECT_DOUBLE_EQ(rec.views[1].offset_s, -1.25);
    EXPECT_EQ(rec.views[2].role, ViewRole::Other);  // defaults
    EXPECT_DOUBLE_EQ(rec.views[2].offset_s, 0.0);
    EXPECT_EQ(rec.views[2].path, dir / "lap.mkv");
    ASSERT_TRUE(rec.annotations.has_value());
    EXPECT_EQ(*rec.annotations, dir / "gt/ground_truth.json");
    EXPECT_NO_THROW(rec.check_views_exist());
  }
}

TEST(Recording, UnknownKeysAndWrongTypesNameTheKey) {
  TempDir dir;
  struct Case {
    std::string json;
    std::string key;
  };
  const Case cases[] = {
      {R"({"id": "a", "views": [{"name": "v", "path": "v.mp4"}], "fps": 30})", "fps"},
      {R"({"id": "a", "views": [{"name": "v", "path": "v.mp4", "offset": 1}]})", "views[0].offset"},
      {R"({"id": 7, "views": [{"name": "v", "path": "v.mp4"}]})", "id"},
      {R"({"id": "a", "views": {"name": "v"}})", "views"},
      {R"({"id": "a", "views": [{"name": "v", "path": "v.mp4", "offset_s": "1.5"}]})",
       "views[0].offset_s"},
      {R"({"id": "a", "views": [{"name": "v", "path": "v.mp4", "role": "wall"}]})",
       "views[0].role"},
      {R"({"id": "a", "views": [{"name": "v", "path": 3}]})", "views[0].path"},
      {R"({"id": "a", "views": [{"path": "v.mp4"}]})", "views[0].name"},
      {R"({"id": "a", "views": [{"name": "v"}]})", "views[0].path"},
      {R"({"id": "a", "views": [{"name": "v", "path": "a.mp4"}, {"name": "v", "path": "b.mp4"}]})",
       "views[1].name"},
      {R"({"id": "a"})", "views"},
      {R"({"id": "a", "views": []})", "views"},
      {R"({"id": "a", "views": [], "annotations": false})", "annotations"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    const FormatError e = manifest_error(dir, c.json);
    EXPECT_EQ(e.position(), "key '" + c.key + "'");
    EXPECT_EQ(e.file(), (dir / "recording.json").string());
    EXPECT_NE(std::string(e.what()).find(c.key), std::string::npos);
  }
}

TEST(Recording, InvalidJsonGivesTheBytePosition) {
  TempDir dir;
  const FormatError e = manifest_error(dir, R"({"id": "a", "views": [})");
  EXPECT_NE(e.position().find("byte"), std::string::npos);
  EXPECT_EQ(e.file(), (dir / "recording.json").string());
}

TEST(Recording, DiscoversAPlainFolderOfVideos) {
  TempDir dir;
  write(dir / "OR3/cam_a.mp4", "x");
  write(dir / "OR3/cam_b.MKV", "x");
  write(dir / "OR3/laparoscope.avi", "x");
  write(dir / "OR3/notes.txt", "not a video");
  const RecordingClass rec = RecordingClass::open(dir / "OR3");
  EXPECT_EQ(rec.id, "OR3");
  EXPECT_TRUE(rec.manifest.empty());
  ASSERT_EQ(rec.views.size(), 3u);
  EXPECT_EQ(rec.views[0].name, "cam_a");
  EXPECT_EQ(rec.views[0].role, ViewRole::Ceiling);
  EXPECT_EQ(rec.views[1].name, "cam_b");
  EXPECT_EQ(rec.views[2].name, "laparoscope");
  EXPECT_EQ(rec.views[2].role, ViewRole::Endoscope);
  EXPECT_EQ(rec.views[2].path, dir / "OR3/laparoscope.avi");
  EXPECT_FALSE(rec.annotations.has_value());
}

TEST(Recording, MissingOrEmptyPlacesThrowIoError) {
  TempDir dir;
  EXPECT_THROW(RecordingClass::open(dir / "nothing-here"), IoError);
  fs::create_directories(dir / "empty");
  write(dir / "empty/readme.txt", "no videos");
  try {
    RecordingClass::open(dir / "empty");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_EQ(e.file(), (dir / "empty").string());
  }
}

TEST(Recording, MissingOrUnreadableViewsNameTheViewAndTheFile) {
  TempDir dir;
  write(dir / "cam1.mp4", "x");
  write(dir / "recording.json", R"({"id": "r", "views": [
      {"name": "ceiling1", "path": "cam1.mp4"}, {"name": "ceiling2", "path": "cam2.mp4"}]})");
  const RecordingClass rec = RecordingClass::open(dir.path());
  try {
    rec.check_views_exist();
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("ceiling2"), std::string::npos);
    EXPECT_EQ(e.file(), (dir / "cam2.mp4").string());
  }
  write(dir / "cam2.mp4", "x");
  EXPECT_NO_THROW(rec.check_views_exist());
  if (::geteuid() != 0) {  // root reads everything; the permission check only works for users
    ::chmod((dir / "cam2.mp4").c_str(), 0);
    EXPECT_THROW(rec.check_views_exist(), IoError);
  }
}

TEST(Recording, SavesAManifestThatOpensToTheSameRecording) {
  TempDir dir;
  RecordingClass rec;
  rec.id = "saved";
  rec.views = {View{"c1", dir / "v/c1.mp4", ViewRole::Ceiling, 0.25},
               View{"endo", dir / "endo.mp4", ViewRole::Endoscope, -3.0}};
  rec.annotations = dir / "gt.json";
  rec.save(dir / "recording.json");
  std::ifstream in(dir / "recording.json");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"v/c1.mp4\""), std::string::npos) << "paths are stored relative";
  const RecordingClass back = RecordingClass::open(dir / "recording.json");
  EXPECT_EQ(back.id, "saved");
  ASSERT_EQ(back.views.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back.views[i].name, rec.views[i].name);
    EXPECT_EQ(back.views[i].path, rec.views[i].path);
    EXPECT_EQ(back.views[i].role, rec.views[i].role);
    EXPECT_DOUBLE_EQ(back.views[i].offset_s, rec.views[i].offset_s);
  }
  EXPECT_EQ(back.annotations, rec.annotations);
  EXPECT_EQ(teamor::io::to_string(ViewRole::Endoscope), "endoscope");
}

}  // namespace
