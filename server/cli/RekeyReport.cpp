#include "cli/RekeyReport.h"

#include "crypto/KeyRing.h"
#include "rekey/KeyCensus.h"
#include "rekey/Rekeyer.h"
#include "rekey/SealedTables.h"

namespace veza::cli::rekeyreport {

using rekey::KeyCensus;

namespace {

constexpr int kKeyWidth = 18;
constexpr int kRoleWidth = 10;
constexpr int kCountWidth = 10;

qint64 rowsOf(const KeyCensus &census, const QString &keyId, const QString &table)
{
    qint64 rows = 0;
    for (const KeyCensus::Count &count : census.counts()) {
        if (count.keyId == keyId && count.table == table)
            rows += count.rows;
    }
    return rows;
}

QString seconds(qint64 us)
{
    return QString::number(double(us) / 1e6, 'f', 1);
}

} // namespace

QStringList censusTable(const KeyCensus &census, const crypto::KeyRing &ring)
{
    QStringList keyIds = ring.keyIds();
    for (const KeyCensus::Count &count : census.counts()) {
        if (!keyIds.contains(count.keyId))
            keyIds.append(count.keyId);
    }
    QString header = QStringLiteral("  ") + QStringLiteral("key id").leftJustified(kKeyWidth) +
                     QStringLiteral("role").leftJustified(kRoleWidth);
    for (const rekey::SealedTable &table : rekey::sealedTables())
        header += table.name.rightJustified(kCountWidth);
    QStringList lines{header};
    for (const QString &keyId : std::as_const(keyIds)) {
        const KeyCensus::Role role = KeyCensus::roleOf(ring, keyId);
        QString line = QStringLiteral("  ") + keyId.leftJustified(kKeyWidth) +
                       KeyCensus::roleName(role).leftJustified(kRoleWidth);
        qint64 total = 0;
        for (const rekey::SealedTable &table : rekey::sealedTables()) {
            const qint64 rows = rowsOf(census, keyId, table.name);
            total += rows;
            line += QString::number(rows).rightJustified(kCountWidth);
        }
        if (role == KeyCensus::Role::Previous && total == 0)
            line += QStringLiteral("   seals nothing: can be removed");
        lines.append(line);
    }
    return lines;
}

QStringList progressLines(const rekey::TableProgress &progress)
{
    QStringList lines;
    if (progress.finished && progress.total == 0) {
        lines.append(QStringLiteral("%1: nothing to re-encrypt").arg(progress.table));
        return lines;
    }
    const QString rate = QString::number(qRound64(progress.rowsPerSecond()));
    if (progress.finished) {
        lines.append(QStringLiteral("%1: %2/%3 rows done, %4 re-encrypted in %5 s (%6 rows/s)")
                         .arg(progress.table)
                         .arg(progress.done())
                         .arg(progress.total)
                         .arg(progress.reencrypted)
                         .arg(seconds(progress.elapsedUs), rate));
    } else {
        const qint64 percent = progress.total > 0 ? progress.done() * 100 / progress.total : 100;
        lines.append(QStringLiteral("%1: %2/%3 rows (%4%), %5 rows/s")
                         .arg(progress.table)
                         .arg(progress.done())
                         .arg(progress.total)
                         .arg(percent)
                         .arg(rate));
    }
    if (!progress.finished)
        return lines;
    for (auto it = progress.unknownKeys.cbegin(); it != progress.unknownKeys.cend(); ++it)
        lines.append(QStringLiteral("%1: %2 rows sealed with key %3, which is not configured: "
                                    "left as they are (unreadable)")
                         .arg(progress.table)
                         .arg(it.value())
                         .arg(it.key()));
    if (progress.damaged > 0)
        lines.append(QStringLiteral("%1: %2 rows do not authenticate (altered or moved): left as "
                                    "they are")
                         .arg(progress.table)
                         .arg(progress.damaged));
    if (progress.changedMeanwhile > 0)
        lines.append(QStringLiteral("%1: %2 rows were edited or deleted by a server meanwhile "
                                    "(nothing left to do)")
                         .arg(progress.table)
                         .arg(progress.changedMeanwhile));
    return lines;
}

bool allCurrent(const KeyCensus &census, const crypto::KeyRing &ring)
{
    return census.rows(ring, KeyCensus::Role::Previous) == 0 &&
           census.rows(ring, KeyCensus::Role::Unknown) == 0;
}

QStringList verdict(const KeyCensus &census, const crypto::KeyRing &ring, bool afterRekey)
{
    if (allCurrent(census, ring)) {
        return {ring.keyIds().size() > 1
                    ? QStringLiteral("every sealed row is under the current key: the previous "
                                     "keys can be removed from ENCRYPTION_KEYS_PREVIOUS")
                    : QStringLiteral("every sealed row is under the current key")};
    }
    QStringList lines;
    const qint64 unknown = census.rows(ring, KeyCensus::Role::Unknown);
    if (unknown > 0)
        lines.append(QStringLiteral("%1 rows are sealed with keys that are not configured: "
                                    "unreadable until their key is back in "
                                    "ENCRYPTION_KEYS_PREVIOUS (then run rekey)")
                         .arg(unknown));
    const qint64 previous = census.rows(ring, KeyCensus::Role::Previous);
    if (previous > 0)
        lines.append(afterRekey ? QStringLiteral("%1 rows are still under a previous key (written "
                                                 "meanwhile by a server without the new "
                                                 "ENCRYPTION_KEY, or damaged): keep the previous "
                                                 "key; run rekey again once every server has the "
                                                 "new key")
                                      .arg(previous)
                                : QStringLiteral("%1 rows are under a previous key: keep it in "
                                                 "ENCRYPTION_KEYS_PREVIOUS and run `veza-server "
                                                 "rekey`")
                                      .arg(previous));
    return lines;
}

} // namespace veza::cli::rekeyreport
