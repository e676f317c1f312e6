// How the dashboard finds things among the analysis service's named measures (ProgressMeasured scalars,
// spectra and grids). Names are matched loosely so a new analysis version's extra measures still show.

/**
 * Labels of a Fourier spectrum over Z_p. A vector of odd length p is read as the basis of Nanda et al. (2023, §4):
 * constant, then cos k, sin k for k = 1..(p-1)/2. Any other length is read as one norm per frequency k = 1, 2, ...
 */
export function fourierLabels(len) {
  if (len % 2 === 1 && len > 3) {
    return Array.from({ length: len }, (_, i) => (i === 0 ? 'const' : `${i % 2 ? 'cos' : 'sin'} ${Math.ceil(i / 2)}`));
  }
  return Array.from({ length: len }, (_, i) => `${i + 1}`);
}

/** Indices of a spectrum's entries that belong to the given frequencies (both cos and sin in the basis layout). */
export function fourierIndices(len, frequencies) {
  if (len % 2 === 1 && len > 3) return frequencies.flatMap((k) => [2 * k - 1, 2 * k]).filter((i) => i > 0 && i < len);
  return frequencies.map((k) => k - 1).filter((i) => i >= 0 && i < len);
}

/** The embedding's Fourier spectrum: a name with both "embed" and "fourier", else any "fourier" spectrum. */
export function pickSpectrum(names) {
  return names.find((n) => /embed|W_E/i.test(n) && /fourier|freq/i.test(n))
    || names.find((n) => /fourier|freq/i.test(n))
    || names[0] || null;
}

/** Spectra of singular values (SVD of W_E, W_U, W_in, W_out, per-head W_QK and W_OV): the analysis names them sv.<matrix>. */
export function svdSpectra(names) {
  return names.filter((n) => /^sv\.|svd|singular|sigma/i.test(n));
}

/** The overall restricted and excluded loss scalars (shortest name wins over per-frequency variants). */
export function restrictedKeys(names) {
  const shortest = (re) => names.filter((n) => re.test(n)).sort((a, b) => a.length - b.length)[0];
  return { restricted: shortest(/restricted/i), excluded: shortest(/excluded/i) };
}

/** Every Gini scalar (of W_E's and W_L's Fourier components). */
export function giniKeys(names) {
  return names.filter((n) => /gini/i.test(n));
}
