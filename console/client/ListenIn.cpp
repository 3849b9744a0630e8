#include "ListenIn.h"

#include <QAudioDevice>
#include <QAudioOutput>
#include <QLocale>

namespace veza::console {
namespace {

// What the server hands a new HTTP listener at once (STREAM_BURST_MS's default): the player
// starts that far behind the live edge.
constexpr qint64 kServerBurstMs = 1000;

} // namespace

void ListenIn::chooseBackend()
{
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "ffmpeg");
}

QStringList ListenIn::renditions()
{
    // MP3 and AAC crash Qt 6.4.2's FFmpeg media backend (a technology preview: swr_convert
    // on its audio render thread, seen in tst_console), so the console plays the Opus
    // rendition, which every stream with Opus in CODECS_ENABLED offers.
    return {QStringLiteral("opus")};
}

ListenIn::ListenIn(QObject *parent)
    : QObject(parent)
    , m_player(new QMediaPlayer(this))
    , m_output(new QAudioOutput(this))
{
    m_player->setAudioOutput(m_output);
    connect(m_player, &QMediaPlayer::playbackStateChanged, this, [this](auto state) {
        if (state == QMediaPlayer::PlayingState)
            m_playingSince.start();
        else
            m_playingSince.invalidate();
        Q_EMIT changed();
    });
    connect(m_player, &QMediaPlayer::bufferProgressChanged, this, &ListenIn::changed);
    connect(m_player, &QMediaPlayer::positionChanged, this, &ListenIn::changed);
    connect(m_player, &QMediaPlayer::errorOccurred, this,
            [this](QMediaPlayer::Error, const QString &problem) { Q_EMIT failed(problem); });
}

ListenIn::~ListenIn()
{
    m_player->stop();
}

void ListenIn::play(const QUrl &httpBase, const QString &stream, const QString &rendition)
{
    m_stream = stream;
    QUrl url = httpBase;
    const QString extension =
        rendition.isEmpty() || rendition == u"source" ? QString() : QLatin1Char('.') + rendition;
    url.setPath(QStringLiteral("/live/%1%2").arg(stream, extension));
    m_player->stop();
    m_player->setSource(url);
    m_player->play();
}

void ListenIn::stop()
{
    m_player->stop();
    m_player->setSource({});
    m_stream.clear();
}

void ListenIn::setVolume(float volume)
{
    m_output->setVolume(volume);
}

void ListenIn::setMuted(bool muted)
{
    m_output->setMuted(muted);
}

qint64 ListenIn::behindLiveMs() const
{
    if (!m_playingSince.isValid())
        return -1;
    return std::max<qint64>(0, m_playingSince.elapsed() - m_player->position()) + kServerBurstMs;
}

QString ListenIn::describe() const
{
    switch (m_player->playbackState()) {
    case QMediaPlayer::StoppedState:
        return m_player->mediaStatus() == QMediaPlayer::LoadingMedia ? tr("Connecting...")
                                                                     : tr("Not listening");
    case QMediaPlayer::PausedState:
        return tr("Paused");
    case QMediaPlayer::PlayingState:
        break;
    }
    const QLocale locale;
    return tr("Playing %1: buffer %2 %, %3 s behind live")
        .arg(m_stream)
        .arg(qRound(m_player->bufferProgress() * 100))
        .arg(locale.toString(behindLiveMs() / 1000.0, 'f', 1));
}

} // namespace veza::console
