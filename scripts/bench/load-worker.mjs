// Runs autocannon in its own thread, so the load generator does not share the server's event loop.
import { parentPort, workerData } from 'node:worker_threads'
import autocannon from 'autocannon'

const { url, connections, duration, cookie, headers = {} } = workerData
const latencies = []
const instance = autocannon({ url, connections, duration, headers: { cookie, ...headers } })
instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime))
const result = await instance
parentPort.postMessage({ latencies, seconds: duration, non2xx: result.non2xx, errors: result.errors })
