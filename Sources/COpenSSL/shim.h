#ifndef ROCKS_COPENSSL_SHIM_H
#define ROCKS_COPENSSL_SHIM_H
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

// BIO_get_mem_data is a macro, which Swift cannot call.
static inline long rocks_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

// OPENSSL_free is a macro carrying file and line; Swift needs a function.
static inline void rocks_OPENSSL_free(void *pointer) {
    OPENSSL_free(pointer);
}

// Passed as the PEM password callback when the caller gave no passphrase: without it,
// OpenSSL would prompt on the terminal for an encrypted key. Returning 0 makes decryption
// fail, which is the answer we want ("this key needs a passphrase").
static inline int rocks_no_passphrase(char *buf, int size, int rwflag, void *userdata) {
    (void)buf; (void)size; (void)rwflag; (void)userdata;
    return 0;
}

// One SHA-256 into `out`, with its context on the stack: `EVP_Digest` makes and frees a
// context per call (so does OpenSSL 3's one-shot `SHA256()`, which also looks the algorithm
// up by name), and a rebuild digests every record on its parsing thread. The low-level
// functions are deprecated in OpenSSL 3 in favour of EVP, not removed, and run the same
// SHA-NI code; the pragma keeps the deprecation to this one place.
static inline void rocks_sha256(const void *data, size_t count, unsigned char out[32]) {
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, count);
    SHA256_Final(out, &context);
#pragma clang diagnostic pop
}
#endif
