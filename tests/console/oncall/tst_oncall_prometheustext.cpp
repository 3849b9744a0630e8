// The Prometheus text parser on crafted expositions: every kind of line the format allows, the
// escapes of label values, special values, and lines it must refuse without losing the rest.
#include "PrometheusText.h"

#include <QTest>
#include <cmath>

using namespace veza::oncall;

namespace {

// QStringBuilder expressions become one QByteArray first.
Exposition parse(const QByteArray &text)
{
    return PrometheusText::parse(text);
}

} // namespace

class TestPrometheusText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void histogramWithHelpAndType()
    {
        const QByteArray text =
            "# HELP http_request_duration_seconds Time to answer.\n"
            "# TYPE http_request_duration_seconds histogram\n"
            "http_request_duration_seconds_bucket{route=\"/health/live\",le=\"0.005\"} 3\n"
            "http_request_duration_seconds_bucket{route=\"/health/live\",le=\"0.01\"} 7\n"
            "http_request_duration_seconds_bucket{route=\"/health/live\",le=\"+Inf\"} 8\n"
            "http_request_duration_seconds_sum{route=\"/health/live\"} 0.042\n"
            "http_request_duration_seconds_count{route=\"/health/live\"} 8\n";
        const Exposition parsed = parse(text);
        QVERIFY(parsed.errors.isEmpty());
        QCOMPARE(parsed.samples.size(), 5);
        QCOMPARE(parsed.types.value(QStringLiteral("http_request_duration_seconds")),
                 QStringLiteral("histogram"));
        QCOMPARE(parsed.help.value(QStringLiteral("http_request_duration_seconds")),
                 QStringLiteral("Time to answer."));
        const MetricSample &inf = parsed.samples.at(2);
        QCOMPARE(inf.name, QStringLiteral("http_request_duration_seconds_bucket"));
        QCOMPARE(inf.label(u"le"), QStringLiteral("+Inf"));
        QCOMPARE(inf.label(u"route"), QStringLiteral("/health/live"));
        QCOMPARE(inf.value, 8.0);
        QCOMPARE(parsed.samples.at(3).value, 0.042);
        QVERIFY(parsed.declares(QStringLiteral("http_request_duration_seconds")));
        QVERIFY(!parsed.declares(QStringLiteral("websocket_connections_active")));
    }

    void labelValueEscapes_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("value");
        QTest::newRow("quote") << QByteArray("m{a=\"say \\\"hi\\\"\"} 1")
                               << QStringLiteral("say \"hi\"");
        QTest::newRow("backslash")
            << QByteArray("m{a=\"C:\\\\dir\"} 1") << QStringLiteral("C:\\dir");
        QTest::newRow("newline") << QByteArray("m{a=\"two\\nlines\"} 1")
                                 << QStringLiteral("two\nlines");
        QTest::newRow("brace and comma")
            << QByteArray("m{a=\"},{x=\\\"y\\\"\"} 1") << QStringLiteral("},{x=\"y\"");
        QTest::newRow("utf-8") << QByteArray("m{a=\"caf\xc3\xa9 \xe2\x99\xaa\"} 1")
                               << QStringLiteral("caf\u00e9 \u266a");
        QTest::newRow("hash") << QByteArray("m{a=\"# not a comment\"} 1")
                              << QStringLiteral("# not a comment");
        QTest::newRow("trailing comma, blanks")
            << QByteArray("m { a = \"v\" , } 1") << QStringLiteral("v");
    }

    void labelValueEscapes()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, value);
        const Exposition parsed = parse(line);
        QVERIFY2(parsed.errors.isEmpty(), qPrintable(parsed.errors.value(0).message));
        QCOMPARE(parsed.samples.size(), 1);
        QCOMPARE(parsed.samples.first().label(u"a"), value);
    }

    void specialValues_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<double>("expected");
        QTest::newRow("+Inf") << QByteArray("+Inf") << qInf();
        QTest::newRow("-Inf") << QByteArray("-Inf") << -qInf();
        QTest::newRow("inf") << QByteArray("inf") << qInf();
        QTest::newRow("exponent") << QByteArray("1.5e+06") << 1.5e6;
        QTest::newRow("negative") << QByteArray("-0.25") << -0.25;
        QTest::newRow("integer") << QByteArray("1700000000") << 1.7e9;
    }

    void specialValues()
    {
        QFETCH(QByteArray, text);
        QFETCH(double, expected);
        const Exposition parsed = parse("m " + text + " 1700000000000\n");
        QVERIFY(parsed.errors.isEmpty());
        QCOMPARE(parsed.samples.first().value, expected);
        QCOMPARE(parsed.samples.first().timestampMs.value_or(0), Q_INT64_C(1700000000000));
    }

    void nanIsAValue()
    {
        const Exposition parsed = parse("a NaN\nb nan\n");
        QVERIFY(parsed.errors.isEmpty());
        QCOMPARE(parsed.samples.size(), 2);
        QVERIFY(std::isnan(parsed.samples.at(0).value));
        QVERIFY(std::isnan(parsed.samples.at(1).value));
    }

    void commentsBlankLinesAndCarriageReturns()
    {
        const QByteArray text = "# a comment\n"
                                "#another\n"
                                "\n"
                                "   \t\n"
                                "# HELP x Line one\\nline two with \\\\ backslash\n"
                                "# TYPE x gauge\r\n"
                                "x 1\r\n"
                                "  x{k=\"v\"}\t2  \n";
        const Exposition parsed = parse(text);
        QVERIFY2(parsed.errors.isEmpty(), qPrintable(parsed.errors.value(0).message));
        QCOMPARE(parsed.samples.size(), 2);
        QCOMPARE(parsed.types.value(QStringLiteral("x")), QStringLiteral("gauge"));
        QCOMPARE(parsed.help.value(QStringLiteral("x")),
                 QStringLiteral("Line one\nline two with \\ backslash"));
        QCOMPARE(parsed.samples.at(1).value, 2.0);
    }

    // Every bad line is reported with its number; the good lines around it are kept.
    void badLinesAreReportedAndSkipped_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("no value") << QByteArray("m{a=\"1\"}") << "missing value";
        QTest::newRow("bad value") << QByteArray("m twelve") << "invalid value";
        QTest::newRow("bad escape") << QByteArray("m{a=\"\\t\"} 1") << "invalid escape";
        QTest::newRow("unterminated") << QByteArray("m{a=\"open} 1") << "unterminated";
        QTest::newRow("unquoted") << QByteArray("m{a=1} 1") << "expected '\"'";
        QTest::newRow("no equals") << QByteArray("m{a \"1\"} 1") << "expected '='";
        QTest::newRow("no closing brace") << QByteArray("m{a=\"1\" 1") << "expected ','";
        QTest::newRow("duplicate label") << QByteArray("m{a=\"1\",a=\"2\"} 1") << "twice";
        QTest::newRow("bad name") << QByteArray("9lives 1") << "expected a metric name";
        QTest::newRow("bad char in name") << QByteArray("m-x 1") << "invalid character";
        QTest::newRow("bad timestamp") << QByteArray("m 1 yesterday") << "invalid timestamp";
        QTest::newRow("extra text") << QByteArray("m 1 2 3") << "after the timestamp";
        QTest::newRow("unknown type") << QByteArray("# TYPE m sometimes") << "unknown metric type";
        QTest::newRow("type without name") << QByteArray("# TYPE") << "without a metric name";
        QTest::newRow("binary junk") << QByteArray("\x01\x02\xff", 3) << "expected a metric name";
    }

    void badLinesAreReportedAndSkipped()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, message);
        const Exposition parsed = parse("before 1\n" + line + "\nafter 2\n");
        QCOMPARE(parsed.errors.size(), 1);
        QCOMPARE(parsed.errors.first().line, 2);
        QVERIFY2(parsed.errors.first().message.contains(message),
                 qPrintable(parsed.errors.first().message));
        QCOMPARE(parsed.samples.size(), 2);
        QCOMPARE(parsed.samples.at(0).name, QStringLiteral("before"));
        QCOMPARE(parsed.samples.at(1).name, QStringLiteral("after"));
    }

    void secondTypeLineIsAnError()
    {
        const Exposition parsed = parse("# TYPE m gauge\n# TYPE m counter\nm 1\n");
        QCOMPARE(parsed.errors.size(), 1);
        QCOMPARE(parsed.errors.first().line, 2);
        QCOMPARE(parsed.types.value(QStringLiteral("m")), QStringLiteral("gauge"));
    }

    // Whatever bytes arrive, the parser returns: every prefix of a real exposition and random
    // noise, none may crash or hang.
    void neverCrashes()
    {
        const QByteArray text = "# HELP a x\n# TYPE a counter\na_total{x=\"q\\\"\\\\\\n\",y=\"\"} "
                                "+Inf 17\nb{le=\"0.5\"} NaN\n";
        for (qsizetype n = 0; n <= text.size(); ++n)
            PrometheusText::parse(QByteArrayView(text).first(n));
        QByteArray noise(4096, '\0');
        quint32 seed = 12345;
        for (char &c : noise) {
            seed = seed * 1103515245 + 12345;
            c = "{}\"\\=, \n#aZ_9.+-e"[(seed >> 16) % 18];
        }
        const Exposition parsed = parse(noise);
        QVERIFY(parsed.errors.size() + parsed.samples.size() > 0);
    }

    void seriesKeyIgnoresLabelOrder()
    {
        const Exposition parsed =
            parse("m{b=\"2\",a=\"1\"} 1\nm{a=\"1\",b=\"2\"} 2\nm{a=\"1\"} 3\n");
        QCOMPARE(parsed.samples.at(0).seriesKey(), parsed.samples.at(1).seriesKey());
        QVERIFY(parsed.samples.at(0).seriesKey() != parsed.samples.at(2).seriesKey());
    }
};

QTEST_GUILESS_MAIN(TestPrometheusText)
#include "tst_oncall_prometheustext.moc"
