// A real SMTP server inside the test process (smtp-server), collecting every accepted message
// parsed by mailparser.
//   const smtp = await startSmtpServer({ refuse: ['nobody@demo.example'] })
//   ... smtp.url (smtp://127.0.0.1:<port>), smtp.messages, await smtp.close()
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export type ReceivedMail = { envelopeTo: string[]; parsed: ParsedMail; to: string; subject: string; text: string; html: string; messageId: string }

export type TestSmtp = {
  url: string
  port: number
  messages: ReceivedMail[]
  close: () => Promise<void>
  /** Waits until `count` messages arrived (or fails after `ms`). */
  waitFor: (count: number, ms?: number) => Promise<ReceivedMail[]>
}

export async function startSmtpServer(options: { port?: number; refuse?: string[]; tempFail?: boolean } = {}): Promise<TestSmtp> {
  const messages: ReceivedMail[] = []
  const refuse = new Set((options.refuse ?? []).map((a) => a.toLowerCase()))
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address.toLowerCase())) {
        const error = new Error('5.1.1 <' + address.address + '>: Recipient address rejected: User unknown') as Error & { responseCode: number }
        error.responseCode = 550
        return callback(error)
      }
      if (options.tempFail) {
        const error = new Error('4.7.1 Try again later') as Error & { responseCode: number }
        error.responseCode = 451
        return callback(error)
      }
      callback()
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            parsed,
            to: parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
          })
          callback()
        })
        .catch(callback)
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async waitFor(count, ms = 15_000) {
      const until = Date.now() + ms
      while (messages.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} messages, got ${messages.length}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return messages
    },
  }
}

/** A port nothing listens on: an SMTP server that is down. */
export async function downSmtpPort(): Promise<number> {
  const smtp = await startSmtpServer()
  await smtp.close()
  return smtp.port
}
