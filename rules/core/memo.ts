/**
 * A function of one string, remembered: for answers asked again and again across a workspace
 * (names, columns, paths) whose computing runs regular expressions. At most `limit` answers are
 * kept; past that the memory starts afresh, so a long-lived language server stays bounded.
 */
export function memoizeByString<T>(compute: (key: string) => T, limit = 10_000): (key: string) => T {
  const answers = new Map<string, T>();
  return (key) => {
    const known = answers.get(key);
    // one lookup for every answer but `undefined`
    if (known !== undefined || answers.has(key)) return known as T;
    const answer = compute(key);
    if (answers.size >= limit) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}
