#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace veza::testing {

// A throwaway PulseAudio server with a null sink, so the console's listen-in plays for real on
// a machine without a sound card: start() runs Debian's `pulseaudio` on a private socket and
// points this process at it (PULSE_SERVER), before Qt Multimedia looks for devices.
class PulseAudioSink
{
public:
    ~PulseAudioSink();
    bool start(); // false (and errorString()) when pulseaudio is missing or does not start
    QString errorString() const { return m_error; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QString m_error;
};

} // namespace veza::testing
