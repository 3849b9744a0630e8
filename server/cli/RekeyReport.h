#pragma once

#include <QString>
#include <QStringList>

namespace veza::crypto {
class KeyRing;
}
namespace veza::rekey {
class KeyCensus;
struct TableProgress;
} // namespace veza::rekey

// The lines `veza-server rekey` prints, as text only (no I/O), so the wording is in one place.
// Key ids are printed, never keys.
namespace veza::cli::rekeyreport {

// A table of sealed rows: one line per key id (the configured ones first, even when they seal
// nothing, then the unknown ones found), one column per sealed table; a previous key that
// seals nothing is marked as removable.
QStringList censusTable(const rekey::KeyCensus &census, const crypto::KeyRing &ring);

// "messages: 1500/12000 rows (12%), 3400 rows/s", or the finished form with the elapsed time,
// followed by a line per unknown key id and one for damaged rows.
QStringList progressLines(const rekey::TableProgress &progress);

// What the counts mean for the operator: whether a previous key may be dropped, and what is
// left otherwise. `afterRekey`: the counts follow a run (rows under a previous key were then
// written meanwhile, or are damaged).
QStringList verdict(const rekey::KeyCensus &census, const crypto::KeyRing &ring, bool afterRekey);

// True when every sealed row is under the current key.
bool allCurrent(const rekey::KeyCensus &census, const crypto::KeyRing &ring);

} // namespace veza::cli::rekeyreport
