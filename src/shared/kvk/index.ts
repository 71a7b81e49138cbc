// Which register the app uses: KvK's APIs when KVK_API_URL and KVK_API_KEY are set, else the file.
import type { Logger } from 'pino'
import type { Config } from '../../config.ts'
import { FileKvkRegister } from './fileRegister.ts'
import { HttpKvkRegister } from './httpRegister.ts'
import type { KvkRegister } from './register.ts'

export function createKvkRegister(config: Config, logger?: Logger): KvkRegister {
  const { apiUrl, apiKey, timeoutMs, officersPath } = config.kvk
  if (apiUrl && apiKey) return new HttpKvkRegister({ baseUrl: apiUrl, apiKey, timeoutMs, officersPath, logger })
  return new FileKvkRegister()
}
