// The app of `npm run bench:scale` in its own process (so its RSS is the app's alone): production
// settings, the floor route, on a free port on 127.0.0.1. Prints {"base": "..."} on stdout once it
// listens; ends on SIGTERM. DATABASE_URL: the bench database.
import pino from 'pino'
import { benchConfig } from './scaleConfig.ts'
import { createServices } from '../../src/services.ts'
import { startBenchServer } from './harness.ts'

const services = createServices(benchConfig(), process.env.DATABASE_URL!, { logger: pino({ level: 'error' }) })
const server = await startBenchServer(services, 'mandates')
process.stdout.write(JSON.stringify({ base: server.base }) + '\n')
process.once('SIGTERM', () => {
  server.close()
  void services.close().finally(() => process.exit(0))
})
