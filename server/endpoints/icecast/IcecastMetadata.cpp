#include "endpoints/icecast/IcecastMetadata.h"

#include "net/http/HttpRequest.h"

#include <QStringDecoder>

namespace veza::endpoints {

namespace {

std::optional<QString> decoded(const QByteArray &bytes, const QByteArray &charset)
{
    if (charset.isEmpty()) {
        QStringDecoder utf8(QStringDecoder::Utf8);
        const QString text = utf8(bytes);
        return utf8.hasError() ? QString::fromLatin1(bytes) : text;
    }
    QStringDecoder decoder(charset.constData());
    if (!decoder.isValid())
        return std::nullopt;
    return QString(decoder(bytes));
}

QString withoutControls(const QString &text)
{
    QString kept;
    kept.reserve(text.size());
    for (const QChar c : text) {
        if (c.category() != QChar::Other_Control)
            kept += c;
    }
    return kept;
}

} // namespace

std::optional<QByteArray> IcecastMetadata::titleOf(const net::http::HttpRequest &request,
                                                   QByteArray *problem)
{
    QByteArray song = request.queryItem("song");
    if (song.isNull()) {
        const QByteArray artist = request.queryItem("artist");
        const QByteArray title = request.queryItem("title");
        if (artist.isNull() && title.isNull()) {
            *problem = "song, or artist and title, required";
            return std::nullopt;
        }
        const bool both = !artist.trimmed().isEmpty() && !title.trimmed().isEmpty();
        song = both ? QByteArray(artist.trimmed() + " - " + title.trimmed())
                    : QByteArray(artist + title);
    }
    const QByteArray charset = request.queryItem("charset").trimmed();
    const std::optional<QString> text = decoded(song, charset);
    if (!text) {
        *problem = "unknown charset " + charset.left(40);
        return std::nullopt;
    }
    QString clean = withoutControls(*text).trimmed();
    if (clean.size() > maxCharacters) {
        clean.truncate(maxCharacters);
        if (clean.back().isHighSurrogate())
            clean.chop(1);
    }
    return clean.toUtf8();
}

} // namespace veza::endpoints
