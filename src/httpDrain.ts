// Stopping an HTTP server without dropping a request: Node's server.close() also destroys every
// connection it counts as idle, and that includes a connection accepted a moment ago whose request
// has not been read yet (the loop was busy): its client gets ECONNRESET for a request it did send.
// Here the listener closes on its own; connections that finished a response and wait on keep-alive
// are closed, a request that arrives while stopping is served with `Connection: close`, and the
// stop resolves when the last connection has ended (at most `timeoutMs`, then all are cut).
import type { Server } from 'node:http'
import net, { type Socket } from 'node:net'

export function drainer(server: Server): { stop: (timeoutMs: number, listenerClosed?: () => void) => Promise<void> } {
  const waiting = new Set<Socket>() // kept alive after a response, no request in progress
  let stopping = false
  server.on('connection', (socket: Socket) => socket.once('close', () => waiting.delete(socket)))
  server.on('request', (req, res) => {
    const socket = req.socket
    waiting.delete(socket)
    if (stopping) res.setHeader('Connection', 'close')
    res.once('finish', () => (stopping ? socket.end() : waiting.add(socket)))
  })
  return {
    async stop(timeoutMs, listenerClosed) {
      stopping = true
      // Connections already waiting in the listen backlog (sent before the signal, not yet accepted
      // while the loop was busy) would be refused: one more turn of the loop accepts them.
      await new Promise((resolve) => setTimeout(resolve, 20))
      const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()))
      listenerClosed?.()
      for (const socket of waiting) socket.destroy()
      const timeout = setTimeout(() => server.closeAllConnections(), timeoutMs)
      await closed
      clearTimeout(timeout)
    },
  }
}
