/**
 * The keep-and-share bar under the status bar: "Save model" (to this browser), "Load model" (a
 * file; a model file dropped anywhere on the page loads too), "Download" (the model file),
 * "Export for PyTorch", "Copy link" (the settings as a link), and the list of models saved in
 * this browser. The work is the keeper's (state/storage/keeper.ts).
 */
import { useRef, useState } from 'react';
import { MODEL_FILE_EXTENSION } from '../../core/io/modelFile';
import { pytorchExportProblem } from '../../core/io/pytorchSupport';
import type { Controller } from '../../state/controller';
import { shareHash } from '../../state/settings';
import { useStore } from '../hooks/useStore';
import { SavedModels } from './SavedModels';
import './keep.css';

const BUSY_TEXT = { saving: 'Saving…', downloading: 'Writing the file…', loading: 'Loading…', exporting: 'Exporting…' } as const;

/** The page's address with the settings' hash (what "Copy link" copies). */
export function shareLink(hash: string): string {
  const { origin, pathname, search } = window.location;
  return `${origin}${pathname}${search}${hash ? `#${hash}` : ''}`;
}

function CopyLink({ controller }: { controller: Controller }) {
  const settings = useStore(controller.store, (s) => s.settings);
  const [shown, setShown] = useState<{ link: string; copied: boolean } | null>(null);
  const copy = async () => {
    const link = shareLink(shareHash(settings));
    try {
      await navigator.clipboard.writeText(link);
      setShown({ link, copied: true });
    } catch {
      // no clipboard (permissions, an insecure origin): show the link to copy by hand
      setShown({ link, copied: false });
    }
  };
  return (
    <span className="keep-copy">
      <button type="button" onClick={() => void copy()} title="Copy a link that opens this page with these settings (not the trained weights)">
        Copy link
      </button>
      {shown ? (
        shown.copied ? (
          <span className="keep-note" role="status">
            Link copied
          </span>
        ) : (
          <input className="keep-link" aria-label="Link to these settings" readOnly value={shown.link} onFocus={(e) => e.currentTarget.select()} autoFocus />
        )
      ) : null}
    </span>
  );
}

export function KeepBar({ controller }: { controller: Controller }) {
  const keep = controller.keep;
  const busy = useStore(keep.store, (k) => k.busy);
  const available = useStore(keep.store, (k) => k.available);
  const count = useStore(keep.store, (k) => k.saved.length);
  const lastAutosave = useStore(keep.store, (k) => k.lastAutosave);
  const ready = useStore(controller.store, (s) => s.model !== null && s.data.stage === 'ready');
  const step = useStore(controller.store, (s) => s.training.step);
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const canExport = ready && busy === null;
  const family = useStore(controller.store, (s) => s.settings.model);
  const likelihood = useStore(controller.store, (s) => s.settings.likelihood);
  const decoder = useStore(controller.store, (s) => s.settings.decoder);
  const pytorchProblem = pytorchExportProblem({ family, likelihood, options: { decoder } });
  const pick = async (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    await keep.loadFile(new Uint8Array(await file.arrayBuffer()), file.name);
    if (input.current) input.current.value = '';
  };
  return (
    <section className="keepbar" aria-label="Keep and share">
      <div className="keep-buttons">
        <button type="button" disabled={!canExport || !available} onClick={() => void keep.saveToBrowser()} title="Keep the model, its optimiser state and loss history in this browser">
          Save model
        </button>
        <button type="button" disabled={busy !== null} onClick={() => input.current?.click()} title={`Load a ${MODEL_FILE_EXTENSION} file (or drop one on the page)`}>
          Load model
        </button>
        <input ref={input} type="file" accept={`${MODEL_FILE_EXTENSION},application/octet-stream`} className="visually-hidden" aria-label="Model file to load" tabIndex={-1} onChange={(e) => void pick(e.currentTarget.files)} />
        <button type="button" disabled={!canExport} onClick={() => void keep.downloadModel()} title={`Download the model as a ${MODEL_FILE_EXTENSION} file (Load model reads it back)`}>
          Download model file
        </button>
        <button
          type="button"
          disabled={!canExport || pytorchProblem !== null}
          onClick={() => void keep.exportPytorch()}
          title={pytorchProblem ?? 'A zip: the weights as .safetensors and a Python script with the same network, to go on in PyTorch'}
        >
          Export for PyTorch
        </button>
        <CopyLink controller={controller} />
      </div>
      <div className="keep-status">
        {busy ? (
          <span className="keep-note" role="status">
            {BUSY_TEXT[busy]}
          </span>
        ) : lastAutosave && step > 0 ? (
          <span className="keep-note" title="Saved in this browser every minute while training and when you pause; offered back after a reload">
            Autosaved {new Date(lastAutosave).toLocaleTimeString()}
          </span>
        ) : null}
        {available ? (
          <button type="button" className="keep-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            Saved in this browser ({count})
          </button>
        ) : (
          <span className="keep-note">This browser cannot keep models; downloads work</span>
        )}
      </div>
      {open && available ? <SavedModels controller={controller} /> : null}
    </section>
  );
}

/** "Resume your last run?": the run autosaved before the page was closed or reloaded. */
export function ResumeOffer({ controller }: { controller: Controller }) {
  const offer = useStore(controller.keep.store, (k) => k.resume);
  const ready = useStore(controller.store, (s) => s.backend !== null);
  if (!offer) return null;
  const when = new Date(offer.savedAt);
  return (
    <div className="resume" role="alertdialog" aria-label="Resume your last run?">
      <b>Resume your last run?</b>
      <span>
        {offer.family} on {offer.datasetName}, step {offer.step.toLocaleString('en-US')}
        {offer.negativeElbo !== null ? `, −ELBO ${offer.negativeElbo.toFixed(1)}` : ''}, saved {when.toLocaleString()}.
      </span>
      <button type="button" className="primary" disabled={!ready} onClick={() => void controller.keep.resume()}>
        Resume
      </button>
      <button type="button" onClick={() => void controller.keep.declineResume()} title="Start afresh; the run stays in the list of saved models">
        Not now
      </button>
    </div>
  );
}
