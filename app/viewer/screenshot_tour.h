#pragma once
// A scripted walk through the viewer's main states, grabbing a PNG of the window at each one
// (used by scripts/screenshots.sh under Xvfb, and to check the layout by eye).

#include <QString>

namespace teamor::ui {
class MainWindow;
}

namespace teamor::viewer {

/// @brief Drives @p window through its main states and writes NN-name.png files into @p out_dir.
/// @param broken_recording optional recording with an unplayable view, shown last
/// @return number of screenshots written
int run_screenshot_tour(ui::MainWindow& window, const QString& out_dir,
                        const QString& broken_recording = {});

}  // namespace teamor::viewer
