#include "democa.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace {

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

bool addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    Extension ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool setRandomSerial(X509 *cert)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    bytes[0] &= 0x7f; // positive
    std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> serial(BN_bin2bn(bytes, sizeof bytes, nullptr));
    return serial && BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert));
}

Cert makeCertificate(EVP_PKEY *key, const QByteArray &commonName, X509 *issuer, EVP_PKEY *issuerKey,
                     int validDays)
{
    Cert cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1 || !setRandomSerial(cert.get()))
        return {};
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(validDays) * 24 * 3600);
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("exdash"),
                               -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(commonName.constData()), -1, -1, 0);
    X509 *signer = issuer ? issuer : cert.get();
    if (X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) != 1
        || X509_set_pubkey(cert.get(), key) != 1)
        return {};

    const bool isCa = issuer == nullptr;
    bool ok = addExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
    if (isCa) {
        ok = ok && addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
            && addExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        ok = ok && addExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always")
            && addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(cert.get(), signer, NID_key_usage, "critical,digitalSignature")
            && addExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth")
            && addExtension(cert.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    }
    if (!ok || X509_sign(cert.get(), isCa ? key : issuerKey, EVP_sha256()) == 0)
        return {};
    return cert;
}

QByteArray readAll(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

QByteArray certificatePem(X509 *cert)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        return {};
    return readAll(bio.get());
}

QByteArray keyPem(EVP_PKEY *key)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return readAll(bio.get());
}

} // namespace

DemoCertificates DemoCertificates::generate(const QString &caName, int validDays, QString *error)
{
    auto fail = [error](const char *what) {
        if (error)
            *error = QStringLiteral("cannot make the demo certificates: %1").arg(QLatin1String(what));
        return DemoCertificates();
    };

    PKey caKey(EVP_EC_gen("P-256"));
    PKey serverKey(EVP_EC_gen("P-256"));
    if (!caKey || !serverKey)
        return fail("key generation failed");
    Cert ca = makeCertificate(caKey.get(), caName.toUtf8(), nullptr, nullptr, validDays);
    if (!ca)
        return fail("CA certificate");
    Cert server = makeCertificate(serverKey.get(), "127.0.0.1", ca.get(), caKey.get(), validDays);
    if (!server)
        return fail("server certificate");

    DemoCertificates result;
    result.caPem = certificatePem(ca.get());
    result.ca = QSslCertificate(result.caPem, QSsl::Pem);
    result.server = QSslCertificate(certificatePem(server.get()), QSsl::Pem);
    result.serverKey = QSslKey(keyPem(serverKey.get()), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (result.isNull())
        return fail("Qt could not load the generated PEM");
    return result;
}
