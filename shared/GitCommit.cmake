# Writes OUTPUT, a C++ file defining veza::kCommit (VezaCommit.h): COMMIT when given, else the
# commit of SOURCE_DIR's checkout asked from GIT, else "unknown" (no git, not a checkout). Run
# at every build; the file is rewritten only when the commit changed, so nothing recompiles
# otherwise.
set(commit "${COMMIT}")
if(NOT commit AND GIT)
    execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                    OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE result ERROR_QUIET)
    if(NOT result EQUAL 0 OR NOT commit MATCHES "^[0-9a-f]+$")
        set(commit "")
    endif()
endif()
if(NOT commit)
    set(commit "unknown")
endif()

set(content "// Generated at build time by shared/GitCommit.cmake.
#include \"VezaCommit.h\"

namespace veza {
const char kCommit[] = \"${commit}\";
} // namespace veza
")
set(previous "")
if(EXISTS "${OUTPUT}")
    file(READ "${OUTPUT}" previous)
endif()
if(NOT previous STREQUAL content)
    file(WRITE "${OUTPUT}" "${content}")
endif()
