// One download for bench:mandates-export, in a process of its own so that the client's memory and CPU
// are not counted as the app's: GET argv[2] with the cookie argv[3], count bytes and lines, and print
// {status, firstByteMs, totalMs, bytes, lines} as JSON.
import { performance } from 'node:perf_hooks'

const [url, cookie] = process.argv.slice(2)
// Node loads its fetch implementation on first use (tens of ms on a loaded host): not the app's time.
await globalThis.fetch('data:text/plain,')
const started = performance.now()
const response = await globalThis.fetch(url, { headers: { cookie } })
let firstByteMs = 0
let bytes = 0
let lines = 0
for await (const chunk of response.body ?? []) {
  if (!firstByteMs) firstByteMs = performance.now() - started
  bytes += chunk.length
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
}
process.stdout.write(JSON.stringify({ status: response.status, firstByteMs, totalMs: performance.now() - started, bytes, lines }))
