/** Thrown when the data directory or the database in it cannot be used; the message says what to do. */
export class StoreError extends Error {
  override name = 'StoreError';
}
