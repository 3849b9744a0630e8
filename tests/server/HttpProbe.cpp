#include "HttpProbe.h"

#include <QDeadlineTimer>
#include <QJsonDocument>

namespace veza::testing {

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

HttpProbe::HttpProbe(quint16 port, bool tls)
    : m_port(port)
    , m_tls(tls)
{
}

bool HttpProbe::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

QSslCertificate HttpProbe::peerCertificate() const
{
    return m_socket ? m_socket->peerCertificate() : QSslCertificate();
}

bool HttpProbe::ensureConnected(int timeoutMs)
{
    if (isConnected())
        return true;
    m_socket = std::make_unique<QSslSocket>();
    m_socket->setPeerVerifyMode(QSslSocket::VerifyNone);
    if (m_tls) {
        m_socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port);
        return m_socket->waitForEncrypted(timeoutMs);
    }
    m_socket->connectToHost(QStringLiteral("127.0.0.1"), m_port);
    return m_socket->waitForConnected(timeoutMs);
}

HttpReply HttpProbe::get(const QByteArray &path, int timeoutMs, const QByteArray &extraHeaders)
{
    return request("GET", path, {}, timeoutMs, extraHeaders);
}

HttpReply HttpProbe::request(const QByteArray &method, const QByteArray &path,
                             const QByteArray &body, int timeoutMs, const QByteArray &extraHeaders)
{
    HttpReply reply;
    if (!ensureConnected(timeoutMs))
        return reply;
    QByteArray length;
    if (!body.isEmpty() || (method != "GET" && method != "HEAD"))
        length = "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    m_socket->write(method + " " + path +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n" + length +
                    extraHeaders + "\r\n" + body);
    QDeadlineTimer deadline(timeoutMs);
    QByteArray data;
    qsizetype headerEnd = -1;
    qsizetype contentLength = -1;
    while (!deadline.hasExpired()) {
        if (m_socket->bytesAvailable() == 0 && !m_socket->waitForReadyRead(50)) {
            if (m_socket->state() != QAbstractSocket::ConnectedState &&
                m_socket->bytesAvailable() == 0)
                break;
            continue;
        }
        data += m_socket->readAll();
        if (headerEnd < 0 && (headerEnd = data.indexOf("\r\n\r\n")) >= 0) {
            reply.headers = data.left(headerEnd);
            const QList<QByteArray> lines = reply.headers.split('\n');
            reply.status = lines.value(0).split(' ').value(1).toInt();
            for (const QByteArray &line : lines) {
                if (line.toLower().startsWith("content-length:"))
                    contentLength = line.mid(15).trimmed().toLongLong();
            }
            if (reply.status == 204 || reply.status == 304)
                contentLength = 0; // never a body (RFC 9110 §15.3.5)
        }
        if (headerEnd >= 0 && contentLength >= 0 && data.size() >= headerEnd + 4 + contentLength)
            break;
    }
    if (headerEnd >= 0)
        reply.body = data.mid(headerEnd + 4, contentLength >= 0 ? contentLength : -1);
    return reply;
}

double metricValue(const QByteArray &exposition, const QByteArray &series)
{
    const QByteArray prefix = QByteArray(series).append(' ');
    for (const QByteArray &line : exposition.split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).toDouble();
    }
    return -1;
}

double scrapeMetric(quint16 port, const QByteArray &series)
{
    return metricValue(HttpProbe::getOnce(port, "/metrics").body, series);
}

} // namespace veza::testing
