#include "audio/input/ContentTypeFormat.h"

namespace veza::audio {

std::optional<SourceContainer> containerForContentType(QByteArrayView contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArray essence = (semicolon < 0 ? contentType : contentType.first(semicolon))
                                   .trimmed()
                                   .toByteArray()
                                   .toLower();

    if (essence.isEmpty())
        return SourceContainer{QByteArray(), QStringLiteral("a known audio")};
    if (essence == "audio/mpeg")
        return SourceContainer{"mp3", QStringLiteral("an MP3")};
    // "aacp" (HE-AAC) is what most AAC encoders for Icecast announce; both come as ADTS.
    if (essence == "audio/aac" || essence == "audio/aacp")
        return SourceContainer{"aac", QStringLiteral("an AAC (ADTS)")};
    if (essence == "audio/ogg" || essence == "application/ogg")
        return SourceContainer{"ogg", QStringLiteral("an Ogg")};
    if (essence == "audio/webm")
        return SourceContainer{"matroska", QStringLiteral("a WebM")};
    return std::nullopt;
}

} // namespace veza::audio
