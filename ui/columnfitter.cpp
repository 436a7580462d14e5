#include "columnfitter.h"

#include <QHeaderView>
#include <QTableView>

ColumnFitter::ColumnFitter(QTableView *view)
    : QObject(view)
    , m_view(view)
{
    connect(view->horizontalHeader(), &QHeaderView::sectionResized, this, [this](int column) {
        if (!m_fitting)
            m_userSized.insert(column);
    });
    m_pending.setSingleShot(true);
    connect(&m_pending, &QTimer::timeout, this, &ColumnFitter::fit);
}

void ColumnFitter::setMinimumIntervalMs(int ms)
{
    m_minimumIntervalMs = ms;
    if (m_pending.isActive())
        m_pending.start(int(std::max<qint64>(0, m_minimumIntervalMs - m_sinceFit.elapsed())));
}

void ColumnFitter::fitSoon()
{
    // New rows (the other exchange's first answer, a new listing) may be wider: those fit at once.
    const int rows = m_view->model() ? m_view->model()->rowCount() : 0;
    if (!m_fitted || rows != m_rowsAtFit || !m_sinceFit.isValid()
        || m_sinceFit.hasExpired(m_minimumIntervalMs)) {
        fit();
        return;
    }
    if (!m_pending.isActive())
        m_pending.start(int(std::max<qint64>(0, m_minimumIntervalMs - m_sinceFit.elapsed())));
}

void ColumnFitter::fit()
{
    QHeaderView *header = m_view->horizontalHeader();
    if (!m_view->model())
        return;
    m_fitting = true;
    const int last = header->count() - 1;
    // A digit of room: a price that grows one digit between two fits is not elided while it waits.
    const int slack = m_view->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    for (int column = 0; column <= last; ++column) {
        // The stretched last section takes what is left: fitting it would fight the stretch.
        if (m_userSized.contains(column) || (column == last && header->stretchLastSection()))
            continue;
        // QTableView hides the public QAbstractItemView::sizeHintForColumn().
        const auto *view = static_cast<const QAbstractItemView *>(m_view);
        const int contents = view->sizeHintForColumn(column);
        const int wanted = std::max(contents > 0 ? contents + slack : 0, header->sectionSizeHint(column));
        // The first data sets the width, later data only widens it.
        if (wanted > header->sectionSize(column) || (!m_fitted && m_view->model()->rowCount() > 0))
            header->resizeSection(column, wanted);
    }
    m_fitting = false;
    m_sinceFit.start();
    m_pending.stop();
    m_rowsAtFit = m_view->model()->rowCount();
    if (m_view->model() && m_view->model()->rowCount() > 0)
        m_fitted = true;
}
