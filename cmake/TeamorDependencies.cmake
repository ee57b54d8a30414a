# All dependencies are Debian packages; scripts/install-deps.sh installs them.
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(pugixml REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)

# LibTorch: Debian's libtorch-dev (CPU) by default; a pip torch via CMAKE_PREFIX_PATH for CUDA builds.
find_package(Torch REQUIRED)

if(TEAMOR_WITH_MEDIA)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libavutil libswscale)
  find_package(OpenCV 4 REQUIRED COMPONENTS core imgproc video dnn videoio)
endif()

if(TEAMOR_WITH_UI_EFFECTIVE)
  find_package(Qt6 REQUIRED COMPONENTS Core Gui Widgets PrintSupport Test Concurrent)
endif()

if(TEAMOR_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(TEAMOR_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
