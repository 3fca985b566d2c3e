# Debian's libxxhash-dev ships only a pkg-config file; wrap it as XXHash::xxhash.
find_package(PkgConfig REQUIRED)
pkg_check_modules(XXHASH QUIET IMPORTED_TARGET libxxhash)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(XXHash REQUIRED_VARS XXHASH_FOUND VERSION_VAR XXHASH_VERSION)
if(XXHash_FOUND AND NOT TARGET XXHash::xxhash)
  add_library(XXHash::xxhash ALIAS PkgConfig::XXHASH)
endif()
