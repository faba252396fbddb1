/**
 * @module Coalesced writes: frames written to a socket during one turn of the event loop leave in one write.
 *
 * The first frame corks the socket and schedules an uncork for the loop's check phase (setImmediate), after
 * every socket that had data in this turn has been read and its answers written: under load, one `writev`
 * carries the answers of many calls instead of one each.
 */
import type { Socket } from 'node:net';

const corked = new WeakSet<Socket>();

export function writeFrame(socket: Socket, chunks: readonly Uint8Array[]): void {
  if (socket.destroyed) return;
  if (!corked.has(socket)) {
    corked.add(socket);
    socket.cork();
    setImmediate(() => {
      corked.delete(socket);
      socket.uncork();
    });
  }
  for (const chunk of chunks) socket.write(chunk);
}
