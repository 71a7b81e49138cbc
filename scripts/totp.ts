// npm run totp -- [email]: prints the current TOTP code of a demo account (or all of them), so you
// can log in without putting the demo secrets in an authenticator app. Demo data only.
import { currentTotp } from '../src/shared/totp.ts'
import { DEMO_ACCOUNTS } from '../src/features/demo/seedDemo.ts'

const wanted = process.argv[2]?.toLowerCase()
const accounts = DEMO_ACCOUNTS.filter((a) => a.totpSecret && (!wanted || a.email.toLowerCase() === wanted))
if (accounts.length === 0) {
  console.error(wanted ? `No demo account with a second factor has the address ${wanted}.` : 'No demo accounts.')
  process.exit(1)
}
const secondsLeft = 30 - (Math.floor(Date.now() / 1000) % 30)
for (const account of accounts) console.log(`${currentTotp(account.totpSecret!)}  ${account.email}`)
console.log(`(valid for another ${secondsLeft} s)`)
