/** Words too common to say anything about which memory a query wants. */
const stopwords = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our so that the their them then there these they this to was we were what when ' +
    'where which who whom why will with would you your about should shall any all some'
  ).split(' '),
);

/** The words of a query, without stopwords; each quoted so FTS5 reads it as a plain term. */
export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((word) => !stopwords.has(word)))];
}

/** An FTS5 MATCH expression that finds memories holding any of the query's words (BM25 ranks them). */
export function ftsMatchExpression(query: string): string | undefined {
  const terms = queryTerms(query);
  return terms.length === 0 ? undefined : terms.map((term) => `"${term}"`).join(' OR ');
}
