#pragma once

#include <QElapsedTimer>
#include <QMediaPlayer>
#include <QObject>
#include <QUrl>

class QAudioOutput;

namespace veza::console {

// ListenIn: plays a live stream in the console (Qt Multimedia, the FFmpeg backend) so a
// moderator hears what is on air: its Opus rendition (/live/{name}.opus), with volume and
// mute. It reports its own state, how full its buffer is
// and how far behind live it plays (the wall time since it started playing minus the audio
// played, plus the burst the server hands a new listener). GUI thread.
class ListenIn : public QObject
{
    Q_OBJECT

public:
    // Picks Qt Multimedia's FFmpeg backend (the FFmpeg the server uses; Debian's GStreamer one
    // would need plugins nobody installed) unless QT_MEDIA_BACKEND says otherwise. Before the
    // first media object.
    static void chooseBackend();
    // The renditions it can play, as the path's extension: "opus" (see the .cpp for why
    // not "mp3", "aac" or the source's own bytes).
    static QStringList renditions();

    explicit ListenIn(QObject *parent = nullptr);
    ~ListenIn() override;

    // `httpBase`: the server's base URL (its /live/ paths).
    void play(const QUrl &httpBase, const QString &stream, const QString &rendition);
    void stop();
    void setVolume(float volume); // 0..1
    void setMuted(bool muted);

    QMediaPlayer::PlaybackState state() const { return m_player->playbackState(); }
    qint64 positionMs() const { return m_player->position(); }
    float bufferProgress() const { return m_player->bufferProgress(); }
    // -1 until playing.
    qint64 behindLiveMs() const;
    QString stream() const { return m_stream; }
    QString describe() const; // one line for the status label

Q_SIGNALS:
    void changed(); // state, buffer, position
    void failed(const QString &problem);

private:
    QMediaPlayer *m_player;
    QAudioOutput *m_output;
    QString m_stream;
    QElapsedTimer m_playingSince;
};

} // namespace veza::console
