#include "endpoints/icecast/IcecastHeads.h"

#include "net/http/HttpText.h"
#include "streaming/IcyInterleaver.h"

#include <utility>

namespace veza::endpoints::IcecastHeads {

namespace {

// The media type without parameters, lowercased.
QByteArray mediaType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return net::http::trimOws(semicolon < 0 ? QByteArrayView(contentType)
                                            : QByteArrayView(contentType).first(semicolon))
        .toByteArray()
        .toLower();
}

QByteArray headerValue(const QByteArray &text)
{
    QByteArray value;
    value.reserve(text.size());
    for (const char c : text) {
        if (quint8(c) >= 0x20 && c != 0x7F)
            value += c;
    }
    return value;
}

} // namespace

std::optional<QByteArray> sourceContentType(const QByteArray &header)
{
    QByteArray type = mediaType(header);
    if (type.isEmpty())
        type = "audio/mpeg";
    if (type == "application/ogg")
        type = "audio/ogg";
    if (type != "audio/mpeg" && type != "audio/aac" && type != "audio/aacp" &&
        type != "audio/ogg" && type != "audio/webm")
        return std::nullopt;
    return type;
}

QByteArray listenerHead(const streaming::SourceMeta &meta, bool icy)
{
    QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: " + meta.contentType + "\r\n";
    const std::pair<QByteArrayView, const QByteArray &> icyHeaders[] = {
        {"icy-name", meta.name},
        {"icy-description", meta.description},
        {"icy-genre", meta.genre},
        {"icy-url", meta.url}};
    for (const auto &[name, value] : icyHeaders) {
        if (!value.isEmpty())
            head += name.toByteArray() + ": " + headerValue(value) + "\r\n";
    }
    head += meta.isPublic ? "icy-pub: 1\r\n" : "icy-pub: 0\r\n";
    if (icy)
        head += "icy-metaint: " + QByteArray::number(streaming::IcyInterleaver::defaultMetaint) +
                "\r\n";
    head += "Cache-Control: no-cache, no-store\r\nConnection: close\r\n\r\n";
    return head;
}

} // namespace veza::endpoints::IcecastHeads
