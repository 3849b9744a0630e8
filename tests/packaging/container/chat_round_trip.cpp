// chat_round_trip WS_PORT ALICE_TOKEN BOB_TOKEN: two chat clients join the room "lobby" on
// 127.0.0.1:WS_PORT, alice sends a message, bob must receive it. Exit 0 when he does, 1 with
// the reason otherwise. The container test runs it against the image's server.
#include "ChatTestClient.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <cstdio>
#include <memory>

using veza::testing::ChatTestClient;

namespace {

int fail(const char *reason)
{
    std::fprintf(stderr, "chat_round_trip: %s\n", reason);
    return 1;
}

std::unique_ptr<ChatTestClient> joinLobby(quint16 port, const QByteArray &token)
{
    auto client = std::make_unique<ChatTestClient>();
    client->open(port, token);
    if (!client->waitConnected(10000))
        return nullptr;
    const QJsonObject ack = client->answerTo(
        client->request(QStringLiteral("join"), {{QStringLiteral("room"), u"lobby"_qs}}));
    return ack.value(QStringLiteral("type")).toString() == u"ack" ? std::move(client) : nullptr;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 4)
        return fail("usage: chat_round_trip WS_PORT ALICE_TOKEN BOB_TOKEN");
    const quint16 port = QByteArray(argv[1]).toUShort();
    auto alice = joinLobby(port, argv[2]);
    auto bob = joinLobby(port, argv[3]);
    if (!alice || !bob)
        return fail("could not connect and join the room lobby");

    const QString body = QStringLiteral("hello from the image");
    const QJsonObject ack = alice->answerTo(
        alice->request(QStringLiteral("send"), {{QStringLiteral("room"), u"lobby"_qs},
                                                {QStringLiteral("body"), body},
                                                {QStringLiteral("client_msg_id"), u"c-1"_qs}}));
    if (ack.value(QStringLiteral("type")).toString() != u"ack")
        return fail("the send was not acknowledged");
    const QJsonObject message = bob->waitFor(QStringLiteral("message"));
    if (message.value(QStringLiteral("body")).toString() != body ||
        message.value(QStringLiteral("sender")).toString() != u"alice")
        return fail("bob did not receive alice's message");
    std::printf("chat round trip: bob received message %lld from alice\n",
                static_cast<long long>(message.value(QStringLiteral("message_id")).toInteger()));
    return 0;
}
