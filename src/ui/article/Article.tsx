/**
 * The article under the tool (as TensorFlow Playground and GAN Lab have): short sections, each
 * with a Try it button that opens its lesson, and the references. Headings: one h2, an h3 per
 * section. The sections are not named regions: the page's panels are the regions.
 */
import type { Controller } from '../../state/controller';
import { presetById } from '../../state/settings';
import { ARTICLE_SECTIONS, REFERENCES } from './sections';
import './article.css';

export function Article({ controller }: { controller: Controller }) {
  return (
    <article className="article" aria-labelledby="article-title">
      <h2 id="article-title">How a variational autoencoder works</h2>
      <p className="article-lede">Seven short sections, each with a lesson that sets the page up to show it.</p>
      <div className="article-columns">
        {ARTICLE_SECTIONS.map((section) => {
          const preset = presetById(section.presetId);
          return (
            <section key={section.id} className="article-section" data-section={section.id}>
              <h3 id={`article-${section.id}`}>{section.title}</h3>
              {section.body}
              {preset ? (
                <p className="article-try">
                  <button
                    type="button"
                    onClick={() => {
                      controller.applyPreset(preset.id);
                      window.scrollTo({ top: 0, behavior: 'smooth' });
                    }}
                    aria-describedby={`try-${section.id}`}
                    data-preset={preset.id}
                  >
                    Try it
                  </button>
                  <span id={`try-${section.id}`} className="article-try-label">
                    {preset.label}
                  </span>
                </p>
              ) : null}
            </section>
          );
        })}
        <section className="article-section article-references">
          <h3 id="article-references">References</h3>
          <ol>
            {REFERENCES.map((r) => (
              <li key={r.href}>
                {r.authors} ({r.year}). <a href={r.href} target="_blank" rel="noreferrer noopener">{r.title}</a>. <i>{r.venue}</i>.
              </li>
            ))}
          </ol>
        </section>
      </div>
    </article>
  );
}
