#pragma once

#include <QString>

// `veza-server --version`: what an operator or a package check reads to know which build runs
// (the same version and commit as the veza_build_info metric).
namespace veza::cli {

// "veza-server 0.1.0 (commit 7846571abcde)"; the commit is "unknown" for a build without git.
QString versionLine(const QString &program);

} // namespace veza::cli
