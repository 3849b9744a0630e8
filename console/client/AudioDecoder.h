#pragma once

#include <QObject>
#include <QString>
#include <QUrl>
#include <atomic>
#include <memory>

namespace veza::console {

class PcmQueue;

// AudioDecoder: reads one live stream over HTTP and decodes it with FFmpeg (libavformat,
// libavcodec, libswresample: Opus, MP3, AAC or whatever the source sends) into 48 kHz stereo
// 16-bit PCM appended to a PcmQueue. run() blocks until the stream ends, fails or abort() is
// called; it runs on a thread of its own (ListenIn starts one per listening), never the GUI
// thread. A network silent for 5 s fails it. Signals cross to the GUI thread queued.
class AudioDecoder : public QObject
{
    Q_OBJECT

public:
    static constexpr int kSampleRate = 48000;
    static constexpr int kChannels = 2;
    static constexpr int kBytesPerFrame = kChannels * 2; // 16-bit samples

    AudioDecoder(QUrl url, std::shared_ptr<PcmQueue> output);

    void run();   // the decoder's thread
    void abort(); // any thread: run() returns within milliseconds, whatever it waits for

Q_SIGNALS:
    void opened(const QString &codec); // "mp3, 44100 Hz, 2 channels"
    void failed(const QString &problem);
    void ended(); // the server ended the stream

private:
    static int interrupted(void *decoder);
    bool decode();

    QUrl m_url;
    std::shared_ptr<PcmQueue> m_output;
    std::atomic<bool> m_abort{false};
};

} // namespace veza::console
