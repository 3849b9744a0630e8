#pragma once

#include "endpoints/streams/StreamsApiBase.h"

namespace veza::endpoints::streams {

// A stream's listeners over HTTP (docs/protocol.md), for its owner, admins and moderators:
//   GET    /api/streams/{name}/listeners            who listened (history, newest first)
//   GET    /api/streams/{name}/listeners?live=1     who is connected now
//   DELETE /api/streams/{name}/listeners/{id}       disconnects one (audited for moderators)
// The streams API hands these paths over (they share its /api/streams/ prefix routes).
class StreamListenersApi final : public StreamsApiBase
{
public:
    using StreamsApiBase::StreamsApiBase;

    // Whether a GET or DELETE path is one of ours.
    static bool isListenersPath(const QByteArray &path);
    static bool isListenerPath(const QByteArray &path);

    void list(const HttpRequest &request, HttpResponder responder) const;
    void disconnect(const HttpRequest &request, HttpResponder responder) const;

private:
    void history(const HttpRequest &request, HttpResponder responder) const;
    void connected(const HttpRequest &request, HttpResponder responder) const;
};

} // namespace veza::endpoints::streams
