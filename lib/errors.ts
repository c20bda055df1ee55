/**
 * An error the caller caused (bad input, a rule that forbids the change, something missing),
 * with the HTTP status that says so. Domain code throws it; API routes answer with it.
 */
export class RequestError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429,
    message: string,
  ) {
    super(message)
  }
}
