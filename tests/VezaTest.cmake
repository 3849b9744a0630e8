# veza_add_qtest(<name> SOURCES ... [LIBS ...] [LABELS ...] [TIMEOUT s])
# Builds a QtTest executable and registers it with CTest under the given labels.
function(veza_add_qtest name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    veza_set_warnings(${name})
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    set_tests_properties(${name} PROPERTIES
        LABELS "${ARG_LABELS}"
        TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;VEZA_SERVER_BINARY=$<TARGET_FILE:veza-server>;VEZA_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
