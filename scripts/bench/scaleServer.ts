// The app of `npm run bench:scale` in its own process (so its RSS is the app's alone): production
// settings, the floor route, on a free port on 127.0.0.1. Prints {"base": "..."} on stdout once it
// listens; ends on SIGTERM. DATABASE_URL: the bench database. BENCH_APP=dist serves the built app
// (`npm run build`, as `npm start` in production would run it) instead of src/ through tsx.
import path from 'node:path'
import v8 from 'node:v8'
import pino from 'pino'
import type { createApp } from '../../src/app.ts'
import type { loadConfig } from '../../src/config.ts'
import type { allow } from '../../src/policy/access.ts'
import type { createServices } from '../../src/services.ts'
import { serveWithFloor } from './floorServer.ts'
import { SCALE_ENV } from './scaleEnv.ts'

type AppModules = {
  config: { loadConfig: typeof loadConfig }
  services: { createServices: typeof createServices }
  app: { createApp: typeof createApp }
  access: { allow: typeof allow }
}

const projectRoot = path.resolve(import.meta.dirname, '../..')
const from = process.env.BENCH_APP === 'dist' ? path.join(projectRoot, 'dist') : path.join(projectRoot, 'src')
const ext = process.env.BENCH_APP === 'dist' ? 'js' : 'ts'
const load = async <T>(module: string): Promise<T> => (await import(path.join(from, `${module}.${ext}`))) as T
const m: AppModules = {
  config: await load('config'),
  services: await load('services'),
  app: await load('app'),
  access: await load('policy/access'),
}
const config = m.config.loadConfig({ ...process.env, ...SCALE_ENV })
const services = m.services.createServices(config, process.env.DATABASE_URL!, { logger: pino({ level: 'error' }) })
const server = await serveWithFloor(m.app.createApp(services), m.access.allow('admin'), projectRoot, 'mandates')
process.stdout.write(JSON.stringify({ base: server.base, app: process.env.BENCH_APP === 'dist' ? 'dist' : 'src' }) + '\n')
// SIGUSR2: one JSON line on stdout with where the memory is (the bench prints it beside the RSS).
process.on('SIGUSR2', () => {
  const mb = (bytes: number) => Math.round(bytes / 1048576)
  const usage = process.memoryUsage()
  const heap = v8.getHeapStatistics()
  const memory = {
    rss: mb(usage.rss),
    heapTotal: mb(usage.heapTotal),
    heapUsed: mb(usage.heapUsed),
    external: mb(usage.external),
    arrayBuffers: mb(usage.arrayBuffers),
    malloced: mb(heap.malloced_memory),
    peakMalloced: mb(heap.peak_malloced_memory),
  }
  process.stdout.write(JSON.stringify({ memory }) + '\n')
})
process.once('SIGTERM', () => {
  server.close()
  void services.close().finally(() => process.exit(0))
})
