#ifndef SPOOR_COPENSSL_SHIM_H
#define SPOOR_COPENSSL_SHIM_H
/* OpenSSL 3's one-shot SHA256() fetches the algorithm from a provider on every call (a lock and
   a lookup); the low-level SHA256_Init/Update/Final run the same SHA-extension code directly.
   OpenSSL 3 marks them deprecated, which is only advice here. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/err.h>

/// SHA-256 of `len` bytes into `out` (32 bytes).
static inline void spoor_sha256(const unsigned char *data, size_t len, unsigned char *out) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, data, len);
    SHA256_Final(out, &ctx);
}

/// Double SHA-256 (Bitcoin's hash256) into `out` (32 bytes).
static inline void spoor_sha256d(const unsigned char *data, size_t len, unsigned char *out) {
    unsigned char first[32];
    spoor_sha256(data, len, first);
    spoor_sha256(first, 32, out);
}

/// Double SHA-256 of three concatenated pieces (a segwit transaction's txid skips marker, flag, witness).
static inline void spoor_sha256d_3(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen,
                                   const unsigned char *c, size_t clen, unsigned char *out) {
    SHA256_CTX ctx;
    unsigned char first[32];
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, a, alen);
    SHA256_Update(&ctx, b, blen);
    SHA256_Update(&ctx, c, clen);
    SHA256_Final(first, &ctx);
    spoor_sha256(first, 32, out);
}

/// RIPEMD-160 into `out` (20 bytes), through a digest fetched once from the default provider.
/// Returns 1 on success, 0 when the provider has no RIPEMD-160.
static inline int spoor_ripemd160(const unsigned char *data, size_t len, unsigned char *out) {
    static EVP_MD *md = NULL;
    if (md == NULL) {
        md = EVP_MD_fetch(NULL, "RIPEMD160", NULL);
        if (md == NULL) return 0;
    }
    unsigned int outlen = 0;
    return EVP_Digest(data, len, out, &outlen, md, NULL) == 1 && outlen == 20;
}
/* Ed25519 (evidence report signing). Keys cross the boundary as raw 32-byte strings and PEM text,
   so no OpenSSL object outlives a call. Each returns 1 on success, 0 on failure (the OpenSSL error
   queue says why). */
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <string.h>

/// Makes a key pair: raw private key (32 bytes) and raw public key (32 bytes).
static inline int spoor_ed25519_keygen(unsigned char *priv32, unsigned char *pub32) {
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    int ok = ctx != NULL && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &key) == 1;
    size_t plen = 32, qlen = 32;
    ok = ok && EVP_PKEY_get_raw_private_key(key, priv32, &plen) == 1 && plen == 32;
    ok = ok && EVP_PKEY_get_raw_public_key(key, pub32, &qlen) == 1 && qlen == 32;
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

/// The raw public key (32 bytes) of a raw private key.
static inline int spoor_ed25519_public(const unsigned char *priv32, unsigned char *pub32) {
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv32, 32);
    size_t qlen = 32;
    int ok = key != NULL && EVP_PKEY_get_raw_public_key(key, pub32, &qlen) == 1 && qlen == 32;
    EVP_PKEY_free(key);
    return ok;
}

/// Signs `len` bytes (pure Ed25519, RFC 8032) into `sig64`.
static inline int spoor_ed25519_sign(const unsigned char *priv32, const unsigned char *msg, size_t len, unsigned char *sig64) {
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv32, 32);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t siglen = 64;
    int ok = key != NULL && md != NULL && EVP_DigestSignInit(md, NULL, NULL, NULL, key) == 1
        && EVP_DigestSign(md, sig64, &siglen, msg, len) == 1 && siglen == 64;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    return ok;
}

/// Verifies an Ed25519 signature; 1 when valid.
static inline int spoor_ed25519_verify(const unsigned char *pub32, const unsigned char *msg, size_t len, const unsigned char *sig64) {
    EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub32, 32);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = key != NULL && md != NULL && EVP_DigestVerifyInit(md, NULL, NULL, NULL, key) == 1
        && EVP_DigestVerify(md, sig64, 64, msg, len) == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    return ok;
}

/// Writes a raw key as PEM (PKCS#8 private key when `is_private`, else SubjectPublicKeyInfo) into
/// `out` (capacity `cap`); returns the length written, 0 on failure or when `cap` is too small.
static inline size_t spoor_ed25519_to_pem(const unsigned char *raw32, int is_private, char *out, size_t cap) {
    EVP_PKEY *key = is_private ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw32, 32)
                               : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw32, 32);
    BIO *bio = BIO_new(BIO_s_mem());
    size_t written = 0;
    int ok = key != NULL && bio != NULL
        && (is_private ? PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) : PEM_write_bio_PUBKEY(bio, key)) == 1;
    if (ok) {
        char *data = NULL;
        long n = BIO_get_mem_data(bio, &data);
        if (n > 0 && (size_t)n <= cap) { memcpy(out, data, (size_t)n); written = (size_t)n; }
    }
    BIO_free(bio);
    EVP_PKEY_free(key);
    return written;
}

/// Reads a PEM Ed25519 key (private when `is_private`) into its raw 32 bytes; 0 when the text is
/// not such a key.
static inline int spoor_ed25519_from_pem(const char *pem, size_t len, int is_private, unsigned char *raw32) {
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    EVP_PKEY *key = NULL;
    if (bio != NULL) key = is_private ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    size_t rlen = 32;
    int ok = key != NULL && EVP_PKEY_get_id(key) == EVP_PKEY_ED25519
        && (is_private ? EVP_PKEY_get_raw_private_key(key, raw32, &rlen) : EVP_PKEY_get_raw_public_key(key, raw32, &rlen)) == 1
        && rlen == 32;
    EVP_PKEY_free(key);
    BIO_free(bio);
    return ok;
}
#endif
