include(GoogleTest)

# teamor_add_test(NAME <target> SOURCES ... LIBS ...)
# One GoogleTest binary per library; tests are discovered when ctest runs (not at build time, so a
# LibTorch binary's start-up does not slow the build). TEAMOR_SHARED_DIR and TEAMOR_SOURCE_DIR are
# compiled in so tests find ../shared and tests/data from any working directory.
function(teamor_add_test)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${ARG_NAME} PRIVATE
    TEAMOR_SHARED_DIR="${TEAMOR_SHARED_DIR}"
    TEAMOR_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    TEAMOR_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  gtest_discover_tests(${ARG_NAME} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 120
    PROPERTIES TIMEOUT ${ARG_TIMEOUT})
endfunction()
