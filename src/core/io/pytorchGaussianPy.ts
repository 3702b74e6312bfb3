/** The PyTorch export's model and objective for the Gaussian families, in Python (pytorchScript.ts assembles the file). */
import type { ModelConfig } from '../models/config';

/**
 * The Gaussian families' model and objective in Python: the VAE (against N(0, I), a learned
 * mixture of Gaussians or a VampPrior: objective/priors) and the conditional VAE (the one-hot class
 * joined to the encoder's input and to z).
 */
export function gaussianFamilyPy(config: ModelConfig, conditional: boolean): string {
  const prior = conditional ? 'standard' : String(config.options.prior ?? 'standard');
  const components = Number(config.options.components ?? 1);
  const what = conditional
    ? 'The conditional VAE: q(z|x, y) and p(x|z, y) with the one-hot class y joined to x and to z, p(z) = N(0, I).'
    : `The VAE: q(z|x) = N(mu, diag sigma^2) from the encoder, p(z) = ${prior === 'mog' ? 'a learned mixture of Gaussians' : prior === 'vamp' ? 'the VampPrior (the mixture of the posteriors of learned pseudo-inputs)' : 'N(0, I)'}, p(x|z) from the decoder.`;
  const priorPy =
    prior === 'standard'
      ? ''
      : `LOG_2PI = math.log(2 * math.pi)


def diagonal_gaussian_log_density(z, mu, logvar):
    """log N(z; mu, diag exp(logvar)), summed over the last dimension."""
    return -0.5 * (LOG_2PI + logvar + (z - mu) ** 2 / logvar.exp()).sum(-1)


def mixture_log_density(z, means, logvars, log_weights):
    """log sum_k w_k N(z; mu_k, diag sigma_k^2) of each row of z [n, LATENT]; components [K, LATENT]."""
    per_component = diagonal_gaussian_log_density(z.unsqueeze(1), means.unsqueeze(0), logvars.unsqueeze(0))
    return torch.logsumexp(per_component + log_weights.unsqueeze(0), 1)


COMPONENTS = ${components}
${
  prior === 'mog'
    ? `

class Prior(nn.Module):
    """p(z) = sum_k w_k N(z; mu_k, diag sigma_k^2), w = softmax(logits), everything learned."""

    def __init__(self):
        super().__init__()
        self.means = nn.Parameter(torch.zeros(COMPONENTS, LATENT))
        self.log_vars = nn.Parameter(torch.zeros(COMPONENTS, LATENT))
        self.logits = nn.Parameter(torch.zeros(COMPONENTS))

    def components(self, encoder):
        return F.softmax(self.logits, 0), self.means, self.log_vars

    def log_density(self, z, encoder):
        return mixture_log_density(z, self.means, self.log_vars, F.log_softmax(self.logits, 0))
`
    : `

class Prior(nn.Module):
    """The VampPrior: p(z) = (1/K) sum_k q(z | u_k), the pseudo-inputs u_k learned pixel by pixel
    and clipped to [0, 1] where used (as in the browser)."""

    def __init__(self):
        super().__init__()
        self.pseudo_inputs = nn.Parameter(torch.zeros(COMPONENTS, PIXELS))

    def components(self, encoder):
        mu, logvar = encoder(self.pseudo_inputs.clamp(0, 1)).chunk(2, dim=1)
        return torch.full((COMPONENTS,), 1.0 / COMPONENTS), mu, logvar

    def log_density(self, z, encoder):
        _, mu, logvar = self.components(encoder)
        return mixture_log_density(z, mu, logvar, torch.full((COMPONENTS,), -math.log(COMPONENTS)))
`
}

`;
  const klPy =
    prior === 'standard'
      ? `    kl_per_dim = (0.5 * (mu ** 2 + logvar.exp() - 1 - logvar)).mean(0)   # closed form against N(0, I)
    kl = kl_per_dim.sum()
    free_bits = TRAINING['freeBits']
    penalty = torch.clamp(kl_per_dim, min=free_bits).sum() if free_bits > 0 else kl`
      : `    # no closed form against a mixture: the one-sample estimate log q(z|x) - log p(z) at the sample
    # (it has no per-dimension parts, so free bits do not apply)
    kl = (diagonal_gaussian_log_density(z, mu, logvar) - model.prior.log_density(z, model.encoder)).mean()
    penalty = kl`;
  const cond = conditional ? ', y' : ', y=None';
  const joined = (v: string) => (conditional ? `torch.cat([${v}, one_hot(y)], 1)` : v);
  return `${priorPy}CONDITIONAL = ${conditional ? 'True' : 'False'}
PRIOR = '${prior}'


def one_hot(y):
    """Class indices [n] -> one-hot rows [n, CLASSES], the networks' condition."""
    return F.one_hot(torch.as_tensor(y).long(), CLASSES).float()


class Model(nn.Module):
    """${what}"""

    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.decoder = Decoder()${prior === 'standard' ? '' : '\n        self.prior = Prior()'}

    def encode(self, x${cond}):
        """Posterior mean and log-variance [n, LATENT] of images x [n, PIXELS] in [0, 1]${conditional ? ' of classes y [n]' : ''}."""
        mu, logvar = self.encoder(${joined('x')}).chunk(2, dim=1)
        return mu, logvar

    def logits(self, z${cond}):
        """The decoder's logits [n, PIXELS] for latents z [n, LATENT]${conditional ? ' and classes y [n]' : ''}."""
        return self.decoder(${joined('z')})

    def decode(self, z${cond}):
        """The decoder's mean image [n, PIXELS] in [0, 1] for latents z [n, LATENT]${conditional ? ' decoded as classes y [n]' : ''}."""
        return torch.sigmoid(self.logits(z${conditional ? ', y' : ''}))

    def sample_prior(self, n):
        """n draws of z from p(z)."""
${
  prior === 'standard'
    ? '        return torch.randn(n, LATENT)'
    : `        weights, means, logvars = self.prior.components(self.encoder)
        k = torch.multinomial(weights, n, replacement=True)
        return means[k] + torch.exp(0.5 * logvars[k]) * torch.randn(n, LATENT)`
}


def losses(model, x, step, y=None):
    """The objective the browser minimised at this step, and the ELBO's terms (nats per example:
    summed over pixels / latent dimensions, averaged over the batch).${conditional ? ' y: the images\' classes [n].' : ''}"""
${conditional ? "    if y is None:\n        raise ValueError('the conditional VAE needs the class of every image')\n" : ''}    mu, logvar = model.encode(x${conditional ? ', y' : ''})
    z = mu if TRAINING['objective'] == 'autoencoder' else mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    reconstruction = reconstruction_nll(model.logits(z${conditional ? ', y' : ''}), x).mean()
${klPy}
    capacity = capacity_at(step)
    if capacity is not None:
        penalty = (penalty - capacity).abs()
    kl_term = kl_weight_at(step) * penalty
    if TRAINING['objective'] == 'autoencoder':
        objective = reconstruction
    elif TRAINING['objective'] == 'kl-only':
        objective = kl_term
    else:
        objective = reconstruction + kl_term
    terms = {'reconstruction': reconstruction.item(), 'kl': kl.item(), 'negative_elbo': (reconstruction + kl).item()}
    return objective, terms
`;
}
