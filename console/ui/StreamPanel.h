#pragma once

#include "Retranslator.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QTabWidget;

namespace veza::console {

class ConsoleSession;
class JsonTableModel;
class LevelMeter;
class ListenIn;
class StreamCharts;
class StreamListenersModel;

// One stream's panel: what is on air, level meters (input and output, peak and RMS, at the
// monitor's 10 Hz level subscription) and loudness, its listeners connected now with a kick
// action, its renditions and their listeners, listeners and bitrate charted over the session,
// listen-in (play the stream in the console: rendition, volume, mute, its buffer and how far
// behind live), and the stream actions: edit its description, rotate its key (owner or admin), cut
// the source, end the stream, each destructive one confirmed with a reason for the audit log. Shows
// the stream the streams table selected. GUI thread.
class StreamPanel : public QWidget
{
    Q_OBJECT

public:
    explicit StreamPanel(ConsoleSession *session, QWidget *parent = nullptr);

    void showStream(const QString &name);
    StreamListenersModel *listeners() const { return m_listeners; }
    QTableView *listenersTable() const { return m_table; }

    // The actions, as the buttons run them (tests call them with a reason).
    void kickSelected(const QString &reason);
    void cutSource(const QString &reason, int blockSeconds);
    void endStream(const QString &reason);
    // PATCH /api/streams/{name}: the fields given change.
    void describe(const QJsonObject &fields);
    void rotateKey();
    // PATCH /api/streams/{name}/effects: a partial change, applied live (owner or admin).
    void changeEffects(const QJsonObject &patch);

    // The input's left channel (tests).
    LevelMeter *inputMeter() const { return m_meters[0]; }
    ListenIn *listenIn() const { return m_listenIn; }
    // Plays the shown stream (its rendition from the combo box) or stops.
    void toggleListening();
    // Picks the rendition to listen to ("source", "opus64", "mp3"...), as the combo box does:
    // while listening, that one plays instead.
    void chooseRendition(const QString &rendition);
    StreamCharts *charts() const { return m_charts; }
    JsonTableModel *renditions() const { return m_renditions; }

Q_SIGNALS:
    // What an action did, for the status bar and the incident timeline.
    void actionDone(const QString &summary);
    void actionFailed(const QString &problem);
    void keyRotated(const QString &stream, const QString &key);

protected:
    void changeEvent(QEvent *event) override;

private:
    void refreshHeader();
    void showListening();
    void listen();
    void report(const QString &done, const QString &problem);
    void showLevels(const QString &stream, const QJsonObject &levels);
    void editDialog();
    void effectsDialog();

    ConsoleSession *m_session;
    StreamListenersModel *m_listeners;
    QString m_stream;
    QLabel *m_title = nullptr;
    QLabel *m_nowPlaying = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_kick = nullptr;
    QPushButton *m_cut = nullptr;
    QPushButton *m_end = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_rotate = nullptr;
    QPushButton *m_effects = nullptr;
    LevelMeter *m_meters[4] = {}; // input left, right; output left, right
    ListenIn *m_listenIn = nullptr;
    QPushButton *m_listen = nullptr;
    QLabel *m_listenState = nullptr;
    QString m_listenProblem; // the player's last failure, until it plays again
    QComboBox *m_rendition = nullptr;
    QLabel *m_loudness = nullptr;
    JsonTableModel *m_renditions = nullptr;
    StreamCharts *m_charts = nullptr;
    Retranslator m_texts;
};

} // namespace veza::console
