/**
 * A function of one string, remembered: for answers asked again and again across a workspace
 * (names, columns, paths) whose computing runs regular expressions. At most `limit` answers are
 * kept; past that the memory starts afresh, so a long-lived language server stays bounded.
 */
export function memoizeByString<T>(compute: (key: string) => T, limit = 10_000): (key: string) => T {
  const answers = new Map<string, T>();
  return (key) => {
    if (answers.has(key)) return answers.get(key) as T;
    const answer = compute(key);
    if (answers.size >= limit) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}
