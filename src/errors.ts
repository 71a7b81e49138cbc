// Named errors, mapped to statuses by the one error handler (src/errorHandler.ts).
export class AppError extends Error {
  override name = 'AppError'
  constructor(
    message: string,
    readonly status: number = 500,
  ) {
    super(message)
  }
}

/** Also used for everything outside the actor's organisations (rule 7): it answers as if it did not exist. */
export class NotFoundError extends AppError {
  override name = 'NotFoundError'
  constructor(message = 'Not found') {
    super(message, 404)
  }
}

export class ForbiddenError extends AppError {
  override name = 'ForbiddenError'
  constructor(message = 'Forbidden') {
    super(message, 403)
  }
}

/** A rule refused the change; `field` names the form field the message belongs to. */
export class RuleViolation extends AppError {
  override name = 'RuleViolation'
  constructor(
    readonly messageKey: string,
    readonly field?: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(messageKey, 422)
  }
}

/** A confirmation no longer matches what it was shown for (someone acted in between, or it is replayed): nothing changed. */
export class ConflictError extends AppError {
  override name = 'ConflictError'
  constructor(message = 'Conflict') {
    super(message, 409)
  }
}
