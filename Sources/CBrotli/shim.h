// The system brotli encoder and decoder (libbrotli-dev) as Swift sees them: bodies for
// `Content-Encoding: br`.
#ifndef LIVEBLOG_CBROTLI_SHIM_H
#define LIVEBLOG_CBROTLI_SHIM_H

#include <brotli/encode.h>
#include <brotli/decode.h>

#endif
