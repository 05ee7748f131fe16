# All dependencies are Debian packages installed by scripts/install-deps.sh;
# nothing is downloaded at build time.
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(HDF5 REQUIRED COMPONENTS C CXX)
find_package(nlohmann_json 3.9 REQUIRED)
find_package(spdlog REQUIRED)
find_package(Threads REQUIRED)
find_package(Boost 1.71 REQUIRED COMPONENTS program_options)

# HDF5's C++ API as one imported target (FindHDF5 only gives variables).
if(NOT TARGET vpucost_hdf5)
  add_library(vpucost_hdf5 INTERFACE)
  target_include_directories(vpucost_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
  target_compile_definitions(vpucost_hdf5 INTERFACE ${HDF5_DEFINITIONS})
  target_link_libraries(vpucost_hdf5 INTERFACE ${HDF5_CXX_LIBRARIES} ${HDF5_LIBRARIES})
endif()

# fast-cpp-csv-parser (Debian libfccp-dev) is a single header.
find_path(FCCP_INCLUDE_DIR libfccp/csv.h REQUIRED)

# ONNX import (network/, issue #19): Debian's libonnx-dev (generated protobuf
# classes, shape inference) over libprotobuf-dev.
find_package(Protobuf REQUIRED)
find_package(ONNX REQUIRED CONFIG)
