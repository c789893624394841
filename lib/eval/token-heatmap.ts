/**
 * A token heat map as plain HTML with inline styles (no script, no stylesheet): it renders the same in Jupyter,
 * in VS Code, in `nbconvert --to html` and in the HTML report. Positive scores are red, negative blue, with opacity
 * proportional to `|score| / max |score|`; each token's exact score is in its tooltip.
 */
import { escapeHtml, showHtml } from "../plot";

/** Options of {@link tokenHeatmapHtml}. */
export interface TokenHeatmapOptions {
  /** A label shown before the tokens (e.g. "IG → positive"). */
  title?: string;
  /** Scale: the score drawn at full colour (default the largest |score|). */
  scale?: number;
  /** Join `##` pieces to the token before them without a space (default true). */
  joinPieces?: boolean;
}

/**
 * Tokens coloured by score.
 * @throws when `tokens` and `scores` differ in length
 */
export function tokenHeatmapHtml(tokens: readonly string[], scores: readonly number[], options: TokenHeatmapOptions = {}): string {
  const { title = "", joinPieces = true } = options;
  if (tokens.length !== scores.length) throw new Error(`tokenHeatmapHtml: ${tokens.length} tokens but ${scores.length} scores`);
  const scale = options.scale ?? Math.max(1e-12, ...scores.map((s) => Math.abs(s)));
  const spans = tokens.map((token, i) => {
    const s = scores[i] as number;
    const alpha = Math.min(1, Math.abs(s) / scale).toFixed(3);
    const rgb = s >= 0 ? "220,50,47" : "38,139,210";
    const piece = joinPieces && token.startsWith("##");
    const text = escapeHtml(piece ? token.slice(2) : token);
    return `${piece || i === 0 ? "" : " "}<span title="${escapeHtml(token)}: ${s.toPrecision(3)}" style="background-color:rgba(${rgb},${alpha});padding:1px 2px;border-radius:3px">${text}</span>`;
  });
  const head = title === "" ? "" : `<span style="font-weight:bold;margin-right:8px">${escapeHtml(title)}</span>`;
  return `<div style="font-family:monospace;line-height:1.9;margin:2px 0">${head}${spans.join("")}</div>`;
}

/** Shows {@link tokenHeatmapHtml} in the notebook. */
export function showTokenHeatmap(tokens: readonly string[], scores: readonly number[], options: TokenHeatmapOptions = {}): void {
  showHtml(tokenHeatmapHtml(tokens, scores, options));
}
