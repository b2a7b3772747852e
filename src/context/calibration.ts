/** How far one reported usage may move a provider's ratio, and the bounds the ratio stays within. */
const weightOfNewReport = 0.3;
const minRatio = 0.5;
const maxRatio = 2;

/**
 * Per provider, how the tokens it reports for a prompt compare with our o200k count of the same pack
 * (other tokenizers and chat templates differ). Budgets are divided by the ratio, so a provider that
 * counts 20% more gets a pack 20% smaller by our counter. Kept for the life of the process.
 */
export class TokenCalibration {
  private readonly ratios = new Map<string, number>();

  ratio(provider: string): number {
    return this.ratios.get(provider) ?? 1;
  }

  /** Folds in a real usage report: `reported` prompt tokens for a pack we counted at `counted`. */
  observe(provider: string, counted: number, reported: number): void {
    if (counted <= 0 || reported <= 0) return;
    const observed = Math.min(maxRatio, Math.max(minRatio, reported / counted));
    const previous = this.ratios.get(provider);
    const next = previous === undefined ? observed : previous + weightOfNewReport * (observed - previous);
    this.ratios.set(provider, next);
  }
}
