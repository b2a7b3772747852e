import type { NewMemory } from '../../src/memory/index.js';

/**
 * A generated corpus of facts about people: "<name> <feeling> this <category>: <value>." Each
 * (name, feeling, category) is stated once, so a question naming a person, a feeling and a category has
 * exactly one right answer. Questions ask in other words (synonyms the emulated embedding model knows,
 * see test/emulators/embedding-model.ts) and never mention the value.
 */

const feelings = [
  { says: ['likes', 'enjoys', 'loves', 'is fond of'], asks: ['like', 'enjoy', 'love', 'adore'] },
  { says: ['dislikes', 'hates', 'detests'], asks: ['dislike', 'loathe', 'despise'] },
  { says: ['owns', 'has', 'keeps'], asks: ['own', 'possess', 'have'] },
  { says: ['wants', 'wishes for', 'desires'], asks: ['want', 'crave', 'hope for'] },
  { says: ['fears', 'dreads', 'is scared of'], asks: ['fear', 'dread', 'feel afraid of'] },
] as const;

const categories: readonly { words: readonly string[]; values: readonly string[] }[] = [
  { words: ['drink', 'beverage'], values: ['oolong tea', 'cold brew', 'lemonade', 'kombucha', 'ginger ale'] },
  {
    words: ['car', 'vehicle', 'automobile'],
    values: ['hatchback', 'pickup truck', 'convertible', 'minivan'],
  },
  { words: ['pet', 'animal', 'companion'], values: ['tabby cat', 'beagle', 'parrot', 'goldfish', 'iguana'] },
  { words: ['city', 'town', 'place'], values: ['Lisbon', 'Osaka', 'Denver', 'Tallinn', 'Cusco'] },
  { words: ['book', 'novel'], values: ['Dune', 'Middlemarch', 'Beloved', 'Ulysses', 'Emma'] },
  { words: ['song', 'tune', 'track'], values: ['Clair de Lune', 'Hey Jude', 'Jolene', 'Hallelujah'] },
  { words: ['sport', 'game'], values: ['curling', 'fencing', 'rugby', 'squash', 'rowing'] },
  { words: ['food', 'dish', 'meal'], values: ['ramen', 'paella', 'pierogi', 'falafel', 'risotto'] },
  { words: ['holiday', 'vacation', 'trip'], values: ['cruise', 'safari', 'ski week', 'road trip'] },
  { words: ['computer', 'laptop', 'machine'], values: ['ThinkPad', 'MacBook', 'Framework', 'Chromebook'] },
  { words: ['phone', 'handset', 'smartphone'], values: ['Pixel', 'iPhone', 'Fairphone', 'Galaxy'] },
  { words: ['flower', 'bloom', 'blossom'], values: ['tulip', 'orchid', 'peony', 'lilac', 'dahlia'] },
  { words: ['film', 'movie', 'picture'], values: ['Casablanca', 'Alien', 'Amelie', 'Heat', 'Up'] },
  { words: ['colour', 'hue', 'shade'], values: ['teal', 'ochre', 'crimson', 'mauve', 'olive'] },
  { words: ['job', 'occupation', 'profession'], values: ['welding', 'nursing', 'accounting', 'farming'] },
  { words: ['tool', 'instrument', 'utensil'], values: ['chisel', 'wrench', 'whisk', 'trowel'] },
  { words: ['editor', 'ide'], values: ['Vim', 'Emacs', 'VS Code', 'Helix', 'Zed'] },
  { words: ['language', 'tongue'], values: ['Basque', 'Welsh', 'Tagalog', 'Finnish', 'Swahili'] },
  { words: ['hobby', 'pastime'], values: ['knitting', 'birdwatching', 'origami', 'pottery'] },
  { words: ['restaurant', 'eatery', 'bistro'], values: ['Chez Marie', 'Blue Lotus', 'The Anchor'] },
  { words: ['shoe', 'footwear', 'sneaker'], values: ['loafers', 'clogs', 'sandals', 'brogues'] },
  { words: ['fruit', 'produce'], values: ['mango', 'quince', 'lychee', 'persimmon', 'kiwi'] },
  { words: ['snack', 'treat', 'nibble'], values: ['pretzels', 'popcorn', 'trail mix', 'crackers'] },
  { words: ['dessert', 'sweet', 'pudding'], values: ['tiramisu', 'baklava', 'flan', 'mochi'] },
  { words: ['bird', 'fowl'], values: ['heron', 'magpie', 'kestrel', 'puffin', 'wren'] },
  { words: ['tree', 'wood'], values: ['birch', 'cedar', 'maple', 'willow', 'yew'] },
  { words: ['river', 'stream', 'waterway'], values: ['Danube', 'Mekong', 'Shannon', 'Volga'] },
  { words: ['mountain', 'peak', 'summit'], values: ['Matterhorn', 'Denali', 'Kilimanjaro', 'Olympus'] },
  { words: ['painter', 'artist'], values: ['Vermeer', 'Kahlo', 'Hokusai', 'Turner', 'Klimt'] },
  { words: ['author', 'writer', 'novelist'], values: ['Austen', 'Borges', 'Achebe', 'Tolstoy'] },
  { words: ['singer', 'vocalist', 'musician'], values: ['Bjork', 'Sinatra', 'Adele', 'Fela'] },
  { words: ['team', 'club', 'squad'], values: ['the Rovers', 'the Comets', 'the Pilots'] },
  { words: ['season', 'period'], values: ['late autumn', 'early spring', 'midsummer'] },
  { words: ['weather', 'climate'], values: ['drizzle', 'fog', 'heatwaves', 'snowstorms'] },
  { words: ['fabric', 'material', 'textile'], values: ['linen', 'tweed', 'corduroy', 'velvet'] },
  { words: ['gem', 'jewel', 'stone'], values: ['opal', 'garnet', 'topaz', 'jade', 'onyx'] },
  { words: ['cheese', 'fromage'], values: ['gouda', 'brie', 'feta', 'gruyere', 'stilton'] },
  { words: ['bread', 'loaf'], values: ['sourdough', 'rye', 'focaccia', 'baguette'] },
  { words: ['soup', 'broth', 'stew'], values: ['borscht', 'gazpacho', 'pho', 'minestrone'] },
  { words: ['font', 'typeface'], values: ['Garamond', 'Helvetica', 'Futura', 'Baskerville'] },
];

const syllables = [
  'ka',
  'lo',
  'mi',
  'ren',
  'ta',
  'vo',
  'shi',
  'bra',
  'del',
  'nu',
  'po',
  'zar',
  'qui',
  'fen',
  'ga',
  'th',
  'ri',
  'os',
  'bel',
  'ix',
];

/** A name from a number: distinct numbers give distinct names. */
function nameOf(n: number): string {
  let name = '';
  let rest = n;
  for (let i = 0; i < 3; i++) {
    name += syllables[rest % syllables.length];
    rest = Math.floor(rest / syllables.length);
  }
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A tiny seeded generator, so the corpus is the same on every run. */
function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0 || 1;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

export interface Question {
  query: string;
  /** Index into the corpus of the memory that answers it. */
  answer: number;
}

export interface Corpus {
  memories: NewMemory[];
  questions: Question[];
}

const facts = feelings.length * categories.length;

/** `size` memories (size / 200 people × 200 facts each) and `questionCount` paraphrased questions. */
export function generateCorpus(size: number, questionCount: number, seed = 42): Corpus {
  const pick = seeded(seed);
  const choose = <T>(items: readonly T[]): T => items[pick(items.length)] as T;
  const memories: NewMemory[] = [];
  for (let i = 0; i < size; i++) {
    const person = nameOf(Math.floor(i / facts));
    const feeling = feelings[i % feelings.length] as (typeof feelings)[number];
    const category = categories[
      Math.floor(i / feelings.length) % categories.length
    ] as (typeof categories)[number];
    memories.push({
      kind: 'fact',
      scope: 'user:local',
      text: `${person} ${choose(feeling.says)} this ${choose(category.words)}: ${choose(category.values)}.`,
    });
  }
  const questions: Question[] = [];
  for (let q = 0; q < questionCount; q++) {
    const answer = pick(size);
    const feeling = feelings[answer % feelings.length] as (typeof feelings)[number];
    const category = categories[
      Math.floor(answer / feelings.length) % categories.length
    ] as (typeof categories)[number];
    const person = nameOf(Math.floor(answer / facts));
    questions.push({
      query: `Which ${choose(category.words)} does ${person} ${choose(feeling.asks)}?`,
      answer,
    });
  }
  return { memories, questions };
}
