// Unit tests for veza::eventloop::EpollEventDispatcher. The custom main() installs the
// dispatcher on the main thread, so everything Qt does here (QTimer, QTcpSocket,
// QEventLoop, QTest::qWait) runs on it; threadedDispatcher covers QThread::setEventDispatcher.
#include "eventloop/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <memory>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using veza::eventloop::EpollEventDispatcher;

namespace {

struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair()
    {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
            qFatal("socketpair failed");
    }
    ~SocketPair()
    {
        closeEnd(0);
        closeEnd(1);
    }
    void closeEnd(int i)
    {
        if (fds[i] >= 0)
            ::close(fds[i]);
        fds[i] = -1;
    }
    bool send(int i, char c = 'x') const { return ::write(fds[i], &c, 1) == 1; }
    int drain(int i) const
    {
        char buf[256];
        int total = 0;
        for (ssize_t n; (n = ::read(fds[i], buf, sizeof buf)) > 0;)
            total += int(n);
        return total;
    }
};

// Counts timer events and can kill itself / run a nested loop from inside its handler.
class TimerCounter : public QObject
{
public:
    int fired = 0;
    int depth = 0;
    int maxDepth = 0;
    int killAfter = -1;
    int nestedLoopMs = 0;
    int id = 0;

protected:
    void timerEvent(QTimerEvent *e) override
    {
        if (e->timerId() != id)
            return;
        ++fired;
        maxDepth = std::max(maxDepth, ++depth);
        if (fired == killAfter)
            killTimer(id);
        if (nestedLoopMs > 0) {
            QEventLoop loop;
            QTimer::singleShot(nestedLoopMs, &loop, &QEventLoop::quit);
            loop.exec();
        }
        --depth;
    }
};

} // namespace

class TestEpollDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void singleShotTimersFireInOrder();
    void repeatingTimerKeepsPeriod();
    void killTimerFromHandler();
    void registeredTimersAndRemainingTime();
    void timerIsNotReentered();
    void zeroTimerDoesNotStarveSockets();
    void readNotifierFiresOnData();
    void notifierEnableDisable();
    void notifierDeletedByEarlierHandler();
    void hangUpActivatesReadNotifier();
    void excludeSocketNotifiers();
    void crossThreadWakeUp();
    void deleteLaterRunsAtLoopLevel();
    void nestedEventLoops();
    void singleShotZeroOrdering();
    void tcpEcho();
    void thousandsOfSocketPairs();
    void threadedDispatcher();
    void timersFollowMoveToThread();
};

void TestEpollDispatcher::initTestCase()
{
    QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
}

void TestEpollDispatcher::singleShotTimersFireInOrder()
{
    QList<int> order;
    QList<qint64> at;
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    for (int ms : {120, 20, 60, 60, 0}) {
        QTimer::singleShot(ms, Qt::PreciseTimer, this, [&, ms] {
            order << ms;
            at << clock.elapsed();
            if (order.size() == 5)
                loop.quit();
        });
    }
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();
    QCOMPARE(order, (QList<int>{0, 20, 60, 60, 120}));
    for (int i = 0; i < order.size(); ++i) {
        QVERIFY2(at[i] >= order[i], qPrintable(QString::number(at[i])));
        QVERIFY2(at[i] < order[i] + 500, qPrintable(QString::number(at[i]))); // loaded CI
    }
}

void TestEpollDispatcher::repeatingTimerKeepsPeriod()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(20);
    QList<qint64> at;
    QElapsedTimer clock;
    QEventLoop loop;
    connect(&timer, &QTimer::timeout, this, [&] {
        at << clock.elapsed();
        if (at.size() == 15)
            loop.quit();
    });
    clock.start();
    timer.start();
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();
    QCOMPARE(at.size(), 15);
    for (int i = 1; i < at.size(); ++i)
        QVERIFY2(at[i] > at[i - 1], "repeating timer fired twice at once");
    // Deadlines advance from the previous deadline, so 15 periods take 300 ms, not
    // 15 * (20 ms + dispatch latency).
    QVERIFY2(at.last() >= 300, qPrintable(QString::number(at.last())));
    QVERIFY2(at.last() < 300 + 400, qPrintable(QString::number(at.last())));
}

void TestEpollDispatcher::killTimerFromHandler()
{
    TimerCounter counter;
    counter.killAfter = 3;
    counter.id = counter.startTimer(10, Qt::PreciseTimer);
    QTRY_COMPARE_WITH_TIMEOUT(counter.fired, 3, 3000);
    QTest::qWait(150);
    QCOMPARE(counter.fired, 3);
    QCOMPARE(QAbstractEventDispatcher::instance()->remainingTime(counter.id), -1);
    QVERIFY(QAbstractEventDispatcher::instance()->registeredTimers(&counter).isEmpty());
}

void TestEpollDispatcher::registeredTimersAndRemainingTime()
{
    auto *dispatcher = QAbstractEventDispatcher::instance();
    QObject object;
    const int a = object.startTimer(500, Qt::PreciseTimer);
    const int b = object.startTimer(3000, Qt::VeryCoarseTimer);
    const int c = object.startTimer(2400, Qt::VeryCoarseTimer); // rounds to 2 s

    const auto timers = dispatcher->registeredTimers(&object);
    QCOMPARE(timers.size(), 3);
    for (const auto &info : timers) {
        if (info.timerId == a)
            QCOMPARE(info.interval, 500);
        else if (info.timerId == b)
            QCOMPARE(info.interval, 3000);
        else if (info.timerId == c)
            QCOMPARE(info.interval, 2000);
        else
            QFAIL("unexpected timer id");
    }
    const int remaining = dispatcher->remainingTime(a);
    QVERIFY2(remaining > 300 && remaining <= 500, qPrintable(QString::number(remaining)));
    QTest::qWait(150);
    QVERIFY(dispatcher->remainingTime(a) <= remaining - 100);
    // Very coarse deadlines are whole seconds (nearest), so 3 s lands 2.5..3.5 s out.
    const int coarse = dispatcher->remainingTime(b);
    QVERIFY2(coarse >= 2000 && coarse <= 3500, qPrintable(QString::number(coarse)));

    object.killTimer(a);
    QCOMPARE(dispatcher->remainingTime(a), -1);
    QCOMPARE(dispatcher->registeredTimers(&object).size(), 2);
    QVERIFY(dispatcher->unregisterTimers(&object));
    QVERIFY(dispatcher->registeredTimers(&object).isEmpty());
    QVERIFY(!dispatcher->unregisterTimers(&object));
}

void TestEpollDispatcher::timerIsNotReentered()
{
    TimerCounter counter;
    counter.nestedLoopMs = 100;
    counter.id = counter.startTimer(10, Qt::PreciseTimer);
    QTRY_VERIFY_WITH_TIMEOUT(counter.fired >= 3, 5000);
    counter.killTimer(counter.id);
    QCOMPARE(counter.maxDepth, 1);
}

void TestEpollDispatcher::zeroTimerDoesNotStarveSockets()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    int reads = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        pair.drain(0);
        ++reads;
        if (reads < 20)
            pair.send(1);
    });
    int zeroTicks = 0;
    QTimer zero;
    connect(&zero, &QTimer::timeout, this, [&] { ++zeroTicks; });
    zero.start(0);
    QVERIFY(pair.send(1));
    QTRY_COMPARE_WITH_TIMEOUT(reads, 20, 3000);
    QVERIFY(zeroTicks >= 20);
    // Neither starves the other: the timer kept running while sockets were served.
    const int before = zeroTicks;
    QTest::qWait(20);
    QVERIFY(zeroTicks > before);
}

void TestEpollDispatcher::readNotifierFiresOnData()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        QCOMPARE(pair.drain(0), 3);
        ++activations;
    });
    QTest::qWait(50);
    QCOMPARE(activations, 0);
    pair.send(1, 'a');
    pair.send(1, 'b');
    pair.send(1, 'c');
    QTRY_COMPARE_WITH_TIMEOUT(activations, 1, 2000);
    QTest::qWait(50);
    QCOMPARE(activations, 1); // level-triggered, but drained
}

void TestEpollDispatcher::notifierEnableDisable()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] { ++activations; });
    notifier.setEnabled(false);
    pair.send(1);
    QTest::qWait(100);
    QCOMPARE(activations, 0);

    notifier.setEnabled(true);
    QTRY_VERIFY_WITH_TIMEOUT(activations > 0, 2000);

    // Disabling from inside the handler stops a level-triggered notifier at once.
    activations = 0;
    QObject::disconnect(&notifier, nullptr, this, nullptr);
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        ++activations;
        notifier.setEnabled(false);
    });
    QTest::qWait(100);
    QCOMPARE(activations, 1);

    // A write notifier on the same fd is independent of the read one.
    QSocketNotifier writable(pair.fds[0], QSocketNotifier::Write);
    int writeActivations = 0;
    connect(&writable, &QSocketNotifier::activated, this, [&] {
        ++writeActivations;
        writable.setEnabled(false);
    });
    QTRY_COMPARE_WITH_TIMEOUT(writeActivations, 1, 2000);
    QCOMPARE(activations, 1);
    notifier.setEnabled(true);
    QTRY_COMPARE_WITH_TIMEOUT(activations, 2, 2000);
    QCOMPARE(writeActivations, 1);
}

void TestEpollDispatcher::notifierDeletedByEarlierHandler()
{
    // Two ready fds in the same epoll batch; whichever is delivered first deletes the
    // other notifier (and the write notifier sharing its fd). Nothing stale may fire.
    SocketPair a;
    SocketPair b;
    auto *na = new QSocketNotifier(a.fds[0], QSocketNotifier::Read);
    auto *nb = new QSocketNotifier(b.fds[0], QSocketNotifier::Read);
    auto *wb = new QSocketNotifier(b.fds[0], QSocketNotifier::Write);
    QPointer<QSocketNotifier> pa = na, pb = nb, pwb = wb;
    int fired = 0;
    auto handler = [&](QSocketNotifier *self) {
        ++fired;
        self->setEnabled(false); // a notifier may not delete itself from its own signal
        for (QPointer<QSocketNotifier> *other : {&pa, &pb, &pwb}) {
            if (*other != self)
                delete other->data();
        }
    };
    connect(na, &QSocketNotifier::activated, this, [&, na] { handler(na); });
    connect(nb, &QSocketNotifier::activated, this, [&, nb] { handler(nb); });
    connect(wb, &QSocketNotifier::activated, this, [&, wb] { handler(wb); });
    a.send(1);
    b.send(1);
    QTRY_COMPARE_WITH_TIMEOUT(fired, 1, 2000);
    QTest::qWait(50);
    QCOMPARE(fired, 1);
    delete pa;
    delete pb;
    delete pwb;
}

void TestEpollDispatcher::hangUpActivatesReadNotifier()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    bool sawEof = false;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        char c;
        sawEof = ::read(pair.fds[0], &c, 1) == 0;
        notifier.setEnabled(false);
    });
    pair.closeEnd(1);
    QTRY_VERIFY_WITH_TIMEOUT(sawEof, 2000);
}

void TestEpollDispatcher::excludeSocketNotifiers()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        pair.drain(0);
        ++activations;
    });
    pair.send(1);
    QElapsedTimer clock;
    clock.start();
    QTimer::singleShot(100, this, [] {});
    // Waits for the timer without spinning on (or delivering) the ready socket.
    while (clock.elapsed() < 100)
        QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers |
                                        QEventLoop::WaitForMoreEvents);
    QCOMPARE(activations, 0);
    QTRY_COMPARE_WITH_TIMEOUT(activations, 1, 2000);
}

void TestEpollDispatcher::crossThreadWakeUp()
{
    QEventLoop loop;
    QElapsedTimer clock;
    qint64 wokenAfter = -1;
    std::thread poster([&] {
        QThread::msleep(100);
        clock.start();
        QMetaObject::invokeMethod(
            &loop,
            [&] {
                wokenAfter = clock.elapsed();
                loop.quit();
            },
            Qt::QueuedConnection);
    });
    QTimer::singleShot(5000, &loop, &QEventLoop::quit); // safety net only
    loop.exec();
    poster.join();
    QVERIFY2(wokenAfter >= 0, "blocked loop was not woken by a cross-thread post");
    QVERIFY2(wokenAfter < 200, qPrintable(QString::number(wokenAfter)));

    // A burst of posts from several threads: all delivered, none lost.
    std::atomic<int> delivered{0};
    std::vector<std::thread> threads;
    QObject receiver;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 2000; ++i)
                QMetaObject::invokeMethod(
                    &receiver, [&] { ++delivered; }, Qt::QueuedConnection);
        });
    }
    for (auto &t : threads)
        t.join();
    QTRY_COMPARE_WITH_TIMEOUT(delivered.load(), 8000, 5000);
}

void TestEpollDispatcher::deleteLaterRunsAtLoopLevel()
{
    QPointer<QObject> object = new QObject;
    object->deleteLater();
    QVERIFY(object);
    QTRY_VERIFY_WITH_TIMEOUT(!object, 2000);

    // deleteLater() called before entering a nested loop waits until control returns to
    // the loop it was called from (Qt's loop-level rule, applied by sendPostedEvents()).
    QPointer<QObject> inner = new QObject;
    bool aliveAfterNested = false;
    QEventLoop outer;
    QTimer::singleShot(0, this, [&] {
        inner->deleteLater();
        QEventLoop nested;
        QTimer::singleShot(50, &nested, &QEventLoop::quit);
        nested.exec();
        aliveAfterNested = !inner.isNull();
        QTimer::singleShot(50, &outer, &QEventLoop::quit);
    });
    outer.exec();
    QVERIFY(aliveAfterNested);
    QVERIFY(!inner);
}

void TestEpollDispatcher::nestedEventLoops()
{
    QList<QString> trace;
    QEventLoop outer;
    QTimer::singleShot(10, this, [&] {
        trace << "outer-handler";
        QEventLoop inner;
        QTimer::singleShot(30, this, [&] {
            trace << "inner-timer";
            inner.quit();
        });
        inner.exec();
        trace << "inner-done";
        outer.quit();
    });
    QTimer::singleShot(5000, &outer, &QEventLoop::quit);
    outer.exec();
    QCOMPARE(trace, (QList<QString>{"outer-handler", "inner-timer", "inner-done"}));
}

void TestEpollDispatcher::singleShotZeroOrdering()
{
    QList<int> order;
    QObject receiver;
    QMetaObject::invokeMethod(
        &receiver, [&] { order << 1; }, Qt::QueuedConnection);
    QTimer::singleShot(0, &receiver, [&] { order << 2; });
    QMetaObject::invokeMethod(
        &receiver, [&] { order << 3; }, Qt::QueuedConnection);
    QTimer zero;
    zero.setSingleShot(true);
    connect(&zero, &QTimer::timeout, &receiver, [&] { order << 4; });
    zero.start(0);
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 4, 2000);
    // Posted events and singleShot(0) keep FIFO order; a real zero timer comes after the
    // posted events already queued.
    QCOMPARE(order, (QList<int>{1, 2, 3, 4}));
}

void TestEpollDispatcher::tcpEcho()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *peer = server.nextPendingConnection()) {
            connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll()); });
            connect(peer, &QTcpSocket::disconnected, peer, &QObject::deleteLater);
        }
    });
    QTcpSocket client;
    QByteArray received;
    connect(&client, &QTcpSocket::readyRead, this, [&] { received += client.readAll(); });
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(client.waitForConnected(3000) || client.state() == QAbstractSocket::ConnectedState);
    const QByteArray payload(256 * 1024, 'v'); // several write notifier rounds
    client.write(payload);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), payload.size(), 5000);
    QCOMPARE(received, payload);
    client.disconnectFromHost();
}

void TestEpollDispatcher::thousandsOfSocketPairs()
{
    constexpr int Pairs = 2000;
    std::vector<std::unique_ptr<SocketPair>> pairs;
    std::vector<std::unique_ptr<QSocketNotifier>> notifiers;
    int echoed = 0;
    int answered = 0;
    for (int i = 0; i < Pairs; ++i) {
        auto pair = std::make_unique<SocketPair>();
        SocketPair *p = pair.get();
        auto server = std::make_unique<QSocketNotifier>(p->fds[0], QSocketNotifier::Read);
        auto client = std::make_unique<QSocketNotifier>(p->fds[1], QSocketNotifier::Read);
        connect(server.get(), &QSocketNotifier::activated, this, [&echoed, p] {
            if (p->drain(0) > 0 && p->send(0, 'e'))
                ++echoed;
        });
        connect(client.get(), &QSocketNotifier::activated, this, [&answered, p] {
            if (p->drain(1) > 0)
                ++answered;
        });
        notifiers.push_back(std::move(server));
        notifiers.push_back(std::move(client));
        pairs.push_back(std::move(pair));
    }
    QElapsedTimer clock;
    clock.start();
    for (auto &p : pairs)
        QVERIFY(p->send(1));
    QTRY_COMPARE_WITH_TIMEOUT(answered, Pairs, 10000);
    QCOMPARE(echoed, Pairs);
    qInfo("%d socketpair echoes in %lld ms", Pairs, clock.elapsed());
    QVERIFY(clock.elapsed() < 5000);
    notifiers.clear(); // unregister before the fds close
}

void TestEpollDispatcher::threadedDispatcher()
{
    QThread thread;
    thread.setEventDispatcher(new EpollEventDispatcher);
    thread.start();
    QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance(&thread)));

    QPointer<QObject> workerGuard = new QObject;
    QObject &worker = *workerGuard;
    worker.moveToThread(&thread);
    connect(&thread, &QThread::finished, &worker, &QObject::deleteLater);
    std::atomic<int> ticks{0};
    std::atomic<bool> onWorkerThread{false};
    QTimer *timer = nullptr;
    QMetaObject::invokeMethod(
        &worker,
        [&] {
            onWorkerThread =
                QThread::currentThread() == &thread &&
                qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
            timer = new QTimer(&worker);
            QObject::connect(timer, &QTimer::timeout, &worker, [&] { ++ticks; });
            timer->start(10);
        },
        Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(ticks.load() >= 5, 3000);
    QVERIFY(onWorkerThread);

    // quit() from here must interrupt a thread blocked in epoll_wait promptly.
    QMetaObject::invokeMethod(
        &worker, [&] { timer->stop(); }, Qt::BlockingQueuedConnection);
    QThread::msleep(50);
    QElapsedTimer clock;
    clock.start();
    thread.quit();
    QVERIFY(thread.wait(3000));
    QVERIFY2(clock.elapsed() < 500, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!workerGuard); // DeferredDelete delivered as the thread finished
}

void TestEpollDispatcher::timersFollowMoveToThread()
{
    // moveToThread() reads registeredTimers() from this dispatcher and re-registers them
    // on the target thread's dispatcher.
    QThread thread;
    thread.setEventDispatcher(new EpollEventDispatcher);
    thread.start();
    auto *timer = new QTimer;
    std::atomic<int> ticks{0};
    std::atomic<bool> rightThread{true};
    connect(timer, &QTimer::timeout, timer, [&] {
        ++ticks;
        if (QThread::currentThread() != &thread)
            rightThread = false;
    });
    timer->start(10);
    QCOMPARE(QAbstractEventDispatcher::instance()->registeredTimers(timer).size(), 1);
    timer->moveToThread(&thread);
    QVERIFY(QAbstractEventDispatcher::instance()->registeredTimers(timer).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(ticks.load() >= 3, 3000);
    QVERIFY(rightThread);
    QMetaObject::invokeMethod(
        timer, [timer] { delete timer; }, Qt::BlockingQueuedConnection);
    thread.quit();
    QVERIFY(thread.wait(3000));
}

int main(int argc, char **argv)
{
    // Must be installed before QCoreApplication exists, or Qt creates its glib dispatcher.
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    TestEpollDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolldispatcher.moc"
