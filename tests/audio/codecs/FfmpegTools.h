#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <vector>

namespace veza::audio::test {

struct ToolRun
{
    bool finished = false; // started and exited within the time limit
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs ffmpeg/ffprobe (found on PATH) to completion, at most 30 s.
ToolRun runTool(const QString &program, const QStringList &arguments);

// What ffprobe reports about the first stream of a file.
struct Probe
{
    QString error; // empty when ffprobe ran and printed JSON
    QString codecName;
    int sampleRate = 0;
    double durationSeconds = 0;
    qint64 bitRate = 0; // format bit_rate, bits/s
};
Probe probe(const QString &file);

// Decodes a file to mono float at 48 kHz (ffmpeg -f f32le -ac 1 -ar 48000). `log` gets
// ffmpeg's errors (-v error); empty means it decoded cleanly.
std::vector<float> decodeMono(const QString &file, bool *ok, QByteArray *log);

} // namespace veza::audio::test
