#include "net/HttpRequestMetrics.h"

#include "net/NetMetrics.h"
#include "net/http/HttpRouter.h"

#include <QElapsedTimer>

namespace veza::net {
namespace {

// The method label: the usual methods by name, anything else as OTHER (bounded cardinality).
QString methodLabel(const QByteArray &method)
{
    static const QByteArrayList known{"GET",    "HEAD",  "POST",    "PUT",
                                      "DELETE", "PATCH", "OPTIONS", "SOURCE"};
    return known.contains(method) ? QString::fromLatin1(method) : QStringLiteral("OTHER");
}

} // namespace

void countHttpRequests(http::HttpRouter &router, NetMetrics &metrics)
{
    router.setObserver([&metrics](const http::HttpRequest &request, const QString &route,
                                  http::HttpResponder &responder) {
        QElapsedTimer timer;
        timer.start();
        responder.setObserver([&metrics, method = methodLabel(request.method()), route,
                               timer](int status) {
            metrics.httpRequests.labels({method, route, QString::number(status)}).inc();
            if (status >= 500)
                metrics.httpErrors.inc();
            metrics.httpDuration.labels({route}).observe(static_cast<double>(timer.nsecsElapsed()) /
                                                         1e9);
        });
    });
}

} // namespace veza::net
