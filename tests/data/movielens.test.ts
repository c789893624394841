import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadMovieLens, parseRatings, parseLinks } from "../../lib/data/movielens";

test("loads four typed tables; quoted titles and tags keep their commas", async () => {
  const ml = await loadMovieLens({ dir: join(__dirname, "..", "fixtures", "data", "movielens_ml_latest_small") });
  assert.deepEqual(ml.ratings[0], { userId: 7, movieId: 10, rating: 3.5, timestamp: 1600000000 });
  assert.deepEqual(ml.movies[1], { movieId: 20, title: "Long Night, The (1999)", genres: ["Drama", "Romance"] });
  assert.deepEqual(ml.movies[2]?.genres, []);
  assert.equal(ml.tags[1]?.tag, "rain, trains");
  assert.deepEqual(ml.links, [
    { movieId: 10, imdbId: "0000010", tmdbId: 555 },
    { movieId: 20, imdbId: "0000020", tmdbId: null },
  ]);
});

test("non-numbers, out-of-range ratings and missing columns name file and line", () => {
  assert.throws(() => parseRatings("userId,movieId,rating,timestamp\n1,2,3.0,4\n1,x,3.0,4\n", { file: "r.csv" }), /r\.csv:3: column "movieId" should be a number, got "x"/);
  assert.throws(() => parseRatings("userId,movieId,rating,timestamp\n1,2,7,4\n", { file: "r.csv" }), /r\.csv:2: rating 7 is outside/);
  assert.throws(() => parseLinks("movieId,imdbId\n1,2\n", { file: "l.csv" }), /l\.csv:1: missing column\(s\) "tmdbId"/);
});
