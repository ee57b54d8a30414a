#pragma once
// A fresh temporary folder per test, removed afterwards.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace teamor::app::testing {

inline std::filesystem::path make_test_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const auto dir = std::filesystem::temp_directory_path() /
                   ("teamor_app_" + std::string(info->test_suite_name()) + "_" + info->name() +
                    "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void touch(const std::filesystem::path& path, const std::string& text = "x") {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace teamor::app::testing
