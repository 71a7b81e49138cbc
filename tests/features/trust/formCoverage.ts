// Which test fills each POST form through its rendered fields (tests/helpers/forms.ts `submitForm`):
// the key is the form action's name in src/paths.ts, the value the test file that fills it. The form
// inventory (formInventory.test.ts) fails on a reachable form missing here, and on a listed test file
// that does not name `paths.<key>`.
export const FORM_FILL_TESTS: Record<string, string> = {}
