/* QR codes as compact SVG (libqrencode): what the printable card shows. */
#ifndef JZ_UTIL_QR_H
#define JZ_UTIL_QR_H

#include <stdbool.h>

#include "util/buf.h"

enum { JZ_QR_QUIET = 4 }; /* modules of white border on each side, as the standard asks */

/* Appends an <svg> element drawing `text` as a QR code (8-bit mode, error correction
 * level M): one path of the dark modules on a white square of width + 2 * JZ_QR_QUIET
 * modules, scaled by CSS (class "qr"). *version gets the QR version (width 17 + 4 ×
 * version) when not NULL. False when the text does not fit a QR code. */
bool jz_qr_svg(jz_buf *out, const char *text, int *version);

#endif
