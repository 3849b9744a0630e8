#include "cluster/RelayPull.h"

#include "MonotonicClock.h"
#include "streaming/LiveStream.h"
#include "streaming/StreamHub.h"
#include "streaming/StreamProcessor.h"

#include <QLoggingCategory>
#include <QSslSocket>

Q_LOGGING_CATEGORY(lcRelay, "veza.cluster.relay")

namespace veza::cluster {
namespace {

constexpr qsizetype kMaxHeadBytes = 16 * 1024;
constexpr qint64 kReadBufferBytes = 64 * 1024; // held here while the pipeline is ahead
constexpr qint64 kConnectTimeoutMs = 5000;     // until the answer's head

// The value of header `name` (lower case) in a response head, or empty.
QByteArray headerOf(const QByteArray &head, QByteArrayView name)
{
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 &&
            QByteArrayView(line).first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.sliced(colon + 1).trimmed();
    }
    return {};
}

int allListeners(const streaming::LiveStream &stream)
{
    const auto &processor = stream.processor();
    return stream.listeners() + (processor ? processor->listeners() : 0);
}

} // namespace

RelayPull::RelayPull(streaming::StreamHub &hub, QString name, qint64 streamId, QUrl from,
                     QByteArray instanceId, int lingerMs, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_name(std::move(name))
    , m_streamId(streamId)
    , m_from(std::move(from))
    , m_instanceId(std::move(instanceId))
    , m_lingerMs(lingerMs)
    , m_socket(new QSslSocket(this))
{
    m_socket->setReadBufferSize(kReadBufferBytes);
    connect(m_socket, &QSslSocket::connected, this, [this] {
        if (m_from.scheme() == u"http")
            onConnected();
    });
    connect(m_socket, &QSslSocket::encrypted, this, &RelayPull::onConnected);
    connect(m_socket, &QSslSocket::readyRead, this, &RelayPull::onReadable);
    connect(m_socket, &QSslSocket::disconnected, this,
            [this] { stop(QStringLiteral("the source's instance closed the relay")); });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this] {
        if (m_socket->error() != QAbstractSocket::RemoteHostClosedError)
            stop(QStringLiteral("relay failed: %1").arg(m_socket->errorString()));
    });
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &RelayPull::everySecond);
}

RelayPull::~RelayPull()
{
    m_stopped = true; // no signal from a dying object
    m_source.reset();
    if (m_stream && m_hub.find(m_name) == m_stream)
        m_hub.endLive(m_name);
}

void RelayPull::start()
{
    m_startedMs = monotonicMs();
    m_clock.start();
    const quint16 port = quint16(m_from.port(m_from.scheme() == u"https" ? 443 : 80));
    qCInfo(lcRelay).noquote() << "relaying" << m_name << "from" << m_from.toString();
    if (m_from.scheme() == u"https")
        m_socket->connectToHostEncrypted(m_from.host(), port);
    else
        m_socket->connectToHost(m_from.host(), port);
}

void RelayPull::onConnected()
{
    const QByteArray host = m_from.authority().toUtf8();
    m_socket->write("GET /live/" + QUrl::toPercentEncoding(m_name) + " HTTP/1.1\r\nHost: " + host +
                    "\r\nUser-Agent: veza-relay/" + m_instanceId + "\r\nConnection: close\r\n\r\n");
}

void RelayPull::onReadable()
{
    if (m_stopped)
        return;
    if (!m_source && !readHead())
        return;
    readBody();
}

// The answer's head: 200 and a Content-Type, then the stream goes live here.
bool RelayPull::readHead()
{
    m_head += m_socket->read(kMaxHeadBytes - m_head.size());
    const qsizetype end = m_head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_head.size() >= kMaxHeadBytes)
            stop(QStringLiteral("relay answer's head too large"));
        return false;
    }
    const QByteArray head = m_head.first(end + 2);
    const QByteArray rest = m_head.sliced(end + 4);
    m_head.clear();
    const QByteArray statusLine = head.first(head.indexOf('\r'));
    if (statusLine.split(' ').value(1) != "200") {
        stop(QStringLiteral("relay refused: %1").arg(QString::fromLatin1(statusLine)));
        return false;
    }
    streaming::SourceMeta meta;
    meta.contentType = headerOf(head, "content-type");
    meta.name = headerOf(head, "icy-name");
    meta.description = headerOf(head, "icy-description");
    meta.genre = headerOf(head, "icy-genre");
    meta.url = headerOf(head, "icy-url");
    meta.isPublic = headerOf(head, "icy-pub") == "1";
    meta.relayed = true;
    const streaming::StreamHub::SourceGrant grant = m_hub.connectSource(m_streamId, m_name, meta);
    if (!grant.stream) {
        stop(QStringLiteral("relay not admitted here (mount in use, MAX_STREAMS, or shutting "
                            "down)"));
        return false;
    }
    m_stream = grant.stream;
    m_source.emplace(m_hub, grant.stream, false, [this](bool paused) {
        m_paused = paused;
        if (!paused)
            QMetaObject::invokeMethod(this, &RelayPull::readBody, Qt::QueuedConnection);
    });
    m_source->start();
    emit live();
    if (!rest.isEmpty() && m_source->feed(rest) == endpoints::LiveSource::Verdict::StreamEnded)
        stop(QStringLiteral("the local stream ended"));
    return !m_stopped;
}

void RelayPull::readBody()
{
    while (!m_stopped && !m_paused && m_socket->bytesAvailable() > 0) {
        const QByteArray bytes = m_socket->read(16 * 1024);
        const auto verdict = m_source->feed(bytes);
        if (verdict != endpoints::LiveSource::Verdict::Fed &&
            verdict != endpoints::LiveSource::Verdict::Silent)
            return stop(QStringLiteral("the local stream refused the relay"));
    }
}

void RelayPull::everySecond()
{
    const qint64 now = monotonicMs();
    if (!m_source) {
        if (now - m_startedMs > kConnectTimeoutMs)
            stop(QStringLiteral("no answer from the source's instance"));
        return;
    }
    if (m_source->check(now) != endpoints::LiveSource::Verdict::Fed)
        return stop(QStringLiteral("relay silent or unusable"));
    if (allListeners(*m_stream) > 0) {
        m_lonelySinceMs = 0;
    } else if (m_lonelySinceMs == 0) {
        m_lonelySinceMs = now;
    } else if (now - m_lonelySinceMs >= m_lingerMs) {
        stop(QStringLiteral("no listener left"));
    }
}

void RelayPull::stop(const QString &why)
{
    if (std::exchange(m_stopped, true))
        return;
    m_clock.stop();
    qCInfo(lcRelay).noquote() << "relay of" << m_name << "over:" << why;
    m_source.reset(); // leaves the stream
    if (m_stream && m_hub.find(m_name) == m_stream)
        m_hub.endLive(m_name); // local listeners end with it (the source's instance decides)
    m_stream.reset();
    m_socket->abort();
    emit finished(why);
}

} // namespace veza::cluster
