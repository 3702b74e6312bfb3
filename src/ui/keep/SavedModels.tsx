/** The models saved in this browser: name, date, data set, step, −ELBO; load, download, rename, delete. */
import { useState } from 'react';
import type { Controller } from '../../state/controller';
import type { SavedModelInfo } from '../../state/storage/library';
import { fmt } from '../format';
import { useStore } from '../hooks/useStore';

function Row({ info, controller }: { info: SavedModelInfo; controller: Controller }) {
  const keep = controller.keep;
  const busy = useStore(keep.store, (k) => k.busy !== null);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const commit = () => {
    if (editing !== null) void keep.rename(info.id, editing);
    setEditing(null);
  };
  return (
    <tr>
      <td className="saved-name">
        {editing === null ? (
          info.name
        ) : (
          <input
            aria-label="New name"
            value={editing}
            autoFocus
            onChange={(e) => setEditing(e.currentTarget.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit();
              if (e.key === 'Escape') setEditing(null);
            }}
          />
        )}
        <span className="saved-sub">
          {info.family}, {info.latentDim}-D latent
        </span>
      </td>
      <td className="num">{new Date(info.savedAt).toLocaleString()}</td>
      <td>{info.datasetName}</td>
      <td className="num">{info.step.toLocaleString('en-US')}</td>
      <td className="num" title={info.negativeElboOn ? `on the ${info.negativeElboOn} set` : undefined}>
        {fmt(info.negativeElbo)}
        {info.negativeElboOn === 'training' ? <span className="saved-sub"> (train)</span> : null}
      </td>
      <td className="saved-actions">
        <button type="button" disabled={busy} onClick={() => void keep.loadSaved(info.id)}>
          Load
        </button>
        <button type="button" onClick={() => void keep.downloadSaved(info.id)}>
          Download
        </button>
        <button type="button" onClick={() => setEditing(info.name)}>
          Rename
        </button>
        {confirming ? (
          <button type="button" className="danger" onClick={() => void keep.remove(info.id)} onBlur={() => setConfirming(false)} autoFocus>
            Delete for good
          </button>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

export function SavedModels({ controller }: { controller: Controller }) {
  const saved = useStore(controller.keep.store, (k) => k.saved);
  if (saved.length === 0) return <p className="saved-empty">No models saved in this browser yet. “Save model” keeps the one in training here, with its optimiser state and loss curves.</p>;
  return (
    <table className="saved-models" aria-label="Models saved in this browser">
      <thead>
        <tr>
          <th>Name</th>
          <th>Saved</th>
          <th>Data set</th>
          <th>Step</th>
          <th title="The last test −ELBO, or the training −ELBO when none was measured (nats)">−ELBO</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {saved.map((info) => (
          <Row key={info.id} info={info} controller={controller} />
        ))}
      </tbody>
    </table>
  );
}
