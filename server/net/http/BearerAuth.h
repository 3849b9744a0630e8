#pragma once

#include "auth/JwtClaims.h"

#include <QByteArray>
#include <QList>
#include <QStringList>
#include <QStringView>
#include <initializer_list>
#include <optional>

namespace veza::net::http {

struct HttpRequest;
class HttpResponder;

// The claims of the request's `Authorization: Bearer <access token>` (signed with one of
// `secrets`: JWT_SECRET, then JWT_SECRET_PREVIOUS), checked now. Otherwise answers 401
// {"error":"unauthorized","reason":...} on `responder` and returns nullopt. Network thread.
std::optional<auth::Claims> authenticateBearer(const HttpRequest &request,
                                               const QList<QByteArray> &secrets,
                                               HttpResponder &responder);

// Whether `roles` holds at least one of `wanted`.
bool hasAnyRole(const QStringList &roles, std::initializer_list<QStringView> wanted);

} // namespace veza::net::http
