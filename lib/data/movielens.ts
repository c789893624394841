/**
 * MovieLens ml-latest-small (Harper & Konstan 2015): four CSVs with headers. Titles and tags may be quoted (they
 * hold commas). Ids and ratings are checked as numbers here, so a bad row fails with its file and line.
 */
import { parseCsv, requireColumns } from "./csv";
import { DataFormatError } from "./errors";
import { parseNumberField } from "./number-field";
import { datasetDir, readDatasetFile } from "./files";
import type { LoadOptions } from "./files";

/** One rating of `ratings.csv`. */
export interface MovieRating {
  userId: number;
  movieId: number;
  /** 0.5 to 5.0 in half stars. */
  rating: number;
  /** Unix seconds, UTC. */
  timestamp: number;
}
/** One row of `movies.csv`. */
export interface Movie {
  movieId: number;
  /** Title with the year in parentheses, e.g. `Toy Story (1995)`. */
  title: string;
  /** Genres; empty for `(no genres listed)`. */
  genres: string[];
}
/** One tag application of `tags.csv` (free text by a user). */
export interface MovieTag {
  userId: number;
  movieId: number;
  tag: string;
  timestamp: number;
}
/** One row of `links.csv`: the movie's IMDb and TMDb ids. */
export interface MovieLink {
  movieId: number;
  /** IMDb id as written (leading zeros kept). */
  imdbId: string;
  /** TMDb id, null when empty in the file. */
  tmdbId: number | null;
}

/** Parses a CSV and hands each row (as a column accessor) to `build`, with the file and line for errors. */
function rowsOf<T>(text: string, file: string, columns: readonly string[], build: (get: (column: string) => string, num: (column: string) => number, line: number) => T): T[] {
  const table = parseCsv(text, { file });
  const index = requireColumns(table, columns, file);
  const at = new Map(columns.map((c, i) => [c, index[i] as number]));
  return table.rows.map((row, r) => {
    const line = table.rowLines[r] as number;
    const get = (column: string): string => row[at.get(column) as number] as string;
    const num = (column: string): number => {
      const raw = get(column);
      const value = parseNumberField(raw);
      if (value === undefined || !Number.isFinite(value)) throw new DataFormatError(file, line, `column "${column}" should be a number, got ${JSON.stringify(raw)}.`);
      return value;
    };
    return build(get, num, line);
  });
}

/** Parses `ratings.csv`. @throws DataFormatError (file:line) for non-numbers or a rating outside 0.5..5 */
export function parseRatings(text: string, options: { file?: string } = {}): MovieRating[] {
  const { file = "ratings.csv" } = options;
  return rowsOf(text, file, ["userId", "movieId", "rating", "timestamp"], (_get, num, line) => {
    const rating = num("rating");
    if (rating < 0.5 || rating > 5) throw new DataFormatError(file, line, `rating ${rating} is outside 0.5..5.`);
    return { userId: num("userId"), movieId: num("movieId"), rating, timestamp: num("timestamp") };
  });
}

/** Parses `movies.csv` (genres split on `|`). */
export function parseMovies(text: string, options: { file?: string } = {}): Movie[] {
  const { file = "movies.csv" } = options;
  return rowsOf(text, file, ["movieId", "title", "genres"], (get, num) => {
    const genres = get("genres");
    return { movieId: num("movieId"), title: get("title"), genres: genres === "(no genres listed)" || genres === "" ? [] : genres.split("|") };
  });
}

/** Parses `tags.csv`. */
export function parseTags(text: string, options: { file?: string } = {}): MovieTag[] {
  const { file = "tags.csv" } = options;
  return rowsOf(text, file, ["userId", "movieId", "tag", "timestamp"], (get, num) => ({ userId: num("userId"), movieId: num("movieId"), tag: get("tag"), timestamp: num("timestamp") }));
}

/** Parses `links.csv` (empty tmdbId → null). */
export function parseLinks(text: string, options: { file?: string } = {}): MovieLink[] {
  const { file = "links.csv" } = options;
  return rowsOf(text, file, ["movieId", "imdbId", "tmdbId"], (get, num) => ({ movieId: num("movieId"), imdbId: get("imdbId"), tmdbId: get("tmdbId") === "" ? null : num("tmdbId") }));
}

/** All four MovieLens tables. */
export interface MovieLens {
  ratings: MovieRating[];
  movies: Movie[];
  tags: MovieTag[];
  links: MovieLink[];
}

/** MovieLens ml-latest-small, every table parsed and typed. */
export async function loadMovieLens(options: LoadOptions = {}): Promise<MovieLens> {
  const name = "movielens_ml_latest_small";
  const dir = await datasetDir(name, options);
  const read = (path: string): Promise<string> => readDatasetFile(name, dir, path);
  return {
    ratings: parseRatings(await read("ratings.csv"), { file: `${dir}/ratings.csv` }),
    movies: parseMovies(await read("movies.csv"), { file: `${dir}/movies.csv` }),
    tags: parseTags(await read("tags.csv"), { file: `${dir}/tags.csv` }),
    links: parseLinks(await read("links.csv"), { file: `${dir}/links.csv` }),
  };
}
