"""PyTorch's side of the export check: import the exported script, load the exported weights
and Adam state, run the decoder and the encoder on the inputs our side wrote, and print the
largest absolute differences from our outputs (one JSON line). Then continue training for a
few steps from the loaded optimiser state, to show that it does.
Usage: python3 check.py DIR   (DIR holds the unpacked export and our .npy files)"""
import json
import os
import sys

import numpy as np
import torch

out = sys.argv[1]
sys.path.insert(0, out)
import vae_model  # noqa: E402  (the exported script)

torch.manual_seed(0)
model, optimizer, step = vae_model.load(os.path.join(out, vae_model.__dict__.get('WEIGHTS', 'model.safetensors')))
model.eval()
load = lambda name: torch.from_numpy(np.load(os.path.join(out, name + '.npy')))
ours = json.load(open(os.path.join(out, 'ours.json')))
z, eps, x = load('z'), load('eps'), load('x')
with torch.no_grad():
    decoded = model.decode(z)
    mu, logvar = model.encode(x)
    zs = mu + torch.exp(0.5 * logvar) * eps
    reconstruction = vae_model.reconstruction_nll(model.decoder(zs), x).mean().item()
    kl = (0.5 * (mu ** 2 + logvar.exp() - 1 - logvar)).sum(1).mean().item()
result = {
    'torch': torch.__version__,
    'step': step,
    'images': int(z.shape[0]),
    'decoder_max_abs_diff': float((decoded - load('decoded')).abs().max()),
    'encoder_mu_max_abs_diff': float((mu - load('mu')).abs().max()),
    'encoder_logvar_max_abs_diff': float((logvar - load('logvar')).abs().max()),
    'negative_elbo_ours': ours['reconstruction'] + ours['kl'],
    'negative_elbo_torch': reconstruction + kl,
    'adam_state_loaded': sum(1 for p in model.parameters() if optimizer.state.get(p)) == len(list(model.parameters())),
}
model.train()
before = vae_model.losses(model, x, step)[1]['negative_elbo']
new_step = vae_model.train(model, optimizer, x, 20, step, report_every=10 ** 9)
after = vae_model.losses(model, x, new_step)[1]['negative_elbo']
result.update({'continued_steps': new_step - step, 'negative_elbo_before_continuing': before, 'negative_elbo_after_continuing': after})
print(json.dumps(result))
ok = max(result['decoder_max_abs_diff'], result['encoder_mu_max_abs_diff'], result['encoder_logvar_max_abs_diff']) < 1e-4
sys.exit(0 if ok and result['adam_state_loaded'] else 1)
