/**
 * `course recommend --user ID` — top-k MovieLens movies for a user from the hybrid of item-kNN and item text
 * (TF-IDF, or the course encoder with `--model`), trained on all their ratings; `course recommend --evaluate` —
 * the README's comparison (time-ordered and cold-start splits, Recall@k / NDCG@k with bootstrap intervals).
 */
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { initBackend, writeFileAtomic } from "../core";
import { loadMovieLens } from "../data";
import { loadTaskBase, resolveCheckpoint } from "../tasks";
import {
  blendRecommenders, compareRecommenders, denseContentRecommender, itemKnnRecommender, itemTexts, itemTfidf, meanPooledEmbeddings, sparseContentRecommender,
  timeOrderedSplit, topK, tuneBlend, validationSplit, type Interaction, type RankingEvaluation, type Recommender,
} from "../apps";
import { finiteNumber, positiveInt } from "./args";

interface RecommendCliOptions {
  user?: number;
  evaluate?: boolean;
  model?: string;
  k: number;
  alpha?: number;
  samples: number;
  seed: number;
  maxLength: number;
  json?: string;
}

const unit = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`${name} must be in [0, 1], got "${value}"`);
  return n;
};

function row(e: RankingEvaluation): string {
  const f = (i: { value: number; low: number; high: number }) => `${i.value.toFixed(4)} [${i.low.toFixed(4)}, ${i.high.toFixed(4)}]`;
  return `${e.name.padEnd(48)} ${f(e.recall)}  ${f(e.ndcg)}  (${e.users} users)`;
}

/** Registers `course recommend`. */
export function registerRecommend(program: Command): void {
  program
    .command("recommend")
    .description("text-aware MovieLens recommender: top-k for a user (--user), or the evaluation of every model (--evaluate)")
    .option("--user <id>", "MovieLens userId to recommend for", positiveInt("--user"))
    .option("--evaluate", "compare popularity, item-kNN, TF-IDF, encoder and hybrid on time-ordered and cold-start splits")
    .option("--model <dir>", "encoder for item text (a checkpoint folder, course, course:quick or course:full); default TF-IDF only")
    .option("--k <n>", "list length (and the k of Recall@k / NDCG@k)", positiveInt("--k"), 10)
    .option("--alpha <a>", "weight of item-kNN in the hybrid (default: chosen on a validation split, by NDCG@k)", unit("--alpha"))
    .option("--samples <n>", "bootstrap resamples of users (--evaluate)", positiveInt("--samples"), 1000)
    .option("--seed <n>", "seed of the cold-start items and the bootstrap", finiteNumber("--seed"), 0)
    .option("--max-length <n>", "tokens per item text for the encoder", positiveInt("--max-length"), 64)
    .option("--json <file>", "with --evaluate: write the tables as JSON")
    .action(async (o: RecommendCliOptions) => {
      if ((o.user === undefined) === (o.evaluate !== true)) throw new Error("course recommend: pass --user ID or --evaluate (one of them)");
      const ml = await loadMovieLens();
      await initBackend();
      const base = o.model === undefined ? undefined : loadTaskBase(await resolveCheckpoint(o.model));
      const encoder = base === undefined ? undefined : { bert: base.bert, tokenizer: base.tokenizer, maxLength: o.maxLength };
      try {
        if (o.evaluate === true) {
          const started = performance.now();
          const r = compareRecommenders(ml, { encoder, k: o.k, samples: o.samples, seed: o.seed, onStage: (s) => console.error(`… ${s}`) });
          console.log(`MovieLens ml-latest-small: ${r.sizes.users} users, ${r.sizes.items} movies; Recall@${o.k} and NDCG@${o.k} with 95% bootstrap intervals over users`);
          console.log(`warm users (per-user time-ordered split: ${r.sizes.warmTrain} training, ${r.sizes.warmTest} test ratings):`);
          for (const e of r.warm) console.log(`  ${row(e)}`);
          console.log(`cold start (${r.sizes.coldItems} items never rated in training, ${r.sizes.coldTest} test ratings; candidates = cold items):`);
          for (const e of r.cold) console.log(`  ${row(e)}`);
          console.log(`hybrid α (item-kNN weight) chosen on validation: ${r.blend.alpha} (${r.blend.textModel}); ${((performance.now() - started) / 1000).toFixed(0)} s`);
          if (o.json !== undefined) writeFileAtomic(o.json, JSON.stringify({ k: o.k, model: o.model ?? null, sizes: r.sizes, blend: r.blend, warm: r.warm.map(({ perUser: _p, userIndices: _u, ...e }) => e), cold: r.cold.map(({ perUser: _p, userIndices: _u, ...e }) => e) }, null, 2) + "\n");
          return;
        }
        const movieIds = ml.movies.map((m) => m.movieId);
        const userId = o.user as number;
        if (!ml.ratings.some((r) => r.userId === userId)) throw new Error(`course recommend: user ${userId} has no ratings in MovieLens ml-latest-small (users are 1–${Math.max(...ml.ratings.map((r) => r.userId))})`);
        // Train on every rating: an "everything so far" split with an empty test part.
        const all = timeOrderedSplit(ml.ratings, movieIds);
        const full = { ...all, train: [...all.train, ...all.test], test: [] as Interaction[] };
        const numUsers = full.userIds.length;
        const texts = itemTexts(ml.movies, ml.tags);
        const textModel = (train: readonly Interaction[]): Recommender =>
          encoder === undefined ? sparseContentRecommender(itemTfidf(texts), train, numUsers, { weighting: "uniform" }) : denseContentRecommender(meanPooledEmbeddings(encoder.bert, encoder.tokenizer, texts, { maxLength: encoder.maxLength }), encoder.bert.config.hiddenSize, train, numUsers, { weighting: "uniform" });
        let alpha = o.alpha;
        if (alpha === undefined) {
          const validation = validationSplit(full);
          alpha = tuneBlend(itemKnnRecommender(validation.train, numUsers, movieIds.length), textModel(validation.train), validation, { k: o.k }).alpha;
        }
        const knn = itemKnnRecommender(full.train, numUsers, movieIds.length);
        const text = textModel(full.train);
        const hybrid = blendRecommenders(knn, text, alpha);
        const u = full.userIds.indexOf(userId);
        const history = full.train.filter((r) => r.user === u).sort((a, b) => b.timestamp - a.timestamp);
        const scores = Float32Array.from(hybrid.scores(u));
        for (const r of history) scores[r.item] = -Infinity;
        const title = (i: number) => `${ml.movies[i]?.title} — ${ml.movies[i]?.genres.join(", ")}`;
        console.log(`user ${userId}: ${history.length} ratings; latest liked (≥ 4): ${history.filter((r) => r.rating >= 4).slice(0, 5).map((r) => ml.movies[r.item]?.title).join("; ")}`);
        console.log(`top ${o.k} by the hybrid (α = ${alpha} item-kNN + ${(1 - alpha).toFixed(1)} ${encoder === undefined ? "TF-IDF" : "encoder"} text):`);
        topK(scores, o.k).forEach((i, rank) => console.log(`${String(rank + 1).padStart(2)}. ${title(i)}`));
      } finally {
        base?.bert.dispose();
      }
    });
}
