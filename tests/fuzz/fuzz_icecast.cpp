// Fuzz target: what an Icecast source or encoder sends in text, as the server reads it. The
// input is a request (SOURCE/PUT /live/name, GET /admin/metadata?...) and what follows it:
//   - Basic credentials: what parses must write back and parse to the same user and password;
//   - the Content-Type: a type the server takes must have a demuxer, also after the first
//     bytes overrule it (SourceSniffer);
//   - ice-* headers: the head listeners get stays one well-formed head (no header injection);
//   - a metadata update's title, and the ICY block it becomes: no quote or control character
//     can end StreamTitle early, sizes as the format wants;
//   - ICY interleaving of the body as audio: the listener's bytes come apart into the same
//     audio and well-formed blocks.
#include "FuzzSupport.h"
#include "audio/input/ContentTypeFormat.h"
#include "endpoints/icecast/IcecastHeads.h"
#include "endpoints/icecast/IcecastMetadata.h"
#include "net/http/BasicAuth.h"
#include "net/http/HttpRequest.h"
#include "net/ws/Utf8Validator.h"
#include "streaming/IcyInterleaver.h"
#include "streaming/SourceSniffer.h"

using namespace veza;
using streaming::IcyInterleaver;

namespace {

void checkCredentials(const QByteArray &authorization)
{
    const auto credentials = net::http::parseBasicAuth(authorization);
    if (!credentials)
        return;
    FUZZ_CHECK(!credentials->user.contains(':'));
    const QByteArray written =
        "Basic " + QByteArray(credentials->user + ':' + credentials->password).toBase64();
    const auto again = net::http::parseBasicAuth(written);
    FUZZ_CHECK(again && again->user == credentials->user &&
               again->password == credentials->password);
}

void checkContentType(const QByteArray &header, QByteArrayView body)
{
    const std::optional<QByteArray> type = endpoints::IcecastHeads::sourceContentType(header);
    if (!type)
        return;
    FUZZ_CHECK(audio::containerForContentType(*type).has_value());
    const QByteArray played = streaming::SourceSniffer::reconcile(*type, body);
    FUZZ_CHECK(audio::containerForContentType(played).has_value() && !played.isEmpty());
}

void checkListenerHead(const net::http::HttpRequest &request)
{
    streaming::SourceMeta meta;
    meta.contentType = endpoints::IcecastHeads::sourceContentType(request.header("content-type"))
                           .value_or("audio/mpeg");
    meta.name = request.header("ice-name");
    meta.description = request.header("ice-description");
    meta.genre = request.header("ice-genre");
    meta.url = request.header("ice-url");
    meta.isPublic = request.header("ice-public").trimmed() == "1";
    const QByteArray head = endpoints::IcecastHeads::listenerHead(meta, true);
    FUZZ_CHECK(head.startsWith("HTTP/1.1 200 OK\r\n") && head.endsWith("\r\n\r\n"));
    const QList<QByteArray> lines = head.chopped(4).split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        FUZZ_CHECK(line.endsWith('\r') || i == lines.size() - 1);
        const QByteArray text = line.endsWith('\r') ? line.chopped(1) : line;
        FUZZ_CHECK(!text.isEmpty() && !text.contains('\r') && !text.contains('\0'));
        FUZZ_CHECK(i == 0 || text.indexOf(": ") > 0);
    }
}

// An ICY block: length byte N, then N*16 bytes of "StreamTitle='...';" padded with NULs.
void checkBlock(QByteArrayView block, bool utf8Title)
{
    FUZZ_CHECK(block.size() >= 1 && (block.size() - 1) % 16 == 0);
    FUZZ_CHECK(quint8(block[0]) == (block.size() - 1) / 16 && block.size() <= 1 + 255 * 16);
    QByteArrayView text = block.sliced(1);
    while (text.endsWith('\0'))
        text.chop(1);
    FUZZ_CHECK(text.startsWith("StreamTitle='") && text.endsWith("';"));
    const QByteArrayView title = text.sliced(13).chopped(2);
    for (const char c : title)
        FUZZ_CHECK(c != '\'' && quint8(c) >= 0x20 && c != 0x7F);
    if (utf8Title)
        FUZZ_CHECK(net::ws::Utf8Validator::isValid(title));
}

void checkMetadata(const net::http::HttpRequest &request)
{
    QByteArray problem;
    const std::optional<QByteArray> title = endpoints::IcecastMetadata::titleOf(request, &problem);
    if (!title) {
        FUZZ_CHECK(!problem.isEmpty());
        return;
    }
    FUZZ_CHECK(net::ws::Utf8Validator::isValid(*title));
    const QString text = QString::fromUtf8(*title);
    FUZZ_CHECK(text.size() <= endpoints::IcecastMetadata::maxCharacters);
    for (const QChar c : text)
        FUZZ_CHECK(c.category() != QChar::Other_Control);
    checkBlock(IcyInterleaver::block(*title), true);
}

// Feeds `audio` through an interleaver in pieces (the title changing halfway), then takes the
// listener's bytes apart again.
void checkInterleaving(QByteArrayView audio, const QByteArray &title)
{
    const int metaint = 1 + int(audio.size() % 97);
    IcyInterleaver interleaver(metaint);
    QByteArray out;
    qsizetype fed = 0;
    veza::fuzz::forEachPiece(audio, 61, [&](QByteArrayView piece) {
        interleaver.feed(piece, fed < audio.size() / 2 ? title : QByteArray("second"), out);
        fed += piece.size();
    });
    QByteArray audioAgain;
    QByteArrayView rest = out;
    while (!rest.isEmpty()) {
        const qsizetype take = qMin<qsizetype>(metaint, rest.size());
        audioAgain += rest.first(take);
        rest = rest.sliced(take);
        if (take < metaint)
            break;
        FUZZ_CHECK(!rest.isEmpty()); // a block follows every metaint bytes of audio
        const qsizetype blockSize = 1 + 16 * quint8(rest[0]);
        FUZZ_CHECK(blockSize <= rest.size());
        if (blockSize > 1)
            checkBlock(rest.first(blockSize), false);
        rest = rest.sliced(blockSize);
    }
    FUZZ_CHECK(audioAgain == audio);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    veza::fuzz::quietQtLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArrayView data(bytes, qsizetype(size));
    net::http::HttpRequest request;
    const net::http::HeadParse parse = net::http::parseRequestHead(data, &request.head, 16 * 1024);
    if (parse.status != net::http::ParseStatus::Complete) {
        // Not a request: the bytes as a title from elsewhere (the streams API) and as audio.
        checkBlock(IcyInterleaver::block(data.toByteArray()), false);
        checkInterleaving(data, data.first(qMin<qsizetype>(data.size(), 64)).toByteArray());
        return 0;
    }
    const QByteArrayView body = data.sliced(parse.consumed);
    checkCredentials(request.header("authorization"));
    checkContentType(request.header("content-type"), body);
    checkListenerHead(request);
    checkMetadata(request);
    checkInterleaving(body, request.queryItem("song"));
    return 0;
}
