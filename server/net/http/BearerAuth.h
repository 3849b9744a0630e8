#pragma once

#include <QStringList>
#include <QStringView>
#include <initializer_list>

namespace veza::net::http {

// Bearer tokens themselves are checked by endpoints::TokenCheck (secrets, issuer, audience,
// server bans); what the routes then ask of a token's roles is here.

// Whether `roles` holds at least one of `wanted`.
bool hasAnyRole(const QStringList &roles, std::initializer_list<QStringView> wanted);

} // namespace veza::net::http
