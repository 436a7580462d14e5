#include "bitunixsigner.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <algorithm>

namespace BitunixSigner {

QByteArray canonicalQuery(const QList<std::pair<QByteArray, QByteArray>> &parameters)
{
    auto sorted = parameters;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QByteArray result;
    for (const auto &[key, value] : std::as_const(sorted)) {
        if (!value.isEmpty())
            result += key + value;
    }
    return result;
}

QByteArray canonicalQuery(const QUrlQuery &query)
{
    QList<std::pair<QByteArray, QByteArray>> parameters;
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded))
        parameters.append({key.toUtf8(), value.toUtf8()});
    return canonicalQuery(parameters);
}

QByteArray digest(const QByteArray &nonce, const QByteArray &timestamp, const QByteArray &apiKey,
                  const QByteArray &canonicalQuery, const QByteArray &body)
{
    return QCryptographicHash::hash(nonce + timestamp + apiKey + canonicalQuery + body,
                                    QCryptographicHash::Sha256)
        .toHex();
}

QByteArray sign(const QByteArray &nonce, const QByteArray &timestamp, const QByteArray &apiKey,
                const QByteArray &canonicalQuery, const QByteArray &body, const QByteArray &secret)
{
    return QCryptographicHash::hash(digest(nonce, timestamp, apiKey, canonicalQuery, body) + secret,
                                    QCryptographicHash::Sha256)
        .toHex();
}

QByteArray makeNonce()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex();
}

} // namespace BitunixSigner
