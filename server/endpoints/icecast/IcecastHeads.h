#pragma once

#include "streaming/LiveStream.h"

#include <QByteArray>
#include <optional>

// The heads of the Icecast protocol that carry a source's own text: the Content-Type a source
// announces and the answer head a listener gets, with the source's ice-* headers in it. Free
// functions, any thread.
namespace veza::endpoints::IcecastHeads {

// The media type a source's Content-Type header announces, as the stream keeps it: parameters
// dropped, lowercased, audio/mpeg when absent (as Icecast assumes), application/ogg read as
// audio/ogg. nullopt for a type the server does not take (it takes audio/mpeg, audio/aac,
// audio/aacp, audio/ogg and audio/webm).
std::optional<QByteArray> sourceContentType(const QByteArray &header);

// "HTTP/1.1 200 OK" and the headers of a listener's answer: the Content-Type, the source's
// ice-* values as icy-* headers without their control characters (a stored text from before
// they were refused, or a source's header, cannot end a header early), icy-metaint when `icy`.
QByteArray listenerHead(const streaming::SourceMeta &meta, bool icy);

} // namespace veza::endpoints::IcecastHeads
