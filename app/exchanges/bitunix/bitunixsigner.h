#pragma once

#include <QByteArray>
#include <QList>
#include <QUrlQuery>

#include <utility>

// Bitunix request signing (docs/exchange-apis.md#bitunix-signing): a double plain SHA-256, not an HMAC.
//   digest = hex(SHA-256(nonce + timestamp + apiKey + canonicalQuery + body))
//   sign   = hex(SHA-256(digest + secret))
namespace BitunixSigner {

// Parameters sorted by key, each key followed by its raw value, nothing between; empty values dropped.
QByteArray canonicalQuery(const QList<std::pair<QByteArray, QByteArray>> &parameters);
QByteArray canonicalQuery(const QUrlQuery &query);

QByteArray digest(const QByteArray &nonce, const QByteArray &timestamp, const QByteArray &apiKey,
                  const QByteArray &canonicalQuery, const QByteArray &body);
QByteArray sign(const QByteArray &nonce, const QByteArray &timestamp, const QByteArray &apiKey,
                const QByteArray &canonicalQuery, const QByteArray &body, const QByteArray &secret);

// 32 lowercase hex characters from the system's CSPRNG, new for every request.
QByteArray makeNonce();

} // namespace BitunixSigner
