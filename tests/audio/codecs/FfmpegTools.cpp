#include "FfmpegTools.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <cstring>

namespace veza::audio::test {

ToolRun runTool(const QString &program, const QStringList &arguments)
{
    ToolRun run;
    QProcess process;
    process.start(program, arguments);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        run.err = process.errorString().toUtf8();
        return run;
    }
    run.finished = process.exitStatus() == QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

Probe probe(const QString &file)
{
    Probe result;
    const ToolRun run = runTool(QStringLiteral("ffprobe"),
                                {QStringLiteral("-v"), QStringLiteral("error"),
                                 QStringLiteral("-show_streams"), QStringLiteral("-show_format"),
                                 QStringLiteral("-of"), QStringLiteral("json"), file});
    if (!run.finished || run.exitCode != 0) {
        result.error = QStringLiteral("ffprobe failed: ") + QString::fromUtf8(run.err);
        return result;
    }
    const QJsonObject root = QJsonDocument::fromJson(run.out).object();
    const QJsonObject stream = root.value(QLatin1StringView("streams")).toArray().at(0).toObject();
    const QJsonObject format = root.value(QLatin1StringView("format")).toObject();
    if (stream.isEmpty() || format.isEmpty()) {
        result.error = QStringLiteral("ffprobe printed no stream: ") + QString::fromUtf8(run.out);
        return result;
    }
    // ffprobe prints numbers as JSON strings.
    result.codecName = stream.value(QLatin1StringView("codec_name")).toString();
    result.sampleRate = stream.value(QLatin1StringView("sample_rate")).toString().toInt();
    result.durationSeconds = format.value(QLatin1StringView("duration")).toString().toDouble();
    result.bitRate = format.value(QLatin1StringView("bit_rate")).toString().toLongLong();
    return result;
}

std::vector<float> decodeMono(const QString &file, bool *ok, QByteArray *log)
{
    const ToolRun run =
        runTool(QStringLiteral("ffmpeg"),
                {QStringLiteral("-nostdin"), QStringLiteral("-v"), QStringLiteral("error"),
                 QStringLiteral("-i"), file, QStringLiteral("-f"), QStringLiteral("f32le"),
                 QStringLiteral("-ac"), QStringLiteral("1"), QStringLiteral("-ar"),
                 QStringLiteral("48000"), QStringLiteral("-")});
    *ok = run.finished && run.exitCode == 0;
    *log = run.err;
    std::vector<float> samples(size_t(run.out.size()) / sizeof(float));
    std::memcpy(samples.data(), run.out.constData(), samples.size() * sizeof(float));
    return samples;
}

} // namespace veza::audio::test
