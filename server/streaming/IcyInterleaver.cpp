#include "streaming/IcyInterleaver.h"

namespace veza::streaming {

namespace {
constexpr qsizetype kMaxBlockBytes = 255 * 16;

// The title as it may stand between StreamTitle=' and ';: players end the field at the first
// quote (or at "';", or at a NUL), so a quote becomes U+2019 (which reads the same) and control
// characters go; a title can then neither end the field early nor add a StreamUrl of its own.
QByteArray fieldText(const QByteArray &title, qsizetype maxBytes)
{
    QByteArray text;
    text.reserve(title.size());
    for (const char c : title) {
        if (c == '\'')
            text += "\xE2\x80\x99";
        else if (quint8(c) >= 0x20 && c != 0x7F)
            text += c;
    }
    if (text.size() <= maxBytes)
        return text;
    qsizetype cut = maxBytes;
    while (cut > 0 && (quint8(text[cut]) & 0xC0) == 0x80) // not inside a UTF-8 sequence
        --cut;
    return text.left(cut);
}
} // namespace

IcyInterleaver::IcyInterleaver(int metaint)
    : m_metaint(qMax(1, metaint))
    , m_untilBlock(m_metaint)
{
}

QByteArray IcyInterleaver::block(const QByteArray &title)
{
    QByteArray text = "StreamTitle='";
    const QByteArray tail = "';";
    text += fieldText(title, kMaxBlockBytes - text.size() - tail.size());
    text += tail;
    const qsizetype units = (text.size() + 15) / 16;
    text.append(units * 16 - text.size(), '\0');
    text.prepend(char(units));
    return text;
}

void IcyInterleaver::feed(QByteArrayView audio, const QByteArray &title, QByteArray &out)
{
    while (!audio.isEmpty()) {
        const qsizetype take = qMin<qsizetype>(audio.size(), m_untilBlock);
        out.append(audio.data(), take);
        audio = audio.sliced(take);
        m_untilBlock -= int(take);
        if (m_untilBlock > 0)
            break;
        if (!m_sentAny || title != m_sentTitle) {
            out.append(block(title));
            m_sentTitle = title;
            m_sentAny = true;
        } else {
            out.append('\0');
        }
        m_untilBlock = m_metaint;
    }
}

} // namespace veza::streaming
