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
#endif
