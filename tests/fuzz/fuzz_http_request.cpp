// Fuzz target: the HTTP/1.1 request reader. A client's bytes go through the production
// HttpConnection (head parser, body framing, keep-alive, pipelining, "Expect: 100-continue",
// take-over, X-Forwarded-For from a trusted proxy) over a fake transport, once whole and once
// in pieces: both must give the same answers. The same bytes also go through the head parser and
// the WebSocket upgrade parser alone, with their invariants checked.
#include "FuzzSupport.h"
#include "net/http/HttpConnection.h"
#include "net/http/RequestBody.h"
#include "net/ws/Handshake.h"

#include <QHostAddress>
#include <QJsonObject>
#include <memory>
#include <vector>

using namespace veza::net;
using namespace veza::net::http;

namespace {

// The fake peer is a trusted proxy: X-Forwarded-For names the client.
const TrustedProxies kProxies = *TrustedProxies::parse(
    {QStringLiteral("192.0.2.0/24"), QStringLiteral("2001:db8::/32")}, nullptr);
const QString kPeer = QStringLiteral("192.0.2.1");
// Small limits, so that 413, 431 and the flood cut-off are within reach of small inputs.
const HttpLimits kLimits{512, 2048, 30000, &kProxies};

struct Outcome
{
    QByteArray written;   // everything the connection wrote, in order
    QByteArray takenIn;   // bytes a taken-over connection received (its buffered ones first)
    bool closing = false; // closeAfterWrite() was called
    bool aborted = false;
};

class FakeTransport final : public Transport
{
public:
    explicit FakeTransport(Outcome &outcome)
        : m_outcome(outcome)
    {
    }

    // What the network thread does when bytes arrive; dropped once closing, as FdTransport does.
    void receive(QByteArrayView bytes)
    {
        if (!m_outcome.closing && !m_outcome.aborted && m_handler)
            m_handler->onReceived(bytes);
    }

    void write(QByteArrayView bytes) override
    {
        if (!m_outcome.closing && !m_outcome.aborted)
            m_outcome.written.append(bytes);
    }
    qsizetype pendingBytes() const override { return 0; }
    qsizetype backlogBytes() const override { return 0; }
    void closeAfterWrite() override { m_outcome.closing = true; }
    void abort() override
    {
        if (m_outcome.aborted)
            return;
        m_outcome.aborted = true;
        if (m_handler)
            m_handler->onClosed();
    }
    void setReadingPaused(bool) override {}
    void setKernelSendBuffer(int) override {}
    QString peerAddress() const override { return kPeer; }

private:
    Outcome &m_outcome;
};

// What an Icecast source's session does with its endless body, reduced to keeping it.
class TakenBody final : public TakenConnection
{
public:
    TakenBody(std::unique_ptr<Transport> transport, Outcome &outcome)
        : TakenConnection(std::move(transport))
        , m_outcome(outcome)
    {
    }
    void start(QByteArray buffered) override { m_outcome.takenIn += buffered; }

private:
    void onReceived(QByteArrayView bytes) override { m_outcome.takenIn += bytes; }
    Outcome &m_outcome;
};

class Owner final : public HttpConnectionOwner
{
public:
    void connectionClosed(HttpConnection &) override {}
    void connectionTakenOver(HttpConnection &, std::unique_ptr<TakenConnection> taken) override
    {
        m_taken = std::move(taken);
    }

    std::unique_ptr<TakenConnection> m_taken;
};

// Answers as the server's routes do: at once (an echo of what was read), later (/later: after
// the next piece arrives, like a database job), or by taking the connection over (SOURCE, PUT).
class Routes
{
public:
    explicit Routes(Outcome &outcome)
        : m_outcome(outcome)
    {
    }

    void handle(const HttpRequest &request, HttpResponder responder)
    {
        if (request.method() == "SOURCE" || request.method() == "PUT") {
            responder.takeOver(200, [this](std::unique_ptr<Transport> transport) {
                return std::make_unique<TakenBody>(std::move(transport), m_outcome);
            });
            return;
        }
        if (request.path() == "/later") {
            m_later.push_back(std::move(responder));
            return;
        }
        // The client behind the proxy, or the proxy itself when the header says nothing usable.
        FUZZ_CHECK(request.peerAddress == kPeer || (!QHostAddress(request.peerAddress).isNull() &&
                                                    !kProxies.contains(request.peerAddress)));
        HttpResponse response = HttpResponse::json(
            200, {{QStringLiteral("method"), QString::fromLatin1(request.method())},
                  {QStringLiteral("client"), request.peerAddress},
                  {QStringLiteral("path"), QString::fromUtf8(request.path())},
                  {QStringLiteral("q"), QString::fromUtf8(request.queryItem("q"))},
                  {QStringLiteral("body"), QString::fromUtf8(request.body.toBase64())}});
        response.closeConnection = request.path() == "/close";
        responder.send(std::move(response));
    }

    // As the API's body gate: a body for /refused is answered 401 and never read.
    bool admitBody(const HttpRequest &head, HttpResponder &responder)
    {
        FUZZ_CHECK(head.body.isEmpty());
        if (!head.path().startsWith("/refused"))
            return true;
        responder.send(HttpResponse::error(401, "unauthorized"));
        return false;
    }

    // Answering may let the connection read a pipelined request that is itself answered later.
    void answerLater()
    {
        while (!m_later.empty()) {
            for (HttpResponder &responder : std::exchange(m_later, {}))
                responder.send(HttpResponse::json(202, {{QStringLiteral("later"), true}}));
        }
    }

private:
    Outcome &m_outcome;
    std::vector<HttpResponder> m_later;
};

Outcome serve(QByteArrayView data, bool inPieces)
{
    Outcome outcome;
    Routes routes(outcome);
    const HttpConnection::Handler handler = [&routes](const HttpRequest &request,
                                                      HttpResponder responder) {
        routes.handle(request, std::move(responder));
    };
    const HttpConnection::Admission admission = [&routes](const HttpRequest &head,
                                                          HttpResponder &responder) {
        return routes.admitBody(head, responder);
    };
    Owner owner;
    auto transport = std::make_unique<FakeTransport>(outcome);
    FakeTransport *wire = transport.get();
    auto connection =
        std::make_unique<HttpConnection>(std::move(transport), handler, owner, kLimits, admission);
    auto deliver = [&](QByteArrayView piece) {
        routes.answerLater();
        wire->receive(piece); // the transport lives on in a taken-over session
    };
    if (inPieces)
        veza::fuzz::forEachPiece(data, 23, deliver);
    else
        deliver(data);
    routes.answerLater();
    connection.reset();
    owner.m_taken.reset();
    return outcome;
}

// Whether the bytes out depend on how the input was cut: only "100 Continue" may (it is sent
// when the body has not arrived with the head).
QByteArray withoutContinue(QByteArray written)
{
    return written.replace("HTTP/1.1 100 Continue\r\n\r\n", "");
}

void checkHeadParser(QByteArrayView data)
{
    RequestHead head;
    const HeadParse parse = parseRequestHead(data, &head, kLimits.maxHeadBytes);
    if (parse.status == ParseStatus::Invalid) {
        FUZZ_CHECK(parse.httpStatus == 400 || parse.httpStatus == 431 || parse.httpStatus == 505);
        return;
    }
    if (parse.status == ParseStatus::Incomplete) {
        FUZZ_CHECK(data.size() < kLimits.maxHeadBytes);
        return;
    }
    FUZZ_CHECK(parse.consumed > 0 && parse.consumed <= qMin(data.size(), kLimits.maxHeadBytes));
    FUZZ_CHECK(data.first(parse.consumed).endsWith("\r\n\r\n"));
    FUZZ_CHECK(head.target.startsWith('/') && !head.method.isEmpty());
    FUZZ_CHECK(head.minorVersion == 0 || head.minorVersion == 1);
    for (const auto &[name, value] : head.headers)
        FUZZ_CHECK(!value.contains('\r') && !value.contains('\n') && !name.isEmpty());
    // A complete head is not complete one byte earlier.
    FUZZ_CHECK(
        parseRequestHead(data.first(parse.consumed - 1), nullptr, kLimits.maxHeadBytes).status ==
        ParseStatus::Incomplete);
    head.queryItem("q");
    const BodyFraming framing = bodyFraming(head, kLimits.maxBodyBytes);
    FUZZ_CHECK(!framing.ok || (framing.length >= 0 && framing.length <= kLimits.maxBodyBytes));

    ws::UpgradeRequest upgrade;
    const ws::HandshakeParse handshake =
        ws::parseUpgradeRequest(data, &upgrade, kLimits.maxHeadBytes);
    if (handshake.status != ws::HandshakeStatus::Complete)
        return;
    FUZZ_CHECK(handshake.consumed == parse.consumed);
    // Whatever protocol the server picks from the request, its answer stays one head.
    for (const QByteArray &protocol : upgrade.protocols) {
        const QByteArray answer = ws::switchingProtocolsResponse(upgrade, protocol);
        FUZZ_CHECK(answer.indexOf("\r\n\r\n") == answer.size() - 4);
    }
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
    checkHeadParser(data);
    const Outcome whole = serve(data, false);
    const Outcome pieces = serve(data, true);
    // A client flooding past a deferred answer is cut off depending on timing: nothing to compare.
    if (whole.aborted || pieces.aborted)
        return 0;
    FUZZ_CHECK(withoutContinue(whole.written) == withoutContinue(pieces.written));
    FUZZ_CHECK(whole.takenIn == pieces.takenIn);
    FUZZ_CHECK(whole.closing == pieces.closing);
    return 0;
}
