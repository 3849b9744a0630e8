#include "Report.h"

#include "Fleet.h"

#include <cstdio>

namespace chatbench {

std::string failureFields(const FleetStats &s)
{
    return "refused=" + std::to_string(s.refused) + " failed=" + std::to_string(s.failed()) +
           " closed=" + std::to_string(s.closedByServer + s.eof) +
           " close_codes=" + s.closeCodesText() + " errors=" + s.errorCodesText();
}

void printFailures(const char *scenario, const FleetStats &s)
{
    if (s.refused + s.failed() + s.closedByServer + s.eof + s.protocolErrors + s.sendsDropped ==
            0 &&
        s.errorCodes.empty())
        return;
    std::printf("%s: refused (503) %llu, connect failed %llu (errno %s), other HTTP %llu, "
                "unauthorized %llu, closed in handshake %llu; after auth: close frames %llu "
                "(codes %s), EOF/reset %llu, protocol errors %llu, error frames %s, "
                "sends dropped %llu\n",
                scenario, static_cast<unsigned long long>(s.refused),
                static_cast<unsigned long long>(s.connectFailed), s.connectErrnosText().c_str(),
                static_cast<unsigned long long>(s.httpFailed),
                static_cast<unsigned long long>(s.unauthorized),
                static_cast<unsigned long long>(s.closedInHandshake),
                static_cast<unsigned long long>(s.closedByServer), s.closeCodesText().c_str(),
                static_cast<unsigned long long>(s.eof),
                static_cast<unsigned long long>(s.protocolErrors), s.errorCodesText().c_str(),
                static_cast<unsigned long long>(s.sendsDropped));
}

} // namespace chatbench
