/** The panels of a discrete latent in place of the scatter, probe and decoder grid (each as the family declares). */
import type { PanelId } from '../../../core/models/catalog';
import type { Controller } from '../../../state/controller';
import { Codebook } from './Codebook';
import { CodeGrid } from './CodeGrid';
import { CodePriors } from './CodePriors';
import { CodeUsage } from './CodeUsage';

export interface CodeLoopProps {
  controller: Controller;
  shows(id: PanelId): boolean;
  classNames: readonly string[];
  imageShape: { width: number; height: number };
}

export function CodeLoop({ controller, shows, classNames, imageShape }: CodeLoopProps) {
  return (
    <div className="code-loop">
      {shows('codeGrid') ? <CodeGrid controller={controller} classNames={classNames} imageShape={imageShape} /> : null}
      {shows('codebook') ? <Codebook controller={controller} classNames={classNames} /> : null}
      {shows('codeUsage') ? <CodeUsage controller={controller} /> : null}
      {shows('codePriors') ? <CodePriors controller={controller} imageShape={imageShape} /> : null}
    </div>
  );
}
