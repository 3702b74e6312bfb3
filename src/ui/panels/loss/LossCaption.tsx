/**
 * The loss chart's caption in the words of the ELBO, with the live numbers: −ELBO as the sum of the
 * declared terms, and what training minimises (the weighted objective: β·KL, free bits, a scheduled
 * β(t) or capacity annealing's γ·|KL − C(t)|). Term names come from the model's declarations.
 */
import { Fragment } from 'react';
import { bitsPerDim, DISCRETE_LIKELIHOODS, type LikelihoodId, type ObjectiveKind } from '../../../core/objective/catalog';
import { termValue, type LossTermSpec, type LossValues } from '../../../core/objective/terms';
import { formatBeta, formatNats, formatStep, termName } from '../../format';
import { elboSum, unweightedSum, weightedTerm, type LossSeries } from './series';

export interface LossCaptionProps {
  terms: readonly LossTermSpec[];
  latest: LossValues | null;
  latestTest: (LossValues & { step: number }) | null;
  beta: number;
  likelihood: LikelihoodId;
  /** Pixels per image (bits per dimension of the discrete likelihoods). */
  pixels?: number;
  /** InfoVAE's λ when the objective is InfoVAE (the KL penalty replaced by λ·MMD); else null. */
  mmdWeight?: number | null;
  /** β(t) now, when a schedule moves it; else null. */
  scheduledBeta: number | null;
  /** Capacity annealing's C(t) now; else null. */
  capacityNow: number | null;
  freeBits: number;
  /** What training minimises: β-TCVAE weights the total correlation (a part of the KL) instead of the KL. */
  objectiveKind?: ObjectiveKind;
  /** The family's objective in words (players with losses of their own); replaces the weighted sum. */
  objectiveInWords?: string;
}

const plus = (...parts: string[]) => parts.filter(Boolean).join(' + ');

/** "−ELBO 175.1 nats = reconstruction 169.7 + KL 5.40." */
function ElboEquation({ terms, latest }: { terms: readonly LossTermSpec[]; latest: LossValues }) {
  return (
    <>
      −ELBO <b>{formatNats(latest.negativeElbo)}</b> nats ={' '}
      {terms
        .filter((t) => t.inElbo)
        .map((t, i) => (
          <Fragment key={t.id}>
            {i > 0 ? ' + ' : ''}
            {termName(t)} <b>{formatNats(termValue(latest, t.id))}</b>
          </Fragment>
        ))}
      .
    </>
  );
}

/** "; test −ELBO 171.2 at step 300." or "." */
function TestTail({ latestTest }: { latestTest: LossCaptionProps['latestTest'] }) {
  return latestTest ? (
    <>
      ; test −ELBO <b>{formatNats(latestTest.negativeElbo)}</b> at step {formatStep(latestTest.step)}.
    </>
  ) : (
    <>.</>
  );
}

/** A density's reconstruction term can be negative: say so rather than look broken. */
function densityNote(terms: readonly LossTermSpec[], latest: LossValues, likelihood: LossCaptionProps['likelihood']): string | null {
  if (likelihood !== 'gaussian' && likelihood !== 'gaussian-learned') return null;
  const negative = terms.find((t) => t.role === 'reconstruction' && termValue(latest, t.id) < 0);
  return negative ? ` ${negative.label} is negative: the Gaussian likelihood is a density.` : null;
}

/** Bits per dimension beside the nats for a discrete likelihood; InfoVAE's objective in words. */
function Tail({ latest, likelihood, pixels, mmdWeight }: Pick<LossCaptionProps, 'likelihood' | 'pixels' | 'mmdWeight'> & { latest: LossValues }) {
  const bits = pixels && DISCRETE_LIKELIHOODS.includes(likelihood) ? bitsPerDim(latest.negativeElbo, pixels) : null;
  return (
    <>
      {bits !== null ? (
        <>
          {' '}
          −ELBO in bits per dimension: <b>{bits.toFixed(3)}</b>.
        </>
      ) : null}
      {mmdWeight !== null && mmdWeight !== undefined ? (
        <>
          {' '}
          InfoVAE: the KL penalty is replaced by λ·MMD(q(z), p(z)) with λ = <b>{formatBeta(mmdWeight)}</b>; the KL and −ELBO shown are still the true ones.
        </>
      ) : null}
    </>
  );
}

export function LossCaption(props: LossCaptionProps) {
  const { terms, latest, latestTest, likelihood, pixels, mmdWeight = null, objectiveInWords } = props;
  if (!objectiveInWords) return <SumCaption {...props} />;
  return (
    <>
      {latest ? <ElboEquation terms={terms} latest={latest} /> : <>−ELBO = {elboSum(terms)}, in nats per example.</>} Training minimises {objectiveInWords} (β ={' '}
      <b>{formatBeta(props.beta)}</b>)
      {latest ? <TestTail latestTest={latestTest} /> : '.'}
      {latest ? (
        <>
          {densityNote(terms, latest, likelihood)}
          <Tail latest={latest} likelihood={likelihood} pixels={pixels} mmdWeight={mmdWeight} />
        </>
      ) : null}
    </>
  );
}

/** The caption of a family that minimises one weighted sum of its terms. */
function SumCaption({ terms, latest, latestTest, beta, likelihood, pixels, mmdWeight = null, scheduledBeta, capacityNow, freeBits, objectiveKind = 'vae' }: LossCaptionProps) {
  const weighted = weightedTerm(terms);
  const weightedName = weighted ? termName(weighted) : '';
  const others = unweightedSum(terms);
  const betaText = <b>{formatBeta(beta)}</b>;

  if (!latest) {
    return (
      <>
        −ELBO = {elboSum(terms)}, in nats per example. Training minimises {weighted ? plus(others, `β·${weightedName}`) : others}
        {weighted ? <> (β = {betaText})</> : null}.
      </>
    );
  }

  const equation = <ElboEquation terms={terms} latest={latest} />;
  const note = (
    <>
      {densityNote(terms, latest, likelihood)}
      <Tail latest={latest} likelihood={likelihood} pixels={pixels} mmdWeight={mmdWeight} />
    </>
  );
  const objective = <b>{formatNats(latest.objective)}</b>;

  if (!weighted) {
    return (
      <>
        {equation} Training minimises {others}
        {latest.objective !== latest.negativeElbo ? <> = {objective}</> : null}
        <TestTail latestTest={latestTest} />
        {note}
      </>
    );
  }

  if (capacityNow !== null) {
    return (
      <>
        {equation} Training minimises {plus(others, `γ·|${weightedName} − C(t)|`)}, with the capacity C(t) = <b>{formatNats(capacityNow)}</b> nats now (dotted)
        {scheduledBeta !== null ? (
          <>
            {' '}
            and the weight at <b>{formatBeta(scheduledBeta)}</b> (dashed, right axis)
          </>
        ) : null}
        <TestTail latestTest={latestTest} />
        {note}
      </>
    );
  }

  if (scheduledBeta !== null) {
    return (
      <>
        {equation} Training minimises {objectiveKind === 'tcvae' ? `${plus(others, weightedName)} + (β(t) − 1)·total correlation` : plus(others, `β(t)·${weightedName}`)} = {objective}, with the scheduled β(t) = <b>{formatBeta(scheduledBeta)}</b> now (dashed,
        right axis)
        <TestTail latestTest={latestTest} />
        {note}
      </>
    );
  }

  const tc = objectiveKind === 'tcvae' ? terms.find((t) => t.id === 'totalCorrelation') : undefined;
  const penalty = freeBits > 0 ? `Σ max(λ, ${weightedName}_d)` : weightedName;
  return (
    <>
      {equation} Training minimises {tc ? `${plus(others, penalty)} + (β − 1)·${termName(tc)}` : plus(others, `β·${penalty}`)}
      {beta !== 1 || freeBits > 0 || terms.some((t) => !t.inElbo && t.partOf === undefined) ? <> = {objective}</> : null} (β = {betaText}
      {freeBits > 0 ? (
        <>
          , free bits λ = <b>{formatNats(freeBits)}</b> nats per dimension
        </>
      ) : null}
      )
      <TestTail latestTest={latestTest} />
      {note}
    </>
  );
}

export interface ChartDescription {
  series: readonly LossSeries[];
  latest: LossValues | null;
  latestTest: (LossValues & { step: number }) | null;
  lastStep: number;
  markers: number;
  /** The KL weight's range when a schedule moves it. */
  betaRange: { lo: number; hi: number } | null;
  /** The capacity C(t) at the last step, when drawn. */
  capacityEnd: number | null;
}

/** The chart in one paragraph, for screen readers. */
export function describeChart({ series, latest, latestTest, lastStep, markers, betaRange, capacityEnd }: ChartDescription): string {
  const parts = [`Loss curves over ${formatStep(lastStep)} steps, in nats per example.`];
  if (latest) {
    const sum = series
      .filter((s) => s.term?.inElbo)
      .map((s) => `${s.name} ${formatNats(termValue(latest, s.id))}`)
      .join(' + ');
    parts.push(`Latest training average: −ELBO ${formatNats(latest.negativeElbo)} = ${sum}.`);
  }
  if (latestTest) parts.push(`Test −ELBO ${formatNats(latestTest.negativeElbo)} at step ${formatStep(latestTest.step)}.`);
  if (markers) parts.push(`${markers} marked event${markers === 1 ? '' : 's'}.`);
  if (betaRange) parts.push(`The KL weight β(t) follows a schedule between ${formatBeta(betaRange.lo)} and ${formatBeta(betaRange.hi)} (dashed line, right axis).`);
  if (capacityEnd !== null) parts.push(`Capacity C(t), the KL target, dotted: ${formatNats(capacityEnd)} nats at the end.`);
  return parts.join(' ');
}
