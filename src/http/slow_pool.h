/* The slow pool: a few threads of their own for the handlers of slow routes (sign-in and
 * consent, which hash or check a password with Argon2id: a tenth of a second or more of
 * CPU and 64 MiB). libmicrohttpd serves many connections on each of its threads, so a
 * handler that computes for a second there stalls them all; instead the connection is
 * suspended, the handler runs here on the pool thread's own database connection, and the
 * connection is resumed to send the reply it left (jz_req.deferred). */
#ifndef JZ_HTTP_SLOW_POOL_H
#define JZ_HTTP_SLOW_POOL_H

#include <stdbool.h>

#include "http/request.h"
#include "store/db.h"

/* Starts `threads` pool threads; db_for_thread gives the calling thread's connection
 * (NULL while the database is down). False when no thread could start. */
bool jz_slow_pool_start(unsigned threads, jz_db *(*db_for_thread)(void));
typedef enum {
	JZ_SLOW_QUEUED, /* the connection is suspended; resumed with the reply */
	JZ_SLOW_INLINE, /* the pool is not running or is draining: run the handler yourself */
	JZ_SLOW_FULL,   /* too many waiting already: answer 503 */
} jz_slow_status;

/* Suspends the request's connection and queues its handler, unless the pool cannot take
 * it (see jz_slow_status). A request that waited more than a few seconds is answered 503
 * without running its handler. */
jz_slow_status jz_slow_pool_submit(jz_req *req);
/* Takes no more requests, answers 503 to those still waiting and returns once every
 * connection it holds is resumed (libmicrohttpd must not stop with one suspended). */
void jz_slow_pool_drain(void);
/* Ends and joins the threads (after drain). */
void jz_slow_pool_stop(void);

#endif
