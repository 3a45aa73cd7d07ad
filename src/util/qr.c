/* QR codes as compact SVG: libqrencode finds the modules, and each horizontal run of
 * dark modules becomes one "M x y h n v1 h -n z" of a single path, so a card's code stays
 * a few kilobytes and prints sharp at any size. */
#include "util/qr.h"

#include <qrencode.h>

bool
jz_qr_svg(jz_buf *out, const char *text, int *version)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return false;
	int w = qr->width, size = w + 2 * JZ_QR_QUIET;
	jz_buf_printf(out,
	              "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 %d %d\""
	              " shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\">"
	              "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	              size, size, size, size);
	for (int y = 0; y < w; y++) {
		const unsigned char *row = qr->data + (size_t)y * (size_t)w;
		for (int x = 0; x < w;) {
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (row[x + run] & 1))
				run++;
			jz_buf_printf(out, "M%d %dh%dv1h-%dz", x + JZ_QR_QUIET, y + JZ_QR_QUIET,
			              run, run);
			x += run;
		}
	}
	jz_buf_puts(out, "\"/></svg>");
	if (version)
		*version = qr->version;
	QRcode_free(qr);
	return true;
}
