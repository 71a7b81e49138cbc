// autocannon ships no types; the bench uses a small part of its API.
declare module 'autocannon' {
  type Options = { url: string; connections?: number; duration?: number; headers?: Record<string, string> }
  type Result = { requests: { average: number }; latency: Record<string, number>; non2xx: number; errors: number }
  type Instance = Promise<Result> & {
    on: (event: 'response', listener: (client: unknown, status: number, bytes: number, responseTime: number) => void) => void
  }
  function autocannon(options: Options): Instance
  export default autocannon
}
