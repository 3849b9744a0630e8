#include "support/FreePort.h"

#include <QTcpServer>

namespace veza::testing {

int freeLoopbackPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

} // namespace veza::testing
