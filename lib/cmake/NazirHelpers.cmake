# nazir_add_module(<name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
#   Defines static library nazir_<name> with alias nazir::<name>. DEPS are public
#   (other nazir modules, absl); PRIVATE_DEPS stay out of the public interface
#   (ICU, xxHash, Eigen, simdjson). Hot kernels are compiled at -O3 in every
#   optimized configuration.
function(nazir_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(nazir_${name} STATIC ${ARG_SOURCES})
  add_library(nazir::${name} ALIAS nazir_${name})
  target_include_directories(nazir_${name}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/lib/include>
    PRIVATE ${PROJECT_SOURCE_DIR}/lib)
  target_link_libraries(nazir_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS}
                        $<BUILD_INTERFACE:nazir_build_flags>)
  set_target_properties(nazir_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# nazir_add_test(<name> SOURCES ... [DEPS ...] [LABELS ...])
#   One GoogleTest executable per test file group, registered with CTest via
#   gtest_discover_tests. Tests run with the repository root as working
#   directory so they can find tests/golden and datasets/.
function(nazir_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main
                        nazir_build_flags)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/lib ${PROJECT_SOURCE_DIR})
  target_compile_definitions(${name} PRIVATE
    NAZIR_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    NAZIR_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
  # A test without LABELS is labelled with its directory (the module it
  # tests), so `ctest -L sketch` runs the sketch module's tests whatever their
  # names. One label only: gtest_discover_tests does not pass a list through.
  if(ARG_LABELS)
    set(_label ${ARG_LABELS})
  else()
    get_filename_component(_label ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  endif()
  include(GoogleTest)
  gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                       PROPERTIES LABELS "${_label}" DISCOVERY_TIMEOUT 60)
endfunction()

# nazir_add_bench(<name> SOURCES ... [DEPS ...])
function(nazir_add_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark nazir_build_flags)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/lib)
  target_compile_definitions(${name} PRIVATE NAZIR_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                             NAZIR_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
endfunction()
