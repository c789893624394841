// Parity with references we did not write: the t and normal functions behind lib/stats against mpmath (40-digit
// arithmetic), and `fitLinear`'s slope interval — the intervals notebook 01 reports — against
// `scipy.stats.linregress` with an mpmath t quantile. Points are drawn here with a fixed seed and sent to
// /usr/bin/python3 as JSON. Needs Debian's python3-scipy and python3-mpmath (CI installs both); skipped, saying so,
// without them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { Rng } from "../../lib/core/rng";
import { fitLinear } from "../../lib/stats/regression";
import { compareSlopes } from "../../lib/stats/breakpoint";
import { normalQuantile, studentTCdf, studentTQuantile } from "../../lib/stats/student-t";

const PYTHON = "/usr/bin/python3";
const probe = spawnSync(PYTHON, ["-c", "import scipy.stats, mpmath"], { encoding: "utf8" });
const scipyMissing = probe.status === 0 ? false : `${PYTHON} lacks SciPy or mpmath (apt-get install -y python3-scipy python3-mpmath)`;
if (scipyMissing) console.log(`# SKIPPED SciPy/mpmath parity: ${scipyMissing}`);

/** Runs `script` with the JSON `input` on stdin and returns what it prints as JSON. */
function python<T>(script: string, input: object): T {
  const run = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  assert.equal(run.status, 0, `Python peer failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** Python defining `cdf(x, df)` and `ppf(p, df, guess)` of Student's t with mpmath at 40 digits. */
const MP_T =
  "import mpmath as mp\nmp.mp.dps = 40\n" +
  // P(T <= x) = 1 - I_{df/(df+x^2)}(df/2, 1/2) / 2 for x >= 0 (Abramowitz & Stegun 26.7.1), mirrored for x < 0.
  "def cdf(x, df):\n  x, df = mp.mpf(x), mp.mpf(df)\n  tail = mp.betainc(df / 2, mp.mpf(1) / 2, 0, df / (df + x * x), regularized=True) / 2\n  return 1 - tail if x >= 0 else tail\n" +
  "def ppf(p, df, guess):\n  return mp.findroot(lambda x: cdf(x, df) - mp.mpf(p), guess, tol=mp.mpf(10) ** -30)\n";

/** Relative difference, with an absolute floor of 1 (quantiles near 0). */
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

test("t quantile and CDF and the normal quantile match mpmath at 40 digits to 1e-13 (df 0.5 to 1e6, p from 1e-6)", { skip: scipyMissing }, () => {
  // mpmath, not SciPy, is the reference here: SciPy 1.10's `t.ppf` (cephes `stdtrit`) is itself off by up to ~2e-9
  // relative (t.ppf(0.9, 3) = 1.637744357 where the exact value is 1.6377443536962103).
  const rng = new Rng(23);
  const ps = [1e-6, 0.0005, 0.025, 0.1, 0.5, 0.9, 0.975, 0.9995, 1 - 1e-6, ...Array.from({ length: 6 }, () => 0.001 + 0.998 * rng.uniform())];
  const dfs = [0.5, 1, 3, 7.5, 30, 118, 1e6, ...Array.from({ length: 3 }, () => 1 + 500 * rng.uniform())];
  const cases = ps.flatMap((p) => dfs.map((df) => ({ p, df })));
  const ref = python<{ ppf: number[]; cdf: number[]; z: number[] }>(
    `import json, sys\n${MP_T}req = json.load(sys.stdin)\n` +
      "print(json.dumps({'ppf': [float(ppf(c['p'], c['df'], c['guess'])) for c in req['cases']],\n" +
      "  'cdf': [float(cdf(c['guess'], c['df'])) for c in req['cases']],\n" +
      "  'z': [float(mp.sqrt(2) * mp.erfinv(2 * mp.mpf(p) - 1)) for p in req['ps']]}))",
    { cases: cases.map(({ p, df }) => ({ p, df, guess: studentTQuantile(p, df) })), ps },
  );
  cases.forEach(({ p, df }, i) => {
    const ours = studentTQuantile(p, df);
    assert.ok(rel(ours, ref.ppf[i]!) < 1e-13, `t quantile(${p}, ${df}): ours ${ours}, mpmath ${ref.ppf[i]}`);
    assert.ok(Math.abs(studentTCdf(ours, df) - ref.cdf[i]!) < 1e-14, `t CDF(${ours}, ${df}): ours ${studentTCdf(ours, df)}, mpmath ${ref.cdf[i]}`);
  });
  // stdlib computes Φ⁻¹(p) as √2·erfinv(2p − 1): rounding 2p − 1 costs ~1e-12 relative in the far tails (p = 1e-6).
  ps.forEach((p, i) => assert.ok(rel(normalQuantile(p), ref.z[i]!) < 1e-11, `normal quantile(${p}): ours ${normalQuantile(p)}, mpmath ${ref.z[i]}`));
});

test("fitLinear's slope, standard error and 95% / 80% intervals match scipy.stats.linregress (t quantile by mpmath)", { skip: scipyMissing }, () => {
  const rng = new Rng(11);
  for (const n of [3, 5, 40, 976]) {
    // Year-sized x and log10-compute-sized y, as in notebook 01's trend fits.
    const x = Array.from({ length: n }, () => 2010 + 14 * rng.uniform());
    const y = x.map((v) => 0.2 * (v - 2010) + 18 + 0.8 * (rng.uniform() - 0.5));
    const ref = python<{ slope: number; se: number; ci: Record<string, [number, number]> }>(
      `import json, sys\nfrom scipy.stats import linregress, t\n${MP_T}req = json.load(sys.stdin)\nr = linregress(req['x'], req['y'])\n` +
        "q = {l: float(ppf((1 + l) / 2, len(req['x']) - 2, float(t.ppf((1 + l) / 2, len(req['x']) - 2)))) for l in (0.95, 0.8)}\n" +
        "ci = {str(l): [r.slope - q[l] * r.stderr, r.slope + q[l] * r.stderr] for l in (0.95, 0.8)}\n" +
        "print(json.dumps({'slope': r.slope, 'se': r.stderr, 'ci': ci}))",
      { x, y },
    );
    for (const level of [0.95, 0.8]) {
      const fit = fitLinear(x, y, { level });
      assert.ok(rel(fit.slope, ref.slope) < 1e-9, `n=${n}: slope ${fit.slope} vs ${ref.slope}`);
      assert.ok(Math.abs(fit.slopeStdError - ref.se) <= 1e-9 * ref.se, `n=${n}: se ${fit.slopeStdError} vs ${ref.se}`);
      const [lo, hi] = ref.ci[String(level)]!;
      assert.ok(Math.abs(fit.slopeCi[0] - lo) <= 1e-9 * (hi - lo) && Math.abs(fit.slopeCi[1] - hi) <= 1e-9 * (hi - lo), `n=${n}, level ${level}: [${fit.slopeCi}] vs [${lo}, ${hi}]`);
    }
  }
});

test("compareSlopes' Welch p-value and interval match Student's t (mpmath) at the Welch–Satterthwaite df", { skip: scipyMissing }, () => {
  const before = fitLinear([2010, 2011, 2013, 2014, 2016, 2017], [18.1, 18.5, 19.2, 19.4, 20.3, 20.4]);
  const after = fitLinear([2018, 2019, 2020, 2021, 2022, 2023, 2024], [21.0, 21.9, 22.4, 23.6, 24.1, 25.3, 25.8]);
  const ours = compareSlopes(before, after);
  const ref = python<{ p: number; q: number }>(
    `import json, sys\n${MP_T}req = json.load(sys.stdin)\n` +
      "print(json.dumps({'p': float(2 * (1 - cdf(abs(req['t']), req['df']))), 'q': float(ppf(0.975, req['df'], 2.0))}))",
    { t: ours.t, df: ours.df },
  );
  assert.ok(Math.abs(ours.pValue - ref.p) < 1e-13, `p-value ${ours.pValue} vs mpmath ${ref.p}`);
  const expected = [ours.difference - ref.q * ours.stdError, ours.difference + ref.q * ours.stdError];
  assert.ok(Math.abs(ours.differenceCi[0] - expected[0]!) < 1e-12 && Math.abs(ours.differenceCi[1] - expected[1]!) < 1e-12, `[${ours.differenceCi}] vs [${expected}]`);
});
