/** One problem with one field of the input, in words a sender can act on. */
export interface FieldProblem {
  field: string;
  problem: string;
}

/**
 * An error a caller caused and can fix. The HTTP error middleware shows its message (and field problems)
 * to the caller; any other error becomes an opaque 500.
 */
export class ClientError extends Error {
  override readonly name: string = 'ClientError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

export class ValidationError extends ClientError {
  override readonly name = 'ValidationError';
  constructor(message: string, fields: FieldProblem[] = []) {
    super(400, 'invalid_request', message, fields);
  }
}

export class UnauthorizedError extends ClientError {
  override readonly name = 'UnauthorizedError';
  constructor(message = 'a valid key is required') {
    super(401, 'unauthorized', message);
  }
}

export class NotFoundError extends ClientError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}
