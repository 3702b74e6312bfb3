/**
 * The first visit's invitation ("Press Train and watch the two terms of the loss") and the
 * three-step tour it offers; both close for good with ×, and the header's Tour button brings the
 * tour back. The step's target on the page is outlined and scrolled into view.
 */
import { useEffect } from 'react';
import { TOUR_STEPS, type Tour as TourModel } from '../../state/explain/tour';
import { useStore } from '../hooks/useStore';
import './tour.css';

export function TourInvitation({ tour }: { tour: TourModel }) {
  const phase = useStore(tour.store, (s) => s.phase);
  if (phase !== 'invite') return null;
  return (
    <section className="tour-invite" aria-label="Welcome">
      <span className="tour-invite-text">Press Train and watch the two terms of the loss.</span>
      <button type="button" className="tour-link" onClick={() => tour.start()}>
        Take the tour
      </button>
      <button type="button" className="tour-close" aria-label="Dismiss the welcome" onClick={() => tour.dismiss()}>
        ×
      </button>
    </section>
  );
}

export function TourCard({ tour }: { tour: TourModel }) {
  const { phase, step } = useStore(tour.store, (s) => s);
  const current = phase === 'touring' ? TOUR_STEPS[step] : null;
  useEffect(() => {
    if (!current) return;
    const target = document.querySelector(current.target);
    if (!target) return;
    target.classList.add('tour-highlight');
    target.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    return () => target.classList.remove('tour-highlight');
  }, [current]);
  if (!current) return null;
  return (
    <aside className="tour-card" role="dialog" aria-modal="false" aria-labelledby="tour-title">
      <p className="tour-progress">
        Step {step + 1} of {TOUR_STEPS.length}
      </p>
      <h2 id="tour-title">{current.title}</h2>
      <p>{current.text}</p>
      <div className="tour-buttons">
        <button type="button" onClick={() => tour.back()} disabled={step === 0}>
          Back
        </button>
        <button type="button" className="primary" onClick={() => tour.next()}>
          {step + 1 === TOUR_STEPS.length ? 'Done' : 'Next'}
        </button>
        <button type="button" className="tour-close" aria-label="Close the tour" onClick={() => tour.dismiss()}>
          ×
        </button>
      </div>
    </aside>
  );
}
