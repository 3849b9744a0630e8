#include "StreamPanel.h"

#include "ConsoleSession.h"
#include "JsonTableModel.h"
#include "LevelMeter.h"
#include "ListenIn.h"
#include "ReasonDialog.h"
#include "StreamCharts.h"
#include "StreamListenersModel.h"
#include "Tables.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace veza::console {

StreamPanel::StreamPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_listeners(new StreamListenersModel(session->api(), this))
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("streamTitle"));
    m_title->setTextFormat(Qt::PlainText);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_title->setFont(big);
    m_nowPlaying = new QLabel(this);
    m_nowPlaying->setObjectName(QStringLiteral("nowPlaying"));
    m_nowPlaying->setTextFormat(Qt::PlainText);

    m_table = makeTable(m_listeners, QStringLiteral("listenersTable"), this);

    for (int i = 0; i < 4; ++i) {
        m_meters[i] = new LevelMeter(QString(), this);
        m_meters[i]->setObjectName(QStringLiteral("meter%1").arg(i));
    }
    m_texts.add([this] {
        const QString names[4] = {tr("In L"), tr("In R"), tr("Out L"), tr("Out R")};
        for (int i = 0; i < 4; ++i)
            m_meters[i]->setLabel(names[i]);
    });
    m_loudness = new QLabel(this);
    m_loudness->setObjectName(QStringLiteral("loudness"));
    connect(session->monitor(), &MonitorChannel::levels, this, &StreamPanel::showLevels);

    m_renditions = new JsonTableModel(
        QStringLiteral("name"),
        {JsonTableModel::text([] { return tr("Rendition"); }, QStringLiteral("name")),
         {[] { return tr("Bitrate"); },
          [](const QJsonObject &r) {
              return tr("%1 kbit/s").arg(r.value(u"bitrate").toInteger() / 1000);
          },
          [](const QJsonObject &r) { return r.value(u"bitrate").toInteger(); }},
         JsonTableModel::text([] { return tr("Listeners"); }, QStringLiteral("listeners")),
         {[] { return tr("Mode"); },
          [](const QJsonObject &r) {
              const QString mode = r.value(u"mode").toString();
              return mode == u"idle"          ? tr("idle")
                     : mode == u"passthrough" ? tr("passthrough")
                                              : tr("transcoded");
          }}},
        this);
    QTableView *renditions = makeTable(m_renditions, QStringLiteral("renditionsTable"), this);
    m_charts = new StreamCharts(session->history(), this);

    m_listenIn = new ListenIn(this);
    m_listen = new QPushButton(this);
    m_listen->setObjectName(QStringLiteral("listen"));
    m_rendition = new QComboBox(this);
    m_rendition->setObjectName(QStringLiteral("listenRendition"));
    m_rendition->addItem(QString(), QStringLiteral("source"));
    // Another rendition while listening: hear that one instead.
    connect(m_rendition, &QComboBox::activated, this, [this] {
        if (!m_listenIn->stream().isEmpty())
            listen();
    });
    auto *volume = new QSlider(Qt::Horizontal, this);
    volume->setObjectName(QStringLiteral("listenVolume"));
    volume->setRange(0, 100);
    volume->setValue(80);
    volume->setMaximumWidth(120);
    auto *mute = new QCheckBox(this);
    m_listenState = new QLabel(this);
    m_listenState->setObjectName(QStringLiteral("listenState"));
    m_texts.add([this, mute] {
        mute->setText(tr("Mute"));
        m_rendition->setItemText(0, tr("Source"));
        showListening();
    });
    connect(m_listen, &QPushButton::clicked, this, &StreamPanel::toggleListening);
    connect(volume, &QSlider::valueChanged, m_listenIn,
            [this](int value) { m_listenIn->setVolume(float(value) / 100); });
    m_listenIn->setVolume(0.8f);
    connect(mute, &QCheckBox::toggled, m_listenIn, &ListenIn::setMuted);
    connect(m_listenIn, &ListenIn::changed, this, &StreamPanel::showListening);
    connect(m_listenIn, &ListenIn::failed, this, [this](const QString &problem) {
        m_listenProblem = problem;
        showListening();
    });

    m_kick = new QPushButton(this);
    m_kick->setObjectName(QStringLiteral("kickListener"));
    m_cut = new QPushButton(this);
    m_cut->setObjectName(QStringLiteral("cutSource"));
    m_end = new QPushButton(this);
    m_end->setObjectName(QStringLiteral("endStream"));
    m_edit = new QPushButton(this);
    m_edit->setObjectName(QStringLiteral("editStream"));
    m_rotate = new QPushButton(this);
    m_rotate->setObjectName(QStringLiteral("rotateKey"));
    connect(m_edit, &QPushButton::clicked, this, &StreamPanel::editDialog);
    m_effects = new QPushButton(this);
    m_effects->setObjectName(QStringLiteral("effects"));
    m_texts.add([this] {
        m_kick->setText(tr("&Disconnect listener..."));
        m_kick->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K)); // setText resets it
        m_cut->setText(tr("&Cut source..."));
        m_end->setText(tr("&End stream..."));
        m_edit->setText(tr("Ed&it..."));
        m_rotate->setText(tr("&Rotate key..."));
        m_effects->setText(tr("E&ffects..."));
    });
    connect(m_effects, &QPushButton::clicked, this, &StreamPanel::effectsDialog);
    connect(m_rotate, &QPushButton::clicked, this, [this] {
        if (QMessageBox::question(this, tr("Rotate key"),
                                  tr("Replace the key of %1? A source using the old key is "
                                     "disconnected at once.")
                                      .arg(m_stream)) == QMessageBox::Yes)
            rotateKey();
    });
    connect(m_kick, &QPushButton::clicked, this, [this] {
        const QString reason = ReasonDialog::ask(
            this, tr("Disconnect"),
            tr("Disconnect the selected listener of %1? It may connect again.").arg(m_stream));
        if (!reason.isEmpty())
            kickSelected(reason);
    });
    connect(m_cut, &QPushButton::clicked, this, [this] {
        const QString reason = ReasonDialog::ask(
            this, tr("Cut source"),
            tr("Cut the source of %1 off? Listeners stay for the grace period; the source is "
               "refused for 10 minutes.")
                .arg(m_stream));
        if (!reason.isEmpty())
            cutSource(reason, 600);
    });
    connect(m_end, &QPushButton::clicked, this, [this] {
        const QString reason = ReasonDialog::ask(
            this, tr("End stream"),
            tr("End %1? Its source and every listener are disconnected and the stream is "
               "deleted.")
                .arg(m_stream));
        if (!reason.isEmpty())
            endStream(reason);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_kick->setEnabled(m_table->selectionModel()->hasSelection()); });
    connect(session->streams(), &QAbstractItemModel::dataChanged, this,
            &StreamPanel::refreshHeader);

    auto *listenersPage = new QWidget(this);
    auto *listenersLayout = new QVBoxLayout(listenersPage);
    listenersLayout->addWidget(m_table, 1);
    auto *kickRow = new QHBoxLayout;
    kickRow->addWidget(m_kick);
    kickRow->addStretch(1);
    listenersLayout->addLayout(kickRow);
    auto *pages = new QTabWidget(this);
    pages->setObjectName(QStringLiteral("streamPages"));
    pages->addTab(listenersPage, QString());
    pages->addTab(renditions, QString());
    pages->addTab(m_charts, QString());
    m_texts.add([pages] {
        pages->setTabText(0, tr("Listeners now"));
        pages->setTabText(1, tr("Renditions"));
        pages->setTabText(2, tr("Charts"));
    });

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_effects);
    actions->addWidget(m_edit);
    actions->addWidget(m_rotate);
    actions->addStretch(1);
    actions->addWidget(m_cut);
    actions->addWidget(m_end);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_nowPlaying);
    for (LevelMeter *meter : m_meters)
        layout->addWidget(meter);
    auto *listenRow = new QHBoxLayout;
    listenRow->addWidget(m_listen);
    listenRow->addWidget(m_rendition);
    listenRow->addWidget(volume);
    listenRow->addWidget(mute);
    listenRow->addWidget(m_listenState, 1);
    layout->addLayout(listenRow);
    layout->addWidget(m_loudness);
    layout->addWidget(pages, 1);
    layout->addLayout(actions);
    showStream({});
}

void StreamPanel::showStream(const QString &name)
{
    if (name != m_stream && !m_listenIn->stream().isEmpty())
        toggleListening(); // another stream: stop hearing the last one
    if (name != m_stream) {
        while (m_rendition->count() > 1) // the source stays
            m_rendition->removeItem(1);
    }
    m_stream = name;
    m_listeners->setStream(name);
    m_session->monitor()->subscribeLevels(name);
    m_charts->showStream(name);
    m_renditions->clear();
    for (LevelMeter *meter : m_meters)
        meter->setLevels(-120, -120);
    m_loudness->clear();
    m_kick->setEnabled(false);
    for (QPushButton *button : {m_cut, m_end, m_edit, m_rotate, m_effects})
        button->setEnabled(!name.isEmpty());
    refreshHeader();
}

void StreamPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_texts.retranslate();
        m_listeners->retranslate();
        m_renditions->retranslate();
        refreshHeader();
    }
    QWidget::changeEvent(event);
}

void StreamPanel::toggleListening()
{
    m_listenProblem.clear();
    if (!m_listenIn->stream().isEmpty() || m_stream.isEmpty()) {
        m_listenIn->stop();
        showListening();
    } else
        listen();
}

void StreamPanel::listen()
{
    m_listenProblem.clear();
    m_listenIn->play(m_session->profile().baseUrl, m_stream, m_rendition->currentData().toString());
    showListening();
}

void StreamPanel::chooseRendition(const QString &rendition)
{
    const int index = m_rendition->findData(rendition);
    if (index < 0 || index == m_rendition->currentIndex())
        return;
    m_rendition->setCurrentIndex(index);
    if (!m_listenIn->stream().isEmpty())
        listen();
}

void StreamPanel::showListening()
{
    if (m_listenProblem.isEmpty())
        m_listenState->setText(m_listenIn->describe());
    else
        m_listenState->setText(tr("Cannot play: %1").arg(m_listenProblem));
    m_listen->setText(m_listenIn->stream().isEmpty() ? tr("&Listen") : tr("&Stop"));
}

void StreamPanel::showLevels(const QString &stream, const QJsonObject &levels)
{
    if (stream != m_stream)
        return;
    int meter = 0;
    for (const QString &side : {QStringLiteral("input"), QStringLiteral("output")}) {
        const QJsonArray channels = levels.value(side)[u"channels"].toArray();
        for (int channel = 0; channel < 2; ++channel, ++meter) {
            // A server without per-channel levels: both meters show the mix.
            const QJsonValue level =
                channels.size() > channel ? channels.at(channel) : levels.value(side);
            m_meters[meter]->setLevels(level[u"peak_dbfs"].toDouble(-120),
                                       level[u"rms_dbfs"].toDouble(-120));
        }
    }
    const double lufs = levels.value(u"loudness_lufs").toDouble(-120);
    m_loudness->setText(
        lufs <= -120 ? tr("Loudness: not measured yet")
                     : tr("Loudness: %1 LUFS (short-term)").arg(QLocale().toString(lufs, 'f', 1)));
}

void StreamPanel::refreshHeader()
{
    if (m_stream.isEmpty()) {
        m_title->setText(tr("No stream selected"));
        m_nowPlaying->clear();
        return;
    }
    const QJsonObject entry = m_session->streams()->entry(m_stream);
    const QString title = entry.value(u"title").toString();
    m_title->setText(title.isEmpty() ? m_stream : tr("%1 (%2)").arg(title, m_stream));
    QList<QJsonObject> renditions;
    for (const QJsonValue &value : entry.value(u"audio")[u"renditions"].toArray())
        renditions.append(value.toObject());
    m_renditions->replace(renditions);
    // What listen-in can play: the source's own bytes, then every rendition offered.
    for (const QJsonObject &rendition : renditions) {
        const QString name = rendition.value(u"name").toString();
        if (!name.isEmpty() && m_rendition->findData(name) < 0)
            m_rendition->addItem(name, name);
    }
    const QString song = entry.value(u"now_playing")[u"title"].toString();
    m_nowPlaying->setText(song.isEmpty() ? tr("Nothing announced on air")
                                         : tr("On air: %1").arg(song));
}

void StreamPanel::kickSelected(const QString &reason)
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows(StreamListenersModel::Id);
    if (rows.isEmpty())
        return;
    const qint64 id = rows.first().data(StreamListenersModel::IdRole).toLongLong();
    m_listeners->disconnectListener(id, reason, [this, id](const QString &problem) {
        report(tr("Listener %1 of %2 disconnected").arg(id).arg(m_stream), problem);
    });
}

void StreamPanel::cutSource(const QString &reason, int blockSeconds)
{
    const QString stream = m_stream;
    m_session->api()->send(
        "POST", QStringLiteral("/api/streams/%1/source/disconnect").arg(stream),
        {{QStringLiteral("reason"), reason}, {QStringLiteral("block_seconds"), blockSeconds}}, this,
        [this, stream](const ApiResult &result) {
            report(tr("Source of %1 cut off").arg(stream), result.ok() ? QString() : result.error);
        });
}

void StreamPanel::endStream(const QString &reason)
{
    const QString stream = m_stream;
    m_session->api()->send(
        "DELETE", QStringLiteral("/api/streams/%1").arg(stream),
        {{QStringLiteral("reason"), reason}}, this, [this, stream](const ApiResult &result) {
            report(tr("Stream %1 ended").arg(stream), result.ok() ? QString() : result.error);
        });
}

void StreamPanel::describe(const QJsonObject &fields)
{
    const QString stream = m_stream;
    m_session->api()->send("PATCH", QStringLiteral("/api/streams/%1").arg(stream), fields, this,
                           [this, stream](const ApiResult &result) {
                               report(tr("Stream %1 edited").arg(stream),
                                      result.ok() ? QString() : result.error);
                           });
}

void StreamPanel::rotateKey()
{
    const QString stream = m_stream;
    m_session->api()->send("POST", QStringLiteral("/api/streams/%1/key").arg(stream), {}, this,
                           [this, stream](const ApiResult &result) {
                               report(tr("Key of %1 rotated").arg(stream),
                                      result.ok() ? QString() : result.error);
                               if (!result.ok())
                                   return;
                               const QString key = result.body.value(u"stream_key").toString();
                               Q_EMIT keyRotated(stream, key);
                               QMessageBox box(QMessageBox::Information, tr("New stream key"),
                                               tr("The new key of %1 (shown once):").arg(stream),
                                               QMessageBox::Ok, this);
                               box.setInformativeText(key);
                               box.setTextInteractionFlags(Qt::TextSelectableByMouse);
                               box.exec();
                           });
}

void StreamPanel::changeEffects(const QJsonObject &patch)
{
    const QString stream = m_stream;
    m_session->api()->send("PATCH", QStringLiteral("/api/streams/%1/effects").arg(stream), patch,
                           this, [this, stream](const ApiResult &result) {
                               report(tr("Effects of %1 changed").arg(stream),
                                      result.ok() ? QString() : result.error);
                           });
}

// The effects chain as the stream has it now, to change and apply live.
void StreamPanel::effectsDialog()
{
    const QJsonObject effects =
        m_session->streams()->entry(m_stream).value(u"audio")[u"effects"].toObject();
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Effects of %1").arg(m_stream));
    const auto number = [&dialog](double value, double low, double high, const QString &suffix) {
        auto *box = new QDoubleSpinBox(&dialog);
        box->setRange(low, high);
        box->setDecimals(1);
        box->setSuffix(suffix);
        box->setValue(value);
        return box;
    };
    const QJsonObject compressor = effects.value(u"compressor").toObject();
    const QJsonObject limiter = effects.value(u"limiter").toObject();
    const QJsonObject loudness = effects.value(u"loudness").toObject();
    auto *gain = number(effects.value(u"gain_db").toDouble(), -24, 24, QStringLiteral(" dB"));
    auto *highPass =
        number(effects.value(u"high_pass_hz").toDouble(), 0, 500, QStringLiteral(" Hz"));
    auto *compress = new QCheckBox(tr("Compressor"), &dialog);
    compress->setChecked(compressor.value(u"enabled").toBool());
    auto *ratio = number(compressor.value(u"ratio").toDouble(4), 1, 20, QStringLiteral(":1"));
    auto *threshold =
        number(compressor.value(u"threshold_db").toDouble(-18), -60, 0, QStringLiteral(" dB"));
    auto *limit = new QCheckBox(tr("Limiter"), &dialog);
    limit->setChecked(limiter.value(u"enabled").toBool());
    auto *ceiling =
        number(limiter.value(u"ceiling_db").toDouble(-1), -12, 0, QStringLiteral(" dB"));
    auto *normalize = new QCheckBox(tr("Loudness normalization"), &dialog);
    normalize->setChecked(loudness.value(u"enabled").toBool());
    auto *target =
        number(loudness.value(u"target_lufs").toDouble(-16), -30, -5, QStringLiteral(" LUFS"));
    auto *mute = new QCheckBox(tr("Mute (listeners stay connected)"), &dialog);
    mute->setChecked(effects.value(u"mute").toBool());
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Gain:"), gain);
    form->addRow(tr("High-pass:"), highPass);
    form->addRow(compress);
    form->addRow(tr("Ratio:"), ratio);
    form->addRow(tr("Threshold:"), threshold);
    form->addRow(limit);
    form->addRow(tr("Ceiling:"), ceiling);
    form->addRow(normalize);
    form->addRow(tr("Target:"), target);
    form->addRow(mute);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    changeEffects(
        {{QStringLiteral("gain_db"), gain->value()},
         {QStringLiteral("high_pass_hz"), highPass->value()},
         {QStringLiteral("compressor"),
          QJsonObject{{QStringLiteral("enabled"), compress->isChecked()},
                      {QStringLiteral("ratio"), ratio->value()},
                      {QStringLiteral("threshold_db"), threshold->value()}}},
         {QStringLiteral("limiter"), QJsonObject{{QStringLiteral("enabled"), limit->isChecked()},
                                                 {QStringLiteral("ceiling_db"), ceiling->value()}}},
         {QStringLiteral("loudness"),
          QJsonObject{{QStringLiteral("enabled"), normalize->isChecked()},
                      {QStringLiteral("target_lufs"), target->value()}}},
         {QStringLiteral("mute"), mute->isChecked()}});
}

void StreamPanel::editDialog()
{
    const QJsonObject entry = m_session->streams()->entry(m_stream);
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Edit %1").arg(m_stream));
    auto *title = new QLineEdit(entry.value(u"title").toString(), &dialog);
    auto *description = new QLineEdit(&dialog);
    description->setPlaceholderText(tr("Unchanged when left empty"));
    auto *genre = new QLineEdit(&dialog);
    genre->setPlaceholderText(tr("Unchanged when left empty"));
    auto *listed = new QCheckBox(tr("Listed publicly"), &dialog);
    listed->setChecked(entry.value(u"public").toBool(true));
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Title:"), title);
    form->addRow(tr("Description:"), description);
    form->addRow(tr("Genre:"), genre);
    form->addRow(QString(), listed);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QJsonObject fields{{QStringLiteral("title"), title->text()},
                       {QStringLiteral("public"), listed->isChecked()}};
    if (!description->text().isEmpty())
        fields.insert(QStringLiteral("description"), description->text());
    if (!genre->text().isEmpty())
        fields.insert(QStringLiteral("genre"), genre->text());
    describe(fields);
}

void StreamPanel::report(const QString &done, const QString &problem)
{
    if (problem.isEmpty())
        Q_EMIT actionDone(done);
    else
        Q_EMIT actionFailed(tr("%1 failed: %2").arg(done, problem));
}

} // namespace veza::console
