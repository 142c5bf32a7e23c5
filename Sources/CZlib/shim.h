// The system zlib (zlib1g-dev) as Swift sees it: gzip bodies for `Content-Encoding: gzip`.
//
// deflateInit2 and inflateInit2 are macros that pass the library's version and the stream's
// size; Swift cannot call macros, so these wrappers give them a name. They add no behaviour.
#ifndef LIVEBLOG_CZLIB_SHIM_H
#define LIVEBLOG_CZLIB_SHIM_H

#include <zlib.h>

static inline int liveblog_deflateInit2(z_streamp stream, int level, int windowBits, int memLevel, int strategy) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, memLevel, strategy);
}
static inline int liveblog_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

#endif
