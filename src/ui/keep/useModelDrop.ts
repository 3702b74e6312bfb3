/**
 * A model file dropped anywhere on the page loads (as "Load model" would). Other drops outside a
 * drop zone of their own (the images drop zone stops them) do nothing, instead of the browser
 * leaving the page to show the file.
 */
import { useEffect, useState } from 'react';
import { MODEL_FILE_EXTENSION } from '../../core/io/modelFile';
import type { Controller } from '../../state/controller';

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

/** True while files are dragged over the page (to show a hint). */
export function useModelDrop(controller: Controller): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth += 1;
      setOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overPage = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      depth = 0;
      setOver(false);
      if (!hasFiles(e)) return;
      e.preventDefault();
      const file = Array.from(e.dataTransfer?.files ?? []).find((f) => f.name.toLowerCase().endsWith(MODEL_FILE_EXTENSION));
      if (file) void file.arrayBuffer().then((b) => controller.keep.loadFile(new Uint8Array(b), file.name));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overPage);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overPage);
      window.removeEventListener('drop', drop);
    };
  }, [controller]);
  return over;
}
