// A connection checked out of a pg.Pool and held across statements (a page read's SET and query, an
// export between its batches): pg-pool listens for a connection's errors only while it is idle in the
// pool, so PostgreSQL ending it then (a restart: 57P01) would be thrown past every handler and end the
// process. While held, its errors go to the pool's own handler (services.ts logs them).
import type pg from 'pg'

/** Connects and passes the connection's errors to `pool`'s handler; `release` hands it back. */
export async function checkOut(pool: pg.Pool): Promise<{ client: pg.PoolClient; release: (error?: Error) => void }> {
  const client = await pool.connect()
  const onError = (error: Error) => pool.emit('error', error, client)
  client.on('error', onError)
  return {
    client,
    release: (error) => {
      client.removeListener('error', onError)
      client.release(error)
    },
  }
}
