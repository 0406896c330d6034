#ifndef SLUICE_CLIBCRYPTO_SHIM_H
#define SLUICE_CLIBCRYPTO_SHIM_H
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
#endif
