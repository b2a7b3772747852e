/** A small seeded generator (mulberry32), so a failing case can be replayed from its seed. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  words(min: number, max: number): string {
    const vocabulary = [
      'note',
      'milk',
      'file',
      'alpha',
      'déjà',
      '数据',
      'the',
      'path',
      '42',
      'x_y',
      '\n',
      'ok?',
    ];
    return Array.from({ length: this.int(min, max) }, () => this.pick(vocabulary)).join(' ');
  }
}
