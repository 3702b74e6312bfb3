/**
 * The article beside the tool, section by section, in our own words. Each section names the
 * lesson (a preset, state/settings/presets.ts) its "Try it" button opens; formulas come from
 * core/explain/formulas.ts, the same ones the diagram and the worked example show.
 */
import type { ReactNode } from 'react';
import { Formula } from '../math/MathView';

export interface ArticleSection {
  id: string;
  title: string;
  body: ReactNode;
  /** The preset "Try it" opens. */
  presetId: string;
}

export const ARTICLE_SECTIONS: readonly ArticleSection[] = [
  {
    id: 'autoencoders',
    title: 'Autoencoders, and the holes in their latent space',
    presetId: 'ae-vs-vae',
    body: (
      <>
        <p>
          An autoencoder squeezes an image through a narrow code and tries to rebuild it: an encoder maps the image x to a few numbers z, a decoder maps z
          back to an image. Trained only to copy, it is free to put the codes wherever it likes. Digits end up on scattered islands, and a point between two
          islands is a code no image was ever given, so the decoder has no reason to draw anything sensible there.
        </p>
        <p>
          A variational autoencoder makes the encoder answer with a small cloud instead of a point, a Gaussian q(z|x), and charges it for every cloud that
          strays from one shared shape, the prior <Formula id="prior" />. The clouds have to overlap and cover the prior, and the holes close.
        </p>
      </>
    ),
  },
  {
    id: 'elbo',
    title: 'The ELBO and its two terms',
    presetId: 'elbo-two-terms',
    body: (
      <>
        <p>
          The model would like to make the images likely, to maximise log p(x), but that needs an integral over every z. The evidence lower bound
          replaces it with something we can compute and differentiate:
        </p>
        <Formula id="elbo" block />
        <p>
          Training minimises the negative of it, a sum of two terms in nats per image. The <strong>reconstruction term</strong> is the cost of describing x
          once the decoder knows z; the <strong>KL term</strong> is the cost of the code, how far the encoder’s cloud is from the prior. For a Gaussian
          cloud it has a closed form, the one the worked example fills in:
        </p>
        <Formula id="klGaussian" block />
        <p>
          With a weight β on the KL the loss is <Formula id="loss" />; at β = 1 it is exactly the negative ELBO that the loss curves plot.
        </p>
      </>
    ),
  },
  {
    id: 'reparameterisation',
    title: 'The reparameterisation trick',
    presetId: 'reparameterisation',
    body: (
      <>
        <p>
          The reconstruction term needs a z drawn from q(z|x), and a random draw has no gradient. The trick is to draw the randomness first, from a fixed
          distribution <Formula id="epsilon" />, and build the sample from it: <Formula id="reparameterisation" /> with <Formula id="sigma" />.
        </p>
        <p>
          Now z is an ordinary function of μ and log σ², with <Formula id="dzdmu" /> and <Formula id="dzdlogvar" />, and back-propagation passes straight
          through the sample into the encoder. The Worked example shows this as arithmetic for one image: the gradient of the loss with respect to μ is the
          decoder’s gradient at z plus β μ from the KL.
        </p>
      </>
    ),
  },
  {
    id: 'beta',
    title: 'β and disentanglement',
    presetId: 'beta-vae',
    body: (
      <p>
        Raising β above 1 makes the code more expensive. The model then keeps only the dimensions that pay for themselves and, on data made of a few
        independent factors, tends to give each factor a dimension of its own: a disentangled code. The price is blurrier reconstructions, since less
        information gets through. Higgins et al. used β = 4 on a data set of shapes like the one in the β-VAE lab.
      </p>
    ),
  },
  {
    id: 'collapse',
    title: 'Posterior collapse',
    presetId: 'collapse-annealing',
    body: (
      <p>
        A dimension whose KL falls to zero carries nothing: its cloud sits on the prior for every image, and the decoder learns to ignore it. This happens
        most with a strong decoder or a large β early in training, when the KL is cheap to remove and the reconstruction has not yet learnt to use the code.
        Two remedies are on the page: KL annealing (start with a small β and raise it, or cycle it) and free bits (no pressure on a dimension until its KL
        exceeds a floor λ).
      </p>
    ),
  },
  {
    id: 'families',
    title: 'The families, and what each fixes',
    presetId: 'elbo-tightness',
    body: (
      <>
        <p>The plain VAE leaves things to improve, and each variant changes one piece of it:</p>
        <ul>
          <li>
            <strong>Conditional VAE</strong> (Sohn et al.): the class y goes into both networks, so the code keeps the style and y chooses the content.
          </li>
          <li>
            <strong>VQ-VAE</strong> (van den Oord et al.): the code is a choice among learnt codebook vectors, which avoids collapse and gives sharp images.
          </li>
          <li>
            <strong>VAE-GAN</strong> (Larsen et al.): a discriminator judges reconstructions and samples, replacing the blur of a pixel-wise loss with a
            learnt sense of what looks real.
          </li>
          <li>
            <strong>Learned priors</strong> (Tomczak &amp; Welling): a mixture in place of N(0, I), so the prior can have room for each cluster of codes.
          </li>
          <li>
            <strong>Tighter bounds</strong> (Burda et al.): averaging several importance-weighted samples brings the bound closer to log p(x), and measures
            how loose the ELBO is.
          </li>
        </ul>
        <p>The Model select lists the families this page can train; the lesson below measures the gap between the ELBO and log p(x).</p>
      </>
    ),
  },
  {
    id: 'uses',
    title: 'What a trained VAE is for',
    presetId: 'interpolate-7-1',
    body: (
      <p>
        Once trained, the encoder gives every image a place in a smooth space and the decoder turns any place back into an image. That is enough to walk
        from one digit to another through images that are all digits, to generate new ones from the prior, to flag images the model finds unlikely
        (anomaly detection by −ELBO), to clean up noisy or damaged inputs, and to estimate log p(x) itself. The Use the model tab has each of these.
      </p>
    ),
  },
];

export interface Reference {
  authors: string;
  year: number;
  title: string;
  venue: string;
  href: string;
}

export const REFERENCES: readonly Reference[] = [
  { authors: 'D. P. Kingma and M. Welling', year: 2014, title: 'Auto-Encoding Variational Bayes', venue: 'ICLR 2014', href: 'https://arxiv.org/abs/1312.6114' },
  { authors: 'I. Higgins et al.', year: 2017, title: 'β-VAE: Learning Basic Visual Concepts with a Constrained Variational Framework', venue: 'ICLR 2017', href: 'https://openreview.net/forum?id=Sy2fzU9gl' },
  { authors: 'A. van den Oord, O. Vinyals and K. Kavukcuoglu', year: 2017, title: 'Neural Discrete Representation Learning', venue: 'NeurIPS 2017', href: 'https://arxiv.org/abs/1711.00937' },
  { authors: 'A. B. L. Larsen, S. K. Sønderby, H. Larochelle and O. Winther', year: 2015, title: 'Autoencoding beyond pixels using a learned similarity metric', venue: 'arXiv 1512.09300 (ICML 2016)', href: 'https://arxiv.org/abs/1512.09300' },
  { authors: 'Y. Burda, R. Grosse and R. Salakhutdinov', year: 2016, title: 'Importance Weighted Autoencoders', venue: 'ICLR 2016', href: 'https://arxiv.org/abs/1509.00519' },
  { authors: 'K. Sohn, H. Lee and X. Yan', year: 2015, title: 'Learning Structured Output Representation using Deep Conditional Generative Models', venue: 'NeurIPS 2015', href: 'https://papers.nips.cc/paper/2015/hash/8d55a249e6baa5c06772297520da2051-Abstract.html' },
  { authors: 'J. M. Tomczak and M. Welling', year: 2018, title: 'VAE with a VampPrior', venue: 'AISTATS 2018', href: 'https://arxiv.org/abs/1705.07120' },
];
