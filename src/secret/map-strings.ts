function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A copy of a JSON-like value with `transform` applied to every string in it, and to object keys when
 * `keys` is set. Arrays and plain objects are copied; anything else (numbers, class instances such as
 * Date or Buffer) is returned as it is. The input is never changed.
 */
export function mapStrings(value: unknown, transform: (text: string) => string, keys: boolean): unknown {
  if (typeof value === 'string') return transform(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, transform, keys));
  if (isPlainObject(value)) {
    // fromEntries defines own properties, so a "__proto__" key stays a key.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        keys ? transform(key) : key,
        mapStrings(item, transform, keys),
      ]),
    );
  }
  return value;
}
