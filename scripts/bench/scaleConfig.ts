// The configuration of `npm run bench:scale` (scripts/bench/scaleEnv.ts) for the bench script itself.
import { loadConfig, type Config } from '../../src/config.ts'
import { SCALE_ENV } from './scaleEnv.ts'

export function benchConfig(): Config {
  return loadConfig({ ...process.env, ...SCALE_ENV })
}
