// GoogleTest main for the viewer tests: one QApplication for all tests (offscreen platform, set by
// ctest through QT_QPA_PLATFORM; set here too so the binary also runs by hand without a display).

#include <gtest/gtest.h>

#include <QApplication>
#include <cstdlib>

int main(int argc, char** argv) {
  setenv("QT_QPA_PLATFORM", "offscreen", 0);
  QApplication app(argc, argv);
  QApplication::setOrganizationName("teamor-tests");
  QApplication::setApplicationName("teamor-viewer-tests");
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
