#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QMutex>

namespace veza::console {

// PcmQueue: decoded audio between the decoder's thread, which appends, and the audio sink,
// which reads it (the GUI thread, QAudioSink's pull mode). A read never waits: an empty queue
// gives nothing and the sink underruns. It keeps at most `maxBytes`; beyond, the oldest audio
// goes, so a stalled device cannot leave the player ever further behind live. Thread-safe.
class PcmQueue : public QIODevice
{
    Q_OBJECT

public:
    explicit PcmQueue(qint64 maxBytes, QObject *parent = nullptr);

    void append(const char *data, qint64 size); // any thread
    qint64 queuedBytes() const;                 // any thread
    qint64 droppedBytes() const;                // any thread
    void clear();

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    void compact();

    const qint64 m_maxBytes;
    mutable QMutex m_mutex;
    QByteArray m_bytes;
    qint64 m_head = 0; // the first byte not read yet
    qint64 m_dropped = 0;
};

} // namespace veza::console
