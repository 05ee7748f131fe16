# `cmake --install` exports the libraries so that another project can
#   find_package(vpucost) and target_link_libraries(app vpucost::costmodel)
# (and vpucost::network, vpucost::nas).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS vpucost_costmodel vpucost_hdf5
        EXPORT vpucostTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY costmodel/include/vpucost DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# vpucost::network (layers and networks on the device) and vpucost::nas
# install next to it: their headers share the vpucost/ include folder.
install(TARGETS vpucost_network EXPORT vpucostTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY network/include/vpucost DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET vpucost_nas)
  install(TARGETS vpucost_nas EXPORT vpucostTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY nas/include/vpucost DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()
install(TARGETS vpucost RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT vpucostTargets NAMESPACE vpucost::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/vpucost)
configure_package_config_file(cmake/vpucostConfig.cmake.in
        ${CMAKE_CURRENT_BINARY_DIR}/vpucostConfig.cmake
        INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/vpucost)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/vpucostConfigVersion.cmake
        COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/vpucostConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/vpucostConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/vpucost)
