#pragma once

#include "protocol/ErrorCode.h"

#include <QJsonObject>
#include <QString>
#include <functional>
#include <optional>

namespace veza::chat {

// The answer to one request, whatever carried it: an ack with its fields, or an error with its
// code, message and extra fields. A chat frame's answer becomes an ack or error frame on its
// connection; an HTTP call's becomes its response.
struct ChatAnswer
{
    std::optional<protocol::ErrorCode> error;
    QString message;    // with an error
    QJsonObject fields; // the ack's fields, or the error's extra ones (`until`, `retry_after_ms`)

    static ChatAnswer ok(QJsonObject fields) { return {std::nullopt, {}, std::move(fields)}; }
    static ChatAnswer failed(protocol::ErrorCode code, QString message, QJsonObject extra = {})
    {
        return {code, std::move(message), std::move(extra)};
    }
};

// Where an answer goes; called once, on the chat service's thread.
using AnswerTo = std::function<void(const ChatAnswer &)>;

} // namespace veza::chat
