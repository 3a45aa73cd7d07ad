/* Server and command log on standard error: one line per event with a UTC timestamp.
 * Never pass personal data (ID numbers, phones, names of workers) to these. */
#ifndef JZ_UTIL_LOG_H
#define JZ_UTIL_LOG_H

void jz_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void jz_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Silences info lines (tests and one-shot commands keep errors only). */
void jz_log_quiet(int quiet);

#endif
