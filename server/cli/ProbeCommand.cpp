#include "cli/ProbeCommand.h"

#include "config/ServerConfig.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace veza::cli {
namespace {

// What the probe prints of an answer's body: enough for `{"status":...,"failing":[...]}`.
constexpr qsizetype kMaxBodyPrinted = 2000;

void printLine(FILE *stream, const QString &line)
{
    std::fprintf(stream, "%s\n", qPrintable(line));
    std::fflush(stream);
}

} // namespace

QString ProbeCommand::usage()
{
    return QStringLiteral("usage: veza-server probe [URL]  (default: this configuration's "
                          "/health/ready on loopback)");
}

std::optional<ProbeCommand> ProbeCommand::parse(const QStringList &arguments, QString *error)
{
    ProbeCommand command;
    if (arguments.size() > 1) {
        *error = QStringLiteral("one URL at most; %1").arg(usage());
        return std::nullopt;
    }
    if (arguments.size() == 1) {
        const QUrl url(arguments.first(), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
            url.host().isEmpty()) {
            *error = QStringLiteral("\"%1\": expected an http:// or https:// URL; %2")
                         .arg(arguments.first(), usage());
            return std::nullopt;
        }
        command.m_url = url;
    }
    return command;
}

QUrl ProbeCommand::url(const config::ServerConfig &config) const
{
    if (!m_url.isEmpty())
        return m_url;
    // A wildcard HOST listens on loopback too; a specific address only there.
    QHostAddress address = config.host;
    if (address.isNull() || address == QHostAddress::AnyIPv4 || address == QHostAddress::Any)
        address = QHostAddress::LocalHost;
    else if (address == QHostAddress::AnyIPv6)
        address = QHostAddress::LocalHostIPv6;
    QUrl url;
    url.setScheme(config.tlsEnabled() ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(address.toString());
    url.setPort(config.port);
    url.setPath(QStringLiteral("/health/ready"));
    return url;
}

int ProbeCommand::run(const config::ServerConfig &config, FILE *out, FILE *err) const
{
    const QUrl target = url(config);
    QNetworkAccessManager network;
    QNetworkRequest request(target);
    request.setTransferTimeout(
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(kTimeout).count()));
    QNetworkReply *reply = network.get(request);
    // The server's own check on loopback: its certificate names the public host, and who
    // answers on this machine's loopback is not in question. A URL given is verified.
    if (m_url.isEmpty())
        QObject::connect(reply, &QNetworkReply::sslErrors, reply,
                         [reply] { reply->ignoreSslErrors(); });

    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    // transferTimeout covers a silent peer; this covers a connection that never completes.
    QTimer::singleShot(kTimeout, reply, &QNetworkReply::abort);
    loop.exec();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll().left(kMaxBodyPrinted).trimmed();
    const QString error = reply->errorString();
    delete reply;
    if (status == 0) {
        printLine(err, QStringLiteral("veza-server probe: %1: %2").arg(target.toString(), error));
        return ExitUnhealthy;
    }
    printLine(out, QStringLiteral("%1 %2").arg(status).arg(QString::fromUtf8(body)));
    return status >= 200 && status < 300 ? 0 : ExitUnhealthy;
}

} // namespace veza::cli
