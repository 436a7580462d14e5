#pragma once

#include <QLabel>

// A label in two parts: one always shown whole (the figures: "HL stale 12 s"), then one that gives way with
// "…" when the label is narrower than its text (an error message). The whole text is in the tooltip and in
// the accessible name, so nothing is lost, and a long message never makes the window wider than the screen.
class ElidingLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidingLabel(QWidget *parent = nullptr);

    void setParts(const QString &kept, const QString &elidable = QString());
    QString fullText() const { return m_kept + m_elidable; }

    QSize minimumSizeHint() const override; // the kept part and "…"
    QSize sizeHint() const override; // the whole text

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showFitting();

    QString m_kept;
    QString m_elidable;
};
