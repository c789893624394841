/**
 * A sparse matrix in compressed sparse row (CSR) form, scikit-learn/SciPy's `csr_matrix`: row `i`'s non-zeros
 * are `values[k]` at column `indices[k]` for `k` in `[indptr[i], indptr[i+1])`, columns ascending within a row.
 */
export interface SparseMatrix {
  numRows: number;
  numColumns: number;
  /** Row starts into `indices`/`values`, length `numRows + 1`. */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/**
 * Builds a CSR matrix from one `Map<column, value>` per row (columns are sorted here; zeros are kept out).
 */
export function csrFromRows(rows: readonly ReadonlyMap<number, number>[], numColumns: number): SparseMatrix {
  const indptr = new Int32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((row, i) => {
    for (const v of row.values()) if (v !== 0) nnz++;
    indptr[i + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (const row of rows) {
    for (const j of [...row.keys()].sort((a, b) => a - b)) {
      const v = row.get(j)!;
      if (v === 0) continue;
      if (j < 0 || j >= numColumns) throw new Error(`csrFromRows: column ${j} outside [0, ${numColumns}).`);
      indices[k] = j;
      values[k++] = v;
    }
  }
  return { numRows: rows.length, numColumns, indptr, indices, values };
}

/** Row `i` as a dense array (for tests and small examples). */
export function denseRow(matrix: SparseMatrix, i: number): number[] {
  const out = new Array<number>(matrix.numColumns).fill(0);
  for (let k = matrix.indptr[i]!; k < matrix.indptr[i + 1]!; k++) out[matrix.indices[k]!] = matrix.values[k]!;
  return out;
}
