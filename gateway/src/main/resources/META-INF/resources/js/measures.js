// Where the dashboard finds things among the analysis service's measures (ProgressMeasured scalars, spectra and
// grids): by the names the vocabulary serves (vocabulary.js), so a renamed measure is renamed in `contracts` only.
// `M` below is `vocabulary().measure`: the measures by their contracts constant.

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

/** The spectrum shown first: the embedding's Fourier components when the snapshot has them. */
export function pickSpectrum(names, M) {
  return names.includes(M.EMBED_FOURIER_NORMS.name) ? M.EMBED_FOURIER_NORMS.name : (names[0] || null);
}

/** Spectra of singular values (SVD of W_E, W_U, W_in, W_out, per-head W_QK and W_OV): the family sv.<matrix>. */
export function svdSpectra(names, M) {
  return names.filter((n) => isMember(n, M.SINGULAR_VALUES_OF));
}

/** The overall restricted and excluded loss scalars (Nanda et al. 2023, §5.1), where the snapshot has them. */
export function restrictedKeys(names, M) {
  const present = (m) => (names.includes(m.name) ? m.name : undefined);
  return { restricted: present(M.RESTRICTED_LOSS), excluded: present(M.EXCLUDED_LOSS) };
}

/**
 * A task with several targets: each target's restricted loss (restricted_loss.<t>) and test accuracy
 * (test_accuracy.<t>), where present (the other per-target scalars are in the scalar chart's list).
 */
export function perTargetKeys(names, M) {
  return { restricted: names.filter((n) => isMember(n, M.RESTRICTED_LOSS_OF)),
    accuracy: names.filter((n) => isMember(n, M.TEST_ACCURACY_OF)) };
}

/** The Gini coefficients of the embedding's and unembedding's Fourier components, where present. */
export function giniKeys(names, M) {
  return [M.GINI_EMBED, M.GINI_UNEMBED].map((m) => m.name).filter((n) => names.includes(n));
}

/** Whether a name is one neuron's activation grid over (x, y). */
export function isNeuronGrid(name, M) {
  return isMember(name, M.NEURON_ACTIVATION_OF);
}

/** The scalar shown first: the number of frequencies the neurons use (omega), else the first. */
export function pickScalar(names, M) {
  return names.includes(M.OMEGA.name) ? M.OMEGA.name : names[0];
}

/** What a measure name means (a tooltip), from the vocabulary; empty for a name this gateway does not know. */
export function meaningOf(name, vocabulary) {
  const m = vocabulary.measures.find((w) => (w.family ? isMember(name, w) : w.name === name));
  return m ? m.meaning : '';
}

function isMember(name, family) {
  return name.startsWith(family.name) && name.length > family.name.length;
}
