# veza_add_qtest(<name> SOURCES ... [LIBS ...] [LABELS ...] [TIMEOUT s] [ALSO_ON_POSTGRESQL]
#                [ON_A_DESKTOP])
# Builds a QtTest executable and registers it with CTest under the given labels.
# ALSO_ON_POSTGRESQL registers it a second time as <name>_postgresql (label postgresql), with
# VEZA_TEST_DATABASE=postgresql: the servers it starts (ServerProcess) run on a throwaway
# PostgreSQL cluster instead of SQLite. ON_A_DESKTOP runs it on a throwaway X display with a
# system tray (tests/console/on-a-desktop.sh) instead of Qt's offscreen platform.
function(veza_add_qtest name)
    cmake_parse_arguments(ARG "ALSO_ON_POSTGRESQL;ON_A_DESKTOP" "TIMEOUT" "SOURCES;LIBS;LABELS"
                          ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    veza_set_warnings(${name})
    if(ARG_ON_A_DESKTOP)
        add_test(NAME ${name}
                 COMMAND ${PROJECT_SOURCE_DIR}/tests/console/on-a-desktop.sh $<TARGET_FILE:${name}>)
    else()
        add_test(NAME ${name} COMMAND ${name})
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    set_tests_properties(${name} PROPERTIES
        LABELS "${ARG_LABELS}"
        TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;VEZA_SERVER_BINARY=$<TARGET_FILE:veza-server>;VEZA_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
    if(ARG_ALSO_ON_POSTGRESQL)
        add_test(NAME ${name}_postgresql COMMAND ${name})
        set_tests_properties(${name}_postgresql PROPERTIES
            LABELS "${ARG_LABELS};postgresql"
            TIMEOUT ${ARG_TIMEOUT}
            ENVIRONMENT "QT_QPA_PLATFORM=offscreen;VEZA_SERVER_BINARY=$<TARGET_FILE:veza-server>;VEZA_SOURCE_DIR=${PROJECT_SOURCE_DIR};VEZA_TEST_DATABASE=postgresql")
    endif()
endfunction()
