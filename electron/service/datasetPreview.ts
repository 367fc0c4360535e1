/** The first rows of a data set, as datasets.preview answers (built-in and CSV sets alike). */
import type { DatasetPreview } from '../../core/api/labApi.ts';
import { rowLength, type Dataset } from '../../core/datasets/dataset.ts';

/** At most `maxRows` rows of `ds`, from the first. */
export function datasetPreview(ds: Dataset, maxRows: number): DatasetPreview {
  const rows = Math.min(maxRows, ds.n);
  return {
    name: ds.name,
    task: ds.task,
    rows,
    totalRows: ds.n,
    features: ds.features,
    ...(ds.steps !== undefined ? { steps: ds.steps } : {}),
    classes: ds.task === 'classification' ? ds.classes : 0,
    x: ds.x.slice(0, rows * rowLength(ds)),
    y: Float32Array.from(ds.y.subarray(0, rows * (ds.y.length / ds.n))),
    featureNames: [...ds.featureNames],
  };
}
