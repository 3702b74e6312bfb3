/**
 * The codebook: each of the K codes projected to 2-D by PCA, sized by how often the test images'
 * positions chose it and coloured by the class it is most used for (hollow: unused). With a cell
 * of the code grid selected, clicking a code puts it in that cell.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Controller } from '../../../state/controller';
import { prepareCanvas } from '../../charts/canvas';
import { classColor } from '../../charts/colors';
import { Panel } from '../../components/Panel';
import { useStore } from '../../hooks/useStore';
import { codeAt, codebookMarks, type CodeMark } from './codebookLayout';
import './codes.css';

const SIZE = 260;

function paint(canvas: HTMLCanvasElement, marks: readonly CodeMark[], highlight: number | null): void {
  const prepared = prepareCanvas(canvas, SIZE, SIZE);
  if (!prepared) return;
  const { ctx } = prepared;
  ctx.clearRect(0, 0, SIZE, SIZE);
  // large marks first, so small ones stay visible on top
  for (const m of [...marks].sort((a, b) => b.radius - a.radius)) {
    ctx.beginPath();
    ctx.arc(m.x, m.y, m.radius, 0, 2 * Math.PI);
    if (m.share > 0) {
      ctx.fillStyle = classColor(m.topClass);
      ctx.globalAlpha = 0.75;
      ctx.fill();
      ctx.globalAlpha = 1;
    } else {
      ctx.strokeStyle = '#9aa3b2';
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    if (m.code === highlight) {
      ctx.strokeStyle = '#1d2330';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(m.x, m.y, m.radius + 2.5, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
}

export function Codebook({ controller, classNames }: { controller: Controller; classNames: readonly string[] }) {
  const report = useStore(controller.store, (s) => s.codes);
  const selectedCell = useStore(controller.codes.store, (c) => c.selectedCell);
  const cellCode = useStore(controller.codes.store, (c) => (c.selectedCell === null ? null : (c.edited ?? c.encoded)?.[c.selectedCell] ?? null));
  const [hover, setHover] = useState<number | null>(null);
  const ref = useRef<HTMLCanvasElement>(null);
  const marks = useMemo(() => (report ? codebookMarks(report, Math.max(1, classNames.length), SIZE) : []), [report, classNames.length]);
  useLayoutEffect(() => {
    if (ref.current) paint(ref.current, marks, hover ?? cellCode);
  }, [marks, hover, cellCode]);
  const used = marks.filter((m) => m.share > 0).length;
  const hovered = hover === null ? null : marks[hover];
  const pointAt = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return codeAt(marks, e.clientX - box.left, e.clientY - box.top);
  };
  return (
    <Panel
      title="Codebook"
      caption={
        <>
          Each of the K = {report?.codebookSize ?? '…'} codes (vectors of D = {report?.codeDim ?? '…'}) projected to 2-D by PCA, sized by how often the positions of{' '}
          {report?.count ?? '…'} test images choose it, coloured by the class it is most used for; hollow: no position chose it.
          {selectedCell !== null ? ' Click a code to put it in the selected cell of the code grid.' : ''}
        </>
      }
    >
      {report ? (
        <div className="codebook-view">
          <canvas
            ref={ref}
            className={selectedCell !== null ? 'picking' : undefined}
            role="img"
            aria-label={`Codebook: ${report.codebookSize} codes projected by PCA, ${used} in use`}
            data-codes={report.codebookSize}
            data-in-use={used}
            onMouseMove={(e) => setHover(pointAt(e))}
            onMouseLeave={() => setHover(null)}
            onClick={(e) => {
              const code = pointAt(e);
              if (code !== null && selectedCell !== null) controller.codes.setCode(selectedCell, code);
            }}
          />
          <p className="codebook-readout">
            Codes in use {used} / {report.codebookSize} (test images, step {report.step.toLocaleString()})
            {hovered
              ? ` · code ${hovered.code}: ${(hovered.share * 100).toFixed(1)}% of positions${hovered.topClass >= 0 ? `, mostly ${classNames[hovered.topClass] ?? hovered.topClass}` : ''}`
              : ''}
          </p>
        </div>
      ) : (
        <div className="panel-empty">The codebook appears after the first report.</div>
      )}
    </Panel>
  );
}
