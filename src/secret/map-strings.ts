function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function mapArray(items: readonly unknown[], transform: (text: string) => string, keys: boolean): unknown {
  let copy: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const mapped = mapStrings(item, transform, keys);
    if (mapped !== item) {
      copy ??= items.slice(0, i);
      copy.push(mapped);
    } else copy?.push(item);
  }
  return copy ?? items;
}

function mapObject(
  object: Record<string, unknown>,
  transform: (text: string) => string,
  keys: boolean,
): unknown {
  const names = Object.keys(object);
  let copy: [string, unknown][] | undefined;
  for (let i = 0; i < names.length; i++) {
    const key = names[i] as string;
    const item = object[key];
    const newKey = keys ? transform(key) : key;
    const newItem = mapStrings(item, transform, keys);
    if (copy === undefined && (newKey !== key || newItem !== item)) {
      copy = names.slice(0, i).map((kept) => [kept, object[kept]]);
    }
    copy?.push([newKey, newItem]);
  }
  // fromEntries defines own properties, so a "__proto__" key stays a key.
  return copy ? Object.fromEntries(copy) : object;
}

/**
 * `value` with `transform` applied to every string in it, and to object keys when `keys` is set. Arrays
 * and plain objects that contain a changed string are copied; the rest is returned as it is, so a value
 * with nothing to change comes back identical (the event log's common case, without allocating copies).
 * Anything else (numbers, class instances such as Date or Buffer) is returned untouched. The input is
 * never changed.
 */
export function mapStrings(value: unknown, transform: (text: string) => string, keys: boolean): unknown {
  if (typeof value === 'string') return transform(value);
  if (Array.isArray(value)) return mapArray(value, transform, keys);
  if (isPlainObject(value)) return mapObject(value, transform, keys);
  return value;
}
