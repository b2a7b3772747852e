/** `value` as one word for a POSIX shell, with nothing in it expanded or interpreted. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
