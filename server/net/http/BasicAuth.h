#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <optional>

namespace veza::net::http {

struct BasicCredentials
{
    QByteArray user;
    QByteArray password;
};

// The credentials of an "Authorization: Basic <base64(user:password)>" header (RFC 7617), or
// nullopt when the header is absent, of another scheme, or malformed.
std::optional<BasicCredentials> parseBasicAuth(QByteArrayView authorization);

} // namespace veza::net::http
