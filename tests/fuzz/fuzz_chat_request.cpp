// Fuzz target: a chat client's text frame, parsed and checked against the schema of its type
// (protocol::parseClientFrame, what ChatConnection runs on every frame). A frame is accepted or
// refused, never both; the answer the server sends back (an ack echoing the id, or an error
// echoing the problem) is valid UTF-8 JSON; an accepted request written back as JSON parses to
// the same request.
#include "FuzzSupport.h"
#include "net/ws/Utf8Validator.h"
#include "protocol/ClientRequest.h"
#include "protocol/ServerFrames.h"

#include <QJsonDocument>

using namespace veza::protocol;

namespace {

const ParseLimits kLimits{512};

QJsonObject answerObject(const QByteArray &frame)
{
    FUZZ_CHECK(veza::net::ws::Utf8Validator::isValid(frame));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(frame, &error);
    FUZZ_CHECK(error.error == QJsonParseError::NoError && document.isObject());
    return document.object();
}

void checkAccepted(const ClientRequest &request)
{
    FUZZ_CHECK(!request.has(QLatin1StringView("type")) && !request.has(QLatin1StringView("id")));
    const bool hasId = request.id.isString() || request.id.isDouble();
    FUZZ_CHECK(hasId || request.id.isNull()); // null: the frame had no (valid) id
    if (request.has(QLatin1StringView("body")))
        FUZZ_CHECK(request.string(QLatin1StringView("body")).toUtf8().size() <=
                   kLimits.maxMessageBytes);

    const QJsonObject ack = answerObject(ackFrame(request.id));
    FUZZ_CHECK(hasId ? ack.value(QLatin1StringView("id")) == request.id
                     : !ack.contains(QLatin1StringView("id")));

    QJsonObject again = request.fields;
    again.insert(QLatin1StringView("type"), messageTypeName(request.type));
    if (hasId)
        again.insert(QLatin1StringView("id"), request.id);
    const ParseResult reparsed =
        parseClientFrame(QJsonDocument(again).toJson(QJsonDocument::Compact), kLimits);
    FUZZ_CHECK(reparsed.request && reparsed.request->type == request.type &&
               reparsed.request->id == request.id && reparsed.request->fields == request.fields);
}

void checkRefused(const ProtocolError &error)
{
    FUZZ_CHECK(!error.message.isEmpty());
    const QJsonObject answer = answerObject(errorFrame(error.id, error.code, error.message));
    FUZZ_CHECK(answer.value(QLatin1StringView("message")).toString() == error.message);
    FUZZ_CHECK(answer.value(QLatin1StringView("code")).toString() == errorCodeName(error.code));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    veza::fuzz::quietQtLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const ParseResult result = parseClientFrame(QByteArrayView(bytes, qsizetype(size)), kLimits);
    FUZZ_CHECK(result.request.has_value() != result.error.has_value());
    if (result.request)
        checkAccepted(*result.request);
    else
        checkRefused(*result.error);
    return 0;
}
