#pragma once

#include "protocol/ErrorCode.h"
#include "protocol/MessageType.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <optional>

namespace veza::protocol {

// A client frame that passed validation: its type, its client-chosen `id` (echoed in the
// answer) and its fields, each of the type the schema promises.
struct ClientRequest
{
    MessageType type = MessageType::Ping;
    QJsonValue id; // string or integer; undefined for ping and typing
    QJsonObject fields;

    QString string(QLatin1StringView name) const { return fields.value(name).toString(); }
    qint64 integer(QLatin1StringView name, qint64 fallback = -1) const;
    bool boolean(QLatin1StringView name) const { return fields.value(name).toBool(); }
    bool has(QLatin1StringView name) const { return fields.contains(name); }
};

// Why a frame was refused; `id` is the frame's id when it could be read, so the client can
// match the error to its request.
struct ProtocolError
{
    ErrorCode code = ErrorCode::BadRequest;
    QString message;
    QJsonValue id;
};

struct ParseResult
{
    std::optional<ClientRequest> request;
    std::optional<ProtocolError> error;
};

struct ParseLimits
{
    int maxMessageBytes = 8192; // MAX_MESSAGE_SIZE: UTF-8 bytes of a message body
};

// Parses and validates one client text frame against the schema of its type (required
// fields, JSON types, lengths, body size). Pure function: safe from any thread.
ParseResult parseClientFrame(QByteArrayView json, const ParseLimits &limits);

} // namespace veza::protocol
