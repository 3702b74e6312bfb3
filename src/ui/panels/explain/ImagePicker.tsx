/** The test images the explanation can follow: the first scatter point of each class, as thumbnails. */
import type { Controller } from '../../../state/controller';
import { candidatePoints } from '../../../state/explain/explainer';
import { useStore } from '../../hooks/useStore';
import { GreyImage } from './GreyImage';

export function ImagePicker({ controller }: { controller: Controller }) {
  const latents = useStore(controller.store, (s) => s.latents);
  const previews = useStore(controller.store, (s) => s.previewImages);
  const classNames = useStore(controller.store, (s) => s.data.summary?.classNames ?? null);
  const chosen = useStore(controller.explainer.store, (s) => s.pointIndex);
  if (!latents || !previews) return null;
  const pixels = previews.length / latents.count;
  return (
    <div className="image-picker" role="group" aria-label="Test image to follow">
      <span className="image-picker-label">Follow a test image:</span>
      {candidatePoints(latents.labels).map((i) => {
        const name = classNames?.[latents.labels[i]] ?? `class ${latents.labels[i]}`;
        return (
          <button key={i} type="button" className="image-picker-item" aria-pressed={i === chosen} title={name} aria-label={`Test image ${i + 1} (${name})`} onClick={() => controller.explainer.choose(i)}>
            <GreyImage pixels={Float32Array.from(previews.subarray(i * pixels, (i + 1) * pixels), (v) => v / 255)} label={name} />
          </button>
        );
      })}
    </div>
  );
}
