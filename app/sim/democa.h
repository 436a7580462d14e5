#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

// A throw-away certificate authority and one server certificate it signed, made in memory with OpenSSL. exsim
// serves TLS with it, the app trusts the CA for the simulator's origin alone, and tests make one per server.
struct DemoCertificates
{
    QSslCertificate ca;
    QSslCertificate server;
    QSslKey serverKey;
    QByteArray caPem;

    bool isNull() const { return ca.isNull() || server.isNull() || serverKey.isNull(); }

    // The server certificate names 127.0.0.1 and localhost.
    static DemoCertificates generate(const QString &caName = QStringLiteral("exsim demo CA"),
                                     int validDays = 30, QString *error = nullptr);
};
