#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <memory>

namespace veza::testing {

class ServerProcess;

// Creates a public stream owned by `owner` (a broadcaster token) and returns its key, or an
// empty array on failure.
QByteArray createStream(ServerProcess &server, const QByteArray &token, const QString &name);

// The ffmpeg command line of docs/protocol.md: a 440 Hz sine encoded as 128 kbit/s MP3 and
// published in real time for `seconds` through the icecast protocol.
QStringList ffmpegSineSource(quint16 port, const QByteArray &key, const QString &name, int seconds);
// A 440 Hz sine (48 kHz stereo, amplitude 1/8: -18 dBFS) published in real time for `seconds`
// through the icecast protocol, encoded with `codecArguments` (e.g. -c:a libopus -b:a 128k)
// into the `muxer` container (ogg, webm, adts, mp3) announced as `contentType` (empty: no
// -content_type, so ffmpeg's default, audio/mpeg, whatever the container).
QStringList ffmpegToneSource(quint16 port, const QByteArray &key, const QString &name, int seconds,
                             const QStringList &codecArguments, const QString &contentType,
                             const QString &muxer);
// Starts ffmpeg (or ffprobe) with these arguments; stdout kept, stderr merged into it when
// `mergeErrors`.
std::unique_ptr<QProcess> startTool(const QString &program, const QStringList &arguments,
                                    bool mergeErrors = false);
// Whether ffmpeg with libmp3lame and ffprobe can be run here.
bool haveFfmpeg();

// GET /api/streams/{name} with `token`.
QJsonObject streamInfo(ServerProcess &server, const QByteArray &token, const QString &name);
// Polls streamInfo() until its "state" is `state`.
bool waitForStreamState(ServerProcess &server, const QByteArray &token, const QString &name,
                        const QString &state, int timeoutMs);
// Copies `seconds` of what `url` serves, unchanged (-c copy), into `file`; true when ffmpeg
// succeeded.
bool recordStream(const QString &url, double seconds, const QString &file);
// ffprobe's first stream and the format of `file`: {"codec_name","sample_rate","duration"}.
QJsonObject probeAudio(const QString &file);
// The audio of `fileOrUrl` decoded to signed 16-bit mono at 8 kHz (at most `seconds`).
QByteArray decodeToPcm(const QString &fileOrUrl, double seconds);
// Whether 440 Hz dominates `s16le` (8 kHz mono): 20 times the power at 340 and 540 Hz.
bool is440Hz(const QByteArray &s16le);

// The power of `frequency` in signed 16-bit mono samples (Goertzel).
double tonePower(const QByteArray &s16le, int sampleRate, double frequency);

// A blocking socket to PORT speaking raw bytes: an Icecast source or a listener written by hand.
class RawClient
{
public:
    // `receiveBuffer` > 0: SO_RCVBUF (and a 1400-byte MSS) before connecting: a listener that
    // stops reading.
    explicit RawClient(quint16 port, int receiveBuffer = 0);
    ~RawClient();
    RawClient(const RawClient &) = delete;
    RawClient &operator=(const RawClient &) = delete;

    bool isOpen() const { return m_fd >= 0; }
    void close(); // as a player does once the stream ended
    int descriptor() const { return m_fd; }
    bool send(const QByteArray &data);
    // Reads what arrives within `timeoutMs`, up to `max` bytes; stops early once `until`
    // (if not empty) has been seen.
    QByteArray read(int timeoutMs, qsizetype max = 1 << 20, QByteArrayView until = {});
    // Whether the server closed the connection (EOF or reset) within `timeoutMs`, draining.
    bool waitForClose(int timeoutMs);

    // How a connection ended, as a player or an encoder sees it: Eof after the server's last
    // byte (an orderly close), Reset when the kernel reported ECONNRESET (bytes may be lost).
    enum class Ending { StillOpen, Eof, Reset };
    // Reads until the connection ends or `timeoutMs` pass; what arrived goes to `received`.
    Ending readToEnd(int timeoutMs, QByteArray *received = nullptr);

private:
    int m_fd = -1;
};

// "Authorization: Basic base64(source:key)\r\n"
QByteArray sourceAuth(const QByteArray &key);

} // namespace veza::testing
