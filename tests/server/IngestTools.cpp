#include "IngestTools.h"

#include "HttpProbe.h"
#include "ServerProcess.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QThread>
#include <arpa/inet.h>
#include <cerrno>
#include <cmath>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace veza::testing {

QByteArray createStream(ServerProcess &server, const QByteArray &token, const QString &name)
{
    HttpProbe probe(server.httpPort());
    const QJsonObject body{{QStringLiteral("name"), name},
                           {QStringLiteral("title"), QStringLiteral("Test tone")}};
    const HttpReply reply =
        probe.request("POST", "/api/streams", QJsonDocument(body).toJson(QJsonDocument::Compact),
                      5000, "Authorization: Bearer " + token + "\r\n");
    return reply.json().value(QStringLiteral("stream_key")).toString().toUtf8();
}

QStringList ffmpegSineSource(quint16 port, const QByteArray &key, const QString &name, int seconds)
{
    const QString url = QStringLiteral("icecast://source:%1@127.0.0.1:%2/live/%3")
                            .arg(QString::fromUtf8(key))
                            .arg(port)
                            .arg(name);
    return {QStringLiteral("-hide_banner"),
            QStringLiteral("-loglevel"),
            QStringLiteral("error"),
            QStringLiteral("-re"),
            QStringLiteral("-f"),
            QStringLiteral("lavfi"),
            QStringLiteral("-i"),
            QStringLiteral("sine=frequency=440:sample_rate=44100"),
            QStringLiteral("-t"),
            QString::number(seconds),
            QStringLiteral("-c:a"),
            QStringLiteral("libmp3lame"),
            QStringLiteral("-b:a"),
            QStringLiteral("128k"),
            QStringLiteral("-content_type"),
            QStringLiteral("audio/mpeg"),
            QStringLiteral("-ice_name"),
            QStringLiteral("Test tone"),
            QStringLiteral("-ice_genre"),
            QStringLiteral("test"),
            QStringLiteral("-f"),
            QStringLiteral("mp3"),
            url};
}

QStringList ffmpegToneSource(quint16 port, const QByteArray &key, const QString &name, int seconds,
                             const QStringList &codecArguments, const QString &contentType,
                             const QString &muxer)
{
    const QString url = QStringLiteral("icecast://source:%1@127.0.0.1:%2/live/%3")
                            .arg(QString::fromUtf8(key))
                            .arg(port)
                            .arg(name);
    QStringList arguments{
        QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
        QStringLiteral("error"),        QStringLiteral("-re"),
        QStringLiteral("-f"),           QStringLiteral("lavfi"),
        QStringLiteral("-i"),           QStringLiteral("sine=frequency=440:sample_rate=48000"),
        QStringLiteral("-ac"),          QStringLiteral("2"),
        QStringLiteral("-t"),           QString::number(seconds)};
    arguments += codecArguments;
    if (!contentType.isEmpty()) // else ffmpeg announces audio/mpeg, whatever it sends
        arguments += {QStringLiteral("-content_type"), contentType};
    arguments += {QStringLiteral("-f"), muxer, url};
    return arguments;
}

QJsonObject streamInfo(ServerProcess &server, const QByteArray &token, const QString &name)
{
    HttpProbe probe(server.httpPort());
    return probe
        .get("/api/streams/" + name.toUtf8(), 5000, "Authorization: Bearer " + token + "\r\n")
        .json();
}

bool waitForStreamState(ServerProcess &server, const QByteArray &token, const QString &name,
                        const QString &state, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (streamInfo(server, token, name).value(QStringLiteral("state")).toString() == state)
            return true;
        QThread::msleep(100);
    }
    return false;
}

bool recordStream(const QString &url, double seconds, const QString &file)
{
    auto recorder = startTool(QStringLiteral("ffmpeg"),
                              {QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                               QStringLiteral("error"), QStringLiteral("-y"), QStringLiteral("-i"),
                               url, QStringLiteral("-t"), QString::number(seconds),
                               QStringLiteral("-c"), QStringLiteral("copy"), file});
    return recorder->waitForFinished(int(seconds * 1000) + 15000) && recorder->exitCode() == 0;
}

QJsonObject probeAudio(const QString &file)
{
    auto probe =
        startTool(QStringLiteral("ffprobe"),
                  {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-show_entries"),
                   QStringLiteral("stream=codec_name,sample_rate:format=duration"),
                   QStringLiteral("-of"), QStringLiteral("json"), file});
    probe->waitForFinished(15000);
    const QJsonObject root = QJsonDocument::fromJson(probe->readAllStandardOutput()).object();
    QJsonObject found = root.value(QStringLiteral("streams")).toArray().at(0).toObject();
    found.insert(QStringLiteral("duration"), root.value(QStringLiteral("format"))
                                                 .toObject()
                                                 .value(QStringLiteral("duration"))
                                                 .toString()
                                                 .toDouble());
    return found;
}

QByteArray decodeToPcm(const QString &fileOrUrl, double seconds)
{
    auto decoder = startTool(QStringLiteral("ffmpeg"),
                             {QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                              QStringLiteral("error"), QStringLiteral("-i"), fileOrUrl,
                              QStringLiteral("-t"), QString::number(seconds), QStringLiteral("-f"),
                              QStringLiteral("s16le"), QStringLiteral("-ac"), QStringLiteral("1"),
                              QStringLiteral("-ar"), QStringLiteral("8000"), QStringLiteral("-")});
    decoder->waitForFinished(int(seconds * 1000) + 15000);
    return decoder->readAllStandardOutput();
}

bool is440Hz(const QByteArray &s16le)
{
    const double tone = tonePower(s16le, 8000, 440);
    return s16le.size() >= 8000 && tone > 20 * tonePower(s16le, 8000, 340) &&
           tone > 20 * tonePower(s16le, 8000, 540);
}

std::unique_ptr<QProcess> startTool(const QString &program, const QStringList &arguments,
                                    bool mergeErrors)
{
    auto process = std::make_unique<QProcess>();
    if (mergeErrors)
        process->setProcessChannelMode(QProcess::MergedChannels);
    process->start(program, arguments);
    process->waitForStarted(5000);
    return process;
}

bool haveFfmpeg()
{
    if (QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty() ||
        QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty())
        return false;
    QProcess process;
    process.start(QStringLiteral("ffmpeg"),
                  {QStringLiteral("-hide_banner"), QStringLiteral("-encoders")});
    process.waitForFinished(10000);
    return process.readAllStandardOutput().contains("libmp3lame");
}

double tonePower(const QByteArray &s16le, int sampleRate, double frequency)
{
    const auto *samples = reinterpret_cast<const qint16 *>(s16le.constData());
    const qsizetype count = s16le.size() / 2;
    const double coefficient = 2 * std::cos(2 * M_PI * frequency / sampleRate);
    double previous = 0;
    double beforePrevious = 0;
    for (qsizetype i = 0; i < count; ++i) {
        const double current = samples[i] + coefficient * previous - beforePrevious;
        beforePrevious = previous;
        previous = current;
    }
    return previous * previous + beforePrevious * beforePrevious -
           coefficient * previous * beforePrevious;
}

RawClient::RawClient(quint16 port, int receiveBuffer)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (m_fd < 0)
        return;
    if (receiveBuffer > 0) {
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
        // An internet-sized segment: on loopback (64 KiB segments) the server's kernel would
        // otherwise size its send buffer to over a megabyte for this peer.
        const int segment = 1400;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_MAXSEG, &segment, sizeof segment);
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

RawClient::~RawClient()
{
    close();
}

void RawClient::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

bool RawClient::send(const QByteArray &data)
{
    QByteArrayView bytes = data;
    while (m_fd >= 0 && !bytes.isEmpty()) {
        const ssize_t sent = ::send(m_fd, bytes.data(), size_t(bytes.size()), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return false;
        bytes = bytes.sliced(sent);
    }
    return m_fd >= 0;
}

QByteArray RawClient::read(int timeoutMs, qsizetype max, QByteArrayView until)
{
    QByteArray data;
    QDeadlineTimer deadline(timeoutMs);
    char buffer[16384];
    while (m_fd >= 0 && data.size() < max && !deadline.hasExpired()) {
        pollfd descriptor{m_fd, POLLIN, 0};
        if (::poll(&descriptor, 1, int(qMax<qint64>(1, deadline.remainingTime()))) <= 0)
            continue;
        const ssize_t received =
            ::recv(m_fd, buffer, size_t(qMin<qsizetype>(sizeof buffer, max - data.size())), 0);
        if (received <= 0)
            break;
        data.append(buffer, received);
        if (!until.isEmpty() && data.contains(until))
            break;
    }
    return data;
}

bool RawClient::waitForClose(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    char buffer[16384];
    while (m_fd >= 0 && !deadline.hasExpired()) {
        pollfd descriptor{m_fd, POLLIN, 0};
        if (::poll(&descriptor, 1, int(qMax<qint64>(1, deadline.remainingTime()))) <= 0)
            continue;
        if (::recv(m_fd, buffer, sizeof buffer, 0) <= 0)
            return true;
    }
    return false;
}

RawClient::Ending RawClient::readToEnd(int timeoutMs, QByteArray *received)
{
    QDeadlineTimer deadline(timeoutMs);
    char buffer[16384];
    while (m_fd >= 0 && !deadline.hasExpired()) {
        pollfd descriptor{m_fd, POLLIN, 0};
        if (::poll(&descriptor, 1, int(qMax<qint64>(1, deadline.remainingTime()))) <= 0)
            continue;
        const ssize_t got = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (got > 0) {
            if (received)
                received->append(buffer, got);
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        return got == 0 ? Ending::Eof : Ending::Reset;
    }
    return Ending::StillOpen;
}

QByteArray sourceAuth(const QByteArray &key)
{
    return "Authorization: Basic " + QByteArray("source:" + key).toBase64() + "\r\n";
}

} // namespace veza::testing
