# The veza-server Debian package, built by CPack (`packaging/dev deb`, or `cpack` in the build
# directory): /usr/bin/veza-server, its systemd unit, environment file (a conffile), sysctl
# file, manual page and documentation, and the maintainer scripts that create the veza user and
# run the service (docs/operations.md, "Hosts without containers"). Included from the top-level
# CMakeLists.txt.
#
# What only the package installs is in the component `deb`, left out of a plain
# `cmake --install` (EXCLUDE_FROM_ALL): its destinations are absolute (/etc, /lib/systemd).

find_program(VEZA_HELP2MAN help2man REQUIRED) # packaging/install-deps.sh installs it
find_program(VEZA_GZIP gzip REQUIRED)

set(VEZA_DEB_MAINTAINER "Veza maintainers <maintainers@veza.live>"
    CACHE STRING "Maintainer field of the veza-server Debian package")
set(VEZA_DEB_REVISION 1 CACHE STRING "Debian revision of the veza-server package")
set(VEZA_DEB_VERSION "${PROJECT_VERSION}-${VEZA_DEB_REVISION}")

set(_source ${PROJECT_SOURCE_DIR}/packaging)
set(_out ${CMAKE_BINARY_DIR}/packaging/deb)
set(_doc share/doc/veza-server) # under /usr

# changelog.Debian.gz and the docs, compressed as Debian policy wants (gzip -9, no name or time
# stamp, so the same input gives the same bytes).
string(TIMESTAMP VEZA_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${_source}/deb/changelog.in ${_out}/changelog.Debian @ONLY)
set(_gzipped)
foreach(_pair "${_out}/changelog.Debian|changelog.Debian.gz"
              "${PROJECT_SOURCE_DIR}/docs/operations.md|operations.md.gz"
              "${PROJECT_SOURCE_DIR}/docs/configuration.md|configuration.md.gz")
    string(REPLACE "|" ";" _pair "${_pair}")
    list(GET _pair 0 _input)
    list(GET _pair 1 _name)
    add_custom_command(OUTPUT ${_out}/${_name}
        COMMAND ${VEZA_GZIP} -9n -c ${_input} > ${_out}/${_name}
        DEPENDS ${_input}
        VERBATIM)
    list(APPEND _gzipped ${_out}/${_name})
endforeach()

# The manual page, from --help, so it lists every variable with its default.
add_custom_command(OUTPUT ${_out}/veza-server.1.gz
    COMMAND ${VEZA_HELP2MAN} --no-info --no-discard-stderr
            --version-string=${PROJECT_VERSION}
            "--name=live-audio server: WebSocket chat, streaming, HTTP API"
            --include=${_source}/deb/veza-server.h2m
            --output=${_out}/veza-server.1 $<TARGET_FILE:veza-server>
    COMMAND ${VEZA_GZIP} -9n -f ${_out}/veza-server.1
    DEPENDS veza-server ${_source}/deb/veza-server.h2m
    VERBATIM)
add_custom_target(veza_deb_files ALL DEPENDS ${_gzipped} ${_out}/veza-server.1.gz)

install(FILES ${_source}/systemd/veza-server.service
        DESTINATION /lib/systemd/system COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES ${_source}/systemd/veza-server.env
        DESTINATION /etc/veza COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES ${_source}/systemd/99-veza.conf
        DESTINATION lib/sysctl.d COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES ${_out}/veza-server.1.gz
        DESTINATION share/man/man1 COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES ${_source}/deb/copyright ${_gzipped}
        DESTINATION ${_doc} COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES ${_source}/deb/lintian-overrides RENAME veza-server
        DESTINATION share/lintian/overrides COMPONENT deb EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME veza-server)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR})
# The server binary (component server) and the files above, nothing of the console.
set(CPACK_INSTALL_CMAKE_PROJECTS
    "${CMAKE_BINARY_DIR};veza;server;/"
    "${CMAKE_BINARY_DIR};veza;deb;/")
# Installed under a DESTDIR, so that the absolute destinations land in the package, not on
# this machine; the prefix is then CPACK_INSTALL_PREFIX.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "live-audio server: WebSocket chat and Icecast-compatible streaming")
# Lines of at most 79 characters (lintian: extended-description-line-too-long).
set(CPACK_PACKAGE_DESCRIPTION
    "veza-server is the real-time core of the Veza live-audio platform: WebSocket
chat with rooms and history, live audio streams received from Icecast sources
and served as Opus, AAC and MP3, an HTTP API, health checks and Prometheus
metrics. It keeps its data in SQLite or PostgreSQL and shares its work with
other instances through Redis.

This package runs it as the systemd service veza-server, configured in
/etc/veza/veza-server.env.")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # veza-server_<version>-<revision>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE ${VEZA_DEB_REVISION})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${VEZA_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The libraries veza-server links, found by dpkg-shlibdeps; Qt's SQL drivers are plugins it
# loads by name (SQLite, PostgreSQL), which dpkg-shlibdeps cannot see; adduser for postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, libqt6sql6-sqlite, libqt6sql6-psql")
# The system's CAs for rediss:// and outgoing https (ADVERTISE_URL relays).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${_source}/deb/postinst ${_source}/deb/prerm ${_source}/deb/postrm
    ${_source}/deb/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
