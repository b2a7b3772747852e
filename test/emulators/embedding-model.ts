/**
 * A stand-in for an embedding model: deterministic, instant, and good at one thing real ones are used
 * for — texts that say the same thing in other words land close together.
 *
 * What it models: each word is lowercased, reduced to a crude stem, and mapped to a meaning through a
 * small synonym table ("beverage" and "drinks" both become `drink`); each meaning contributes a fixed
 * pseudo-random direction (seeded by its hash) and the vector is their normalised sum. Two texts are as
 * close as the share of meanings they have in common (cosine ≈ shared / √(n₁·n₂)). It knows nothing of
 * word order, negation or any word outside the table beyond its spelling, and ignores stopwords.
 */

export const synonymClasses: readonly (readonly string[])[] = [
  ['like', 'enjoy', 'love', 'favourite', 'favorite', 'fond', 'prefer', 'adore'],
  ['dislike', 'hate', 'detest', 'loathe', 'avoid', 'despise'],
  ['own', 'have', 'has', 'possess', 'keep'],
  ['want', 'wish', 'desire', 'crave', 'hope'],
  ['fear', 'afraid', 'scare', 'dread', 'frighten'],
  ['drink', 'beverage'],
  ['car', 'vehicle', 'automobile'],
  ['pet', 'animal', 'companion'],
  ['city', 'town', 'place'],
  ['book', 'novel', 'read'],
  ['song', 'tune', 'track'],
  ['sport', 'game', 'athletic'],
  ['food', 'dish', 'meal', 'cuisine'],
  ['holiday', 'vacation', 'trip', 'getaway'],
  ['computer', 'laptop', 'machine', 'pc'],
  ['phone', 'handset', 'mobile', 'smartphone'],
  ['flower', 'bloom', 'blossom', 'plant'],
  ['film', 'movie', 'picture', 'cinema'],
  ['colour', 'color', 'hue', 'shade'],
  ['job', 'work', 'occupation', 'profession', 'career'],
  ['tool', 'instrument', 'utensil'],
  ['editor', 'ide'],
  ['language', 'tongue'],
  ['hobby', 'pastime', 'leisure'],
  ['restaurant', 'eatery', 'diner', 'bistro'],
  ['shoe', 'footwear', 'sneaker', 'boot'],
  ['fruit', 'produce'],
  ['snack', 'treat', 'nibble'],
  ['dessert', 'sweet', 'pudding'],
  ['bird', 'fowl'],
  ['tree', 'wood'],
  ['river', 'stream', 'waterway'],
  ['mountain', 'peak', 'summit'],
  ['painter', 'artist'],
  ['author', 'writer', 'novelist'],
  ['singer', 'vocalist', 'musician'],
  ['team', 'club', 'squad'],
  ['season', 'period'],
  ['weather', 'climate'],
  ['fabric', 'material', 'textile'],
  ['gem', 'jewel', 'stone'],
  ['board', 'tabletop'],
  ['cheese', 'fromage'],
  ['tea', 'infusion'],
  ['coffee', 'brew', 'espresso'],
  ['bread', 'loaf'],
  ['soup', 'broth', 'stew'],
  ['sauce', 'dressing', 'condiment'],
  ['spice', 'seasoning', 'herb'],
  ['font', 'typeface'],
  ['browser', 'navigator'],
  ['database', 'datastore'],
  ['shell', 'terminal', 'console'],
];

const stopwords = new Set(
  'a an and are as at be by do does did for from how i in is it its me my of on or that the this to was what which who whom whose why with you your called named'.split(
    ' ',
  ),
);

const meaningOf = new Map<string, string>();
for (const words of synonymClasses) for (const word of words) meaningOf.set(stem(word), words[0] as string);

/** A crude English stem: enough that "likes", "liked", "liking" and "like" agree. */
function stem(word: string): string {
  for (const suffix of ['ing', 'ies', 'ed', 'es', 's']) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) {
      const base = word.slice(0, -suffix.length);
      return suffix === 'ies' ? `${base}y` : base.replace(/e$/, '');
    }
  }
  return word.replace(/e$/, '');
}

/** The meanings a text carries, in order, each once. */
export function meanings(text: string): string[] {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !stopwords.has(word));
  return [...new Set(words.map((word) => meaningOf.get(stem(word)) ?? stem(word)))];
}

const directions = new Map<string, Float32Array>();

/** The fixed direction of one meaning: a pseudo-random Gaussian vector seeded by the meaning's hash. */
function direction(meaning: string, dimensions: number): Float32Array {
  const key = `${dimensions}:${meaning}`;
  let vector = directions.get(key);
  if (vector) return vector;
  let seed = 2166136261;
  for (const char of key) seed = Math.imul(seed ^ (char.codePointAt(0) as number), 16777619) >>> 0;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return ((seed >>> 0) + 1) / 4294967297;
  };
  vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) {
    vector[i] = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
  }
  directions.set(key, vector);
  return vector;
}

export function embedText(text: string, dimensions: number): Float32Array {
  const sum = new Float32Array(dimensions);
  for (const meaning of meanings(text)) {
    const d = direction(meaning, dimensions);
    for (let i = 0; i < dimensions; i++) sum[i] = (sum[i] as number) + (d[i] as number);
  }
  let norm = 0;
  for (const value of sum) norm += value * value;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dimensions; i++) sum[i] = (sum[i] as number) * scale;
  return sum;
}
