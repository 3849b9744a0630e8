#pragma once

#include "streaming/StreamDirectory.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace veza::cluster {

// The live controls of a stream (API calls on whichever instance the load balancer chose),
// told to every instance on `veza:streams:control`, so they reach the one carrying the
// source and the ones relaying it. Payloads are ControlMessages envelopes. Pure functions.
struct StreamControl
{
    enum class Kind : quint8 { End, Cut, KeyRotated, Described, Retitled, Kick, Effects };

    Kind kind = Kind::End;
    QString name;
    qint64 blockMs = 0;               // Cut: refuse a new source that long
    streaming::StreamListing listing; // Described
    QByteArray title;                 // Retitled: the title on air
    qint64 streamId = 0;              // Kick: listener `listenerId` of that stream
    qint64 listenerId = 0;
    QJsonObject effects; // Effects: the whole settings now stored

    static const QByteArray kChannel;

    QByteArray body() const;
    QByteArray kindName() const;
    static std::optional<StreamControl> of(const QByteArray &kind, const QByteArray &body);
};

} // namespace veza::cluster
