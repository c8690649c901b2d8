/**
 * Keep-alive for the embedded servers (local/s3/server.ts, local/emulator/protocol.ts).
 */
import type { Server } from 'node:http';

/**
 * An embedded server runs in the process of its clients, so it never closes an idle keep-alive
 * connection on its own (`stop()` closes them all). Node's default closes one after 5 s idle and tells
 * the client (`Keep-Alive: timeout=5`), whose agent drops it after 4 s: a 1 s margin that only holds
 * while the event loop is free. When one loop turn runs longer than that margin across both deadlines
 * (a CPU-heavy handler on a loaded machine), the next request is written on the pooled socket before
 * either timer runs, then the server's timer closes the socket with the request unread: the client
 * gets `TimeoutError: read ECONNRESET` (its retries hide it, unless AWS_MAX_ATTEMPTS=1).
 */
export function keepIdleConnectionsOpen(http: Server): void {
  http.keepAliveTimeout = 0;
}
