#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QSslSocket>
#include <memory>

namespace veza::testing {

struct HttpReply
{
    int status = 0; // 0: no answer
    QByteArray headers;
    QByteArray body;
    QJsonObject json() const;
};

// A minimal blocking HTTP/1.1 client for tests, able to keep its connection open between
// requests (a load balancer's health checker does) and to speak TLS without verification.
class HttpProbe
{
public:
    explicit HttpProbe(quint16 port, bool tls = false);

    // `extraHeaders`: whole header lines ("Authorization: Bearer x\r\n").
    HttpReply get(const QByteArray &path, int timeoutMs = 5000,
                  const QByteArray &extraHeaders = {});
    // Any method; a body is sent with its Content-Length (also an empty one, except for GET
    // and HEAD), a Content-Type line goes in `extraHeaders`.
    HttpReply request(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                      int timeoutMs = 5000, const QByteArray &extraHeaders = {});
    bool isConnected() const;
    // What the server presented on the current connection (TLS), or a null certificate.
    QSslCertificate peerCertificate() const;

    static HttpReply getOnce(quint16 port, const QByteArray &path, bool tls = false)
    {
        return HttpProbe(port, tls).get(path);
    }

private:
    bool ensureConnected(int timeoutMs);

    quint16 m_port;
    bool m_tls;
    std::unique_ptr<QSslSocket> m_socket;
};

// The value of one series (`name{labels}` exactly as exposed) from a Prometheus exposition, or
// -1 when absent.
double metricValue(const QByteArray &exposition, const QByteArray &series);
// The same, scraped from /metrics on `port`.
double scrapeMetric(quint16 port, const QByteArray &series);

} // namespace veza::testing
