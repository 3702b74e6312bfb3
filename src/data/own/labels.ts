/**
 * Class labels of your own images from where they sit: the folder right below the folder all the
 * images share ("pets/cats/1.png", "pets/dogs/2.png" → cats, dogs). Images straight in that
 * common folder get the label "unsorted" when others have labels; with no sub-folders at all
 * there is one class. Pure.
 */

export const UNSORTED = 'unsorted';
export const SINGLE_CLASS = 'images';

function directories(path: string): string[] {
  return path.replace(/\\/g, '/').split('/').filter(Boolean).slice(0, -1);
}

/** The class names (sorted) and each path's class index. */
export function labelsFromPaths(paths: readonly string[]): { classNames: string[]; labels: number[] } {
  const dirs = paths.map(directories);
  // the longest folder prefix common to every image
  let common = 0;
  if (dirs.length) {
    const first = dirs[0];
    while (common < first.length && dirs.every((d) => d.length > common && d[common] === first[common])) common++;
  }
  const names = dirs.map((d) => (d.length > common ? d[common] : null));
  if (names.every((n) => n === null)) return { classNames: [SINGLE_CLASS], labels: paths.map(() => 0) };
  const classNames = [...new Set(names.map((n) => n ?? UNSORTED))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return { classNames, labels: names.map((n) => classNames.indexOf(n ?? UNSORTED)) };
}
