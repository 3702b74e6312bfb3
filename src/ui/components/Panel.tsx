/**
 * The frame every panel shares: a titled region (named for screen readers and tests), optional
 * tools at the right of the title, and a one-line caption that explains the panel in the words of
 * the ELBO.
 */
import type { ReactNode } from 'react';
import './panel.css';

export interface PanelProps {
  /** The region's accessible name and visible title, e.g. "Loss curves". */
  title: string;
  caption?: ReactNode;
  tools?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function Panel({ title, caption, tools, className, children }: PanelProps) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className={`panel ${className ?? ''}`} role="region" aria-labelledby={id}>
      <header className="panel-head">
        <h2 id={id}>{title}</h2>
        {tools ? <div className="panel-tools">{tools}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
      {caption ? <p className="panel-caption">{caption}</p> : null}
    </section>
  );
}
