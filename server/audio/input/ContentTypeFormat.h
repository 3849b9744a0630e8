#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>

namespace veza::audio {

// The container an Icecast source announces with its Content-Type, as an FFmpeg demuxer name.
struct SourceContainer
{
    QByteArray demuxer; // FFmpeg input format; empty: no Content-Type, probe the bytes
    QString name;       // for messages: "not an Ogg stream"
};

// Parameters ("; codecs=opus") and case are ignored. nullopt: a type we do not take.
std::optional<SourceContainer> containerForContentType(QByteArrayView contentType);

} // namespace veza::audio
