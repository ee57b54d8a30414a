#include "common/atomic_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/error.h"

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("teamor_common_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(AtomicFile, WritesAndReplaces) {
  auto dir = fresh_dir("replace");
  auto path = dir / "out.txt";
  teamor::write_file_atomically(path, "first");
  EXPECT_EQ(slurp(path), "first");
  teamor::write_file_atomically(path, "second");
  EXPECT_EQ(slurp(path), "second");
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
}

TEST(AtomicFile, AbandonedWriterKeepsOldContent) {
  auto dir = fresh_dir("abandon");
  auto path = dir / "keep.txt";
  teamor::write_file_atomically(path, "old");
  {
    teamor::AtomicFileWriter writer(path);
    writer.stream() << "half written";
  }  // destroyed without commit: simulates an error while writing
  EXPECT_EQ(slurp(path), "old");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
}

TEST(AtomicFile, MissingFolderIsAnIoErrorNamingThePath) {
  auto path = std::filesystem::temp_directory_path() / "teamor_no_such_dir" / "x.txt";
  try {
    teamor::write_file_atomically(path, "x");
    FAIL() << "expected IoError";
  } catch (const teamor::IoError& e) {
    EXPECT_NE(std::string(e.what()).find("teamor_no_such_dir"), std::string::npos);
  }
}
