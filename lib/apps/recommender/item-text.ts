/**
 * An item's text for content-based recommending: `title. genres. tags` (MovieLens: the title with its year, the
 * genres, and the distinct user tags, most used first). Tags are applied by users, so a tag by user u on item i
 * says u watched i: pass the held-out pairs in `exclude` so the test set never leaks into the text.
 */
import type { Movie, MovieTag } from "../../data/movielens";

/**
 * @param movies the catalogue (its order = item index)
 * @param tags tag applications
 * @param options `exclude`: `"userId:movieId"` pairs whose tags are ignored; `maxTags` per item (default 20)
 * @returns one text per movie, e.g. `Toy Story (1995). Adventure, Animation, Children. pixar, fun`
 */
export function itemTexts(movies: readonly Movie[], tags: readonly MovieTag[], options: { exclude?: ReadonlySet<string>; maxTags?: number } = {}): string[] {
  const { exclude, maxTags = 20 } = options;
  const byMovie = new Map<number, Map<string, number>>();
  for (const t of tags) {
    if (exclude?.has(`${t.userId}:${t.movieId}`)) continue;
    const tag = t.tag.trim().toLowerCase();
    if (tag === "") continue;
    const counts = byMovie.get(t.movieId) ?? new Map<string, number>();
    counts.set(tag, (counts.get(tag) ?? 0) + 1);
    byMovie.set(t.movieId, counts);
  }
  return movies.map((m) => {
    const counts = byMovie.get(m.movieId);
    const top = counts === undefined ? [] : [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxTags).map(([t]) => t);
    return [m.title, m.genres.join(", "), top.join(", ")].filter((s) => s !== "").join(". ");
  });
}
