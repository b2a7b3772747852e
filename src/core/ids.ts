import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/** A ULID: sortable by creation time, unique across processes. */
export function newId(): string {
  return nextUlid();
}
