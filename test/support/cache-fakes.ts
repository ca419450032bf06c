/** Start of the fake clock in the cache unit tests. */
export const fakeClockStart = Date.UTC(2030, 0, 1);

/** A clock that does not move until a test advances it, so TTL edges are exact. */
export class FakeClock {
  current = fakeClockStart;

  now(): number {
    return this.current;
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}

/** A promise with its resolve and reject functions, so a test decides when a load finishes. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}
