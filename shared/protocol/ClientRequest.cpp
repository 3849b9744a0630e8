#include "protocol/ClientRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <array>
#include <cmath>
#include <span>

namespace veza::protocol {
namespace {

enum class Kind { String, Integer, Boolean, Array };

struct FieldRule
{
    const char *name;
    Kind kind;
    bool required;
    int maxLength = 0; // strings: characters; arrays: items; 0 = no limit beyond the frame's
};

struct Schema
{
    MessageType type;
    bool needsId;
    std::span<const FieldRule> fields;
};

constexpr int kNameLength = 64;
// A room a request names may be a direct room: "@direct:" (8) and two user ids of at most
// kNameLength characters, each of them possibly escaped ("\:"), with their ":" between.
// Rooms created by name (`create_room`, a first `join`) keep to kNameLength.
constexpr int kRoomLength = 8 + 2 * 2 * kNameLength + 1;
constexpr int kMaxIdLength = 64;
constexpr double kMaxSafeInteger = 9007199254740991.0; // 2^53 - 1: exact in a double

constexpr FieldRule kAuth[] = {{"token", Kind::String, true, 8192}};
constexpr FieldRule kRoom[] = {{"room", Kind::String, true, kRoomLength}};
constexpr FieldRule kCreateRoom[] = {{"room", Kind::String, true, kNameLength},
                                     {"kind", Kind::String, false, 16},
                                     {"topic", Kind::String, false, 512},
                                     {"e2e", Kind::Boolean, false},
                                     {"members", Kind::Array, false, 1000}};
constexpr FieldRule kSend[] = {{"room", Kind::String, true, kRoomLength},
                               {"client_msg_id", Kind::String, true, kNameLength},
                               {"body", Kind::String, false},
                               {"ciphertext", Kind::String, false},
                               {"algorithm", Kind::String, false, kNameLength},
                               {"sender_device", Kind::String, false, kNameLength}};
constexpr FieldRule kEdit[] = {{"room", Kind::String, true, kRoomLength},
                               {"message_id", Kind::Integer, true},
                               {"body", Kind::String, true}};
constexpr FieldRule kDelete[] = {{"room", Kind::String, true, kRoomLength},
                                 {"message_id", Kind::Integer, true},
                                 {"reason", Kind::String, false, 512}};
constexpr FieldRule kReact[] = {{"room", Kind::String, true, kRoomLength},
                                {"message_id", Kind::Integer, true},
                                {"emoji", Kind::String, true, 32},
                                {"remove", Kind::Boolean, false}};
constexpr FieldRule kDirect[] = {{"to", Kind::String, true, kNameLength},
                                 {"client_msg_id", Kind::String, true, kNameLength},
                                 {"body", Kind::String, false},
                                 {"ciphertext", Kind::String, false},
                                 {"algorithm", Kind::String, false, kNameLength},
                                 {"sender_device", Kind::String, false, kNameLength}};
constexpr FieldRule kHistory[] = {{"room", Kind::String, true, kRoomLength},
                                  {"before", Kind::Integer, false},
                                  {"after", Kind::Integer, false},
                                  {"limit", Kind::Integer, false}};
constexpr FieldRule kResume[] = {{"rooms", Kind::Array, true, 1000}};
constexpr FieldRule kTimeout[] = {{"room", Kind::String, true, kRoomLength},
                                  {"user", Kind::String, true, kNameLength},
                                  {"seconds", Kind::Integer, true},
                                  {"reason", Kind::String, false, 512}};
constexpr FieldRule kBan[] = {{"room", Kind::String, false, kRoomLength},
                              {"user", Kind::String, true, kNameLength},
                              {"seconds", Kind::Integer, false},
                              {"reason", Kind::String, false, 512}};
constexpr FieldRule kUnban[] = {{"room", Kind::String, false, kRoomLength},
                                {"user", Kind::String, true, kNameLength},
                                {"reason", Kind::String, false, 512}};
constexpr FieldRule kSlowMode[] = {{"room", Kind::String, true, kRoomLength},
                                   {"seconds", Kind::Integer, true},
                                   {"reason", Kind::String, false, 512}};
constexpr FieldRule kReport[] = {{"room", Kind::String, true, kRoomLength},
                                 {"message_id", Kind::Integer, true},
                                 {"reason", Kind::String, true, 32},
                                 {"details", Kind::String, false, 1000}};
constexpr FieldRule kMarkRead[] = {{"room", Kind::String, true, kRoomLength},
                                   {"message_id", Kind::Integer, true}};
// grant, revoke: a room's moderators; invite, kick: a private room's members.
constexpr FieldRule kRoomUser[] = {{"room", Kind::String, true, kRoomLength},
                                   {"user", Kind::String, true, kNameLength},
                                   {"reason", Kind::String, false, 512}};
constexpr FieldRule kLock[] = {{"room", Kind::String, true, kRoomLength},
                               {"locked", Kind::Boolean, true},
                               {"reason", Kind::String, false, 512}};
constexpr FieldRule kPurge[] = {{"room", Kind::String, true, kRoomLength},
                                {"user", Kind::String, true, kNameLength},
                                {"minutes", Kind::Integer, true},
                                {"reason", Kind::String, false, 512}};
constexpr FieldRule kDeviceRegister[] = {{"device_id", Kind::String, true, kNameLength},
                                         {"identity_key", Kind::String, true, 1024}};
constexpr FieldRule kPrekeysUpload[] = {{"device_id", Kind::String, true, kNameLength},
                                        {"prekeys", Kind::Array, true, 200}};
constexpr FieldRule kDevices[] = {{"user", Kind::String, true, kNameLength}};
constexpr FieldRule kPrekeyClaim[] = {{"user", Kind::String, true, kNameLength},
                                      {"device_id", Kind::String, true, kNameLength}};

// Only the types a client may send; server-to-client types are refused as requests.
const std::array kSchemas{
    Schema{MessageType::Ping, false, {}},
    Schema{MessageType::Auth, false, kAuth},
    Schema{MessageType::Join, true, kRoom},
    Schema{MessageType::Leave, true, kRoom},
    Schema{MessageType::Rooms, true, {}},
    Schema{MessageType::Members, true, kRoom},
    Schema{MessageType::CreateRoom, true, kCreateRoom},
    Schema{MessageType::Send, true, kSend},
    Schema{MessageType::Edit, true, kEdit},
    Schema{MessageType::Delete, true, kDelete},
    Schema{MessageType::Typing, false, kRoom},
    Schema{MessageType::React, true, kReact},
    Schema{MessageType::DirectMessage, true, kDirect},
    Schema{MessageType::History, true, kHistory},
    Schema{MessageType::Resume, true, kResume},
    Schema{MessageType::Timeout, true, kTimeout},
    Schema{MessageType::Ban, true, kBan},
    Schema{MessageType::Unban, true, kUnban},
    Schema{MessageType::SlowMode, true, kSlowMode},
    Schema{MessageType::Lock, true, kLock},
    Schema{MessageType::Purge, true, kPurge},
    Schema{MessageType::Grant, true, kRoomUser},
    Schema{MessageType::Revoke, true, kRoomUser},
    Schema{MessageType::Report, true, kReport},
    Schema{MessageType::MarkRead, true, kMarkRead},
    Schema{MessageType::Invite, true, kRoomUser},
    Schema{MessageType::Kick, true, kRoomUser},
    Schema{MessageType::DeviceRegister, true, kDeviceRegister},
    Schema{MessageType::PrekeysUpload, true, kPrekeysUpload},
    Schema{MessageType::Devices, true, kDevices},
    Schema{MessageType::PrekeyClaim, true, kPrekeyClaim},
};

const Schema *schemaFor(MessageType type)
{
    for (const Schema &schema : kSchemas) {
        if (schema.type == type)
            return &schema;
    }
    return nullptr;
}

bool isNonNegativeInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    return d >= 0 && d <= kMaxSafeInteger && std::floor(d) == d;
}

const char *kindName(Kind kind)
{
    switch (kind) {
    case Kind::String:
        return "a string";
    case Kind::Integer:
        return "a non-negative integer";
    case Kind::Boolean:
        return "true or false";
    case Kind::Array:
        return "an array";
    }
    return "a value";
}

std::optional<QString> checkField(const QJsonObject &object, const FieldRule &rule)
{
    const QLatin1StringView name(rule.name);
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull()) {
        if (rule.required)
            return QStringLiteral("missing field \"%1\"").arg(name);
        return std::nullopt;
    }
    bool ok = false;
    qsizetype length = 0;
    switch (rule.kind) {
    case Kind::String:
        ok = value.isString();
        length = ok ? value.toString().size() : 0;
        break;
    case Kind::Integer:
        ok = isNonNegativeInteger(value);
        break;
    case Kind::Boolean:
        ok = value.isBool();
        break;
    case Kind::Array:
        ok = value.isArray();
        length = ok ? value.toArray().size() : 0;
        break;
    }
    if (!ok)
        return QStringLiteral("field \"%1\" must be %2")
            .arg(name, QLatin1StringView(kindName(rule.kind)));
    if (rule.maxLength > 0 && length > rule.maxLength)
        return QStringLiteral("field \"%1\" is longer than %2").arg(name).arg(rule.maxLength);
    if (rule.kind == Kind::String && rule.required && length == 0)
        return QStringLiteral("field \"%1\" must not be empty").arg(name);
    return std::nullopt;
}

ParseResult refuse(ErrorCode code, const QString &message, const QJsonValue &id = {})
{
    return {std::nullopt, ProtocolError{code, message, id}};
}

// A message carries exactly one of a plaintext `body` and an end-to-end `ciphertext`.
std::optional<ProtocolError> checkContent(const ClientRequest &request, const ParseLimits &limits)
{
    const bool hasBody = request.has(QLatin1StringView("body"));
    const bool hasCiphertext = request.has(QLatin1StringView("ciphertext"));
    if (request.type == MessageType::Send || request.type == MessageType::DirectMessage) {
        if (hasBody == hasCiphertext)
            return ProtocolError{
                ErrorCode::BadRequest,
                QStringLiteral("exactly one of \"body\" and \"ciphertext\" is required"),
                request.id};
    }
    if (hasBody &&
        request.string(QLatin1StringView("body")).toUtf8().size() > limits.maxMessageBytes)
        return ProtocolError{
            ErrorCode::TooLarge,
            QStringLiteral("message body is larger than %1 bytes").arg(limits.maxMessageBytes),
            request.id};
    // Base64 of a body of the same size, plus room for the cipher's own overhead.
    const qsizetype maxCiphertext = (qsizetype(limits.maxMessageBytes) * 4) / 3 + 256;
    if (hasCiphertext && request.string(QLatin1StringView("ciphertext")).size() > maxCiphertext)
        return ProtocolError{
            ErrorCode::TooLarge,
            QStringLiteral("ciphertext is larger than %1 characters").arg(maxCiphertext),
            request.id};
    return std::nullopt;
}

} // namespace

qint64 ClientRequest::integer(QLatin1StringView name, qint64 fallback) const
{
    const QJsonValue value = fields.value(name);
    return value.isDouble() ? static_cast<qint64>(value.toDouble()) : fallback;
}

ParseResult parseClientFrame(QByteArrayView json, const ParseLimits &limits)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return refuse(ErrorCode::BadRequest,
                      QStringLiteral("expected a JSON object with a \"type\""));
    QJsonObject object = document.object();

    const QJsonValue id = object.value(QLatin1StringView("id"));
    const bool idIsValid =
        (id.isString() && !id.toString().isEmpty() && id.toString().size() <= kMaxIdLength) ||
        isNonNegativeInteger(id);
    const QJsonValue echoedId = idIsValid ? id : QJsonValue();
    if (!id.isUndefined() && !idIsValid)
        return refuse(
            ErrorCode::BadRequest,
            QStringLiteral("\"id\" must be a non-empty string of at most %1 characters or a "
                           "non-negative integer")
                .arg(kMaxIdLength));

    const QJsonValue typeValue = object.value(QLatin1StringView("type"));
    if (!typeValue.isString())
        return refuse(ErrorCode::BadRequest, QStringLiteral("missing field \"type\""), echoedId);
    const std::optional<MessageType> type = messageTypeFromName(typeValue.toString());
    const Schema *schema = type ? schemaFor(*type) : nullptr;
    if (!schema)
        return refuse(ErrorCode::BadRequest,
                      QStringLiteral("unknown message type \"%1\"")
                          .arg(typeValue.toString().left(kNameLength)),
                      echoedId);
    if (schema->needsId && !idIsValid)
        return refuse(ErrorCode::BadRequest, QStringLiteral("missing field \"id\""));

    for (const FieldRule &rule : schema->fields) {
        if (auto problem = checkField(object, rule))
            return refuse(ErrorCode::BadRequest, *problem, echoedId);
    }
    object.remove(QLatin1StringView("type"));
    object.remove(QLatin1StringView("id"));
    ClientRequest request{*type, echoedId, object};
    if (auto problem = checkContent(request, limits))
        return {std::nullopt, problem};
    return {std::move(request), std::nullopt};
}

} // namespace veza::protocol
