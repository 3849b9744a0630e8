#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace veza::streaming {

// SHOUTcast/Icecast in-band metadata for a listener that sent "Icy-MetaData: 1": after every
// `metaint` audio bytes comes one metadata block: a length byte N, then N*16 bytes of
// "StreamTitle='...';" padded with NULs. As Icecast does, the text is sent in the first block
// and whenever the title changes; other blocks are a single 0 byte. One per listener.
class IcyInterleaver
{
public:
    static constexpr int defaultMetaint = 16000;

    explicit IcyInterleaver(int metaint = defaultMetaint);

    // Appends `audio` to `out` with the metadata blocks due inside it; `title` is the current
    // title (UTF-8).
    void feed(QByteArrayView audio, const QByteArray &title, QByteArray &out);
    int metaint() const { return m_metaint; }

    // One block: length byte, "StreamTitle='<title>';" padded to a multiple of 16. In the title,
    // a single quote becomes U+2019 and control characters are dropped, so it cannot end the
    // field or inject a StreamUrl; it is cut (on a UTF-8 boundary) to fit the 4080-byte maximum.
    static QByteArray block(const QByteArray &title);

private:
    int m_metaint;
    int m_untilBlock;
    QByteArray m_sentTitle;
    bool m_sentAny = false;
};

} // namespace veza::streaming
