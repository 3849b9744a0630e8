#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <memory>

class QAudioSink;
class QThread;

namespace veza::console {

class AudioDecoder;
class PcmQueue;

// ListenIn: plays a live stream in the console so a moderator hears what is on air, in the
// rendition they pick (the source's own bytes, an Opus rung, MP3, AAC), with volume and mute.
// The stream is read and decoded by an AudioDecoder (FFmpeg) on a thread of its own, into a
// PcmQueue the sound device (QAudioSink) pulls from; nothing waits on the GUI thread, and a
// network failure ends in the Failed state with its reason. It reports its state, its buffer
// (decoded audio not played yet, the device's included) and how far behind live it plays
// (the wall time since the first audio arrived minus the audio played, plus the burst the
// server hands a new listener). Without a sound device the audio is consumed in real time, so
// the player still runs. GUI thread.
class ListenIn : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Connecting, Buffering, Playing, Failed };

    // The path of a rendition: "source" (or empty) /live/NAME, "opus" and the ladder's
    // "opusNN" /live/NAME.opus[?bitrate=NN], "mp3" and "aac" /live/NAME.mp3 and .aac.
    static QUrl urlOf(const QUrl &httpBase, const QString &stream, const QString &rendition);

    explicit ListenIn(QObject *parent = nullptr);
    ~ListenIn() override;

    // `httpBase`: the server's base URL (its /live/ paths). Another stream or rendition while
    // playing replaces the one playing.
    void play(const QUrl &httpBase, const QString &stream, const QString &rendition);
    void stop();
    void setVolume(float volume); // 0..1
    void setMuted(bool muted);

    State state() const { return m_state; }
    qint64 positionMs() const; // audio played since play()
    qint64 bufferedMs() const; // decoded, not played yet
    // -1 until playing.
    qint64 behindLiveMs() const;
    QString stream() const { return m_stream; }
    QString rendition() const { return m_rendition; }
    QString codec() const { return m_codec; } // what the decoder found
    QString problem() const { return m_problem; }
    QString describe() const; // one line for the status label

Q_SIGNALS:
    void changed(); // state, buffer, position
    void failed(const QString &problem);

private:
    void setState(State state);
    void opened(const QString &codec);
    void fail(const QString &problem);
    void tick();
    void startOutput();
    void stopDecoding();

    QString m_stream;
    QString m_rendition;
    QString m_codec;
    QString m_problem;
    State m_state = State::Stopped;
    std::shared_ptr<PcmQueue> m_queue;
    QPointer<AudioDecoder> m_decoder;
    QPointer<QThread> m_thread;
    QAudioSink *m_sink = nullptr;
    QTimer m_ticks;               // state, buffer and position, 4 times a second
    QElapsedTimer m_since;        // since the first audio arrived
    QElapsedTimer m_drainedSince; // no sound device: the audio consumed in real time
    qint64 m_drainedBytes = 0;
    float m_volume = 1;
    bool m_muted = false;
};

} // namespace veza::console
