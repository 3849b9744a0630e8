#include "net/http/BearerAuth.h"

namespace veza::net::http {

bool hasAnyRole(const QStringList &roles, std::initializer_list<QStringView> wanted)
{
    for (QStringView role : wanted) {
        if (roles.contains(role))
            return true;
    }
    return false;
}

} // namespace veza::net::http
